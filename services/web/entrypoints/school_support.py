"""The school lead's support requests: what their school asked for and the support it gives,
asking for support, agreeing the terms, withdrawing a request."""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web import words
from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.entrypoints.school_common import (
    Lead,
    Scope,
    chosen,
    date_items,
    date_names,
    day_fields,
    done,
    fields,
    has_control_characters,
    place,
    read_day,
    sent,
    split_list,
    tell,
)
from services.web.forms import Form
from services.web.models import Partnership, School
from services.web.service_layer import school_support as support
from services.web.service_layer import school_words
from services.web.service_layer.school_support import SupportRow
from services.web.viewer import Viewer

router = APIRouter(tags=["school lead"])

HERE = "/school/support"
ASK_FIELDS = ("partnership", "subjects", "phase", "description")
TERMS_FIELDS = ("objectives", *date_names("starts"), *date_names("ends"), "visits")
MOST_SUBJECTS = 20
LONGEST_SUBJECT = 100
LONGEST_DESCRIPTION = 5000
LONGEST_OBJECTIVE = 1000
LONGEST_REASON = 2000
MOST_VISITS = 100


@router.get(HERE, response_class=HTMLResponse)
async def support_requests(
    request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    found = await support.rows(api, viewer, scope)
    return pages.render(
        request,
        "school/support.html",
        {
            "title": "Support requests",
            "done": done(request),
            "asked": [r for r in found if r.asked],
            "giving": [r for r in found if not r.asked],
            "scope": scope,
        },
    )


# -- asking for support -----------------------------------------------------------------------


@router.get(HERE + "/new", response_class=HTMLResponse)
async def new_request(
    request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    school = scope.chosen(request.query_params.get("school"))
    form = Form({"school": school.urn})
    return await _ask_page(request, pages, api, viewer, scope, school, form, [])


async def _ask_page(
    request: Request,
    pages: PagesDep,
    api: Api,
    viewer: Viewer,
    scope: Scope,
    school: School,
    form: Form,
    categories: list[str],
    status: int = HTTPStatus.OK,
) -> HTMLResponse:
    choices = await support.partnerships_of(api, viewer, school.urn)
    return pages.render(
        request,
        "school/support_new.html",
        {
            "title": "Ask for support",
            "form": form,
            "school": school,
            "scope": scope,
            "partnerships": choices,
            "partnership_items": _partnership_items(choices, form.value("partnership")),
            "category_items": _category_items(categories),
            "phase_items": [{"value": "", "text": f"{school.name}'s own phase"}]
            + [
                {"value": code, "text": text, "selected": code == form.value("phase")}
                for code, text in words.PHASES.items()
            ],
        },
        status_code=status,
    )


@router.post(HERE + "/new")
async def ask(request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope) -> Response:
    given = await sent(request)
    values = fields(given)
    school = scope.chosen(values.get("school"))
    form = Form.of(values, ASK_FIELDS)
    form.values["school"] = school.urn
    categories = chosen(given, "categories")
    choices = await support.partnerships_of(api, viewer, school.urn)
    need = _need(form, categories)
    partnership = _partnership(form, choices)
    if not form.valid or partnership is None:
        return await _ask_page(
            request, pages, api, viewer, scope, school, form, categories, HTTPStatus.BAD_REQUEST
        )
    try:
        await support.ask(api, viewer, partnership.id, school.urn, need)
    except ApiProblem as problem:
        if problem.status not in (HTTPStatus.UNPROCESSABLE_ENTITY, HTTPStatus.CONFLICT):
            raise
        if not place(
            form,
            problem,
            {
                "need.subjects": ("subjects", "Check the subjects: each at most 100 characters"),
                "need.description": ("description", "The description is too long"),
                "need": ("subjects", "Enter a subject, or choose a kind of work"),
                "partnership_id": ("partnership", "Choose a partnership from the list"),
            },
        ):
            form.refuse(
                "partnership",
                f"{school.name} is not taking part in that partnership now: choose another",
            )
        return await _ask_page(
            request, pages, api, viewer, scope, school, form, categories, HTTPStatus.BAD_REQUEST
        )
    tell(
        request,
        f"You asked {partnership.name} for support in {_about(need)}. Its coordinators will "
        "look for a school to give it.",
    )
    return RedirectResponse(HERE, status_code=HTTPStatus.SEE_OTHER)


def _need(form: Form, categories: list[str]) -> dict[str, Any]:
    subjects = split_list(form.value("subjects"))
    if has_control_characters(form.value("subjects")):
        form.refuse("subjects", "Subjects must be plain text")
    elif len(subjects) > MOST_SUBJECTS:
        form.refuse("subjects", f"Enter at most {MOST_SUBJECTS} subjects")
    elif any(len(s) > LONGEST_SUBJECT for s in subjects):
        form.refuse("subjects", f"Each subject must be {LONGEST_SUBJECT} characters or fewer")
    unknown = [c for c in categories if c not in words.CATEGORIES]
    if unknown:
        form.refuse("categories", "Choose kinds of work from the list")
    if not subjects and not categories and not form.errors:
        form.refuse("subjects", "Enter a subject, or choose a kind of work the support is for")
    phase = form.value("phase") or None
    if phase is not None and phase not in words.PHASES:
        form.refuse("phase", "Choose a phase from the list")
    description = form.value("description")
    if len(description) > LONGEST_DESCRIPTION:
        form.refuse(
            "description", f"The description must be {LONGEST_DESCRIPTION} characters or fewer"
        )
    elif has_control_characters(description, lines=True):
        form.refuse("description", "The description must be plain text")
    return {
        "subjects": subjects,
        "categories": categories,
        "phase": phase,
        "description": description or None,
    }


def _partnership(form: Form, choices: list[Partnership]) -> Partnership | None:
    if len(choices) == 1 and not form.value("partnership"):
        return choices[0]
    found = next((p for p in choices if p.id == form.value("partnership")), None)
    if found is None:
        form.refuse("partnership", "Choose the partnership to ask through")
    return found


def _about(need: dict[str, Any]) -> str:
    named = [*need["subjects"], *(words.word(words.CATEGORIES, c) for c in need["categories"])]
    return ", ".join(named)


def _partnership_items(choices: list[Partnership], value: str) -> list[dict[str, Any]]:
    return [{"value": p.id, "text": p.name, "checked": p.id == value} for p in choices]


def _category_items(ticked: list[str]) -> list[dict[str, Any]]:
    return [
        {"value": code, "text": text, "checked": code in ticked}
        for code, text in words.CATEGORIES.items()
    ]


# -- one engagement: agreeing the terms, withdrawing --------------------------------------------


@router.get(HERE + "/{engagement_id}", response_class=HTMLResponse)
async def engagement(
    request: Request, engagement_id: str, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    row = await support.one(api, viewer, scope, known_id(engagement_id))
    return _engagement_page(request, pages, row, _terms_form(row))


def _terms_form(row: SupportRow) -> Form:
    terms = row.engagement.agreement
    if terms is None:
        return Form()
    return Form(
        {
            "objectives": "\n".join(terms.objectives),
            **day_fields("starts", terms.starts_on),
            **day_fields("ends", terms.ends_on),
            "visits": str(terms.visits_planned),
        }
    )


def _engagement_page(
    request: Request, pages: PagesDep, row: SupportRow, form: Form, status: int = HTTPStatus.OK
) -> HTMLResponse:
    return pages.render(
        request,
        "school/support_engagement.html",
        {
            "title": f"Support in {row.engagement.about}",
            "row": row,
            "e": row.engagement,
            "form": form,
            "done": done(request) if form.valid else None,
            "starts_items": date_items(form, "starts"),
            "ends_items": date_items(form, "ends"),
            "outcomes": school_words.SUPPORT_OUTCOMES,
        },
        status_code=status,
    )


@router.post(HERE + "/{engagement_id}/agree")
async def agree(
    request: Request, engagement_id: str, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> Response:
    row = await support.one(api, viewer, scope, known_id(engagement_id))
    values = fields(await sent(request))
    proposing = values.get("proposing") == "yes"
    form = Form.of(values, TERMS_FIELDS) if proposing else _terms_form(row)
    terms = _terms(form) if proposing else None
    if not form.valid:
        return _engagement_page(request, pages, row, form, HTTPStatus.BAD_REQUEST)
    try:
        agreed = await support.agree(api, viewer, row.engagement.id, terms)
    except ApiProblem as problem:
        if problem.status not in (HTTPStatus.UNPROCESSABLE_ENTITY, HTTPStatus.CONFLICT):
            raise
        if not place(
            form,
            problem,
            {
                "objectives": ("objectives", "Check the objectives: none may be empty"),
                "ends_on": ("ends-day", "The end must be on or after the start"),
                "visits_planned": ("visits", "Enter between 1 and 100 visits"),
            },
        ):
            form.refuse(
                "objectives" if proposing else "agree",
                "The terms can no longer be agreed: the support has moved on. "
                "Reload the page to see where it stands.",
            )
        return _engagement_page(request, pages, row, form, HTTPStatus.CONFLICT)
    if agreed.status == "agreed":
        tell(request, "Both schools have agreed the terms: the support can start.")
    elif proposing:
        tell(request, "You proposed these terms. The other school's lead is asked to agree them.")
    else:
        tell(request, "You agreed the terms. The other school's lead is asked to agree them too.")
    return RedirectResponse(f"{HERE}/{row.engagement.id}", status_code=HTTPStatus.SEE_OTHER)


def _terms(form: Form) -> dict[str, Any]:
    objectives = split_lines(form.value("objectives"))
    if not objectives:
        form.refuse("objectives", "Enter at least one objective, one a line")
    elif len(objectives) > MOST_SUBJECTS:
        form.refuse("objectives", f"Enter at most {MOST_SUBJECTS} objectives")
    elif any(len(o) > LONGEST_OBJECTIVE for o in objectives):
        form.refuse("objectives", f"Each objective must be {LONGEST_OBJECTIVE} characters or fewer")
    elif has_control_characters(form.value("objectives"), lines=True):
        form.refuse("objectives", "The objectives must be plain text")
    starts = read_day(form, "starts", "the day the support starts")
    ends = read_day(form, "ends", "the day the support ends")
    if starts and ends and ends < starts:
        form.refuse("ends-day", "The day the support ends must be on or after the day it starts")
    visits = form.value("visits")
    if not visits:
        form.refuse("visits", "Enter how many visits are planned")
    elif not visits.isdecimal() or not 1 <= int(visits) <= MOST_VISITS:
        form.refuse("visits", f"Visits planned must be a whole number from 1 to {MOST_VISITS}")
    if not form.valid:
        return {}
    return {
        "objectives": objectives,
        "starts_on": str(starts),
        "ends_on": str(ends),
        "visits_planned": int(visits),
    }


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


@router.get(HERE + "/{engagement_id}/withdraw", response_class=HTMLResponse)
async def confirm_withdraw(
    request: Request, engagement_id: str, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    row = await support.one(api, viewer, scope, known_id(engagement_id))
    return _withdraw_page(request, pages, row, Form())


def _withdraw_page(
    request: Request, pages: PagesDep, row: SupportRow, form: Form, status: int = HTTPStatus.OK
) -> HTMLResponse:
    return pages.render(
        request,
        "school/support_withdraw.html",
        {
            "title": "Withdraw the request",
            "heading": f"Withdraw the request for support in {row.engagement.about}?",
            "lines": [
                "The partnership's coordinators and any school matched to give it are told.",
            ],
            "action": f"{HERE}/{row.engagement.id}/withdraw",
            "button": "Yes, withdraw it",
            "back": f"{HERE}/{row.engagement.id}",
            "back_text": "No, keep the request",
            "form": form,
        },
        status_code=status,
    )


@router.post(HERE + "/{engagement_id}/withdraw")
async def withdraw(
    request: Request, engagement_id: str, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> Response:
    row = await support.one(api, viewer, scope, known_id(engagement_id))
    form = Form.of(fields(await sent(request)), ("reason",))
    reason = form.value("reason")
    if len(reason) > LONGEST_REASON:
        form.refuse("reason", f"The reason must be {LONGEST_REASON} characters or fewer")
    elif has_control_characters(reason, lines=True):
        form.refuse("reason", "The reason must be plain text")
    if not row.may_withdraw:
        form.refuse("reason", "This request can no longer be withdrawn")
    if not form.valid:
        return _withdraw_page(request, pages, row, form, HTTPStatus.BAD_REQUEST)
    try:
        await support.withdraw(api, viewer, row.engagement.id, reason or None)
    except ApiProblem as problem:
        if problem.status not in (HTTPStatus.CONFLICT, HTTPStatus.FORBIDDEN):
            raise
        form.refuse("reason", "This request can no longer be withdrawn")
        return _withdraw_page(request, pages, row, form, HTTPStatus.CONFLICT)
    tell(request, f"You withdrew the request for support in {row.engagement.about}.")
    return RedirectResponse(HERE, status_code=HTTPStatus.SEE_OTHER)
