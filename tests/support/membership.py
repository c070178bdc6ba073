"""A real membership service over HTTP, for any test that needs one."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from eventkit.auth import Role
from services.membership.bootstrap import MembershipSettings, build
from support.services import serve
from support.tokens import bearer


@dataclass
class Membership:
    url: str
    settings: MembershipSettings
    http: httpx.AsyncClient

    def as_(self, role: Role, **scope: Any) -> dict[str, str]:
        return bearer(self.settings, role, **scope)

    @property
    def officer(self) -> dict[str, str]:
        return self.as_(Role.COUNTY_OFFICER)


@asynccontextmanager
async def running_membership(
    kafka_bootstrap: str, mongodb_uri: str, database: str
) -> AsyncIterator[Membership]:
    settings = MembershipSettings(
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_uri=mongodb_uri,
        mongodb_database=database,
        log_format="console",
        log_level="WARNING",
        relay_poll_seconds=0.1,
    )
    async with serve(build(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        yield Membership(url, settings, http)
