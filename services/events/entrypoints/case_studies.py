"""HTTP routes for case studies."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from eventkit.auth import CurrentPrincipal
from services.events.domain.case_study import CaseStudy, CaseStudyContent
from services.events.entrypoints.dependencies import UoW
from services.events.service_layer import case_studies as handlers
from services.events.service_layer.case_studies import (
    CaseStudyFilter,
    NewCaseStudy,
)

router = APIRouter(prefix="/case-studies", tags=["case studies"])


class CaseStudyEdit(CaseStudyContent):
    version: int | None = Field(
        None, ge=1, description="The version you edited: 409 if it has changed since"
    )


class ReturnIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    note: str = Field(min_length=1, max_length=5_000, description="What the authors should change")


class ApproveIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    note: str | None = Field(None, max_length=5_000)


class WithdrawIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    reason: str = Field(min_length=1, max_length=2_000)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Start a draft case study")
async def create(body: NewCaseStudy, uow: UoW, principal: CurrentPrincipal) -> CaseStudy:
    return await handlers.create_case_study(uow, principal, body)


@router.get("", summary="Published case studies county-wide, and drafts you may see")
async def list_all(
    wanted: Annotated[CaseStudyFilter, Query()], uow: UoW, principal: CurrentPrincipal
) -> list[CaseStudy]:
    return await handlers.list_case_studies(uow, principal, wanted)


@router.get("/{case_study_id}")
async def get(case_study_id: str, uow: UoW, principal: CurrentPrincipal) -> CaseStudy:
    return await handlers.get_case_study(uow, principal, case_study_id)


@router.put("/{case_study_id}", summary="Change the text or links (while draft or returned)")
async def update(
    case_study_id: str, body: CaseStudyEdit, uow: UoW, principal: CurrentPrincipal
) -> CaseStudy:
    content = CaseStudyContent.model_validate(body.model_dump(exclude={"version"}))
    return await handlers.update_case_study(uow, principal, case_study_id, content, body.version)


@router.post("/{case_study_id}/submit", summary="Send it to a county officer for review")
async def submit(case_study_id: str, uow: UoW, principal: CurrentPrincipal) -> CaseStudy:
    return await handlers.submit_case_study(uow, principal, case_study_id)


@router.post("/{case_study_id}/return", summary="Send it back to its authors with a note")
async def return_(
    case_study_id: str, body: ReturnIn, uow: UoW, principal: CurrentPrincipal
) -> CaseStudy:
    return await handlers.return_case_study(uow, principal, case_study_id, body.note)


@router.post("/{case_study_id}/approve", summary="Quality assured: it may be published")
async def approve(
    case_study_id: str, uow: UoW, principal: CurrentPrincipal, body: ApproveIn | None = None
) -> CaseStudy:
    return await handlers.approve_case_study(
        uow, principal, case_study_id, (body or ApproveIn()).note
    )


@router.post("/{case_study_id}/publish", summary="Make it readable county-wide")
async def publish(case_study_id: str, uow: UoW, principal: CurrentPrincipal) -> CaseStudy:
    return await handlers.publish_case_study(uow, principal, case_study_id)


@router.post(
    "/{case_study_id}/withdraw", summary="Take a published case study down (a draft again)"
)
async def withdraw(
    case_study_id: str, body: WithdrawIn, uow: UoW, principal: CurrentPrincipal
) -> CaseStudy:
    return await handlers.withdraw_case_study(uow, principal, case_study_id, body.reason)
