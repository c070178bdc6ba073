"""Booking and waitlist handlers against the in-memory unit of work: places, waitlist, approval,
cancellation, substitution, offers and their expiry, deadlines, who may do what."""

from datetime import UTC, datetime, timedelta

import pytest
from unit.events_fakes import (
    NOW,
    STARTS,
    A,
    B,
    C,
    EventsFakeUnitOfWork,
    details,
    given_activity,
    stored,
    stored_activity,
    world,
)
from unit.fakes import coordinator, officer, school_lead, teacher

from contracts import activities as events
from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.auth import Principal
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.events.domain.activity import PlacesFreed
from services.events.domain.booking import Booking, PlaceRequest
from services.events.service_layer import activities, bookings, waitlist

S = BookingStatus
ANN = teacher(A, person_id="ann")
BOB = teacher(A, person_id="bob")
CAT = teacher(B, person_id="cat")
DAN = teacher(C, person_id="dan")
LEAD_A = school_lead(A, person_id="lead-a")
COCO = coordinator("p1", person_id="coco")


@pytest.fixture
def uow() -> EventsFakeUnitOfWork:
    return world()


async def book(
    uow: EventsFakeUnitOfWork,
    who: Principal = ANN,
    urn: str = A,
    key: str | None = None,
    activity_id: str = "act1",
    person_id: str | None = None,
    pupils: int | None = None,
) -> Booking:
    wanted = PlaceRequest(urn=urn, person_id=person_id, pupils=pupils)
    key = key or f"key-{who.subject}-{urn}-{person_id}-{pupils}"
    return await bookings.book(uow, who, activity_id, wanted, key, now=NOW)


# -- booking ---------------------------------------------------------------------------------


