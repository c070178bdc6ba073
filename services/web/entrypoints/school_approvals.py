"""The school lead's approvals: staff bookings waiting for them, approved or declined."""

from http import HTTPStatus

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.entrypoints.school_common import Lead, done, tell
from services.web.service_layer import school_approvals as approvals

router = APIRouter(tags=["school lead"])

HERE = "/school/approvals"
GONE = (
    "That booking is no longer waiting for approval: it may have been cancelled, or decided "
    "by someone else. The list below is up to date."
)


@router.get(HERE, response_class=HTMLResponse)
async def waiting(request: Request, pages: PagesDep, api: Api, viewer: Lead) -> HTMLResponse:
    return await _list(request, pages, api, viewer)


async def _list(
    request: Request,
    pages: PagesDep,
    api: Api,
    viewer: Lead,
    problem: str | None = None,
    status: int = HTTPStatus.OK,
) -> HTMLResponse:
    return pages.render(
        request,
        "school/approvals.html",
        {
            "title": "Approvals waiting",
            "waiting": await approvals.waiting(api, viewer),
            "done": None if problem else done(request),
            "problem": problem,
        },
        status_code=status,
    )


@router.post(HERE + "/{booking_id}/approve")
async def approve(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Lead
) -> Response:
    return await _decide(request, known_id(booking_id), pages, api, viewer, approve=True)


@router.get(HERE + "/{booking_id}/decline", response_class=HTMLResponse)
async def confirm_decline(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Lead
) -> HTMLResponse:
    w = await approvals.one_waiting(api, viewer, known_id(booking_id))
    return pages.render(
        request,
        "school/confirm.html",
        {
            "title": "Decline this booking",
            "heading": f"Decline {w.who}'s place at {w.what}?",
            "lines": [
                f"{w.activity.when}." if w.activity else "",
                "Their place is given up and they are told by email.",
            ],
            "action": f"{HERE}/{w.booking.id}/decline",
            "button": "Yes, decline it",
            "back": HERE,
            "back_text": "No, go back to approvals",
        },
    )


@router.post(HERE + "/{booking_id}/decline")
async def decline(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Lead
) -> Response:
    return await _decide(request, known_id(booking_id), pages, api, viewer, approve=False)


async def _decide(
    request: Request, booking_id: str, pages: PagesDep, api: Api, viewer: Lead, *, approve: bool
) -> Response:
    try:
        w = await approvals.one_waiting(api, viewer, booking_id)
        await approvals.decide(api, viewer, booking_id, approve=approve)
    except ApiProblem as problem:
        if problem.status in (HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT):
            return await _list(request, pages, api, viewer, GONE, HTTPStatus.CONFLICT)
        if problem.status == HTTPStatus.FORBIDDEN:
            return await _list(
                request,
                pages,
                api,
                viewer,
                "Only a CPD approver or a lead of the school may decide this booking.",
                HTTPStatus.FORBIDDEN,
            )
        raise
    if approve:
        tell(request, f"You approved {w.who}'s place at {w.what}.")
    else:
        tell(request, f"You declined {w.who}'s place at {w.what}. They are told by email.")
    return RedirectResponse(HERE, status_code=HTTPStatus.SEE_OTHER)
