"""Transactional outbox: events are stored with the state change that caused them, in one
transaction; the relay publishes them afterwards and marks them sent.

A crash between commit and publish loses nothing: unsent entries are published on the next pass.
A crash between publish and marking sent publishes again; consumers are idempotent.
"""

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from faststream.kafka import KafkaBroker
from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.envelope import Envelope

COLLECTION = "outbox"
KEEP_SENT = timedelta(days=7)

log = structlog.get_logger(__name__)


def outbox_entry(envelope: Envelope) -> dict[str, Any]:
    return {
        "_id": envelope.id,
        "topic": envelope.topic,
        "key": envelope.key(),
        "headers": envelope.headers(),
        "value": envelope.value(),
        "type": envelope.type,
        "created_at": datetime.now(UTC),
        "sent_at": None,
    }


async def ensure_outbox_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    outbox = db[COLLECTION]
    await outbox.create_index([("sent_at", ASCENDING), ("created_at", ASCENDING)])
    await outbox.create_index(
        "sent_at", name="sent_expiry", expireAfterSeconds=int(KEEP_SENT.total_seconds())
    )


async def store(
    db: AsyncDatabase[dict[str, Any]], envelopes: list[Envelope], session: AsyncClientSession
) -> None:
    if envelopes:
        await db[COLLECTION].insert_many([outbox_entry(e) for e in envelopes], session=session)


class OutboxRelay:
    """Publishes unsent outbox entries in order, a batch at a time."""

    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        broker: KafkaBroker,
        *,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
    ) -> None:
        self._outbox = db[COLLECTION]
        self._broker = broker
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        """Called after a commit that stored events, so they go out without waiting for the poll."""
        self._wakeup.set()

    async def publish_pending(self) -> int:
        """Publish one batch of unsent entries; return how many were sent."""
        entries = (
            await self._outbox.find({"sent_at": None})
            .sort([("created_at", ASCENDING), ("_id", ASCENDING)])
            .limit(self._batch_size)
            .to_list()
        )
        if not entries:
            return 0
        pending = [
            await self._broker.publish(
                entry["value"],
                entry["topic"],
                key=entry["key"],
                headers=entry["headers"],
                correlation_id=entry["headers"].get("ce_correlationid"),
                no_confirm=True,
            )
            for entry in entries
        ]
        await asyncio.gather(*pending)
        sent_at = datetime.now(UTC)
        await self._outbox.bulk_write(
            [UpdateOne({"_id": e["_id"]}, {"$set": {"sent_at": sent_at}}) for e in entries],
            ordered=False,
        )
        log.debug("outbox.published", count=len(entries))
        return len(entries)

    async def drain(self) -> int:
        total = 0
        while sent := await self.publish_pending():
            total += sent
        return total

    async def run(self) -> None:
        """Publish until cancelled; a broker outage is retried on the next poll."""
        while True:
            self._wakeup.clear()
            try:
                if await self.publish_pending() == self._batch_size:
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox.publish_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self._poll_seconds)
