"""Events of the events service about school-to-school support, on `partnerships.events.v1`.

A school asks for support through a partnership; a supporting school is matched; both schools
agree objectives and dates; the supporting school visits, each visit with a short impact note; a
mid-term review; a close with an outcome. Every event is keyed by the engagement id, so one
engagement's story is told in order. Only schools (URNs) are named, never people.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS as EVENTS_TOPIC
from contracts.topics import Topic
from contracts.vocabulary import ActivityCategory, Phase


class SupportStatus(StrEnum):
    REQUESTED = "requested"
    MATCHED = "matched"
    AGREED = "agreed"
    ACTIVE = "active"
    REVIEWED = "reviewed"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class SupportOutcome(StrEnum):
    """How far the agreed objectives were met, as the coordinator judges at the close."""

    OBJECTIVES_MET = "objectives_met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"


class _SupportEvent(IntegrationEvent):
    topic: ClassVar[Topic] = EVENTS_TOPIC
    engagement_id: str
    partnership_id: str = Field(description="The partnership through which support is sought")
    requesting_urn: str = Field(description="The school asking for support")

    def aggregate_id(self) -> str:
        return self.engagement_id


class SupportRequested(_SupportEvent):
    type: ClassVar[str] = "events.support_requested.v1"
    subjects: list[str] = Field(default_factory=list)
    categories: list[ActivityCategory] = Field(default_factory=list)
    phase: Phase | None = None
    requested_at: datetime | None = None


class SupportMatched(_SupportEvent):
    """A supporting school was chosen (again, if it replaces an earlier choice)."""

    type: ClassVar[str] = "events.support_matched.v1"
    supporting_urn: str
    previous_supporting_urn: str | None = None


class SupportAgreed(_SupportEvent):
    """Both schools' leads agreed the same objectives, dates and number of visits."""

    type: ClassVar[str] = "events.support_agreed.v1"
    supporting_urn: str
    objectives: list[str]
    starts_on: date
    ends_on: date
    visits_planned: int


class SupportVisitRecorded(_SupportEvent):
    type: ClassVar[str] = "events.support_visit_recorded.v1"
    supporting_urn: str
    visit_number: int = Field(description="1 for the first visit")
    visits_planned: int
    on: date
    impact_note: str = Field(description="A short operational note of the visit's impact")


class SupportReviewed(_SupportEvent):
    """The mid-term review."""

    type: ClassVar[str] = "events.support_reviewed.v1"
    supporting_urn: str
    on: date
    progress: int = Field(ge=1, le=5, description="1 (little progress) to 5 (excellent)")
    visits: int = Field(description="Visits recorded so far")


class SupportClosed(_SupportEvent):
    type: ClassVar[str] = "events.support_closed.v1"
    supporting_urn: str
    on: date
    outcome: SupportOutcome
    visits: int = Field(description="Visits recorded in all")


class SupportWithdrawn(_SupportEvent):
    type: ClassVar[str] = "events.support_withdrawn.v1"
    previous_status: SupportStatus
    supporting_urn: str | None = None


EVENTS: tuple[type[IntegrationEvent], ...] = (
    SupportRequested,
    SupportMatched,
    SupportAgreed,
    SupportVisitRecorded,
    SupportReviewed,
    SupportClosed,
    SupportWithdrawn,
)
