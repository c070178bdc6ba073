"""A real membership service over HTTP, for any test that needs one."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from services.membership.bootstrap import MembershipSettings, build
from support.services import RunningService, running, settings_for

Membership = RunningService[MembershipSettings]


@asynccontextmanager
async def running_membership(
    kafka_bootstrap: str, mongodb_uri: str, database: str, **overrides: Any
) -> AsyncIterator[Membership]:
    settings = settings_for(MembershipSettings, kafka_bootstrap, mongodb_uri, database, **overrides)
    async with running(build(settings), settings) as service:
        yield service
