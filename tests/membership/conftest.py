"""A real membership service over HTTP, on the test broker and a fresh database."""

from collections.abc import AsyncIterator

import pytest

from support.membership import Membership, running_membership


@pytest.fixture
async def membership(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str
) -> AsyncIterator[Membership]:
    async with running_membership(
        kafka_bootstrap, mongodb_uri, f"membership_{unique_name}"
    ) as service:
        yield service
