"""The demo's third part against real membership and events services over HTTP, run twice: the
rest of every seed story, seen through the events API and its calendar feeds."""

from __future__ import annotations

from typing import Any

import pytest
from icalendar import Calendar

from devstack import demo
from devstack.demo_data import (
    CAMBRIDGESHIRE_PARTNERSHIP,
    EAST_KENT_PARTNERSHIP,
    LINCOLNSHIRE_BOARD,
    SUFFOLK_PARTNERSHIP,
)
from devstack.demo_programme import load_programme
from devstack.demo_stories import format_stories, load_stories
from devstack.demo_stories_data import (
    CAMBRIDGESHIRE_ACTIVITIES,
    CAMBRIDGESHIRE_PUPILS,
    LAUNCH_CONFERENCE,
    MAGAZINE_PUPILS,
    WALK_DONATIONS,
)
from eventkit.auth import Role
from support.events import Events
from support.issuer import signing_key
from support.membership import Membership

pytestmark = pytest.mark.integration


async def get(events: Events, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = await events.http.get(path, headers=headers, params=params)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    return response.json()


async def test_the_demo_runs_the_rest_of_every_story_once(
    membership: Membership, events: Events
) -> None:
    key = signing_key()
    partnerships = await demo.load_demo(membership.url, key)
    await load_programme(membership.url, events.url, key, partnerships)
    first = await load_stories(membership.url, events.url, key, partnerships)
    ids = {o.name: o.id for o in partnerships.partnerships}
    officer = events.officer

    # Cambridgeshire: the pupils' STEM, languages, arts and sport, and teacher development.
    activities = {
        a["details"]["title"]: a
        for a in await get(events, "/activities", officer)
        if a["details"]["partnership_id"] == ids[CAMBRIDGESHIRE_PARTNERSHIP.name]
    }
    assert set(activities) == {seed.title for seed in CAMBRIDGESHIRE_ACTIVITIES}
    assert sorted(a["details"]["category"] for a in activities.values()) == [
        "languages",
        "music_and_arts",
        "sport",
        "stem",
        "teacher_development",
    ]
    assert all(a["status"] == "published" for a in activities.values())
    assert first.pupil_places == sum(n for _, _, n in CAMBRIDGESHIRE_PUPILS)

    # Lincolnshire: the launch conference on its day, its three guest speakers confirmed.
    conference = await get(events, f"/activities/{first.conference_id}", officer)
    assert conference["details"]["title"] == LAUNCH_CONFERENCE.title
    assert conference["details"]["sessions"][0]["starts_at"].startswith("2016-04-22T09:00")
    teacher = events.as_(Role.TEACHER, schools=[LINCOLNSHIRE_BOARD.memberships[0].school.urn])
    speakers = await get(events, f"/activities/{first.conference_id}/contributors", teacher)
    assert sorted((s["name"], s["of"], s["status"]) for s in speakers) == [
        ("Anton Florek", "Virtual Staff College", "confirmed"),
        ("Frankie Sulke CBE", "London Borough of Lewisham", "confirmed"),
        ("Mel Ainscow", "University of Manchester", "confirmed"),
    ]
    feed = await events.http.get(
        f"/partnerships/{ids[LINCOLNSHIRE_BOARD.name]}/calendar.ics", headers=teacher
    )
    [session] = Calendar.from_ical(feed.content).walk("VEVENT")
    assert "Speaker: Mel Ainscow, University of Manchester" in str(session["DESCRIPTION"])

    # East Kent: what the sponsored walk raised.
    funds = await get(events, f"/activities/{first.walk_id}/fundraising", officer)
    assert (
        funds["total_pence"] == first.raised_pence == sum(d["amount_pence"] for d in WALK_DONATIONS)
    )
    assert funds["by_charity"] == {"Pilgrims Hospices": first.raised_pence}

    # Suffolk: a library of case studies from more than 50 schools, published county-wide.
    suffolk = ids[SUFFOLK_PARTNERSHIP.name]
    elsewhere = events.as_(Role.TEACHER, schools=[EAST_KENT_PARTNERSHIP.memberships[0].school.urn])
    library = await get(
        events, "/case-studies", elsewhere, partnership_id=suffolk, status="published", limit=200
    )
    assert len(library) == first.case_studies_published == len(SUFFOLK_PARTNERSHIP.memberships)
    assert len({urn for c in library for urn in c["content"]["urns"]}) > 50
    assert first.changes["case studies approved"] == len(library)

    # East Kent: two swaps, each naming who hosts whom both ways on the swap activity's days.
    for swap in first.swaps:
        read = await get(events, f"/placement-swaps/{swap['id']}", officer)
        assert read["status"] == "agreed"
        (one, other) = read["legs"]
        assert (one["host_urn"], one["visitor_urn"]) == (other["visitor_urn"], other["host_urn"])
    assert len({s["activity_id"] for s in first.swaps}) == 1
    # ... and the magazine's first issue, made by pupils of three schools (counted, not named).
    magazine = await get(events, f"/publications/{first.magazine['id']}", officer)
    [issue] = magazine["issues"]
    assert (issue["pupils"], len(issue["contributions"])) == (
        sum(n for _, n, _ in MAGAZINE_PUPILS),
        3,
    )

    # Lincolnshire: Holland Fen's peer review, reported, one of two actions done, shared with the
    # partnership: a lead of another member school reads its findings.
    other_lead = events.as_(
        Role.SCHOOL_LEAD, schools=[LINCOLNSHIRE_BOARD.memberships[-1].school.urn]
    )
    review = await get(events, f"/peer-reviews/{first.review['id']}", other_lead)
    assert (review["status"], review["sharing"]) == ("reported", "partnership")
    assert (review["strengths"], review["areas_for_development"]) == (2, 2)
    assert (review["actions_agreed"], review["actions_done"]) == (2, 1)
    assert review["findings_shown"] and len(review["findings"]) == 4

    # ... and its board: a chair and a vice chair among representatives of schools and the
    # council, a meeting minuted with decisions and actions, one done and the others overdue.
    lead = membership.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[ids[LINCOLNSHIRE_BOARD.name]])
    board = (await membership.http.get(f"/boards/{first.board['id']}", headers=lead)).json()
    offices = sorted(m["office"] for m in board["members"] if m["current"])
    assert offices == ["chair", "member", "member", "vice_chair"]
    assert [m["represents_body"] for m in board["members"] if m["represents_body"]] == [
        "Lincolnshire County Council"
    ]
    got = await membership.http.get(f"/meetings/{first.meeting['id']}", headers=lead)
    assert got.status_code == 200, got.text
    meeting = got.json()
    assert meeting["minutes"]["approved_at"] is not None
    assert len(meeting["minutes"]["decisions"]) == 2
    assert [(a["done_on"] is not None, a["overdue"]) for a in meeting["actions"]] == [
        (True, False),
        (False, True),
        (False, True),
    ]

    printed = format_stories(first)
    assert "Mel Ainscow (University of Manchester)" in printed and "£2,162.50" in printed

    again = await load_stories(membership.url, events.url, key, partnerships)
    assert again.changes == {}
    assert "Nothing to do" in format_stories(again)
    assert again.cambridgeshire_activities == first.cambridgeshire_activities
