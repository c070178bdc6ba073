"""Peer review over real HTTP, Lincolnshire's sector-led improvement: the heads of two member
schools review a third against the focus areas it chose, visit, report strengths and areas for
development; the reviewed school agrees actions, follows them up, shares what it found with the
partnership and then the county, and closes the review. Told on Kafka without a word of it."""

import json
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer

from contracts.topics import EVENTS
from eventkit.auth import Role
from support.events import Events, Partnership, wait_for_directory
from support.membership import Membership
from support.problems import problem

pytestmark = pytest.mark.integration

TODAY = date.today()
VISIT = TODAY - timedelta(days=14)
READING, MATHS = "Reading in key stage 1", "Maths reasoning in upper key stage 2"
FINDINGS = [
    {"focus_area": READING, "kind": "strength", "text": "Phonics is taught daily, with pace"},
    {"focus_area": READING, "kind": "area_for_development", "text": "Books match few readers"},
    {"focus_area": MATHS, "kind": "strength", "text": "Pupils explain their reasoning aloud"},
]
WORDS = ("Phonics", "Books match", "reasoning aloud", "Reading", "Maths", "decodable", "Re-level")
"""What the review says: never on Kafka."""


@dataclass
class Lincolnshire:
    """The learning partnership board: the school reviewed, two schools whose heads review
    it, a fourth member school; the people; and another county partnership."""

    id: str
    reviewed: str
    reviewing: list[str]
    fourth: str
    reviewers: list[str]  # person ids of the two heads
    reviewed_head: str
    reviewed_teacher: str
    reviewing_teacher: str
    other_partnership: str


async def school(membership: Membership, name: str) -> str:
    urn = str(800000 + uuid.uuid4().int % 199999)
    body = {"urn": urn, "name": name, "phase": "primary", "sector": "state", "la_code": "925"}
    made = await membership.http.post("/schools", json=body, headers=membership.officer)
    assert made.status_code == 201, made.text
    return urn


async def partnership(membership: Membership, name: str, urns: list[str]) -> str:
    http, officer = membership.http, membership.officer
    body = {"name": f"{name} {uuid.uuid4().hex[:6]}", "kind": "board"}
    created = await http.post("/partnerships", json=body, headers=officer)
    assert created.status_code == 201, created.text
    pid = str(created.json()["id"])
    for urn in urns:
        joined = await http.post(f"/partnerships/{pid}/members", json={"urn": urn}, headers=officer)
        assert joined.status_code == 200, joined.text
    return pid


async def person(membership: Membership, name: str, role: str, urn: str) -> str:
    body = {
        "name": name,
        "email": f"{uuid.uuid4().hex[:8]}@school.example",
        "role": {"role": role, "urn": urn, "starts_on": "2020-01-01"},
    }
    added = await membership.http.post("/people", json=body, headers=membership.officer)
    assert added.status_code == 201, added.text
    return str(added.json()["id"])


@pytest.fixture
async def lincs(membership: Membership, events: Events) -> Lincolnshire:
    names = ["Welton Primary", "Nettleham Junior", "Branston Primary", "Cherry Willingham"]
    reviewed, first, second, fourth = [await school(membership, n) for n in names]
    pid = await partnership(
        membership, "Lincolnshire Learning Partnership", [reviewed, first, second, fourth]
    )
    outside = await school(membership, "Spalding Primary")
    other = await partnership(membership, "Fenland Cluster", [outside])
    staff = {
        await person(membership, "Head of Nettleham", "head", first): first,
        await person(membership, "Deputy of Branston", "senior_leader", second): second,
        await person(membership, "Head of Welton", "head", reviewed): reviewed,
        await person(membership, "Teacher at Welton", "teacher", reviewed): reviewed,
        await person(membership, "Teacher at Nettleham", "teacher", first): first,
    }
    ids = list(staff)
    await wait_for_directory(
        events, Partnership(pid, [reviewed, first, second, fourth], staff), timeout=90
    )
    await wait_for_directory(events, Partnership(other, [outside], {}), timeout=90)
    return Lincolnshire(
        pid, reviewed, [first, second], fourth, ids[:2], ids[2], ids[3], ids[4], other
    )


