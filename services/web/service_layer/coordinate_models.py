"""What the coordinator's pages read from the events and reporting services' answers: only the
fields they show or send back (unknown fields are ignored, as in `services.web.models`)."""

from datetime import date, datetime

from pydantic import Field

from contracts.vocabulary import ActivityStatus, BookingStatus, MembershipStatus
from services.web.models import Answer, PartnershipDetails
from services.web.models import CaseStudyContent as PublicContent


class Membership(Answer):
    urn: str
    role: str
    status: str
    invited_on: date | None = None
    joined_on: date | None = None
    suspended_on: date | None = None
    left_on: date | None = None


class Partnership(Answer):
    id: str
    details: PartnershipDetails
    coordinators: list[str] = Field(default_factory=list)
    memberships: dict[str, Membership] = Field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.details.name

    def with_status(self, *statuses: str) -> list[Membership]:
        return [m for m in self.memberships.values() if m.status in statuses]

    @property
    def members(self) -> list[Membership]:
        return self.with_status(MembershipStatus.ACTIVE)


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
    category: str
    format: str
    partnership_id: str
    open_to: list[str] = Field(default_factory=list)
    county_wide: bool = False
    host_urn: str | None = None
    venue: str | None = None
    online_url: str | None = None
    sessions: list[Session]
    audience: Audience = Field(default_factory=Audience)
    capacity: int
    per_school_cap: int | None = None
    minimum_numbers: int | None = None
    booking_opens_at: datetime | None = None
    booking_closes_at: datetime | None = None
    cancel_by: datetime | None = None

    @property
    def starts_at(self) -> datetime:
        return min(s.starts_at for s in self.sessions)

    @property
    def ends_at(self) -> datetime:
        return max(s.ends_at for s in self.sessions)


class Activity(Answer):
    id: str
    details: ActivityDetails
    status: str
    places_taken: int
    places_left: int

    @property
    def title(self) -> str:
        return self.details.title

    @property
    def draft(self) -> bool:
        return self.status == ActivityStatus.DRAFT

    @property
    def live(self) -> bool:
        """Still to be changed: a draft, or published."""
        return self.status in (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED)

    @property
    def has_register(self) -> bool:
        return self.status in (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)


HOLDS_A_PLACE = frozenset(
    {
        BookingStatus.AWAITING_APPROVAL,
        BookingStatus.REGISTERED,
        BookingStatus.OFFERED,
        BookingStatus.ATTENDED,
        BookingStatus.NO_SHOW,
    }
)
EXPECTED = frozenset({BookingStatus.REGISTERED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW})
"""Bookings the register lists: those whose attendance can be recorded."""


class Booking(Answer):
    id: str
    activity_id: str
    urn: str
    person_id: str | None
    pupils: int
    places: int
    status: str
    created_at: datetime
    queued_ns: int
    offer_expires_at: datetime | None = None
    check_in_code: str

    @property
    def for_pupils(self) -> bool:
        return self.person_id is None


class AttendanceRecord(Answer):
    booking_id: str
    name: str | None = None
    pupils: int
    status: str
    already_recorded: bool


class ReviewNote(Answer):
    decision: str
    note: str | None = None
    at: datetime


class CaseStudyContent(PublicContent):
    activity_ids: list[str] = Field(default_factory=list)
    authors: list[str] = Field(default_factory=list)


class CaseStudy(Answer):
    id: str
    partnership_id: str
    content: CaseStudyContent
    status: str
    version: int
    review_notes: list[ReviewNote] = Field(default_factory=list)
    updated_at: datetime
    submitted_at: datetime | None = None
    published_at: datetime | None = None

    @property
    def title(self) -> str:
        return self.content.title

    @property
    def editable(self) -> bool:
        return self.status in ("draft", "returned")

    @property
    def last_note(self) -> ReviewNote | None:
        return self.review_notes[-1] if self.review_notes else None


class TermFigures(Answer):
    term: str
    key: str
    activities: int
    cancelled: int
    by_category: dict[str, int] = Field(default_factory=dict)
    places_offered: int
    places_taken: int
    schools_taking_part: int
    staff_reached: int
    pupils_reached: int
    cpd_hours: float
    attended: int
    no_shows: int
    attendance_rate: float | None = None
    cross_sector_activities: int = 0
    evaluations: int = 0
    support_requested: int = 0
    support_agreed: int = 0
    support_closed: int = 0
    case_studies_published: int = 0


class Participation(Answer):
    partnership_id: str | None
    name: str
    terms: list[TermFigures]


class UnderEngagedSchool(Answer):
    urn: str
    name: str | None = None


class UnderEngaged(Answer):
    term: str
    member_schools: int
    schools: list[UnderEngagedSchool]
