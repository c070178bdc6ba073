"""Handlers for bookings: book, approve or reject, accept an offer, cancel, substitute, list."""

import asyncio
import uuid
from collections import defaultdict
from datetime import UTC, datetime

from contracts.vocabulary import BookingStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Conflict, DomainError, Forbidden, Invalid
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.activity import Activity, PlacesFreed
from services.events.domain.booking import Booking, PlaceRequest
from services.events.service_layer import access
from services.events.service_layer.ports import UnitOfWork

# Bookings on one activity take turns within this process, so they do not collide in the
# database and retry: without this lock the booking burst ran at 19 bookings/s with p99 56 s,
# with it at 43/s with p99 5 s (bench/README.md). Across processes the conditional update of
# `take_places` alone prevents overbooking, and `retry_on_write_conflict` reruns the booking that
# lost a write race there (two processes: bench `--processes 2`).
_activity_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)


def _check_who(principal: Principal, activity: Activity, wanted: PlaceRequest) -> str | None:
    """The person booked (None for pupil places), if the caller may make this booking."""
    lead = access.leads_or_county(principal, wanted.urn)
    if wanted.pupils is not None:
        if not activity.details.audience.pupils:
            raise Conflict("this activity is not open to pupils")
        if not lead:
            raise Forbidden(f"only a lead of school {wanted.urn} may book its pupils' places")
        return None
    if not activity.details.audience.staff:
        raise Conflict("this activity is for pupils: book pupil places")
    person_id = wanted.person_id or principal.person_id
    if person_id is None:
        raise Invalid("name the person to book (person_id): your token carries none")
    if not access.acts_for_person(principal, person_id) and not lead:
        raise Forbidden(f"only a lead of school {wanted.urn} may book a colleague")
    if not principal.acts_for_school(wanted.urn):
        raise Forbidden(f"you do not act for school {wanted.urn}")
    return person_id


@retry_on_write_conflict()
async def book(
    uow: UnitOfWork,
    principal: Principal,
    activity_id: str,
    wanted: PlaceRequest,
    idempotency_key: str,
    now: datetime | None = None,
) -> Booking:
    """Book a place; the same idempotency key from the same caller gives the same booking.

    The key is looked up only when the booking cannot be made (a unique index refuses a second
    booking with it): nearly every request comes once, and a repeat fails before it is stored.
    """
    now = now or datetime.now(UTC)
    try:
        async with _activity_locks[activity_id]:
            return await _book(uow, principal, activity_id, wanted, idempotency_key, now)
    except DomainError:
        async with uow:  # made before, by this request or a racing copy of it
            existing = await uow.bookings.by_idempotency_key(principal.actor, idempotency_key)
        if existing is None:
            raise
        if existing.activity_id != activity_id:
            raise Conflict(
                "this idempotency key was used for a booking on another activity"
            ) from None
        return existing


async def _book(
    uow: UnitOfWork,
    principal: Principal,
    activity_id: str,
    wanted: PlaceRequest,
    idempotency_key: str,
    now: datetime,
) -> Booking:
    async with uow:
        activity = await access.load_activity(uow, principal, activity_id)
        if not activity.booking_open(now):
            raise Conflict("booking is not open for this activity")
        person_id = _check_who(principal, activity, wanted)
        if person_id is not None and not access.acts_for_person(principal, person_id):
            await _require_works_at(uow, person_id, wanted.urn, now)
        if not activity.details.county_wide:
            member_of = await uow.directory.partnerships_of(wanted.urn)
            if not member_of & activity.details.partnerships():
                raise Forbidden(
                    f"school {wanted.urn} is not a member of a partnership this activity is open to"
                )
        if person_id is not None:
            live = await uow.bookings.live_booking_of(person_id, activity_id)
            if live is not None:
                raise Conflict(f"person {person_id} already has a booking ({live.id}) here")
        seats = wanted.pupils or 1
        most = min(activity.details.capacity, activity.details.per_school_cap or seats)
        if seats > most:
            raise Invalid(f"{seats} places can never be had here: at most {most} for one school")
        if await uow.activities.take_places(activity_id, wanted.urn, seats):
            approval = person_id is not None and await uow.policies.needs_approval(wanted.urn)
            status = BookingStatus.AWAITING_APPROVAL if approval else BookingStatus.REGISTERED
        else:
            status = BookingStatus.WAITLISTED
        booking = Booking.place(
            status,
            id=uuid.uuid4().hex[:12],
            activity_id=activity_id,
            urn=wanted.urn,
            person_id=person_id,
            pupils=wanted.pupils or 0,
            idempotency_key=idempotency_key,
            requested_by=principal.actor,
            created_at=now,
        )
        await uow.bookings.add(booking)
        await uow.commit()
    return booking


MANAGERS = "only the person booked, their school's lead or a coordinator may"


async def _require_works_at(uow: UnitOfWork, person_id: str, urn: str, now: datetime) -> None:
    """A colleague named for a place: someone with a current role at the school. One who does
    not exist is told apart from one elsewhere by nothing."""
    colleague = await uow.directory.person(person_id)
    if colleague is None or not any(
        r.urn == urn and r.current(now.date()) for r in colleague.roles
    ):
        raise Invalid(f"person {person_id} holds no current role at school {urn}")


