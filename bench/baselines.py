"""The raw baselines: PyMongo writes and aiokafka produce/consume, with nothing of ours between."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from bench.report import Figure
from bench.workload import BATCH, BenchmarkError, Stopwatch, chunks, state_document
from contracts.envelope import Envelope
from contracts.membership import SchoolRegistered
from eventkit.outbox import outbox_entry

PYMONGO_ONE = "pymongo insert_one"
PYMONGO_MANY = f"pymongo insert_many, {BATCH}/call"
KAFKA_PRODUCE = "kafka produce"
KAFKA_CONSUME = "kafka consume"
KAFKA_BOTH = "kafka produce+consume"
RAW_RELAY = "raw find+produce+mark"
RAW_CONSUME_APPLY = "raw consume+txn per batch"

RELAY_BATCH = 500
"""Documents the raw relay reads, produces and marks at a time (the relay's default batch)."""
RAW_OUTBOX = "raw_outbox"
RAW_INBOX = "raw_inbox"
RAW_EFFECTS = "raw_effects"


def raw_consumer(bootstrap: str, topic: str, group: str) -> AIOKafkaConsumer:
    """A plain aiokafka consumer in its own group, from the start, committing by hand."""
    return AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id="bench-raw",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )


async def raw_pymongo(
    db: AsyncDatabase[dict[str, Any]], events: Sequence[SchoolRegistered]
) -> tuple[Figure, Figure]:
    """N insert_one calls, then the same N documents by insert_many, into fresh collections."""
    one, many = db["insert_one"], db["insert_many"]
    for collection in (one, many):
        await db.create_collection(collection.name)
    documents = [state_document(event) for event in events]
    with Stopwatch() as single:
        for document in documents:
            await one.insert_one(dict(document))
    with Stopwatch() as batched:
        for chunk in chunks(documents, BATCH):
            await many.insert_many([dict(document) for document in chunk])
    return (
        Figure(PYMONGO_ONE, await one.count_documents({}), single.seconds),
        Figure(PYMONGO_MANY, await many.count_documents({}), batched.seconds),
    )


async def raw_kafka(
    bootstrap: str, topic: str, group: str, envelopes: Sequence[Envelope], deadline: float
) -> tuple[Figure, Figure]:
    """Produce N messages (idempotent, acks=all, all sends in flight, then wait for every ack),
    then read them back in a fresh consumer group, committing after each batch."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, client_id="bench-raw", enable_idempotence=True, acks="all"
    )
    await producer.start()
    try:
        with Stopwatch() as produce:
            acks = [
                await producer.send(
                    topic,
                    envelope.value(),
                    key=envelope.key(),
                    headers=[(name, value.encode()) for name, value in envelope.headers().items()],
                )
                for envelope in envelopes
            ]
            await asyncio.gather(*acks)
    finally:
        await producer.stop()

    consumer = raw_consumer(bootstrap, topic, group)
    received = 0
    with Stopwatch() as consume:
        await consumer.start()
        try:
            while received < len(envelopes):
                if time.monotonic() > deadline:
                    raise BenchmarkError(
                        f"{KAFKA_CONSUME}: {received} of {len(envelopes)} messages in time"
                    )
                batches = await consumer.getmany(timeout_ms=200)
                if count := sum(len(records) for records in batches.values()):
                    await consumer.commit()
                    received += count
        finally:
            await consumer.stop()
    return (
        Figure(KAFKA_PRODUCE, len(acks), produce.seconds),
        Figure(KAFKA_CONSUME, received, consume.seconds),
    )


async def raw_relay(
    db: AsyncDatabase[dict[str, Any]],
    bootstrap: str,
    topic: str,
    envelopes: Sequence[Envelope],
    deadline: float,
) -> Figure:
    """What the outbox relay does, by hand: find up to 500 unsent documents in insertion order,
    produce them all in flight (idempotent, acks=all), wait for every ack, mark them sent with one
    `update_many`; again until none is left.

    The N documents (the shape `eventkit.outbox.outbox_entry` stores, one clock reading each, as
    one event per commit) are inserted into `db.raw_outbox` before the clock starts, with the one
    index the query needs, (sent_at, stored_ns, position). They are produced to `topic`, keyed and
    with the CloudEvents headers they carry. The producer is started before the clock, as the
    relay's broker is."""
    outbox = db[RAW_OUTBOX]
    await outbox.create_index(
        [("sent_at", ASCENDING), ("stored_ns", ASCENDING), ("position", ASCENDING)]
    )
    for chunk in chunks(envelopes, BATCH):
        await outbox.insert_many([outbox_entry(envelope, time.time_ns()) for envelope in chunk])
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, client_id="bench-raw", enable_idempotence=True, acks="all"
    )
    await producer.start()
    marked = 0
    try:
        with Stopwatch() as relay:
            while documents := (
                await outbox.find({"sent_at": None})
                .sort([("stored_ns", ASCENDING), ("position", ASCENDING)])
                .limit(RELAY_BATCH)
                .to_list()
            ):
                if time.monotonic() > deadline:
                    raise BenchmarkError(f"{RAW_RELAY}: {marked} of {len(envelopes)} in time")
                acks = [
                    await producer.send(
                        topic,
                        document["value"],
                        key=document["key"],
                        headers=[
                            (name, value.encode()) for name, value in document["headers"].items()
                        ],
                    )
                    for document in documents
                ]
                await asyncio.gather(*acks)
                result = await outbox.update_many(
                    {"_id": {"$in": [document["_id"] for document in documents]}},
                    {"$set": {"sent_at": datetime.now(UTC)}},
                )
                marked += result.modified_count
    finally:
        await producer.stop()
    return Figure(RAW_RELAY, marked, relay.seconds)


