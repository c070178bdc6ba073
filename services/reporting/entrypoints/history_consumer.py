"""The Kafka side of the history: every event of the membership and events topics, with who
made it, in the batch's unit of work."""

from contracts.topics import EVENTS, MEMBERSHIP
from eventkit.consumer import EventConsumer, every_event_consumers
from services.reporting.service_layer.history import record_history

HISTORY = "reporting.history"


def history_consumers(name: str = HISTORY) -> list[EventConsumer]:
    return every_event_consumers(name, (MEMBERSHIP, EVENTS), record_history)
