"""Rebuild the read models from the log: `python -m services.reporting.rebuild`.

Run it while the reporting service is stopped (it refuses otherwise). For each projection (the
composition, from membership's topic; participation, from the events service's), it moves the
consumer group back to the first offset of every partition, then drops the projection's
collections and the consumer's inbox entries. The next start replays every event from offset 0. The history of
records (`reporting.history.*`, consumers of their own) is left as it is. Settings come from the
same environment variables as the service itself.

Offsets go first: if the drop fails after them, the next start replays into the old read model,
where the inbox recognises every event. The read model stays as it was, and running the rebuild
again finishes it.
"""

import asyncio
import sys
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from eventkit import mongo
from eventkit.consumer import INBOX, EventConsumer
from services.reporting.adapters import participation, read_model
from services.reporting.adapters.consumer_group import (
    GroupStillActive,
    active_members,
    reset_to_beginning,
)
from services.reporting.bootstrap import (
    ReportingSettings,
    composition_consumer,
    participation_consumer,
)


@dataclass(frozen=True)
class Rebuilt:
    consumer: str
    topic: str
    offsets: dict[int, int]
    """The offset each partition restarts from."""
    dropped: dict[str, int]
    """How many documents each dropped collection had (`inbox`: this consumer's entries)."""


Projection = tuple[EventConsumer, tuple[str, ...]]


def projections(settings: ReportingSettings) -> list[Projection]:
    """Each rebuilt projection: its consumer, and the collections it alone writes."""
    return [
        (composition_consumer(settings), read_model.COLLECTIONS),
        (participation_consumer(settings), participation.COLLECTIONS),
    ]


async def _drop(
    db: AsyncDatabase[dict[str, Any]], collections: tuple[str, ...], consumer: str
) -> dict[str, int]:
    """Drop the collections and the consumer's inbox entries; how many documents each had."""
    dropped = {name: await db[name].count_documents({}) for name in collections}
    for name in collections:
        await db.drop_collection(name)
    dropped[INBOX] = (await db[INBOX].delete_many({"consumer": consumer})).deleted_count
    return dropped


async def rebuild(settings: ReportingSettings) -> list[Rebuilt]:
    """Every group is checked for members before any is reset, and reset before anything is
    dropped."""
    for consumer, _ in projections(settings):
        if members := await active_members(settings.kafka_bootstrap_servers, consumer.name):
            raise GroupStillActive(
                f"consumer group {consumer.name} has {members} active member(s): "
                "stop the service first"
            )
    done: list[tuple[EventConsumer, tuple[str, ...], dict[int, int]]] = []
    for consumer, collections in projections(settings):
        offsets = await reset_to_beginning(
            settings.kafka_bootstrap_servers, consumer.name, consumer.topic.name
        )
        done.append((consumer, collections, offsets))
    client = mongo.connect(settings)
    try:
        db = mongo.database(client, settings)
        return [
            Rebuilt(
                consumer.name, consumer.topic.name, offsets, await _drop(db, names, consumer.name)
            )
            for consumer, names, offsets in done
        ]
    finally:
        await client.close()


def main() -> int:
    settings = ReportingSettings()
    try:
        done = asyncio.run(rebuild(settings))
    except GroupStillActive as exc:
        print(f"rebuild refused, nothing changed: {exc}", file=sys.stderr)
        return 1
    for one in done:
        dropped = ", ".join(f"{name} {count}" for name, count in one.dropped.items())
        print(
            f"read model of {one.consumer} dropped in database {settings.database_name} "
            f"({dropped}); consumer group {one.consumer} reset to the beginning of {one.topic} "
            f"({len(one.offsets)} partition(s))."
        )
    print("Start the reporting service: it replays every event from offset 0.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
