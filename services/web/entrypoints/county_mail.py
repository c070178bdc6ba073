"""Addresses on hold: whose mail is not sent because their address refused it for good, and
releasing one so that mail goes to it again."""

from http import HTTPStatus

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.web.adapters.platform_api import ApiProblem
from services.web.entrypoints.county_common import Officer, tell, told
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.service_layer import county_mail as mail
from services.web.service_layer.county_directory import person

router = APIRouter(prefix="/county/held-addresses", tags=["county officer"])


@router.get("", response_class=HTMLResponse)
async def held(request: Request, pages: PagesDep, api: Api, viewer: Officer) -> HTMLResponse:
    found = await mail.held_people(api, viewer.token)
    context = {"title": "Addresses on hold", "held": found, "done": told(request)}
    return pages.render(request, "county/held_addresses.html", context)


@router.post("/{person_id}/release")
async def release(request: Request, person_id: str, api: Api, viewer: Officer) -> Response:
    person_id = known_id(person_id)
    found = await person(api, viewer.token, person_id)
    name = found.details.name if found and found.details else "this person"
    try:
        await mail.release(api, viewer.token, person_id)
    except ApiProblem as problem:
        if not problem.not_found:
            raise
        tell(request, f"The address of {name} was no longer on hold.")
    else:
        tell(request, f"Mail will be sent to {name} again.")
    return RedirectResponse("/county/held-addresses", status_code=HTTPStatus.SEE_OTHER)
