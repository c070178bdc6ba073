"""HTTP route that imports schools from a GIAS establishment CSV."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status

from eventkit.auth import CurrentPrincipal
from services.membership.adapters import gias
from services.membership.entrypoints.dependencies import UoW
from services.membership.service_layer import school_import as handlers

router = APIRouter(prefix="/schools", tags=["schools"])

CSV_MEDIA_TYPE = "text/csv"

DESCRIPTION = f"""
Send the CSV itself as the request body with `Content-Type: {CSV_MEDIA_TYPE}`, for example
`curl --data-binary @edubasealldata.csv -H 'Content-Type: {CSV_MEDIA_TYPE}' ...`
(or use `partnerships schools import FILE`, which sends a large file in pieces with a progress
bar). Without a `charset` parameter the body is read as UTF-8, falling back to cp1252 (the
encoding GIAS downloads use).

The file needs the GIAS columns {", ".join(f"`{c}`" for c in gias.REQUIRED_COLUMNS)};
`{gias.TYPE_GROUP}` is used when present and any other columns are ignored.

New URNs are registered, changed schools updated, unchanged ones left alone: importing the same
file again changes nothing and emits no events. Rows that cannot be taken are listed under
`rejected` with their line (the header is line 1) and the rest are imported. A file that is
empty or lacks columns is refused whole (422). Only county officers may import.
"""


@router.post(
    "/import",
    summary="Import schools from a GIAS establishment CSV",
    description=DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    },
    responses={
        status.HTTP_403_FORBIDDEN: {"description": "The caller is not a county officer"},
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: {"description": "The body is not text/csv"},
        status.HTTP_422_UNPROCESSABLE_CONTENT: {
            "description": "The file is empty or lacks GIAS columns (named in `detail`)"
        },
    },
)
async def import_csv(
    request: Request,
    uow: UoW,
    principal: CurrentPrincipal,
    first_line: Annotated[
        int,
        Query(
            ge=2,
            description="Line number, in the whole file, of the first line after the header: "
            "for a file sent in pieces, each with the header, so rejected rows name their "
            "line in the whole file",
        ),
    ] = 2,
) -> handlers.ImportReport:
    media_type, charset = _content_type(request.headers.get("content-type", ""))
    if media_type != CSV_MEDIA_TYPE:
        raise HTTPException(
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
            detail=f"send the CSV as the request body with Content-Type: {CSV_MEDIA_TYPE} "
            f"(got {media_type or 'none'})",
        )
    text = gias.decode(await request.body(), charset)
    return await handlers.import_schools(uow, principal, gias.parse(text, first_line=first_line))


def _content_type(header: str) -> tuple[str, str | None]:
    """The media type and the charset parameter, if any."""
    media_type, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return media_type.strip().lower(), charset
