"""HTTP routes for case studies."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from contracts.vocabulary import URN_PATTERN, ActivityCategory
from eventkit.auth import CurrentPrincipal
from services.events.domain.case_study import CaseStudy, CaseStudyContent, CaseStudyStatus
from services.events.entrypoints.dependencies import UoW
from services.events.entrypoints.views import CaseStudyView
from services.events.service_layer import case_studies as handlers

router = APIRouter(prefix="/case-studies", tags=["case studies"])


class NewCaseStudy(CaseStudyContent):
    partnership_id: str = Field(
        min_length=1, max_length=100, description="The partnership whose work it tells"
    )

    def content(self) -> CaseStudyContent:
        return CaseStudyContent.model_validate(self.model_dump(exclude={"partnership_id"}))


class CaseStudyFilter(BaseModel):
    category: ActivityCategory | None = None
    partnership_id: str | None = Field(None, max_length=100)
    urn: str | None = Field(None, pattern=URN_PATTERN, description="A school it is about")
    status: CaseStudyStatus | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


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
async def create(body: NewCaseStudy, uow: UoW, principal: CurrentPrincipal) -> CaseStudyView:
    return CaseStudyView.of(
        await handlers.create_case_study(uow, principal, body.partnership_id, body.content())
    )


@router.get("", summary="Published case studies county-wide, and drafts you may see")
async def list_all(
    wanted: Annotated[CaseStudyFilter, Query()], uow: UoW, principal: CurrentPrincipal
) -> list[CaseStudyView]:
    return CaseStudyView.many(
        await handlers.list_case_studies(
            uow,
            principal,
            category=wanted.category,
            partnership_id=wanted.partnership_id,
            urn=wanted.urn,
            status=wanted.status,
            limit=wanted.limit,
            offset=wanted.offset,
        )
    )


@router.get("/{case_study_id}")
async def get(case_study_id: str, uow: UoW, principal: CurrentPrincipal) -> CaseStudyView:
    return CaseStudyView.of(await handlers.get_case_study(uow, principal, case_study_id))


@router.put("/{case_study_id}", summary="Change the text or links (while draft or returned)")
async def update(
    case_study_id: str, body: CaseStudyEdit, uow: UoW, principal: CurrentPrincipal
) -> CaseStudy:
    content = CaseStudyContent.model_validate(body.model_dump(exclude={"version"}))
    return await handlers.update_case_study(uow, principal, case_study_id, content, body.version)


@router.post("/{case_study_id}/submit", summary="Send it to a county officer for review")
async def submit(case_study_id: str, uow: UoW, principal: CurrentPrincipal) -> CaseStudyView:
    return CaseStudyView.of(await handlers.submit_case_study(uow, principal, case_study_id))


@router.post("/{case_study_id}/return", summary="Send it back to its authors with a note")
async def return_(
    case_study_id: str, body: ReturnIn, uow: UoW, principal: CurrentPrincipal
) -> CaseStudyView:
    return CaseStudyView.of(
        await handlers.return_case_study(uow, principal, case_study_id, body.note)
    )


@router.post("/{case_study_id}/approve", summary="Quality assured: it may be published")
async def approve(
    case_study_id: str, uow: UoW, principal: CurrentPrincipal, body: ApproveIn | None = None
) -> CaseStudyView:
    return CaseStudyView.of(
        await handlers.approve_case_study(uow, principal, case_study_id, (body or ApproveIn()).note)
    )


@router.post("/{case_study_id}/publish", summary="Make it readable county-wide")
async def publish(case_study_id: str, uow: UoW, principal: CurrentPrincipal) -> CaseStudyView:
    return CaseStudyView.of(await handlers.publish_case_study(uow, principal, case_study_id))


@router.post(
    "/{case_study_id}/withdraw", summary="Take a published case study down (a draft again)"
)
async def withdraw(
    case_study_id: str, body: WithdrawIn, uow: UoW, principal: CurrentPrincipal
) -> CaseStudyView:
    return CaseStudyView.of(
        await handlers.withdraw_case_study(uow, principal, case_study_id, body.reason)
    )
