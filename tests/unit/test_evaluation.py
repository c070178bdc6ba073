"""Unit tests of the rules of evaluations, attendance and certificate release (no I/O)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts import attendance as events
from contracts.activities import BookingStatusChanged, Session
from contracts.attendance import EvaluationStage as Stage
from contracts.attendance import PracticeTheme
from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.errors import Conflict, Invalid
from services.events.domain import attendance
from services.events.domain.activity import Activity, ActivityDetails
from services.events.domain.booking import Booking
from services.events.domain.evaluation import Evaluation, EvaluationForm, check_form, summarise
from services.events.domain.practice_themes import themes_of

NOW = datetime(2025, 10, 14, 16, 0, tzinfo=UTC)


def booking(status: BookingStatus = BookingStatus.ATTENDED, **fields: Any) -> Booking:
    values: dict[str, Any] = {
        "id": "b1",
        "activity_id": "a1",
        "urn": "100001",
        "person_id": "p1",
        "status": status,
        "idempotency_key": "key-12345",
        "requested_by": "tester",
        "created_at": NOW - timedelta(days=14),
    }
    values.update(fields)
    return Booking.model_validate(values)


def pupils(count: int, status: BookingStatus = BookingStatus.ATTENDED) -> Booking:
    return booking(status, id="b2", person_id=None, pupils=count)


def form(ratings: dict[str, int], **answers: str) -> EvaluationForm:
    return EvaluationForm(ratings=ratings, answers=answers)


def activity(starts_at: datetime, status: ActivityStatus = ActivityStatus.PUBLISHED) -> Activity:
    details = ActivityDetails(
        title="Maths TeachMeet",
        category="teacher_development",
        format="teachmeet",
        partnership_id="pt1",
        venue="King's Ely",
        sessions=[Session(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))],
        capacity=10,
    )
    return Activity(id="a1", details=details, status=status)


# The form each stage asks for


def test_ratings_must_use_the_stage_s_scales_from_1_to_5() -> None:
    with pytest.raises(Invalid, match=r"unknown rating scale.*fun.*use: overall"):
        check_form(Stage.ON_THE_DAY, form({"overall": 4, "fun": 5}))
    with pytest.raises(Invalid, match="confidence_before"):
        check_form(Stage.IMPACT, form({"confidence_before": 3}, what_will_you_do_differently="x"))
    with pytest.raises(Invalid, match="at least one rating"):
        check_form(Stage.BEFORE, form({}))
    with pytest.raises(Invalid, match="1 to 5: overall"):
        check_form(Stage.ON_THE_DAY, EvaluationForm.model_construct(ratings={"overall": 0}))
    with pytest.raises(ValueError):
        EvaluationForm(ratings={"overall": 6})


def test_answers_must_be_to_the_stage_s_questions_and_blank_ones_are_dropped() -> None:
    with pytest.raises(Invalid, match=r"unknown question.*hopes"):
        check_form(Stage.ON_THE_DAY, form({"overall": 4}, hopes="x"))
    kept = check_form(Stage.ON_THE_DAY, form({"overall": 4}, best_thing=" Demo ", comments="  "))
    assert kept == {"best_thing": "Demo"}


def test_the_impact_stage_must_say_what_they_will_do_differently() -> None:
    with pytest.raises(Invalid, match="what_will_you_do_differently"):
        check_form(Stage.IMPACT, form({"impact": 4}, what_changed="More questioning"))
    with pytest.raises(Invalid, match="what_will_you_do_differently"):
        check_form(Stage.IMPACT, form({"impact": 4}, what_will_you_do_differently="   "))
    answers = check_form(Stage.IMPACT, form({"impact": 4}, what_will_you_do_differently="Quiz"))
    assert answers == {"what_will_you_do_differently": "Quiz"}


# Who may evaluate at which stage


@pytest.mark.parametrize(
    ("stage", "status", "allowed"),
    [
        (Stage.BEFORE, BookingStatus.REGISTERED, True),
        (Stage.BEFORE, BookingStatus.ATTENDED, False),
        (Stage.BEFORE, BookingStatus.WAITLISTED, False),
        (Stage.ON_THE_DAY, BookingStatus.ATTENDED, True),
        (Stage.ON_THE_DAY, BookingStatus.REGISTERED, False),
        (Stage.ON_THE_DAY, BookingStatus.NO_SHOW, False),
        (Stage.IMPACT, BookingStatus.ATTENDED, True),
        (Stage.IMPACT, BookingStatus.CANCELLED, False),
    ],
)
def test_before_is_for_registered_bookings_and_later_stages_for_attended_ones(
    stage: Stage, status: BookingStatus, allowed: bool
) -> None:
    ratings = {"impact": 3} if stage == Stage.IMPACT else {"relevance": 3}
    answers = {"what_will_you_do_differently": "x"} if stage == Stage.IMPACT else {}
    submit = EvaluationForm(ratings=ratings, answers=answers)
    if allowed:
        assert Evaluation.submit(booking(status), stage, submit, author_id="p1", now=NOW)
    else:
        with pytest.raises(Conflict, match=str(status)):
            Evaluation.submit(booking(status), stage, submit, author_id="p1", now=NOW)


def test_a_submitted_evaluation_tells_its_ratings_but_not_its_free_text() -> None:
    submitted = Evaluation.submit(
        booking(),
        Stage.IMPACT,
        form({"impact": 4, "overall": 5}, what_will_you_do_differently="Ask Ms Jones"),
        author_id="p1",
        now=NOW,
    )
    assert submitted.id == "b1.impact"
    assert submitted.answers == {"what_will_you_do_differently": "Ask Ms Jones"}
    [event] = submitted.collect_events()
    assert isinstance(event, events.EvaluationSubmitted)
    assert event.aggregate_id() == "a1"
    assert event.ratings == {"impact": 4, "overall": 5}
    assert (event.stage, event.group, event.respondents) == (Stage.IMPACT, False, 1)
    assert "Jones" not in event.model_dump_json()


def test_what_they_will_do_differently_travels_as_practice_themes_never_as_words() -> None:
    answer = "Ask Ms Jones to observe my questioning, and plan retrieval quizzes for SEND pupils"
    submitted = Evaluation.submit(
        booking(),
        Stage.IMPACT,
        form({"impact": 4}, what_will_you_do_differently=answer),
        author_id="p1",
        now=NOW,
    )
    [event] = submitted.collect_events()
    assert isinstance(event, events.EvaluationSubmitted)
    assert event.themes == [
        PracticeTheme.QUESTIONING,
        PracticeTheme.FEEDBACK_AND_ASSESSMENT,
        PracticeTheme.INCLUSION_AND_SEND,
        PracticeTheme.CURRICULUM_AND_PLANNING,
        PracticeTheme.COLLABORATION,
    ]
    assert "Jones" not in event.model_dump_json() and "quizzes" not in event.model_dump_json()


@pytest.mark.parametrize(
    ("answer", "themes"),
    [
        ("Nothing yet", []),
        ("sending more letters home", []),  # not SEND
        (
            "Use AI to draft feedback",
            [PracticeTheme.FEEDBACK_AND_ASSESSMENT, PracticeTheme.TECHNOLOGY],
        ),
        ("phonics every morning", [PracticeTheme.READING_AND_LITERACY]),
        ("Cold   calling", [PracticeTheme.QUESTIONING]),
    ],
)
def test_themes_are_found_by_whole_words_and_their_forms(
    answer: str, themes: list[PracticeTheme]
) -> None:
    assert themes_of(answer) == themes


def test_pupil_places_are_evaluated_as_a_group_by_counts() -> None:
    group = Evaluation.submit(
        pupils(12), Stage.ON_THE_DAY, form({"overall": 4}), author_id="lead", now=NOW
    )
    assert (group.person_id, group.respondents, group.group) == (None, 12, True)
    some = Evaluation.submit(
        pupils(12),
        Stage.ON_THE_DAY,
        EvaluationForm(ratings={"overall": 4}, respondents=9),
        author_id="lead",
        now=NOW,
    )
    assert some.respondents == 9
    with pytest.raises(Invalid, match="more than the 12 pupil places"):
        Evaluation.submit(
            pupils(12),
            Stage.ON_THE_DAY,
            EvaluationForm(ratings={"overall": 4}, respondents=13),
            author_id="lead",
            now=NOW,
        )
    with pytest.raises(Invalid, match="respondents is for pupil places"):
        Evaluation.submit(
            booking(),
            Stage.ON_THE_DAY,
            EvaluationForm(ratings={"overall": 4}, respondents=3),
            author_id="p1",
            now=NOW,
        )


def test_the_summary_gives_counts_means_and_answers_without_names() -> None:
    def submitted(bid: str, stage: Stage, ratings: dict[str, int], **answers: str) -> Evaluation:
        return Evaluation.submit(
            booking(
                BookingStatus.REGISTERED if stage == Stage.BEFORE else BookingStatus.ATTENDED,
                id=bid,
                person_id=f"person-{bid}",
            ),
            stage,
            form(ratings, **answers),
            author_id=f"person-{bid}",
            now=NOW,
        )

    summary = summarise(
        [
            submitted("1", Stage.ON_THE_DAY, {"overall": 4, "relevance": 5}),
            submitted("2", Stage.ON_THE_DAY, {"overall": 5}),
            submitted("3", Stage.ON_THE_DAY, {"overall": 2}),
            Evaluation.submit(
                pupils(20), Stage.ON_THE_DAY, form({"overall": 5}), author_id="lead", now=NOW
            ),
            submitted(
                "1", Stage.IMPACT, {"impact": 3}, what_will_you_do_differently="Zoned marking"
            ),
            submitted(
                "2", Stage.IMPACT, {"impact": 4}, what_will_you_do_differently="Cold calling"
            ),
        ]
    )
    day = summary.stages[Stage.ON_THE_DAY]
    assert (day.evaluations, day.respondents) == (4, 23)
    assert day.ratings["overall"].model_dump() == {"count": 4, "mean": 4.0}
    assert day.ratings["relevance"].model_dump() == {"count": 1, "mean": 5.0}
    assert summary.stages[Stage.IMPACT].ratings["impact"].mean == 3.5
    assert summary.stages[Stage.BEFORE].evaluations == 0
    assert summary.what_will_you_do_differently == ["Cold calling", "Zoned marking"]
    assert "person-" not in summary.model_dump_json()


# Attendance and the certificate


def test_attendance_is_recorded_from_shortly_before_the_start_of_a_live_activity() -> None:
    with pytest.raises(Conflict, match="attendance can be recorded from"):
        attendance.require_attendance_open(activity(NOW + timedelta(hours=3)), NOW)
    attendance.require_attendance_open(activity(NOW + timedelta(hours=1)), NOW)
    attendance.require_attendance_open(activity(NOW - timedelta(days=3)), NOW)
    with pytest.raises(Conflict, match="cancelled"):
        cancelled = activity(NOW - timedelta(hours=1), ActivityStatus.CANCELLED)
        attendance.require_attendance_open(cancelled, NOW)


def test_marking_attendance_twice_changes_nothing_and_a_no_show_can_be_corrected() -> None:
    b = booking(BookingStatus.REGISTERED)
    changes = [
        attendance.mark(b, True),
        attendance.mark(b, True),
        attendance.mark(b, False),
        attendance.mark(b, True),
    ]
    assert changes == [True, False, True, True]
    told = [e for e in b.collect_events() if isinstance(e, BookingStatusChanged)]
    assert [(e.previous, e.status) for e in told] == [
        (BookingStatus.REGISTERED, BookingStatus.ATTENDED),
        (BookingStatus.ATTENDED, BookingStatus.NO_SHOW),
        (BookingStatus.NO_SHOW, BookingStatus.ATTENDED),
    ]
    assert b.status == BookingStatus.ATTENDED
    with pytest.raises(Conflict, match="cancelled"):
        attendance.mark(booking(BookingStatus.CANCELLED), True)


def test_the_certificate_waits_for_attendance_and_an_evaluation_on_the_day_or_later() -> None:
    with pytest.raises(Conflict, match=r"attendance.*registered"):
        attendance.require_certificate_released(booking(BookingStatus.REGISTERED), [Stage.BEFORE])
    with pytest.raises(Conflict, match="evaluation"):
        attendance.require_certificate_released(booking(), [Stage.BEFORE])
    with pytest.raises(Conflict, match="pupil places"):
        attendance.require_certificate_released(pupils(5), [Stage.ON_THE_DAY])
    assert attendance.require_certificate_released(booking(), [Stage.ON_THE_DAY]) == "p1"
    assert attendance.require_certificate_released(booking(), [Stage.IMPACT]) == "p1"
    issued = attendance.IssuedCertificate.issue(booking(), "p1", NOW)
    [event] = issued.collect_events()
    assert isinstance(event, events.CertificateIssued) and event.booking_id == "b1"
