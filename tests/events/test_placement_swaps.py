"""Two-way placement swaps over real HTTP: East Kent's trainee teachers swap places between two
member schools, each hosted and mentored at the other, agreed by both schools' leads; a leg is
rescheduled, the visitor sees it in their calendar; a swap recorded afterwards is agreed by the
coordinator for both and completed. Who may do what, bad input named, and the events published
(ids, URNs and dates, never names)."""

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from contracts.topics import EVENTS
from eventkit.auth import Role
from support.events import Events, Partnership, make_partnership, wait_for_directory
from support.kafka import ce_type, records_about
from support.membership import Membership

pytestmark = pytest.mark.integration

TERM = date.today() + timedelta(days=40)


@dataclass
class EastKent:
    """Three member schools, each with a teacher (a mentor); trainees at the first two."""

    partnership: Partnership
    teachers: list[str]
    trainees: list[str]

    @property
    def id(self) -> str:
        return self.partnership.id

    @property
    def schools(self) -> list[str]:
        return self.partnership.schools


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


async def add_trainee(membership: Membership, urn: str) -> str:
    person = {
        "name": f"Trainee of {urn}",
        "email": f"trainee.{urn}@school.example",
        "role": {"role": "trainee", "urn": urn, "starts_on": "2020-01-01"},
    }
    return str(
        ok(await membership.http.post("/people", json=person, headers=membership.officer), 201)[
            "id"
        ]
    )


@pytest.fixture
async def east_kent(membership: Membership, events: Events) -> EastKent:
    partnership = await make_partnership(membership, schools=3)
    teachers = list(partnership.staff)
    trainees = [await add_trainee(membership, urn) for urn in partnership.schools[:2]]
    partnership.staff.update(zip(trainees, partnership.schools[:2], strict=True))
    await wait_for_directory(events, partnership)
    return EastKent(partnership, teachers, trainees)


def lead(events: Events, urn: str) -> dict[str, str]:
    headers: dict[str, str] = events.as_(Role.SCHOOL_LEAD, schools=[urn], person_id=f"lead-{urn}")
    return headers


def coordinator(events: Events, pid: str) -> dict[str, str]:
    headers: dict[str, str] = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[pid])
    return headers


def swap_body(k: EastKent, starts: date = TERM, **changes: Any) -> dict[str, Any]:
    """The first school hosts the second's trainee, and the other way round, a fortnight apart."""
    first, second = k.schools[:2]
    body: dict[str, Any] = {
        "partnership_id": k.id,
        "legs": [
            {
                "host_urn": first,
                "visitor_urn": second,
                "visitor_id": k.trainees[1],
                "mentor_id": k.teachers[0],
                "starts_on": starts.isoformat(),
                "ends_on": (starts + timedelta(days=4)).isoformat(),
            },
            {
                "host_urn": second,
                "visitor_urn": first,
                "visitor_id": k.trainees[0],
                "mentor_id": k.teachers[1],
                "starts_on": (starts + timedelta(days=14)).isoformat(),
                "ends_on": (starts + timedelta(days=18)).isoformat(),
            },
        ],
    }
    body.update(changes)
    return body


