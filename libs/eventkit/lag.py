"""Consumer lag: how many messages each of a service's consumer groups has yet to apply."""

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from eventkit.consumer import EventConsumer


async def consumer_lag(bootstrap_servers: str, consumers: list[EventConsumer]) -> dict[str, int]:
    """Messages on each consumer's topic past its group's committed offsets."""
    if not consumers:
        return {}
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, group_id=None)
    await admin.start()
    await reader.start()
    try:
        await reader.topics()
        lag: dict[str, int] = {}
        for consumer in consumers:
            topic = consumer.topic.name
            partitions = [
                TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or ())
            ]
            ends = await reader.end_offsets(partitions) if partitions else {}
            committed = await admin.list_consumer_group_offsets(
                consumer.name, partitions=partitions
            )
            lag[consumer.name] = sum(
                end - max(committed[tp].offset, 0) if tp in committed else end
                for tp, end in ends.items()
            )
        return lag
    finally:
        await reader.stop()
        await admin.close()
