"""Run one of our services on a real loopback port, lifespan and all."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
import uvicorn
from fastapi import FastAPI

from devstack.servers import free_port
from eventkit.auth import Role
from eventkit.settings import ServiceSettings
from support.tokens import bearer


@asynccontextmanager
async def serve(app: FastAPI, port: int | None = None) -> AsyncIterator[str]:
    """Serve the app over real HTTP until the block ends; yields its base URL."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(300):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    if not server.started:
        server.should_exit = True
        await task
        raise RuntimeError("the app did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


S = TypeVar("S", bound=ServiceSettings)


@dataclass
class RunningService(Generic[S]):
    """A service over real HTTP, with a client and bearer headers signed with its settings."""

    url: str
    settings: S
    http: httpx.AsyncClient

    def as_(self, role: Role, **scope: Any) -> dict[str, str]:
        return bearer(role, **scope)

    @property
    def officer(self) -> dict[str, str]:
        return self.as_(Role.COUNTY_OFFICER)


def settings_for(cls: type[S], kafka: str, mongodb: str, database: str, **overrides: Any) -> S:
    defaults: dict[str, Any] = {
        "kafka_bootstrap_servers": kafka,
        "mongodb_uri": mongodb,
        "mongodb_database": database,
        "log_format": "console",
        "log_level": "WARNING",
        "relay_poll_seconds": 0.1,
    }
    return cls(**{**defaults, **overrides})


@asynccontextmanager
async def running(app: FastAPI, settings: S) -> AsyncIterator[RunningService[S]]:
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as http:
        yield RunningService(url, settings, http)
