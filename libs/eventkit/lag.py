"""Consumer lag: how many messages each of a service's consumer groups has yet to apply."""

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from eventkit.consumer import EventConsumer
from eventkit.kafka import admin_client


async def consumer_lag(bootstrap_servers: str, consumers: list[EventConsumer]) -> dict[str, int]:
    """Messages on each consumer's topic past its group's committed offsets."""
    if not consumers:
        return {}
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None)
    async with admin_client(bootstrap_servers) as admin:
        await reader.start()
        try:
            return await _lag(admin, reader, consumers)
        finally:
            await reader.stop()


async def _lag(
    admin: AIOKafkaAdminClient, reader: AIOKafkaConsumer, consumers: list[EventConsumer]
) -> dict[str, int]:
    await reader.topics()
    lag: dict[str, int] = {}
    for consumer in consumers:
        topic = consumer.topic.name
        partitions = [
            TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or ())
        ]
        ends = await reader.end_offsets(partitions) if partitions else {}
        committed = await admin.list_consumer_group_offsets(consumer.name, partitions=partitions)
        lag[consumer.name] = sum(
            end - max(committed[tp].offset, 0) if tp in committed else end
            for tp, end in ends.items()
        )
    return lag
