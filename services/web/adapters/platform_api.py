"""The four services' HTTP APIs, called with the bearer token of whoever the page is for.

An answer that is not a success becomes `ApiProblem`, carrying its RFC 9457 problem details and,
for input that failed validation, each field's message, so a form can show it next to the field.
A service that does not answer (refused, timed out, 5xx) becomes `ServiceUnavailable`.
"""

from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpx

from eventkit.context import correlation_id
from services.web.settings import WebSettings

CORRELATION_HEADER = "X-Correlation-ID"
LOCATIONS = ("body", "query", "path", "header")

Params = Mapping[str, str | int | None]


class ServiceUnavailable(Exception):
    """A service did not answer, or answered that it cannot (5xx)."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service


@dataclass
class ApiProblem(Exception):
    """A 4xx answer: its problem details, and the message of each field it names."""

    status: int
    title: str
    detail: str
    fields: dict[str, str] = field(default_factory=dict)
    """Field (its path without body/query, dotted: `sessions.0.starts_at`) to its first message."""

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"

    @classmethod
    def of(cls, response: httpx.Response) -> "ApiProblem":
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {}
        title = str(body.get("title") or HTTPStatus(response.status_code).phrase)
        fields: dict[str, str] = {}
        for error in body.get("errors") or ():
            if isinstance(error, dict) and error.get("loc"):
                fields.setdefault(field_name(error["loc"]), str(error.get("msg", "")))
        return cls(response.status_code, title, str(body.get("detail") or title), fields)

    @property
    def not_found(self) -> bool:
        return self.status == HTTPStatus.NOT_FOUND


def field_name(loc: list[str | int]) -> str:
    parts = loc[1:] if loc and loc[0] in LOCATIONS else loc
    return ".".join(str(p) for p in parts)


@dataclass(frozen=True)
class ServiceFile:
    """A file a service makes (a chart, a spreadsheet, a PDF, a QR image), to answer the browser
    with: it has no token to fetch it itself."""

    content: bytes
    media_type: str
    disposition: str | None
    """The service's `Content-Disposition`: its file name, and whether to save or show it."""


class ServiceClient:
    """One service's API. Every failure is ApiProblem (4xx) or ServiceUnavailable (none, 5xx)."""

    def __init__(self, name: str, http: httpx.AsyncClient) -> None:
        self.name = name
        self._http = http

    async def get(self, path: str, token: str, params: Params | None = None) -> Any:
        return await self._call("GET", path, token, params=params)

    async def post(
        self, path: str, token: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        return await self._call("POST", path, token, json=json, headers=headers)

    async def file(self, path: str, token: str, params: Params | None = None) -> ServiceFile:
        response = await self._send("GET", path, token, params=params)
        return ServiceFile(
            response.content,
            response.headers.get("content-type", "application/octet-stream"),
            response.headers.get("content-disposition"),
        )

    async def put(self, path: str, token: str, json: Any = None) -> Any:
        return await self._call("PUT", path, token, json=json)

    async def delete(self, path: str, token: str) -> Any:
        return await self._call("DELETE", path, token)

    async def healthy(self) -> bool:
        try:
            return (await self._http.get("/health")).status_code == HTTPStatus.OK
        except httpx.HTTPError:
            return False

    async def _call(
        self,
        method: str,
        path: str,
        token: str,
        *,
        params: Params | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        response = await self._send(method, path, token, params=params, json=json, headers=headers)
        if response.status_code == HTTPStatus.NO_CONTENT or not response.content:
            return None
        return response.json()

    async def _send(
        self,
        method: str,
        path: str,
        token: str,
        *,
        params: Params | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {**(headers or {}), "Authorization": f"Bearer {token}"}
        if cid := correlation_id():
            sent[CORRELATION_HEADER] = cid
        query = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            response = await self._http.request(method, path, params=query, json=json, headers=sent)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(self.name, type(exc).__name__) from exc
        if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise ServiceUnavailable(self.name, f"answered {response.status_code}")
        if response.status_code >= HTTPStatus.BAD_REQUEST:
            raise ApiProblem.of(response)
        return response


@dataclass(frozen=True)
class PlatformApi:
    membership: ServiceClient
    events: ServiceClient
    notifications: ServiceClient
    reporting: ServiceClient

    @property
    def services(self) -> tuple[ServiceClient, ...]:
        return (self.membership, self.events, self.notifications, self.reporting)


@asynccontextmanager
async def platform_api(settings: WebSettings) -> AsyncIterator[PlatformApi]:
    """One HTTP client per service, open while the block runs."""
    timeout = httpx.Timeout(settings.api_timeout_seconds)
    urls = {
        "membership": settings.membership_url,
        "events": settings.events_url,
        "notifications": settings.notifications_url,
        "reporting": settings.reporting_url,
    }
    async with AsyncExitStack() as stack:
        clients = {
            name: ServiceClient(
                name,
                await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=timeout)),
            )
            for name, url in urls.items()
        }
        yield PlatformApi(**clients)
