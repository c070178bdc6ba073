"""The event language of the school partnership platform.

Pure pydantic: no I/O. Any council system can import this package to read our events.
"""

from contracts.envelope import CloudEventHeaders, Envelope, IntegrationEvent, InvalidEvent
from contracts.registry import EVENT_TYPES, decode, event_class
from contracts.topics import ALL_TOPICS, MEMBERSHIP, Topic

__all__ = [
    "ALL_TOPICS",
    "EVENT_TYPES",
    "MEMBERSHIP",
    "CloudEventHeaders",
    "Envelope",
    "IntegrationEvent",
    "InvalidEvent",
    "Topic",
    "decode",
    "event_class",
]
