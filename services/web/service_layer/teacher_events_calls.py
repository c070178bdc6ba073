"""Two calls to the events service that the platform API client does not make: a POST with a
header of its own (a booking's `Idempotency-Key`), and a GET of a file (a booking's check-in QR
image, a certificate of attendance), passed on to the browser, which has no bearer token.

Answers that are not a success become `ApiProblem` and `ServiceUnavailable`, as there."""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httpx

from eventkit.context import correlation_id
from services.web.adapters.platform_api import CORRELATION_HEADER, ApiProblem, ServiceUnavailable
from services.web.settings import WebSettings

SERVICE = "events"


@dataclass(frozen=True)
class File:
    content: bytes
    media_type: str
    disposition: str | None


class EventsCalls:
    def __init__(self, settings: WebSettings) -> None:
        self.base_url = settings.events_url
        self.timeout = settings.api_timeout_seconds

    async def post(self, path: str, token: str, json: Any, headers: dict[str, str]) -> Any:
        return (await self._call("POST", path, token, json=json, headers=headers)).json()

    async def file(self, path: str, token: str) -> File:
        response = await self._call("GET", path, token)
        return File(
            response.content,
            response.headers.get("content-type", "application/octet-stream"),
            response.headers.get("content-disposition"),
        )

    async def _call(
        self,
        method: str,
        path: str,
        token: str,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {**(headers or {}), "Authorization": f"Bearer {token}"}
        if cid := correlation_id():
            sent[CORRELATION_HEADER] = cid
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout) as http:
                response = await http.request(method, path, json=json, headers=sent)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(SERVICE, type(exc).__name__) from exc
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise ServiceUnavailable(SERVICE, f"answered {response.status_code}")
        if response.status_code >= HTTPStatus.BAD_REQUEST:
            raise ApiProblem.of(response)
        return response
