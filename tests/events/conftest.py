"""Membership and events services, side by side on the same broker."""

from collections.abc import AsyncIterator

import pytest

from support.events import Events, running_events
from support.membership import Membership, running_membership


@pytest.fixture
async def membership(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str
) -> AsyncIterator[Membership]:
    async with running_membership(kafka_bootstrap, mongodb_uri, f"membership_{unique_name}") as m:
        yield m


@pytest.fixture
async def events(kafka_bootstrap: str, mongodb_uri: str, unique_name: str) -> AsyncIterator[Events]:
    async with running_events(
        kafka_bootstrap,
        mongodb_uri,
        f"events_{unique_name}",
        consumer_group_suffix=unique_name,
        sweep_seconds=0.3,
    ) as e:
        yield e