async def test_two_schools_swap_trainees_both_ways_and_the_visitor_sees_it(
    events: Events, east_kent: EastKent
) -> None:
    k, http = east_kent, events.http
    first, second = k.schools[:2]
    coord = coordinator(events, k.id)
    grouping = {
        "title": "Trainee placement swaps 2026/27",
        "category": "teacher_development",
        "format": "trainee_placement_swap",
        "partnership_id": k.id,
        "venue": "Member schools",
        "sessions": [{"starts_at": f"{TERM}T08:30:00+00:00", "ends_at": f"{TERM}T16:00:00+00:00"}],
        "capacity": 10,
    }
    activity = ok(await http.post("/activities", json=grouping, headers=coord), 201)["id"]

    proposed = ok(
        await http.post(
            "/placement-swaps", json=swap_body(k, activity_id=activity), headers=lead(events, first)
        ),
        201,
    )
    sid = proposed["id"]
    assert proposed["status"] == "proposed" and proposed["activity_id"] == activity
    assert [(leg["host_urn"], leg["visitor_id"]) for leg in proposed["legs"]] == [
        (first, k.trainees[1]),
        (second, k.trainees[0]),
    ]

    half = ok(await http.post(f"/placement-swaps/{sid}/agree", headers=lead(events, first)))
    assert half["status"] == "proposed"
    assert [a["urn"] for a in half["agreements"]] == [first]
    agreed = ok(await http.post(f"/placement-swaps/{sid}/agree", headers=lead(events, second)))
    assert agreed["status"] == "agreed"
    assert [(a["urn"], a["by"]) for a in agreed["agreements"]] == [
        (first, f"lead-{first}"),
        (second, f"lead-{second}"),
    ]

    later = {
        "starts_on": (TERM + timedelta(days=21)).isoformat(),
        "ends_on": (TERM + timedelta(days=25)).isoformat(),
    }
    moved = ok(
        await http.post(
            f"/placement-swaps/{sid}/legs/{second}/reschedule", json=later, headers=coord
        )
    )
    assert moved["legs"][1]["starts_on"] == later["starts_on"]
    assert moved["status"] == "agreed"
    too_soon = await http.post(f"/placement-swaps/{sid}/complete", headers=coord)
    assert too_soon.status_code == 409 and "both legs are over" in too_soon.json()["detail"]

    visitor = events.as_(Role.TEACHER, schools=[first], person_id=k.trainees[0])
    mentor = events.as_(Role.TEACHER, schools=[second], person_id=k.teachers[1])
    for reader in (visitor, mentor, lead(events, second), coord, events.officer):
        assert ok(await http.get(f"/placement-swaps/{sid}", headers=reader))["id"] == sid
    listed = ok(await http.get(f"/partnerships/{k.id}/placement-swaps", headers=visitor))
    assert [s["id"] for s in listed] == [sid]

    feed = await http.get(f"/people/{k.trainees[0]}/calendar.ics", headers=visitor)
    assert feed.status_code == 200, feed.text
    [placement] = Calendar.from_ical(feed.content).events
    assert str(placement["SUMMARY"]) == f"Placement swap at School {second}"
    assert placement["DTSTART"].dt == date.fromisoformat(later["starts_on"])
    assert str(placement["STATUS"]) == "CONFIRMED"

    records = await records_about(
        events.settings.kafka_bootstrap_servers, sid, expect=3, topic=EVENTS
    )
    assert [ce_type(r) for r in records] == [
        "events.placement_swap_proposed.v1",
        "events.placement_swap_agreed.v1",
        "events.placement_swap_rescheduled.v1",
    ]
    told = json.loads(records[0].value or b"{}")
    assert told["legs"][0] == {
        "host_urn": first,
        "visitor_urn": second,
        "visitor_id": k.trainees[1],
        "mentor_id": k.teachers[0],
        "starts_on": TERM.isoformat(),
        "ends_on": (TERM + timedelta(days=4)).isoformat(),
    }
    assert json.loads(records[1].value or b"{}")["agreed_by_leads"] == sorted([first, second])
    assert all(b"Trainee of" not in (r.value or b"") for r in records)


