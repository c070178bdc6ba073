"""HTTP routes for partnership compositions and the county roll-up: translate, call a query."""

from fastapi import APIRouter

from eventkit.auth import CurrentPrincipal
from services.reporting.domain.composition import (
    CountyComposition,
    PartnershipComposition,
    PartnershipSummary,
)
from services.reporting.entrypoints.dependencies import ReadModel
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
    "/county/composition",
    summary="County officers: schools in partnerships by sector and phase, cross-sector count",
)
async def county(model: ReadModel, principal: CurrentPrincipal) -> CountyComposition:
    return await queries.county_composition(model, principal)
