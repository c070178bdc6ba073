"""Public pages of the case-study library: the list with its filters, and each case study."""

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse

from services.web import words
from services.web.entrypoints.dependencies import Api, PagesDep, PublicToken, known_id
from services.web.forms import Form
from services.web.service_layer.case_study_pages import case_study_page
from services.web.service_layer.library import Filter, LocalAuthority, library

router = APIRouter(tags=["case studies"])

FIELDS = ("category", "phase", "local_authority")
PAGE_SIZE = 20


@router.get("/case-studies", response_class=HTMLResponse)
async def case_study_library(
    request: Request, pages: PagesDep, api: Api, token: PublicToken
) -> HTMLResponse:
    form = Form.of(request.query_params, FIELDS)
    category, phase, la = (form.value(name) or None for name in FIELDS)
    if category and category not in words.CATEGORIES:
        form.refuse("category", "Select a kind of work from the list")
    if phase and phase not in words.PHASES:
        form.refuse("phase", "Select a phase of school from the list")
    found = await library(
        api,
        token,
        Filter(
            category=None if form.error("category") else category,
            phase=None if form.error("phase") else phase,
            local_authority=la,
        ),
    )
    if la and la not in {a.code for a in found.local_authorities}:
        form.refuse("local_authority", "Select a local authority from the list")

    number = _page_number(request.query_params.get("page"))
    last = max(1, -(-len(found.entries) // PAGE_SIZE))
    number = min(number, last)
    shown = found.entries[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    return pages.render(
        request,
        "case_studies/library.html",
        {
            "title": "Case studies",
            "form": form,
            "category_options": _options("Any kind of work", words.CATEGORIES.items()),
            "phase_options": _options("Any phase", words.PHASES.items()),
            "local_authority_options": _options(
                "Any local authority", _named(found.local_authorities)
            ),
            "entries": shown,
            "total": len(found.entries),
            "filtered": bool(category or phase or la),
            "pagination": _pagination(form, number, last),
        },
        status_code=status.HTTP_200_OK if form.valid else status.HTTP_400_BAD_REQUEST,
    )


@router.get("/case-studies/{case_study_id}", response_class=HTMLResponse)
async def case_study(
    request: Request, case_study_id: str, pages: PagesDep, api: Api, token: PublicToken
) -> HTMLResponse:
    page = await case_study_page(api, token, known_id(case_study_id))
    return pages.render(
        request,
        "case_studies/case_study.html",
        {"title": page.case_study.content.title, "page": page},
    )


def _options(anything: str, choices: Any) -> list[dict[str, str]]:
    return [{"value": "", "text": anything}] + [
        {"value": value, "text": text} for value, text in choices
    ]


def _named(authorities: list[LocalAuthority]) -> list[tuple[str, str]]:
    return [(la.code, la.name) for la in authorities]


def _page_number(given: str | None) -> int:
    """A page number that is not one shows the first page."""
    if given and given.isdecimal() and len(given) < 6:
        return max(1, int(given))
    return 1


def _pagination(form: Form, number: int, last: int) -> dict[str, Any] | None:
    if last == 1:
        return None

    def href(n: int) -> str:
        chosen = {k: v for k, v in form.values.items() if v}
        return "/case-studies?" + urlencode({**chosen, "page": n})

    pagination: dict[str, Any] = {
        "items": [
            {"number": n, "href": href(n), "current": n == number} for n in range(1, last + 1)
        ]
    }
    if number > 1:
        pagination["previous"] = {"href": href(number - 1)}
    if number < last:
        pagination["next"] = {"href": href(number + 1)}
    return pagination
