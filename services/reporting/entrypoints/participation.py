"""HTTP routes for participation, term by term: JSON, CSV for a spreadsheet, and SVG charts."""

from fastapi import APIRouter, Response

from eventkit.auth import CurrentPrincipal
from services.reporting.adapters import charts, tables
from services.reporting.entrypoints.dependencies import ReadModel, Records
from services.reporting.service_layer import queries
from services.reporting.service_layer.queries import Participation

router = APIRouter(tags=["participation"])
SVG = "image/svg+xml"


def _csv(participation: Participation, filename: str) -> Response:
    return Response(
        tables.participation_csv(participation.terms),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


def _reach_chart(participation: Participation) -> Response:
    terms = participation.terms
    svg = charts.bars(
        f"Reach by term: {participation.name}",
        [t.term for t in terms],
        {
            "Staff reached": [t.staff_reached for t in terms],
            "Pupils reached": [t.pupils_reached for t in terms],
            "Schools taking part": [t.schools_taking_part for t in terms],
        },
        unit="people and schools",
    )
    return Response(svg, media_type=SVG)


@router.get(
    "/partnerships/{pid}/participation",
    summary="A partnership's activities, places, reach, CPD hours, attendance and ratings by term",
)
async def partnership(
    pid: str, model: ReadModel, records: Records, principal: CurrentPrincipal
) -> Participation:
    return await queries.partnership_participation(model, records, principal, pid)


@router.get(
    "/partnerships/{pid}/participation.csv",
    summary="The same, one row per term, for a spreadsheet",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def partnership_csv(
    pid: str, model: ReadModel, records: Records, principal: CurrentPrincipal
) -> Response:
    found = await queries.partnership_participation(model, records, principal, pid)
    return _csv(found, f"participation-{pid}")


@router.get(
    "/partnerships/{pid}/charts/reach.svg",
    summary="Staff, pupils and schools reached by term, as an accessible SVG chart",
    response_class=Response,
    responses={200: {"content": {SVG: {}}}},
)
async def partnership_reach(
    pid: str, model: ReadModel, records: Records, principal: CurrentPrincipal
) -> Response:
    return _reach_chart(await queries.partnership_participation(model, records, principal, pid))


@router.get(
    "/county/participation",
    summary="County officers: participation across every partnership, by term",
)
async def county(model: ReadModel, records: Records, principal: CurrentPrincipal) -> Participation:
    return await queries.county_participation(model, records, principal)


@router.get(
    "/county/participation.csv",
    summary="County officers: the same, one row per term, for a spreadsheet",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def county_csv(model: ReadModel, records: Records, principal: CurrentPrincipal) -> Response:
    return _csv(await queries.county_participation(model, records, principal), "participation")


@router.get(
    "/county/charts/reach.svg",
    summary="County officers: reach by term, as an accessible SVG chart",
    response_class=Response,
    responses={200: {"content": {SVG: {}}}},
)
async def county_reach(model: ReadModel, records: Records, principal: CurrentPrincipal) -> Response:
    return _reach_chart(await queries.county_participation(model, records, principal))
