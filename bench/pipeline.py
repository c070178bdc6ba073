"""Benchmark of the plumbing: N events through outbox → relay → broker → idempotent consumer into
MongoDB, against raw aiokafka produce/consume and raw PyMongo writes on the same servers in the
same run. Prints events/s for each stage and the ratios to the raw baselines.

    python -m bench.pipeline [--events N] [--kafka BOOTSTRAP] [--mongodb URI] [--json PATH]

Without --kafka / --mongodb the embedded servers (noida-db, secantusdb) are started on free ports
in a temporary folder and stopped at the end. Every run uses its own topics, consumer groups and
databases, and removes them afterwards.

Each stage runs alone, one after the other, so each rate is that stage's own. The pipeline's
end-to-end time runs from its first outbox write until the consumer's database holds N effects.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import structlog
from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from bench.baselines import (
    KAFKA_BOTH,
    KAFKA_CONSUME,
    KAFKA_PRODUCE,
    PYMONGO_MANY,
    PYMONGO_ONE,
    RAW_CONSUME_APPLY,
    RAW_RELAY,
    raw_consume_apply,
    raw_kafka,
    raw_pymongo,
    raw_relay,
)
from bench.embedded import add_run_arguments, servers_for_run
from bench.report import Figure, Report
from bench.workload import (
    BATCH,
    SOURCE,
    BenchmarkError,
    RunNames,
    Stopwatch,
    chunks,
    event_class,
    school_events,
    state_document,
)
from contracts.envelope import Envelope
from contracts.membership import SchoolRegistered
from eventkit.consumer import (
    INBOX,
    EventConsumer,
    RetryPolicy,
    ensure_inbox_indexes,
    subscribe,
)
from eventkit.deadletters import list_dead_letters
from eventkit.kafka import admin_client, make_broker
from eventkit.logging import configure_logging
from eventkit.outbox import COLLECTION as OUTBOX
from eventkit.outbox import OutboxRelay, ensure_outbox_indexes
from eventkit.settings import ServiceSettings
from eventkit.topics import ensure_topics
from eventkit.unit_of_work import MongoUnitOfWork

DEFAULT_EVENTS = 2000
DEFAULT_TIMEOUT_SECONDS = 900.0
POLL_SECONDS = 0.02

OUTBOX_ONE = "outbox write, 1 event/txn"
OUTBOX_BATCH = f"outbox write, {BATCH} events/txn"
RELAY = "relay publish"
APPLY = "consume+apply"
END_TO_END = "pipeline end-to-end"

RAW_BOTH = "raw relay + raw consume+txn"

STAGES = (
    PYMONGO_ONE,
    PYMONGO_MANY,
    OUTBOX_ONE,
    OUTBOX_BATCH,
    KAFKA_PRODUCE,
    KAFKA_CONSUME,
    KAFKA_BOTH,
    RAW_RELAY,
    RAW_CONSUME_APPLY,
    RAW_BOTH,
    RELAY,
    APPLY,
    END_TO_END,
)
"""Every row of the report, in the order it is printed."""

FASTSTREAM_LOGGERS = ("faststream", "faststream.access.kafka")

SCHOOLS = "schools"
"""The state a command writes beside its event (producer side)."""
EFFECTS = "school_effects"
"""What the consumer writes, one document per event (consumer side)."""

log = structlog.get_logger(__name__)


# --- our pipeline ----------------------------------------------------------------------------


async def outbox_writes(
    client: AsyncMongoClient[dict[str, Any]],
    db: AsyncDatabase[dict[str, Any]],
    events: Sequence[SchoolRegistered],
    per_transaction: int,
) -> None:
    """What a command does: its state and its events in one transaction, `per_transaction` each."""
    for chunk in chunks(events, per_transaction):
        async with MongoUnitOfWork(client, db, source=SOURCE) as uow:
            await db[SCHOOLS].insert_many(
                [state_document(event) for event in chunk], session=uow.session
            )
            uow.record(chunk)
            await uow.commit()


class HandlerCalls:
    """Counts the consumer handler's calls; `reached` is set once there were `expected` of them."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.calls = 0
        self.reached = asyncio.Event()

    def count(self, events: int) -> None:
        self.calls += events
        if self.calls >= self.expected:
            self.reached.set()


