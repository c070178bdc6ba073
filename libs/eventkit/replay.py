"""Apply a consumer to its topic outside a running service, from its group's committed
position (the beginning when it has none) to the end: what a rebuild of a read model does.

Each batch goes the way it goes in a service (`BatchProcessor`: decoded, applied in one unit of
work with the inbox, one event at a time with retry when the batch fails, dead letters), and the
group's position is committed after it, so a replay stopped half-way goes on from there and the
inbox skips what the last, uncommitted batch had applied.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, TopicPartition

from eventkit.consumer import BatchProcessor, Record
from eventkit.kafka import FETCH_MAX_WAIT_MS

Progress = Callable[[int, int], None]
"""Called with (records read so far, records read when caught up as far as is known now)."""


async def catch_up(
    processor: BatchProcessor,
    bootstrap_servers: str,
    *,
    batch_size: int = 500,
    progress: Progress = lambda done, total: None,
    until: datetime | None = None,
) -> int:
    """Read until no partition has records left; how many records were read. With `until`,
    only events that happened before it (their `ce_time`) are applied: the log as it stood."""
    topic = processor.consumer.topic.name
    kafka = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=processor.consumer.name,
        enable_auto_commit=False,
    )
    await kafka.start()
    try:
        await kafka.topics()  # fetches fresh metadata
        partitions = [
            TopicPartition(topic, p) for p in sorted(kafka.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return 0
        kafka.assign(partitions)
        first = await kafka.beginning_offsets(partitions)
        for tp in partitions:
            committed = await kafka.committed(tp)
            kafka.seek(tp, max(committed or 0, first[tp]))
        done = 0
        while True:
            end = await kafka.end_offsets(partitions)
            behind = 0
            for tp in partitions:
                behind += max(0, end[tp] - await kafka.position(tp))
            progress(done, done + behind)
            if not behind:
                return done
            fetched = await kafka.getmany(
                *partitions, timeout_ms=FETCH_MAX_WAIT_MS, max_records=batch_size
            )
            for records in fetched.values():
                await processor.process(_before(records, until))
                done += len(records)
            await kafka.commit()
    finally:
        await kafka.stop()


def _before(records: Sequence[Record], until: datetime | None) -> Sequence[Record]:
    """Those whose `ce_time` is before `until`; one without a readable time goes on, for the
    processor to dead-letter."""
    if until is None:
        return records
    kept = []
    for record in records:
        stamp = dict(record.headers).get("ce_time")
        try:
            when = datetime.fromisoformat((stamp or b"").decode())
        except (UnicodeDecodeError, ValueError):
            kept.append(record)
            continue
        if (when if when.tzinfo else when.replace(tzinfo=UTC)) < until:
            kept.append(record)
    return kept
