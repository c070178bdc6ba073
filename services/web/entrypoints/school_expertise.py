"""The school lead's expertise register: what their school offers other schools, kept up to
date, and finding expertise at other schools."""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web import words
from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api, PagesDep
from services.web.entrypoints.school_common import (
    Lead,
    Scope,
    chosen,
    done,
    fields,
    has_control_characters,
    place,
    sent,
    split_list,
    tell,
)
from services.web.forms import Form
from services.web.models import School
from services.web.service_layer import school_expertise as register
from services.web.service_layer.school_expertise import Expertise, Search

router = APIRouter(tags=["school lead"])

HERE = "/school/expertise"
FIELDS = ("subjects", "facilities", "summary")
MOST_ITEMS = 50
LONGEST_ITEM = 200
LONGEST_SUMMARY = 5000


@router.get(HERE, response_class=HTMLResponse)
async def expertise(
    request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    school = scope.chosen(request.query_params.get("school"))
    found = await register.school_expertise(api, viewer, school.urn)
    e = found.expertise
    form = Form(
        {
            "subjects": "\n".join(e.subjects),
            "facilities": "\n".join(e.facilities),
            "summary": e.summary or "",
        }
    )
    return _page(request, pages, scope, school, e, form, e.phases, e.categories)


def _page(
    request: Request,
    pages: PagesDep,
    scope: Scope,
    school: School,
    current: Expertise,
    form: Form,
    phases: list[str],
    categories: list[str],
    status: int = HTTPStatus.OK,
) -> HTMLResponse:
    return pages.render(
        request,
        "school/expertise.html",
        {
            "title": "Your school's expertise",
            "done": done(request) if form.valid else None,
            "form": form,
            "scope": scope,
            "school": school,
            "current": current,
            "phase_items": _items(words.PHASES, phases),
            "category_items": _items(words.CATEGORIES, categories),
        },
        status_code=status,
    )


def _items(choices: dict[str, str], ticked: list[str]) -> list[dict[str, Any]]:
    return [
        {"value": code, "text": text, "checked": code in ticked} for code, text in choices.items()
    ]


@router.post(HERE)
async def offer(
    request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> Response:
    given = await sent(request)
    values = fields(given)
    school = scope.chosen(values.get("school"))
    form = Form.of(values, FIELDS)
    phases, categories = chosen(given, "phases"), chosen(given, "categories")
    body = _expertise(form, phases, categories)
    if form.valid:
        try:
            await register.offer(api, viewer, school.urn, body)
        except ApiProblem as problem:
            if problem.status != HTTPStatus.UNPROCESSABLE_ENTITY:
                raise
            if not place(
                form,
                problem,
                {
                    "subjects": ("subjects", "Check the subjects: one a line, plain text"),
                    "facilities": ("facilities", "Check the facilities: one a line, plain text"),
                    "phases": ("phases", "Choose phases from the list"),
                    "categories": ("categories", "Choose kinds of work from the list"),
                    "summary": (
                        "summary",
                        "Check the summary: plain text, at most 5000 characters",
                    ),
                },
            ):
                form.refuse("summary", "The register could not take this: check each answer")
    if not form.valid:
        current = (await register.school_expertise(api, viewer, school.urn)).expertise
        return _page(
            request, pages, scope, school, current, form, phases, categories, HTTPStatus.BAD_REQUEST
        )
    tell(request, f"You updated {school.name}'s expertise. Other schools can find it now.")
    return RedirectResponse(f"{HERE}?school={school.urn}", status_code=HTTPStatus.SEE_OTHER)


def _expertise(form: Form, phases: list[str], categories: list[str]) -> dict[str, Any]:
    listed = {name: split_list(form.value(name)) for name in ("subjects", "facilities")}
    for name, items in listed.items():
        if has_control_characters(form.value(name), lines=True):
            form.refuse(name, f"The {name} must be plain text")
        elif len(items) > MOST_ITEMS:
            form.refuse(name, f"Enter at most {MOST_ITEMS} {name}")
        elif any(len(i) > LONGEST_ITEM for i in items):
            form.refuse(name, f"Each of the {name} must be {LONGEST_ITEM} characters or fewer")
    if any(p not in words.PHASES for p in phases):
        form.refuse("phases", "Choose phases from the list")
    if any(c not in words.CATEGORIES for c in categories):
        form.refuse("categories", "Choose kinds of work from the list")
    summary = form.value("summary")
    if len(summary) > LONGEST_SUMMARY:
        form.refuse(
            "summary",
            f"The summary must be {LONGEST_SUMMARY} characters or fewer: it has {len(summary)}",
        )
    elif has_control_characters(summary, lines=True):
        form.refuse("summary", "The summary must be plain text")
    return {**listed, "phases": phases, "categories": categories, "summary": summary or None}


@router.get(HERE + "/search", response_class=HTMLResponse)
async def search(
    request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    form = Form.of(request.query_params, ("words", "category", "phase"))
    category, phase = form.value("category") or None, form.value("phase") or None
    if category and category not in words.CATEGORIES:
        form.refuse("category", "Choose a kind of work from the list")
        category = None
    if phase and phase not in words.PHASES:
        form.refuse("phase", "Choose a phase from the list")
        phase = None
    if len(form.value("words")) > LONGEST_ITEM:
        form.refuse("words", f"Search for {LONGEST_ITEM} characters or fewer")
    wanted = Search(form.value("words") if form.valid else "", category, phase)
    submitted = bool(request.query_params)
    found = await register.search(api, viewer, wanted, scope.urns) if submitted else None
    return pages.render(
        request,
        "school/expertise_search.html",
        {
            "title": "Find expertise at other schools",
            "form": form,
            "found": found,
            "category_items": _options("Any kind of work", words.CATEGORIES, category),
            "phase_items": _options("Any phase", words.PHASES, phase),
        },
        status_code=HTTPStatus.OK if form.valid else HTTPStatus.BAD_REQUEST,
    )


def _options(anything: str, choices: dict[str, str], value: str | None) -> list[dict[str, Any]]:
    return [{"value": "", "text": anything}] + [
        {"value": code, "text": text, "selected": code == value} for code, text in choices.items()
    ]
