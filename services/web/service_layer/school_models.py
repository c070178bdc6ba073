"""What a school lead's pages read from the services' answers: only the fields they show."""

from datetime import date, datetime

from pydantic import Field

from contracts.vocabulary import ActivityStatus, BookingStatus
from services.web.models import Answer, PersonDetails
from services.web.service_layer import school_words as words
from services.web.words import FORMATS


class Session(Answer):
    starts_at: datetime
    ends_at: datetime


class Audience(Answer):
    staff: bool = True
    pupils: bool = False
    phases: list[str] = Field(default_factory=list)


class ActivityDetails(Answer):
    title: str
    description: str | None = None
    format: str
    partnership_id: str
    venue: str | None = None
    online_url: str | None = None
    sessions: list[Session]
    audience: Audience = Field(default_factory=Audience)
    capacity: int
    per_school_cap: int | None = None
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
    def when(self) -> str:
        return words.when([(s.starts_at, s.ends_at) for s in self.details.sessions])

    @property
    def starts_at(self) -> datetime:
        return min(s.starts_at for s in self.details.sessions)

    @property
    def where(self) -> str:
        return self.details.venue or "Online"

    @property
    def format(self) -> str:
        return FORMATS.get(self.details.format, self.details.format)

    def booking_open(self, now: datetime) -> bool:
        d = self.details
        return (
            self.status == ActivityStatus.PUBLISHED
            and (d.booking_opens_at is None or d.booking_opens_at <= now)
            and (d.booking_closes_at is None or now < d.booking_closes_at)
            and now < self.starts_at
        )

    def may_cancel(self, now: datetime) -> bool:
        return now < (self.details.cancel_by or self.starts_at)


class Booking(Answer):
    id: str
    activity_id: str
    urn: str
    person_id: str | None
    pupils: int
    places: int
    status: str
    created_at: datetime

    @property
    def status_words(self) -> tuple[str, str]:
        return words.BOOKING_STATUSES.get(self.status, (self.status, "grey"))

    @property
    def counted(self) -> bool:
        return BookingStatus(self.status).counted


class Role(Answer):
    id: str
    role: str
    urn: str | None = None
    starts_on: date
    ends_on: date | None = None

    def current(self, today: date) -> bool:
        return self.starts_on <= today and (self.ends_on is None or self.ends_on > today)

    @property
    def name(self) -> str:
        return words.STAFF_ROLES.get(self.role, self.role.replace("_", " ").capitalize())


class StaffPerson(Answer):
    id: str
    details: PersonDetails | None
    roles: list[Role] = Field(default_factory=list)

    @property
    def name(self) -> str:
        return self.details.name if self.details else "A person whose details were erased"
