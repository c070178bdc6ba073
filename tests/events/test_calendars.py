"""iCalendar feeds over real HTTP, read back with the `icalendar` package."""

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import httpx
from icalendar import Calendar, Event

from contracts.vocabulary import ActivityStatus
from eventkit.auth import Role
from services.events.adapters import calendar
from services.events.domain.activity import Activity, ActivityDetails
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.membership import Membership

UID = "{}-{}@school-partnerships"


def on_the_hour(days: int) -> datetime:
    start = datetime.now(UTC) + timedelta(days=days)
    return start.replace(minute=0, second=0, microsecond=0)


def sessions(*starts: datetime, hours: int = 2) -> list[dict[str, str]]:
    return [
        {"starts_at": s.isoformat(), "ends_at": (s + timedelta(hours=hours)).isoformat()}
        for s in starts
    ]


async def new_activity(events: Events, pid: str, *, publish: bool = True, **changes: Any) -> str:
    created = await events.http.post(
        "/activities", json=activity_body(pid, **changes), headers=events.officer
    )
    assert created.status_code == 201, created.text
    aid = str(created.json()["id"])
    if publish:
        published = await events.http.post(f"/activities/{aid}/publish", headers=events.officer)
        assert published.status_code == 200, published.text
    return aid


def parse(response: httpx.Response) -> Calendar:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def by_uid(doc: Calendar) -> dict[str, Event]:
    return {e.uid: e for e in doc.events}


def when(event: Event) -> tuple[date, date]:
    """DTSTART and DTEND as parsed (datetimes in UTC for our feeds)."""
    return event.start, event.end


async def test_a_session_keeps_its_uid_while_sequence_rises_on_reschedule_and_cancel(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1)
    other = await make_partnership(membership, schools=1)
    await wait_for_directory(events, p)
    await wait_for_directory(events, other)
    made = await membership.http.get(f"/partnerships/{p.id}", headers=membership.officer)
    name = made.json()["details"]["name"]
    first, second = on_the_hour(14), on_the_hour(21)
    aid = await new_activity(events, p.id, sessions=sessions(first, second))
    draft = await new_activity(events, p.id, publish=False, title="Still a draft")
    theirs = await new_activity(events, other.id, title="Their own meeting")
    county = await new_activity(events, other.id, title="County conference", county_wide=True)
    coordinator = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    feed = f"/partnerships/{p.id}/calendar.ics"

    response = await events.http.get(feed, headers=coordinator)
    doc = parse(response)
    assert str(doc["VERSION"]) == "2.0"
    assert str(doc["METHOD"]) == "PUBLISH"
    assert str(doc["PRODID"])
    assert str(doc["X-WR-CALNAME"]) == name
    events_ = by_uid(doc)
    ours = {UID.format(aid, 0), UID.format(aid, 1)}
    assert set(events_) == ours | {UID.format(county, 0)}
    assert not any(draft in uid or theirs in uid for uid in events_)
    session_0, session_1 = events_[UID.format(aid, 0)], events_[UID.format(aid, 1)]
    assert when(session_0) == (first, first + timedelta(hours=2))
    assert when(session_1) == (second, second + timedelta(hours=2))
    assert session_0.decoded("DTSTART").tzinfo is not None
    assert b"DTSTART:" + first.strftime("%Y%m%dT%H%M%SZ").encode() in response.content
    for event in (session_0, session_1):
        assert event.sequence == 0
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["SUMMARY"]) == "Maths TeachMeet"
        assert str(event["LOCATION"]) == "King's Ely, Ely"
        assert "Teacher development" in str(event["DESCRIPTION"])

    moved = on_the_hour(28)
    rescheduled = await events.http.post(
        f"/activities/{aid}/reschedule",
        json={"sessions": sessions(moved, moved + timedelta(days=1), hours=3), "reason": "snow"},
        headers=coordinator,
    )
    assert rescheduled.status_code == 200, rescheduled.text
    events_ = by_uid(parse(await events.http.get(feed, headers=coordinator)))
    assert ours <= set(events_)
    assert when(events_[UID.format(aid, 0)]) == (moved, moved + timedelta(hours=3))
    assert when(events_[UID.format(aid, 1)])[0] == moved + timedelta(days=1)
    assert {events_[uid].sequence for uid in ours} == {1}
    assert {str(events_[uid]["STATUS"]) for uid in ours} == {"CONFIRMED"}

    cancelled = await events.http.post(
        f"/activities/{aid}/cancel", json={"reason": "too few"}, headers=coordinator
    )
    assert cancelled.status_code == 200, cancelled.text
    events_ = by_uid(parse(await events.http.get(feed, headers=coordinator)))
    assert ours <= set(events_)
    assert {events_[uid].sequence for uid in ours} == {2}
    assert {str(events_[uid]["STATUS"]) for uid in ours} == {"CANCELLED"}
    assert when(events_[UID.format(aid, 0)])[0] == moved


