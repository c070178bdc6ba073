"""Attendance, evaluations and certificates over real HTTP, with membership feeding the directory."""

import asyncio
import io
import json
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from pypdf import PdfReader

from contracts.topics import EVENTS
from eventkit.auth import Role
from support.events import Events, Partnership, activity_body, make_partnership, wait_for_directory
from support.membership import Membership

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class Day:
    """An activity about to start, with staff booked (and pupil places if asked)."""

    partnership: Partnership
    activity_id: str
    bookings: dict[str, dict[str, Any]]  # person id -> booking
    coordinator: dict[str, str]

    @property
    def urn(self) -> str:
        return self.partnership.schools[0]


def teacher(events: Events, person_id: str, urn: str) -> dict[str, str]:
    return events.as_(Role.TEACHER, schools=[urn], person_id=person_id)


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def book(events: Events, aid: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    booked = await events.http.post(
        f"/activities/{aid}/bookings", json=body, headers={**headers, **key()}
    )
    assert booked.status_code == 201 and booked.json()["status"] == "registered", booked.text
    result: dict[str, Any] = booked.json()
    return result


async def about_to_start(
    membership: Membership, events: Events, *, staff: int = 2, **changes: Any
) -> Day:
    """Staff book an activity a fortnight away; then it moves to start within the hour."""
    p = await make_partnership(membership, schools=1, staff_per_school=staff)
    await wait_for_directory(events, p)
    http, coordinator = events.http, events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    created = await http.post(
        "/activities", json=activity_body(p.id, capacity=20, **changes), headers=coordinator
    )
    assert created.status_code == 201, created.text
    aid = created.json()["id"]
    assert (await http.post(f"/activities/{aid}/publish", headers=coordinator)).status_code == 200
    bookings = {
        person: await book(events, aid, teacher(events, person, urn), urn=urn)
        for person, urn in p.staff.items()
    }
    early = await http.post(
        f"/bookings/{next(iter(bookings.values()))['id']}/attendance",
        json={"attended": True},
        headers=coordinator,
    )
    assert early.status_code == 409 and "attendance can be recorded from" in early.text
    start = datetime.now(UTC) + timedelta(minutes=30)
    moved = await http.post(
        f"/activities/{aid}/reschedule",
        json={
            "sessions": [
                {
                    "starts_at": start.isoformat(),
                    "ends_at": (start + timedelta(hours=2, minutes=30)).isoformat(),
                }
            ]
        },
        headers=coordinator,
    )
    assert moved.status_code == 200, moved.text
    return Day(p, aid, bookings, coordinator)


async def attend(events: Events, day: Day, booking: dict[str, Any]) -> None:
    marked = await events.http.post(
        f"/bookings/{booking['id']}/attendance", json={"attended": True}, headers=day.coordinator
    )
    assert marked.status_code == 200 and marked.json()["status"] == "attended", marked.text


ON_THE_DAY = {
    "ratings": {"overall": 4, "relevance": 5, "confidence_after": 4},
    "answers": {"best_thing": "The bar-model demo"},
}


async def told_about(
    bootstrap: str, activity_id: str, until: Callable[[list[str]], bool]
) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of the events keyed by the activity on the events topic, in the order they
    were committed, once `until` says enough types are there."""
    consumer = AIOKafkaConsumer(
        EVENTS.name, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    told: list[tuple[str, dict[str, Any]]] = []
    try:
        deadline = time.monotonic() + 20
        while not until([t for t, _ in told]) and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=300)).values():
                told += [
                    (dict(r.headers)["ce_type"].decode(), json.loads(r.value or b"{}"))
                    for r in records
                    if r.key == activity_id.encode()
                ]
        assert until([t for t, _ in told]), f"not told in time; saw {told}"
        return told
    finally:
        await consumer.stop()


async def test_coordinators_check_people_in_by_code_and_mark_attendance(
    membership: Membership, events: Events
) -> None:
    day = await about_to_start(membership, events, staff=3)
    http, aid = events.http, day.activity_id
    (first, b1), (second, b2), (third, b3) = day.bookings.items()

    # The third cancels: a cancelled booking has no attendance to record.
    cancelled = await http.post(
        f"/bookings/{b3['id']}/cancel", headers=teacher(events, third, day.urn)
    )
    assert cancelled.status_code == 200, cancelled.text

    wrong = await http.post(
        f"/activities/{aid}/check-in", json={"code": "not-a-code"}, headers=day.coordinator
    )
    assert wrong.status_code == 404 and "check-in code" in wrong.json()["detail"]
    empty = await http.post(
        f"/activities/{aid}/check-in", json={"code": ""}, headers=day.coordinator
    )
    assert empty.status_code == 422
    self_check_in = await http.post(
        f"/activities/{aid}/check-in",
        json={"code": b1["check_in_code"]},
        headers=teacher(events, first, day.urn),
    )
    assert self_check_in.status_code == 403
    elsewhere = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=["another-partnership"])
    hidden = await http.post(
        f"/activities/{aid}/check-in", json={"code": b1["check_in_code"]}, headers=elsewhere
    )
    assert hidden.status_code == 404

    # Two door scanners read the same code at once: both succeed, one records it.
    scans = await asyncio.gather(
        *(
            http.post(
                f"/activities/{aid}/check-in",
                json={"code": b1["check_in_code"]},
                headers=day.coordinator,
            )
            for _ in range(3)
        )
    )
    assert [r.status_code for r in scans] == [200] * 3, [r.text for r in scans]
    assert sorted(r.json()["already_recorded"] for r in scans) == [False, True, True]
    checked = scans[0].json()
    assert checked["status"] == "attended" and checked["booking_id"] == b1["id"]
    assert checked["name"].startswith("Teacher ")
    again = await http.post(
        f"/activities/{aid}/check-in", json={"code": b1["check_in_code"]}, headers=day.coordinator
    )
    assert again.status_code == 200 and again.json()["already_recorded"] is True

    # The second did not come, then turned up late: the coordinator corrects it.
    no_show = await http.post(
        f"/bookings/{b2['id']}/attendance", json={"attended": False}, headers=day.coordinator
    )
    assert no_show.status_code == 200 and no_show.json()["status"] == "no_show"
    late = await http.post(
        f"/bookings/{b2['id']}/attendance", json={"attended": True}, headers=day.coordinator
    )
    assert late.status_code == 200 and late.json()["status"] == "attended"
    seen = await http.get(f"/bookings/{b2['id']}", headers=teacher(events, second, day.urn))
    assert seen.json()["status"] == "attended"

    by_teacher = await http.post(
        f"/bookings/{b2['id']}/attendance",
        json={"attended": False},
        headers=teacher(events, second, day.urn),
    )
    assert by_teacher.status_code == 403
    gone = await http.post(
        f"/bookings/{b3['id']}/attendance", json={"attended": True}, headers=day.coordinator
    )
    assert gone.status_code == 409 and "cancelled" in gone.json()["detail"]
    bad = await http.post(
        f"/bookings/{b2['id']}/attendance", json={"attended": "maybe"}, headers=day.coordinator
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "attended"


async def test_the_check_in_qr_image_is_for_the_booking_s_people_only(
    membership: Membership, events: Events
) -> None:
    day = await about_to_start(membership, events, staff=2)
    (person, booking), (colleague, _) = day.bookings.items()
    url = f"/bookings/{booking['id']}/check-in.png"

    for headers in (
        teacher(events, person, day.urn),
        events.as_(Role.SCHOOL_LEAD, schools=[day.urn]),
        day.coordinator,
    ):
        image = await events.http.get(url, headers=headers)
        assert image.status_code == 200, image.text
        assert image.headers["content-type"] == "image/png"
        assert image.content.startswith(PNG_SIGNATURE)
        width, height = struct.unpack(">II", image.content[16:24])  # the IHDR chunk
        assert width == height > 100

    for stranger in (
        teacher(events, colleague, day.urn),
        events.as_(Role.SCHOOL_LEAD, schools=["100001"]),
    ):
        assert (await events.http.get(url, headers=stranger)).status_code == 404
    assert (await events.http.get(url)).status_code == 401


async def test_evaluations_before_on_the_day_and_impact_with_their_rules(
    membership: Membership, events: Events
) -> None:
    day = await about_to_start(
        membership, events, staff=2, audience={"staff": True, "pupils": True}
    )
    http, aid = events.http, day.activity_id
    (person, booking), (colleague, other) = day.bookings.items()
    me, them = teacher(events, person, day.urn), teacher(events, colleague, day.urn)
    lead = events.as_(Role.SCHOOL_LEAD, schools=[day.urn])
    url = f"/bookings/{booking['id']}/evaluations"
    pupils = await book(events, aid, lead, urn=day.urn, pupils=12)

    forms = (await http.get("/evaluations/forms", headers=me)).json()
    assert forms["impact"]["required"] == ["what_will_you_do_differently"]
    assert set(forms["before"]["scales"]) == {"relevance", "confidence_before"}
    before = {"ratings": {"relevance": 4, "confidence_before": 2}, "answers": {"hopes": "Ideas"}}
    assert (await http.post(f"{url}/before", json=before, headers=me)).status_code == 201
    twice = await http.post(f"{url}/before", json=before, headers=me)
    assert twice.status_code == 409 and "already in" in twice.json()["detail"]
    too_soon = await http.post(f"{url}/on_the_day", json=ON_THE_DAY, headers=me)
    assert too_soon.status_code == 409 and "attended" in too_soon.json()["detail"]

    # Someone else's booking: hidden from a colleague; its coordinator may not speak for it.
    assert (await http.post(f"{url}/before", json=before, headers=them)).status_code == 404
    by_coordinator = await http.post(
        f"/bookings/{other['id']}/evaluations/before", json=before, headers=day.coordinator
    )
    assert by_coordinator.status_code == 403

    await attend(events, day, booking)
    await attend(events, day, other)
    await attend(events, day, pupils)
    late_before = await http.post(
        f"/bookings/{other['id']}/evaluations/before", json=before, headers=them
    )
    assert late_before.status_code == 409 and "registered" in late_before.json()["detail"]

    problems = {
        "unknown scale": ({"ratings": {"fun": 5}}, "fun"),
        "rating out of range": ({"ratings": {"overall": 6}}, "overall"),
        "no ratings": ({"ratings": {}}, "rating"),
        "unknown question": ({"ratings": {"overall": 3}, "answers": {"why": "x"}}, "why"),
        "missing impact answer": ({"ratings": {"impact": 4}}, "what_will_you_do_differently"),
    }
    for name, (body, named) in problems.items():
        stage = "impact" if name.startswith("missing") else "on_the_day"
        bad = await http.post(f"{url}/{stage}", json=body, headers=me)
        assert bad.status_code == 422 and named in bad.text, (name, bad.text)
    no_stage = await http.post(f"{url}/afterwards", json=ON_THE_DAY, headers=me)
    assert no_stage.status_code == 422

    assert (await http.post(f"{url}/on_the_day", json=ON_THE_DAY, headers=me)).status_code == 201
    other_day = {"ratings": {"overall": 2, "relevance": 3}}
    racing = await asyncio.gather(
        *(
            http.post(
                f"/bookings/{other['id']}/evaluations/on_the_day", json=other_day, headers=them
            )
            for _ in range(2)
        )
    )
    assert sorted(r.status_code for r in racing) == [201, 409], [r.text for r in racing]
    impact = {
        "ratings": {"overall": 5, "impact": 4},
        "answers": {"what_will_you_do_differently": "  Start every lesson with a retrieval quiz "},
    }
    made = await http.post(f"{url}/impact", json=impact, headers=me)
    assert made.status_code == 201, made.text
    assert made.json()["answers"]["what_will_you_do_differently"] == (
        "Start every lesson with a retrieval quiz"
    )

    # Pupil places: the school lead evaluates for the group, as counts.
    group_url = f"/bookings/{pupils['id']}/evaluations/on_the_day"
    assert (await http.post(group_url, json=ON_THE_DAY, headers=me)).status_code == 404
    too_many = await http.post(group_url, json={**ON_THE_DAY, "respondents": 13}, headers=lead)
    assert too_many.status_code == 422 and "12 pupil places" in too_many.json()["detail"]
    group = await http.post(group_url, json={**ON_THE_DAY, "respondents": 10}, headers=lead)
    assert group.status_code == 201, group.text
    assert group.json()["person_id"] is None and group.json()["respondents"] == 10

    mine = await http.get(url, headers=me)
    assert [e["stage"] for e in mine.json()] == ["before", "on_the_day", "impact"]

    summary_url = f"/activities/{aid}/evaluations/summary"
    assert (await http.get(summary_url, headers=me)).status_code == 403
    summary = await http.get(summary_url, headers=day.coordinator)
    assert summary.status_code == 200, summary.text
    s = summary.json()
    assert s["attendance"] == {
        "registered": 0,
        "attended": 3,
        "no_show": 0,
        "places_attended": 14,
    }
    on_the_day = s["stages"]["on_the_day"]
    assert on_the_day["evaluations"] == 3 and on_the_day["respondents"] == 12
    assert on_the_day["ratings"]["overall"] == {"count": 3, "mean": 3.33}
    assert on_the_day["ratings"]["relevance"] == {"count": 3, "mean": 4.33}
    assert s["stages"]["before"]["ratings"]["confidence_before"] == {"count": 1, "mean": 2.0}
    assert s["stages"]["impact"]["evaluations"] == 1
    assert s["what_will_you_do_differently"] == ["Start every lesson with a retrieval quiz"]
    assert person not in summary.text and "Teacher" not in summary.text


async def test_the_certificate_is_released_once_attended_and_evaluated(
    membership: Membership, events: Events, kafka_bootstrap: str
) -> None:
    day = await about_to_start(
        membership,
        events,
        staff=2,
        title="Bar models in Key Stage 2",
        audience={"staff": True, "pupils": True},
    )
    http = events.http
    (person, booking), (colleague, _) = day.bookings.items()
    me = teacher(events, person, day.urn)
    url = f"/bookings/{booking['id']}/certificate.pdf"

    not_yet = await http.get(url, headers=me)
    assert not_yet.status_code == 409 and "attendance" in not_yet.json()["detail"]
    await attend(events, day, booking)
    no_evaluation = await http.get(url, headers=me)
    assert no_evaluation.status_code == 409 and "evaluation" in no_evaluation.json()["detail"]
    assert (await http.get(url, headers=teacher(events, colleague, day.urn))).status_code == 404

    evaluated = await http.post(
        f"/bookings/{booking['id']}/evaluations/on_the_day", json=ON_THE_DAY, headers=me
    )
    assert evaluated.status_code == 201, evaluated.text
    pdf = await http.get(url, headers=me)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"Teacher 0 of {day.urn}" in text and "Bar models in Key Stage 2" in text
    assert "2.5 hours" in text and "Certificate of Attendance" in text
    by_coordinator = await http.get(url, headers=day.coordinator)
    assert by_coordinator.status_code == 200
    assert PdfReader(io.BytesIO(by_coordinator.content)).pages[0].extract_text() == text

    lead = events.as_(Role.SCHOOL_LEAD, schools=[day.urn])
    pupils = await book(events, day.activity_id, lead, urn=day.urn, pupils=5)
    await attend(events, day, pupils)
    group = await http.get(f"/bookings/{pupils['id']}/certificate.pdf", headers=lead)
    assert group.status_code == 409 and "pupil" in group.json()["detail"]

    # The impact evaluation comes after both releases: once it is told, so would be a second
    # certificate_issued (events are told in commit order). There is one; no free text is told.
    answer = "Plan fractions units with the Year 4 team"
    later = await http.post(
        f"/bookings/{booking['id']}/evaluations/impact",
        json={"ratings": {"impact": 3}, "answers": {"what_will_you_do_differently": answer}},
        headers=me,
    )
    assert later.status_code == 201
    submitted = "events.evaluation_submitted.v1"
    told = await told_about(kafka_bootstrap, day.activity_id, lambda t: t.count(submitted) >= 2)
    types = [t for t, _ in told]
    assert types.count("events.certificate_issued.v1") == 1
    assert types.index("events.certificate_issued.v1") < len(types) - 1
    issued = next(data for t, data in told if t == "events.certificate_issued.v1")
    assert issued["booking_id"] == booking["id"] and issued["person_id"] == person
    evaluations = [data for t, data in told if t == submitted]
    assert [e["stage"] for e in evaluations] == ["on_the_day", "impact"]
    assert evaluations[1]["ratings"] == {"impact": 3}
    assert answer not in json.dumps(evaluations) and "bar-model" not in json.dumps(evaluations)


async def test_an_erased_person_s_answers_are_forgotten_and_their_ratings_kept(
    membership: Membership, events: Events
) -> None:
    day = await about_to_start(membership, events, staff=1)
    http = events.http
    person, booking = next(iter(day.bookings.items()))
    me = teacher(events, person, day.urn)
    await attend(events, day, booking)
    said = "Ask Mrs Patel in room 12 about her seating plan"
    impact = {"ratings": {"impact": 5}, "answers": {"what_will_you_do_differently": said}}
    url = f"/bookings/{booking['id']}/evaluations"
    assert (await http.post(f"{url}/on_the_day", json=ON_THE_DAY, headers=me)).status_code == 201
    assert (await http.post(f"{url}/impact", json=impact, headers=me)).status_code == 201
    summary_url = f"/activities/{day.activity_id}/evaluations/summary"
    summary = await http.get(summary_url, headers=day.coordinator)
    assert summary.json()["what_will_you_do_differently"] == [said]

    erased = await membership.http.post(f"/people/{person}/erase", headers=membership.officer)
    assert erased.status_code == 200, erased.text
    evaluations = await _until_erased(http, url, me)
    assert all(e["answers"] == {} for e in evaluations)
    assert {e["stage"]: e["ratings"] for e in evaluations} == {
        "on_the_day": ON_THE_DAY["ratings"],
        "impact": {"impact": 5},
    }
    after = (await http.get(summary_url, headers=day.coordinator)).json()
    assert after["what_will_you_do_differently"] == []
    assert after["stages"]["impact"]["ratings"]["impact"] == {"count": 1, "mean": 5.0}
    certificate = await http.get(f"/bookings/{booking['id']}/certificate.pdf", headers=me)
    assert certificate.status_code == 409 and "erased" in certificate.json()["detail"]


async def _until_erased(
    http: httpx.AsyncClient, url: str, headers: dict[str, str], timeout: float = 20
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        evaluations: list[dict[str, Any]] = (await http.get(url, headers=headers)).json()
        if evaluations and all(e["answers_erased"] for e in evaluations):
            return evaluations
        await asyncio.sleep(0.2)
    raise AssertionError("the evaluations' answers were not erased in time")
