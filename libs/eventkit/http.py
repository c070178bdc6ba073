"""The FastAPI app of a service: lifespan around the runtime, request context and canonical log
line, 4xx for domain errors, /health, /ready and the AsyncAPI document."""

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from faststream.specification import AsyncAPI
from faststream.specification.asyncapi.site import get_asyncapi_html
from pymongo.errors import PyMongoError
from starlette.exceptions import HTTPException as StarletteHTTPException

from contracts.envelope import IntegrationEvent
from eventkit import context, problems
from eventkit.errors import DomainError
from eventkit.lag import consumer_lag
from eventkit.logging import configure_logging
from eventkit.runtime import ServiceRuntime
from eventkit.settings import ServiceSettings

log = structlog.get_logger("http")

CORRELATION_HEADER = "X-Correlation-ID"
MAX_BODY_BYTES = 1_000_000
MAX_SEGMENT = 64
"""Longest path segment (an id) and correlation id taken."""


def asyncapi(runtime: ServiceRuntime[Any], published: Sequence[type[IntegrationEvent]]) -> AsyncAPI:
    for cls in published:
        runtime.broker.publisher(
            cls.topic.name, title=cls.type, schema=cls, description=(cls.__doc__ or "").strip()
        )
    return AsyncAPI(
        runtime.broker,
        title=f"school partnerships: {runtime.settings.service_name}",
        version="1.0.0",
        description="CloudEvents 1.0 in Kafka binary mode: ce_* headers, JSON data as the value, "
        "key = aggregate id.",
    )


def create_app(
    runtime: ServiceRuntime[Any],
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    published: Sequence[type[IntegrationEvent]] = (),
    on_startup: Sequence[Callable[[], Awaitable[None]]] = (),
) -> FastAPI:
    """A service on the bus: `http_app` with the runtime's lifespan, readiness, lag and AsyncAPI."""
    spec = asyncapi(runtime, published)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        for step in on_startup:
            await step()
        yield
        await runtime.stop()

    app = http_app(runtime.settings, title=title, description=description, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.unit_of_work = runtime.unit_of_work

    @app.exception_handler(PyMongoError)
    async def write_conflict(request: Request, exc: PyMongoError) -> JSONResponse:
        if not exc.has_error_label("TransientTransactionError"):
            raise exc
        return problems.problem(
            409,
            "the record changed at the same moment by another request; retry",
            headers={"Retry-After": "0"},
        )

    @app.get("/ready", tags=["operations"], summary="Broker and database are reachable")
    async def ready() -> JSONResponse:
        checks = await runtime.readiness()
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ok else "not ready", **checks}, status_code=200 if ok else 503
        )

    @app.get("/lag", tags=["operations"], summary="Messages each consumer has yet to apply")
    async def lag() -> dict[str, int]:
        return await consumer_lag(runtime.settings.kafka_bootstrap_servers, runtime.subscribed)

    @app.get("/asyncapi.json", tags=["operations"], summary="AsyncAPI document of our events")
    async def asyncapi_json() -> Response:
        return Response(spec.to_specification().to_json(), media_type="application/json")

    @app.get("/asyncapi", tags=["operations"], include_in_schema=False)
    async def asyncapi_page() -> HTMLResponse:
        return HTMLResponse(get_asyncapi_html(spec.to_specification()))

    for router in routers:
        app.include_router(router)
    problems.document_problems(app)
    return app


def http_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
) -> FastAPI:
    """A FastAPI app with the request context and canonical log line, problem-details errors
    and /health; the caller adds its routes (then `problems.document_problems`)."""
    configure_logging(settings)
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        max_body_size=MAX_BODY_BYTES,
    )
    app.state.settings = settings

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        correlation_id = request.headers.get(CORRELATION_HEADER) or str(uuid.uuid4())
        if len(correlation_id) > MAX_SEGMENT or not correlation_id.isprintable():
            correlation_id = str(uuid.uuid4())
        context.begin(correlation_id, method=request.method, path=request.url.path[:200])
        started = time.perf_counter()
        if any(len(part) > MAX_SEGMENT for part in request.url.path.split("/")):
            # No id of ours is that long; answering now keeps it out of messages and logs.
            response: Response = problems.problem(404, "there is nothing at this address")
        else:
            response = await call_next(request)
        response.headers[CORRELATION_HEADER] = correlation_id
        principal = getattr(request.state, "principal", None)
        log.info(
            "http.request",
            status=response.status_code,
            ms=round((time.perf_counter() - started) * 1000, 2),
            caller=principal.actor if principal else None,
        )
        return response

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return problems.problem(exc.status_code, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problems.problem(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        """FastAPI's own 422 echoes the input back and fails (500) on NaN or a lone surrogate."""
        errors = problems.field_errors(exc.errors())
        said = "; ".join(f"{'.'.join(map(str, e.loc))}: {e.msg}" for e in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        return problems.problem(422, f"the request is not valid: {said}{more}", errors=errors)

    @app.get("/health", tags=["operations"], summary="The process is alive")
    async def health() -> dict[str, str]:
        return {"status": "ok", "service": settings.service_name}

    return app