async def test_a_coordinator_agrees_for_both_schools_and_completes_a_past_swap(
    events: Events, east_kent: EastKent
) -> None:
    k, http = east_kent, events.http
    coord = coordinator(events, k.id)
    past = date.today() - timedelta(days=60)
    sid = ok(await http.post("/placement-swaps", json=swap_body(k, past), headers=coord), 201)["id"]
    agreed = ok(await http.post(f"/placement-swaps/{sid}/agree", headers=coord))
    assert agreed["status"] == "agreed"
    assert all(a["by_coordinator"] for a in agreed["agreements"])
    done = ok(
        await http.post(f"/placement-swaps/{sid}/complete", headers=lead(events, k.schools[1]))
    )
    assert (done["status"], done["completed_on"]) == ("completed", date.today().isoformat())
    late = await http.post(f"/placement-swaps/{sid}/cancel", headers=coord)
    assert late.status_code == 409

    second = ok(await http.post("/placement-swaps", json=swap_body(k), headers=coord), 201)["id"]
    cancelled = ok(
        await http.post(
            f"/placement-swaps/{second}/cancel",
            json={"reason": "The host school's mentor is on leave"},
            headers=lead(events, k.schools[0]),
        )
    )
    assert cancelled["status"] == "cancelled"
    listed = ok(
        await http.get(f"/partnerships/{k.id}/placement-swaps?status=completed", headers=coord)
    )
    assert [s["id"] for s in listed] == [sid]

    records = await records_about(
        events.settings.kafka_bootstrap_servers, sid, second, expect=5, topic=EVENTS
    )
    assert sorted(ce_type(r) for r in records) == [
        "events.placement_swap_agreed.v1",
        "events.placement_swap_cancelled.v1",
        "events.placement_swap_completed.v1",
        "events.placement_swap_proposed.v1",
        "events.placement_swap_proposed.v1",
    ]
    cancel = next(r for r in records if ce_type(r).endswith("cancelled.v1"))
    assert b"on leave" not in (cancel.value or b"")


def refused(response: httpx.Response, where: str, words: str) -> None:
    """A 422 naming the field: in a validation error's location and message, or in the detail."""
    assert response.status_code == 422, response.text
    body = response.json()
    said = [".".join(map(str, e["loc"])) + " " + e["msg"] for e in body["errors"]]
    said.append(body["detail"])
    assert any(where in s and words in s for s in said), (where, words, body)


async def test_bad_swaps_are_refused_naming_the_field(
    membership: Membership, events: Events, east_kent: EastKent
) -> None:
    k, http = east_kent, events.http
    coord = coordinator(events, k.id)
    first, _, third = k.schools
    body = swap_body(k)
    one, other = body["legs"]
    day_before = (date.fromisoformat(other["starts_on"]) - timedelta(days=1)).isoformat()
    outsider = str(800000 + uuid.uuid4().int % 199999)
    registered = {"urn": outsider, "name": "Outside School", "phase": "primary", "sector": "state"}
    ok(await membership.http.post("/schools", json=registered, headers=membership.officer), 201)
    teachmeet = {
        "title": "Maths TeachMeet",
        "category": "teacher_development",
        "format": "teachmeet",
        "partnership_id": k.id,
        "venue": "Dover",
        "sessions": [{"starts_at": f"{TERM}T16:00:00+00:00", "ends_at": f"{TERM}T18:00:00+00:00"}],
        "capacity": 10,
    }
    not_a_swap = ok(await http.post("/activities", json=teachmeet, headers=coord), 201)["id"]
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({**body, "legs": [one, {**other, "host_urn": third}]}, "body", "other way"),
        ({**body, "legs": [one, one]}, "body", "other way"),
        ({**body, "legs": [one]}, "body.legs", "at least 2"),
        ({**body, "legs": [{**one, "visitor_urn": first}, other]}, "body.legs.0", "itself"),
        ({**body, "legs": [one, {**other, "ends_on": day_before}]}, "body.legs.1", "ends_on"),
        (
            {**body, "legs": [one, {**other, "starts_on": "2026-02-30"}]},
            "body.legs.1.starts_on",
            "date",
        ),
        (
            {**body, "legs": [{**one, "visitor_id": k.teachers[0]}, other]},
            "legs.0.visitor_id",
            "trainee or teacher",
        ),
        (
            {**body, "legs": [one, {**other, "mentor_id": k.teachers[2]}]},
            "legs.1.mentor_id",
            "staff",
        ),
        (
            {**body, "legs": [{**one, "host_urn": outsider}, {**other, "visitor_urn": outsider}]},
            "legs.0.host_urn",
            "not an active member",
        ),
        ({**body, "activity_id": not_a_swap}, "activity_id", "trainee_placement_swap"),
        ({**body, "activity_id": "nosuch"}, "activity_id", "trainee_placement_swap"),
    ]
    for bad, where, words in cases:
        refused(await http.post("/placement-swaps", json=bad, headers=coord), where, words)

    sid = ok(await http.post("/placement-swaps", json=body, headers=coord), 201)["id"]
    backwards = {"starts_on": "2027-03-10", "ends_on": "2027-03-01"}
    url = f"/placement-swaps/{sid}/legs/{first}/reschedule"
    refused(await http.post(url, json=backwards, headers=coord), "body", "ends_on")
    missing = await http.post(
        f"/placement-swaps/{sid}/legs/{third}/reschedule",
        json={"starts_on": "2027-03-01", "ends_on": "2027-03-05"},
        headers=coord,
    )
    assert missing.status_code == 404 and "hosted by school" in missing.json()["detail"]
    malformed = await http.post(
        f"/placement-swaps/{sid}/legs/12ab/reschedule", json=backwards, headers=coord
    )
    refused(malformed, "path.host_urn", "pattern")


