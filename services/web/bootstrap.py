"""Composition root of the web front end."""

import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import structlog
from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from pymongo import AsyncMongoClient

from eventkit import context
from eventkit.logging import configure_logging
from services.web import session
from services.web.adapters.identity import IdentityClient
from services.web.adapters.platform_api import CORRELATION_HEADER, platform_api
from services.web.entrypoints import (
    case_studies,
    coordinator,
    county,
    errors,
    home,
    operations,
    partnerships,
    school_lead,
    sign_in,
    teacher,
)
from services.web.entrypoints.sign_in import provider_registry
from services.web.ports import Tokens
from services.web.rendering import STATIC, Pages
from services.web.session import SessionStore
from services.web.settings import WebSettings
from services.web.viewer import current_viewer

log = structlog.get_logger("http")

MAX_SEGMENT = 64
"""Longest correlation id taken from a caller."""


def build(settings: WebSettings | None = None, tokens: Tokens | None = None) -> FastAPI:
    settings = settings or WebSettings()
    configure_logging(settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per API call; ours says enough
    pages = Pages(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        identity_http = httpx.AsyncClient(
            base_url=settings.identity_url, timeout=settings.api_timeout_seconds
        )
        mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            settings.mongodb_uri, tz_aware=True
        )
        async with platform_api(settings) as api, identity_http, mongo:
            app.state.api = api
            app.state.identity = IdentityClient(
                identity_http, settings.web_client_id, settings.web_client_secret
            )
            app.state.tokens = tokens or app.state.identity
            app.state.sessions = SessionStore(mongo, settings.database_name)
            yield

    app = FastAPI(
        title="School partnerships",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.pages = pages
    app.state.oauth = provider_registry(settings)

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        correlation_id = request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
        if len(correlation_id) > MAX_SEGMENT or not correlation_id.isprintable():
            correlation_id = str(uuid.uuid4())
        context.begin(correlation_id, method=request.method, path=request.url.path[:200])
        started = time.perf_counter()
        response = await call_next(request)
        response.headers[CORRELATION_HEADER] = correlation_id
        log.info(
            "http.request",
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 2),
        )
        return response

    errors.install(app, pages)
    session.install(
        app,
        lambda: app.state.sessions,
        timedelta(hours=settings.session_hours),
        refused=lambda request: errors.csrf_refused(pages, request),
        on_load=current_viewer,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (
        operations.router,
        home.router,
        sign_in.router,
        case_studies.router,
        partnerships.router,
        coordinator.router,
        county.router,
        teacher.router,
        school_lead.router,
    ):
        app.include_router(router)
    return app
