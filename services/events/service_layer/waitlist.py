"""Waitlist promotion, offer expiry and the minimum-numbers warning.

Promotion is first come, first served: whenever places free up (a cancellation, a rejection, an
expired offer, more capacity — each records `PlacesFreed`), the earliest waitlisted booking that
fits gets a timed offer, one transaction each, until no place is left or nobody waits. It runs
after the commit that freed the places, as a follow-up of its own; the sweep promotes wherever a
failure or a crash left places free and people waiting. Running it again changes nothing.
"""

from datetime import UTC, datetime, timedelta

import structlog

from contracts import activities as events
from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.errors import Conflict
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.activity import PlacesFreed
from services.events.service_layer.ports import UnitOfWork

log = structlog.get_logger(__name__)


async def offer_freed_places(event: PlacesFreed, uow: UnitOfWork) -> int:
    """The follow-up of `PlacesFreed`."""
    return await promote(uow, event.activity_id)


@retry_on_write_conflict()
async def promote(uow: UnitOfWork, activity_id: str) -> int:
    """Offer freed places to the waitlist; return how many offers were made."""
    offered = 0
    skipped: set[str] = set()
    while True:
        async with uow:
            activity = await uow.activities.get(activity_id)
            if activity is None or activity.status != ActivityStatus.PUBLISHED:
                return offered
            if activity.places_left == 0:
                return offered
            waiting = [
                b
                for b in await uow.bookings.of_activity(activity_id)
                if b.status == BookingStatus.WAITLISTED and b.id not in skipped
            ]
            if not waiting:
                return offered
            booking = waiting[0]
            if not await uow.activities.take_places(activity_id, booking.urn, booking.places):
                skipped.add(booking.id)  # does not fit (per-school cap or size): the next may
                continue
            expires = datetime.now(UTC) + uow.offer_window
            booking.move(BookingStatus.OFFERED, offer_expires_at=expires, reason="a place freed up")
            await uow.bookings.save(booking)
            await uow.commit()
            offered += 1


async def promote_everywhere(uow: UnitOfWork) -> int:
    """Promote on every activity where people wait: catches what a failed follow-up left."""
    async with uow:
        waiting = await uow.bookings.activities_with_a_waitlist()
    return sum([await promote(uow, activity_id) for activity_id in sorted(waiting)])


async def expire_offers(uow: UnitOfWork, now: datetime) -> int:
    """Offers not taken in time expire; their places pass on to the next in line."""
    async with uow:
        expired = await uow.bookings.expired_offers(now)
    for stale in expired:
        try:
            async with uow:
                booking = await uow.bookings.get(stale.id)
                if booking is None or booking.status != BookingStatus.OFFERED:
                    continue
                booking.move(BookingStatus.EXPIRED, reason="the offer was not taken in time")
                await uow.activities.give_back_places(
                    booking.activity_id, booking.urn, booking.places
                )
                await uow.bookings.save(booking)
                uow.record([PlacesFreed(activity_id=booking.activity_id)])
                await uow.commit()
        except Conflict:
            continue  # changed meanwhile (accepted at the last moment): the next sweep looks again
    return len(expired)


async def warn_minimum_numbers(uow: UnitOfWork, now: datetime, ahead: timedelta) -> int:
    """Warn once per activity when its booking deadline nears and too few have booked."""
    async with uow:
        candidates = await uow.activities.needing_minimum_warning(now + ahead)
    warned = 0
    for candidate in candidates:
        minimum = candidate.details.minimum_numbers
        closes = candidate.details.booking_closes_at
        if minimum is None or closes is None or candidate.places_taken >= minimum:
            continue
        try:
            async with uow:
                activity = await uow.activities.get(candidate.id)
                if activity is None or activity.minimum_warning_sent:
                    continue
                activity.minimum_warning_sent = True
                activity.record(
                    events.MinimumNumbersAtRisk(
                        activity_id=activity.id,
                        booked=activity.places_taken,
                        minimum_numbers=minimum,
                        booking_closes_at=closes,
                    )
                )
                await uow.activities.save(activity)
                await uow.commit()
                warned += 1
        except Conflict:
            continue
    return warned