def lead(events: Events, urn: str, person_id: str | None = None) -> dict[str, str]:
    headers: dict[str, str] = events.as_(
        Role.SCHOOL_LEAD, schools=[urn], person_id=person_id, subject=person_id or f"lead-{urn}"
    )
    return headers


def coordinator(events: Events, pid: str) -> dict[str, str]:
    headers: dict[str, str] = events.as_(
        Role.PARTNERSHIP_COORDINATOR, partnerships=[pid], subject=f"coordinator-{pid}"
    )
    return headers


def plan_body(s: Lincolnshire, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "partnership_id": s.id,
        "reviewed_urn": s.reviewed,
        "reviewer_ids": s.reviewers,
        "focus_areas": [READING, MATHS],
        "categories": ["school_improvement", "academic"],
        "visit_dates": [VISIT.isoformat()],
    }
    body.update(changes)
    return body


async def told_about(bootstrap: str, subject: str, count: int) -> list[tuple[str, Any]]:
    """(type, data) of the events on the events topic about `subject`, once `count` are there."""
    consumer = AIOKafkaConsumer(
        EVENTS.name, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[tuple[str, Any]] = []
    try:
        deadline = time.monotonic() + 20
        while len(found) < count and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=300)).values():
                for r in records:
                    headers = {k: v.decode() for k, v in r.headers}
                    if headers.get("ce_subject") == subject:
                        found.append((headers["ce_type"], json.loads(r.value or b"{}")))
        return found
    finally:
        await consumer.stop()


