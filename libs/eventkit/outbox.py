"""Transactional outbox: events are stored with the state change that caused them, in one
transaction; the relay publishes them afterwards and marks them sent.

A crash between commit and publish loses nothing: unsent entries are published on the next pass.
A crash between publish and marking sent publishes again; consumers are idempotent.
"""

import asyncio
import contextlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from aiokafka.errors import MessageSizeTooLargeError
from faststream.kafka import KafkaBroker
from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.envelope import Envelope

COLLECTION = "outbox"
PENDING = {"sent_at": None, "refused_at": None}
KEEP_SENT = timedelta(days=7)

log = structlog.get_logger(__name__)


def outbox_entry(envelope: Envelope, stored_ns: int = 0, position: int = 0) -> dict[str, Any]:
    """`stored_ns` (one clock reading per commit) and `position` (within the commit) keep the
    order events were recorded in: Mongo keeps `created_at` to the millisecond only."""
    return {
        "stored_ns": stored_ns,
        "position": position,
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
    await outbox.create_index(
        [("sent_at", ASCENDING), ("stored_ns", ASCENDING), ("position", ASCENDING)]
    )
    await outbox.create_index(
        "sent_at", name="sent_expiry", expireAfterSeconds=int(KEEP_SENT.total_seconds())
    )


async def store(
    db: AsyncDatabase[dict[str, Any]], envelopes: list[Envelope], session: AsyncClientSession
) -> None:
    if envelopes:
        now = time.time_ns()
        entries = [outbox_entry(e, now, i) for i, e in enumerate(envelopes)]
        await db[COLLECTION].insert_many(entries, session=session)


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
        """Publish one batch of unsent entries; return how many were handled.

        An entry the broker can never take (too large) is set aside with the reason, logged as an
        error, and left in the outbox for an operator, so it does not hold up every later event.
        """
        entries = (
            await self._outbox.find(PENDING)
            .sort([("stored_ns", ASCENDING), ("position", ASCENDING)])
            .limit(self._batch_size)
            .to_list()
        )
        if not entries:
            return 0
        sending: list[tuple[dict[str, Any], asyncio.Future[Any]]] = []
        refused: list[tuple[dict[str, Any], Exception]] = []
        for entry in entries:
            try:
                future = await self._broker.publish(
                    entry["value"],
                    entry["topic"],
                    key=entry["key"],
                    headers=entry["headers"],
                    correlation_id=entry["headers"].get("ce_correlationid"),
                    no_confirm=True,
                )
            except MessageSizeTooLargeError as exc:
                refused.append((entry, exc))
            else:
                sending.append((entry, future))
        for entry, future in sending:
            try:
                await future
            except MessageSizeTooLargeError as exc:
                refused.append((entry, exc))
        now = datetime.now(UTC)
        refused_ids = {entry["_id"] for entry, _ in refused}
        updates = [
            UpdateOne({"_id": entry["_id"]}, {"$set": {"sent_at": now}})
            for entry, _ in sending
            if entry["_id"] not in refused_ids
        ]
        for entry, error in refused:
            log.error(
                "outbox.refused", event_id=entry["_id"], type=entry["type"], error=repr(error)
            )
            updates.append(
                UpdateOne(
                    {"_id": entry["_id"]}, {"$set": {"refused_at": now, "error": repr(error)}}
                )
            )
        await self._outbox.bulk_write(updates, ordered=False)
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
