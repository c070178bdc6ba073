"""Handlers for bookings: book, approve or reject, accept an offer, cancel, substitute, list."""

import asyncio
import uuid
from collections import defaultdict
from datetime import UTC, datetime

from pydantic import BaseModel, Field, model_validator

from contracts.vocabulary import BookingStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.activity import Activity, PlacesFreed
from services.events.domain.booking import Booking
from services.events.service_layer import access
from services.events.service_layer.unit_of_work import EventsUnitOfWork

# Bookings on one activity take turns within this process, so they do not collide in the
# database and retry; across processes the conditional update alone still prevents overbooking.
_activity_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)


class BookingRequest(BaseModel):
    """A place for a member of staff (`person_id`, default: the caller), or `pupils` places."""

    urn: str = Field(pattern=r"^\d{6,7}$", description="The school the booking is for")
    person_id: str | None = None
    pupils: int | None = Field(None, ge=1, le=1000)

    @model_validator(mode="after")
    def _one_kind(self) -> "BookingRequest":
        if self.person_id is not None and self.pupils is not None:
            raise ValueError("book either a member of staff or a number of pupils, not both")
        return self


def _check_who(principal: Principal, activity: Activity, request: BookingRequest) -> str | None:
    """The person booked (None for pupil places), if the caller may make this booking."""
    lead = principal.county_wide or (
        principal.role == Role.SCHOOL_LEAD and request.urn in principal.schools
    )
    if request.pupils is not None:
        if not activity.details.audience.pupils:
            raise Conflict("this activity is not open to pupils")
        if not lead:
            raise Forbidden(f"only a lead of school {request.urn} may book its pupils' places")
        return None
    if not activity.details.audience.staff:
        raise Conflict("this activity is for pupils: book pupil places")
    person_id = request.person_id or principal.person_id
    if person_id is None:
        raise Invalid("name the person to book (person_id): your token carries none")
    if person_id != principal.person_id and not lead:
        raise Forbidden(f"only a lead of school {request.urn} may book a colleague")
    if not principal.county_wide and request.urn not in principal.schools:
        raise Forbidden(f"you do not act for school {request.urn}")
    return person_id


@retry_on_write_conflict()
async def book(
    uow: EventsUnitOfWork,
    principal: Principal,
    activity_id: str,
    request: BookingRequest,
    idempotency_key: str,
    now: datetime | None = None,
) -> Booking:
    """Book a place; the same idempotency key from the same caller gives the same booking."""
    now = now or datetime.now(UTC)
    try:
        async with _activity_locks[activity_id]:
            return await _book(uow, principal, activity_id, request, idempotency_key, now)
    except Conflict:
        async with uow:  # a racing request with the same key may have won
            existing = await uow.bookings.by_idempotency_key(principal.subject, idempotency_key)
        if existing is not None and existing.activity_id == activity_id:
            return existing
        raise


async def _book(
    uow: EventsUnitOfWork,
    principal: Principal,
    activity_id: str,
    request: BookingRequest,
    idempotency_key: str,
    now: datetime,
) -> Booking:
    async with uow:
        existing = await uow.bookings.by_idempotency_key(principal.subject, idempotency_key)
        if existing is not None:
            if existing.activity_id != activity_id:
                raise Conflict("this idempotency key was used for a booking on another activity")
            return existing
        found = await uow.activities.get(activity_id)
        activity = await access.require_visible(uow.directory, principal, found, activity_id)
        if not activity.booking_open(now):
            raise Conflict("booking is not open for this activity")
        person_id = _check_who(principal, activity, request)
        if not activity.details.county_wide:
            member_of = await uow.directory.partnerships_of(request.urn)
            if not member_of & activity.details.partnerships():
                raise Forbidden(
                    f"school {request.urn} is not a member of a partnership this activity is open to"
                )
        if person_id is not None:
            live = [
                b
                for b in await uow.bookings.of_person(person_id)
                if b.activity_id == activity_id
                and (b.status.counted or b.status == BookingStatus.WAITLISTED)
            ]
            if live:
                raise Conflict(f"person {person_id} already has a booking ({live[0].id}) here")
        seats = request.pupils or 1
        if await uow.activities.take_places(activity_id, request.urn, seats):
            approval = person_id is not None and await uow.policies.needs_approval(request.urn)
            status = BookingStatus.AWAITING_APPROVAL if approval else BookingStatus.REGISTERED
        else:
            status = BookingStatus.WAITLISTED
        booking = Booking.place(
            status,
            id=uuid.uuid4().hex[:12],
            activity_id=activity_id,
            urn=request.urn,
            person_id=person_id,
            pupils=request.pupils or 0,
            idempotency_key=idempotency_key,
            requested_by=principal.subject,
            created_at=now,
        )
        await uow.bookings.add(booking)
        await uow.commit()
    return booking


