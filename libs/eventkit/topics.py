"""Create the declared topics (partitions, retention, compaction) if they do not exist yet.

Run as `python -m eventkit.topics` against KAFKA_BOOTSTRAP_SERVERS.
"""

import asyncio
import contextlib
from collections.abc import Iterable

from aiokafka.admin import NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from contracts.topics import ALL_TOPICS, Topic
from eventkit.kafka import admin_client
from eventkit.settings import ServiceSettings


async def ensure_topics(bootstrap_servers: str, topics: Iterable[Topic] = ALL_TOPICS) -> list[str]:
    """Create what is missing; return the names created."""
    async with admin_client(bootstrap_servers) as admin:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t.name not in existing]
        for topic in missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(
                            topic.name,
                            num_partitions=topic.partitions,
                            replication_factor=topic.replication_factor,
                            topic_configs=topic.configs(),
                        )
                    ]
                )
        return [t.name for t in missing]


def main() -> None:
    settings = ServiceSettings()
    created = asyncio.run(ensure_topics(settings.kafka_bootstrap_servers))
    print(f"topics created: {', '.join(created) or 'none (all exist)'}")


if __name__ == "__main__":
    main()
