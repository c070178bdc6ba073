"""Files a service makes (charts, CSV, PDF), fetched with the signed-in person's token and
answered by the web as they came: the browser has no token to fetch them itself."""

from dataclasses import dataclass
from http import HTTPStatus

import httpx

from eventkit.context import correlation_id
from services.web.adapters.platform_api import (
    CORRELATION_HEADER,
    ApiProblem,
    Params,
    ServiceClient,
    ServiceUnavailable,
)


@dataclass(frozen=True)
class ServiceFile:
    content: bytes
    media_type: str
    disposition: str | None
    """The service's `Content-Disposition`: its file name, and whether to save or show it."""


async def service_file(
    client: ServiceClient, path: str, token: str, params: Params | None = None
) -> ServiceFile:
    """Raises ApiProblem for a 4xx answer and ServiceUnavailable for none or a 5xx, as the
    JSON calls do."""
    headers = {"Authorization": f"Bearer {token}"}
    if cid := correlation_id():
        headers[CORRELATION_HEADER] = cid
    query = {k: v for k, v in (params or {}).items() if v is not None}
    http: httpx.AsyncClient = client._http  # ServiceClient answers JSON only
    try:
        response = await http.get(path, params=query, headers=headers)
    except httpx.HTTPError as exc:
        raise ServiceUnavailable(client.name, type(exc).__name__) from exc
    if response.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
        raise ServiceUnavailable(client.name, f"answered {response.status_code}")
    if response.status_code >= HTTPStatus.BAD_REQUEST:
        raise ApiProblem.of(response)
    return ServiceFile(
        response.content,
        response.headers.get("content-type", "application/octet-stream"),
        response.headers.get("content-disposition"),
    )
