"""The raw baselines: PyMongo writes and aiokafka produce/consume, with nothing of ours between."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from pymongo.asynchronous.database import AsyncDatabase

from bench.report import Figure
from bench.workload import BATCH, BenchmarkError, Stopwatch, chunks, state_document
from contracts.envelope import Envelope
from contracts.membership import SchoolRegistered

PYMONGO_ONE = "pymongo insert_one"
PYMONGO_MANY = f"pymongo insert_many, {BATCH}/call"
KAFKA_PRODUCE = "kafka produce"
KAFKA_CONSUME = "kafka consume"
KAFKA_BOTH = "kafka produce+consume"


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

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        client_id="bench-raw",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
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