async def test_who_may_see_and_do_what(
    membership: Membership, events: Events, east_kent: EastKent
) -> None:
    k, http = east_kent, events.http
    first, second, third = k.schools
    other = await make_partnership(membership, schools=1)
    await wait_for_directory(events, other)
    sid = ok(
        await http.post("/placement-swaps", json=swap_body(k), headers=coordinator(events, k.id)),
        201,
    )["id"]

    foreign = coordinator(events, other.id)
    unknown = await http.get("/placement-swaps/000000000000", headers=foreign)
    theirs = await http.get(f"/placement-swaps/{sid}", headers=foreign)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["detail"].replace(sid, "?") == unknown.json()["detail"].replace(
        "000000000000", "?"
    )
    listing = await http.get(f"/partnerships/{k.id}/placement-swaps", headers=foreign)
    nowhere = await http.get("/partnerships/nosuchpartner/placement-swaps", headers=foreign)
    assert listing.status_code == nowhere.status_code == 404
    for path in (f"/placement-swaps/{sid}/agree", f"/placement-swaps/{sid}/cancel"):
        assert (await http.post(path, headers=foreign)).status_code == 404
    proposed_there = await http.post("/placement-swaps", json=swap_body(k), headers=foreign)
    assert proposed_there.status_code == 404

    bystander = events.as_(Role.TEACHER, schools=[first], person_id="someone-else")
    assert (await http.get(f"/placement-swaps/{sid}", headers=bystander)).status_code == 404
    assert ok(await http.get(f"/partnerships/{k.id}/placement-swaps", headers=bystander)) == []
    third_lead = lead(events, third)
    assert (await http.get(f"/placement-swaps/{sid}", headers=third_lead)).status_code == 404

    visitor = events.as_(Role.TEACHER, schools=[second], person_id=k.trainees[1])
    for path in ("agree", "complete", "cancel"):
        refusal = await http.post(f"/placement-swaps/{sid}/{path}", headers=visitor)
        assert refusal.status_code == 403, (path, refusal.text)
    assert (
        await http.post("/placement-swaps", json=swap_body(k), headers=visitor)
    ).status_code == 403
    not_a_party = await http.post("/placement-swaps", json=swap_body(k), headers=third_lead)
    assert not_a_party.status_code == 403
    agreed = ok(await http.post(f"/placement-swaps/{sid}/agree", headers=lead(events, first)))
    assert agreed["status"] == "proposed"
    again = ok(await http.post(f"/placement-swaps/{sid}/agree", headers=lead(events, first)))
    assert again["agreements"] == agreed["agreements"]
