"""Integration events and their CloudEvents 1.0 envelope in Kafka binary mode.

On the wire: the event data as the JSON value, the message key is the aggregate id, and the
CloudEvents attributes travel as `ce_*` headers. Correlation and causation ids, and the actor
(who made the change: a person id, `service:<name>` for a service's own work, or `caller:<hash>`
for a caller with no person id), are extension attributes. Headers carry ids and types only,
never personal data.
"""

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contracts.topics import Topic

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
CORRELATION_HEADER = "ce_correlationid"
CAUSATION_HEADER = "ce_causationid"
ACTOR_HEADER = "ce_actor"
REQUIRED_HEADERS = ("ce_id", "ce_source", "ce_type", "ce_specversion", "ce_time")


class InvalidEvent(ValueError):
    """A message that is not a valid event of ours: it belongs on the dead-letter topic."""


class IntegrationEvent(BaseModel):
    """Something that happened, in the past tense, that other services may act on.

    Within a version (`.v1`) changes are additive and optional. Consumers ignore unknown fields.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: ClassVar[str]
    topic: ClassVar[Topic]
    personal_fields: ClassVar[frozenset[str]] = frozenset()
    """Fields that hold personal data (only on the people topic, and in events no longer
    published): whoever keeps an event beyond its effect leaves them out."""
    tombstone: ClassVar[bool] = False
    """A tombstone travels as its key and headers with a null value: on a compacted topic it
    removes every earlier value of its key."""

    def aggregate_id(self) -> str:
        """The message key and CloudEvents subject: one entity's events stay in order."""
        raise NotImplementedError

    def public_data(self) -> dict[str, object]:
        """The event's data without its personal fields: what may be kept or passed on."""
        return self.model_dump(mode="json", exclude=set(self.personal_fields))

    @classmethod
    def from_tombstone(cls, subject: str) -> Self:
        """The event a tombstone of this type stands for, from its subject (the key)."""
        raise InvalidEvent(f"{cls.type} is not a tombstone: it must have data")


def _now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    """An event with its CloudEvents attributes."""

    model_config = ConfigDict(frozen=True)

    event: IntegrationEvent
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    time: datetime = Field(default_factory=_now)
    correlation_id: str | None = None
    causation_id: str | None = None
    actor: str | None = None

    @property
    def type(self) -> str:
        return self.event.type

    @property
    def subject(self) -> str:
        return self.event.aggregate_id()

    @property
    def topic(self) -> str:
        return self.event.topic.name

    def headers(self) -> dict[str, str]:
        headers = {
            "ce_id": self.id,
            "ce_source": self.source,
            "ce_type": self.type,
            "ce_specversion": SPEC_VERSION,
            "ce_time": self.time.isoformat(),
            "ce_subject": self.subject,
            "content-type": CONTENT_TYPE,  # on a tombstone too: CloudEvents SDKs refuse an empty one
        }
        headers[CORRELATION_HEADER] = self.correlation_id or self.id
        if self.causation_id:
            headers[CAUSATION_HEADER] = self.causation_id
        if self.actor:
            headers[ACTOR_HEADER] = self.actor
        return headers

    def key(self) -> bytes:
        return self.subject.encode()

    def value(self) -> bytes | None:
        if self.event.tombstone:
            return None
        return self.event.model_dump_json().encode()


class CloudEventHeaders(BaseModel):
    """The attributes read back from a message's headers."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str
    type: str
    specversion: str
    time: datetime
    subject: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    actor: str | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str | bytes]) -> "CloudEventHeaders":
        text = {k: v.decode() if isinstance(v, bytes) else v for k, v in headers.items()}
        missing = [h for h in REQUIRED_HEADERS if not text.get(h)]
        if missing:
            raise InvalidEvent(f"missing CloudEvents headers: {', '.join(missing)}")
        if text["ce_specversion"] != SPEC_VERSION:
            raise InvalidEvent(f"unsupported ce_specversion {text['ce_specversion']!r}")
        try:
            return cls(
                id=text["ce_id"],
                source=text["ce_source"],
                type=text["ce_type"],
                specversion=text["ce_specversion"],
                time=text["ce_time"],
                subject=text.get("ce_subject"),
                correlation_id=text.get(CORRELATION_HEADER),
                causation_id=text.get(CAUSATION_HEADER),
                actor=text.get(ACTOR_HEADER),
            )
        except ValidationError as exc:
            raise InvalidEvent(f"bad CloudEvents headers: {exc.errors()[0]['msg']}") from exc
