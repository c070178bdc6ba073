"""Idempotent, batched consumers with bounded retry and dead letters.

FastStream hands a batch of records (up to `consumer_batch_size`, as soon as any are there).
Each is decoded as a CloudEvent: an invalid one goes to dead letters at once, one of a type no
handler takes is skipped (contracts grow additively). The rest are applied in one unit of work:
their inbox entries (`<consumer>:<ce_id>`) and every handler's effect, in offset order, commit
together. A redelivered event finds its inbox entry and has no second effect.

When the batch fails, it is applied again one event at a time, so only the poison message is
retried with backoff a bounded number of times and then dead-lettered; the others are applied
once. Offsets are committed only after all that (FastStream nacks on error and rewinds, so if
even the dead-letter publish fails the batch is delivered again and the inbox skips what was
applied).
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any, Literal, TypeAlias, TypeVar, cast

import structlog
from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.subscriber.usecase import BatchSubscriber as Subscriber
from faststream.message import StreamMessage
from pydantic import ValidationError

from contracts.envelope import Envelope, IntegrationEvent, InvalidEvent
from contracts.registry import EVENT_TYPES, decode
from contracts.topics import Topic
from eventkit import context
from eventkit.deadletters import send_to_dead_letters
from eventkit.inbox import INBOX, AlreadyApplied, ensure_inbox_indexes
from eventkit.kafka import FETCH_MAX_WAIT_MS
from eventkit.unit_of_work import MongoUnitOfWork, retry_on_write_conflict

__all__ = [
    "INBOX",
    "EventConsumer",
    "Reject",
    "RetryPolicy",
    "Subscriber",
    "ensure_inbox_indexes",
    "subscribe",
]

log = structlog.get_logger(__name__)

Record: TypeAlias = ConsumerRecord[bytes, bytes]


class Reject(Exception):
    """Raised by a handler for a message that can never succeed: dead-lettered without retry."""


Handler = Callable[[Any, Any], Awaitable[None]]
"""`async def handler(event, uow)`: one event, in the batch's unit of work."""
BatchHandler = Callable[[list[Any], Any], Awaitable[None]]
"""`async def handler(events, uow)`: consecutive events it takes, at once (for bulk writes)."""
EnvelopesHandler = Callable[[list[Envelope], Any], Awaitable[None]]
"""`async def handler(envelopes, uow)`: consecutive events with their CloudEvents attributes
(id, time, actor ...), at once: for a consumer that keeps the log itself."""
H = TypeVar("H", bound=Handler)
B = TypeVar("B", bound=BatchHandler)
E = TypeVar("E", bound=EnvelopesHandler)
Takes = Literal["event", "events", "envelopes"]


@dataclass(frozen=True)
class _Registered:
    handler: Handler | BatchHandler | EnvelopesHandler
    takes: Takes


