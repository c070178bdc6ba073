"""Whether a Kafka consumer group has members: a running service that consumes with it."""

from eventkit.kafka import admin_client


async def active_members(bootstrap_servers: str, group_id: str) -> int:
    """How many consumers are members of the group now (0 when it is empty or unknown)."""
    async with admin_client(bootstrap_servers) as admin:
        # One group per request: some Kafka-protocol brokers answer several badly.
        responses = await admin.describe_consumer_groups([group_id])
    # DescribeGroups response: (error_code, group_id, state, protocol_type, protocol, members, ...)
    return sum(len(group[5]) for response in responses for group in response.groups)
