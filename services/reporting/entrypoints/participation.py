"""HTTP routes for participation, term by term: JSON, CSV for a spreadsheet, SVG charts and a
one-page PDF term report; under-engaged member schools; one school's part."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from contracts.vocabulary import URN_PATTERN, ActivityCategory
from eventkit.auth import CurrentPrincipal
from eventkit.errors import NotFound
from services.reporting.adapters import charts, tables, term_report
from services.reporting.domain.county import Headline
from services.reporting.domain.participation import (
    TERM_KEY,
    Season,
    Term,
    TermFigures,
    empty_term,
    term_named,
)
from services.reporting.entrypoints.dependencies import ReadModel, Records
from services.reporting.entrypoints.downloads import CSV_RESPONSES, csv_download
from services.reporting.service_layer import queries
from services.reporting.service_layer.queries import (
    CountiesHeadline,
    Participation,
    SchoolParticipation,
    UnderEngaged,
)

router = APIRouter(tags=["participation"])
SVG = "image/svg+xml"
PDF = "application/pdf"
TermKey = Annotated[
    str | None,
    Query(
        pattern=TERM_KEY,
        description="A term, like 2026-autumn (the academic year's first year)",
    ),
]


First = Annotated[
    str | None,
    Query(pattern=TERM_KEY, description="The first term shown"),
]
Last = Annotated[
    str | None,
    Query(pattern=TERM_KEY, description="The last term shown"),
]


Year = Annotated[
    int | None,
    Query(ge=2000, le=2100, description="The academic year's first year (2026: 2026/27)"),
]


def _year(year: int | None) -> int:
    """The one asked for, by default the current academic year."""
    return year if year is not None else Term.of(datetime.now(UTC)).year


def _term(key: str | None) -> Term | None:
    return term_named(key) if key else None


def _report(participation: Participation, key: str | None, filename: str) -> Response:
    """The term asked for (by default the latest with activities) beside the term before."""
    terms = {t.key: t for t in participation.terms}
    term = _term(key)
    if term is None:
        now = Term.of(datetime.now(UTC)).order
        so_far = [t for t in participation.terms if (t.year, list(Season).index(t.season)) <= now]
        if not so_far:
            raise NotFound("nothing has taken place yet: there is no term to report on")
        term = term_named(so_far[-1].key)
    figures: TermFigures = terms.get(term.key) or empty_term(term)
    pdf = term_report.render(
        participation.name,
        figures,
        terms.get(term.previous().key),
        produced=datetime.now(UTC).date(),
    )
    return Response(
        pdf,
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="{filename}-{term.key}.pdf"'},
    )


def _csv(participation: Participation, filename: str) -> Response:
    return csv_download(tables.participation_csv(participation.terms), filename)


class Chart(StrEnum):
    REACH = "reach"
    ATTENDANCE = "attendance"
    CATEGORIES = "categories"
    SUPPORT = "support"


ChartName = Annotated[
    Chart,
    Path(
        description="reach: staff, pupils and schools reached by term; attendance: the share of "
        "places marked that were attended, by term; categories: activities by category; "
        "support: school-to-school support and case studies by term"
    ),
]


def _chart(participation: Participation, chart: Chart) -> Response:
    terms, name = participation.terms, participation.name
    labels = [t.term for t in terms]
    if chart == Chart.ATTENDANCE:
        rates = [None if t.attendance_rate is None else t.attendance_rate * 100 for t in terms]
        svg = charts.lines(
            f"Attendance by term: {name}",
            labels,
            {"Attendance": rates},
            unit="per cent of the places whose register was taken",
        )
    elif chart == Chart.CATEGORIES:
        totals = {c: sum(t.by_category.get(c.value, 0) for t in terms) for c in ActivityCategory}
        shown = [c for c, n in totals.items() if n]
        svg = charts.bars(
            f"Activities by category: {name}",
            [c.value.replace("_", " ").capitalize() for c in shown],
            {"Activities": [totals[c] for c in shown]},
            unit="activities taking place",
        )
    elif chart == Chart.SUPPORT:
        svg = charts.bars(
            f"Support and case studies by term: {name}",
            labels,
            {
                "Support asked for": [t.support_requested for t in terms],
                "Support agreed": [t.support_agreed for t in terms],
                "Support closed": [t.support_closed for t in terms],
                "Case studies published": [t.case_studies_published for t in terms],
            },
            unit="engagements and case studies",
        )
    else:
        svg = charts.bars(
            f"Reach by term: {name}",
            labels,
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
    pid: str,
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
    term_from: First = None,
    term_to: Last = None,
) -> Participation:
    found = await queries.partnership_participation(model, records, principal, pid)
    return queries.between(found, term_from, term_to)


@router.get(
    "/partnerships/{pid}/participation.csv",
    summary="The same, one row per term, for a spreadsheet",
    response_class=Response,
    responses=CSV_RESPONSES,
)
async def partnership_csv(
    pid: str,
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
    term_from: First = None,
    term_to: Last = None,
) -> Response:
    found = await queries.partnership_participation(model, records, principal, pid)
    return _csv(queries.between(found, term_from, term_to), f"participation-{pid}")


@router.get(
    "/partnerships/{pid}/charts/{chart}.svg",
    summary="Reach, attendance, categories or support, as an accessible SVG chart",
    response_class=Response,
    responses={200: {"content": {SVG: {}}}},
)
async def partnership_chart(
    pid: str, chart: ChartName, model: ReadModel, records: Records, principal: CurrentPrincipal
) -> Response:
    found = await queries.partnership_participation(model, records, principal, pid)
    return _chart(found, chart)


@router.get(
    "/county/participation",
    summary="County officers: participation across every partnership, by term",
)
async def county(
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
    term_from: First = None,
    term_to: Last = None,
) -> Participation:
    found = await queries.county_participation(model, records, principal)
    return queries.between(found, term_from, term_to)


@router.get(
    "/county/participation.csv",
    summary="County officers: the same, one row per term, for a spreadsheet",
    response_class=Response,
    responses=CSV_RESPONSES,
)
async def county_csv(
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
    term_from: First = None,
    term_to: Last = None,
) -> Response:
    found = await queries.county_participation(model, records, principal)
    return _csv(queries.between(found, term_from, term_to), "participation")


@router.get(
    "/county/charts/{chart}.svg",
    summary="County officers: reach, attendance, categories or support, as an SVG chart",
    response_class=Response,
    responses={200: {"content": {SVG: {}}}},
)
async def county_chart(
    chart: ChartName, model: ReadModel, records: Records, principal: CurrentPrincipal
) -> Response:
    return _chart(await queries.county_participation(model, records, principal), chart)


@router.get(
    "/partnerships/{pid}/report.pdf",
    summary="A term report on one page, for the partnership's board or governors",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}},
)
async def partnership_report(
    pid: str, model: ReadModel, records: Records, principal: CurrentPrincipal, term: TermKey = None
) -> Response:
    found = await queries.partnership_participation(model, records, principal, pid)
    return _report(found, term, f"term-report-{pid}")


@router.get(
    "/county/report.pdf",
    summary="County officers: a term report on one page across every partnership",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}},
)
async def county_report(
    model: ReadModel, records: Records, principal: CurrentPrincipal, term: TermKey = None
) -> Response:
    found = await queries.county_participation(model, records, principal)
    return _report(found, term, "county-term-report")


@router.get(
    "/partnerships/{pid}/under-engaged",
    summary="Coordinators: member schools with no part in the term (by default the last one)",
)
async def under_engaged(
    pid: str, model: ReadModel, records: Records, principal: CurrentPrincipal, term: TermKey = None
) -> UnderEngaged:
    chosen = _term(term) or Term.of(datetime.now(UTC)).previous()
    return await queries.under_engaged(model, records, principal, pid, chosen)


@router.get(
    "/partnerships/{pid}/under-engaged.csv",
    summary="Coordinators: the same schools, one row each, for a spreadsheet",
    response_class=Response,
    responses=CSV_RESPONSES,
)
async def under_engaged_csv(
    pid: str, model: ReadModel, records: Records, principal: CurrentPrincipal, term: TermKey = None
) -> Response:
    found = await under_engaged(pid, model, records, principal, term)
    fields = ("urn", "name", "sector", "phase", "la_code", "role")
    return csv_download(tables.records_csv(found.schools, fields), f"under-engaged-{pid}")


@router.get(
    "/schools/{urn}/participation",
    summary="What a school took part in and what it hosted, term by term",
)
async def school(
    urn: Annotated[str, Path(pattern=URN_PATTERN, description="The school's URN")],
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
) -> SchoolParticipation:
    return await queries.school_participation(model, records, principal, urn)


@router.get(
    "/schools/{urn}/participation.csv",
    summary="The same, one row per term, for a spreadsheet",
    response_class=Response,
    responses=CSV_RESPONSES,
)
async def school_csv(
    urn: Annotated[str, Path(pattern=URN_PATTERN, description="The school's URN")],
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
) -> Response:
    found = await queries.school_participation(model, records, principal, urn)
    fields = ("term", "key", "took_part_in", "hosted", "staff_places", "pupil_places", "attended")
    return csv_download(tables.records_csv(found.terms, fields), f"school-{urn}")


@router.get(
    "/county/headline",
    summary="County officers: the year's headline figures (state schools and pupils who "
    "benefited, independent-state partnerships, reach by category and local authority)",
)
async def county_headline(
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
    year: Year = None,
) -> Headline:
    return await queries.county_headline(model, records, principal, _year(year))


class HeadlineTable(StrEnum):
    LOCAL_AUTHORITIES = "local_authorities"
    CATEGORIES = "categories"


@router.get(
    "/county/headline.csv",
    summary="County officers: the headline's reach by local authority or by category, for a "
    "spreadsheet",
    response_class=Response,
    responses=CSV_RESPONSES,
)
async def county_headline_csv(
    model: ReadModel,
    records: Records,
    principal: CurrentPrincipal,
    year: Year = None,
    table: Annotated[
        HeadlineTable, Query(description="Which of the headline's tables")
    ] = HeadlineTable.LOCAL_AUTHORITIES,
) -> Response:
    found = await queries.county_headline(model, records, principal, _year(year))
    reach = ("schools_taking_part", "staff_reached", "pupils_reached")
    if table == HeadlineTable.CATEGORIES:
        content = tables.records_csv(found.by_category, ("category", "activities", *reach))
    else:
        fields = ("la_code", "la_name", "state_schools_taking_part", *reach)
        content = tables.records_csv(found.by_local_authority, fields)
    return csv_download(content, f"county-headline-{table.value}-{found.year.replace('/', '-')}")


@router.get(
    "/counties/headline",
    summary="The year's headline figures for each county the deployment serves, and all of "
    "them together (a county officer: their own county)",
)
async def counties_headline(
    model: ReadModel, records: Records, principal: CurrentPrincipal, year: Year = None
) -> CountiesHeadline:
    return await queries.counties_headline(model, records, principal, _year(year))
