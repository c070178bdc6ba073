"""A real membership service over HTTP, on the test broker and a fresh database."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from eventkit.auth import Role
from services.membership.bootstrap import MembershipSettings, build
from support.services import serve
from support.tokens import bearer


@dataclass
class Membership:
    url: str
    settings: MembershipSettings
    http: httpx.AsyncClient

    def as_(self, role: Role, **scope: object) -> dict[str, str]:
        return bearer(self.settings, role, **scope)  # type: ignore[arg-type]

    @property
    def officer(self) -> dict[str, str]:
        return self.as_(Role.COUNTY_OFFICER)


@pytest.fixture
async def membership(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str
) -> AsyncIterator[Membership]:
    settings = MembershipSettings(
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_uri=mongodb_uri,
        mongodb_database=f"membership_{unique_name}",
        log_format="console",
        relay_poll_seconds=0.1,
    )
    async with serve(build(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        yield Membership(url, settings, http)
