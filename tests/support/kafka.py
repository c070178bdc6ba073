"""Kafka helpers for tests: a test event, reading a topic from the start, producing raw records."""

import time
from typing import ClassVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from contracts.envelope import Envelope, IntegrationEvent
from contracts.topics import Topic


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
    bootstrap: str, topic: str, records: list[tuple[bytes, bytes, list[tuple[str, bytes]]]]
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for key, value, headers in records:
            await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()


def wire(envelope: Envelope) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    return (
        envelope.key(),
        envelope.value(),
        [(k, v.encode()) for k, v in envelope.headers().items()],
    )
