"""Every failure as a page in the layout, never a stack trace: not found, a service that does not
answer, and our own mistakes (with a reference to quote, the request's correlation id)."""

from http import HTTPStatus
from urllib.parse import urlencode

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventkit import context
from services.web.adapters.platform_api import ApiProblem, ServiceUnavailable
from services.web.rendering import Pages
from services.web.service_layer.case_study_pages import NotPublished
from services.web.viewer import NotSignedIn, WrongRole

log = structlog.get_logger("web")

RETRY_AFTER_SECONDS = "30"


def csrf_refused(pages: Pages, request: Request) -> HTMLResponse:
    """A form sent without this session's token: from another site, or a page left open
    across a sign-out. Nothing was done."""
    return pages.render(
        request,
        "errors/problem.html",
        {
            "title": "That form has expired",
            "heading": "That form has expired",
            "message": "Nothing was changed. Go back, reload the page and try again.",
        },
        status_code=403,
    )


def install(app: FastAPI, pages: Pages) -> None:
    def not_found(request: Request) -> HTMLResponse:
        return pages.render(
            request, "errors/not_found.html", {"title": "Page not found"}, status_code=404
        )

    def problem(request: Request, status: int, **words: str) -> HTMLResponse:
        page = {"title": words.get("heading", "Sorry, there is a problem"), **words}
        if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
            page["reference"] = context.correlation_id() or ""
        return pages.render(request, "errors/problem.html", page, status_code=status)

    def unavailable(request: Request) -> HTMLResponse:
        return pages.render(
            request,
            "errors/unavailable.html",
            {"title": "Sorry, the platform is not answering"},
            status_code=503,
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        if exc.status_code == HTTPStatus.NOT_FOUND:
            return not_found(request)
        phrase = HTTPStatus(exc.status_code).phrase
        return problem(
            request, exc.status_code, heading=phrase, message="This cannot be done here."
        )

    @app.exception_handler(RequestValidationError)
    async def bad_address(request: Request, exc: RequestValidationError) -> HTMLResponse:
        return problem(request, 400, message="The web address is not one this site makes.")

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> RedirectResponse:
        return RedirectResponse(
            "/sign-in?" + urlencode({"next": request.url.path}), status_code=303
        )

    @app.exception_handler(WrongRole)
    async def wrong_role(request: Request, exc: WrongRole) -> HTMLResponse:
        return problem(
            request,
            403,
            heading="This page is not for the way you are acting now",
            message="Switch to another of your roles at the top of the page, if you have one "
            "that does this.",
        )

    @app.exception_handler(NotPublished)
    async def not_published(request: Request, exc: NotPublished) -> HTMLResponse:
        return not_found(request)

    @app.exception_handler(ServiceUnavailable)
    async def service_unavailable(request: Request, exc: ServiceUnavailable) -> HTMLResponse:
        log.warning("web.service_unavailable", service=exc.service, reason=str(exc))
        return unavailable(request)

    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, exc: ApiProblem) -> HTMLResponse:
        if exc.not_found:
            return not_found(request)
        if exc.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            log.error("web.token_refused", status=exc.status, detail=exc.detail)
            return unavailable(request)
        log.error("web.request_refused", status=exc.status, detail=exc.detail)
        return problem(request, 500)

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception) -> HTMLResponse:
        log.exception("web.failure")
        return problem(request, 500)
