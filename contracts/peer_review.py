"""Events of the events service about peer review, on `partnerships.events.v1`.

Sector-led improvement: heads and senior leaders of other schools in a partnership review one
member school against focus areas it chose, visit it, report strengths and areas for
development; the school agrees actions, follows them up and closes the review. Every event is
keyed by the review id, so one review's story is told in order.

The review's words are the school's to share: its focus areas, findings, actions and reasons
never travel here, only ids, URNs, dates, counts, statuses and category tags.
"""

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.topics import EVENTS as EVENTS_TOPIC
from contracts.topics import Topic
from contracts.vocabulary import ActivityCategory


class PeerReviewStatus(StrEnum):
    PLANNED = "planned"
    VISITED = "visited"
    REPORTED = "reported"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class PeerReviewSharing(StrEnum):
    """Who reads the findings and actions besides the reviewed school's leads and the
    reviewers, as the reviewed school decides."""

    SCHOOL_AND_REVIEWERS = "school_and_reviewers"
    PARTNERSHIP = "partnership"  # the partnership's coordinators, the leads of member schools
    COUNTY = "county"  # county officers too


class FindingKind(StrEnum):
    STRENGTH = "strength"
    AREA_FOR_DEVELOPMENT = "area_for_development"


class _PeerReviewEvent(IntegrationEvent):
    topic: ClassVar[Topic] = EVENTS_TOPIC
    review_id: str
    partnership_id: str
    reviewed_urn: str = Field(description="The school reviewed")

    def aggregate_id(self) -> str:
        return self.review_id


class PeerReviewPlanned(_PeerReviewEvent):
    type: ClassVar[str] = "events.peer_review_planned.v1"
    reviewer_ids: list[str] = Field(description="Person ids of the reviewers")
    focus_area_count: int
    categories: list[ActivityCategory] = Field(default_factory=list)
    visit_dates: list[date] = Field(description="The days the visit is planned for")
    sharing: PeerReviewSharing = PeerReviewSharing.SCHOOL_AND_REVIEWERS


class PeerReviewVisited(_PeerReviewEvent):
    type: ClassVar[str] = "events.peer_review_visited.v1"
    visit_dates: list[date] = Field(description="The days the reviewers visited")
    reviewer_ids: list[str]


class PeerReviewReported(_PeerReviewEvent):
    """The findings were recorded (again, if this replaces an earlier report)."""

    type: ClassVar[str] = "events.peer_review_reported.v1"
    reported_on: date
    strengths: int
    areas_for_development: int


class _ActionEvent(_PeerReviewEvent):
    action_id: str
    actions_agreed: int = Field(description="Actions agreed in the review so far")
    actions_done: int = Field(description="Of those, how many are done")


class PeerReviewActionAgreed(_ActionEvent):
    type: ClassVar[str] = "events.peer_review_action_agreed.v1"
    agreed_on: date
    due_on: date
    owner_person_id: str | None = Field(None, description="Who at the reviewed school owns it")


class PeerReviewActionFollowedUp(_ActionEvent):
    type: ClassVar[str] = "events.peer_review_action_followed_up.v1"
    on: date
    follow_ups: int = Field(description="Follow-up notes on the action so far")


class PeerReviewActionDone(_ActionEvent):
    type: ClassVar[str] = "events.peer_review_action_done.v1"
    done_on: date
    due_on: date


class PeerReviewSharingChanged(_PeerReviewEvent):
    type: ClassVar[str] = "events.peer_review_sharing_changed.v1"
    sharing: PeerReviewSharing
    previous_sharing: PeerReviewSharing


class PeerReviewClosed(_PeerReviewEvent):
    type: ClassVar[str] = "events.peer_review_closed.v1"
    closed_on: date
    actions_agreed: int
    actions_done: int
    with_reasons: bool = Field(description="Closed with reasons (actions left not done)")


class PeerReviewWithdrawn(_PeerReviewEvent):
    type: ClassVar[str] = "events.peer_review_withdrawn.v1"
    previous_status: PeerReviewStatus


EVENTS: tuple[type[IntegrationEvent], ...] = (
    PeerReviewPlanned,
    PeerReviewVisited,
    PeerReviewReported,
    PeerReviewActionAgreed,
    PeerReviewActionFollowedUp,
    PeerReviewActionDone,
    PeerReviewSharingChanged,
    PeerReviewClosed,
    PeerReviewWithdrawn,
)
