"""What the events API answers: views of the aggregates, without their internal fields (the
version counter of optimistic concurrency, who called, the per-school tallies...)."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Self

from pydantic import BaseModel, Field

from contracts.attendance import EvaluationStage
from contracts.placements import PlacementSwapStatus
from contracts.publications import PublicationKind
from contracts.support import SupportStatus
from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.aggregate import Aggregate
from services.events.domain.activity import ActivityDetails
from services.events.domain.case_study import CaseStudyContent, CaseStudyStatus, ReviewNote
from services.events.domain.placement_swap import SchoolAgreement, SwapLeg
from services.events.domain.publication import IssueDetails
from services.events.domain.support import Agreement, Closure, Review, SupportNeed, Visit


class View(BaseModel):
    """Made from an aggregate's attributes (its properties too), keeping only the view's fields."""

    @classmethod
    def of(cls, aggregate: Aggregate) -> Self:
        return cls.model_validate(aggregate, from_attributes=True)

    @classmethod
    def many(cls, aggregates: Sequence[Aggregate]) -> list[Self]:
        return [cls.of(a) for a in aggregates]


class ActivityView(View):
    id: str
    details: ActivityDetails
    status: ActivityStatus
    sequence: int = Field(description="Goes up when it is rescheduled or cancelled")
    places_taken: int
    places_left: int


class BookingView(View):
    id: str
    activity_id: str
    urn: str
    person_id: str | None
    pupils: int
    places: int
    status: BookingStatus
    idempotency_key: str = Field(description="The key it was made with")
    created_at: datetime
    queued_ns: int = Field(description="Arrival order: first come, first served")
    offer_expires_at: datetime | None
    check_in_code: str


class EvaluationView(View):
    id: str
    booking_id: str
    activity_id: str
    urn: str
    stage: EvaluationStage
    person_id: str | None
    respondents: int
    ratings: dict[str, int]
    answers: dict[str, str]
    answers_erased: bool
    submitted_at: datetime


class CaseStudyView(View):
    id: str
    partnership_id: str
    content: CaseStudyContent
    status: CaseStudyStatus
    version: int = Field(description="Send it back when you edit, to learn of edits meanwhile")
    review_notes: list[ReviewNote]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None


class SupportEngagementView(View):
    id: str
    partnership_id: str
    requesting_urn: str
    need: SupportNeed
    status: SupportStatus
    supporting_urn: str | None
    agreement: Agreement | None
    agreed_by: list[str]
    visits: list[Visit]
    review: Review | None
    closure: Closure | None
    withdrawal_reason: str | None
    requested_at: datetime


class PlacementSwapView(View):
    id: str
    partnership_id: str
    activity_id: str | None
    legs: list[SwapLeg]
    status: PlacementSwapStatus
    agreements: list[SchoolAgreement] = Field(description="Each school's agreement so far")
    completed_on: date | None
    cancellation_reason: str | None
    proposed_at: datetime


class IssueView(IssueDetails):
    id: str
    pupils: int = Field(description="Pupils who contributed, all schools together")


class PublicationView(View):
    id: str
    partnership_id: str
    title: str
    kind: PublicationKind
    issues: list[IssueView]
    started_at: datetime
