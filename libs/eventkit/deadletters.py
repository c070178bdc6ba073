"""Dead-letter topics: `<topic>.dlt` keeps the original key, value and headers, plus the reason.

`list_dead_letters` reads one back from the start; `replay` sends chosen ones to their original
topic again, where idempotent consumers apply each event at most once.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from faststream.kafka import KafkaBroker

from contracts.topics import DEAD_LETTER_SUFFIX

REASON = "dlt_reason"
ERROR_TYPE = "dlt_error_type"
ATTEMPTS = "dlt_attempts"
CONSUMER = "dlt_consumer"
ORIGINAL_TOPIC = "dlt_original_topic"
ORIGINAL_PARTITION = "dlt_original_partition"
ORIGINAL_OFFSET = "dlt_original_offset"
FAILED_AT = "dlt_failed_at"
MAX_REASON = 2000


def dead_letter_topic(topic: str) -> str:
    return topic + DEAD_LETTER_SUFFIX


def _text_headers(
    headers: Iterable[tuple[str, bytes]], *, drop_dead_letter_headers: bool
) -> dict[str, str]:
    return {
        k: v.decode(errors="replace")
        for k, v in headers
        if not (drop_dead_letter_headers and k.startswith("dlt_"))
    }


async def send_to_dead_letters(
    broker: KafkaBroker,
    record: ConsumerRecord[bytes, bytes],
    *,
    consumer: str,
    error_type: str,
    reason: str,
    attempts: int,
) -> None:
    headers = _text_headers(record.headers, drop_dead_letter_headers=True)
    headers.update(
        {
            REASON: reason[:MAX_REASON],
            ERROR_TYPE: error_type,
            ATTEMPTS: str(attempts),
            CONSUMER: consumer,
            ORIGINAL_TOPIC: record.topic,
            ORIGINAL_PARTITION: str(record.partition),
            ORIGINAL_OFFSET: str(record.offset),
            FAILED_AT: datetime.now(UTC).isoformat(),
        }
    )
    await broker.publish(
        record.value or b"",
        dead_letter_topic(record.topic),
        key=record.key,
        headers=headers,
        correlation_id=headers.get("ce_correlationid"),
    )


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: Mapping[str, str]

    @property
    def original_topic(self) -> str:
        return self.headers.get(ORIGINAL_TOPIC) or self.topic.removesuffix(DEAD_LETTER_SUFFIX)

    @property
    def reason(self) -> str:
        return self.headers.get(REASON, "")

    def original_headers(self) -> list[tuple[str, bytes]]:
        return [(k, v.encode()) for k, v in self.headers.items() if not k.startswith("dlt_")]


async def list_dead_letters(bootstrap_servers: str, topic: str) -> list[DeadLetter]:
    """Every message now on the dead-letter topic of `topic` (or on `topic` if it is one)."""
    dlt = topic if topic.endswith(DEAD_LETTER_SUFFIX) else dead_letter_topic(topic)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    try:
        await consumer.topics()  # fetches fresh metadata
        partitions = consumer.partitions_for_topic(dlt) or set()
        assigned = [TopicPartition(dlt, p) for p in sorted(partitions)]
        if not assigned:
            return []
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        ends = await consumer.end_offsets(assigned)
        letters: list[DeadLetter] = []
        for tp in assigned:
            while await consumer.position(tp) < ends[tp]:
                batch = await consumer.getmany(tp, timeout_ms=1000)
                for record in batch.get(tp, []):
                    if record.offset < ends[tp]:
                        letters.append(
                            DeadLetter(
                                topic=record.topic,
                                partition=record.partition,
                                offset=record.offset,
                                key=record.key,
                                value=record.value or b"",
                                headers=_text_headers(
                                    record.headers, drop_dead_letter_headers=False
                                ),
                            )
                        )
        return letters
    finally:
        await consumer.stop()


async def replay(bootstrap_servers: str, letters: Iterable[DeadLetter]) -> int:
    """Send dead letters back to their original topics, unchanged. Returns how many were sent."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers, enable_idempotence=True, acks="all"
    )
    await producer.start()
    try:
        sent = 0
        for letter in letters:
            await producer.send_and_wait(
                letter.original_topic,
                letter.value,
                key=letter.key,
                headers=letter.original_headers(),
            )
            sent += 1
        return sent
    finally:
        await producer.stop()
