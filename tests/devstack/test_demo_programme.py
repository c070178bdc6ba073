"""The demo's second part against real membership and events services over HTTP, run twice:
East Kent's programme (bookings, a waitlist promotion, attendance, an evaluation, a certificate,
a published case study) and a Suffolk support request matched to a teaching school, all seen
through the events API, its events on the broker and its iCalendar feeds."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from icalendar import Calendar
from pypdf import PdfReader

from contracts.topics import EVENTS
from devstack import demo
from devstack.demo_data import (
    CAMBRIDGESHIRE_PARTNERSHIP,
    EAST_KENT_PARTNERSHIP,
    KESGRAVE,
    SPRINGFIELD_JUNIOR,
    SUFFOLK_PARTNERSHIP,
    THANET_BAY,
    WANTSUM,
)
from devstack.demo_programme import ProgrammeSummary, format_programme, load_programme
from devstack.demo_programme_data import (
    CLUSTER_MEETING,
    DEBATING_CASE_STUDY,
    DEBATING_DAY,
    DEBATING_PUPILS,
    EAST_KENT_ACTIVITIES,
    PLACEMENT_SWAP,
    REMINDER_DUE,
    TEACHMEET,
)
from eventkit.auth import Role
from support.events import Events
from support.issuer import signing_key
from support.membership import Membership

pytestmark = pytest.mark.integration

Json = dict[str, Any]


async def get(events: Events, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = await events.http.get(path, headers=headers, params=params)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    return response.json()


async def state(events: Events, east_kent: str, suffolk: str) -> Json:
    """What the programme left, as a county officer reads it through the events API."""
    officer = events.officer
    activities = [
        a
        for a in await get(events, "/activities", officer)
        if a["details"]["partnership_id"] == east_kent
    ]
    return {
        "activities": sorted(activities, key=lambda a: a["id"]),
        "bookings": {
            a["id"]: sorted(
                await get(events, f"/activities/{a['id']}/bookings", officer), key=lambda b: b["id"]
            )
            for a in activities
        },
        "case_studies": await get(events, "/case-studies", officer, partnership_id=east_kent),
        "support": await get(events, "/support-requests", officer, partnership_id=suffolk),
    }


async def told_about(
    bootstrap: str, activity_id: str, booking_id: str, last_from: str
) -> list[tuple[str, Json]]:
    """(type, data) of the events about one booking on the events topic, in commit order, once
    its last expected change (from the status `last_from`) is there."""
    consumer = AIOKafkaConsumer(
        EVENTS.name, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    told: list[tuple[str, Json]] = []
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=300)).values():
                for r in records:
                    data = json.loads(r.value or b"{}")
                    if r.key == activity_id.encode() and data.get("booking_id") == booking_id:
                        told.append((dict(r.headers)["ce_type"].decode(), data))
            if any(data.get("previous") == last_from for _, data in told):
                break
        return told
    finally:
        await consumer.stop()


async def test_the_demo_runs_east_kents_programme_and_suffolks_support_once(
    membership: Membership, events: Events, kafka_bootstrap: str
) -> None:
    key = signing_key()
    partnerships = await demo.load_demo(membership.url, key)
    started = datetime.now(UTC)
    first = await load_programme(membership.url, events.url, key, partnerships)

    ids = {o.name: o.id for o in partnerships.partnerships}
    east_kent, suffolk = ids[EAST_KENT_PARTNERSHIP.name], ids[SUFFOLK_PARTNERSHIP.name]
    before = await state(events, east_kent, suffolk)

    # Four East Kent activities, published: a TeachMeet, a placement swap, a debating day and a
    # cluster meeting.
    activities = {a["details"]["title"]: a for a in before["activities"]}
    assert set(activities) == {seed.title for seed in EAST_KENT_ACTIVITIES}
    assert {a["details"]["format"] for a in activities.values()} == {
        "teachmeet",
        "trainee_placement_swap",
        "pupil_activity",
        "cluster_meeting",
    }
    assert all(a["status"] == "published" for a in activities.values())
    teachmeet = activities[TEACHMEET.title]
    assert teachmeet["id"] == first.teachmeet_id

    # The TeachMeet: two places; one cancelled, the waitlisted booking was offered it and took it.
    tm_bookings = {b["id"]: b for b in before["bookings"][teachmeet["id"]]}
    assert sorted(b["status"] for b in tm_bookings.values()) == [
        "attended",
        "cancelled",
        "registered",
    ]
    assert tm_bookings[first.promoted_booking_id]["status"] == "registered"
    assert teachmeet["places_taken"] == teachmeet["details"]["capacity"] == 2
    told = await told_about(kafka_bootstrap, teachmeet["id"], first.promoted_booking_id, "offered")
    moves = [
        (d.get("previous"), d["status"])
        for kind, d in told
        if kind in ("events.booking_placed.v1", "events.booking_status_changed.v1")
    ]
    assert moves == [(None, "waitlisted"), ("waitlisted", "offered"), ("offered", "registered")]

    # Attendance by code, an on-the-day evaluation, and the certificate it releases.
    attended = tm_bookings[first.attended_booking_id]
    assert attended["status"] == "attended"
    attendee = events.as_(
        Role.TEACHER, schools=[THANET_BAY.urn], person_id=first.attendee_id, subject="priya"
    )
    evaluations = await get(events, f"/bookings/{attended['id']}/evaluations", attendee)
    assert [e["stage"] for e in evaluations] == ["on_the_day"]
    certificate = await events.http.get(
        f"/bookings/{attended['id']}/certificate.pdf", headers=attendee
    )
    assert certificate.status_code == 200
    assert certificate.headers["content-type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(certificate.content)).pages
    )
    assert "Priya Shah" in text and "TeachMeet" in text

    # Trainees on the placement swap; pupil places (counts, no names) on the debating day.
    swap = before["bookings"][activities[PLACEMENT_SWAP.title]["id"]]
    assert [b["status"] for b in swap] == ["registered", "registered"]
    debating = activities[DEBATING_DAY.title]
    pupils = before["bookings"][debating["id"]]
    assert {b["urn"]: b["pupils"] for b in pupils} == {s.urn: n for s, n in DEBATING_PUPILS}
    assert all(b["person_id"] is None and b["status"] == "registered" for b in pupils)
    assert debating["places_taken"] == sum(n for _, n in DEBATING_PUPILS)

    # The cluster meeting booking waited for Wantsum's CPD approver, who approved it; its
    # day-before reminder falls due REMINDER_DUE after the loader ran.
    [approved] = before["bookings"][activities[CLUSTER_MEETING.title]["id"]]
    assert approved["id"] == first.approved_booking_id
    assert approved["status"] == "registered" and approved["urn"] == WANTSUM.urn
    told = await told_about(
        kafka_bootstrap, approved["activity_id"], approved["id"], "awaiting_approval"
    )
    moves = [(d.get("previous"), d["status"]) for _, d in told if "status" in d]
    assert moves == [(None, "awaiting_approval"), ("awaiting_approval", "registered")]
    [session] = activities[CLUSTER_MEETING.title]["details"]["sessions"]
    assert first.reminder_due == datetime.fromisoformat(session["starts_at"]) - timedelta(days=1)
    assert started + REMINDER_DUE - timedelta(seconds=1) <= first.reminder_due
    assert first.reminder_due <= datetime.now(UTC) + REMINDER_DUE

    # The case study, published: a coordinator of another partnership reads it.
    [case_study] = before["case_studies"]
    assert case_study["id"] == first.case_study_id
    other = events.as_(
        Role.PARTNERSHIP_COORDINATOR, partnerships=[ids[CAMBRIDGESHIRE_PARTNERSHIP.name]]
    )
    read = await get(events, f"/case-studies/{first.case_study_id}", other)
    assert read["status"] == "published"
    assert read["content"]["title"] == DEBATING_CASE_STUDY["title"]
    assert read["content"]["activity_ids"] == [debating["id"]]
    assert read["review_notes"] == []  # the officer's notes are for insiders

    # Suffolk: Springfield's maths request matched to Kesgrave, agreed by both heads.
    [engagement] = before["support"]
    assert engagement["id"] == first.engagement_id
    assert engagement["requesting_urn"] == SPRINGFIELD_JUNIOR.urn
    assert engagement["supporting_urn"] == KESGRAVE.urn == first.supporting_urn
    assert engagement["status"] == "agreed"
    assert sorted(engagement["agreed_by"]) == sorted([SPRINGFIELD_JUNIOR.urn, KESGRAVE.urn])
    assert any("maths" in reason for reason in first.suggestion_reasons)

    # The printed calendar links work as a calendar app would use them: no header, a token.
    async with httpx.AsyncClient() as app:
        feed = Calendar.from_ical((await app.get(first.partnership_calendar)).content)
        own = Calendar.from_ical((await app.get(first.person_calendar)).content)
    summaries = [str(e["SUMMARY"]) for e in feed.walk("VEVENT")]
    assert sorted(set(summaries)) == sorted(seed.title for seed in EAST_KENT_ACTIVITIES)
    assert len(summaries) == sum(len(seed.sessions) for seed in EAST_KENT_ACTIVITIES)
    assert [str(e["SUMMARY"]) for e in own.walk("VEVENT")] == [TEACHMEET.title]

    assert first.changes["people"] == 8 + 2  # East Kent staff, two county officers
    assert first.changes["bookings"] == 3 + 2 + len(DEBATING_PUPILS) + 1
    assert first.changes["bookings approved"] == 1
    assert first.changes["case studies published"] == 1
    assert first.changes["support agreements"] == 2
    printed = format_programme(first)
    assert f"{events.url}/docs" in printed and first.partnership_calendar in printed
    assert first.engagement_id in printed and "Kesgrave High School" in printed

    # Again: nothing new, nothing moved on.
    again = await load_programme(membership.url, events.url, key, partnerships)
    assert again.changes == {}
    assert "Nothing to do" in format_programme(again)
    assert same_programme(again, first)
    assert await state(events, east_kent, suffolk) == before


def same_programme(a: ProgrammeSummary, b: ProgrammeSummary) -> bool:
    keys = ("activities", "promoted_booking_id", "attended_booking_id", "case_study_id")
    return all(getattr(a, k) == getattr(b, k) for k in (*keys, "engagement_id", "supporting_urn"))
