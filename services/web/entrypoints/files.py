"""A file a service made (a chart, a spreadsheet, a PDF, a QR image), answered to the browser:
never cached (it is the person's own), never sniffed, and never able to run anything (a chart
opened on its own still draws: pygal styles it inline)."""

from fastapi.responses import Response

from services.web.adapters.platform_api import ServiceFile

FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def file_response(
    found: ServiceFile, *, media_type: str | None = None, disposition: str | None = None
) -> Response:
    """As the service answered it, unless told the type or `Content-Disposition` to give."""
    headers = {
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": FILE_POLICY,
    }
    if given := disposition or found.disposition:
        headers["Content-Disposition"] = given
    return Response(found.content, media_type=media_type or found.media_type, headers=headers)
