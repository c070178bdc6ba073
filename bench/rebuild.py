"""Rebuild benchmark: the reporting read models replayed from the log by
`python -m services.reporting.rebuild`'s own code, against raw aiokafka consumption of the same
records plus raw bulk upserts of the same documents, in the same run.

    python -m bench.rebuild [--events 200000] [--smaller 50000] [--kafka B] [--mongodb URI]

The run writes N booking events (`events.booking_placed.v1`, each booking its own, across the
topic's 6 partitions) to a topic of its own, then times, one after the other:

- **rebuild**: `services.reporting.rebuild.Rebuild` with the participation consumer re-homed on
  the run's topic, into a database of its own: each batch decoded, applied in one transaction
  with its inbox entries, the group's offsets committed after it; then the switch-over.
- **raw**: an `AIOKafkaConsumer` (no group) reading the same topic from offset 0, `json.loads`
  of each value, and one `bulk_write` of upserts that set the same booking documents per batch of
  the same size (`CONSUMER_BATCH_SIZE`, 500).

The ratio is the rebuild's events/s over the raw's; the target is >= 0.5. The same is done for
the first `--smaller` events on a topic of their own, to show how the rebuild's time grows with
the log: a flat cost per event gives the same events/s at both sizes.

Without --kafka / --mongodb the embedded servers are started on free ports in a temporary folder
and stopped at the end; the run's topics are deleted and its databases dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import NewTopic
from pymongo import AsyncMongoClient, UpdateOne

from bench.embedded import add_run_arguments, servers_for_run
from bench.workload import RunNames, Stopwatch, chunks
from contracts.activities import BookingPlaced
from contracts.envelope import Envelope
from contracts.topics import Topic
from contracts.vocabulary import BookingStatus
from eventkit.kafka import admin_client
from eventkit.logging import configure_logging
from services.reporting.adapters.participation import BOOKINGS
from services.reporting.bootstrap import ReportingSettings, participation_consumer
from services.reporting.rebuild import Rebuild

DEFAULT_EVENTS = 200_000
DEFAULT_SMALLER = 50_000
TARGET_RATIO = 0.5
SOURCE = "/school-partnerships/bench"


@dataclass(frozen=True)
class Size:
    events: int
    rebuild_seconds: float
    raw_seconds: float
    rebuilt_documents: int
    raw_documents: int

    @property
    def rebuild_rate(self) -> float:
        return self.events / self.rebuild_seconds

    @property
    def raw_rate(self) -> float:
        return self.events / self.raw_seconds

    @property
    def ratio(self) -> float:
        return self.rebuild_rate / self.raw_rate


@dataclass(frozen=True)
class Figures:
    sizes: list[Size]

    @property
    def growth(self) -> float:
        """Cost per event at the largest size over that at the smallest (1.0: flat)."""
        small, large = self.sizes[0], self.sizes[-1]
        return (large.rebuild_seconds / large.events) / (small.rebuild_seconds / small.events)

    def text(self) -> str:
        lines = [
            f"{'events':>8}  {'rebuild s':>9}  {'rebuild ev/s':>12}  {'raw s':>7}  "
            f"{'raw ev/s':>9}  ratio"
        ]
        for s in self.sizes:
            lines.append(
                f"{s.events:>8}  {s.rebuild_seconds:>9.2f}  {s.rebuild_rate:>12,.0f}  "
                f"{s.raw_seconds:>7.2f}  {s.raw_rate:>9,.0f}  {s.ratio:.2f}x"
            )
        large = self.sizes[-1]
        verdict = "met" if large.ratio >= TARGET_RATIO else "NOT met"
        lines.append(
            f"ratio at {large.events} events: {large.ratio:.2f}x raw (target >= "
            f"{TARGET_RATIO}x: {verdict}); cost per event at {large.events} over "
            f"{self.sizes[0].events}: {self.growth:.2f} (1.00 is flat)"
        )
        return "\n".join(lines)


def _records(count: int, run: str) -> list[Envelope]:
    return [
        Envelope(
            event=BookingPlaced(
                activity_id=f"{run}-activity-{n % 500}",
                booking_id=f"{run}-booking-{n}",
                urn=str(100000 + n % 2000),
                person_id=f"{run}-person-{n % 20000}",
                status=BookingStatus.REGISTERED,
                places=1,
            ),
            source=SOURCE,
        )
        for n in range(count)
    ]


async def _write(bootstrap: str, topic: Topic, envelopes: Sequence[Envelope]) -> None:
    async with admin_client(bootstrap) as admin:
        await admin.create_topics([NewTopic(topic.name, topic.partitions, 1)])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, acks="all")
    await producer.start()
    try:
        for chunk in chunks(envelopes, 5000):
            sent = [
                await producer.send(
                    topic.name,
                    value=e.value(),
                    key=e.key(),
                    headers=[(k, v.encode()) for k, v in e.headers().items()],
                )
                for e in chunk
            ]
            await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def _rebuild(settings: ReportingSettings, topic: Topic) -> tuple[float, int]:
    consumer = participation_consumer(settings)
    rebuild = Rebuild(settings, [consumer.renamed(consumer.name, topic)])
    try:
        with Stopwatch() as watch:
            done = await rebuild.run()
        count = await rebuild.db[done.generation.collection(BOOKINGS)].count_documents({})
        return watch.seconds, count
    finally:
        await rebuild.close()


async def _raw(
    bootstrap: str, mongodb_uri: str, database: str, topic: Topic, count: int, batch: int
) -> tuple[float, int]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
    bookings = client[database][BOOKINGS]
    consumer = AIOKafkaConsumer(
        topic.name,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    try:
        with Stopwatch() as watch:
            await consumer.start()
            read = 0
            while read < count:
                fetched = await consumer.getmany(timeout_ms=100, max_records=batch)
                for records in fetched.values():
                    upserts = []
                    for record in records:
                        data = json.loads(record.value or b"{}")
                        upserts.append(
                            UpdateOne({"_id": data["booking_id"]}, {"$set": data}, upsert=True)
                        )
                    await bookings.bulk_write(upserts, ordered=True)
                    read += len(records)
        return watch.seconds, await bookings.count_documents({})
    finally:
        await consumer.stop()
        await client.close()


async def _size(
    servers_kafka: str, mongodb_uri: str, names: RunNames, count: int, log_level: str
) -> Size:
    topic = Topic(f"{names.topic.name}.{count}")
    await _write(servers_kafka, topic, _records(count, f"{names.run_id}-{count}"))
    settings = ReportingSettings(
        kafka_bootstrap_servers=servers_kafka,
        mongodb_uri=mongodb_uri,
        mongodb_database=names.database(f"rebuild{count}"),
        consumer_group_suffix=f"{names.run_id}-{count}",
        log_level=log_level,
    )
    configure_logging(settings)
    rebuild_seconds, rebuilt = await _rebuild(settings, topic)
    raw_seconds, raw = await _raw(
        servers_kafka,
        mongodb_uri,
        names.database(f"raw{count}"),
        topic,
        count,
        settings.consumer_batch_size,
    )
    return Size(count, rebuild_seconds, raw_seconds, rebuilt, raw)


async def run(
    events: int,
    smaller: int,
    kafka: str,
    mongodb_uri: str,
    timeout: float,
    log_level: str = "WARNING",
) -> Figures:
    names = RunNames.fresh()
    try:
        sizes = []
        for count in sorted({smaller, events}):
            sizes.append(
                await asyncio.wait_for(_size(kafka, mongodb_uri, names, count, log_level), timeout)
            )
        return Figures(sizes)
    finally:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
        for count in {smaller, events}:
            for role in (f"rebuild{count}", f"raw{count}"):
                await client.drop_database(names.database(role))
        await client.close()
        async with admin_client(kafka) as admin:
            await admin.delete_topics([f"{names.topic.name}.{c}" for c in {smaller, events}])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild", description=__doc__)
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    parser.add_argument("--smaller", type=int, default=DEFAULT_SMALLER)
    add_run_arguments(parser, timeout=1800)
    args = parser.parse_args(argv)
    with servers_for_run(args.kafka, args.mongodb) as servers:
        figures = asyncio.run(
            run(
                args.events,
                args.smaller,
                servers.kafka_bootstrap,
                servers.mongodb_uri,
                args.timeout,
            )
        )
    print(figures.text())
    if args.json:
        args.json.write_text(json.dumps([asdict(s) for s in figures.sizes], indent=2))
    complete = all(s.rebuilt_documents == s.raw_documents == s.events for s in figures.sizes)
    if not complete:
        print("documents missing:", [asdict(s) for s in figures.sizes], file=sys.stderr)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
