"""Every event type we publish, and decoding a Kafka message back into an envelope."""

from collections.abc import Mapping

from pydantic import ValidationError

from contracts import (
    activities,
    attendance,
    case_studies,
    membership,
    notifications,
    peer_review,
    people,
    placements,
    publications,
    reporting,
    support,
)
from contracts.envelope import CloudEventHeaders, Envelope, IntegrationEvent, InvalidEvent

PRODUCERS = (
    membership,
    people,
    activities,
    attendance,
    case_studies,
    support,
    peer_review,
    placements,
    publications,
    notifications,
    reporting,
)

EVENT_TYPES: dict[str, type[IntegrationEvent]] = {
    cls.type: cls for module in PRODUCERS for cls in module.EVENTS
}


def event_class(event_type: str) -> type[IntegrationEvent] | None:
    return EVENT_TYPES.get(event_type)


def decode(
    headers: Mapping[str, str | bytes],
    value: bytes | None,
    types: Mapping[str, type[IntegrationEvent]] = EVENT_TYPES,
) -> Envelope | None:
    """The envelope of a message, or None for an event type not among `types`.

    Raises InvalidEvent when the headers or the data are not a valid event. A null value is a
    tombstone, read from its subject.
    """
    attributes = CloudEventHeaders.from_headers(headers)
    cls = types.get(attributes.type)
    if cls is None:
        return None
    try:
        if cls.tombstone:
            if value or not attributes.subject:
                raise InvalidEvent(f"{attributes.type}: a tombstone has a subject and no data")
            event = cls.from_tombstone(attributes.subject)
        else:
            event = cls.model_validate_json(value or b"")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "data"
        raise InvalidEvent(f"{attributes.type}: {where}: {first['msg']}") from exc
    return Envelope(
        event=event,
        id=attributes.id,
        source=attributes.source,
        time=attributes.time,
        correlation_id=attributes.correlation_id,
        causation_id=attributes.causation_id,
        actor=attributes.actor,
    )
