"""HTTP routes for publications: a partnership's magazine, newsletter or anthology."""

from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, Field

from contracts.publications import PublicationKind
from contracts.vocabulary import URN_PATTERN
from eventkit.auth import CurrentPrincipal
from eventkit.inputs import Name
from services.events.domain.publication import Contribution, IssueDetails
from services.events.entrypoints.dependencies import UoW
from services.events.entrypoints.views import PublicationView
from services.events.service_layer import publications as handlers

router = APIRouter(tags=["publications"])

PublicationId = Annotated[str, Path(max_length=64)]


class NewPublication(BaseModel):
    partnership_id: str = Field(
        min_length=1, max_length=100, description="The partnership whose publication it is"
    )
    title: Name
    kind: PublicationKind


@router.post(
    "/publications",
    status_code=status.HTTP_201_CREATED,
    summary="Start a publication (a coordinator of the partnership)",
)
async def start(body: NewPublication, uow: UoW, principal: CurrentPrincipal) -> PublicationView:
    return PublicationView.of(
        await handlers.start(uow, principal, body.partnership_id, body.title, body.kind)
    )


@router.get("/publications/{publication_id}")
async def get(
    publication_id: PublicationId, uow: UoW, principal: CurrentPrincipal
) -> PublicationView:
    return PublicationView.of(await handlers.get_publication(uow, principal, publication_id))


@router.get("/partnerships/{pid}/publications", summary="The partnership's publications")
async def of_partnership(
    pid: Annotated[str, Path(max_length=100)], uow: UoW, principal: CurrentPrincipal
) -> list[PublicationView]:
    return PublicationView.many(await handlers.of_partnership(uow, principal, pid))


@router.post(
    "/publications/{publication_id}/issues",
    summary="Publish an issue, with the pupils of each member school who contributed",
    description="Pupils are counted per school, never named.",
)
async def publish_issue(
    publication_id: PublicationId, body: IssueDetails, uow: UoW, principal: CurrentPrincipal
) -> PublicationView:
    return PublicationView.of(await handlers.publish_issue(uow, principal, publication_id, body))


@router.put(
    "/publications/{publication_id}/issues/{issue_id}/contributions/{urn}",
    summary="Record (or correct) how many of a school's pupils contributed to an issue",
    description="By the school's lead or the partnership's coordinators.",
)
async def record_contribution(
    publication_id: PublicationId,
    issue_id: Annotated[str, Path(max_length=64)],
    urn: Annotated[str, Path(pattern=URN_PATTERN)],
    body: Contribution,
    uow: UoW,
    principal: CurrentPrincipal,
) -> PublicationView:
    return PublicationView.of(
        await handlers.record_contribution(uow, principal, publication_id, issue_id, urn, body)
    )