async def get_booking(uow: UnitOfWork, principal: Principal, booking_id: str) -> Booking:
    async with uow:
        booking, _ = await access.load_booking(uow, principal, booking_id)
    return booking


def _before_deadline(principal: Principal, activity: Activity, now: datetime, action: str) -> None:
    deadline = activity.details.cancel_by or activity.details.starts_at
    if now >= deadline and not access.overrides_deadlines(principal):
        raise Conflict(f"too late to {action}: the deadline was {deadline.isoformat()}")


@retry_on_write_conflict()
async def cancel_booking(
    uow: UnitOfWork, principal: Principal, booking_id: str, now: datetime | None = None
) -> Booking:
    now = now or datetime.now(UTC)
    async with uow:
        booking, activity = await access.load_booking(
            uow,
            principal,
            booking_id,
            may=access.manages_booking,
            refusal=f"{MANAGERS} cancel",
        )
        _before_deadline(principal, activity, now, "cancel")
        held = booking.status.counted
        booking.move(BookingStatus.CANCELLED)
        if held:
            await uow.activities.give_back_places(activity.id, booking.urn, booking.places)
            uow.record([PlacesFreed(activity_id=activity.id)])
        await uow.bookings.save(booking)
        await uow.commit()
    return booking


@retry_on_write_conflict()
async def substitute(
    uow: UnitOfWork,
    principal: Principal,
    booking_id: str,
    person_id: str,
    now: datetime | None = None,
) -> Booking:
    now = now or datetime.now(UTC)
    async with uow:
        booking, activity = await access.load_booking(
            uow,
            principal,
            booking_id,
            may=access.manages_booking,
            refusal=f"{MANAGERS} do this",
        )
        _before_deadline(principal, activity, now, "substitute a colleague")
        await _require_works_at(uow, person_id, booking.urn, now)
        booking.substitute(person_id)
        await uow.bookings.save(booking)
        await uow.commit()
    return booking


@retry_on_write_conflict()
async def decide(
    uow: UnitOfWork, principal: Principal, booking_id: str, *, approve: bool
) -> Booking:
    """A CPD approver (or the school's lead) approves or rejects a staff booking."""
    async with uow:
        booking, activity = await access.load_booking(uow, principal, booking_id)
        if not await access.may_approve(uow.directory, principal, booking.urn):
            raise Forbidden(f"only a CPD approver or the lead of school {booking.urn} may decide")
        if booking.status != BookingStatus.AWAITING_APPROVAL:
            raise Conflict(f"the booking is {booking.status}, not awaiting approval")
        booking.move(BookingStatus.REGISTERED if approve else BookingStatus.REJECTED)
        if not approve:
            await uow.activities.give_back_places(activity.id, booking.urn, booking.places)
            uow.record([PlacesFreed(activity_id=activity.id)])
        await uow.bookings.save(booking)
        await uow.commit()
    return booking


@retry_on_write_conflict()
async def accept_offer(
    uow: UnitOfWork, principal: Principal, booking_id: str, now: datetime | None = None
) -> Booking:
    now = now or datetime.now(UTC)
    async with uow:
        booking, _ = await access.load_booking(
            uow,
            principal,
            booking_id,
            may=access.manages_booking,
            refusal="only the person booked or their school's lead may accept",
        )
        if booking.status != BookingStatus.OFFERED:
            raise Conflict(f"the booking is {booking.status}: there is no offer to accept")
        if booking.offer_expires_at and booking.offer_expires_at <= now:
            raise Conflict("the offer has expired")
        booking.move(BookingStatus.REGISTERED, reason="offer accepted")
        await uow.bookings.save(booking)
        await uow.commit()
    return booking


async def bookings_of_activity(
    uow: UnitOfWork, principal: Principal, activity_id: str
) -> list[Booking]:
    """Coordinators see every booking; school leads their school's; staff their own."""
    async with uow:
        activity = await access.load_activity(uow, principal, activity_id)
        bookings = await uow.bookings.of_activity(activity_id)
        if await access.coordinates_activity(uow.directory, principal, activity):
            return bookings
        return [
            b
            for b in bookings
            if access.acts_for_person(principal, b.person_id)
            or access.leads_school(principal, b.urn)
        ]


async def my_bookings(uow: UnitOfWork, principal: Principal) -> list[Booking]:
    async with uow:
        mine = await uow.bookings.of_person(principal.person_id) if principal.person_id else []
        if principal.role == Role.SCHOOL_LEAD:
            ids = {b.id for b in mine}
            mine += [
                b for b in await uow.bookings.of_schools(set(principal.schools)) if b.id not in ids
            ]
        return mine


async def set_approval_policy(
    uow: UnitOfWork, principal: Principal, urn: str, needs_approval: bool
) -> None:
    if not access.leads_or_county(principal, urn):
        raise Forbidden(f"only a lead of school {urn} may set its booking policy")
    async with uow:
        await uow.policies.set_needs_approval(urn, needs_approval)
        await uow.commit()
