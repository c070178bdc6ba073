"""Attendance, evaluation and certificate handlers against the in-memory unit of work."""

from datetime import timedelta

import pytest
from unit.events_fakes import (
    NOW,
    STARTS,
    A,
    B,
    EventsFakeUnitOfWork,
    given_activity,
    stored,
    world,
)
from unit.fakes import coordinator, officer, school_lead, teacher

from contracts.attendance import EvaluationStage as Stage
from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.errors import Conflict, Forbidden, NotFound
from services.events.domain.booking import Booking, PlaceRequest
from services.events.domain.evaluation import EvaluationForm
from services.events.service_layer import attendance, bookings, evaluations

S = BookingStatus
ANN = teacher(A, person_id="ann")
BOB = teacher(A, person_id="bob")
LEAD_A = school_lead(A, person_id="lead-a")
COCO = coordinator("p1", person_id="coco")
AT_THE_DOOR = STARTS - timedelta(minutes=30)


@pytest.fixture
def uow() -> EventsFakeUnitOfWork:
    return world()


async def booked(uow: EventsFakeUnitOfWork, **changes: object) -> Booking:
    await given_activity(uow, **changes)
    return await bookings.book(uow, ANN, "act1", PlaceRequest(urn=A), "key-ann-1", now=NOW)


async def test_a_coordinator_marks_attendance_and_may_correct_it(
    uow: EventsFakeUnitOfWork,
) -> None:
    booking = await booked(uow)
    record = await attendance.record_attendance(uow, COCO, booking.id, True, now=AT_THE_DOOR)
    assert (record.status, record.name, record.already_recorded) == (S.ATTENDED, "Ann Able", False)
    again = await attendance.record_attendance(uow, COCO, booking.id, True, now=AT_THE_DOOR)
    assert again.already_recorded
    corrected = await attendance.record_attendance(
        uow, COCO, booking.id, False, reason="left early", now=AT_THE_DOOR
    )
    assert corrected.status == S.NO_SHOW
    assert (await stored(uow, booking.id)).status == S.NO_SHOW


async def test_who_may_mark_attendance_and_when(uow: EventsFakeUnitOfWork) -> None:
    booking = await booked(uow)
    with pytest.raises(Forbidden, match="coordinators"):  # manages it, but does not coordinate
        await attendance.record_attendance(uow, ANN, booking.id, True, now=AT_THE_DOOR)
    with pytest.raises(NotFound):
        await attendance.record_attendance(uow, BOB, booking.id, True, now=AT_THE_DOOR)
    with pytest.raises(Conflict, match="can be recorded from"):
        await attendance.record_attendance(uow, COCO, booking.id, True, now=NOW)


async def test_check_in_at_the_door_by_code(uow: EventsFakeUnitOfWork) -> None:
    booking = await booked(uow)
    record = await attendance.check_in(
        uow, COCO, "act1", f" {booking.check_in_code} ", now=AT_THE_DOOR
    )
    assert (record.booking_id, record.status) == (booking.id, S.ATTENDED)
    with pytest.raises(NotFound, match="check-in code"):
        await attendance.check_in(uow, COCO, "act1", "not-a-code", now=AT_THE_DOOR)
    with pytest.raises(Forbidden):
        await attendance.check_in(uow, ANN, "act1", booking.check_in_code, now=AT_THE_DOOR)


async def test_the_qr_code_holds_the_code_or_a_check_in_link(uow: EventsFakeUnitOfWork) -> None:
    booking = await booked(uow)
    assert await attendance.check_in_content(uow, ANN, booking.id) == booking.check_in_code
    link = await attendance.check_in_content(uow, ANN, booking.id, "https://events.example/")
    assert link == (f"https://events.example/activities/act1/check-in?code={booking.check_in_code}")
    with pytest.raises(NotFound):
        await attendance.check_in_content(uow, BOB, booking.id)


def on_the_day() -> EvaluationForm:
    return EvaluationForm(ratings={"overall": 5, "relevance": 4}, answers={"best_thing": "Ideas"})


