"""What every page of a partnership coordinator needs: the coordinator, a page rendered with the
words for the services' codes, a form's fields as typed, and the message a change leaves for the
page it returns to (post, redirect, get)."""

from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Request, status
from fastapi.responses import HTMLResponse, RedirectResponse

from services.web.adapters.platform_api import ApiProblem
from services.web.rendering import Pages
from services.web.service_layer.coordinate_words import SAY
from services.web.viewer import Viewer, needs_role

ROLE = "partnership_coordinator"
Coordinator = Annotated[Viewer, needs_role(ROLE)]
FLASH = "coordinate.done"
ANSWERED_ON_THE_PAGE = frozenset(
    {HTTPStatus.BAD_REQUEST, HTTPStatus.CONFLICT, HTTPStatus.UNPROCESSABLE_ENTITY}
)


def answered_on_the_page(problem: ApiProblem) -> bool:
    """A refusal the page says in words (bad input, a clash with the state things are in);
    any other is the error pages' to answer."""
    return problem.status in ANSWERED_ON_THE_PAGE


def done(request: Request, message: str) -> None:
    """Shown once, as a success banner, on the next page the coordinator sees."""
    request.session[FLASH] = message


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def render(
    pages: Pages,
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    page = {"say": SAY, "done": request.session.pop(FLASH, None), **context}
    return pages.render(request, f"coordinate/{template}", page, status_code=status_code)


async def form_items(request: Request) -> list[tuple[str, str]]:
    """Every field sent, in order (a group of checkboxes sends one per box ticked)."""
    form = await request.form()
    return [(k, v) for k, v in form.multi_items() if isinstance(v, str)]


def single(items: list[tuple[str, str]]) -> dict[str, str]:
    return {k: v for k, v in items}
