"""A consumer written with the CloudEvents SDK alone reads our messages off the real broker.

The messages go out the way every service sends them: a unit of work commits them into the
outbox of a real database, and the outbox relay publishes them with the service broker. They
are read back with a plain aiokafka consumer and converted with nothing but the CloudEvents SDK
(PyPI `cloudevents`), as a council system would.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from cloudevents.core.base import BaseCloudEvent
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event
from pymongo import AsyncMongoClient

from contracts.envelope import Envelope, IntegrationEvent
from contracts.membership import PartnershipCreated, PersonAdded, SchoolJoined
from contracts.people import PersonContact, PersonContactErased
from contracts.registry import decode
from contracts.topics import MEMBERSHIP, PEOPLE
from contracts.vocabulary import (
    ActivityCategory,
    MembershipRole,
    PartnershipKind,
    PartnershipStatus,
)
from eventkit import context
from eventkit.kafka import make_broker
from eventkit.outbox import OutboxRelay
from eventkit.settings import ServiceSettings
from eventkit.topics import ensure_topics
from eventkit.unit_of_work import MongoUnitOfWork

SOURCE = "/school-partnerships/contract-test"

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(kafka_bootstrap: str, mongodb_uri: str, unique_name: str) -> ServiceSettings:
    return ServiceSettings(
        service_name="contract-test",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_uri=mongodb_uri,
        mongodb_database=f"contract_{unique_name}",
        log_format="console",
    )


@pytest.fixture
async def mongo(settings: ServiceSettings) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_uri)
    yield client
    await client.close()


async def publish_through_outbox(
    mongo: AsyncMongoClient[dict[str, Any]],
    settings: ServiceSettings,
    events: list[IntegrationEvent],
    *,
    correlation_id: str,
    causation_id: str,
) -> list[Envelope]:
    """Commit the events into the outbox as a handler would, then let the relay publish them.

    Run it as a task of its own, like a request: the ids it begins do not leak into other tests.
    """
    context.begin(correlation_id, causation_id=causation_id)
    await ensure_topics(settings.kafka_bootstrap_servers, [MEMBERSHIP, PEOPLE])
    db = mongo[settings.database_name]
    async with MongoUnitOfWork(mongo, db, source=SOURCE) as uow:
        uow.record(events)
        envelopes: list[Envelope] = (await uow.commit()).envelopes
    broker = make_broker(settings)
    await broker.start()
    try:
        assert await OutboxRelay(db, broker).drain() == len(events)
    finally:
        await broker.stop()
    return envelopes


async def read_ours(
    bootstrap: str, ids: set[str], timeout: float = 20
) -> dict[str, ConsumerRecord[bytes, bytes]]:
    """Our records from the shared topics, by CloudEvents id (other tests publish there too)."""
    consumer = AIOKafkaConsumer(
        MEMBERSHIP.name,
        PEOPLE.name,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=None,
    )
    await consumer.start()
    found: dict[str, ConsumerRecord[bytes, bytes]] = {}
    try:
        deadline = time.monotonic() + timeout
        while found.keys() < ids and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    ce_id = dict(record.headers).get("ce_id", b"").decode()
                    if ce_id in ids:
                        found[ce_id] = record
    finally:
        await consumer.stop()
    assert found.keys() == ids, f"missing: {ids - found.keys()}"
    return found


def as_cloudevent(record: ConsumerRecord[bytes, bytes]) -> BaseCloudEvent:
    """What a consumer with only the CloudEvents SDK does with a Kafka record."""
    message = KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value or b"")
    return from_binary_event(message)


async def test_a_cloudevents_sdk_consumer_reads_our_messages(
    mongo: AsyncMongoClient[dict[str, Any]], settings: ServiceSettings, unique_name: str
) -> None:
    partnership_id, person_id = f"p-{unique_name}", f"person-{unique_name}"
    name, email = f"Ada Lovelace {unique_name}", f"ada.{unique_name}@example.org"
    events: list[IntegrationEvent] = [
        PartnershipCreated(
            partnership_id=partnership_id,
            name="Fenland Learning Partnership",
            kind=PartnershipKind.CLUSTER,
            aims=[ActivityCategory.STEM, ActivityCategory.TEACHER_DEVELOPMENT],
            area=["873"],
            status=PartnershipStatus.FORMING,
            created_at=datetime(2025, 9, 1, 8, 30, tzinfo=UTC),
        ),
        SchoolJoined(
            partnership_id=partnership_id,
            urn="110001",
            role=MembershipRole.FOUNDER,
            joined_on=date(2025, 9, 2),
        ),
        PersonAdded(person_id=person_id),
        PersonContact(person_id=person_id, name=name, email=email, job_title="Head of Science"),
    ]
    envelopes = []
    for commit in (events, [PersonContactErased(person_id=person_id)]):
        envelopes += await asyncio.create_task(
            publish_through_outbox(
                mongo,
                settings,
                commit,
                correlation_id=f"corr-{unique_name}",
                causation_id=f"cause-{unique_name}",
            )
        )
    records = await read_ours(settings.kafka_bootstrap_servers, {e.id for e in envelopes})

    for envelope in envelopes:
        record = records[envelope.id]
        event = as_cloudevent(record)
        aggregate_id = envelope.event.aggregate_id()
        assert event.get_id() == envelope.id
        assert event.get_source() == SOURCE
        assert event.get_type() == envelope.event.type
        assert event.get_specversion() == "1.0"
        assert event.get_time() == envelope.time
        assert event.get_subject() == aggregate_id
        assert event.get_extension("correlationid") == f"corr-{unique_name}"
        assert event.get_extension("causationid") == f"cause-{unique_name}"
        assert event.get_datacontenttype() == "application/json"
        if envelope.event.tombstone:
            assert record.value is None  # a real tombstone, which compaction acts on
            assert not event.get_data()
        else:
            assert event.get_data() == json.loads(envelope.event.model_dump_json())
        assert record.topic == envelope.topic
        assert record.key == aggregate_id.encode()
        assert event.get_extension("partitionkey") == aggregate_id
        # and our own decoding reads the same message back into the same event
        decoded = decode(dict(record.headers), record.value)
        assert decoded is not None
        assert decoded.event == envelope.event

    added, contact = records[envelopes[2].id], records[envelopes[3].id]
    assert added.topic == MEMBERSHIP.name and name.encode() not in (added.value or b"")
    assert contact.topic == PEOPLE.name
    assert name.encode() in (contact.value or b"") and email.encode() in (contact.value or b"")
    for header, value in contact.headers:
        assert name.encode() not in value and email.encode() not in value, header
