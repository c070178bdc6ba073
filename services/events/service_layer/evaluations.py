"""Handlers for evaluations: submit one per booking and stage, read them back, summarise an
activity's for its coordinators."""

from datetime import UTC, datetime

from pydantic import BaseModel

from contracts.attendance import EvaluationStage
from eventkit.auth import Principal
from eventkit.errors import Conflict
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.activity import Activity
from services.events.domain.attendance import AttendanceCount, count_attendance
from services.events.domain.booking import Booking
from services.events.domain.evaluation import (
    QUESTIONS,
    REQUIRED_QUESTIONS,
    SCALES,
    Evaluation,
    EvaluationForm,
    EvaluationSummary,
    evaluation_id,
    summarise,
)
from services.events.service_layer import access
from services.events.service_layer.ports import Directory, UnitOfWork

EVALUATORS = (
    "only the person booked evaluates a staff booking, and a lead of the school its pupil places"
)


async def _evaluator_or_manager(
    directory: Directory, principal: Principal, booking: Booking, activity: Activity
) -> bool:
    return await access.evaluates_booking(
        directory, principal, booking, activity
    ) or await access.manages_booking(directory, principal, booking, activity)


async def _evaluable(
    uow: UnitOfWork, principal: Principal, booking_id: str
) -> tuple[Booking, Activity]:
    """The booking, to evaluate: 404 to whom it is not theirs to see, 403 to its managers."""
    return await access.load_booking(
        uow,
        principal,
        booking_id,
        seen_by=_evaluator_or_manager,
        may=access.evaluates_booking,
        refusal=EVALUATORS,
    )


@retry_on_write_conflict()
async def submit_evaluation(
    uow: UnitOfWork,
    principal: Principal,
    booking_id: str,
    stage: EvaluationStage,
    form: EvaluationForm,
    now: datetime | None = None,
) -> Evaluation:
    now = now or datetime.now(UTC)
    async with uow:
        booking, _ = await _evaluable(uow, principal, booking_id)
        if await uow.evaluations.get(evaluation_id(booking.id, stage)) is not None:
            raise Conflict(
                f"the {stage} evaluation of booking {booking.id} is already in: "
                "there is one per booking and stage"
            )
        evaluation = Evaluation.submit(booking, stage, form, author_id=principal.person_id, now=now)
        await uow.evaluations.add(evaluation)
        await uow.commit()
    return evaluation


async def evaluations_of_booking(
    uow: UnitOfWork, principal: Principal, booking_id: str
) -> list[Evaluation]:
    async with uow:
        booking, _ = await _evaluable(uow, principal, booking_id)
        return await uow.evaluations.of_booking(booking.id)


class ActivityEvaluations(EvaluationSummary):
    """What coordinators see of an activity's evaluations: numbers, and answers without names."""

    activity_id: str
    attendance: AttendanceCount


async def summary(uow: UnitOfWork, principal: Principal, activity_id: str) -> ActivityEvaluations:
    async with uow:
        await access.load_activity(uow, principal, activity_id, may=access.coordinates_activity)
        evaluations = await uow.evaluations.of_activity(activity_id)
        bookings = await uow.bookings.of_activity(activity_id)
    return ActivityEvaluations(
        activity_id=activity_id,
        attendance=count_attendance(bookings),
        **summarise(evaluations).model_dump(),
    )


class StageForm(BaseModel):
    scales: dict[str, str]
    questions: dict[str, str]
    required: list[str]


def forms() -> dict[EvaluationStage, StageForm]:
    """Each stage's rating scales and questions, to build the forms from."""
    return {
        stage: StageForm(
            scales=SCALES[stage],
            questions=QUESTIONS[stage],
            required=list(REQUIRED_QUESTIONS.get(stage, ())),
        )
        for stage in EvaluationStage
    }
