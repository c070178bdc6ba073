"""The county dashboard: participation across the officer's county term by term, from one term
to another if they choose; the year's headline; the reporting service's charts; and its CSV and
PDF downloads, fetched here with the officer's token (the browser has none)."""

import asyncio
import re
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from services.web.entrypoints.county_common import Officer
from services.web.entrypoints.dependencies import Api, PagesDep
from services.web.entrypoints.files import file_response
from services.web.forms import Form
from services.web.service_layer import county_dashboard as figures
from services.web.service_layer.county_dashboard import TermFigures, TermRange

router = APIRouter(prefix="/county/dashboard", tags=["county officer"])

FIELDS = ("term_from", "term_to")
TERM_KEY = re.compile(r"^20[0-9]{2}-(autumn|spring|summer)$")


@router.get("", response_class=HTMLResponse)
async def dashboard(request: Request, pages: PagesDep, api: Api, viewer: Officer) -> HTMLResponse:
    form = Form.of(request.query_params, FIELDS)
    every, headline = await asyncio.gather(
        figures.participation(api, viewer.token), figures.headline(api, viewer.token)
    )
    wanted = _range(form, every.terms)
    shown = every
    if form.valid and not wanted.whole:
        shown = await figures.participation(api, viewer.token, wanted)
    context: dict[str, Any] = {
        "title": "County dashboard",
        "form": form,
        "board": figures.Dashboard(shown, headline),
        "reach": figures.REACH,
        "outcomes": figures.OUTCOMES,
        "charts": figures.CHARTS,
        "headline_tables": figures.HEADLINE_TABLES,
        "first_options": _options("The first term", every.terms),
        "last_options": _options("The latest term", every.terms),
        "csv_href": "/county/dashboard/participation.csv"
        + (("?" + urlencode({k: v for k, v in form.values.items() if v})) if form.valid else ""),
    }
    status = HTTPStatus.OK if form.valid else HTTPStatus.BAD_REQUEST
    return pages.render(request, "county/dashboard.html", context, status_code=status)


def _range(form: Form, terms: list[TermFigures]) -> TermRange:
    keys = [t.key for t in terms]
    first, last = form.value("term_from") or None, form.value("term_to") or None
    if first and first not in keys:
        form.refuse("term_from", "Select the first term from the list")
    if last and last not in keys:
        form.refuse("term_to", "Select the last term from the list")
    if form.valid and first and last and keys.index(first) > keys.index(last):
        form.refuse("term_to", "The last term must be the same as the first term or after it")
    return TermRange(first, last)


def _options(anything: str, terms: list[TermFigures]) -> list[dict[str, str]]:
    return [{"value": "", "text": anything}] + [{"value": t.key, "text": t.term} for t in terms]


@router.get("/charts/{chart}.svg")
async def chart(chart: str, api: Api, viewer: Officer) -> Response:
    if chart not in figures.CHART_NAMES:
        raise HTTPException(HTTPStatus.NOT_FOUND)
    found = await api.reporting.file(f"/county/charts/{chart}.svg", viewer.token)
    return file_response(found)


@router.get("/participation.csv")
async def participation_csv(request: Request, api: Api, viewer: Officer) -> Response:
    wanted = TermRange(*(_term_key(request.query_params.get(name)) for name in FIELDS))
    found = await api.reporting.file("/county/participation.csv", viewer.token, wanted.params)
    return file_response(found)


@router.get("/report.pdf")
async def term_report(api: Api, viewer: Officer, term: str | None = None) -> Response:
    params = {"term": _term_key(term)}
    return file_response(await api.reporting.file("/county/report.pdf", viewer.token, params))


@router.get("/headline.csv")
async def headline_csv(api: Api, viewer: Officer, table: str = "local_authorities") -> Response:
    if table not in figures.HEADLINE_TABLES:
        raise HTTPException(HTTPStatus.NOT_FOUND)
    params = {"table": table}
    return file_response(await api.reporting.file("/county/headline.csv", viewer.token, params))


def _term_key(value: str | None) -> str | None:
    """A term as the reporting service names them; anything else is no download of ours."""
    if not value:
        return None
    if not TERM_KEY.match(value):
        raise HTTPException(HTTPStatus.NOT_FOUND)
    return value
