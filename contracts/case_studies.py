"""Events of the events service about case studies, on `partnerships.events.v1`.

A case study is written by a partnership as aims / background / resources / impact, quality
assured by a county officer, then published for the whole county. Drafts raise no events: only
what reaches a reviewer or the public is told. Keyed by case study id, so one case study's
story stays in order. Authors are person ids, never names.
"""

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS as EVENTS_TOPIC
from contracts.topics import Topic
from contracts.vocabulary import ActivityCategory


class _CaseStudyEvent(IntegrationEvent):
    topic: ClassVar[Topic] = EVENTS_TOPIC
    case_study_id: str
    partnership_id: str = Field(description="The partnership whose work it tells")
    title: str
    categories: list[ActivityCategory] = Field(default_factory=list)
    activity_ids: list[str] = Field(default_factory=list, description="Activities it draws on")
    urns: list[str] = Field(default_factory=list, description="Schools it is about")
    authors: list[str] = Field(default_factory=list, description="Person ids of its authors")

    def aggregate_id(self) -> str:
        return self.case_study_id


class CaseStudySubmitted(_CaseStudyEvent):
    """Sent to the county for quality assurance."""

    type: ClassVar[str] = "events.case_study_submitted.v1"
    summary: str
    submitted_at: datetime | None = Field(None, description="Each submission's own time")


class CaseStudyReturned(_CaseStudyEvent):
    """A county officer sent it back to its authors with feedback."""

    type: ClassVar[str] = "events.case_study_returned.v1"
    note: str = Field(description="The officer's feedback")


class CaseStudyApproved(_CaseStudyEvent):
    """A county officer judged it suitable, with a real impact on pupils: it may be published."""

    type: ClassVar[str] = "events.case_study_approved.v1"
    note: str | None = None


class CaseStudyPublished(_CaseStudyEvent):
    """Published county-wide; the text is public, so it travels whole."""

    type: ClassVar[str] = "events.case_study_published.v1"
    published_at: datetime | None = None
    summary: str
    aims: str | None = None
    background: str | None = None
    resources: str | None = None
    impact: str


class CaseStudyWithdrawn(_CaseStudyEvent):
    """A county officer took a published case study down; it is a draft again."""

    type: ClassVar[str] = "events.case_study_withdrawn.v1"
    reason: str


EVENTS: tuple[type[IntegrationEvent], ...] = (
    CaseStudySubmitted,
    CaseStudyReturned,
    CaseStudyApproved,
    CaseStudyPublished,
    CaseStudyWithdrawn,
)