async def raw_consume_apply(
    client: AsyncMongoClient[dict[str, Any]],
    db: AsyncDatabase[dict[str, Any]],
    bootstrap: str,
    topic: str,
    group: str,
    events: int,
    deadline: float,
) -> Figure:
    """What the idempotent consumer does, by hand: a consumer in the fresh group `group` reads
    the first `events` records of `topic` (which the caller has filled), and for each fetched
    batch one transaction inserts an inbox document per record (`_id` "<group>:<ce_id>") and an
    effect document per record, commits, then commits the batch's offsets.

    Timed from starting the consumer (group join included) until `events` records are applied;
    records past that many are neither applied nor committed. The records read must carry
    distinct `ce_id`s (as `raw_kafka`'s do: a topic only it filled), since a repeated one fails
    its batch's inbox insert as a real duplicate would. The two collections are made before the
    clock starts, with no index but `_id`."""
    inbox, effects = db[RAW_INBOX], db[RAW_EFFECTS]
    for collection in (inbox, effects):
        await db.create_collection(collection.name)
    consumer = raw_consumer(bootstrap, topic, group)
    applied = 0
    with Stopwatch() as consume:
        await consumer.start()
        try:
            while applied < events:
                if time.monotonic() > deadline:
                    raise BenchmarkError(f"{RAW_CONSUME_APPLY}: {applied} of {events} in time")
                batches = await consumer.getmany(timeout_ms=200)
                records: list[ConsumerRecord[bytes, bytes]] = []
                offsets: dict[TopicPartition, int] = {}
                for partition, fetched in batches.items():
                    if taken := fetched[: events - applied - len(records)]:
                        records.extend(taken)
                        offsets[partition] = taken[-1].offset + 1
                if not records:
                    continue
                now = datetime.now(UTC)
                inbox_entries, effect_documents = [], []
                for record in records:
                    headers = {name: value.decode() for name, value in record.headers}
                    event_id = headers["ce_id"]
                    inbox_entries.append(
                        {
                            "_id": f"{group}:{event_id}",
                            "consumer": group,
                            "event_id": event_id,
                            "type": headers.get("ce_type"),
                            "applied_at": now,
                        }
                    )
                    effect_documents.append(
                        {"key": record.key, "event_id": event_id, "offset": record.offset}
                    )
                async with (
                    client.start_session() as session,
                    await session.start_transaction(),
                ):
                    await inbox.insert_many(inbox_entries, session=session)
                    await effects.insert_many(effect_documents, session=session)
                await consumer.commit(offsets)
                applied += len(records)
        finally:
            await consumer.stop()
    return Figure(RAW_CONSUME_APPLY, applied, consume.seconds)