async def test_two_heads_review_a_school_which_closes_its_actions_and_shares_them(
    events: Events, lincs: Lincolnshire, kafka_bootstrap: str
) -> None:
    s, http = lincs, events.http
    head = lead(events, s.reviewed, s.reviewed_head)
    reviewer, deputy = (
        lead(events, urn, pid) for urn, pid in zip(s.reviewing, s.reviewers, strict=True)
    )
    fourth_lead, officer = lead(events, s.fourth), events.officer

    planned = await http.post("/peer-reviews", json=plan_body(s), headers=coordinator(events, s.id))
    assert planned.status_code == 201, planned.text
    review = planned.json()
    rid, url = review["id"], f"/peer-reviews/{review['id']}"
    assert (review["status"], review["sharing"]) == ("planned", "school_and_reviewers")
    assert review["reviewer_ids"] == s.reviewers and review["focus_areas"] == [READING, MATHS]

    visited = await http.post(f"{url}/visit", headers=reviewer)
    assert visited.status_code == 200, visited.text
    assert (visited.json()["status"], visited.json()["visit_dates"]) == (
        "visited",
        [VISIT.isoformat()],
    )
    reported = await http.put(f"{url}/findings", json={"findings": FINDINGS}, headers=deputy)
    assert reported.status_code == 200, reported.text
    assert reported.json()["status"] == "reported"
    assert (reported.json()["strengths"], reported.json()["areas_for_development"]) == (2, 1)

    due = (TODAY + timedelta(days=90)).isoformat()
    actions = [
        {
            "text": "Re-level the decodable books",
            "due_on": due,
            "owner_person_id": s.reviewed_teacher,
        },
        {"text": "Reasoning prompts in every maths lesson", "due_on": due},
    ]
    for body in actions:
        agreed = await http.post(f"{url}/actions", json=body, headers=head)
        assert agreed.status_code == 201, agreed.text
    first, second = (a["id"] for a in agreed.json()["actions"])
    followed = await http.post(
        f"{url}/actions/{first}/follow-up", json={"note": "Half the books done"}, headers=head
    )
    assert followed.status_code == 200, followed.text
    done = await http.post(f"{url}/actions/{first}/done", headers=head)
    assert done.status_code == 200, done.text
    assert done.json()["actions_done"] == 1
    assert done.json()["actions"][0]["follow_ups"][0]["note"] == "Half the books done"

    # Beyond the school and its reviewers, nobody reads the findings until the school shares.
    async def shown(headers: dict[str, str]) -> bool:
        got = await http.get(url, headers=headers)
        assert got.status_code == 200, got.text
        assert (got.json()["findings"] is None) == (got.json()["actions"] is None)
        return bool(got.json()["findings_shown"])

    for insider in (head, reviewer, deputy):
        assert await shown(insider)
    hidden = (await http.get(url, headers=fourth_lead)).json()
    assert hidden["findings"] is None and hidden["actions_agreed"] == 2
    assert "Books match" not in json.dumps(hidden)
    assert not await shown(officer) and not await shown(coordinator(events, s.id))
    assert (await http.put(f"{url}/sharing", json={"sharing": "partnership"}, headers=head)).json()[
        "sharing"
    ] == "partnership"
    assert await shown(fourth_lead) and await shown(coordinator(events, s.id))
    assert not await shown(officer)
    assert not await shown(events.as_(Role.TEACHER, schools=[s.fourth]))
    county = await http.put(f"{url}/sharing", json={"sharing": "county"}, headers=head)
    assert county.status_code == 200, county.text
    assert await shown(officer)

    early = await http.post(f"{url}/close", headers=head)
    assert early.status_code == 422, early.text
    assert early.json()["detail"].startswith("reasons: 1 of the agreed actions are not done")
    closed = await http.post(
        f"{url}/close", json={"reasons": "Maths prompts go into next year's plan"}, headers=head
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and second

    listed = await http.get(f"/partnerships/{s.id}/peer-reviews", headers=fourth_lead)
    assert listed.status_code == 200, listed.text
    assert [r["id"] for r in listed.json()] == [rid]

    told = await told_about(kafka_bootstrap, rid, count=10)
    assert [t for t, _ in told] == [
        "events.peer_review_planned.v1",
        "events.peer_review_visited.v1",
        "events.peer_review_reported.v1",
        "events.peer_review_action_agreed.v1",
        "events.peer_review_action_agreed.v1",
        "events.peer_review_action_followed_up.v1",
        "events.peer_review_action_done.v1",
        "events.peer_review_sharing_changed.v1",
        "events.peer_review_sharing_changed.v1",
        "events.peer_review_closed.v1",
    ]
    data = dict(told)
    assert data["events.peer_review_planned.v1"] == {
        "review_id": rid,
        "partnership_id": s.id,
        "reviewed_urn": s.reviewed,
        "reviewer_ids": s.reviewers,
        "focus_area_count": 2,
        "categories": ["academic", "school_improvement"],
        "visit_dates": [VISIT.isoformat()],
        "sharing": "school_and_reviewers",
    }
    assert data["events.peer_review_reported.v1"]["strengths"] == 2
    assert data["events.peer_review_closed.v1"]["with_reasons"] is True
    said = json.dumps([d for _, d in told])
    assert [w for w in (*WORDS, "next year", "Half the books") if w in said] == []


async def test_another_partnership_sees_no_review_and_bad_input_is_named(
    events: Events, lincs: Lincolnshire
) -> None:
    s, http = lincs, events.http
    coord, head = coordinator(events, s.id), lead(events, s.reviewed, s.reviewed_head)
    made = await http.post("/peer-reviews", json=plan_body(s), headers=coord)
    assert made.status_code == 201, made.text
    rid, url = made.json()["id"], f"/peer-reviews/{made.json()['id']}"
    made_up = "0" * len(rid)

    # Another partnership's coordinator: as if neither the review nor the partnership existed.
    foreign = coordinator(events, s.other_partnership)
    for path, what in ((url, f"peer review {rid}"), (f"/partnerships/{s.id}/peer-reviews", "")):
        got = await http.get(path, headers=foreign)
        detail = f"no {what}" if what else f"no partnership {s.id}"
        assert (got.status_code, got.json()) == (404, problem(404, detail))
    missing = await http.get(f"/peer-reviews/{made_up}", headers=foreign)
    assert missing.json() == problem(404, f"no peer review {made_up}")
    sharing = await http.put(f"{url}/sharing", json={"sharing": "county"}, headers=foreign)
    assert sharing.status_code == 404
    planned_there = await http.post("/peer-reviews", json=plan_body(s), headers=foreign)
    assert planned_there.json() == problem(404, f"no partnership {s.id}")

    # Bad plans: 422 naming the field.
    async def refused(body: dict[str, Any]) -> str:
        answer = await http.post("/peer-reviews", json=body, headers=coord)
        assert answer.status_code == 422, answer.text
        errors = [".".join(map(str, e["loc"])) for e in answer.json()["errors"]]
        return ", ".join(errors) or str(answer.json()["detail"])

    from_itself = await refused(plan_body(s, reviewer_ids=[s.reviewed_head]))
    assert from_itself.startswith(f"reviewer_ids.0: person {s.reviewed_head} is on the staff")
    teacher = await refused(plan_body(s, reviewer_ids=[s.reviewers[0], s.reviewing_teacher]))
    assert teacher.startswith(f"reviewer_ids.1: person {s.reviewing_teacher} is not a current")
    outsider = await refused(plan_body(s, reviewed_urn="100001"))
    assert outsider.startswith("reviewed_urn: school 100001 is not an active member")
    assert await refused(plan_body(s, focus_areas=[])) == "body.focus_areas"
    assert await refused(plan_body(s, reviewer_ids=[])) == "body.reviewer_ids"

    # Out of order: 409; not theirs to do: 403; findings and actions that do not fit: 422.
    early = await http.put(f"{url}/findings", json={"findings": FINDINGS}, headers=coord)
    assert early.status_code == 409, early.text
    assert early.json()["detail"].endswith("record the visit first")
    teacher_headers = events.as_(Role.TEACHER, schools=[s.reviewing[0]], person_id="t-1")
    assert (await http.post(f"{url}/visit", headers=teacher_headers)).status_code == 403
    assert (await http.post(f"{url}/visit", headers=coord)).status_code == 200
    assert (await http.post(f"{url}/visit", headers=coord)).status_code == 409
    stray = [{"focus_area": "Attendance", "kind": "strength", "text": "Good"}]
    off_focus = await http.put(f"{url}/findings", json={"findings": stray}, headers=coord)
    assert off_focus.status_code == 422
    assert off_focus.json()["detail"].startswith("findings.0.focus_area: not one of")
    unknown_kind = [{**FINDINGS[0], "kind": "weakness"}]
    bad_kind = await http.put(f"{url}/findings", json={"findings": unknown_kind}, headers=coord)
    assert bad_kind.json()["errors"][0]["loc"] == ["body", "findings", 0, "kind"]
    assert (
        await http.put(f"{url}/findings", json={"findings": FINDINGS}, headers=coord)
    ).status_code == 200
    before = (VISIT - timedelta(days=1)).isoformat()
    late = await http.post(f"{url}/actions", json={"text": "x", "due_on": before}, headers=head)
    assert late.status_code == 422
    assert late.json()["detail"].startswith("due_on: an action falls due after the visit")
    by_reviewer = lead(events, s.reviewing[0], s.reviewers[0])
    assert (
        await http.post(
            f"{url}/actions", json={"text": "x", "due_on": TODAY.isoformat()}, headers=by_reviewer
        )
    ).status_code == 403
    odd = await http.put(f"{url}/sharing", json={"sharing": "everyone"}, headers=head)
    assert odd.json()["errors"][0]["loc"] == ["body", "sharing"]
    assert (
        await http.put(f"{url}/sharing", json={"sharing": "county"}, headers=by_reviewer)
    ).status_code == 403
    withdrawn = await http.post(f"{url}/withdraw", json={"reason": "New head"}, headers=head)
    assert withdrawn.json()["status"] == "withdrawn"
    assert (await http.post(f"{url}/close", headers=head)).status_code == 409
