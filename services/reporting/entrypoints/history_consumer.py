"""The Kafka side of the history: every event of the membership and events topics, with who
made it, in the batch's unit of work."""

from contracts import registry
from contracts.topics import EVENTS, MEMBERSHIP, Topic
from eventkit.consumer import EventConsumer
from services.reporting.service_layer.history import record_history

HISTORY = "reporting.history"
TOPICS = (MEMBERSHIP, EVENTS)


def history_consumers(name: str = HISTORY) -> list[EventConsumer]:
    """One consumer (and Kafka group `<name>.<topic's producer>`) per topic."""
    return [_consumer_of(topic, f"{name}.{topic.name.split('.')[1]}") for topic in TOPICS]


def _consumer_of(topic: Topic, name: str) -> EventConsumer:
    consumer = EventConsumer(name, topic)
    types = [cls for cls in registry.EVENT_TYPES.values() if cls.topic == topic]
    consumer.on_envelopes(*types)(record_history)
    return consumer
