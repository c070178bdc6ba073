"""History entries from envelopes, and who may read them: against a fake store."""

from datetime import UTC, date, datetime

import pytest

from contracts import membership as m
from contracts.activities import BookingSubstituted
from contracts.envelope import Envelope
from contracts.vocabulary import MembershipRole
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden
from services.reporting.domain.history import HistoryEntry, RecordKind, history_entry
from services.reporting.service_layer.history import history_of, record_history

AT = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)
OFFICER = Principal(sub="officer", role=Role.COUNTY_OFFICER)


class FakeHistory:
    def __init__(self) -> None:
        self.entries: list[HistoryEntry] = []

    async def add(self, entries: list[HistoryEntry]) -> None:
        self.entries += entries

    async def of(self, record: str, limit: int) -> list[HistoryEntry]:
        return sorted((e for e in self.entries if record in e.records), key=lambda e: e.at)[:limit]


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.history = FakeHistory()


def envelope(event: m.IntegrationEvent, actor: str | None = "person-1") -> Envelope:
    return Envelope(event=event, source="/test", time=AT, actor=actor)


def test_an_entry_names_every_record_the_event_concerns() -> None:
    joined = m.SchoolJoined(
        partnership_id="p1", urn="110001", role=MembershipRole.MEMBER, joined_on=date(2026, 9, 1)
    )
    entry = history_entry(envelope(joined))
    assert entry.records == ["partnership:p1", "school:110001"]
    assert (entry.type, entry.at, entry.by, entry.source) == (joined.type, AT, "person-1", "/test")
    assert entry.changes["role"] == "member"


def test_a_substitution_concerns_both_people_and_the_booking() -> None:
    event = BookingSubstituted(
        activity_id="a1", booking_id="b1", urn="110001", person_id="new", previous_person_id="old"
    )
    records = history_entry(envelope(event)).records
    assert records == [
        "school:110001",
        "person:new",
        "person:old",
        "activity:a1",
        "booking:b1",
    ]


def test_an_entry_of_an_event_no_longer_published_leaves_out_the_personal_data() -> None:
    old = m.PersonAddedV1(person_id="pp", name="Pat Park", email="pat@example.org")
    entry = history_entry(envelope(old))
    assert entry.changes == {"person_id": "pp"}
    assert entry.records == ["person:pp"]


async def test_officers_read_the_history_in_order_and_no_one_else() -> None:
    uow = FakeUnitOfWork()
    added = envelope(m.PersonAdded(person_id="pp"), actor=None)
    ended = envelope(m.RoleEnded(person_id="pp", role_id="r1", ended_on=date(2026, 9, 2)))
    await record_history([added, ended], uow)

    shown = await history_of(uow.history, OFFICER, RecordKind.PERSON, "pp", limit=10)
    assert [(e.type, e.by) for e in shown] == [
        ("membership.person_added.v2", None),
        ("membership.role_ended.v1", "person-1"),
    ]
    assert await history_of(uow.history, OFFICER, RecordKind.SCHOOL, "pp", limit=10) == []
    for role in (Role.PARTNERSHIP_COORDINATOR, Role.SCHOOL_LEAD, Role.TEACHER):
        with pytest.raises(Forbidden):
            await history_of(
                uow.history, Principal(sub="x", role=role), RecordKind.PERSON, "pp", 10
            )