class SchoolEffects:
    """The consumer's effect: a document per school registered, inserted as the raw baseline's
    are; one school with two documents would be an event applied twice."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], session: AsyncClientSession) -> None:
        self._collection = db[EFFECTS]
        self._session = session

    async def record(self, events: Sequence[SchoolRegistered]) -> None:
        await self._collection.insert_many(
            [{"urn": event.urn, "name": event.name} for event in events], session=self._session
        )


class EffectsUnitOfWork(MongoUnitOfWork):
    effects: SchoolEffects

    def open_repositories(self, session: AsyncClientSession) -> None:
        self.effects = SchoolEffects(self.db, session)


def effects_consumer(names: RunNames, calls: HandlerCalls) -> EventConsumer:
    """A consumer in its own group that applies each batch of events as one bulk write."""
    consumer = EventConsumer(names.consumer_group, names.topic)

    @consumer.on_batch(SchoolRegistered)
    async def record_schools(events: list[SchoolRegistered], uow: EffectsUnitOfWork) -> None:
        await uow.effects.record(events)
        calls.count(len(events))

    return consumer


async def wait_for_effects(
    collection: AsyncCollection[dict[str, Any]], calls: HandlerCalls, deadline: float
) -> int:
    """Wait until the consumer's database holds `calls.expected` effects.

    count_documents is polled only once the handler has run that often: on the embedded database
    a count of a few thousand documents takes tens of milliseconds, and polling it all along
    would steal time from the stage being measured.
    """
    try:
        await asyncio.wait_for(calls.reached.wait(), max(0.0, deadline - time.monotonic()))
    except TimeoutError:
        raise BenchmarkError(
            f"{APPLY}: the handler ran {calls.calls} of {calls.expected} times in time"
        ) from None
    while (count := await collection.count_documents({})) < calls.expected:
        if time.monotonic() > deadline:
            raise BenchmarkError(f"{APPLY}: {count} of {calls.expected} effects in time")
        await asyncio.sleep(POLL_SECONDS)
    return count


async def measure_pipeline(
    bootstrap: str,
    mongodb_uri: str,
    names: RunNames,
    events: Sequence[SchoolRegistered],
    report: Report,
    deadline: float,
) -> None:
    """Outbox writes, then the relay drains to the broker, then the consumer applies them all.

    The producer and the consumer side each get their own client and broker, as two services do.
    """
    n = len(events)
    producer_client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri, tz_aware=True)
    consumer_client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri, tz_aware=True)
    producer_db = producer_client[names.database("producer")]
    batched_db = producer_client[names.database("batched")]
    consumer_db = consumer_client[names.database("consumer")]
    relay_broker = make_broker(settings("bench-relay", bootstrap))
    consumer_broker = make_broker(settings("bench-consumer", bootstrap))
    calls = HandlerCalls(n)
    consumer = effects_consumer(names, calls)
    subscribe(
        consumer_broker,
        consumer,
        lambda: EffectsUnitOfWork(consumer_client, consumer_db, source=SOURCE),
        RetryPolicy(),
    )
    try:
        for db in (producer_db, batched_db):
            await ensure_outbox_indexes(db)
            await db.create_collection(SCHOOLS)
        await ensure_inbox_indexes(consumer_db)
        await consumer_db.create_collection(EFFECTS)
        relay = OutboxRelay(producer_db, relay_broker)
        await relay_broker.start()

        with Stopwatch() as batched_writes:
            await outbox_writes(producer_client, batched_db, events, BATCH)
        batched = await batched_db[OUTBOX].count_documents({})
        report.add(Figure(OUTBOX_BATCH, batched, batched_writes.seconds, PYMONGO_MANY))

        # end to end: these three stages back to back, nothing else in between
        first_write = time.perf_counter()
        with Stopwatch() as writes:
            await outbox_writes(producer_client, producer_db, events, 1)
        with Stopwatch() as publish:
            published = await relay.drain()
        with Stopwatch() as apply:
            await consumer_broker.start()
            applied = await wait_for_effects(consumer_db[EFFECTS], calls, deadline)
        end_to_end = time.perf_counter() - first_write

        written = await producer_db[OUTBOX].count_documents({})
        report.add(Figure(OUTBOX_ONE, written, writes.seconds, PYMONGO_ONE))
        report.add(Figure(RELAY, published, publish.seconds, RAW_RELAY, (KAFKA_PRODUCE,)))
        report.add(Figure(APPLY, applied, apply.seconds, RAW_CONSUME_APPLY, (KAFKA_CONSUME,)))
        report.add(Figure(END_TO_END, applied, end_to_end, RAW_BOTH, (KAFKA_BOTH,)))
        report.checks.update(
            events=n,
            handler_calls=calls.calls,
            outbox_unsent=await producer_db[OUTBOX].count_documents({"sent_at": None}),
            effects=await consumer_db[EFFECTS].count_documents({}),
            effects_applied_more_than_once=await consumer_db[EFFECTS].count_documents({})
            - len(await consumer_db[EFFECTS].distinct("urn")),
            inbox_entries=await consumer_db[INBOX].count_documents({}),
            dead_letters=len(await list_dead_letters(bootstrap, names.topic.name)),
        )
    finally:
        await consumer_broker.stop()
        await relay_broker.stop()
        await producer_client.close()
        await consumer_client.close()


def settings(service_name: str, bootstrap: str) -> ServiceSettings:
    return ServiceSettings(service_name=service_name, kafka_bootstrap_servers=bootstrap)


def checks_passed(report: Report) -> bool:
    """True when the consumer applied each of the N events exactly once and nothing was left."""
    checks, n = report.checks, report.events
    return (
        checks.get("effects") == n
        and checks.get("inbox_entries") == n
        and checks.get("effects_applied_more_than_once") == 0
        and checks.get("outbox_unsent") == 0
        and checks.get("dead_letters") == 0
    )


# --- the run ---------------------------------------------------------------------------------


async def run(
    events: int,
    kafka_bootstrap: str,
    mongodb_uri: str,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> Report:
    """Measure every stage on these servers with `events` events; remove what the run made."""
    if events < 1:
        raise ValueError("events must be at least 1")
    deadline = time.monotonic() + timeout
    names = RunNames.fresh()
    report = Report(events)
    cls = event_class(names.topic)
    school_list = school_events(cls, events)
    envelopes = [Envelope(event=event, source=SOURCE) for event in school_list]
    await ensure_topics(
        kafka_bootstrap,
        [names.topic, names.topic.dead_letters, names.raw_topic, names.raw_relay_topic],
    )
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri, tz_aware=True)
    try:
        for figure in await raw_pymongo(client[names.database("raw")], school_list):
            report.add(figure)
        produce, consume = await raw_kafka(
            kafka_bootstrap, names.raw_topic.name, names.raw_group, envelopes, deadline
        )
        report.add(produce)
        report.add(consume)
        report.add(Figure(KAFKA_BOTH, consume.events, produce.seconds + consume.seconds))
        by_hand_relay = report.add(
            await raw_relay(
                client[names.database("rawrelay")],
                kafka_bootstrap,
                names.raw_relay_topic.name,
                envelopes,
                deadline,
            )
        )
        by_hand_apply = report.add(
            await raw_consume_apply(
                client,
                client[names.database("rawapply")],
                kafka_bootstrap,
                names.raw_topic.name,
                f"{names.raw_group}-apply",
                events,
                deadline,
            )
        )
        seconds = by_hand_relay.seconds + by_hand_apply.seconds
        report.add(Figure(RAW_BOTH, by_hand_apply.events, seconds))
        await measure_pipeline(kafka_bootstrap, mongodb_uri, names, school_list, report, deadline)
    finally:
        await clean_up(client, kafka_bootstrap, names)
        await client.close()
    report.figures.sort(key=lambda figure: STAGES.index(figure.stage))
    report.checks["passed"] = checks_passed(report)
    report.about.update(run_id=names.run_id, topic=names.topic.name)
    return report


async def clean_up(
    client: AsyncMongoClient[dict[str, Any]], bootstrap: str, names: RunNames
) -> None:
    """Drop the run's databases and delete its topics; a failure here only logs a warning."""
    for database in names.databases:
        try:
            await client.drop_database(database)
        except Exception as error:
            log.warning("bench.drop_database_failed", database=database, error=str(error))
    made = (names.topic, names.topic.dead_letters, names.raw_topic, names.raw_relay_topic)
    topics = [topic.name for topic in made]
    try:
        async with admin_client(bootstrap) as admin:
            await admin.delete_topics(topics)
    except Exception as error:
        log.warning("bench.delete_topics_failed", topics=topics, error=str(error))