class EventConsumer:
    """A named consumer (its Kafka group id) of one topic, with a handler per event type."""

    def __init__(self, name: str, topic: Topic) -> None:
        self.name = name
        self.topic = topic
        self.handlers: dict[type[IntegrationEvent], _Registered] = {}

    def on(self, *event_types: type[IntegrationEvent]) -> Callable[[H], H]:
        """Register the decorated handler for these event types, one event per call."""
        return cast(Callable[[H], H], self._register(event_types, "event"))

    def on_batch(self, *event_types: type[IntegrationEvent]) -> Callable[[B], B]:
        """Register the decorated handler for these event types, given runs of them at once."""
        return cast(Callable[[B], B], self._register(event_types, "events"))

    def on_envelopes(self, *event_types: type[IntegrationEvent]) -> Callable[[E], E]:
        """Register the decorated handler for these event types, given runs of their envelopes."""
        return cast(Callable[[E], E], self._register(event_types, "envelopes"))

    def _register(self, event_types: Sequence[type[IntegrationEvent]], takes: Takes) -> Any:
        def register(handler: Any) -> Any:
            for event_type in event_types:
                self.handlers[event_type] = _Registered(handler, takes)
            return handler

        return register

    def renamed(self, name: str, topic: Topic | None = None) -> "EventConsumer":
        """The same handlers under another name (its own group and inbox entries), on the same
        topic unless told (a benchmark's own)."""
        copy = EventConsumer(name, topic or self.topic)
        copy.handlers = dict(self.handlers)
        return copy

    @property
    def event_types(self) -> dict[str, type[IntegrationEvent]]:
        return {cls.type: cls for cls in self.handlers}

    @retry_on_write_conflict()
    async def apply(
        self, unit_of_work: Callable[[], MongoUnitOfWork], envelopes: Sequence[Envelope]
    ) -> int:
        """Apply the events this consumer has not applied yet, in order, in one unit of work.

        Returns how many were applied now (the others were applied before). The inbox is claimed
        for all of them at once; only when some were applied before (a redelivery) is the batch
        run again in a fresh unit of work that looks them up first. A transaction that lost a
        write race with another (two consumers of one service on one document) is run again
        afresh: that is no fault of the events, and no attempt of the retry policy.
        """
        try:
            return await self._apply(unit_of_work(), envelopes, look_first=False)
        except AlreadyApplied:
            return await self._apply(unit_of_work(), envelopes, look_first=True)

    async def _apply(
        self, uow: MongoUnitOfWork, envelopes: Sequence[Envelope], *, look_first: bool
    ) -> int:
        async with uow:
            fresh = await uow.claim(self.name, envelopes, look_first=look_first)
            for registered, run in groupby(fresh, key=lambda e: self.handlers[type(e.event)]):
                group = list(run)
                handler: Any = registered.handler
                if registered.takes == "envelopes":
                    _within(group[0])
                    await handler(group, uow)
                elif registered.takes == "events":
                    _within(group[0])
                    await handler([e.event for e in group], uow)
                else:
                    for envelope in group:
                        _within(envelope)
                        await handler(envelope.event, uow)
                        uow.record_from_aggregates()  # stamped with this event's ids
            await uow.commit()
        return len(fresh)


def every_event_consumers(
    name: str, topics: Sequence[Topic], handler: EnvelopesHandler
) -> list[EventConsumer]:
    """One consumer per topic (Kafka group `<name>.<producer>`) giving `handler` every event type
    published there, as envelopes: for what keeps the log itself (a history, webhooks)."""
    consumers = []
    for topic in topics:
        consumer = EventConsumer(f"{name}.{topic.name.split('.')[1]}", topic)
        consumer.on_envelopes(*[c for c in EVENT_TYPES.values() if c.topic == topic])(handler)
        consumers.append(consumer)
    return consumers


def _within(envelope: Envelope) -> None:
    context.within(
        envelope.correlation_id or envelope.id,
        envelope.id,
        event_id=envelope.id,
        event_type=envelope.type,
    )


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    backoff_seconds: float = 0.2

    def delay(self, attempt: int) -> float:
        return float(self.backoff_seconds * 2 ** (attempt - 1))


