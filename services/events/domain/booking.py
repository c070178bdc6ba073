"""A booking: a member of staff, or a number of pupil places for a school (never names)."""

import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from pydantic import Field

from contracts import activities as events
from contracts.vocabulary import BookingStatus
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict

S = BookingStatus

# status -> the statuses it may move to
TRANSITIONS: dict[BookingStatus, set[BookingStatus]] = {
    S.AWAITING_APPROVAL: {S.REGISTERED, S.REJECTED, S.CANCELLED},
    S.REGISTERED: {S.ATTENDED, S.NO_SHOW, S.CANCELLED},
    S.WAITLISTED: {S.OFFERED, S.CANCELLED},
    S.OFFERED: {S.REGISTERED, S.EXPIRED, S.CANCELLED},
    S.ATTENDED: {S.NO_SHOW},
    S.NO_SHOW: {S.ATTENDED},
    S.CANCELLED: set(),
    S.REJECTED: set(),
    S.EXPIRED: set(),
}


@dataclass(frozen=True)
class PlaceRequest:
    """What a booking asks for: a place for a member of staff (`person_id`, default: the
    caller), or `pupils` places, at school `urn`."""

    urn: str
    person_id: str | None = None
    pupils: int | None = None


def new_check_in_code() -> str:
    return secrets.token_urlsafe(9)


class Booking(Aggregate):
    id: str
    activity_id: str
    urn: str
    person_id: str | None = None
    pupils: int = 0
    status: BookingStatus
    idempotency_key: str
    requested_by: str = Field(description="Who asked: a person id, or a hash of a caller with none")
    created_at: datetime
    queued_ns: int = Field(
        default_factory=time.time_ns, description="Arrival order: first come, first served"
    )
    offer_expires_at: datetime | None = None
    check_in_code: str = Field(default_factory=new_check_in_code)

    @property
    def places(self) -> int:
        return self.pupils if self.person_id is None else 1

    def _identity(self) -> dict[str, object]:
        return {
            "activity_id": self.activity_id,
            "booking_id": self.id,
            "urn": self.urn,
            "person_id": self.person_id,
            "pupils": self.pupils,
        }

    @classmethod
    def place(cls, status: BookingStatus, **fields: object) -> "Booking":
        booking = cls.model_validate({"status": status, **fields})
        booking.record(
            events.BookingPlaced(**booking._identity(), status=status, places=booking.places)
        )
        return booking

    def move(
        self,
        to: BookingStatus,
        *,
        reason: str | None = None,
        offer_expires_at: datetime | None = None,
    ) -> None:
        if to not in TRANSITIONS[self.status]:
            raise Conflict(f"a booking that is {self.status} cannot become {to}")
        previous, self.status = self.status, to
        self.offer_expires_at = offer_expires_at
        self.record(
            events.BookingStatusChanged(
                **self._identity(),
                previous=previous,
                status=to,
                reason=reason,
                offer_expires_at=offer_expires_at,
            )
        )

    def substitute(self, person_id: str) -> None:
        if self.person_id is None:
            raise Conflict("pupil places are a count: there is no one to substitute")
        if not self.status.counted or self.status in (S.ATTENDED, S.NO_SHOW):
            raise Conflict(f"a booking that is {self.status} cannot be passed to a colleague")
        previous, self.person_id = self.person_id, person_id
        self.check_in_code = new_check_in_code()
        self.record(events.BookingSubstituted(**self._identity(), previous_person_id=previous))
