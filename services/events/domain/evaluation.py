"""Evaluations of a booking: before the activity, on the day, and its impact later.

Each stage has a few named rating scales (1 to 5) and a few free-text questions; the impact
stage must say what the person will do differently. A member of staff evaluates their own
booking; a school lead evaluates a school's pupil places as one group (counts, never names).
One evaluation per booking per stage.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from contracts import attendance as events
from contracts.attendance import EvaluationStage
from contracts.vocabulary import BookingStatus
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid
from services.events.domain.booking import Booking
from services.events.domain.practice_themes import themes_of

Stage = EvaluationStage
DO_DIFFERENTLY = "what_will_you_do_differently"

SCALES: dict[EvaluationStage, dict[str, str]] = {
    Stage.BEFORE: {
        "relevance": "How relevant do you expect it to be to your work?",
        "confidence_before": "How confident are you in this area now?",
    },
    Stage.ON_THE_DAY: {
        "overall": "Overall, how good was it?",
        "relevance": "How relevant was it to your work?",
        "organisation": "How well was it organised?",
        "confidence_after": "How confident are you in this area now?",
    },
    Stage.IMPACT: {
        "overall": "Looking back, how worthwhile was it?",
        "impact": "How much has it changed your practice or your pupils' learning?",
        "confidence_after": "How confident are you in this area now?",
    },
}
"""Stage -> scale name -> the question it rates, from 1 (low) to 5 (high)."""

QUESTIONS: dict[EvaluationStage, dict[str, str]] = {
    Stage.BEFORE: {
        "hopes": "What do you hope to gain?",
        "comments": "Anything else?",
    },
    Stage.ON_THE_DAY: {
        "best_thing": "What was most useful?",
        "improvements": "What could be better?",
        "comments": "Anything else?",
    },
    Stage.IMPACT: {
        DO_DIFFERENTLY: "What will you do differently?",
        "what_changed": "What has changed since, for you or your pupils?",
        "comments": "Anything else?",
    },
}
"""Stage -> question name -> the question, answered in free text."""

REQUIRED_QUESTIONS: dict[EvaluationStage, tuple[str, ...]] = {Stage.IMPACT: (DO_DIFFERENTLY,)}

ELIGIBLE: dict[EvaluationStage, BookingStatus] = {
    Stage.BEFORE: BookingStatus.REGISTERED,
    Stage.ON_THE_DAY: BookingStatus.ATTENDED,
    Stage.IMPACT: BookingStatus.ATTENDED,
}
"""The status a booking must have for each stage's evaluation."""

Answer = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class EvaluationForm(BaseModel):
    """What the person evaluating fills in; which scales and questions depends on the stage."""

    ratings: dict[str, Annotated[int, Field(ge=1, le=5)]] = Field(
        max_length=20, description="Scale name -> rating from 1 (low) to 5 (high)"
    )
    answers: dict[str, Answer] = Field(
        default_factory=dict, max_length=20, description="Question name -> free-text answer"
    )
    respondents: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="Pupil places only: how many pupils' views it gives (default: all places)",
    )


def check_form(stage: EvaluationStage, form: EvaluationForm) -> dict[str, str]:
    """The answers to keep (blank ones dropped); raises Invalid naming what is wrong."""
    scales, questions = SCALES[stage], QUESTIONS[stage]
    if not form.ratings:
        raise Invalid(f"give at least one rating; the {stage} scales are: {', '.join(scales)}")
    unknown = sorted(set(form.ratings) - set(scales))
    if unknown:
        raise Invalid(
            f"unknown rating scale(s) for the {stage} evaluation: {', '.join(unknown)}; "
            f"use: {', '.join(scales)}"
        )
    bad = sorted(name for name, value in form.ratings.items() if not 1 <= value <= 5)
    if bad:
        raise Invalid(f"ratings are whole numbers from 1 to 5: {', '.join(bad)}")
    unknown = sorted(set(form.answers) - set(questions))
    if unknown:
        raise Invalid(
            f"unknown question(s) for the {stage} evaluation: {', '.join(unknown)}; "
            f"use: {', '.join(questions)}"
        )
    answers = {name: text.strip() for name, text in form.answers.items() if text.strip()}
    missing = [q for q in REQUIRED_QUESTIONS.get(stage, ()) if q not in answers]
    if missing:
        raise Invalid(f"the {stage} evaluation must answer: {', '.join(missing)}")
    return answers


