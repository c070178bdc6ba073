"""HTTP routes for peer review (sector-led improvement)."""

from datetime import date, datetime
from typing import Annotated, Self

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from contracts.peer_review import FindingKind, PeerReviewSharing, PeerReviewStatus
from contracts.vocabulary import ActivityCategory
from eventkit.auth import CurrentPrincipal
from eventkit.inputs import Day, HappenedOn, Text
from services.events.domain.peer_review import AgreedAction, Finding, Note, PeerReviewPlan
from services.events.entrypoints.dependencies import UoW
from services.events.service_layer import peer_reviews as handlers
from services.events.service_layer.peer_reviews import SeenReview

router = APIRouter(tags=["peer review"])


class PeerReviewView(BaseModel):
    """A peer review. Its findings, actions and reasons are shown only to those the reviewed
    school shares them with (`findings_shown`); everyone else who may know of the review gets
    it without them (null), with the counts."""

    id: str
    partnership_id: str
    reviewed_urn: str
    reviewer_ids: list[str]
    focus_areas: list[str]
    categories: list[ActivityCategory]
    visit_dates: list[date]
    status: PeerReviewStatus
    sharing: PeerReviewSharing
    reported_on: date | None
    strengths: int
    areas_for_development: int
    actions_agreed: int
    actions_done: int
    closed_on: date | None
    findings_shown: bool
    findings: list[Finding] | None
    actions: list[AgreedAction] | None
    closing_reasons: str | None
    withdrawal_reason: str | None
    planned_at: datetime

    @classmethod
    def of(cls, seen: SeenReview) -> Self:
        review, shown = seen.review, seen.reads_findings
        return cls(
            **review.model_dump(
                include={
                    "id",
                    "partnership_id",
                    "reviewed_urn",
                    "reviewer_ids",
                    "focus_areas",
                    "categories",
                    "visit_dates",
                    "status",
                    "sharing",
                    "reported_on",
                    "planned_at",
                }
            ),
            strengths=review.count(FindingKind.STRENGTH),
            areas_for_development=review.count(FindingKind.AREA_FOR_DEVELOPMENT),
            actions_agreed=len(review.actions),
            actions_done=review.actions_done,
            closed_on=review.closure.on if review.closure else None,
            findings_shown=shown,
            findings=review.findings if shown else None,
            actions=review.actions if shown else None,
            closing_reasons=review.closure.reasons if shown and review.closure else None,
            withdrawal_reason=review.withdrawal_reason if shown else None,
        )

    @classmethod
    def many(cls, seen: list[SeenReview]) -> list[Self]:
        return [cls.of(s) for s in seen]


class VisitIn(BaseModel):
    visit_dates: list[HappenedOn] | None = Field(
        None, min_length=1, max_length=5, description="The days of the visit (default: as planned)"
    )


class FindingsIn(BaseModel):
    reported_on: HappenedOn = Field(default_factory=date.today)
    findings: list[Finding] = Field(min_length=1, max_length=60)


class ActionIn(BaseModel):
    text: Annotated[Text, Field(max_length=2000)]
    due_on: Day
    agreed_on: HappenedOn | None = Field(None, description="Default: today")
    owner_person_id: Annotated[str, Field(max_length=100)] | None = Field(
        None, description="Who at the reviewed school owns it (the school does in any case)"
    )


class FollowUpIn(BaseModel):
    note: Note
    on: HappenedOn | None = Field(None, description="Default: today")


class DoneIn(BaseModel):
    on: HappenedOn | None = Field(None, description="Default: today")


class SharingIn(BaseModel):
    sharing: PeerReviewSharing


class CloseIn(BaseModel):
    on: HappenedOn | None = Field(None, description="Default: today")
    reasons: Note | None = Field(None, description="Needed while agreed actions are not done")


class WithdrawIn(BaseModel):
    reason: Note | None = None


@router.post(
    "/peer-reviews",
    status_code=status.HTTP_201_CREATED,
    summary="Plan a peer review of a member school by leaders of others",
)
async def plan(body: PeerReviewPlan, uow: UoW, principal: CurrentPrincipal) -> PeerReviewView:
    return PeerReviewView.of(await handlers.plan_review(uow, principal, body))


