"""What the county officer's pages share: who may see them, the notice a page shows once after
something was done, and a service's file answered as it came."""

from typing import Annotated

from fastapi import Request

from services.web.viewer import Viewer, needs_role

COUNTY_OFFICER = "county_officer"
DONE = "county.done"

Officer = Annotated[Viewer, needs_role(COUNTY_OFFICER)]


async def posted(request: Request) -> dict[str, str]:
    """A form's text fields (the last value of a repeated one)."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


async def posted_all(request: Request, name: str) -> list[str]:
    """Every value of a repeated field (checkboxes)."""
    return [v for v in (await request.form()).getlist(name) if isinstance(v, str)]


def tell(request: Request, text: str) -> None:
    """What the next page says was done (post/redirect/get)."""
    request.session[DONE] = text


def told(request: Request) -> str | None:
    """Said once: a reload does not say it again."""
    text = request.session.pop(DONE, None)
    return str(text) if text else None
