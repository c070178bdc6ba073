"""An activity's bookings and waiting list, and its register at the door: the coordinator checks
people in by their booking's code, typed on a phone (or opened from its QR code), or marks them
checked in or not come by name."""

import re
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.entrypoints.coordinate_common import (
    Coordinator,
    answered_on_the_page,
    done,
    form_items,
    render,
    see_other,
    single,
)
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.forms import Form
from services.web.rendering import Pages
from services.web.service_layer import coordinate_programme as programme
from services.web.service_layer.coordinate_activity_form import plain
from services.web.service_layer.coordinate_models import Activity
from services.web.service_layer.coordinate_words import moment

router = APIRouter(tags=["coordinator"])

DOORS_OPEN_BEFORE = timedelta(hours=2)
"""As the events service lets attendance be recorded: from this long before the start."""
CODE_MOST = 100
SPACES = re.compile(r"\s+")


def register_url(activity_id: str) -> str:
    return f"/coordinate/programme/{activity_id}/register"


@router.get("/coordinate/programme/{activity_id}/bookings", response_class=HTMLResponse)
async def bookings_page(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> HTMLResponse:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    found = await programme.bookings(api, viewer.token, activity)
    return render(
        pages,
        request,
        "bookings.html",
        {"title": f"Bookings: {activity.title}", "activity": activity, "bookings": found},
    )


async def _register_page(
    pages: Pages,
    request: Request,
    api: PlatformApi,
    token: str,
    activity: Activity,
    form: Form,
    *,
    refusal: str | None = None,
    status_code: int = HTTPStatus.OK,
) -> HTMLResponse:
    found = await programme.bookings(api, token, activity) if activity.has_register else None
    opens = activity.details.starts_at - DOORS_OPEN_BEFORE
    return render(
        pages,
        request,
        "register.html",
        {
            "title": f"Register: {activity.title}",
            "activity": activity,
            "bookings": found,
            "form": form,
            "refusal": refusal,
            "opens_at": moment(opens) if datetime.now(UTC) < opens else None,
        },
        status_code=status_code,
    )


@router.get("/coordinate/programme/{activity_id}/register", response_class=HTMLResponse)
async def register_page(
    request: Request,
    activity_id: str,
    pages: PagesDep,
    api: Api,
    viewer: Coordinator,
    code: str | None = None,
) -> HTMLResponse:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    form = Form({"code": (code or "")[:CODE_MOST].strip()})
    return await _register_page(pages, request, api, viewer.token, activity, form)


@router.get("/activities/{activity_id}/check-in", summary="Where a booking's QR code leads")
async def scanned(activity_id: str, viewer: Coordinator, code: str | None = None) -> Response:
    """The QR code on a booking holds this address (when the events service is given the web's
    public address): the register opens with the code filled in, to check in with one press."""
    query = "?" + urlencode({"code": code[:CODE_MOST]}) if code else ""
    return see_other(register_url(known_id(activity_id)) + query)


def _refused(problem: ApiProblem, activity: Activity) -> str:
    if problem.not_found:
        return "No booking for this activity has that code. Check it: capital letters matter"
    if problem.status == HTTPStatus.UNPROCESSABLE_ENTITY:
        return "Enter the code as it is on their booking"
    if "can be recorded from" in problem.detail:
        opens = moment(activity.details.starts_at - DOORS_OPEN_BEFORE)
        return f"The register opens 2 hours before the activity starts: on {opens}"
    said = plain(problem.detail).rstrip(".")
    return said[:1].upper() + said[1:]


@router.post("/coordinate/programme/{activity_id}/register", response_class=HTMLResponse)
async def check_in(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Coordinator
) -> Response:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    form = Form.of(single(await form_items(request)), ("code",))
    code = SPACES.sub("", form.value("code"))
    if not code:
        form.refuse("code", "Enter the check-in code from their booking")
    elif len(code) > CODE_MOST:
        form.refuse("code", "Enter the code as it is on their booking")
    if form.valid:
        try:
            record = await programme.check_in(api, viewer.token, activity.id, code)
        except ApiProblem as problem:
            if not (problem.not_found or answered_on_the_page(problem)):  # 404: no such code
                raise
            form.refuse("code", _refused(problem, activity))
        else:
            done(request, programme.greeting(record))
            return see_other(register_url(activity.id))
    return await _register_page(
        pages, request, api, viewer.token, activity, form, status_code=HTTPStatus.BAD_REQUEST
    )


@router.post(
    "/coordinate/programme/{activity_id}/register/{booking_id}", response_class=HTMLResponse
)
async def mark(
    request: Request,
    activity_id: str,
    booking_id: str,
    pages: PagesDep,
    api: Api,
    viewer: Coordinator,
) -> Response:
    activity = await programme.my_activity(api, viewer.token, known_id(activity_id))
    attended = single(await form_items(request)).get("attended")
    if attended not in ("yes", "no"):
        return see_other(register_url(activity.id))
    try:
        record = await programme.mark(api, viewer.token, known_id(booking_id), attended == "yes")
    except ApiProblem as problem:
        if not answered_on_the_page(problem):
            raise
        return await _register_page(
            pages,
            request,
            api,
            viewer.token,
            activity,
            Form({"code": ""}),
            refusal=_refused(problem, activity),
            status_code=HTTPStatus.CONFLICT,
        )
    done(request, programme.greeting(record))
    return see_other(register_url(activity.id))
