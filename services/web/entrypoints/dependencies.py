"""What a page's route needs, from the app the composition root built."""

import re
from typing import Annotated

import httpx
from fastapi import Depends, HTTPException, Request, status

from services.web.adapters.platform_api import PlatformApi, ServiceUnavailable
from services.web.ports import Tokens
from services.web.rendering import Pages

ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def _api(request: Request) -> PlatformApi:
    api: PlatformApi = request.app.state.api
    return api


async def _public_token(request: Request) -> str:
    tokens: Tokens = request.app.state.tokens
    try:
        return await tokens.public()
    except httpx.HTTPError as exc:
        raise ServiceUnavailable("identity", type(exc).__name__) from exc


def known_id(value: str) -> str:
    """An id as the services make them; anything else is not there (and is not sent on)."""
    if not ID.match(value):
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    return value


PagesDep = Annotated[Pages, Depends(_pages)]
Api = Annotated[PlatformApi, Depends(_api)]
PublicToken = Annotated[str, Depends(_public_token)]
