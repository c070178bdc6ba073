"""Public pages of the partnerships: the list, and what each one is and does."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.web.entrypoints.dependencies import Api, PagesDep, PublicToken, known_id
from services.web.service_layer.partnership_pages import listing, partnership_page

router = APIRouter(tags=["partnerships"])


@router.get("/partnerships", response_class=HTMLResponse)
async def partnerships(
    request: Request, pages: PagesDep, api: Api, token: PublicToken
) -> HTMLResponse:
    found = await listing(api, token)
    return pages.render(
        request, "partnerships/list.html", {"title": "Partnerships", "partnerships": found}
    )


@router.get("/partnerships/{partnership_id}", response_class=HTMLResponse)
async def partnership(
    request: Request, partnership_id: str, pages: PagesDep, api: Api, token: PublicToken
) -> HTMLResponse:
    page = await partnership_page(api, token, known_id(partnership_id))
    return pages.render(
        request, "partnerships/partnership.html", {"title": page.partnership.name, "page": page}
    )