async def test_the_person_booked_evaluates_once_per_stage(uow: EventsFakeUnitOfWork) -> None:
    booking = await booked(uow)
    await attendance.record_attendance(uow, COCO, booking.id, True, now=AT_THE_DOOR)
    evaluation = await evaluations.submit_evaluation(
        uow, ANN, booking.id, Stage.ON_THE_DAY, on_the_day(), now=STARTS
    )
    assert (evaluation.booking_id, evaluation.stage) == (booking.id, Stage.ON_THE_DAY)
    with pytest.raises(Conflict, match="already in"):
        await evaluations.submit_evaluation(
            uow, ANN, booking.id, Stage.ON_THE_DAY, on_the_day(), now=STARTS
        )
    assert [e.id for e in await evaluations.evaluations_of_booking(uow, ANN, booking.id)] == [
        evaluation.id
    ]


async def test_who_may_evaluate(uow: EventsFakeUnitOfWork) -> None:
    booking = await booked(uow)
    with pytest.raises(Forbidden, match="only the person booked evaluates"):
        await evaluations.submit_evaluation(uow, LEAD_A, booking.id, Stage.BEFORE, on_the_day())
    with pytest.raises(NotFound):
        await evaluations.submit_evaluation(uow, BOB, booking.id, Stage.BEFORE, on_the_day())
    with pytest.raises(NotFound):
        await evaluations.evaluations_of_booking(uow, BOB, booking.id)


async def test_coordinators_see_the_summary(uow: EventsFakeUnitOfWork) -> None:
    booking = await booked(uow)
    await attendance.record_attendance(uow, COCO, booking.id, True, now=AT_THE_DOOR)
    await evaluations.submit_evaluation(
        uow, ANN, booking.id, Stage.ON_THE_DAY, on_the_day(), now=STARTS
    )
    summary = await evaluations.summary(uow, COCO, "act1")
    assert summary.activity_id == "act1"
    assert summary.attendance.model_dump()["attended"] == 1
    with pytest.raises(Forbidden):
        await evaluations.summary(uow, ANN, "act1")


async def test_the_certificate_is_released_once_attended_and_evaluated(
    uow: EventsFakeUnitOfWork,
) -> None:
    booking = await booked(uow, host_urn=B)
    with pytest.raises(Conflict, match="attendance is recorded"):
        await attendance.release_certificate(uow, ANN, booking.id, now=STARTS)
    await attendance.record_attendance(uow, COCO, booking.id, True, now=AT_THE_DOOR)
    with pytest.raises(Conflict, match="evaluation is in"):
        await attendance.release_certificate(uow, ANN, booking.id, now=STARTS)
    await evaluations.submit_evaluation(
        uow, ANN, booking.id, Stage.ON_THE_DAY, on_the_day(), now=STARTS
    )
    first = await attendance.release_certificate(uow, ANN, booking.id, now=STARTS)
    assert (first.person_name, first.partnership_name, first.reference) == (
        "Ann Able",
        "Fenland",
        booking.id,
    )
    assert first.host == f"School {B}, King's Ely, Ely"
    later = await attendance.release_certificate(
        uow, officer(), booking.id, now=STARTS + timedelta(days=9)
    )
    assert later.issued_on == first.issued_on == STARTS.date()
    issued = [e for e in uow.published if type(e).__name__ == "CertificateIssued"]
    assert len(issued) == 1


async def test_no_attendance_on_a_cancelled_activity(uow: EventsFakeUnitOfWork) -> None:
    booking = await booked(uow)
    async with uow:
        activity = await uow.activities.get("act1")
        assert activity is not None
        activity.cancel("snow")
        await uow.activities.save(activity)
        await uow.commit()
    assert activity.status == ActivityStatus.CANCELLED
    with pytest.raises(Conflict, match="no attendance to record"):
        await attendance.record_attendance(uow, COCO, booking.id, True, now=AT_THE_DOOR)
