"""Every partnership for a county officer, closed ones too, and each one's schools (whatever
their membership's state), coordinators and case studies (at every stage)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.web.entrypoints.county_common import Officer
from services.web.entrypoints.dependencies import Api, PagesDep, known_id
from services.web.service_layer import county_partnerships as partnerships
from services.web.service_layer.county_case_studies import STATUSES

router = APIRouter(prefix="/county/partnerships", tags=["county officer"])


@router.get("", response_class=HTMLResponse)
async def listing(request: Request, pages: PagesDep, api: Api, viewer: Officer) -> HTMLResponse:
    found = await partnerships.listing(api, viewer.token)
    context = {"title": "All partnerships", "listing": found}
    return pages.render(request, "county/partnerships.html", context)


@router.get("/{partnership_id}", response_class=HTMLResponse)
async def partnership(
    request: Request, partnership_id: str, pages: PagesDep, api: Api, viewer: Officer
) -> HTMLResponse:
    found = await partnerships.record(api, viewer.token, known_id(partnership_id))
    context = {
        "title": found.partnership.name,
        "record": found,
        "membership_statuses": partnerships.MEMBERSHIP_STATUSES,
        "case_study_statuses": STATUSES,
    }
    return pages.render(request, "county/partnership.html", context)
