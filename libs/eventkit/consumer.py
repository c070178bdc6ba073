"""Idempotent consumers with bounded retry and dead letters.

For each message: decode the CloudEvent (invalid → dead letters at once); find the handler for
its type (unknown types are skipped: contracts grow additively); then, in one transaction, record
`<consumer>:<ce_id>` in the inbox and apply the handler's effect. A redelivered event finds its
inbox entry and has no second effect. A failing handler is retried with backoff a bounded number
of times, then dead-lettered. The offset is committed only after that (FastStream nacks on error,
so if even the dead-letter publish fails the message is delivered again).
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import structlog
from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage
from pydantic import ValidationError
from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from contracts.envelope import Envelope, IntegrationEvent, InvalidEvent
from contracts.registry import decode
from contracts.topics import Topic
from eventkit import context
from eventkit.deadletters import send_to_dead_letters

INBOX = "inbox"

log = structlog.get_logger(__name__)


class Reject(Exception):
    """Raised by a handler for a message that can never succeed: dead-lettered without retry."""


@dataclass(frozen=True)
class Delivery:
    """What a handler gets beside its event: the envelope, and the transaction to write in."""

    envelope: Envelope
    db: AsyncDatabase[dict[str, Any]]
    session: AsyncClientSession


Handler = Callable[[Any, Delivery], Awaitable[None]]
H = TypeVar("H", bound=Handler)


class EventConsumer:
    """A named consumer (its Kafka group id) of one topic, with a handler per event type."""

    def __init__(self, name: str, topic: Topic) -> None:
        self.name = name
        self.topic = topic
        self.handlers: dict[type[IntegrationEvent], Handler] = {}

    def on(self, *event_types: type[IntegrationEvent]) -> Callable[[H], H]:
        """Register the decorated handler for these event types."""

        def register(handler: H) -> H:
            for event_type in event_types:
                self.handlers[event_type] = handler
            return handler

        return register

    def renamed(self, name: str) -> "EventConsumer":
        """The same handlers under another name (its own group and inbox entries)."""
        copy = EventConsumer(name, self.topic)
        copy.handlers = dict(self.handlers)
        return copy

    @property
    def event_types(self) -> dict[str, type[IntegrationEvent]]:
        return {cls.type: cls for cls in self.handlers}


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    backoff_seconds: float = 0.2

    def delay(self, attempt: int) -> float:
        return float(self.backoff_seconds * 2 ** (attempt - 1))


async def ensure_inbox_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[INBOX].create_index("applied_at")


async def apply_once(
    client: AsyncMongoClient[dict[str, Any]],
    db: AsyncDatabase[dict[str, Any]],
    consumer: str,
    envelope: Envelope,
    handler: Handler,
) -> bool:
    """Apply the handler's effect unless this consumer already has. True if applied now."""
    async with client.start_session() as session:
        await session.start_transaction()
        try:
            try:
                await db[INBOX].insert_one(
                    {
                        "_id": f"{consumer}:{envelope.id}",
                        "consumer": consumer,
                        "event_id": envelope.id,
                        "type": envelope.type,
                        "applied_at": datetime.now(UTC),
                    },
                    session=session,
                )
            except DuplicateKeyError:
                return False
            await handler(envelope.event, Delivery(envelope, db, session))
            await session.commit_transaction()
            return True
        finally:
            if session.in_transaction:
                await session.abort_transaction()


class MessageProcessor:
    """Decode, apply once with bounded retry, or dead-letter: one Kafka record at a time."""

    def __init__(
        self,
        consumer: EventConsumer,
        client: AsyncMongoClient[dict[str, Any]],
        db: AsyncDatabase[dict[str, Any]],
        broker: KafkaBroker,
        retry: RetryPolicy,
    ) -> None:
        self.consumer = consumer
        self.client = client
        self.db = db
        self.broker = broker
        self.retry = retry

    async def process(self, record: ConsumerRecord[bytes, bytes]) -> None:
        started = time.perf_counter()
        headers = {k: v.decode(errors="replace") for k, v in record.headers}
        event_id = headers.get("ce_id", f"{record.topic}/{record.partition}/{record.offset}")
        context.begin(
            headers.get("ce_correlationid") or event_id,
            causation_id=event_id,
            consumer=self.consumer.name,
            event_id=event_id,
            event_type=headers.get("ce_type"),
            partition=record.partition,
            offset=record.offset,
        )
        try:
            envelope = decode(headers, record.value or b"", self.consumer.event_types)
        except InvalidEvent as exc:
            await self._dead_letter(record, "invalid", str(exc), attempts=0)
            return
        if envelope is None:
            log.debug("message.skipped")
            return
        handler = self.consumer.handlers[type(envelope.event)]
        for attempt in range(1, self.retry.max_attempts + 1):
            try:
                applied = await apply_once(
                    self.client, self.db, self.consumer.name, envelope, handler
                )
            except (Reject, ValidationError, InvalidEvent) as exc:
                await self._dead_letter(record, "rejected", _describe(exc), attempts=attempt)
                return
            except Exception as exc:
                if attempt == self.retry.max_attempts:
                    await self._dead_letter(record, "failed", _describe(exc), attempts=attempt)
                    return
                log.warning("message.retry", attempt=attempt, error=_describe(exc))
                await asyncio.sleep(self.retry.delay(attempt))
            else:
                log.info(
                    "message.applied" if applied else "message.duplicate",
                    attempts=attempt,
                    ms=round((time.perf_counter() - started) * 1000, 2),
                )
                return

    async def _dead_letter(
        self, record: ConsumerRecord[bytes, bytes], error_type: str, reason: str, attempts: int
    ) -> None:
        await send_to_dead_letters(
            self.broker,
            record,
            consumer=self.consumer.name,
            error_type=error_type,
            reason=reason,
            attempts=attempts,
        )
        log.error("message.dead_lettered", error_type=error_type, reason=reason, attempts=attempts)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


async def _raw_body(message: StreamMessage[Any]) -> bytes:
    """Leave decoding to `contracts.decode`, which dead-letters what it cannot read."""
    return message.body


def subscribe(
    broker: KafkaBroker,
    consumer: EventConsumer,
    client: AsyncMongoClient[dict[str, Any]],
    db: AsyncDatabase[dict[str, Any]],
    retry: RetryPolicy,
) -> None:
    """Attach the consumer to the broker as a FastStream subscriber in its own group."""
    processor = MessageProcessor(consumer, client, db, broker, retry)

    @broker.subscriber(
        consumer.topic.name,
        group_id=consumer.name,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        decoder=_raw_body,
        title=consumer.name,
        description=f"{consumer.name}: " + ", ".join(sorted(h.type for h in consumer.handlers)),
    )
    async def handle(body: bytes, message: KafkaMessage) -> None:
        await processor.process(message.raw_message)