def check_eligible(stage: EvaluationStage, booking: Booking) -> None:
    """Raise Conflict unless the booking's status allows this stage's evaluation."""
    needed = ELIGIBLE[stage]
    if booking.status == needed:
        return
    if needed == BookingStatus.ATTENDED:
        raise Conflict(
            f"the {stage} evaluation is for those who attended: this booking is {booking.status}"
        )
    raise Conflict(
        f"the {stage} evaluation is for a registered booking: this booking is {booking.status}"
    )


def evaluation_id(booking_id: str, stage: EvaluationStage) -> str:
    return f"{booking_id}.{stage}"


class Evaluation(Aggregate):
    id: str
    booking_id: str
    activity_id: str
    urn: str
    stage: EvaluationStage
    person_id: str | None = Field(None, description="Staff booked; None for pupil places")
    author_id: str | None = Field(None, description="Who wrote it: the person, or the school lead")
    respondents: int = 1
    ratings: dict[str, int]
    answers: dict[str, str] = Field(default_factory=dict)
    answers_erased: bool = Field(False, description="Free text removed when its author was erased")
    submitted_at: datetime

    @property
    def group(self) -> bool:
        return self.person_id is None

    @classmethod
    def submit(
        cls,
        booking: Booking,
        stage: EvaluationStage,
        form: EvaluationForm,
        *,
        author_id: str | None,
        now: datetime,
    ) -> "Evaluation":
        check_eligible(stage, booking)
        answers = check_form(stage, form)
        if booking.person_id is not None:
            if form.respondents not in (None, 1):
                raise Invalid("respondents is for pupil places: a staff evaluation is one person's")
            respondents = 1
        else:
            respondents = form.respondents or booking.pupils
            if respondents > booking.pupils:
                raise Invalid(
                    f"respondents ({respondents}) is more than the {booking.pupils} pupil places"
                )
        evaluation = cls(
            id=evaluation_id(booking.id, stage),
            booking_id=booking.id,
            activity_id=booking.activity_id,
            urn=booking.urn,
            stage=stage,
            person_id=booking.person_id,
            author_id=author_id,
            respondents=respondents,
            ratings=dict(form.ratings),
            answers=answers,
            submitted_at=now,
        )
        evaluation.record(
            events.EvaluationSubmitted(
                activity_id=booking.activity_id,
                booking_id=booking.id,
                urn=booking.urn,
                stage=stage,
                ratings=evaluation.ratings,
                group=evaluation.group,
                respondents=respondents,
                submitted_at=now,
                themes=themes_of(answers.get(DO_DIFFERENTLY, "")),
            )
        )
        return evaluation


class ScaleSummary(BaseModel):
    count: int
    mean: float


class StageSummary(BaseModel):
    evaluations: int = 0
    respondents: int = Field(0, description="People whose views they give (pupils counted)")
    ratings: dict[str, ScaleSummary] = Field(default_factory=dict)


class EvaluationSummary(BaseModel):
    """Counts and mean ratings per stage and scale; each evaluation counts once."""

    stages: dict[EvaluationStage, StageSummary]
    what_will_you_do_differently: list[str] = Field(
        description="The impact answers, without names, in alphabetical order"
    )


def summarise(evaluations: Iterable[Evaluation]) -> EvaluationSummary:
    stages = {stage: StageSummary() for stage in EvaluationStage}
    scores: dict[EvaluationStage, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    differently: list[str] = []
    for evaluation in evaluations:
        summary = stages[evaluation.stage]
        summary.evaluations += 1
        summary.respondents += evaluation.respondents
        for scale, value in evaluation.ratings.items():
            scores[evaluation.stage][scale].append(value)
        if evaluation.stage == Stage.IMPACT and evaluation.answers.get(DO_DIFFERENTLY):
            differently.append(evaluation.answers[DO_DIFFERENTLY])
    for stage, by_scale in scores.items():
        stages[stage].ratings = {
            scale: ScaleSummary(count=len(values), mean=round(sum(values) / len(values), 2))
            for scale, values in sorted(by_scale.items())
        }
    return EvaluationSummary(stages=stages, what_will_you_do_differently=sorted(differently))
