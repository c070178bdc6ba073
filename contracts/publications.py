"""Events of the events service about publications, on `partnerships.events.v1`.

A partnership's magazine, newsletter or anthology, made by pupils of its schools. Each issue
counts, per school, the pupils who contributed: pupils are counted, never named. Keyed by the
publication id, so one publication's story stays in order.
"""

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS as EVENTS_TOPIC
from contracts.topics import Topic


class PublicationKind(StrEnum):
    MAGAZINE = "magazine"
    NEWSLETTER = "newsletter"
    ANTHOLOGY = "anthology"


class PupilContribution(BaseModel):
    urn: str = Field(description="The contributing school")
    pupils: int = Field(description="How many of its pupils contributed")


class _PublicationEvent(IntegrationEvent):
    topic: ClassVar[Topic] = EVENTS_TOPIC
    publication_id: str
    partnership_id: str = Field(description="The partnership whose publication it is")

    def aggregate_id(self) -> str:
        return self.publication_id


class PublicationStarted(_PublicationEvent):
    type: ClassVar[str] = "events.publication_started.v1"
    kind: PublicationKind
    title: str


class PublicationIssuePublished(_PublicationEvent):
    type: ClassVar[str] = "events.publication_issue_published.v1"
    kind: PublicationKind
    issue_id: str
    number: int | None = Field(None, description="The issue's number, if it has one")
    published_on: date
    contributions: list[PupilContribution] = Field(default_factory=list)
    pupils: int = Field(description="Pupils who contributed, all schools together")


class PublicationContributionRecorded(_PublicationEvent):
    """A school's count of contributing pupils on an issue, recorded or corrected after it was
    published; `pupils` is the issue's new total."""

    type: ClassVar[str] = "events.publication_contribution_recorded.v1"
    issue_id: str
    published_on: date
    contribution: PupilContribution
    previous_pupils: int = Field(0, description="The school's count before (0: none)")
    pupils: int = Field(description="Pupils who contributed to the issue, all schools together")


EVENTS: tuple[type[IntegrationEvent], ...] = (
    PublicationStarted,
    PublicationIssuePublished,
    PublicationContributionRecorded,
)