# --- command line ----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pipeline",
        description="Events/s of outbox → relay → broker → idempotent consumer, against raw "
        "aiokafka and raw PyMongo on the same servers in the same run.",
    )
    parser.add_argument(
        "--events",
        type=int,
        nargs="+",
        default=[DEFAULT_EVENTS],
        help="N, or several to run one after the other and compare (default %(default)s)",
    )
    add_run_arguments(parser, timeout=DEFAULT_TIMEOUT_SECONDS)
    args = parser.parse_args(argv)
    if min(args.events) < 1:
        parser.error("--events must be at least 1")
    return args


def filter_faststream_logs(level_name: str) -> None:
    """FastStream logs every message at INFO to its own stdout handler, whatever the root level;
    hold its loggers to `level_name` too, so the table is not buried and printing is not timed."""
    level = logging.getLevelName(level_name.upper())
    if not isinstance(level, int):
        raise SystemExit(f"unknown log level {level_name!r}")
    for name in FASTSTREAM_LOGGERS:
        logging.getLogger(name).addFilter(lambda record: record.levelno >= level)


def side_by_side(reports: Sequence[Report]) -> str:
    """Each stage's events/s and ratio at every N of the run, so growth with N shows."""
    rows = [["stage"] + [c for r in reports for c in (f"ev/s, N={r.events:,}", "ratio")]]
    for stage in STAGES:
        cells = [stage]
        for report in reports:
            figure = report.figure(stage)
            ratio = report.ratio(figure)
            cells += [f"{figure.rate:,.0f}", "" if ratio is None else f"{ratio:.2f}x"]
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            [
                row[0].ljust(widths[0]),
                *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
            ]
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging(
        ServiceSettings(service_name="bench", log_level=args.log_level, log_format="console")
    )
    filter_faststream_logs(args.log_level)
    reports: list[Report] = []
    with servers_for_run(args.kafka, args.mongodb) as found:
        where = ", ".join(
            f"{name} {'embedded' if name in found.embedded else 'given'}"
            for name in ("kafka", "mongodb")
        )
        for events in args.events:
            print(f"bench.pipeline: {events} events; {where}", flush=True)
            try:
                report = asyncio.run(
                    run(events, found.kafka_bootstrap, found.mongodb_uri, timeout=args.timeout)
                )
            except BenchmarkError as error:
                print(f"bench.pipeline: {error}", file=sys.stderr)
                return 1
            report.about.update(
                servers=where,
                at=datetime.now(UTC).isoformat(timespec="seconds"),
                python=platform.python_version(),
                machine=f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
            )
            print(report.table())
            summary = {k: v for k, v in report.checks.items() if k != "passed"}
            verdict = "passed" if report.checks["passed"] else "FAILED"
            print(f"checks {verdict}: {json.dumps(summary)}\n", flush=True)
            reports.append(report)
    if len(reports) > 1:
        print(side_by_side(reports))
    if args.json:
        written = [report.as_json() for report in reports]
        args.json.write_text(json.dumps(written if len(written) > 1 else written[0], indent=2))
    return 0 if all(report.checks["passed"] for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
