"""The front page: for a signed-in person, what needs them now and where their pages are; for
everyone else, what the platform is and how to sign in."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.web.entrypoints.dependencies import Api, PagesDep
from services.web.service_layer import coordinate_needs_you, county_home, school_lead, teacher_home
from services.web.service_layer.needs_you import NeedsYou, NeedsYouFor
from services.web.viewer import MaybeViewer

router = APIRouter(tags=["home"])

NEEDS_YOU: dict[str, NeedsYouFor] = {}
"""Per way of acting (token role), what needs the person now."""
NEEDS_YOU["partnership_coordinator"] = coordinate_needs_you.needs_you
NEEDS_YOU["county_officer"] = county_home.needs_you
NEEDS_YOU["teacher"] = teacher_home.needs_you
NEEDS_YOU["school_lead"] = school_lead.needs_you


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, pages: PagesDep, api: Api, viewer: MaybeViewer) -> HTMLResponse:
    if viewer is None:
        return pages.render(request, "index.html", {"title": "Home"})
    found = NEEDS_YOU.get(viewer.acting_as)
    needs: list[NeedsYou] = await found(api, viewer) if found else []
    return pages.render(request, "home.html", {"title": "Home", "needs_you": needs})
