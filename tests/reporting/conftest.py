"""A real reporting service over HTTP, on the test broker and a fresh database, beside a real
membership service (the `membership` fixture, reused) on the same broker."""

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import httpx
import pytest
from membership.conftest import membership  # noqa: F401  (the fixture, reused)

from eventkit.auth import Role
from services.reporting.bootstrap import ReportingSettings, build
from support import polling
from support.services import running
from support.tokens import bearer

WAIT_SECONDS = polling.WAIT_SECONDS


@dataclass
class Reporting:
    """The reporting service; `stop()` and `start()` it again (its URL changes)."""

    settings: ReportingSettings
    _running: AsyncExitStack | None = field(default=None, repr=False)
    _http: httpx.AsyncClient | None = field(default=None, repr=False)

    async def start(self) -> None:
        stack = AsyncExitStack()
        service = await stack.enter_async_context(running(build(self.settings), self.settings))
        self._http = service.http
        self._running = stack

    async def stop(self) -> None:
        if self._running:
            stack, self._running, self._http = self._running, None, None
            await stack.aclose()

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            raise RuntimeError("the reporting service is stopped")
        return self._http

    def as_(self, role: Role, **scope: object) -> dict[str, str]:
        return bearer(role, **scope)  # type: ignore[arg-type]

    @property
    def officer(self) -> dict[str, str]:
        return self.as_(Role.COUNTY_OFFICER)

    async def eventually(
        self,
        path: str,
        headers: dict[str, str],
        done: Callable[[httpx.Response], bool],
        seconds: float = WAIT_SECONDS,
    ) -> httpx.Response:
        """GET `path` until `done(response)` or `seconds` pass; the last response either way."""
        last: list[httpx.Response] = []

        async def answered() -> bool:
            last[:] = [await self.http.get(path, headers=headers)]
            return done(last[0])

        with contextlib.suppress(AssertionError):  # the caller asserts on the response
            await polling.eventually(answered, seconds, interval=0.2)
        return last[0]


@pytest.fixture
async def reporting(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str
) -> AsyncIterator[Reporting]:
    """Its own database and consumer group (the production group name plus a suffix), so it
    replays the shared topic from offset 0 without touching other runs. It makes no monthly
    county reports: those would be mailed to other tests' county officers."""
    settings = ReportingSettings(
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_uri=mongodb_uri,
        mongodb_database=f"reporting_{unique_name}",
        consumer_group_suffix=unique_name,
        log_format="console",
        monthly_county_reports=False,  # made on the shared topic, for every county it knows
    )
    service = Reporting(settings)
    await service.start()
    try:
        yield service
    finally:
        await service.stop()
