"""Whether the front end is alive, and whether the services it calls answer."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.web.adapters.platform_api import PlatformApi

router = APIRouter(tags=["operations"])


@router.get("/health", summary="The process is alive")
async def health(request: Request) -> dict[str, str]:
    return {"status": "ok", "service": request.app.state.settings.service_name}


@router.get("/ready", summary="The services the pages call answer")
async def ready(request: Request) -> JSONResponse:
    api: PlatformApi = request.app.state.api
    answers = await asyncio.gather(*(s.healthy() for s in api.services))
    checks = {s.name: ok for s, ok in zip(api.services, answers, strict=True)}
    ok = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not ready", **checks}, status_code=200 if ok else 503
    )
