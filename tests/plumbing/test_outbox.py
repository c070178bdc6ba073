"""The transactional outbox against the real database and broker."""

from typing import Any, ClassVar

from faststream.kafka import KafkaBroker
from pymongo import AsyncMongoClient

from contracts.envelope import IntegrationEvent
from contracts.topics import Topic
from eventkit.kafka import make_broker
from eventkit.outbox import COLLECTION, OutboxRelay
from eventkit.settings import ServiceSettings
from eventkit.unit_of_work import MongoUnitOfWork
from support.kafka import Pinged, read_topic


async def _write(
    mongo: AsyncMongoClient[dict[str, Any]],
    settings: ServiceSettings,
    events: list[Pinged],
    *,
    commit: bool = True,
) -> None:
    db = mongo[settings.database_name]
    async with MongoUnitOfWork(mongo, db, source="/test") as uow:
        await db.things.insert_many([{"key": e.key, "n": e.n} for e in events], session=uow.session)
        uow.record(events)
        if commit:
            await uow.commit()


async def _relay(settings: ServiceSettings) -> tuple[KafkaBroker, OutboxRelay, Any]:
    broker = make_broker(settings)
    await broker.start()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_uri)
    return broker, OutboxRelay(client[settings.database_name], broker), client


async def test_state_and_events_commit_together_or_not_at_all(
    mongo: AsyncMongoClient[dict[str, Any]], settings: ServiceSettings, event_class: type[Pinged]
) -> None:
    db = mongo[settings.database_name]
    await _write(mongo, settings, [event_class(key="kept", n=1)])
    await _write(mongo, settings, [event_class(key="aborted", n=2)], commit=False)

    assert await db.things.distinct("key") == ["kept"]
    entries = await db[COLLECTION].find().to_list()
    assert [e["headers"]["ce_subject"] for e in entries] == ["kept"]
    assert entries[0]["sent_at"] is None


async def test_crash_between_commit_and_publish_loses_nothing(
    mongo: AsyncMongoClient[dict[str, Any]],
    settings: ServiceSettings,
    event_class: type[Pinged],
    topic: Topic,
) -> None:
    # The "process" commits and dies before any relay ran: only the outbox knows.
    await _write(mongo, settings, [event_class(key=f"k{i}", n=i) for i in range(5)])

    # A new process starts; its relay publishes what was left behind, in order.
    broker, relay, client = await _relay(settings)
    try:
        assert await relay.drain() == 5
        assert await relay.drain() == 0
    finally:
        await broker.stop()
        await client.close()

    records = await read_topic(settings.kafka_bootstrap_servers, topic.name, expect=5)
    assert sorted(r.key for r in records) == [f"k{i}".encode() for i in range(5)]
    pending = await mongo[settings.database_name][COLLECTION].count_documents({"sent_at": None})
    assert pending == 0


async def test_crash_after_publish_before_marking_sent_publishes_again(
    mongo: AsyncMongoClient[dict[str, Any]],
    settings: ServiceSettings,
    event_class: type[Pinged],
    topic: Topic,
) -> None:
    await _write(mongo, settings, [event_class(key="again", n=1)])
    broker, relay, client = await _relay(settings)
    try:
        await relay.drain()
        # As if the process died before `sent_at` was stored:
        await mongo[settings.database_name][COLLECTION].update_many({}, {"$set": {"sent_at": None}})
        assert await relay.drain() == 1
    finally:
        await broker.stop()
        await client.close()

    records = await read_topic(settings.kafka_bootstrap_servers, topic.name, expect=2)
    ids = {dict(r.headers)["ce_id"] for r in records}
    assert len(records) == 2 and len(ids) == 1, (
        "the same CloudEvents id, so consumers apply it once"
    )


async def test_one_aggregate_keeps_its_order_on_one_partition(
    mongo: AsyncMongoClient[dict[str, Any]],
    settings: ServiceSettings,
    event_class: type[Pinged],
    topic: Topic,
) -> None:
    for n in range(20):
        await _write(mongo, settings, [event_class(key=f"same-{n}" if n % 2 else "same", n=n)])
    broker, relay, client = await _relay(settings)
    try:
        await relay.drain()
    finally:
        await broker.stop()
        await client.close()

    records = await read_topic(settings.kafka_bootstrap_servers, topic.name, expect=20)
    same = [r for r in records if r.key == b"same"]
    assert len({r.partition for r in same}) == 1
    assert [Pinged.model_validate_json(r.value).n for r in same] == list(range(0, 20, 2))


async def test_an_event_the_broker_refuses_is_set_aside_and_later_ones_still_go_out(
    mongo: AsyncMongoClient[dict[str, Any]],
    settings: ServiceSettings,
    event_class: type[Pinged],
    topic: Topic,
) -> None:
    await _write(mongo, settings, [event_class(key="huge" * 400_000, n=1)])
    await _write(mongo, settings, [event_class(key="after", n=2)])
    broker, relay, client = await _relay(settings)
    try:
        assert await relay.drain() == 2
    finally:
        await broker.stop()
        await client.close()

    records = await read_topic(settings.kafka_bootstrap_servers, topic.name, expect=1)
    assert [r.key for r in records] == [b"after"]
    refused = await mongo[settings.database_name][COLLECTION].find_one(
        {"refused_at": {"$ne": None}}
    )
    assert refused is not None and "MessageSizeTooLarge" in refused["error"]


async def test_a_tombstone_goes_out_as_a_null_value_and_the_outbox_keeps_nothing_it_erases(
    mongo: AsyncMongoClient[dict[str, Any]],
    settings: ServiceSettings,
    event_class: type[Pinged],
    topic: Topic,
) -> None:
    class Forgotten(IntegrationEvent):
        type: ClassVar[str] = "test.forgotten.v1"
        topic: ClassVar[Topic] = event_class.topic
        tombstone: ClassVar[bool] = True
        key: str

        def aggregate_id(self) -> str:
            return self.key

    db = mongo[settings.database_name]
    await _write(mongo, settings, [event_class(key="ann", n=1), event_class(key="bob", n=1)])
    broker, relay, client = await _relay(settings)
    try:
        assert await relay.drain() == 2
        await _write(mongo, settings, [event_class(key="ann", n=2)])  # not sent yet
        async with MongoUnitOfWork(mongo, db, source="/test") as uow:
            uow.record([Forgotten(key="ann")])
            await uow.commit()

        entries = await db[COLLECTION].find().sort("stored_ns").to_list()
        assert [(e["key"], e["value"]) for e in entries] == [
            (b"bob", b'{"key":"bob","n":1}'),
            (b"ann", None),
        ]
        assert await relay.drain() == 1
    finally:
        await broker.stop()
        await client.close()

    records = await read_topic(settings.kafka_bootstrap_servers, topic.name, expect=3)
    assert [(r.key, r.value is None) for r in records if r.key == b"ann"] == [
        (b"ann", False),
        (b"ann", True),
    ]
