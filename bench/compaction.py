"""Does the broker compact? A measurement of what a compacted topic gives back over time.

    python -m bench.compaction [--keys K] [--updates U] [--wait-seconds S] [--kafka HOST:PORT]

Creates a compacted topic whose segments roll and become cleanable as soon as possible
(`segment.ms`, `min.cleanable.dirty.ratio`, `delete.retention.ms`, `max.compaction.lag.ms`
all tiny), writes U values for each of K keys and then a tombstone for every other key, and
reads the topic from offset 0 every few seconds for S seconds. A broker that compacts ends with
one record per live key (and, until `delete.retention.ms` passes, one tombstone per erased key);
one that does not gives back every record written. Either way the latest value of every key must
read back: that is checked too. The embedded broker is started for the run unless one is given.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import NewTopic

from bench.embedded import servers_for_run
from eventkit.kafka import admin_client

EAGER_COMPACTION = {
    "cleanup.policy": "compact",
    "segment.ms": "100",
    "min.cleanable.dirty.ratio": "0.01",
    "delete.retention.ms": "100",
    "min.compaction.lag.ms": "0",
    "max.compaction.lag.ms": "1000",
}


@dataclass
class Compaction:
    written: int
    keys: int
    erased: int
    seconds: list[float] = field(default_factory=list)
    read_back: list[int] = field(default_factory=list)
    latest_intact: bool = False

    @property
    def compacted(self) -> bool:
        return bool(self.read_back) and self.read_back[-1] < self.written

    def lines(self) -> list[str]:
        watched = ", ".join(
            f"{s:.0f} s: {n}" for s, n in zip(self.seconds, self.read_back, strict=True)
        )
        verdict = "compacts" if self.compacted else "did not compact"
        return [
            f"wrote {self.written} records ({self.keys} keys, {self.erased} erased by a tombstone)",
            f"read back from offset 0 after {watched}",
            f"the broker {verdict}; the latest value of every key read back: {self.latest_intact}",
        ]


async def _read_all(bootstrap: str, topic: str) -> dict[bytes, list[bytes | None]]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    values: dict[bytes, list[bytes | None]] = {}
    try:
        quiet = 0
        while quiet < 2:
            batch = await consumer.getmany(timeout_ms=500)
            quiet = 0 if batch else quiet + 1
            for records in batch.values():
                for record in records:
                    values.setdefault(record.key or b"", []).append(record.value)
    finally:
        await consumer.stop()
    return values


async def measure(
    bootstrap: str, *, keys: int = 50, updates: int = 20, wait_seconds: float = 60.0
) -> Compaction:
    topic = f"bench.compaction.{uuid.uuid4().hex[:8]}"
    async with admin_client(bootstrap) as admin:
        await admin.create_topics([NewTopic(topic, 1, 1, topic_configs=EAGER_COMPACTION)])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    latest: dict[bytes, bytes | None] = {}
    try:
        for n in range(updates):
            for k in range(keys):
                key, value = f"person-{k}".encode(), f"details {n} of {k}".encode()
                await producer.send(topic, value, key=key)
                latest[key] = value
        for k in range(0, keys, 2):
            key = f"person-{k}".encode()
            await producer.send(topic, None, key=key)
            latest[key] = None
        await producer.flush()
    finally:
        await producer.stop()
    result = Compaction(
        written=keys * updates + len(range(0, keys, 2)), keys=keys, erased=keys // 2
    )
    started = time.monotonic()
    while True:
        values = await _read_all(bootstrap, topic)
        result.seconds.append(time.monotonic() - started)
        result.read_back.append(sum(len(v) for v in values.values()))
        if time.monotonic() - started >= wait_seconds:
            break
        await asyncio.sleep(min(10.0, wait_seconds / 4))
    result.latest_intact = all(_intact(values.get(key, []), value) for key, value in latest.items())
    return result


def _intact(read: list[bytes | None], latest: bytes | None) -> bool:
    """A live key reads back its latest value last; an erased one its tombstone, or nothing."""
    if latest is None:
        return not read or read[-1] is None
    return bool(read) and read[-1] == latest


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=50)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--wait-seconds", type=float, default=60.0)
    parser.add_argument("--kafka", help="a broker to measure instead of the embedded one")
    args = parser.parse_args(argv)
    with servers_for_run(args.kafka, mongodb_uri="mongodb://not-needed") as found:  # none started
        result = asyncio.run(
            measure(
                found.kafka_bootstrap,
                keys=args.keys,
                updates=args.updates,
                wait_seconds=args.wait_seconds,
            )
        )
    print("\n".join(result.lines()))


if __name__ == "__main__":
    main()
