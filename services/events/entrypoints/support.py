"""HTTP routes for school-to-school support."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from contracts.support import SupportStatus
from contracts.vocabulary import URN_PATTERN
from eventkit.auth import CurrentPrincipal
from services.events.domain.matching import Suggestion
from services.events.domain.support import (
    Agreement,
    Closure,
    Review,
    SupportNeed,
)
from services.events.entrypoints.dependencies import UoW
from services.events.entrypoints.views import SupportEngagementView
from services.events.service_layer import support as handlers

router = APIRouter(prefix="/support-requests", tags=["support"])


class SupportRequestIn(BaseModel):
    partnership_id: str = Field(
        min_length=1, max_length=100, description="The partnership through which support is sought"
    )
    requesting_urn: str = Field(pattern=URN_PATTERN, description="The school asking for support")
    need: SupportNeed


class VisitIn(BaseModel):
    on: date = Field(default_factory=date.today)
    by_person_id: str | None = Field(
        None, max_length=100, description="Who visited (default: the caller)"
    )
    notes: str | None = Field(None, max_length=5000)
    impact_note: str = Field(min_length=1, max_length=500, description="The visit's impact, short")


class MatchIn(BaseModel):
    urn: str = Field(pattern=URN_PATTERN, description="The supporting school")


class WithdrawIn(BaseModel):
    reason: str | None = Field(None, max_length=2000)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Ask for support in subjects or areas, through a partnership",
)
async def request_support(
    body: SupportRequestIn, uow: UoW, principal: CurrentPrincipal
) -> SupportEngagementView:
    return SupportEngagementView.of(
        await handlers.request_support(
            uow, principal, body.partnership_id, body.requesting_urn, body.need
        )
    )


@router.get("", summary="Support engagements the caller may see")
async def list_all(
    uow: UoW,
    principal: CurrentPrincipal,
    status: SupportStatus | None = None,
    partnership_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[SupportEngagementView]:
    return SupportEngagementView.many(
        await handlers.list_engagements(uow, principal, status, partnership_id)
    )


@router.get("/{engagement_id}")
async def get(engagement_id: str, uow: UoW, principal: CurrentPrincipal) -> SupportEngagementView:
    return SupportEngagementView.of(await handlers.get_engagement(uow, principal, engagement_id))


@router.get(
    "/{engagement_id}/suggestions",
    summary="Schools that could give the support, best first, with reasons",
)
async def suggestions(
    engagement_id: str,
    uow: UoW,
    principal: CurrentPrincipal,
    all_schools: Annotated[
        bool, Query(description="County officers: every school, not only the partnership's")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[Suggestion]:
    return await handlers.suggestions(
        uow, principal, engagement_id, all_schools=all_schools, limit=limit
    )


@router.post("/{engagement_id}/match", summary="Choose the supporting school")
async def match(
    engagement_id: str, body: MatchIn, uow: UoW, principal: CurrentPrincipal
) -> SupportEngagementView:
    return SupportEngagementView.of(await handlers.match(uow, principal, engagement_id, body.urn))


@router.post(
    "/{engagement_id}/agree",
    summary="A school's lead agrees the terms (without a body: the terms on the table)",
    description="Different terms replace those on the table, and the other school agrees them "
    "afresh. The engagement is agreed once both schools' leads agreed the same terms.",
)
async def agree(
    engagement_id: str, uow: UoW, principal: CurrentPrincipal, body: Agreement | None = None
) -> SupportEngagementView:
    return SupportEngagementView.of(await handlers.agree(uow, principal, engagement_id, body))


@router.post("/{engagement_id}/visits", summary="The supporting school records a visit")
async def record_visit(
    engagement_id: str, body: VisitIn, uow: UoW, principal: CurrentPrincipal
) -> SupportEngagementView:
    return SupportEngagementView.of(
        await handlers.record_visit(
            uow,
            principal,
            engagement_id,
            on=body.on,
            impact_note=body.impact_note,
            by_person_id=body.by_person_id,
            notes=body.notes,
        )
    )


@router.post("/{engagement_id}/review", summary="The mid-term review")
async def review(
    engagement_id: str, body: Review, uow: UoW, principal: CurrentPrincipal
) -> SupportEngagementView:
    return SupportEngagementView.of(await handlers.review(uow, principal, engagement_id, body))


@router.post("/{engagement_id}/close", summary="Close with an outcome and an impact summary")
async def close(
    engagement_id: str, body: Closure, uow: UoW, principal: CurrentPrincipal
) -> SupportEngagementView:
    return SupportEngagementView.of(await handlers.close(uow, principal, engagement_id, body))


@router.post("/{engagement_id}/withdraw")
async def withdraw(
    engagement_id: str, uow: UoW, principal: CurrentPrincipal, body: WithdrawIn | None = None
) -> SupportEngagementView:
    return SupportEngagementView.of(
        await handlers.withdraw(uow, principal, engagement_id, (body or WithdrawIn()).reason)
    )