async def test_a_teacher_books_a_place_for_themself(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    booking = await book(uow)
    assert (booking.status, booking.person_id, booking.urn) == (S.REGISTERED, "ann", A)
    assert (await stored(uow, booking.id)).status == S.REGISTERED
    activity = await stored_activity(uow)
    assert (activity.places_taken, activity.school_places) == (1, {A: 1})
    assert uow.published_types() == [events.BookingPlaced]


async def test_when_full_the_booking_waits_on_the_waitlist(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, capacity=1)
    first = await book(uow, ANN)
    second = await book(uow, BOB)
    assert (first.status, second.status) == (S.REGISTERED, S.WAITLISTED)
    assert (await stored_activity(uow)).places_taken == 1


async def test_the_per_school_cap_sends_the_rest_of_a_school_to_the_waitlist(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow, capacity=10, per_school_cap=1)
    assert (await book(uow, ANN)).status == S.REGISTERED
    assert (await book(uow, BOB)).status == S.WAITLISTED
    assert (await book(uow, CAT, urn=B)).status == S.REGISTERED


async def test_the_same_idempotency_key_gives_the_same_booking(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    first = await book(uow, key="same-key-1")
    again = await book(uow, key="same-key-1")
    assert again.id == first.id
    assert (await stored_activity(uow)).places_taken == 1
    assert uow.published_types() == [events.BookingPlaced]


async def test_an_idempotency_key_used_on_another_activity_conflicts(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow)
    await given_activity(uow, activity_id="act2")
    await book(uow, key="same-key-1")
    with pytest.raises(Conflict, match="another activity"):
        await book(uow, key="same-key-1", activity_id="act2")


async def test_one_live_booking_per_person_and_activity(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    await book(uow, key="first-key")
    with pytest.raises(Conflict, match="already has a booking"):
        await book(uow, key="second-key")


async def test_who_may_book(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    with pytest.raises(Forbidden, match="book a colleague"):
        await book(uow, ANN, person_id="bob")
    with pytest.raises(Forbidden, match="do not act for school"):
        await book(uow, ANN, urn=B)
    with pytest.raises(Forbidden, match="not a member of a partnership"):
        await book(uow, officer(), urn=C, person_id="dan")
    with pytest.raises(Invalid, match="person_id"):
        await book(uow, school_lead(A))
    with pytest.raises(NotFound):  # P2's teacher does not see P1's activity
        await book(uow, DAN, urn=C)
    colleague = await book(uow, LEAD_A, person_id="bob")
    assert (colleague.person_id, colleague.requested_by) == ("bob", "lead-a")


async def test_pupil_places_are_booked_by_a_lead_on_an_activity_for_pupils(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow, audience={"staff": False, "pupils": True}, capacity=30)
    with pytest.raises(Forbidden, match="pupils' places"):
        await book(uow, ANN, pupils=10)
    with pytest.raises(Conflict, match="book pupil places"):
        await book(uow, LEAD_A)
    booking = await book(uow, LEAD_A, pupils=12)
    assert (booking.person_id, booking.places, booking.status) == (None, 12, S.REGISTERED)
    assert (await stored_activity(uow)).places_taken == 12


async def test_no_booking_on_a_draft_or_closed_activity(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, status=ActivityStatus.DRAFT)
    with pytest.raises(NotFound):
        await book(uow)
    await given_activity(uow, activity_id="act2", booking_closes_at=NOW - timedelta(hours=1))
    with pytest.raises(Conflict, match="not open"):
        await book(uow, activity_id="act2")


# -- approval --------------------------------------------------------------------------------


async def test_a_school_needing_approval_holds_the_place_until_decided(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow)
    await bookings.set_approval_policy(uow, LEAD_A, A, True)
    booking = await book(uow)
    assert booking.status == S.AWAITING_APPROVAL
    assert (await stored_activity(uow)).places_taken == 1
    approver = teacher(A, person_id="vic")
    approved = await bookings.decide(uow, approver, booking.id, approve=True)
    assert approved.status == S.REGISTERED
    assert (await stored(uow, booking.id)).status == S.REGISTERED
    assert uow.follow_ups == []


async def test_rejecting_frees_the_place_and_records_places_freed(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow)
    await bookings.set_approval_policy(uow, LEAD_A, A, True)
    booking = await book(uow)
    rejected = await bookings.decide(uow, LEAD_A, booking.id, approve=False)
    assert rejected.status == S.REJECTED
    assert (await stored_activity(uow)).places_taken == 0
    assert uow.follow_ups == [PlacesFreed(activity_id="act1")]


async def test_only_an_approver_decides_and_only_what_awaits(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    await bookings.set_approval_policy(uow, LEAD_A, A, True)
    booking = await book(uow)
    with pytest.raises(Forbidden, match="CPD approver"):
        await bookings.decide(uow, ANN, booking.id, approve=True)
    with pytest.raises(NotFound):
        await bookings.decide(uow, BOB, booking.id, approve=True)
    await bookings.decide(uow, LEAD_A, booking.id, approve=True)
    with pytest.raises(Conflict, match="not awaiting approval"):
        await bookings.decide(uow, LEAD_A, booking.id, approve=False)


async def test_only_a_lead_sets_the_booking_policy(uow: EventsFakeUnitOfWork) -> None:
    with pytest.raises(Forbidden):
        await bookings.set_approval_policy(uow, ANN, A, True)
    await bookings.set_approval_policy(uow, officer(), A, True)
    assert await uow.policies.needs_approval(A)


# -- cancel, substitute ----------------------------------------------------------------------


async def test_cancelling_a_held_place_frees_it(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    booking = await book(uow)
    cancelled = await bookings.cancel_booking(uow, ANN, booking.id, now=NOW)
    assert cancelled.status == S.CANCELLED
    assert (await stored_activity(uow)).places_taken == 0
    assert uow.follow_ups == [PlacesFreed(activity_id="act1")]


async def test_cancelling_from_the_waitlist_frees_nothing(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, capacity=1)
    await book(uow, ANN)
    waiting = await book(uow, BOB)
    await bookings.cancel_booking(uow, BOB, waiting.id, now=NOW)
    assert (await stored_activity(uow)).places_taken == 1
    assert uow.follow_ups == []


async def test_who_may_cancel(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    booking = await book(uow)
    with pytest.raises(NotFound):
        await bookings.cancel_booking(uow, BOB, booking.id, now=NOW)
    with pytest.raises(Forbidden, match="may cancel"):  # sees it as approver, does not manage it
        await bookings.cancel_booking(uow, teacher(A, person_id="vic"), booking.id, now=NOW)
    assert (await bookings.cancel_booking(uow, COCO, booking.id, now=NOW)).status == S.CANCELLED


async def test_after_the_deadline_only_coordinators_cancel(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, cancel_by=NOW + timedelta(days=1))
    booking = await book(uow)
    late = NOW + timedelta(days=2)
    with pytest.raises(Conflict, match="too late to cancel"):
        await bookings.cancel_booking(uow, ANN, booking.id, now=late)
    with pytest.raises(Conflict, match="too late to substitute"):
        await bookings.substitute(uow, LEAD_A, booking.id, "bob", now=late)
    assert (await bookings.cancel_booking(uow, COCO, booking.id, now=late)).status == S.CANCELLED


async def test_a_place_passes_to_a_colleague_of_the_same_school(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    booking = await book(uow)
    with pytest.raises(Invalid, match="no current role at school"):
        await bookings.substitute(uow, ANN, booking.id, "cat", now=NOW)
    passed = await bookings.substitute(uow, ANN, booking.id, "bob", now=NOW)
    assert passed.person_id == "bob"
    assert passed.check_in_code != booking.check_in_code
    assert (await stored(uow, booking.id)).person_id == "bob"
    assert events.BookingSubstituted in uow.published_types()


# -- reading ---------------------------------------------------------------------------------


async def test_who_sees_which_bookings(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow)
    ann = await book(uow, ANN)
    cat = await book(uow, CAT, urn=B)
    assert {b.id for b in await bookings.bookings_of_activity(uow, COCO, "act1")} == {
        ann.id,
        cat.id,
    }
    assert [b.id for b in await bookings.bookings_of_activity(uow, ANN, "act1")] == [ann.id]
    assert [b.id for b in await bookings.bookings_of_activity(uow, LEAD_A, "act1")] == [ann.id]
    assert [b.id for b in await bookings.my_bookings(uow, ANN)] == [ann.id]
    assert [b.id for b in await bookings.my_bookings(uow, LEAD_A)] == [ann.id]
    assert (await bookings.get_booking(uow, LEAD_A, ann.id)).id == ann.id
    with pytest.raises(NotFound):
        await bookings.get_booking(uow, CAT, ann.id)


# -- the waitlist ----------------------------------------------------------------------------


async def test_freed_places_are_offered_first_come_first_served(
    uow: EventsFakeUnitOfWork,
) -> None:
    await given_activity(uow, capacity=1)
    held = await book(uow, ANN)
    first = await book(uow, BOB)
    second = await book(uow, CAT, urn=B)
    await bookings.cancel_booking(uow, ANN, held.id, now=NOW)
    freed = uow.follow_ups[-1]
    assert isinstance(freed, PlacesFreed)
    assert await waitlist.offer_freed_places(freed, uow) == 1
    offered = await stored(uow, first.id)
    assert offered.status == S.OFFERED
    assert offered.offer_expires_at is not None
    assert (await stored(uow, second.id)).status == S.WAITLISTED
    assert (await stored_activity(uow)).places_taken == 1
    assert await waitlist.promote(uow, "act1") == 0  # running it again changes nothing


async def test_promotion_offers_the_next_that_fits(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, capacity=2, per_school_cap=1)
    await book(uow, ANN)
    held_b = await book(uow, CAT, urn=B)
    uow.directory.add_person("eve", works_at=[B])
    bob = await book(uow, BOB)  # first in line, but school A is at its cap
    eve = await book(uow, teacher(B, person_id="eve"), urn=B)
    await bookings.cancel_booking(uow, CAT, held_b.id, now=NOW)
    assert await waitlist.promote(uow, "act1") == 1
    assert (await stored(uow, bob.id)).status == S.WAITLISTED
    assert (await stored(uow, eve.id)).status == S.OFFERED


async def test_an_offer_is_accepted_in_time(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, capacity=1)
    held = await book(uow, ANN)
    waiting = await book(uow, BOB)
    await bookings.cancel_booking(uow, ANN, held.id, now=NOW)
    await waitlist.promote(uow, "act1")
    with pytest.raises(Forbidden, match="may accept"):
        await bookings.accept_offer(uow, teacher(A, person_id="vic"), waiting.id, now=NOW)
    accepted = await bookings.accept_offer(uow, BOB, waiting.id)
    assert accepted.status == S.REGISTERED
    with pytest.raises(Conflict, match="no offer to accept"):
        await bookings.accept_offer(uow, BOB, waiting.id)


async def test_an_offer_not_taken_expires_and_passes_on(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, capacity=1)
    held = await book(uow, ANN)
    first = await book(uow, BOB)
    second = await book(uow, CAT, urn=B)
    await bookings.cancel_booking(uow, ANN, held.id, now=NOW)
    await waitlist.promote(uow, "act1")
    later = datetime.now(UTC) + timedelta(days=3)  # offers last 48 hours from their making
    with pytest.raises(Conflict, match="expired"):
        await bookings.accept_offer(uow, BOB, first.id, now=later)
    uow.follow_ups.clear()
    assert await waitlist.expire_offers(uow, later) == 1
    assert (await stored(uow, first.id)).status == S.EXPIRED
    assert uow.follow_ups == [PlacesFreed(activity_id="act1")]
    assert await waitlist.promote_everywhere(uow) == 1
    assert (await stored(uow, second.id)).status == S.OFFERED
    assert (await stored_activity(uow)).places_taken == 1


async def test_more_capacity_records_places_freed(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(uow, capacity=1)
    await book(uow, ANN)
    waiting = await book(uow, BOB)
    await activities.update_activity(uow, COCO, "act1", details(capacity=2))
    assert uow.follow_ups == [PlacesFreed(activity_id="act1")]
    await waitlist.offer_freed_places(PlacesFreed(activity_id="act1"), uow)
    assert (await stored(uow, waiting.id)).status == S.OFFERED


async def test_minimum_numbers_warning_is_sent_once(uow: EventsFakeUnitOfWork) -> None:
    await given_activity(
        uow, minimum_numbers=5, booking_closes_at=STARTS - timedelta(days=1), capacity=20
    )
    await book(uow)
    ahead = timedelta(days=30)
    assert await waitlist.warn_minimum_numbers(uow, NOW, ahead) == 1
    assert await waitlist.warn_minimum_numbers(uow, NOW, ahead) == 0
    warnings = [e for e in uow.published if isinstance(e, events.MinimumNumbersAtRisk)]
    assert [(w.booked, w.minimum_numbers) for w in warnings] == [(1, 5)]