async def test_a_persons_feed_shows_the_activities_they_booked_and_reads_a_calendar_link(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=2)
    await wait_for_directory(events, p)
    (me, urn), (colleague, _) = p.staff.items()
    booked = await new_activity(
        events, p.id, title="Science CPD", venue=None, online_url="https://meet.example/cpd"
    )
    theirs = await new_activity(events, p.id, title="Debating coaching")
    dropped = await new_activity(events, p.id, title="Careers fair")
    await new_activity(events, p.id, title="Nobody booked this")

    def teacher(person: str) -> dict[str, str]:
        headers: dict[str, str] = events.as_(Role.TEACHER, schools=[urn], person_id=person)
        return headers

    async def book(aid: str, person: str) -> dict[str, Any]:
        made = await events.http.post(
            f"/activities/{aid}/bookings",
            json={"urn": urn},
            headers={**teacher(person), "Idempotency-Key": uuid.uuid4().hex},
        )
        assert made.status_code == 201 and made.json()["status"] == "registered", made.text
        return dict(made.json())

    await book(booked, me)
    await book(theirs, colleague)
    gone = await book(dropped, me)
    assert (
        await events.http.post(f"/bookings/{gone['id']}/cancel", headers=teacher(me))
    ).status_code == 200

    feed = f"/people/{me}/calendar.ics"
    link = await events.http.post("/calendar-tokens", json={"feed": feed}, headers=teacher(me))
    assert link.status_code == 201, link.text
    url = link.json()["url"]
    doc = parse(await events.http.get(url))
    assert set(by_uid(doc)) == {UID.format(booked, 0)}
    event = by_uid(doc)[UID.format(booked, 0)]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "https://meet.example/cpd"
    assert "Teacher 0 of" in str(doc["X-WR-CALNAME"])

    # Their school's lead and a county officer may read it; a colleague or a coordinator may not.
    lead = events.as_(Role.SCHOOL_LEAD, schools=[urn])
    assert set(by_uid(parse(await events.http.get(feed, headers=lead)))) == {UID.format(booked, 0)}
    assert (await events.http.get(feed, headers=events.officer)).status_code == 200
    assert (await events.http.get(feed, headers=teacher(colleague))).status_code == 404
    coordinator = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    assert (await events.http.get(feed, headers=coordinator)).status_code == 404
    other_lead = events.as_(Role.SCHOOL_LEAD, schools=["100001"])
    assert (await events.http.get(feed, headers=other_lead)).status_code == 404

    # The activity is cancelled: it stays in their calendar, marked cancelled.
    assert (
        await events.http.post(f"/activities/{booked}/cancel", headers=events.officer)
    ).status_code == 200
    event = by_uid(parse(await events.http.get(url)))[UID.format(booked, 0)]
    assert str(event["STATUS"]) == "CANCELLED" and event.sequence == 1


async def test_feeds_need_a_valid_token_and_stay_within_their_partnership(
    membership: Membership, events: Events
) -> None:
    ours = await make_partnership(membership, schools=1)
    theirs = await make_partnership(membership, schools=1)
    await wait_for_directory(events, ours)
    await wait_for_directory(events, theirs)
    await new_activity(events, ours.id)
    feed = f"/partnerships/{ours.id}/calendar.ics"

    missing = await events.http.get(feed)
    assert missing.status_code == 401 and "token" in missing.json()["detail"]
    forged = await events.http.get(feed, params={"token": "not-a-jwt"})
    assert forged.status_code == 401 and forged.json()["detail"] == "the token is not valid"
    assert (
        await events.http.get(f"/people/{next(iter(ours.staff))}/calendar.ics")
    ).status_code == 401

    foreign = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[theirs.id])
    hidden = await events.http.get(feed, headers=foreign)
    assert hidden.status_code == 404 and ours.id in hidden.json()["detail"]
    their_teacher, their_urn = next(iter(theirs.staff.items()))
    outsider = events.as_(Role.TEACHER, schools=[their_urn], person_id=their_teacher)
    assert (await events.http.get(feed, headers=outsider)).status_code == 404

    # Staff of a member school see it; a bearer header works as well as the query token.
    member, urn = next(iter(ours.staff.items()))
    staff = events.as_(Role.TEACHER, schools=[urn], person_id=member)
    assert len(parse(await events.http.get(feed, headers=staff)).walk("VEVENT")) == 1
    unknown = await events.http.get("/partnerships/nope/calendar.ics", headers=events.officer)
    assert unknown.status_code == 404


