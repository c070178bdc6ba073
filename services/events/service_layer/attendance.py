"""Handlers for attendance: check in at the door by code, mark attended or no-show, the code's
QR content, and the certificate of attendance (released once attended and evaluated)."""

from datetime import UTC, datetime
from urllib.parse import quote

from pydantic import BaseModel, Field

from contracts.vocabulary import BookingStatus
from eventkit.auth import Principal
from eventkit.errors import Conflict, NotFound
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain import attendance
from services.events.domain.attendance import CertificateContent, IssuedCertificate
from services.events.domain.booking import Booking
from services.events.service_layer import access
from services.events.service_layer.ports import UnitOfWork


class AttendanceRecord(BaseModel):
    """A booking's attendance, as the coordinator at the door sees it."""

    booking_id: str
    activity_id: str
    urn: str
    person_id: str | None
    name: str | None = Field(None, description="The member of staff booked, to greet them")
    pupils: int
    status: BookingStatus
    already_recorded: bool = Field(description="True if nothing changed: it was recorded so")


async def _record(uow: UnitOfWork, booking: Booking, changed: bool) -> AttendanceRecord:
    person = await uow.directory.person(booking.person_id) if booking.person_id else None
    return AttendanceRecord(
        booking_id=booking.id,
        activity_id=booking.activity_id,
        urn=booking.urn,
        person_id=booking.person_id,
        name=person.name if person and person.name and not person.erased else None,
        pupils=booking.pupils,
        status=booking.status,
        already_recorded=not changed,
    )


@retry_on_write_conflict()
async def record_attendance(
    uow: UnitOfWork,
    principal: Principal,
    booking_id: str,
    attended: bool,
    reason: str | None = None,
    now: datetime | None = None,
) -> AttendanceRecord:
    """A coordinator marks a booking attended or no-show (and may correct it later)."""
    now = now or datetime.now(UTC)
    async with uow:
        booking, activity = await access.load_booking(
            uow,
            principal,
            booking_id,
            seen_by=access.manages_booking,
            may=access.coordinates_booking,
        )
        attendance.require_attendance_open(activity, now)
        changed = attendance.mark(booking, attended, reason=reason)
        record = await _record(uow, booking, changed)
        if changed:
            await uow.bookings.save(booking)
            await uow.commit()
    return record


@retry_on_write_conflict()
async def check_in(
    uow: UnitOfWork,
    principal: Principal,
    activity_id: str,
    code: str,
    now: datetime | None = None,
) -> AttendanceRecord:
    """A coordinator at the door checks a booking in by its code: it is marked attended."""
    now = now or datetime.now(UTC)
    async with uow:
        activity = await access.load_activity(
            uow, principal, activity_id, may=access.coordinates_activity
        )
        booking = await uow.bookings.by_check_in_code(activity_id, code.strip())
        if booking is None:
            raise NotFound("no booking for this activity has that check-in code")
        attendance.require_attendance_open(activity, now)
        if booking.status not in attendance.MARKABLE:
            raise Conflict(f"the booking is {booking.status}: it cannot be checked in")
        changed = attendance.mark(booking, True, reason="checked in")
        record = await _record(uow, booking, changed)
        if changed:
            await uow.bookings.save(booking)
            await uow.commit()
    return record


async def check_in_content(
    uow: UnitOfWork, principal: Principal, booking_id: str, public_base_url: str = ""
) -> str:
    """What the booking's QR code holds: its check-in code, or a check-in link if the service
    has a public address."""
    async with uow:
        booking, _ = await access.load_booking(
            uow, principal, booking_id, seen_by=access.manages_booking
        )
    if not public_base_url:
        return booking.check_in_code
    base = public_base_url.rstrip("/")
    return (
        f"{base}/activities/{quote(booking.activity_id)}/check-in"
        f"?code={quote(booking.check_in_code)}"
    )


@retry_on_write_conflict()
async def release_certificate(
    uow: UnitOfWork,
    principal: Principal,
    booking_id: str,
    now: datetime | None = None,
) -> CertificateContent:
    """What the certificate says, once attendance and an evaluation are in. The first release
    is recorded and told (events.certificate_issued.v1); later ones show the same issue date."""
    now = now or datetime.now(UTC)
    async with uow:
        booking, activity = await access.load_booking(
            uow, principal, booking_id, seen_by=access.manages_booking
        )
        stages = await uow.evaluations.stages_of(booking.id)
        person_id = attendance.require_certificate_released(booking, stages)
        person = await uow.directory.person(person_id)
        if person is None or not person.name:
            raise Conflict("the person booked is not known here yet: try again shortly")
        if person.erased:
            raise Conflict("the person booked was erased: there is no one to name")
        details = activity.details
        partnership = await uow.directory.partnership(details.partnership_id)
        school = await uow.directory.school(details.host_urn) if details.host_urn else None
        issued = await uow.certificates.get(booking.id)
        if issued is None:
            issued = IssuedCertificate.issue(booking, person_id, now)
            await uow.certificates.add(issued)
            await uow.commit()
    host = ", ".join(p for p in (school.name if school else None, details.venue) if p)
    return CertificateContent(
        person_name=person.name,
        activity_title=details.title,
        partnership_name=partnership.name if partnership else "",
        host=host or None,
        sessions=details.sessions,
        issued_on=issued.issued_at.date(),
        reference=booking.id,
    )
