"""The school lead's pupil places: activities that take pupils, booking places for a number of
the school's pupils (never their names), giving places up."""

import re
import secrets
from http import HTTPStatus

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.entrypoints.school_common import Lead, Scope, done, fields, sent, tell
from services.web.forms import Form
from services.web.models import School
from services.web.service_layer import school_pupils as pupils
from services.web.service_layer.school_pupils import PupilActivity
from services.web.service_layer.school_scope import now
from services.web.service_layer.school_words import plural

router = APIRouter(tags=["school lead"])

HERE = "/school/pupil-places"
KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@router.get(HERE, response_class=HTMLResponse)
async def pupil_places(
    request: Request, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    school = scope.chosen(request.query_params.get("school"))
    return await _list(request, pages, api, viewer, scope, school)


async def _list(
    request: Request,
    pages: PagesDep,
    api: Api,
    viewer: Lead,
    scope: Scope,
    school: School,
    problem: str | None = None,
    status: int = HTTPStatus.OK,
) -> HTMLResponse:
    at = now()
    found = await pupils.pupil_places(api, viewer, school.urn, at)
    return pages.render(
        request,
        "school/pupils.html",
        {
            "title": "Pupil places",
            "done": None if problem else done(request),
            "problem": problem,
            "school": school,
            "scope": scope,
            "places": found,
            "now": at,
        },
        status_code=status,
    )


@router.get(HERE + "/{activity_id}", response_class=HTMLResponse)
async def booking_form(
    request: Request, activity_id: str, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    school = scope.chosen(request.query_params.get("school"))
    place = await pupils.pupil_activity(api, viewer, school.urn, known_id(activity_id), now())
    return _form_page(request, pages, school, place, Form({"key": _new_key()}))


def _new_key() -> str:
    return secrets.token_urlsafe(18)


def _form_page(
    request: Request,
    pages: PagesDep,
    school: School,
    place: PupilActivity,
    form: Form,
    status: int = HTTPStatus.OK,
) -> HTMLResponse:
    return pages.render(
        request,
        "school/pupils_book.html",
        {
            "title": f"Book pupil places: {place.activity.title}",
            "form": form,
            "school": school,
            "place": place,
            "a": place.activity,
        },
        status_code=status,
    )


@router.post(HERE + "/{activity_id}")
async def book(
    request: Request,
    activity_id: str,
    pages: PagesDep,
    api: Api,
    viewer: Lead,
    scope: Scope,
) -> Response:
    values = fields(await sent(request))
    school = scope.chosen(values.get("school"))
    place = await pupils.pupil_activity(api, viewer, school.urn, known_id(activity_id), now())
    form = Form.of(values, ("pupils", "key"))
    if not KEY.match(form.value("key")):
        form.values["key"] = _new_key()
    count = _count(form, place)
    if not form.valid:
        return _form_page(request, pages, school, place, form, HTTPStatus.BAD_REQUEST)
    try:
        booked = await pupils.book(
            api.events, viewer, place.activity.id, school.urn, count, form.value("key")
        )
    except ApiProblem as problem:
        if problem.status not in (HTTPStatus.CONFLICT, HTTPStatus.UNPROCESSABLE_ENTITY):
            raise
        if problem.status == HTTPStatus.CONFLICT:
            form.refuse("pupils", "Booking has closed for this activity")
        else:
            form.refuse("pupils", f"Enter a number from 1 to {place.most}")
        return _form_page(request, pages, school, place, form, HTTPStatus.BAD_REQUEST)
    places = plural(booked.pupils, "pupil place", "pupil places")
    if booked.status == "waitlisted":
        tell(
            request,
            f"There is not room for {booked.pupils} more of your pupils at "
            f"{place.activity.title} now: your {places} are on the waiting list. You are told "
            "by email if they are offered.",
        )
    else:
        tell(request, f"You booked {places} at {place.activity.title} for {school.name}.")
    return RedirectResponse(f"{HERE}?school={school.urn}", status_code=HTTPStatus.SEE_OTHER)


def _count(form: Form, place: PupilActivity) -> int:
    given = form.value("pupils")
    if not given:
        form.refuse("pupils", "Enter how many pupils are going")
        return 0
    if not given.isdecimal() or len(given) > 5:
        form.refuse("pupils", "Enter the number of pupils as a whole number, like 12")
        return 0
    count = int(given)
    if count < 1:
        form.refuse("pupils", "Enter at least 1 pupil")
    elif count > place.most:
        form.refuse(
            "pupils",
            f"No school can bring more than {place.most} pupils to this activity: "
            f"enter {place.most} or fewer",
        )
    return count


@router.get(HERE + "/bookings/{booking_id}/cancel", response_class=HTMLResponse)
async def confirm_cancel(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> HTMLResponse:
    found = await pupils.pupil_booking(api, viewer, known_id(booking_id), now())
    title = found.activity.title if found.activity else "the activity"
    return pages.render(
        request,
        "school/confirm.html",
        {
            "title": "Give up pupil places",
            "heading": f"Give up {plural(found.booking.pupils, 'pupil place', 'pupil places')} "
            f"at {title}?",
            "lines": [
                found.activity.when if found.activity else "",
                "The places go to the next school waiting for them.",
            ],
            "action": f"{HERE}/bookings/{found.booking.id}/cancel",
            "button": "Yes, give them up",
            "back": f"{HERE}?school={found.booking.urn}",
            "back_text": "No, keep the places",
        },
    )


@router.post(HERE + "/bookings/{booking_id}/cancel")
async def cancel(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Lead, scope: Scope
) -> Response:
    found = await pupils.pupil_booking(api, viewer, known_id(booking_id), now())
    title = found.activity.title if found.activity else "the activity"
    back = f"{HERE}?school={found.booking.urn}"
    try:
        await pupils.cancel(api, viewer, found.booking.id)
    except ApiProblem as problem:
        if problem.status != HTTPStatus.CONFLICT:
            raise
        return await _list(
            request,
            pages,
            api,
            viewer,
            scope,
            scope.chosen(found.booking.urn),
            f"The places at {title} can no longer be given up here: it is past the deadline, "
            "or they were given up already. Ask the partnership's coordinator.",
            HTTPStatus.CONFLICT,
        )
    tell(
        request,
        f"You gave up {plural(found.booking.pupils, 'pupil place', 'pupil places')} at {title}.",
    )
    return RedirectResponse(back, status_code=HTTPStatus.SEE_OTHER)