@router.get("/peer-reviews/{review_id}", summary="One peer review")
async def get(review_id: str, uow: UoW, principal: CurrentPrincipal) -> PeerReviewView:
    return PeerReviewView.of(await handlers.get_review(uow, principal, review_id))


@router.get(
    "/partnerships/{pid}/peer-reviews", summary="A partnership's peer reviews, by visit day"
)
async def of_partnership(
    pid: str, uow: UoW, principal: CurrentPrincipal, status: PeerReviewStatus | None = None
) -> list[PeerReviewView]:
    return PeerReviewView.many(await handlers.reviews_of_partnership(uow, principal, pid, status))


@router.post("/peer-reviews/{review_id}/visit", summary="The visit took place")
async def visit(
    review_id: str, uow: UoW, principal: CurrentPrincipal, body: VisitIn | None = None
) -> PeerReviewView:
    days = body.visit_dates if body else None
    return PeerReviewView.of(await handlers.record_visit(uow, principal, review_id, days))


@router.put(
    "/peer-reviews/{review_id}/findings",
    summary="Record the findings: strengths and areas for development, by focus area",
    description="Replaces any findings recorded before.",
)
async def findings(
    review_id: str, body: FindingsIn, uow: UoW, principal: CurrentPrincipal
) -> PeerReviewView:
    return PeerReviewView.of(
        await handlers.report(uow, principal, review_id, body.findings, body.reported_on)
    )


@router.post(
    "/peer-reviews/{review_id}/actions",
    status_code=status.HTTP_201_CREATED,
    summary="The reviewed school records an action agreed with the reviewers",
    description="The new action is the last of the review's `actions`.",
)
async def agree_action(
    review_id: str, body: ActionIn, uow: UoW, principal: CurrentPrincipal
) -> PeerReviewView:
    return PeerReviewView.of(
        await handlers.agree_action(
            uow,
            principal,
            review_id,
            text=body.text,
            due_on=body.due_on,
            agreed_on=body.agreed_on,
            owner_person_id=body.owner_person_id,
        )
    )


@router.post(
    "/peer-reviews/{review_id}/actions/{review_action_id}/follow-up", summary="A note on an action"
)
async def follow_up(
    review_id: str,
    review_action_id: str,
    body: FollowUpIn,
    uow: UoW,
    principal: CurrentPrincipal,
) -> PeerReviewView:
    return PeerReviewView.of(
        await handlers.follow_up(
            uow, principal, review_id, review_action_id, note=body.note, on=body.on
        )
    )


@router.post(
    "/peer-reviews/{review_id}/actions/{review_action_id}/done", summary="An action is done"
)
async def done(
    review_id: str,
    review_action_id: str,
    uow: UoW,
    principal: CurrentPrincipal,
    body: DoneIn | None = None,
) -> PeerReviewView:
    day = body.on if body else None
    return PeerReviewView.of(
        await handlers.mark_done(uow, principal, review_id, review_action_id, day)
    )


@router.put(
    "/peer-reviews/{review_id}/sharing",
    summary="The reviewed school decides who reads the findings and actions",
)
async def sharing(
    review_id: str, body: SharingIn, uow: UoW, principal: CurrentPrincipal
) -> PeerReviewView:
    return PeerReviewView.of(await handlers.share(uow, principal, review_id, body.sharing))


@router.post(
    "/peer-reviews/{review_id}/close",
    summary="The reviewed school closes the review",
    description="With every agreed action done, or with reasons.",
)
async def close(
    review_id: str, uow: UoW, principal: CurrentPrincipal, body: CloseIn | None = None
) -> PeerReviewView:
    body = body or CloseIn()
    return PeerReviewView.of(
        await handlers.close(uow, principal, review_id, reasons=body.reasons, on=body.on)
    )


@router.post("/peer-reviews/{review_id}/withdraw", summary="Withdraw a review before it closes")
async def withdraw(
    review_id: str, uow: UoW, principal: CurrentPrincipal, body: WithdrawIn | None = None
) -> PeerReviewView:
    reason = body.reason if body else None
    return PeerReviewView.of(await handlers.withdraw(uow, principal, review_id, reason))
