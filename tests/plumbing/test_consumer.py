"""Idempotent consumers, bounded retry, dead letters and redelivery on the real broker."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from pymongo import AsyncMongoClient

from contracts.envelope import Envelope
from contracts.topics import Topic
from eventkit import deadletters
from eventkit.consumer import INBOX, Delivery, EventConsumer, Reject
from eventkit.lag import consumer_lag
from eventkit.runtime import ServiceRuntime
from eventkit.settings import ServiceSettings
from support.kafka import Pinged, produce, wire

Effect = Callable[[Pinged, Delivery], Awaitable[None]]


async def count_effects(event: Pinged, delivery: Delivery) -> None:
    await delivery.db.effects.insert_one({"key": event.key, "n": event.n}, session=delivery.session)


def consumer_of(
    topic: Topic, event_class: type[Pinged], effect: Effect, name: str
) -> EventConsumer:
    consumer = EventConsumer(name, topic)
    consumer.on(event_class)(effect)
    return consumer


@asynccontextmanager
async def running(settings: ServiceSettings, consumer: EventConsumer) -> AsyncIterator[None]:
    runtime = ServiceRuntime(settings, consumers=[consumer])
    await runtime.start()
    try:
        yield
    finally:
        await runtime.stop()


async def wait_until(check: Callable[[], Awaitable[bool]], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


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
        await wait_until(lambda: _count(db, "effects", {"key": "b"}, 1))
        await asyncio.sleep(0.5)

    assert await db.effects.count_documents({"key": "a"}) == 1
    assert await db[INBOX].count_documents({"event_id": first.id}) == 1


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
        await wait_until(lambda: _count(db, "effects", {"key": "good"}, 1))

    letters = await deadletters.list_dead_letters(settings.kafka_bootstrap_servers, topic.name)
    assert len(letters) == 2
    reasons = sorted(letter.reason for letter in letters)
    assert "missing CloudEvents headers: ce_id" in reasons[0]
    assert "test.pinged.v1: n: Field required" in reasons[1]
    assert {letter.headers[deadletters.ERROR_TYPE] for letter in letters} == {"invalid"}
    assert {letter.headers[deadletters.CONSUMER] for letter in letters} == {"test.malformed"}
    assert {letter.value for letter in letters} == {b'{"key": "bad"}', b"{}"}


async def test_a_failing_handler_is_retried_then_dead_lettered_and_can_be_replayed(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    attempts: dict[str, int] = {}
    broken = {"poison"}

    async def flaky(event: Pinged, delivery: Delivery) -> None:
        attempts[event.key] = attempts.get(event.key, 0) + 1
        if event.key in broken or (event.key == "flaky" and attempts[event.key] < 3):
            raise RuntimeError(f"cannot handle {event.key} yet")
        await count_effects(event, delivery)

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
        await wait_until(lambda: _count(db, "effects", {"key": "after"}, 1))

    assert attempts == {"poison": settings.consumer_max_attempts, "flaky": 3, "after": 1}
    assert await db.effects.count_documents({"key": "flaky"}) == 1
    assert await db.effects.count_documents({"key": "poison"}) == 0
    [letter] = await deadletters.list_dead_letters(settings.kafka_bootstrap_servers, topic.name)
    assert letter.headers["ce_id"] == poison.id
    assert letter.headers[deadletters.ATTEMPTS] == str(settings.consumer_max_attempts)
    assert letter.headers[deadletters.ERROR_TYPE] == "failed"
    assert "RuntimeError: cannot handle poison yet" in letter.reason

    # The cause is fixed; the dead letter is replayed onto its topic and applied once.
    broken.clear()
    assert await deadletters.replay(settings.kafka_bootstrap_servers, [letter]) == 1
    async with running(settings, consumer):
        await wait_until(lambda: _count(db, "effects", {"key": "poison"}, 1))
    assert await db.effects.count_documents({}) == 3


async def test_a_rejected_message_is_dead_lettered_without_retry(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    calls = 0

    async def refuse(event: Pinged, delivery: Delivery) -> None:
        nonlocal calls
        calls += 1
        raise Reject("no such partnership here")

    await produce(
        settings.kafka_bootstrap_servers, topic.name, [wire(envelope(event_class(key="r", n=1)))]
    )
    async with running(settings, consumer_of(topic, event_class, refuse, "test.reject")):
        await wait_until(lambda: _dead_letters(settings, topic, 1))
    assert calls == 1


async def test_an_event_in_flight_when_the_consumer_dies_is_delivered_again(
    settings: ServiceSettings,
    mongo: AsyncMongoClient[dict[str, Any]],
    topic: Topic,
    event_class: type[Pinged],
) -> None:
    started = asyncio.Event()

    async def hang(event: Pinged, delivery: Delivery) -> None:
        started.set()
        await asyncio.sleep(3600)

    await produce(
        settings.kafka_bootstrap_servers, topic.name, [wire(envelope(event_class(key="x", n=1)))]
    )
    db = mongo[settings.database_name]
    dying = ServiceRuntime(
        settings, consumers=[consumer_of(topic, event_class, hang, "test.redeliver")]
    )
    await dying.start()
    await asyncio.wait_for(started.wait(), 20)
    await dying.stop()  # stops mid-message: the offset must not be committed

    async with running(settings, consumer_of(topic, event_class, count_effects, "test.redeliver")):
        await wait_until(lambda: _count(db, "effects", {"key": "x"}, 1))


async def _count(db: Any, collection: str, query: dict[str, Any], expected: int) -> bool:
    return bool(await db[collection].count_documents(query) == expected)


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
        await wait_until(lambda: _count(db, "effects", {}, 4))
        await wait_until(lambda: _lag_is(settings, consumer, 0))


async def _lag_is(settings: ServiceSettings, consumer: EventConsumer, expected: int) -> bool:
    lag = await consumer_lag(settings.kafka_bootstrap_servers, [consumer])
    return lag[consumer.name] == expected
