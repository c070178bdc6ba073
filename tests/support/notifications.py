"""A real notifications service over HTTP, sending to the test's SMTP server."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from services.notifications.bootstrap import build
from services.notifications.settings import NotificationsSettings
from support.services import RunningService, running, settings_for

Notifications = RunningService[NotificationsSettings]


@asynccontextmanager
async def running_notifications(
    kafka_bootstrap: str, mongodb_uri: str, database: str, **overrides: Any
) -> AsyncIterator[Notifications]:
    settings = settings_for(
        NotificationsSettings,
        kafka_bootstrap,
        mongodb_uri,
        database,
        **{"mail_poll_seconds": 0.1, "mail_retry_seconds": [0.2, 0.2], **overrides},
    )
    async with running(build(settings), settings) as service:
        yield service
