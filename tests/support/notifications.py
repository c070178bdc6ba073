"""A real notifications service over HTTP, sending to the test's SMTP server."""

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from pymongo import AsyncMongoClient

from services.notifications.bootstrap import build
from services.notifications.settings import NotificationsSettings
from support.events import make_partnership
from support.membership import Membership
from support.polling import CATCH_UP_SECONDS, eventually
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


async def wait_until_known(
    notifications: Notifications,
    person_ids: Iterable[str],
    partnership_id: str | None = None,
    timeout: float = CATCH_UP_SECONDS,
) -> None:
    """Until notifications has heard of each person's roles (membership topic) and address
    (people topic), and of the partnership's member schools if given. Its consumers replay the
    shared topics from offset 0 and race each other: who hears of a booking is decided when the
    booking's event arrives."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(notifications.settings.mongodb_uri)
    db = client[notifications.settings.database_name]
    wanted = list(person_ids)

    async def heard() -> bool:
        if partnership_id is not None:
            member = {"partnership_id": partnership_id, "active": True}
            if await db["memberships"].find_one(member) is None:
                return False
        known = {
            "_id": {"$in": wanted},
            "roles.0": {"$exists": True},
            "email": {"$nin": ["", None]},
        }
        return await db["recipients"].count_documents(known) == len(wanted)

    try:
        await eventually(heard, timeout, what=f"notifications hearing of {wanted}")
    finally:
        await client.close()


@asynccontextmanager
async def caught_up_notifications(
    membership: Membership,
    kafka_bootstrap: str,
    mongodb_uri: str,
    unique_name: str,
    smtp: tuple[str, int],
) -> AsyncIterator[Notifications]:
    """A notifications service sending to `smtp` (host, port) that has caught up with the shared
    topics: a person added now is known to it, as a running service would know them before
    their bookings."""
    async with running_notifications(
        kafka_bootstrap,
        mongodb_uri,
        f"notifications_{unique_name}",
        consumer_group_suffix=unique_name,
        smtp_host=smtp[0],
        smtp_port=smtp[1],
    ) as notifications:
        sentinel = await make_partnership(membership, schools=1, staff_per_school=1)
        await wait_until_known(notifications, sentinel.staff, sentinel.id)
        yield notifications
