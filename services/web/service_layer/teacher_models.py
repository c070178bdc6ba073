"""What a teacher's pages read from the events service's answers: activities, bookings and
evaluations, with the words and dates the pages show."""

from dataclasses import dataclass
from datetime import datetime

from pydantic import Field

from contracts.vocabulary import ActivityStatus, BookingStatus
from services.web import words
from services.web.models import Answer
from services.web.rendering import ENGLAND
from services.web.service_layer import teacher_words as tw
from services.web.words import FORMATS

LIVE = frozenset(
    {
        BookingStatus.AWAITING_APPROVAL,
        BookingStatus.REGISTERED,
        BookingStatus.WAITLISTED,
        BookingStatus.OFFERED,
    }
)
"""Bookings the person may still cancel (or hand on, when they hold a place)."""

HOLDS_PLACE = frozenset(
    {BookingStatus.AWAITING_APPROVAL, BookingStatus.REGISTERED, BookingStatus.OFFERED}
)


@dataclass(frozen=True, order=True)
class Term:
    """A school term: autumn (September to December), spring (January to March), summer."""

    year: int
    """The academic year's first calendar year: 2025 is 2025/26."""
    season: int
    """0 autumn, 1 spring, 2 summer."""

    SEASONS = ("autumn", "spring", "summer")

    @classmethod
    def of(cls, moment: datetime) -> "Term":
        local = moment.astimezone(ENGLAND)
        if local.month >= 9:
            return cls(local.year, 0)
        return cls(local.year - 1, 1 if local.month <= 3 else 2)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.SEASONS[self.season]}"

    @property
    def name(self) -> str:
        return f"{self.SEASONS[self.season].title()} {self.year}/{(self.year + 1) % 100:02d}"


class Session(Answer):
    starts_at: datetime
    ends_at: datetime

    @property
    def when(self) -> str:
        return tw.span(self.starts_at, self.ends_at)


class Audience(Answer):
    staff: bool = True
    pupils: bool = False
    phases: list[str] = Field(default_factory=list)


class ActivityDetails(Answer):
    title: str
    description: str | None = None
    category: str
    format: str
    partnership_id: str
    host_urn: str | None = None
    venue: str | None = None
    online_url: str | None = None
    sessions: list[Session]
    audience: Audience = Field(default_factory=Audience)
    capacity: int
    booking_opens_at: datetime | None = None
    booking_closes_at: datetime | None = None
    cancel_by: datetime | None = None


class Activity(Answer):
    id: str
    details: ActivityDetails
    status: str
    places_left: int

    @property
    def title(self) -> str:
        return self.details.title

    @property
    def sessions(self) -> list[Session]:
        return sorted(self.details.sessions, key=lambda s: s.starts_at)

    @property
    def starts_at(self) -> datetime:
        return self.sessions[0].starts_at

    @property
    def ends_at(self) -> datetime:
        return max(s.ends_at for s in self.details.sessions)

    @property
    def term(self) -> Term:
        return Term.of(self.starts_at)

    @property
    def when(self) -> str:
        """The first session, and how many more there are."""
        first = self.sessions[0].when
        more = len(self.sessions) - 1
        if more:
            return f"{first} (and {more} more session{'s' if more > 1 else ''})"
        return first

    @property
    def where(self) -> str:
        if self.details.venue and self.details.online_url:
            return f"{self.details.venue}, or online"
        return self.details.venue or "Online"

    @property
    def format_name(self) -> str:
        return tw.word(FORMATS, self.details.format)

    @property
    def category_name(self) -> str:
        return words.word(words.CATEGORIES, self.details.category)

    @property
    def phase_names(self) -> str:
        phases = self.details.audience.phases
        if not phases:
            return "All phases"
        return ", ".join(words.word(words.PHASES, p) for p in phases)

    @property
    def for_staff(self) -> bool:
        return self.details.audience.staff

    @property
    def published(self) -> bool:
        return self.status == ActivityStatus.PUBLISHED

    @property
    def cancelled(self) -> bool:
        return self.status == ActivityStatus.CANCELLED

    def over(self, now: datetime) -> bool:
        return self.ends_at <= now

    def booking_state(self, now: datetime) -> str | None:
        """Why it cannot be booked now, in words; None if it can."""
        d = self.details
        if self.cancelled:
            return "This activity has been cancelled."
        if not self.published or self.starts_at <= now:
            return "Booking has closed: the activity has started."
        if not self.for_staff:
            return "This activity is for pupils: your school's lead books pupil places."
        if d.booking_opens_at and now < d.booking_opens_at:
            return f"Booking opens at {tw.moment(d.booking_opens_at)}."
        if d.booking_closes_at and d.booking_closes_at <= now:
            return "Booking has closed."
        return None

    @property
    def changes_until(self) -> datetime:
        """Until when a booking may be cancelled or handed to a colleague."""
        return self.details.cancel_by or self.starts_at

    @property
    def changes_until_words(self) -> str:
        return tw.moment(self.changes_until)

    @property
    def closes(self) -> str | None:
        closes = self.details.booking_closes_at
        return tw.moment(closes) if closes else None

    @property
    def places_words(self) -> str:
        if self.places_left == 0:
            return "Full: you can join the waiting list"
        return f"{self.places_left} place{'s' if self.places_left != 1 else ''} left"


class Booking(Answer):
    id: str
    activity_id: str
    urn: str
    person_id: str | None
    status: str
    idempotency_key: str
    created_at: datetime
    offer_expires_at: datetime | None = None
    check_in_code: str

    @property
    def status_words(self) -> str:
        return tw.BOOKING_STATUSES.get(self.status, (self.status, "grey"))[0]

    @property
    def status_colour(self) -> str:
        return tw.BOOKING_STATUSES.get(self.status, (self.status, "grey"))[1]

    @property
    def live(self) -> bool:
        return self.status in LIVE

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE

    @property
    def attended(self) -> bool:
        return self.status == BookingStatus.ATTENDED

    @property
    def offered(self) -> bool:
        return self.status == BookingStatus.OFFERED

    @property
    def checks_in(self) -> bool:
        """Has a code to show at the door."""
        return self.status == BookingStatus.REGISTERED


class Evaluation(Answer):
    stage: str
    ratings: dict[str, int] = Field(default_factory=dict)
    answers: dict[str, str] = Field(default_factory=dict)
    submitted_at: datetime


class StageForm(Answer):
    scales: dict[str, str]
    questions: dict[str, str]
    required: list[str] = Field(default_factory=list)


class CalendarLink(Answer):
    id: str
    feed: str
    created_at: datetime
    revoked_at: datetime | None = None
