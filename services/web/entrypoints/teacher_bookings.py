"""The teacher's bookings: the list, one booking with its check-in code and QR image, cancelling,
handing the place to a colleague, taking up an offered place."""

from http import HTTPStatus

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import ID, Api, PagesDep, known_id
from services.web.entrypoints.files import file_response
from services.web.entrypoints.teacher_dependencies import Teacher, done, fields, now, sent
from services.web.forms import Form
from services.web.service_layer import teacher_bookings as bookings
from services.web.service_layer.teacher_bookings import MyBooking, NotYours
from services.web.viewer import Viewer

router = APIRouter(tags=["teacher"])


async def own_booking(api: Api, viewer: Viewer, booking_id: str) -> MyBooking:
    try:
        return await bookings.my_booking(api, viewer, known_id(booking_id))
    except NotYours:
        raise HTTPException(HTTPStatus.NOT_FOUND) from None


@router.get("/my/bookings", response_class=HTMLResponse)
async def my_bookings(request: Request, pages: PagesDep, api: Api, viewer: Teacher) -> HTMLResponse:
    at = now()
    mine = await bookings.my_bookings(api, viewer, at)
    return pages.render(
        request,
        "teacher/bookings.html",
        {
            "title": "My bookings",
            "done": done(request),
            "upcoming": [m for m in mine if m.upcoming(at)],
            "past": [m for m in mine if not m.upcoming(at)],
            "now": at,
        },
    )


@router.get("/my/bookings/{booking_id}", response_class=HTMLResponse)
async def booking(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> HTMLResponse:
    my = await own_booking(api, viewer, booking_id)
    return _booking(request, pages, my, Form())


def _booking(
    request: Request, pages: PagesDep, my: MyBooking, form: Form, status: int = HTTPStatus.OK
) -> HTMLResponse:
    return pages.render(
        request,
        "teacher/booking.html",
        {
            "title": my.activity.title,
            "my": my,
            "b": my.booking,
            "a": my.activity,
            "done": done(request) if form.valid else None,
            "form": form,
            "now": now(),
        },
        status_code=status,
    )


@router.get("/my/bookings/{booking_id}/check-in.png")
async def check_in_image(booking_id: str, api: Api, viewer: Teacher) -> Response:
    found = await api.events.file(f"/bookings/{known_id(booking_id)}/check-in.png", viewer.token)
    return file_response(found, media_type="image/png")


@router.post("/my/bookings/{booking_id}/accept", response_model=None)
async def accept(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> Response:
    my = await own_booking(api, viewer, booking_id)
    try:
        await bookings.accept(api, viewer, my.id)
    except ApiProblem as problem:
        if problem.status != HTTPStatus.CONFLICT:
            raise
        form = Form()
        form.refuse("accept", "The offer has run out, so the place is no longer yours to take.")
        return _booking(request, pages, await own_booking(api, viewer, my.id), form, 409)
    return RedirectResponse(f"/my/bookings/{my.id}?done=accepted", status_code=303)


@router.get("/my/bookings/{booking_id}/cancel", response_class=HTMLResponse)
async def cancel_page(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> HTMLResponse:
    my = await own_booking(api, viewer, booking_id)
    return _cancel(request, pages, my, Form())


def _cancel(
    request: Request, pages: PagesDep, my: MyBooking, form: Form, status: int = HTTPStatus.OK
) -> HTMLResponse:
    return pages.render(
        request,
        "teacher/cancel.html",
        {"title": "Cancel your booking", "my": my, "form": form, "now": now()},
        status_code=status,
    )


@router.post("/my/bookings/{booking_id}/cancel", response_model=None)
async def cancel(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> Response:
    my = await own_booking(api, viewer, booking_id)
    form = Form()
    if not my.may_change(now()):
        form.refuse("cancel", _too_late(my))
        return _cancel(request, pages, my, form, HTTPStatus.CONFLICT)
    try:
        await bookings.cancel(api, viewer, my.id)
    except ApiProblem as problem:
        if problem.status != HTTPStatus.CONFLICT:
            raise
        form.refuse("cancel", _too_late(my))
        return _cancel(request, pages, my, form, HTTPStatus.CONFLICT)
    return RedirectResponse("/my/bookings?done=cancelled", status_code=303)


def _too_late(my: MyBooking) -> str:
    if not my.booking.live:
        return f"This booking cannot be cancelled: it is {my.booking.status_words.lower()}."
    return (
        "It is too late to change this booking online. Tell the activity's organiser "
        "that you cannot come."
    )


COLLEAGUE = ("colleague",)


@router.get("/my/bookings/{booking_id}/colleague", response_class=HTMLResponse)
async def colleague_page(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> HTMLResponse:
    my = await own_booking(api, viewer, booking_id)
    return _colleague(request, pages, my, Form())


def _colleague(
    request: Request, pages: PagesDep, my: MyBooking, form: Form, status: int = HTTPStatus.OK
) -> HTMLResponse:
    return pages.render(
        request,
        "teacher/colleague.html",
        {"title": "Give your place to a colleague", "my": my, "form": form, "now": now()},
        status_code=status,
    )


@router.post("/my/bookings/{booking_id}/colleague", response_model=None)
async def hand_on(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Teacher
) -> Response:
    my = await own_booking(api, viewer, booking_id)
    form = Form.of(fields(await sent(request)), COLLEAGUE)
    reference = form.value("colleague")
    if not my.may_hand_on(now()):
        form.refuse("colleague", _too_late(my))
    elif not reference:
        form.refuse("colleague", "Enter your colleague's platform reference")
    elif not ID.match(reference):
        form.refuse(
            "colleague",
            "A platform reference is letters and numbers only, like 3f9a2c41b7d0",
        )
    elif reference == viewer.person_id:
        form.refuse("colleague", "That is your own reference: enter your colleague's")
    if not form.valid:
        return _colleague(request, pages, my, form, HTTPStatus.BAD_REQUEST)
    try:
        await bookings.hand_on(api, viewer, my.id, reference)
    except ApiProblem as problem:
        if problem.status == HTTPStatus.UNPROCESSABLE_ENTITY:
            form.refuse(
                "colleague",
                "No one working at your school now has this reference: check it with your "
                "colleague",
            )
        elif problem.status == HTTPStatus.CONFLICT:
            form.refuse("colleague", _too_late(my))
        else:
            raise
        return _colleague(request, pages, my, form, HTTPStatus.BAD_REQUEST)
    return RedirectResponse("/my/bookings?done=handed_on", status_code=303)
