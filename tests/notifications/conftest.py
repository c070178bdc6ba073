"""Membership, events and notifications side by side on the same broker, mail to the test's
SMTP server."""

from collections.abc import AsyncIterator

import pytest
from events.conftest import events, membership  # noqa: F401  (the fixtures, reused)

from support.notifications import Notifications, running_notifications

REMINDER_LEADS = {"default": [3600.0, 60.0]}
"""An hour and a minute before: a reminder the tests can wait for, and one they can move."""


@pytest.fixture
async def notifications(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str, smtp_server
) -> AsyncIterator[Notifications]:
    async with running_notifications(
        kafka_bootstrap,
        mongodb_uri,
        f"notifications_{unique_name}",
        consumer_group_suffix=unique_name,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        reminder_lead_seconds=REMINDER_LEADS,
    ) as service:
        yield service
