"""The teacher's programme: what their partnerships offer, filtered; one activity; booking it."""

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web import words
from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.entrypoints.teacher_dependencies import (
    Teacher,
    fields,
    kept_key,
    new_key,
    now,
    sent,
)
from services.web.forms import Form
from services.web.service_layer import teacher_bookings as bookings
from services.web.service_layer.teacher_models import Booking
from services.web.service_layer.teacher_programme import ActivityPage, Filter, activity_page
from services.web.service_layer.teacher_programme import programme as find_programme
from services.web.words import FORMATS

router = APIRouter(tags=["teacher"])

FILTERS = ("term", "category", "format", "phase")
REFUSED_BOOKING = (
    "The place could not be booked. Booking may have closed, or your school may not be able "
    "to book this activity: reload the page to see."
)


@router.get("/programme", response_class=HTMLResponse)
async def programme(request: Request, pages: PagesDep, api: Api, viewer: Teacher) -> HTMLResponse:
    form = Form.of(request.query_params, FILTERS)
    term, category, format_, phase = (form.value(name) or None for name in FILTERS)
    if category and category not in words.CATEGORIES:
        form.refuse("category", "Select a kind of work from the list")
    if format_ and format_ not in FORMATS:
        form.refuse("format", "Select a format from the list")
    if phase and phase not in words.PHASES:
        form.refuse("phase", "Select a phase of school from the list")
    chosen = Filter(
        term=term,
        category=None if form.error("category") else category,
        format=None if form.error("format") else format_,
        phase=None if form.error("phase") else phase,
    )
    found = await find_programme(api, viewer, chosen, now())
    if term and term not in {t.key for t in found.terms}:
        form.refuse("term", "Select a term from the list")
    return pages.render(
        request,
        "teacher/programme.html",
        {
            "title": "Programme",
            "form": form,
            "term_options": _options("Any term", [(t.key, t.name) for t in found.terms]),
            "category_options": _options("Any kind of work", words.CATEGORIES.items()),
            "format_options": _options("Any format", FORMATS.items()),
            "phase_options": _options("Any phase", words.PHASES.items()),
            "entries": found.entries if form.valid else [],
            "filtered": any(form.values.values()),
        },
        status_code=HTTPStatus.OK if form.valid else HTTPStatus.BAD_REQUEST,
    )


@router.get("/programme/{activity_id}", response_class=HTMLResponse)
async def activity(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> HTMLResponse:
    page = await activity_page(api, viewer, known_id(activity_id), now().date())
    return _activity(request, pages, page, Form({"idempotency_key": new_key()}))


@router.post("/programme/{activity_id}/book", response_model=None)
async def book(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> Response:
    page = await activity_page(api, viewer, known_id(activity_id), now().date())
    form = Form.of(fields(await sent(request)), ("urn", "idempotency_key"))
    form.values["idempotency_key"] = key = kept_key(form.value("idempotency_key"))
    if page.booking is not None and page.booking.idempotency_key == key:
        return _booked(page.booking)  # the same form, sent again
    urns = [s.urn for s in page.schools]
    urn = urns[0] if len(urns) == 1 else form.value("urn")
    if not urns:
        form.refuse("book", "You do not work at a school on the platform now, so you cannot book.")
    elif urn not in urns:
        form.refuse("urn", "Select the school you are booking for")
    if page.booking is not None:
        form.refuse("book", "You already have a booking on this activity.")
    if reason := page.activity.booking_state(now()):
        form.refuse("book", reason)
    if not form.valid:
        return _activity(request, pages, page, form, HTTPStatus.CONFLICT)
    try:
        made = await bookings.book(api.events, viewer, page.activity.id, urn, key)
    except ApiProblem as problem:
        if problem.status not in (
            HTTPStatus.FORBIDDEN,
            HTTPStatus.CONFLICT,
            HTTPStatus.UNPROCESSABLE_ENTITY,
        ):
            raise
        form.refuse("book", REFUSED_BOOKING)
        form.values["idempotency_key"] = new_key()
        return _activity(request, pages, page, form, HTTPStatus.CONFLICT)
    return _booked(made)


def _booked(made: Booking) -> RedirectResponse:
    done = made.status if made.status in ("waitlisted", "awaiting_approval") else "booked"
    return RedirectResponse(f"/my/bookings/{made.id}?done={done}", status_code=303)


def _activity(
    request: Request,
    pages: PagesDep,
    page: ActivityPage,
    form: Form,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    return pages.render(
        request,
        "teacher/activity.html",
        {
            "title": page.activity.title,
            "page": page,
            "a": page.activity,
            "form": form,
            "not_bookable": page.activity.booking_state(now()),
            "school_options": [
                {"value": s.urn, "text": s.name, "checked": form.value("urn") == s.urn}
                for s in page.schools
            ],
        },
        status_code=status_code,
    )


def _options(anything: str, choices: Any) -> list[dict[str, str]]:
    return [{"value": "", "text": anything}] + [
        {"value": value, "text": text} for value, text in choices
    ]