class BatchProcessor:
    """Decode a batch of Kafka records; apply it at once, or one by one with retry; dead-letter."""

    def __init__(
        self,
        consumer: EventConsumer,
        unit_of_work: Callable[[], MongoUnitOfWork],
        broker: KafkaBroker,
        retry: RetryPolicy,
        actor: str,
    ) -> None:
        self.consumer = consumer
        self.unit_of_work = unit_of_work
        self.broker = broker
        self.retry = retry
        self.actor = actor

    async def process(self, records: Sequence[Record]) -> None:
        started = time.perf_counter()
        context.bind_log(consumer=self.consumer.name)
        context.act_as(self.actor)
        decoded: list[tuple[Record, Envelope]] = []
        for record in records:
            try:
                headers = _text_headers(record)
                envelope = decode(headers, record.value, self.consumer.event_types)
            except InvalidEvent as exc:
                await self._dead_letter(record, "invalid", str(exc), attempts=0)
                continue
            if envelope is not None:
                decoded.append((record, envelope))
        if not decoded:
            return
        try:
            applied = await self.consumer.apply(self.unit_of_work, [e for _, e in decoded])
        except Exception as exc:
            log.warning("batch.failed", size=len(decoded), error=_describe(exc))
            applied = 0
            for record, envelope in decoded:
                applied += await self._one_by_one(record, envelope)
        context.bind_log(event_id=None, event_type=None, correlation_id=None)
        log.info(
            "batch.applied",
            records=len(records),
            applied=applied,
            duplicates=len(decoded) - applied,
            ms=round((time.perf_counter() - started) * 1000, 2),
        )

    async def _one_by_one(self, record: Record, envelope: Envelope) -> int:
        for attempt in range(1, self.retry.max_attempts + 1):
            try:
                return await self.consumer.apply(self.unit_of_work, [envelope])
            except (Reject, ValidationError, InvalidEvent) as exc:
                await self._dead_letter(record, "rejected", _describe(exc), attempts=attempt)
                return 0
            except Exception as exc:
                if attempt == self.retry.max_attempts:
                    await self._dead_letter(record, "failed", _describe(exc), attempts=attempt)
                    return 0
                log.warning("message.retry", attempt=attempt, error=_describe(exc))
                await asyncio.sleep(self.retry.delay(attempt))
        return 0

    async def _dead_letter(
        self, record: Record, error_type: str, reason: str, attempts: int
    ) -> None:
        await send_to_dead_letters(
            self.broker,
            record,
            consumer=self.consumer.name,
            error_type=error_type,
            reason=reason,
            attempts=attempts,
        )
        log.error(
            "message.dead_lettered",
            error_type=error_type,
            reason=reason,
            attempts=attempts,
            partition=record.partition,
            offset=record.offset,
        )


def _text_headers(record: Record) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in record.headers:
        try:
            headers[name] = (value or b"").decode()
        except UnicodeDecodeError:
            raise InvalidEvent(f"header {name[:64]!r} is not UTF-8 text") from None
    return headers


async def _readable_batch(
    records: tuple[Record, ...], parse: Callable[[Any], Awaitable[StreamMessage[Any]]]
) -> StreamMessage[Any]:
    """FastStream's batch parser decodes every header as UTF-8, and one that is not would fail
    the batch before our code sees it, every time it is delivered again. It parses a copy whose
    headers are made readable; the records go on as they came, for the processor to dead-letter
    the one that is not."""
    readable = tuple(
        replace(
            r, headers=[(k, (v or b"").decode(errors="replace").encode()) for k, v in r.headers]
        )
        for r in records
    )
    message = await parse(readable)
    message.raw_message = records
    return message


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


async def _raw_body(message: StreamMessage[Any]) -> Any:
    """Leave decoding to `contracts.decode`, which dead-letters what it cannot read."""
    return message.body


@dataclass(frozen=True)
class BatchSettings:
    max_records: int = 500
    max_wait_ms: int = FETCH_MAX_WAIT_MS


def subscribe(
    broker: KafkaBroker,
    consumer: EventConsumer,
    unit_of_work: Callable[[], MongoUnitOfWork],
    retry: RetryPolicy,
    batches: BatchSettings = BatchSettings(),
    actor: str = "service",
    *,
    persistent: bool = True,
) -> Subscriber:
    """Attach the consumer to the broker as a FastStream batch subscriber in its own group;
    what its handlers change is recorded as done by `actor`. One not `persistent` is held by the
    broker only as long as the caller keeps it (to start and stop it while the broker runs)."""
    processor = BatchProcessor(consumer, unit_of_work, broker, retry, actor)
    subscriber = broker.subscriber(
        consumer.topic.name,
        group_id=consumer.name,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        batch=True,
        max_records=batches.max_records,
        batch_timeout_ms=batches.max_wait_ms,
        fetch_max_wait_ms=batches.max_wait_ms,
        decoder=_raw_body,
        parser=_readable_batch,
        title=consumer.name,
        description=f"{consumer.name}: " + ", ".join(sorted(h.type for h in consumer.handlers)),
        persistent=persistent,
    )

    @subscriber
    async def handle(body: Any, message: KafkaMessage) -> None:
        await processor.process(message.raw_message)

    return subscriber
