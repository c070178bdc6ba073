"""Case studies over real HTTP: written by a partnership, quality assured by a county officer,
published for the county, and told on Kafka."""

import json
import time
from typing import Any

from contracts.topics import EVENTS
from eventkit.auth import Role
from support.events import (
    Events,
    Partnership,
    activity_body,
    make_partnership,
    wait_for_directory,
)
from support.kafka import read_topic
from support.membership import Membership


def coordinator(events: Events, p: Partnership) -> dict[str, str]:
    headers: dict[str, str] = events.as_(
        Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id], subject=f"coord-{p.id}"
    )
    return headers


def lead(events: Events, urn: str) -> dict[str, str]:
    headers: dict[str, str] = events.as_(Role.SCHOOL_LEAD, schools=[urn], subject=f"lead-{urn}")
    return headers


async def an_activity(events: Events, p: Partnership) -> str:
    created = await events.http.post(
        "/activities", json=activity_body(p.id), headers=coordinator(events, p)
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def case_study_body(p: Partnership, activity_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "partnership_id": p.id,
        "title": "Maths mastery across the cluster",
        "categories": ["academic", "teacher_development"],
        "aims": "Share a mastery approach to Year 5 and 6 maths between our schools.",
        "background": "Two schools had strong results in reasoning; two wanted to learn.",
        "resources": "Four TeachMeets, paired lesson observations, a shared planning bank.",
        "impact": "Pupils working at greater depth in maths rose from 12% to 21% in a year.",
        "activity_ids": [activity_id],
        "urns": p.schools,
    }
    body.update(changes)
    return body


async def published_on_kafka(kafka_bootstrap: str, key: str, timeout: float = 20) -> list[Any]:
    """The values of the events keyed `key` on the events topic, once a published one is there."""
    deadline = time.monotonic() + timeout
    ours: list[Any] = []
    while time.monotonic() < deadline:
        records = await read_topic(kafka_bootstrap, EVENTS.name, expect=10**9, timeout=1.5)
        ours = [r for r in records if r.key == key.encode()]
        types = [dict(r.headers)["ce_type"].decode() for r in ours]
        if "events.case_study_published.v1" in types:
            return ours
    raise AssertionError(f"no published case study {key} on {EVENTS.name}; saw {ours}")


async def test_a_case_study_goes_from_draft_through_review_to_the_whole_county(
    membership: Membership, events: Events, kafka_bootstrap: str
) -> None:
    ours = await make_partnership(membership, schools=2)
    theirs = await make_partnership(membership, schools=1)
    await wait_for_directory(events, ours)
    await wait_for_directory(events, theirs)
    activity_id = await an_activity(events, ours)
    http, officer = events.http, events.officer
    our_coordinator, their_coordinator = coordinator(events, ours), coordinator(events, theirs)
    person, urn = next(iter(ours.staff.items()))
    our_teacher = events.as_(Role.TEACHER, schools=[urn], person_id=person)
    their_person, their_urn = next(iter(theirs.staff.items()))
    their_teacher = events.as_(Role.TEACHER, schools=[their_urn], person_id=their_person)

    created = await http.post(
        "/case-studies", json=case_study_body(ours, activity_id), headers=our_coordinator
    )
    assert created.status_code == 201, created.text
    case_study = created.json()
    cid = case_study["id"]
    assert case_study["status"] == "draft" and case_study["partnership_id"] == ours.id

    # A draft is not there for another partnership's coordinator, nor for a teacher.
    for outsider in (their_coordinator, our_teacher):
        assert (await http.get(f"/case-studies/{cid}", headers=outsider)).status_code == 404
        listed = await http.get("/case-studies", headers=outsider)
        assert cid not in [c["id"] for c in listed.json()]
    hidden_edit = await http.put(
        f"/case-studies/{cid}", json=case_study_body(ours, activity_id), headers=their_coordinator
    )
    assert hidden_edit.status_code == 404

    # A lead of a linked school edits it; the coordinator submits it.
    edited = await http.put(
        f"/case-studies/{cid}",
        json=case_study_body(ours, activity_id, summary="Greater depth in maths up by 9 points."),
        headers=lead(events, ours.schools[0]),
    )
    assert edited.status_code == 200, edited.text
    submitted = await http.post(f"/case-studies/{cid}/submit", headers=our_coordinator)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    # Only a county officer reviews.
    for not_an_officer in (our_teacher, our_coordinator, lead(events, ours.schools[0])):
        refused = await http.post(f"/case-studies/{cid}/approve", headers=not_an_officer)
        assert refused.status_code == 403 and "county officer" in refused.json()["detail"]

    note = "Tell us how you measured greater depth, and over which cohort."
    returned = await http.post(f"/case-studies/{cid}/return", json={"note": note}, headers=officer)
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    seen_by_lead = await http.get(f"/case-studies/{cid}", headers=lead(events, ours.schools[1]))
    assert seen_by_lead.json()["review_notes"][-1]["note"] == note

    better = "Greater depth rose from 12% to 21% (KS2 teacher assessment, 2023 and 2024 cohorts)."
    fixed = await http.put(
        f"/case-studies/{cid}",
        json=case_study_body(ours, activity_id, impact=better),
        headers=our_coordinator,
    )
    assert fixed.status_code == 200, fixed.text
    assert (await http.post(f"/case-studies/{cid}/submit", headers=our_coordinator)).is_success
    approved = await http.post(
        f"/case-studies/{cid}/approve", json={"note": "A real impact on pupils."}, headers=officer
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    published = await http.post(f"/case-studies/{cid}/publish", headers=our_coordinator)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published" and published.json()["published_at"]

    # Published: readable county-wide, without the officers' notes for outsiders.
    for reader in (their_coordinator, their_teacher):
        read = await http.get(f"/case-studies/{cid}", headers=reader)
        assert read.status_code == 200, read.text
        assert read.json()["content"]["impact"] == better and read.json()["review_notes"] == []
        assert read.json()["content"]["authors"] == []  # no person ids outside
    by_category = await http.get(
        "/case-studies", params={"category": "academic"}, headers=their_teacher
    )
    assert cid in [c["id"] for c in by_category.json()]
    by_urn = await http.get("/case-studies", params={"urn": ours.schools[1]}, headers=officer)
    assert [c["id"] for c in by_urn.json()] == [cid]
    by_partnership = await http.get(
        "/case-studies", params={"partnership_id": ours.id}, headers=their_coordinator
    )
    assert [c["id"] for c in by_partnership.json()] == [cid]
    other_category = await http.get(
        "/case-studies", params={"category": "sport", "partnership_id": ours.id}, headers=officer
    )
    assert other_category.json() == []

    # What other council systems read on Kafka, in order, keyed by the case study.
    records = await published_on_kafka(kafka_bootstrap, cid)
    types = [dict(r.headers)["ce_type"].decode() for r in records]
    assert types == [
        "events.case_study_submitted.v1",
        "events.case_study_returned.v1",
        "events.case_study_submitted.v1",
        "events.case_study_approved.v1",
        "events.case_study_published.v1",
    ]
    data = json.loads(records[-1].value)
    assert data["case_study_id"] == cid and data["partnership_id"] == ours.id
    assert data["title"] == "Maths mastery across the cluster"
    assert data["categories"] == ["academic", "teacher_development"]
    assert data["activity_ids"] == [activity_id] and data["urns"] == ours.schools
    assert data["impact"] == better
    assert data["summary"] == better  # the last edit wrote none: the impact's opening
    assert json.loads(records[1].value)["note"] == note

    # An officer can take it down again: a draft, hidden from the county once more.
    not_yours = await http.post(
        f"/case-studies/{cid}/withdraw", json={"reason": "x"}, headers=our_coordinator
    )
    assert not_yours.status_code == 403
    withdrawn = await http.post(
        f"/case-studies/{cid}/withdraw",
        json={"reason": "A pupil can be identified in a photograph."},
        headers=officer,
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "draft"
    assert (await http.get(f"/case-studies/{cid}", headers=their_teacher)).status_code == 404


async def test_wrong_steps_and_bad_content_get_clear_4xx(
    membership: Membership, events: Events
) -> None:
    ours = await make_partnership(membership, schools=1)
    theirs = await make_partnership(membership, schools=1)
    await wait_for_directory(events, ours)
    await wait_for_directory(events, theirs)
    activity_id = await an_activity(events, ours)
    their_activity = await an_activity(events, theirs)
    http, officer, writer = events.http, events.officer, coordinator(events, ours)

    # Links must belong to the partnership.
    foreign = await http.post(
        "/case-studies", json=case_study_body(ours, their_activity), headers=writer
    )
    assert foreign.status_code == 422 and their_activity in foreign.json()["detail"]
    assert "activity_ids" in foreign.json()["detail"]
    outside_school = await http.post(
        "/case-studies",
        json=case_study_body(ours, activity_id, urns=theirs.schools),
        headers=writer,
    )
    assert outside_school.status_code == 422 and theirs.schools[0] in outside_school.text
    bad = await http.post(
        "/case-studies",
        json=case_study_body(ours, activity_id, title="x", categories=["knitting"]),
        headers=writer,
    )
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["errors"]} >= {"title", 0}
    not_theirs = await http.post(
        "/case-studies",
        json=case_study_body(ours, activity_id),
        headers=coordinator(events, theirs),
    )
    assert not_theirs.status_code == 403

    # Submitting without an impact names the field.
    created = await http.post(
        "/case-studies", json=case_study_body(ours, activity_id, impact=None), headers=writer
    )
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    no_impact = await http.post(f"/case-studies/{cid}/submit", headers=writer)
    assert no_impact.status_code == 422 and "impact" in no_impact.json()["detail"]

    # Steps out of order are conflicts that say what state it is in.
    early = await http.post(f"/case-studies/{cid}/approve", headers=officer)
    assert early.status_code == 409 and "draft" in early.json()["detail"]
    assert (await http.post(f"/case-studies/{cid}/publish", headers=writer)).status_code == 409
    with_impact = case_study_body(ours, activity_id)
    assert (await http.put(f"/case-studies/{cid}", json=with_impact, headers=writer)).is_success
    assert (await http.post(f"/case-studies/{cid}/submit", headers=writer)).is_success
    locked = await http.put(f"/case-studies/{cid}", json=with_impact, headers=writer)
    assert locked.status_code == 409 and "submitted" in locked.json()["detail"]
    again = await http.post(f"/case-studies/{cid}/submit", headers=writer)
    assert again.status_code == 409
    unapproved = await http.post(f"/case-studies/{cid}/publish", headers=writer)
    assert unapproved.status_code == 409 and "approved" in unapproved.json()["detail"]
    no_note = await http.post(f"/case-studies/{cid}/return", json={"note": " "}, headers=officer)
    assert no_note.status_code == 422 and "note" in no_note.text

    # A stale edit is refused rather than overwriting someone else's.
    assert (
        await http.post(f"/case-studies/{cid}/return", json={"note": "More"}, headers=officer)
    ).is_success
    stale = await http.put(
        f"/case-studies/{cid}", json={**with_impact, "version": 1}, headers=writer
    )
    assert stale.status_code == 409 and "version" in stale.json()["detail"]

    bad_filter = await http.get("/case-studies", params={"category": "knitting"}, headers=writer)
    assert bad_filter.status_code == 422 and "category" in bad_filter.text
    missing = await http.get("/case-studies/nope", headers=officer)
    assert missing.status_code == 404
    assert (await http.post("/case-studies/nope/approve", headers=writer)).status_code == 403


async def test_a_school_lead_writes_about_their_own_school_only(
    membership: Membership, events: Events
) -> None:
    ours = await make_partnership(membership, schools=2)
    await wait_for_directory(events, ours)
    activity_id = await an_activity(events, ours)
    http = events.http
    mine, other = ours.schools
    my_lead, other_lead = lead(events, mine), lead(events, other)

    not_linked = await http.post(
        "/case-studies", json=case_study_body(ours, activity_id, urns=[other]), headers=my_lead
    )
    assert not_linked.status_code == 403
    created = await http.post(
        "/case-studies", json=case_study_body(ours, activity_id, urns=[mine]), headers=my_lead
    )
    assert created.status_code == 201, created.text
    cid = created.json()["id"]

    assert (await http.get(f"/case-studies/{cid}", headers=other_lead)).status_code == 404
    mine_listed = await http.get("/case-studies", headers=my_lead)
    assert [c["id"] for c in mine_listed.json()] == [cid]
    dropped = await http.put(
        f"/case-studies/{cid}",
        json=case_study_body(ours, activity_id, urns=[other]),
        headers=my_lead,
    )
    assert dropped.status_code == 403 and "urns" in dropped.json()["detail"]
    submitted = await http.post(f"/case-studies/{cid}/submit", headers=my_lead)
    assert submitted.status_code == 200, submitted.text
    assert (await http.post(f"/case-studies/{cid}/approve", headers=events.officer)).is_success
    refused = await http.post(f"/case-studies/{cid}/publish", headers=my_lead)
    assert refused.status_code == 403 and "coordinators" in refused.json()["detail"]
