"""Kafka helpers for tests: a test event, reading topics from the start, producing raw records."""

import time
from collections.abc import AsyncIterator, Collection
from typing import ClassVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from contracts.envelope import Envelope, IntegrationEvent
from contracts.topics import MEMBERSHIP, Topic


class Pinged(IntegrationEvent):
    """A test event; each test gives it a topic of its own (see `pinged_on`)."""

    type: ClassVar[str] = "test.pinged.v1"
    topic: ClassVar[Topic]
    key: str
    n: int

    def aggregate_id(self) -> str:
        return self.key


def pinged_on(topic: Topic) -> type[Pinged]:
    return type("Pinged", (Pinged,), {"topic": topic})


async def read_topic(
    bootstrap: str, topic: str, *, expect: int, timeout: float = 15
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record on the topic, once at least `expect` are there (or the timeout passed)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        deadline = time.monotonic() + timeout
        while len(records) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records.extend(part)
        return records
    finally:
        await consumer.stop()


async def produce(
    bootstrap: str, topic: str, records: list[tuple[bytes, bytes | None, list[tuple[str, bytes]]]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()


def wire(envelope: Envelope) -> tuple[bytes, bytes | None, list[tuple[str, bytes]]]:
    return (
        envelope.key(),
        envelope.value(),
        [(k, v.encode()) for k, v in envelope.headers().items()],
    )


async def every_record(
    bootstrap: str, *, leaving_out: Collection[str] = ()
) -> AsyncIterator[tuple[str, ConsumerRecord[bytes, bytes]]]:
    """Every record of every topic on the broker but those left out, from the first offset to
    the end as it is now: `(topic, record)`."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    try:
        topics = sorted(t for t in await consumer.topics() if t not in leaving_out)
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        left = {tp for tp in partitions if ends[tp] > 0}
        for tp in partitions:
            if tp in left and await consumer.position(tp) >= ends[tp]:
                left.discard(tp)
        while left:
            batch = await consumer.getmany(*left, timeout_ms=1000, max_records=5000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset < ends[tp]:
                        yield tp.topic, record
                if records and records[-1].offset + 1 >= ends[tp]:
                    left.discard(tp)
    finally:
        await consumer.stop()


async def records_about(
    bootstrap: str, *keys: str, expect: int, topic: Topic = MEMBERSHIP, timeout: float = 20
) -> list[ConsumerRecord[bytes, bytes]]:
    """Records keyed by any of `keys` on the topic, read from its beginning until `expect` of
    them arrived (or the timeout passed)."""
    wanted = {key.encode() for key in keys}
    consumer = AIOKafkaConsumer(
        topic.name, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[ConsumerRecord[bytes, bytes]] = []
    try:
        deadline = time.monotonic() + timeout
        while len(found) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            found.extend(r for part in batch.values() for r in part if r.key in wanted)
        return found
    finally:
        await consumer.stop()


def ce_type(record: ConsumerRecord[bytes, bytes]) -> str:
    return dict(record.headers)["ce_type"].decode()
