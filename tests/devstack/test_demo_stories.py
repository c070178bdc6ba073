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
    WALK_DONATIONS,
)
from eventkit.auth import Role
from support.events import Events
from support.membership import Membership

pytestmark = pytest.mark.integration


async def get(events: Events, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = await events.http.get(path, headers=headers, params=params)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    return response.json()


async def test_the_demo_runs_the_rest_of_every_story_once(
    membership: Membership, events: Events
) -> None:
    secret = membership.settings.auth_jwt_secret
    partnerships = await demo.load_demo(membership.url, secret)
    await load_programme(membership.url, events.url, secret, partnerships)
    first = await load_stories(membership.url, events.url, secret, partnerships)
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

    printed = format_stories(first)
    assert "Mel Ainscow (University of Manchester)" in printed and "£2,162.50" in printed

    again = await load_stories(membership.url, events.url, secret, partnerships)
    assert again.changes == {}
    assert "Nothing to do" in format_stories(again)
    assert again.cambridgeshire_activities == first.cambridgeshire_activities