async def _load(
    uow: EventsUnitOfWork, principal: Principal, booking_id: str
) -> tuple[Booking, Activity]:
    booking = await uow.bookings.get(booking_id)
    activity = await uow.activities.get(booking.activity_id) if booking else None
    if booking is None or activity is None:
        raise NotFound(f"no booking {booking_id}")
    if not (
        await access.may_manage_booking(uow.directory, principal, booking, activity)
        or await access.may_approve(uow.directory, principal, booking.urn)
    ):
        raise NotFound(f"no booking {booking_id}")
    return booking, activity


async def _load_to_manage(
    uow: EventsUnitOfWork, principal: Principal, booking_id: str, refusal: str
) -> tuple[Booking, Activity]:
    """A booking the caller may see, if they may also act on it as its holder (403 otherwise)."""
    booking, activity = await _load(uow, principal, booking_id)
    if not await access.may_manage_booking(uow.directory, principal, booking, activity):
        raise Forbidden(refusal)
    return booking, activity


async def get_booking(uow: EventsUnitOfWork, principal: Principal, booking_id: str) -> Booking:
    async with uow:
        booking, _ = await _load(uow, principal, booking_id)
    return booking


def _before_deadline(principal: Principal, activity: Activity, now: datetime, action: str) -> None:
    deadline = activity.details.cancel_by or activity.details.starts_at
    if (
        now >= deadline
        and not principal.county_wide
        and principal.role != Role.PARTNERSHIP_COORDINATOR
    ):
        raise Conflict(f"too late to {action}: the deadline was {deadline.isoformat()}")


@retry_on_write_conflict()
async def cancel_booking(
    uow: EventsUnitOfWork, principal: Principal, booking_id: str, now: datetime | None = None
) -> Booking:
    now = now or datetime.now(UTC)
    async with uow:
        booking, activity = await _load_to_manage(
            uow,
            principal,
            booking_id,
            "only the person booked, their school's lead or a coordinator may cancel",
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
    uow: EventsUnitOfWork,
    principal: Principal,
    booking_id: str,
    person_id: str,
    now: datetime | None = None,
) -> Booking:
    now = now or datetime.now(UTC)
    async with uow:
        booking, activity = await _load_to_manage(
            uow,
            principal,
            booking_id,
            "only the person booked, their school's lead or a coordinator may do this",
        )
        _before_deadline(principal, activity, now, "substitute a colleague")
        colleague = await uow.directory.person(person_id)
        if colleague is None or not any(
            r.urn == booking.urn and r.current(now.date()) for r in colleague.roles
        ):
            raise Invalid(f"person {person_id} holds no current role at school {booking.urn}")
        booking.substitute(person_id)
        await uow.bookings.save(booking)
        await uow.commit()
    return booking


@retry_on_write_conflict()
async def decide(
    uow: EventsUnitOfWork, principal: Principal, booking_id: str, *, approve: bool
) -> Booking:
    """A CPD approver (or the school's lead) approves or rejects a staff booking."""
    async with uow:
        booking, activity = await _load(uow, principal, booking_id)
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
    uow: EventsUnitOfWork, principal: Principal, booking_id: str, now: datetime | None = None
) -> Booking:
    now = now or datetime.now(UTC)
    async with uow:
        booking, _ = await _load_to_manage(
            uow, principal, booking_id, "only the person booked or their school's lead may accept"
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
    uow: EventsUnitOfWork, principal: Principal, activity_id: str
) -> list[Booking]:
    """Coordinators see every booking; school leads their school's; staff their own."""
    async with uow:
        found = await uow.activities.get(activity_id)
        activity = await access.require_visible(uow.directory, principal, found, activity_id)
        bookings = await uow.bookings.of_activity(activity_id)
        if await access.coordinates(uow.directory, principal, activity.details.partnership_id):
            return bookings
        return [
            b
            for b in bookings
            if (b.person_id is not None and b.person_id == principal.person_id)
            or (principal.role == Role.SCHOOL_LEAD and b.urn in principal.schools)
        ]


async def my_bookings(uow: EventsUnitOfWork, principal: Principal) -> list[Booking]:
    async with uow:
        mine = await uow.bookings.of_person(principal.person_id) if principal.person_id else []
        if principal.role == Role.SCHOOL_LEAD:
            ids = {b.id for b in mine}
            mine += [
                b for b in await uow.bookings.of_schools(set(principal.schools)) if b.id not in ids
            ]
        return mine


async def set_approval_policy(
    uow: EventsUnitOfWork, principal: Principal, urn: str, needs_approval: bool
) -> None:
    if not principal.county_wide and not (
        principal.role == Role.SCHOOL_LEAD and urn in principal.schools
    ):
        raise Forbidden(f"only a lead of school {urn} may set its booking policy")
    async with uow:
        await uow.policies.set_needs_approval(urn, needs_approval)
        await uow.commit()
