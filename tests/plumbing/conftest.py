"""Plumbing tests: a test event on a topic of its own, and a runtime to consume it."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from contracts.topics import Topic
from eventkit.settings import ServiceSettings
from eventkit.topics import ensure_topics
from support.kafka import Pinged, pinged_on


@pytest.fixture
async def topic(kafka_bootstrap: str, unique_name: str) -> Topic:
    topic = Topic(f"test.plumbing.{unique_name}", partitions=2)
    await ensure_topics(kafka_bootstrap, [topic, topic.dead_letters])
    return topic


@pytest.fixture
def event_class(topic: Topic) -> type[Pinged]:
    return pinged_on(topic)


@pytest.fixture
def settings(kafka_bootstrap: str, mongodb_uri: str, unique_name: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="plumbing-test",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_uri=mongodb_uri,
        mongodb_database=f"plumbing_{unique_name}",
        relay_poll_seconds=0.1,
        consumer_max_attempts=3,
        consumer_backoff_seconds=0.05,
        log_format="console",
    )


@pytest.fixture
async def mongo(settings: ServiceSettings) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_uri)
    yield client
    await client.close()
