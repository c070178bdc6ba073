"""Events of the events service about activities and bookings, on `partnerships.events.v1`.

Activity events are keyed by activity id; booking events by activity id too, so that one
activity's places are told in order.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS as EVENTS_TOPIC
from contracts.topics import Topic
from contracts.vocabulary import (
    ActivityCategory,
    ActivityFormat,
    ActivityStatus,
    BookingStatus,
    ContributorRole,
    Phase,
)


class Session(BaseModel):
    starts_at: datetime
    ends_at: datetime


class Audience(BaseModel):
    staff: bool = True
    pupils: bool = False
    phases: list[Phase] = Field(default_factory=list)


class _ActivityEvent(IntegrationEvent):
    topic: ClassVar[Topic] = EVENTS_TOPIC
    activity_id: str

    def aggregate_id(self) -> str:
        return self.activity_id


class ActivityPublished(_ActivityEvent):
    """An activity open for booking, as it now stands (also sent again when its details change)."""

    type: ClassVar[str] = "events.activity_published.v1"
    title: str
    category: ActivityCategory
    format: ActivityFormat
    partnership_id: str = Field(description="The partnership that runs it")
    open_to: list[str] = Field(default_factory=list, description="Partnership ids it is open to")
    county_wide: bool = False
    host_urn: str | None = None
    venue: str | None = None
    online_url: str | None = None
    sessions: list[Session]
    audience: Audience
    capacity: int
    per_school_cap: int | None = None
    minimum_numbers: int | None = None
    booking_opens_at: datetime | None = None
    booking_closes_at: datetime | None = None
    status: ActivityStatus
    sequence: int = Field(description="Goes up with every reschedule (iCalendar SEQUENCE)")


class ActivityRescheduled(_ActivityEvent):
    type: ClassVar[str] = "events.activity_rescheduled.v1"
    sessions: list[Session]
    sequence: int
    reason: str | None = None


class ActivityCancelled(_ActivityEvent):
    type: ClassVar[str] = "events.activity_cancelled.v1"
    sequence: int
    reason: str | None = None


class ActivityCompleted(_ActivityEvent):
    type: ClassVar[str] = "events.activity_completed.v1"
    completed_on: date


class MinimumNumbersAtRisk(_ActivityEvent):
    """The booking deadline nears and fewer than the minimum have booked: warn the coordinator."""

    type: ClassVar[str] = "events.minimum_numbers_at_risk.v1"
    booked: int
    minimum_numbers: int
    booking_closes_at: datetime


class ContributorStatus(StrEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class _ContributorEvent(_ActivityEvent):
    contributor_id: str
    partnership_id: str = Field(description="The partnership that runs the activity")
    person_id: str = Field(description="Who speaks, facilitates or hosts (not a booking)")
    role: ContributorRole


class ContributorInvited(_ContributorEvent):
    type: ClassVar[str] = "events.contributor_invited.v1"


class ContributorAnswered(_ContributorEvent):
    """The contributor confirmed or declined (or changed their mind), or was withdrawn."""

    type: ClassVar[str] = "events.contributor_answered.v1"
    status: ContributorStatus


class _FundsEvent(_ActivityEvent):
    entry_id: str
    partnership_id: str = Field(description="The partnership that runs the activity")


class FundsRaised(_FundsEvent):
    """Money an activity raised for a named charity (pupils' sponsored events, a concert...)."""

    type: ClassVar[str] = "events.funds_raised.v1"
    charity: str
    charity_number: str | None = Field(None, description="Its number in the charity register")
    amount_pence: int
    raised_on: date


class FundsEntryRemoved(_FundsEvent):
    """An entry made in error is taken out of the totals."""

    type: ClassVar[str] = "events.funds_entry_removed.v1"


class _BookingEvent(_ActivityEvent):
    booking_id: str
    urn: str = Field(description="The school the booking is for")
    person_id: str | None = Field(None, description="Staff booked; None for pupil places")
    pupils: int = Field(0, description="Pupil places: a count, pupils are never named")


class BookingPlaced(_BookingEvent):
    type: ClassVar[str] = "events.booking_placed.v1"
    status: BookingStatus
    places: int


class BookingStatusChanged(_BookingEvent):
    type: ClassVar[str] = "events.booking_status_changed.v1"
    previous: BookingStatus
    status: BookingStatus
    reason: str | None = None
    offer_expires_at: datetime | None = None


class BookingSubstituted(_BookingEvent):
    """A colleague takes the place: `person_id` is the new attendee."""

    type: ClassVar[str] = "events.booking_substituted.v1"
    previous_person_id: str


EVENTS: tuple[type[IntegrationEvent], ...] = (
    ActivityPublished,
    ActivityRescheduled,
    ActivityCancelled,
    ActivityCompleted,
    MinimumNumbersAtRisk,
    BookingPlaced,
    BookingStatusChanged,
    BookingSubstituted,
    ContributorInvited,
    ContributorAnswered,
    FundsRaised,
    FundsEntryRemoved,
)