def test_the_document_links_each_event_to_the_activity_and_gives_times_in_utc() -> None:
    """No I/O: the adapter alone, with a public base URL and a venue plus an online link."""
    start = datetime(2030, 5, 1, 16, 30, tzinfo=timezone(timedelta(hours=1)))  # British summer
    activity = Activity(
        id="a1",
        status=ActivityStatus.PUBLISHED,
        details=ActivityDetails.model_validate(
            activity_body(
                "p1",
                category="stem",
                format="cpd_course",
                online_url="https://meet.example/stem",
                sessions=sessions(start),
            )
        ),
    )
    body = calendar.render(
        'Fenland STEM; "hub"',
        [activity],
        calendar_uid="partnership-p1",
        base_url="https://partnerships.example/api/",
        now=datetime(2030, 4, 1, tzinfo=UTC),
    )
    parsed = Calendar.from_ical(body)
    assert str(parsed["X-WR-CALNAME"]) == 'Fenland STEM; "hub"'
    assert str(parsed["UID"]) == "partnership-p1@school-partnerships"
    [event] = parsed.walk("VEVENT")
    assert str(event["URL"]) == "https://partnerships.example/api/activities/a1"
    assert event.decoded("DTSTART") == datetime(2030, 5, 1, 15, 30, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == datetime(2030, 4, 1, tzinfo=UTC)
    assert str(event["LOCATION"]) == "King's Ely, Ely"
    description = str(event["DESCRIPTION"])
    assert "STEM · CPD course" in description and "https://meet.example/stem" in description
    assert b"\r\n" in body and all(len(line) <= 75 for line in body.split(b"\r\n"))


async def test_a_calendar_link_reads_its_one_feed_until_its_holder_revokes_it(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    await wait_for_directory(events, p)
    ((me, urn),) = p.staff.items()
    mine = events.as_(Role.TEACHER, schools=[urn], person_id=me)
    feed = f"/partnerships/{p.id}/calendar.ics"
    link = await events.http.post("/calendar-tokens", json={"feed": feed}, headers=mine)
    assert link.status_code == 201, link.text
    made = link.json()
    token = made["url"].split("?token=", 1)[1]
    assert (await events.http.get(made["url"])).status_code == 200

    # Good for that feed only: not another feed, and not as an API bearer token.
    other = await events.http.get(f"/people/{me}/calendar.ics", params={"token": token})
    assert other.status_code == 401
    as_bearer = await events.http.get("/activities", headers={"Authorization": f"Bearer {token}"})
    assert as_bearer.status_code == 401
    assert as_bearer.json()["detail"] == "a calendar token opens its calendar feed only"
    # An API token is never taken in a URL.
    api_token = mine["Authorization"].removeprefix("Bearer ")
    assert (await events.http.get(feed, params={"token": api_token})).status_code == 401

    # Only feeds the holder may read; listed and revoked by the holder alone.
    stranger = events.as_(Role.TEACHER, schools=["100001"], person_id="stranger")
    refused = await events.http.post("/calendar-tokens", json={"feed": feed}, headers=stranger)
    assert refused.status_code == 404
    listed = (await events.http.get("/calendar-tokens", headers=mine)).json()
    assert [(t["id"], t["feed"], t["revoked_at"]) for t in listed] == [(made["id"], feed, None)]
    assert "url" not in listed[0] and token not in str(listed)
    assert (await events.http.get("/calendar-tokens", headers=stranger)).json() == []
    path = f"/calendar-tokens/{made['id']}"
    assert (await events.http.delete(path, headers=stranger)).status_code == 404
    assert (await events.http.delete(path, headers=mine)).status_code == 204
    revoked = await events.http.get(made["url"])
    assert revoked.status_code == 401
    assert revoked.json()["detail"] == "this calendar link was revoked: make a new one"
