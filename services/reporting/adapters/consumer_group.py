"""A Kafka consumer group's committed offsets: moved back to the beginning for a rebuild."""

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import CommitFailedError

from eventkit.kafka import admin_client


class GroupStillActive(RuntimeError):
    """The group has members: the service that consumes with it is still running."""


async def active_members(bootstrap_servers: str, group_id: str) -> int:
    """How many consumers are members of the group now (0 when it is empty or unknown)."""
    async with admin_client(bootstrap_servers) as admin:
        # One group per request: some Kafka-protocol brokers answer several badly.
        responses = await admin.describe_consumer_groups([group_id])
    # DescribeGroups response: (error_code, group_id, state, protocol_type, protocol, members, ...)
    return sum(len(group[5]) for response in responses for group in response.groups)


async def reset_to_beginning(bootstrap_servers: str, group_id: str, topic: str) -> dict[int, int]:
    """Commit the first offset of every partition of `topic` for the group; return them.

    Refuses while the group has members, so a running consumer never loses its place unseen.
    """
    if members := await active_members(bootstrap_servers, group_id):
        raise GroupStillActive(
            f"consumer group {group_id} has {members} active member(s): stop the service first"
        )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        await consumer.topics()  # fetches fresh metadata
        partitions = [
            TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return {}
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        offsets = {tp: await consumer.position(tp) for tp in partitions}
        try:
            await consumer.commit(offsets)
        except CommitFailedError as exc:
            raise GroupStillActive(
                f"consumer group {group_id} was joined meanwhile: stop the service first"
            ) from exc
        return {tp.partition: offset for tp, offset in offsets.items()}
    finally:
        await consumer.stop()
