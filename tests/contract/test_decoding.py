"""Reading a message back into an event: what is rejected (and why), what is skipped, and what
a tolerant reader ignores."""

import json
from datetime import date

import pytest
from cloudevents.core.bindings.kafka import to_binary_event
from cloudevents.core.v1.event import CloudEvent

from contracts.envelope import Envelope, InvalidEvent
from contracts.membership import SchoolJoined
from contracts.registry import decode
from contracts.vocabulary import MembershipRole

JOINED = SchoolJoined(
    partnership_id="p-1", urn="110001", role=MembershipRole.MEMBER, joined_on=date(2025, 9, 2)
)


def wire(envelope: Envelope) -> tuple[dict[str, bytes], bytes]:
    """Headers and value as a Kafka client hands them over: bytes."""
    return {k: v.encode() for k, v in envelope.headers().items()}, envelope.value()


def test_a_message_decodes_to_the_event_and_its_attributes() -> None:
    envelope = Envelope(event=JOINED, source="/test", correlation_id="c-1", causation_id="e-0")
    headers, value = wire(envelope)

    decoded = decode(headers, value)

    assert decoded == envelope


def test_missing_type_header_is_rejected_naming_it() -> None:
    headers, value = wire(Envelope(event=JOINED, source="/test"))
    del headers["ce_type"]

    with pytest.raises(InvalidEvent, match="missing CloudEvents headers: ce_type"):
        decode(headers, value)


def test_invalid_json_body_is_rejected_naming_the_type() -> None:
    headers, _ = wire(Envelope(event=JOINED, source="/test"))

    with pytest.raises(InvalidEvent, match=r"membership\.school_joined\.v1: data: Invalid JSON"):
        decode(headers, b'{"partnership_id": "p-1", ')


def test_data_missing_a_required_field_is_rejected_naming_the_field() -> None:
    headers, value = wire(Envelope(event=JOINED, source="/test"))
    data = json.loads(value)
    del data["urn"]

    with pytest.raises(InvalidEvent, match=r"membership\.school_joined\.v1: urn: Field required"):
        decode(headers, json.dumps(data).encode())


def test_an_unknown_event_type_decodes_to_none() -> None:
    headers, value = wire(Envelope(event=JOINED, source="/test"))
    headers["ce_type"] = b"membership.school_joined.v9"

    assert decode(headers, value) is None


def test_unknown_fields_in_the_data_are_ignored() -> None:
    headers, value = wire(Envelope(event=JOINED, source="/test"))
    data = {**json.loads(value), "joined_via": "county invitation", "pupils": {"year7": 120}}

    decoded = decode(headers, json.dumps(data).encode())

    assert decoded is not None
    assert decoded.event == JOINED


def test_a_message_written_with_the_cloudevents_sdk_decodes() -> None:
    """Tolerance the other way round: `Z` times and SDK-written headers are read as ours."""
    sdk_event = CloudEvent(
        attributes={
            "type": SchoolJoined.type,
            "source": "/council/sync",
            "subject": "p-1",
            "datacontenttype": "application/json",
            "correlationid": "c-42",
        },
        data=json.loads(JOINED.model_dump_json()),
    )
    message = to_binary_event(sdk_event)
    assert message.headers["ce_time"].endswith(b"Z")

    decoded = decode(message.headers, message.value)

    assert decoded is not None
    assert decoded.event == JOINED
    assert decoded.id == sdk_event.get_id()
    assert decoded.time == sdk_event.get_time()
    assert decoded.correlation_id == "c-42"
