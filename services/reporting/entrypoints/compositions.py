"""HTTP routes for partnership compositions and the county roll-up: translate, call a query."""

from fastapi import APIRouter, Response

from eventkit.auth import CurrentPrincipal
from services.reporting.adapters import tables
from services.reporting.domain.composition import (
    CountyComposition,
    PartnershipComposition,
    PartnershipSummary,
)
from services.reporting.domain.governance import Governance
from services.reporting.domain.relationships import Relationships
from services.reporting.entrypoints.dependencies import ReadModel
from services.reporting.entrypoints.downloads import CSV_RESPONSES, csv_download
from services.reporting.service_layer import queries

router = APIRouter(tags=["compositions"])


@router.get("/partnerships", summary="The partnerships the caller may see, summarised")
async def partnerships(model: ReadModel, principal: CurrentPrincipal) -> list[PartnershipSummary]:
    return await queries.partnership_summaries(model, principal)


@router.get(
    "/partnerships/{pid}/composition",
    summary="A partnership's member schools by sector and phase, and its membership counts",
)
async def composition(
    pid: str, model: ReadModel, principal: CurrentPrincipal
) -> PartnershipComposition:
    return await queries.partnership_composition(model, principal, pid)


@router.get(
    "/partnerships/{pid}/composition.csv",
    summary="A partnership's member schools, one row each, for a spreadsheet",
    response_class=Response,
    responses=CSV_RESPONSES,
)
async def composition_csv(pid: str, model: ReadModel, principal: CurrentPrincipal) -> Response:
    found = await queries.partnership_composition(model, principal, pid)
    fields = ("urn", "name", "sector", "phase", "la_code", "role", "status")
    return csv_download(tables.records_csv(found.member_schools, fields), f"members-{pid}")


@router.get(
    "/partnerships/{pid}/relationships",
    summary="The relationships between schools the partnership is made of, and the support "
    "they give (academic, sport, music ...), counted",
)
async def relationships(pid: str, model: ReadModel, principal: CurrentPrincipal) -> Relationships:
    return await queries.partnership_relationships(model, principal, pid)


@router.get(
    "/county/relationships",
    summary="County officers: the same across the partnerships of their county",
)
async def county_relationships(model: ReadModel, principal: CurrentPrincipal) -> Relationships:
    return await queries.county_relationships(model, principal)


@router.get(
    "/partnerships/{pid}/governance",
    summary="The partnership's boards: members today by office and whom they represent, "
    "meetings held per term and their minutes approved or not, actions done (late), open and "
    "overdue",
)
async def governance(pid: str, model: ReadModel, principal: CurrentPrincipal) -> Governance:
    return await queries.partnership_governance(model, principal, pid)


@router.get(
    "/county/governance",
    summary="County officers: the same across the partnerships of their county",
)
async def county_governance(model: ReadModel, principal: CurrentPrincipal) -> Governance:
    return await queries.county_governance(model, principal)


@router.get(
    "/county/composition",
    summary="County officers: schools in partnerships by sector and phase, cross-sector count",
)
async def county(model: ReadModel, principal: CurrentPrincipal) -> CountyComposition:
    return await queries.county_composition(model, principal)
