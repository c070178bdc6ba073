"""The activity aggregate without I/O: what details it accepts, its lifecycle and its events."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from contracts import activities as events
from contracts.activities import Session
from contracts.vocabulary import ActivityStatus
from eventkit.errors import Conflict, Invalid
from services.events.domain.activity import Activity, ActivityDetails

START = datetime(2030, 3, 4, 16, 0, tzinfo=UTC)


def session(start: datetime = START, hours: float = 2) -> dict[str, str]:
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=hours)).isoformat()}


def details(**changes: Any) -> ActivityDetails:
    fields: dict[str, Any] = {
        "title": "Maths TeachMeet",
        "category": "teacher_development",
        "format": "teachmeet",
        "partnership_id": "p1",
        "venue": "King's Ely, Ely",
        "sessions": [session()],
        "capacity": 20,
    }
    fields.update(changes)
    return ActivityDetails.model_validate(fields)


def activity(status: ActivityStatus = ActivityStatus.DRAFT, **changes: Any) -> Activity:
    return Activity(id="a1", details=details(**changes), status=status)


def problems(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(e["msg"] for e in exc.value.errors())


# --- details ----------------------------------------------------------------------------------


def test_sensible_details_are_accepted() -> None:
    d = details(
        open_to=["p2"],
        sessions=[session(START + timedelta(days=7)), session(START)],
        minimum_numbers=20,
        booking_opens_at=START - timedelta(days=30),
        booking_closes_at=START - timedelta(days=1),
    )
    assert d.starts_at == START  # the earliest session, whatever the order
    assert d.partnerships() == {"p1", "p2"}


def test_a_session_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError) as exc:
        details(sessions=[session(), session(START + timedelta(days=1), hours=-1)])
    assert "a session must end after it starts" in problems(exc)
    with pytest.raises(ValidationError):
        details(sessions=[session(hours=0)])


def test_a_venue_or_an_online_link_is_needed() -> None:
    with pytest.raises(ValidationError) as exc:
        details(venue=None)
    assert "give a venue or an online link" in problems(exc)
    assert str(details(venue=None, online_url="https://meet.example/x").online_url).startswith(
        "https://meet.example/x"
    )


def test_minimum_numbers_cannot_be_above_capacity() -> None:
    with pytest.raises(ValidationError) as exc:
        details(capacity=10, minimum_numbers=11)
    assert "minimum_numbers is above capacity" in problems(exc)
    assert details(capacity=10, minimum_numbers=10).minimum_numbers == 10


def test_booking_cannot_close_before_it_opens() -> None:
    with pytest.raises(ValidationError) as exc:
        details(
            booking_opens_at=START - timedelta(days=1), booking_closes_at=START - timedelta(days=2)
        )
    assert "booking_closes_at is before booking_opens_at" in problems(exc)
    with pytest.raises(ValidationError):
        details(booking_opens_at=START, booking_closes_at=START)


def test_sessions_and_capacity_are_required_and_bounded() -> None:
    with pytest.raises(ValidationError) as exc:
        details(sessions=[], capacity=0)
    assert {e["loc"][0] for e in exc.value.errors()} == {"sessions", "capacity"}


# --- lifecycle --------------------------------------------------------------------------------


def test_publishing_a_draft_records_it_as_it_stands() -> None:
    a = activity(venue=None, online_url="https://meet.example/x")
    a.publish()
    assert a.status == ActivityStatus.PUBLISHED
    [published] = a.collect_events()
    assert isinstance(published, events.ActivityPublished)
    assert published.activity_id == "a1" and published.title == "Maths TeachMeet"
    assert published.status == ActivityStatus.PUBLISHED and published.sequence == 0
    assert published.online_url == "https://meet.example/x"
    assert published.sessions == a.details.sessions
    with pytest.raises(Conflict, match="cannot publish an activity that is published"):
        a.publish()
    assert a.collect_events() == []


def test_changing_a_draft_records_nothing_and_a_published_one_is_told_again() -> None:
    a = activity()
    a.update(details(title="Maths TeachMeet (KS3)"))
    assert a.details.title == "Maths TeachMeet (KS3)" and a.collect_events() == []
    a.publish()
    a.collect_events()
    a.update(details(capacity=40, venue="Ely College"))
    [again] = a.collect_events()
    assert isinstance(again, events.ActivityPublished)
    assert again.capacity == 40 and again.venue == "Ely College"


def test_a_change_cannot_move_sessions_partnership_or_drop_capacity_below_places_taken() -> None:
    a = activity(ActivityStatus.PUBLISHED)
    a.places_taken = 12
    with pytest.raises(Conflict, match="reschedul"):
        a.update(details(sessions=[session(START + timedelta(days=1))]))
    with pytest.raises(Conflict, match="another partnership"):
        a.update(details(partnership_id="p2"))
    with pytest.raises(Conflict, match="12 places are already taken"):
        a.update(details(capacity=11))
    assert a.details == details() and a.collect_events() == []
    a.update(details(capacity=12))
    assert a.details.capacity == 12


def test_rescheduling_raises_the_sequence_and_tells_why() -> None:
    a = activity(ActivityStatus.PUBLISHED)
    later = [Session.model_validate(session(START + timedelta(days=7), hours=3))]
    a.reschedule(later, "snow")
    assert a.sequence == 1 and a.details.sessions == later
    [moved] = a.collect_events()
    assert isinstance(moved, events.ActivityRescheduled)
    assert (moved.sequence, moved.sessions, moved.reason) == (1, later, "snow")
    a.reschedule([Session.model_validate(session(START))], None)
    assert a.sequence == 2


def test_a_reschedule_to_sessions_that_end_before_they_start_is_refused() -> None:
    a = activity(ActivityStatus.PUBLISHED)
    backwards = [Session.model_validate(session(hours=-1))]
    # Refused: a validation error today (ValueError); a domain Invalid would do as well.
    with pytest.raises((ValueError, Invalid)):
        a.reschedule(backwards, None)
    assert a.sequence == 0 and a.details == details() and a.collect_events() == []


def test_cancelling_raises_the_sequence_and_is_final() -> None:
    a = activity(ActivityStatus.PUBLISHED)
    a.reschedule([Session.model_validate(session(START + timedelta(days=1)))], None)
    a.collect_events()
    a.cancel("too few")
    assert a.status == ActivityStatus.CANCELLED and a.sequence == 2
    [cancelled] = a.collect_events()
    assert isinstance(cancelled, events.ActivityCancelled)
    assert (cancelled.sequence, cancelled.reason) == (2, "too few")
    for change in (
        a.publish,
        lambda: a.cancel(None),
        lambda: a.reschedule(a.details.sessions, None),
        lambda: a.update(details()),
        lambda: a.complete(date(2030, 3, 5)),
    ):
        with pytest.raises(Conflict, match="that is cancelled"):
            change()
    assert a.sequence == 2 and a.collect_events() == []


def test_a_draft_may_be_cancelled_but_not_completed() -> None:
    a = activity()
    with pytest.raises(Conflict, match="cannot complete an activity that is draft"):
        a.complete(date(2030, 3, 5))
    a.cancel(None)
    assert a.status == ActivityStatus.CANCELLED and a.sequence == 1


def test_completing_a_published_activity_records_the_day() -> None:
    a = activity(ActivityStatus.PUBLISHED)
    a.complete(date(2030, 3, 5))
    assert a.status == ActivityStatus.COMPLETED
    [done] = a.collect_events()
    assert isinstance(done, events.ActivityCompleted) and done.completed_on == date(2030, 3, 5)
    for change in (a.publish, lambda: a.cancel(None), lambda: a.update(details())):
        with pytest.raises(Conflict, match="that is completed"):
            change()


def test_places_left_never_goes_below_zero() -> None:
    a = activity(capacity=5)
    a.places_taken = 3
    assert a.places_left == 2
    a.places_taken = 7
    assert a.places_left == 0


# --- booking window ---------------------------------------------------------------------------


def test_booking_is_open_only_while_published_inside_its_window_and_before_it_starts() -> None:
    opens, closes = START - timedelta(days=20), START - timedelta(days=2)
    a = activity(ActivityStatus.PUBLISHED, booking_opens_at=opens, booking_closes_at=closes)
    assert not a.booking_open(opens - timedelta(seconds=1))
    assert a.booking_open(opens)
    assert a.booking_open(closes - timedelta(seconds=1))
    assert not a.booking_open(closes)

    no_window = activity(ActivityStatus.PUBLISHED)
    assert no_window.booking_open(START - timedelta(days=365))
    assert no_window.booking_open(START - timedelta(seconds=1))
    assert not no_window.booking_open(START)

    for status in (ActivityStatus.DRAFT, ActivityStatus.CANCELLED, ActivityStatus.COMPLETED):
        assert not activity(status).booking_open(START - timedelta(days=1))
