"""Rebuild the read model from the log: `python -m services.reporting.rebuild`.

Run it while the reporting service is stopped (it refuses otherwise). It moves the consumer
group back to the first offset of every partition, then drops the read model and the consumer's
inbox entries. The next start replays every membership event from offset 0. The history of
records (`reporting.history.*`, consumers of their own) is left as it is. Settings come from the
same environment variables as the service itself.

Offsets go first: if the drop fails after them, the next start replays into the old read model,
where the inbox recognises every event. The read model stays as it was, and running the rebuild
again finishes it.
"""

import asyncio
import sys
from dataclasses import dataclass

from eventkit import mongo
from services.reporting.adapters import read_model
from services.reporting.adapters.consumer_group import GroupStillActive, reset_to_beginning
from services.reporting.bootstrap import ReportingSettings, composition_consumer


@dataclass(frozen=True)
class Rebuilt:
    consumer: str
    topic: str
    offsets: dict[int, int]
    """The offset each partition restarts from."""
    dropped: dict[str, int]
    """How many documents each dropped collection had (`inbox`: this consumer's entries)."""


async def rebuild(settings: ReportingSettings) -> Rebuilt:
    consumer = composition_consumer(settings)
    offsets = await reset_to_beginning(
        settings.kafka_bootstrap_servers, consumer.name, consumer.topic.name
    )
    client = mongo.connect(settings)
    try:
        dropped = await read_model.drop(mongo.database(client, settings), consumer.name)
    finally:
        await client.close()
    return Rebuilt(consumer.name, consumer.topic.name, offsets, dropped)


def main() -> int:
    settings = ReportingSettings()
    try:
        done = asyncio.run(rebuild(settings))
    except GroupStillActive as exc:
        print(f"rebuild refused, nothing changed: {exc}", file=sys.stderr)
        return 1
    dropped = ", ".join(f"{name} {count}" for name, count in done.dropped.items())
    print(
        f"read model of {done.consumer} dropped in database {settings.database_name} "
        f"({dropped}); consumer group {done.consumer} reset to the beginning of {done.topic} "
        f"({len(done.offsets)} partition(s)). Start the reporting service: it replays every "
        "event from offset 0."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
