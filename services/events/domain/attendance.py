"""Attendance at an activity, and the certificate it earns.

Coordinators check people in at the door by their booking's code, or mark a booking attended or
no-show; the booking's own transitions record it (events.booking_status_changed.v1). A
certificate of attendance is released to a member of staff once they attended and evaluated it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel

from contracts import attendance as events
from contracts.activities import Session
from contracts.attendance import EvaluationStage
from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict
from services.events.domain.activity import Activity
from services.events.domain.booking import Booking

S = BookingStatus

DOORS_OPEN_BEFORE = timedelta(hours=2)
"""Attendance can be recorded from this long before the first session starts."""

MARKABLE = frozenset({S.REGISTERED, S.ATTENDED, S.NO_SHOW})
"""The statuses of a booking whose attendance can be recorded."""

CERTIFYING_STAGES = frozenset({EvaluationStage.ON_THE_DAY, EvaluationStage.IMPACT})
"""An evaluation at one of these stages, with attendance, releases the certificate."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def require_attendance_open(activity: Activity, now: datetime) -> None:
    """Raise Conflict unless attendance at the activity can be recorded now."""
    if activity.status not in (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED):
        raise Conflict(f"the activity is {activity.status}: there is no attendance to record")
    opens = _aware(activity.details.starts_at) - DOORS_OPEN_BEFORE
    if _aware(now) < opens:
        raise Conflict(
            f"attendance can be recorded from {opens.isoformat()}, "
            f"{DOORS_OPEN_BEFORE.total_seconds() / 3600:g} hours before the activity starts"
        )


def mark(booking: Booking, attended: bool, *, reason: str | None = None) -> bool:
    """Record attendance (or a no-show); False if it was already recorded so."""
    to = S.ATTENDED if attended else S.NO_SHOW
    if booking.status == to:
        return False
    if booking.status not in MARKABLE:
        raise Conflict(
            f"the booking is {booking.status}: only a registered booking can be marked "
            "attended or no-show"
        )
    booking.move(to, reason=reason)
    return True


def require_certificate_released(booking: Booking, stages: Iterable[EvaluationStage]) -> str:
    """The person the certificate names; raises Conflict saying what it still waits for."""
    if booking.person_id is None:
        raise Conflict(
            "certificates are for members of staff: pupil places are a count and name no one"
        )
    if booking.status != S.ATTENDED:
        raise Conflict(
            "the certificate is released once attendance is recorded: "
            f"this booking is {booking.status}"
        )
    if not CERTIFYING_STAGES & set(stages):
        raise Conflict(
            "the certificate is released once the on-the-day (or impact) evaluation is in"
        )
    return booking.person_id


class IssuedCertificate(Aggregate):
    """That a booking's certificate was released, and when: it is told once."""

    booking_id: str
    activity_id: str
    urn: str
    person_id: str
    issued_at: datetime

    @classmethod
    def issue(cls, booking: Booking, person_id: str, now: datetime) -> "IssuedCertificate":
        issued = cls(
            booking_id=booking.id,
            activity_id=booking.activity_id,
            urn=booking.urn,
            person_id=person_id,
            issued_at=now,
        )
        issued.record(
            events.CertificateIssued(
                activity_id=booking.activity_id,
                booking_id=booking.id,
                urn=booking.urn,
                person_id=person_id,
                issued_at=now,
            )
        )
        return issued


class AttendanceCount(BaseModel):
    """Bookings by attendance, and the places (pupils counted) they hold."""

    registered: int = 0
    attended: int = 0
    no_show: int = 0
    places_attended: int = 0


def count_attendance(bookings: Iterable[Booking]) -> AttendanceCount:
    count = AttendanceCount()
    for booking in bookings:
        if booking.status == S.REGISTERED:
            count.registered += 1
        elif booking.status == S.ATTENDED:
            count.attended += 1
            count.places_attended += booking.places
        elif booking.status == S.NO_SHOW:
            count.no_show += 1
    return count


@dataclass(frozen=True)
class CertificateContent:
    person_name: str
    activity_title: str
    partnership_name: str
    host: str | None
    sessions: Sequence[Session]
    issued_on: date
    reference: str

    @property
    def hours(self) -> float:
        total = sum((s.ends_at - s.starts_at for s in self.sessions), timedelta())
        return round(total.total_seconds() / 3600 * 4) / 4  # to the quarter hour
