"""The front page."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.web.entrypoints.dependencies import PagesDep

router = APIRouter(tags=["home"])


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, pages: PagesDep) -> HTMLResponse:
    return pages.render(request, "index.html", {"title": "Home"})
