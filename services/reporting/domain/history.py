"""The history of a record: every event that concerns it, what changed, when and by whom.

Kept from the log itself, with ids only: an event concerns each record whose id it carries in
one of the fields named in `REFERENCES`.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from contracts.envelope import Envelope


class RecordKind(StrEnum):
    PARTNERSHIP = "partnership"
    SCHOOL = "school"
    PERSON = "person"
    ACTIVITY = "activity"
    BOOKING = "booking"
    CASE_STUDY = "case_study"
    SUPPORT = "support"


REFERENCES: dict[str, RecordKind] = {
    "partnership_id": RecordKind.PARTNERSHIP,
    "urn": RecordKind.SCHOOL,
    "urns": RecordKind.SCHOOL,
    "host_urn": RecordKind.SCHOOL,
    "requesting_urn": RecordKind.SCHOOL,
    "supporting_urn": RecordKind.SCHOOL,
    "previous_supporting_urn": RecordKind.SCHOOL,
    "person_id": RecordKind.PERSON,
    "previous_person_id": RecordKind.PERSON,
    "activity_id": RecordKind.ACTIVITY,
    "activity_ids": RecordKind.ACTIVITY,
    "booking_id": RecordKind.BOOKING,
    "case_study_id": RecordKind.CASE_STUDY,
    "engagement_id": RecordKind.SUPPORT,
}
"""Event fields that name a record (a string or a list of them), and the kind of record."""


def record_key(kind: RecordKind, record_id: str) -> str:
    return f"{kind.value}:{record_id}"


class HistoryEntry(BaseModel):
    event_id: str = Field(description="The CloudEvents id")
    type: str = Field(description="What happened: the event type, e.g. events.booking_placed.v1")
    at: datetime = Field(description="When it happened")
    by: str | None = Field(
        description="Who: a person id, `service:<name>`, `caller:<hash>`; null before it was kept"
    )
    source: str = Field(description="The service that recorded it")
    changes: dict[str, Any] = Field(description="The event's data: ids and values, no names")
    records: list[str] = Field(description="Every record it concerns, as `<kind>:<id>`")


def history_entry(envelope: Envelope) -> HistoryEntry:
    event = envelope.event
    changes = event.public_data()
    records: list[str] = []
    for field, kind in REFERENCES.items():
        value = changes.get(field)
        for record_id in value if isinstance(value, list) else [value]:
            if isinstance(record_id, str) and record_key(kind, record_id) not in records:
                records.append(record_key(kind, record_id))
    return HistoryEntry(
        event_id=envelope.id,
        type=envelope.type,
        at=envelope.time,
        by=envelope.actor,
        source=envelope.source,
        changes=changes,
        records=records,
    )
