"""The booking aggregate without I/O: its status moves, the events they record, substitution."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts import activities as events
from contracts.vocabulary import BookingStatus
from eventkit.errors import Conflict
from services.events.domain.booking import TRANSITIONS, Booking

S = BookingStatus
NOW = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)

ALLOWED = {
    (S.AWAITING_APPROVAL, S.REGISTERED),
    (S.AWAITING_APPROVAL, S.REJECTED),
    (S.AWAITING_APPROVAL, S.CANCELLED),
    (S.REGISTERED, S.ATTENDED),
    (S.REGISTERED, S.NO_SHOW),
    (S.REGISTERED, S.CANCELLED),
    (S.WAITLISTED, S.OFFERED),
    (S.WAITLISTED, S.CANCELLED),
    (S.OFFERED, S.REGISTERED),
    (S.OFFERED, S.EXPIRED),
    (S.OFFERED, S.CANCELLED),
    (S.ATTENDED, S.NO_SHOW),
    (S.NO_SHOW, S.ATTENDED),
}
EVERY_MOVE = [(a, b) for a in S for b in S]


def staff(status: BookingStatus = S.REGISTERED, **changes: Any) -> Booking:
    fields: dict[str, Any] = {
        "id": "b1",
        "activity_id": "a1",
        "urn": "123456",
        "person_id": "teacher-1",
        "status": status,
        "idempotency_key": "key-0001",
        "requested_by": "teacher-1",
        "created_at": NOW,
    }
    fields.update(changes)
    return Booking.model_validate(fields)


def pupils(status: BookingStatus = S.REGISTERED, count: int = 12) -> Booking:
    return staff(status, person_id=None, pupils=count, requested_by="lead")


def test_the_transition_table_is_the_one_we_promise() -> None:
    assert set(TRANSITIONS) == set(S)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED
    for final in (S.CANCELLED, S.REJECTED, S.EXPIRED):
        assert TRANSITIONS[final] == set()


@pytest.mark.parametrize(("start", "to"), sorted(ALLOWED))
def test_an_allowed_move_changes_the_status_and_records_it(
    start: BookingStatus, to: BookingStatus
) -> None:
    b = staff(start)
    b.move(to, reason="because")
    assert b.status == to
    [changed] = b.collect_events()
    assert isinstance(changed, events.BookingStatusChanged)
    assert (changed.previous, changed.status, changed.reason) == (start, to, "because")
    assert (changed.activity_id, changed.booking_id, changed.urn) == ("a1", "b1", "123456")
    assert changed.person_id == "teacher-1" and changed.pupils == 0


@pytest.mark.parametrize(("start", "to"), [m for m in EVERY_MOVE if m not in ALLOWED])
def test_a_refused_move_changes_nothing_and_records_nothing(
    start: BookingStatus, to: BookingStatus
) -> None:
    b = staff(start)
    with pytest.raises(Conflict, match=f"a booking that is {start} cannot become {to}"):
        b.move(to)
    assert b.status == start and b.collect_events() == []


def test_an_offer_carries_its_expiry_and_accepting_clears_it() -> None:
    b = staff(S.WAITLISTED)
    expires = NOW + timedelta(hours=48)
    b.move(S.OFFERED, offer_expires_at=expires, reason="a place freed up")
    assert b.offer_expires_at == expires
    [offered] = b.collect_events()
    assert isinstance(offered, events.BookingStatusChanged)
    assert offered.offer_expires_at == expires
    b.move(S.REGISTERED, reason="offer accepted")
    assert b.offer_expires_at is None


def test_placing_a_booking_records_the_places_it_takes() -> None:
    placed = Booking.place(
        S.REGISTERED,
        id="b2",
        activity_id="a1",
        urn="123456",
        person_id=None,
        pupils=15,
        idempotency_key="key-0002",
        requested_by="lead",
        created_at=NOW,
    )
    [event] = placed.collect_events()
    assert isinstance(event, events.BookingPlaced)
    assert (event.status, event.places, event.pupils, event.person_id) == (
        S.REGISTERED,
        15,
        15,
        None,
    )
    assert staff().places == 1 and pupils(count=15).places == 15


def test_every_booking_gets_its_own_check_in_code() -> None:
    codes = {staff().check_in_code for _ in range(50)}
    assert len(codes) == 50 and all(len(c) >= 12 for c in codes)


def test_a_staff_place_can_pass_to_a_colleague_with_a_new_check_in_code() -> None:
    for status in (S.REGISTERED, S.AWAITING_APPROVAL, S.OFFERED):
        b = staff(status)
        old_code = b.check_in_code
        b.substitute("teacher-2")
        assert b.person_id == "teacher-2" and b.status == status
        assert b.check_in_code != old_code
        [swapped] = b.collect_events()
        assert isinstance(swapped, events.BookingSubstituted)
        assert (swapped.person_id, swapped.previous_person_id) == ("teacher-2", "teacher-1")


def test_pupil_places_cannot_be_substituted() -> None:
    b = pupils()
    code = b.check_in_code
    with pytest.raises(Conflict, match="pupil places are a count"):
        b.substitute("teacher-2")
    assert b.person_id is None and b.check_in_code == code and b.collect_events() == []


@pytest.mark.parametrize(
    "status", [S.WAITLISTED, S.CANCELLED, S.REJECTED, S.EXPIRED, S.ATTENDED, S.NO_SHOW]
)
def test_a_place_not_held_or_already_used_cannot_be_passed_on(status: BookingStatus) -> None:
    b = staff(status)
    with pytest.raises(Conflict, match=f"a booking that is {status} cannot be passed"):
        b.substitute("teacher-2")
    assert b.person_id == "teacher-1" and b.collect_events() == []


def test_the_statuses_counted_toward_capacity() -> None:
    counted = {s for s in S if s.counted}
    assert counted == {S.AWAITING_APPROVAL, S.REGISTERED, S.OFFERED, S.ATTENDED, S.NO_SHOW}
    assert not any(s.counted for s in (S.WAITLISTED, S.CANCELLED, S.REJECTED, S.EXPIRED))
