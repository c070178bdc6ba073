"""The Kafka side of webhooks: every event of the topics council systems may subscribe to
(never the people topic) becomes a delivery for each subscription that wants it."""

from eventkit.consumer import EventConsumer, every_event_consumers
from services.notifications.service_layer.webhooks import TOPICS, queue_deliveries

WEBHOOKS = "notifications.webhooks"


def webhook_consumers(name: str = WEBHOOKS) -> list[EventConsumer]:
    return every_event_consumers(name, TOPICS, queue_deliveries)
