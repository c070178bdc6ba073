"""Activity and calendar-feed handlers, driven with fakes."""

from datetime import date, timedelta

import pytest
from unit.events_fakes import (
    NOW,
    STARTS,
    A,
    C,
    EventsFakeUnitOfWork,
    details,
    given_activity,
    world,
)
from unit.fakes import coordinator, officer, school_lead, teacher

from contracts import activities as events
from contracts.activities import Session
from contracts.vocabulary import ActivityStatus
from eventkit.errors import Conflict, Forbidden, NotFound
from services.events.domain.activity import PlacesFreed
from services.events.domain.booking import PlaceRequest
from services.events.service_layer import activities, bookings, calendars

COCO = coordinator("p1", person_id="coco")
ANN = teacher(A, person_id="ann")
DAN = teacher(C, person_id="dan")


@pytest.fixture
def uow() -> EventsFakeUnitOfWork:
    return world()


async def test_only_the_partnerships_coordinators_create_and_publish(
    uow: EventsFakeUnitOfWork,
) -> None:
    with pytest.raises(Forbidden):
        await activities.create_activity(uow, ANN, details())
    with pytest.raises(Forbidden):
        await activities.create_activity(uow, coordinator("p2", person_id="oz"), details())

    draft = await activities.create_activity(uow, COCO, details())
    assert draft.status == ActivityStatus.DRAFT
    with pytest.raises(NotFound):  # a draft is the coordinators' own
        await activities.get_activity(uow, ANN, draft.id)

    published = await activities.publish_activity(uow, COCO, draft.id)
    assert published.status == ActivityStatus.PUBLISHED
    assert uow.published_types()[-1] is events.ActivityPublished
    assert (await activities.get_activity(uow, ANN, draft.id)).id == draft.id
    with pytest.raises(NotFound):  # another partnership's staff do not see it at all
        await activities.get_activity(uow, DAN, draft.id)
    with pytest.raises(Forbidden):
        await activities.publish_activity(uow, ANN, draft.id)


async def test_each_caller_lists_what_they_may_see(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, activity_id="open")
    await given_activity(uow, ActivityStatus.DRAFT, activity_id="draft")
    await given_activity(uow, activity_id="ouse", partnership_id="p2")

    assert {a.id for a in await activities.list_activities(uow, ANN)} == {"open"}
    assert {a.id for a in await activities.list_activities(uow, COCO)} == {"open", "draft"}
    by_records = coordinator(person_id="coco")  # named coordinator by membership, not the token
    assert {a.id for a in await activities.list_activities(uow, by_records)} == {"open", "draft"}
    assert {a.id for a in await activities.list_activities(uow, DAN)} == {"ouse"}
    assert {a.id for a in await activities.list_activities(uow, officer())} == {
        "open",
        "draft",
        "ouse",
    }


async def test_a_change_of_details_offers_freed_places_after_the_commit(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow, capacity=1)
    changed = await activities.update_activity(uow, COCO, "act1", details(capacity=3))
    assert changed.details.capacity == 3
    assert uow.follow_ups == [PlacesFreed(activity_id="act1")]


async def test_capacity_cannot_drop_below_the_places_taken(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, capacity=2)
    await bookings.book(uow, ANN, "act1", PlaceRequest(urn=A), "k1", now=NOW)
    bob = teacher(A, person_id="bob")
    await bookings.book(uow, bob, "act1", PlaceRequest(urn=A), "k2", now=NOW)
    with pytest.raises(Conflict, match="places are already taken"):
        await activities.update_activity(uow, COCO, "act1", details(capacity=1))


async def test_reschedule_cancel_and_complete_tell_subscribers(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    later = STARTS + timedelta(days=7)
    moved = await activities.reschedule_activity(
        uow, COCO, "act1", [Session(starts_at=later, ends_at=later + timedelta(hours=2))], "snow"
    )
    assert moved.details.sessions[0].starts_at == later
    assert uow.published_types()[-1] is events.ActivityRescheduled
    done = await activities.complete_activity(uow, COCO, "act1", date(2026, 3, 30))
    assert done.status == ActivityStatus.COMPLETED
    with pytest.raises(Conflict):
        await activities.cancel_activity(uow, COCO, "act1", "too late")


async def test_a_partnership_feed_is_for_those_who_see_its_activities(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow, activity_id="open")
    await given_activity(uow, ActivityStatus.DRAFT, activity_id="draft")
    feed = await calendars.partnership_feed(uow, ANN, "p1")
    assert (feed.uid, feed.name, [a.id for a in feed.activities]) == (
        "partnership-p1",
        "Fenland",
        ["open"],
    )
    with pytest.raises(NotFound):
        await calendars.partnership_feed(uow, DAN, "p1")
    with pytest.raises(NotFound):
        await calendars.partnership_feed(uow, ANN, "no-such-partnership")


async def test_a_person_feed_holds_their_live_bookings_and_is_theirs_or_their_leads(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow, activity_id="booked")
    await given_activity(uow, activity_id="other")
    await bookings.book(uow, ANN, "booked", PlaceRequest(urn=A), "k1", now=NOW)

    feed = await calendars.person_feed(uow, ANN, "ann", today=NOW.date())
    assert [a.id for a in feed.activities] == ["booked"]
    assert feed.name == "Partnership activities: Ann Able"
    lead = school_lead(A, person_id="lead-a")
    assert [a.id for a in (await calendars.person_feed(uow, lead, "ann")).activities] == ["booked"]
    with pytest.raises(NotFound):
        await calendars.person_feed(uow, teacher(A, person_id="bob"), "ann")
    with pytest.raises(NotFound):  # a lead of another school
        await calendars.person_feed(uow, school_lead(C, person_id="lead-c"), "ann")
