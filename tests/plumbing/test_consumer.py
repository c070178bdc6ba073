"""Batched idempotent consumers, bounded retry, dead letters and redelivery on the real broker."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession

from contracts.envelope import Envelope
from contracts.topics import Topic
from eventkit import deadletters
from eventkit.consumer import INBOX, EventConsumer, Reject
from eventkit.lag import consumer_lag
from eventkit.runtime import ServiceRuntime
from eventkit.settings import ServiceSettings
from eventkit.unit_of_work import Committed, MongoUnitOfWork
from support.kafka import Pinged, produce, wire
from support.polling import eventually


class Effects:
    """What the test consumers write: one document per event applied."""

    def __init__(self, uow: MongoUnitOfWork, session: AsyncClientSession) -> None:
        self._collection = uow.db.effects
        self._session = session

    async def add(self, event: Pinged) -> None:
        await self._collection.insert_one({"key": event.key, "n": event.n}, session=self._session)

    async def add_many(self, events: list[Pinged]) -> None:
        docs = [{"key": e.key, "n": e.n} for e in events]
        await self._collection.insert_many(docs, session=self._session)


class PlumbingUnitOfWork(MongoUnitOfWork):
    effects: Effects
    commits: list[Committed]  # shared by every unit of work of one runtime (set by `running`)

    def open_repositories(self, session: AsyncClientSession) -> None:
        self.effects = Effects(self, session)

    async def commit(self) -> Committed:
        committed = await super().commit()
        self.commits.append(committed)
        return committed


Effect = Callable[[Pinged, PlumbingUnitOfWork], Awaitable[None]]


async def count_effects(event: Pinged, uow: PlumbingUnitOfWork) -> None:
    await uow.effects.add(event)


def consumer_of(
    topic: Topic, event_class: type[Pinged], effect: Effect, name: str
) -> EventConsumer:
    consumer = EventConsumer(name, topic)
    consumer.on(event_class)(effect)
    return consumer


def runtime_of(
    settings: ServiceSettings, consumer: EventConsumer, commits: list[Committed] | None = None
) -> ServiceRuntime[PlumbingUnitOfWork]:
    seen = commits if commits is not None else []

    def unit_of_work(*args: Any, **kwargs: Any) -> PlumbingUnitOfWork:
        uow = PlumbingUnitOfWork(*args, **kwargs)
        uow.commits = seen
        return uow

    return ServiceRuntime(settings, unit_of_work, consumers=[consumer])


@asynccontextmanager
async def running(
    settings: ServiceSettings, consumer: EventConsumer, commits: list[Committed] | None = None
) -> AsyncIterator[None]:
    runtime = runtime_of(settings, consumer, commits)
    await runtime.start()
    try:
        yield
    finally:
        await runtime.stop()


def envelope(event: Pinged) -> Envelope:
    return Envelope(event=event, source="/test")


async def test_the_same_event_delivered_twice_has_one_effect(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    first, second = envelope(event_class(key="a", n=1)), envelope(event_class(key="b", n=2))
    await produce(
        settings.kafka_bootstrap_servers, topic.name, [wire(first), wire(first), wire(second)]
    )
    db = mongo[settings.database_name]
    consumer = consumer_of(topic, event_class, count_effects, "test.idempotent")
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {"key": "b"}, 1))
        await asyncio.sleep(0.5)

    assert await db.effects.count_documents({"key": "a"}) == 1
    assert await db[INBOX].count_documents({"event_id": first.id}) == 1


async def test_a_batch_mixing_applied_and_new_events_applies_only_the_new_ones(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    old = [envelope(event_class(key=f"old{n}", n=n)) for n in range(10)]
    new = [envelope(event_class(key=f"new{n}", n=n)) for n in range(10)]
    db = mongo[settings.database_name]
    consumer = consumer_of(topic, event_class, count_effects, "test.mixed")
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in old])
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {}, 10))

    # the old ones again (a replay), interleaved with new ones, waiting as one batch
    mixed = [e for pair in zip(old, new, strict=True) for e in pair]
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in mixed])
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {}, 20))
        await asyncio.sleep(0.5)

    assert await db.effects.count_documents({}) == 20
    assert len(await db.effects.distinct("key")) == 20
    assert await db[INBOX].count_documents({"consumer": "test.mixed"}) == 20


async def test_events_waiting_are_applied_in_few_transactions(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    events = [envelope(event_class(key=f"k{n % 7}", n=n)) for n in range(200)]
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in events])
    db = mongo[settings.database_name]
    commits: list[Committed] = []
    async with running(
        settings, consumer_of(topic, event_class, count_effects, "test.batch"), commits
    ):
        await eventually(lambda: _count(db, "effects", {}, 200))

    assert await db[INBOX].count_documents({"consumer": "test.batch"}) == 200
    assert 1 <= len(commits) <= 20, f"{len(commits)} transactions for 200 events"


async def test_a_batch_handler_gets_runs_of_events_at_once(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    sizes: list[int] = []
    consumer = EventConsumer("test.bulk", topic)

    @consumer.on_batch(event_class)
    async def bulk(events: list[Pinged], uow: PlumbingUnitOfWork) -> None:
        sizes.append(len(events))
        await uow.effects.add_many(events)

    events = [envelope(event_class(key=f"k{n % 3}", n=n)) for n in range(120)]
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in events])
    db = mongo[settings.database_name]
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {}, 120))

    assert sum(sizes) == 120 and max(sizes) > 1


async def test_a_poison_message_in_a_batch_of_200_is_dead_lettered_and_the_rest_applied_once(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    attempts: dict[str, int] = {}

    async def poisoned(event: Pinged, uow: PlumbingUnitOfWork) -> None:
        attempts[event.key] = attempts.get(event.key, 0) + 1
        if event.key == "poison":
            raise RuntimeError("cannot handle this one")
        await uow.effects.add(event)

    events = [envelope(event_class(key=f"ok{n}", n=n)) for n in range(199)]
    poison = envelope(event_class(key="poison", n=-1))
    events.insert(120, poison)
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in events])
    db = mongo[settings.database_name]
    async with running(settings, consumer_of(topic, event_class, poisoned, "test.poison")):
        await eventually(lambda: _dead_letters(settings, topic, 1))
        await eventually(lambda: _count(db, "effects", {}, 199))
        await asyncio.sleep(0.5)

    assert await db.effects.count_documents({}) == 199
    assert len(await db.effects.distinct("key")) == 199
    assert await db[INBOX].count_documents({"consumer": "test.poison"}) == 199
    [letter] = await deadletters.list_dead_letters(settings.kafka_bootstrap_servers, topic.name)
    assert letter.headers["ce_id"] == poison.id
    assert letter.headers[deadletters.ATTEMPTS] == str(settings.consumer_max_attempts)
    # once in its batch, then on its own until the attempts ran out
    assert attempts["poison"] == 1 + settings.consumer_max_attempts


async def test_per_key_order_holds_across_batches(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    async def append(event: Pinged, uow: PlumbingUnitOfWork) -> None:
        await uow.db.orders.update_one(
            {"_id": event.key}, {"$push": {"seen": event.n}}, upsert=True, session=uow.session
        )

    keys = [f"key{k}" for k in range(5)]
    events = [envelope(event_class(key=keys[n % 5], n=n)) for n in range(300)]
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in events])
    db = mongo[settings.database_name]
    small_batches = settings.model_copy(update={"consumer_batch_size": 17})
    commits: list[Committed] = []
    async with running(
        small_batches, consumer_of(topic, event_class, append, "test.order"), commits
    ):
        await eventually(lambda: _inbox(db, "test.order", 300))

    assert len(commits) >= 300 // 17
    for doc in await db.orders.find({}).to_list():
        expected = [n for n in range(300) if keys[n % 5] == doc["_id"]]
        assert doc["seen"] == expected


async def test_a_consumer_killed_in_the_middle_of_a_batch_applies_nothing_twice(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    reached = asyncio.Event()

    async def hang_at_150(event: Pinged, uow: PlumbingUnitOfWork) -> None:
        if event.n == 150:
            reached.set()
            await asyncio.sleep(3600)
        await uow.effects.add(event)

    events = [envelope(event_class(key=f"k{n}", n=n)) for n in range(200)]
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in events])
    db = mongo[settings.database_name]
    batches_of_40 = settings.model_copy(update={"consumer_batch_size": 40})
    dying = runtime_of(batches_of_40, consumer_of(topic, event_class, hang_at_150, "test.kill"))
    await dying.start()
    await asyncio.wait_for(reached.wait(), 30)
    applied_before = await db.effects.count_documents({})
    await dying.stop()  # dies mid-batch: that batch's transaction and offsets are not committed

    assert applied_before < 200
    consumer = consumer_of(topic, event_class, count_effects, "test.kill")
    async with running(batches_of_40, consumer):
        await eventually(lambda: _count(db, "effects", {}, 200))
        await asyncio.sleep(0.5)
    assert len(await db.effects.distinct("key")) == 200
    assert await db.effects.count_documents({}) == 200


async def test_a_malformed_message_is_dead_lettered_and_the_consumer_goes_on(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    good = envelope(event_class(key="good", n=1))
    bad_data = wire(good)[0], b'{"key": "bad"}', wire(good)[2]  # n is missing
    no_headers = b"x", b"{}", []
    await produce(settings.kafka_bootstrap_servers, topic.name, [bad_data, no_headers, wire(good)])
    db = mongo[settings.database_name]
    consumer = consumer_of(topic, event_class, count_effects, "test.malformed")
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {"key": "good"}, 1))

    letters = await deadletters.list_dead_letters(settings.kafka_bootstrap_servers, topic.name)
    assert len(letters) == 2
    reasons = sorted(letter.reason for letter in letters)
    assert "missing CloudEvents headers: ce_id" in reasons[0]
    assert "test.pinged.v1: n: Field required" in reasons[1]
    assert {letter.headers[deadletters.ERROR_TYPE] for letter in letters} == {"invalid"}
    assert {letter.headers[deadletters.CONSUMER] for letter in letters} == {"test.malformed"}
    assert {letter.value for letter in letters} == {b'{"key": "bad"}', b"{}"}


async def test_a_header_that_is_not_utf8_is_dead_lettered_and_the_consumer_goes_on(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    good = envelope(event_class(key="good", n=1))
    key, value, headers = wire(envelope(event_class(key="bad", n=2)))
    garbled = key, value, [*headers, ("x-note", b"\xff\xfe not text")]
    await produce(settings.kafka_bootstrap_servers, topic.name, [garbled, wire(good)])
    db = mongo[settings.database_name]
    consumer = consumer_of(topic, event_class, count_effects, "test.garbled")
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {"key": "good"}, 1))
        await eventually(lambda: _dead_letters(settings, topic, 1))

    [letter] = await deadletters.list_dead_letters(settings.kafka_bootstrap_servers, topic.name)
    assert letter.value == value
    assert "x-note" in letter.reason
    assert await db.effects.count_documents({"key": "bad"}) == 0


async def test_a_failing_handler_is_retried_then_dead_lettered_and_can_be_replayed(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    attempts: dict[str, int] = {}
    broken = {"poison"}

    async def flaky(event: Pinged, uow: PlumbingUnitOfWork) -> None:
        attempts[event.key] = attempts.get(event.key, 0) + 1
        if event.key in broken or (event.key == "flaky" and attempts[event.key] < 3):
            raise RuntimeError(f"cannot handle {event.key} yet")
        await count_effects(event, uow)

    poison = envelope(event_class(key="poison", n=1))
    events = [
        poison,
        envelope(event_class(key="flaky", n=2)),
        envelope(event_class(key="after", n=3)),
    ]
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in events])
    db = mongo[settings.database_name]
    consumer = consumer_of(topic, event_class, flaky, "test.retry")
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {"key": "after"}, 1))
        await eventually(lambda: _dead_letters(settings, topic, 1))

    assert await db.effects.count_documents({"key": "flaky"}) == 1
    assert await db.effects.count_documents({"key": "after"}) == 1
    assert await db.effects.count_documents({"key": "poison"}) == 0
    assert attempts["poison"] >= settings.consumer_max_attempts
    [letter] = await deadletters.list_dead_letters(settings.kafka_bootstrap_servers, topic.name)
    assert letter.headers["ce_id"] == poison.id
    assert letter.headers[deadletters.ATTEMPTS] == str(settings.consumer_max_attempts)
    assert letter.headers[deadletters.ERROR_TYPE] == "failed"
    assert "RuntimeError: cannot handle poison yet" in letter.reason

    # The cause is fixed; the dead letter is replayed onto its topic and applied once.
    broken.clear()
    assert await deadletters.replay(settings.kafka_bootstrap_servers, [letter]) == 1
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {"key": "poison"}, 1))
    assert await db.effects.count_documents({}) == 3


async def test_a_rejected_message_is_dead_lettered_without_retry(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    calls = 0

    async def refuse(event: Pinged, uow: PlumbingUnitOfWork) -> None:
        nonlocal calls
        calls += 1
        raise Reject("no such partnership here")

    await produce(
        settings.kafka_bootstrap_servers, topic.name, [wire(envelope(event_class(key="r", n=1)))]
    )
    async with running(settings, consumer_of(topic, event_class, refuse, "test.reject")):
        await eventually(lambda: _dead_letters(settings, topic, 1))
    [letter] = await deadletters.list_dead_letters(settings.kafka_bootstrap_servers, topic.name)
    assert letter.headers[deadletters.ERROR_TYPE] == "rejected"
    assert calls == 2  # in its batch, then once alone: no retry


async def test_an_event_in_flight_when_the_consumer_dies_is_delivered_again(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    started = asyncio.Event()

    async def hang(event: Pinged, uow: PlumbingUnitOfWork) -> None:
        started.set()
        await asyncio.sleep(3600)

    await produce(
        settings.kafka_bootstrap_servers, topic.name, [wire(envelope(event_class(key="x", n=1)))]
    )
    db = mongo[settings.database_name]
    dying = runtime_of(settings, consumer_of(topic, event_class, hang, "test.redeliver"))
    await dying.start()
    await asyncio.wait_for(started.wait(), 20)
    await dying.stop()  # stops mid-message: the offset must not be committed

    async with running(settings, consumer_of(topic, event_class, count_effects, "test.redeliver")):
        await eventually(lambda: _count(db, "effects", {"key": "x"}, 1))


async def _count(db: Any, collection: str, query: dict[str, Any], expected: int) -> bool:
    return bool(await db[collection].count_documents(query) == expected)


async def _inbox(db: Any, consumer: str, expected: int) -> bool:
    return await _count(db, INBOX, {"consumer": consumer}, expected)


async def _dead_letters(settings: ServiceSettings, topic: Topic, expected: int) -> bool:
    letters = await deadletters.list_dead_letters(settings.kafka_bootstrap_servers, topic.name)
    return len(letters) == expected


async def test_consumer_lag_counts_what_is_not_yet_applied(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    events = [envelope(event_class(key=f"l{n}", n=n)) for n in range(4)]
    await produce(settings.kafka_bootstrap_servers, topic.name, [wire(e) for e in events])
    consumer = consumer_of(topic, event_class, count_effects, "test.lag")
    assert await consumer_lag(settings.kafka_bootstrap_servers, [consumer]) == {"test.lag": 4}

    db = mongo[settings.database_name]
    async with running(settings, consumer):
        await eventually(lambda: _count(db, "effects", {}, 4))
        await eventually(lambda: _lag_is(settings, consumer, 0))


async def _lag_is(settings: ServiceSettings, consumer: EventConsumer, expected: int) -> bool:
    lag = await consumer_lag(settings.kafka_bootstrap_servers, [consumer])
    return lag[consumer.name] == expected
