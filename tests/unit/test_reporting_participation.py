"""Participation by term, from activity, booking and evaluation records: the figures a board
reads, each checked against what the records say."""

from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.activities import Session
from contracts.support import SupportOutcome
from contracts.vocabulary import ActivityCategory, ActivityFormat, ActivityStatus, Phase, Sector
from contracts.vocabulary import BookingStatus as S
from services.reporting.domain.participation import (
    ActivityRecord,
    BookingRecord,
    CaseStudyRecord,
    EvaluationRecord,
    Season,
    SupportRecord,
    Term,
    engaged_schools,
    school_terms,
    term_figures,
    term_named,
)
from services.reporting.domain.records import SchoolRecord

STATE, INDEPENDENT, OTHER_STATE = "110001", "110002", "110003"
SCHOOLS = {
    STATE: SchoolRecord(urn=STATE, name="S", sector=Sector.STATE, phase=Phase.PRIMARY),
    INDEPENDENT: SchoolRecord(
        urn=INDEPENDENT, name="I", sector=Sector.INDEPENDENT, phase=Phase.SECONDARY
    ),
    OTHER_STATE: SchoolRecord(urn=OTHER_STATE, name="O", sector=Sector.STATE, phase=Phase.PRIMARY),
}
AUTUMN = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
SPRING = datetime(2027, 2, 3, 9, 0, tzinfo=UTC)


def activity(
    aid: str,
    starts: datetime,
    *,
    hours: float = 2,
    host: str | None = STATE,
    status: ActivityStatus = ActivityStatus.PUBLISHED,
    category: ActivityCategory = ActivityCategory.TEACHER_DEVELOPMENT,
    capacity: int = 20,
) -> ActivityRecord:
    return ActivityRecord(
        activity_id=aid,
        partnership_id="p1",
        category=category,
        format=ActivityFormat.TEACHMEET,
        host_urn=host,
        sessions=[Session(starts_at=starts, ends_at=starts + timedelta(hours=hours))],
        capacity=capacity,
        status=status,
    )


def booking(
    bid: str, aid: str, urn: str, status: S, *, person: str | None = None, pupils: int = 0
) -> BookingRecord:
    return BookingRecord(
        booking_id=bid, activity_id=aid, urn=urn, person_id=person, pupils=pupils, status=status
    )


@pytest.mark.parametrize(
    ("moment", "year", "season", "name"),
    [
        (datetime(2026, 9, 1, 8, tzinfo=UTC), 2026, Season.AUTUMN, "Autumn 2026/27"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), 2026, Season.AUTUMN, "Autumn 2026/27"),
        (datetime(2027, 3, 31, 23, 30, tzinfo=UTC), 2026, Season.SUMMER, "Summer 2026/27"),
        (datetime(2027, 1, 5, 9, tzinfo=UTC), 2026, Season.SPRING, "Spring 2026/27"),
        (datetime(2027, 8, 31, 22, 59, tzinfo=UTC), 2026, Season.SUMMER, "Summer 2026/27"),
        (datetime(2099, 9, 4, 9, tzinfo=UTC), 2099, Season.AUTUMN, "Autumn 2099/00"),
    ],
    ids=["first day", "new year's eve", "british summer time", "spring", "last day", "century"],
)
def test_terms_are_english_school_terms_in_local_time(
    moment: datetime, year: int, season: Season, name: str
) -> None:
    term = Term.of(moment)
    assert (term.year, term.season, term.name) == (year, season, name)


def test_a_terms_figures_add_up_from_its_activities_bookings_and_evaluations() -> None:
    activities = [
        activity("a1", AUTUMN, hours=1.5, host=STATE),
        activity("a2", AUTUMN + timedelta(days=1), hours=3, host=INDEPENDENT, capacity=30),
        activity("gone", AUTUMN, status=ActivityStatus.CANCELLED),
        activity("later", SPRING, category=ActivityCategory.STEM),
        activity("draft", AUTUMN, status=ActivityStatus.DRAFT),
    ]
    bookings = [
        booking("b1", "a1", STATE, S.ATTENDED, person="ann"),
        booking("b2", "a1", OTHER_STATE, S.NO_SHOW, person="bob"),
        booking("b3", "a2", STATE, S.ATTENDED, person="ann"),  # reached twice: one person
        booking("b4", "a2", OTHER_STATE, S.ATTENDED, pupils=12),
        booking("b5", "a2", OTHER_STATE, S.CANCELLED, person="cat"),
        booking("b6", "a2", STATE, S.REGISTERED, person="dan"),
        booking("b7", "gone", STATE, S.ATTENDED, person="eve"),  # a cancelled activity
    ]
    evaluations = [
        EvaluationRecord(
            booking_id="b1", activity_id="a1", stage="on_the_day", ratings={"overall": 5}
        ),
        EvaluationRecord(
            booking_id="b4",
            activity_id="a2",
            stage="on_the_day",
            ratings={"overall": 3, "relevance": 4},
            respondents=3,
        ),
    ]
    autumn, spring = term_figures(activities, bookings, evaluations, SCHOOLS)

    assert (autumn.term, spring.term) == ("Autumn 2026/27", "Spring 2026/27")
    assert (autumn.activities, autumn.cancelled) == (2, 1)
    assert autumn.by_category == {"teacher_development": 2}
    assert spring.by_category == {"stem": 1}
    assert autumn.places_offered == 20 + 30
    assert autumn.places_taken == 1 + 1 + 1 + 12 + 1  # b1, b2, b3, b4 (12 pupils), b6
    assert autumn.staff_reached == 1  # ann, twice
    assert autumn.pupils_reached == 12
    assert autumn.cpd_hours == 1.5 + 3  # ann's two sessions; pupils are not CPD
    assert (autumn.attended, autumn.no_shows, autumn.attendance_rate) == (3, 1, 0.75)
    assert autumn.schools_taking_part == 3  # OTHER_STATE: its no-show, but also its pupils
    assert autumn.cross_sector_activities == 1  # a2: hosted by the independent school
    assert autumn.evaluations == 1 + 3
    assert autumn.mean_ratings == {
        "on_the_day.overall": round((5 + 3 * 3) / 4, 2),
        "on_the_day.relevance": 4.0,
    }
    assert (spring.staff_reached, spring.attendance_rate, spring.mean_ratings) == (0, None, {})


def test_no_activities_no_terms() -> None:
    assert term_figures([], [], [], SCHOOLS) == []


def test_a_term_knows_the_one_before_and_is_named_in_the_api_by_its_key() -> None:
    autumn = Term(year=2026, season=Season.AUTUMN)
    assert autumn.previous() == Term(year=2025, season=Season.SUMMER)
    assert Term(year=2027 - 1, season=Season.SUMMER).previous().season == Season.SPRING
    assert term_named(autumn.key) == autumn and autumn.key == "2026-autumn"
    for bad in ("2026-winter", "26-autumn", "autumn", "2026autumn"):
        with pytest.raises(ValueError, match="like 2026-autumn"):
            term_named(bad)


def test_a_school_took_part_in_what_it_had_places_on_and_offered_what_it_hosted() -> None:
    activities = [
        activity("a1", AUTUMN, host=STATE),
        activity("a2", AUTUMN, host=INDEPENDENT),
        activity("gone", AUTUMN, host=STATE, status=ActivityStatus.CANCELLED),
        activity("later", SPRING, host=INDEPENDENT),
    ]
    bookings = [
        booking("b1", "a2", STATE, S.ATTENDED, person="ann"),
        booking("b2", "a2", STATE, S.REGISTERED, pupils=9),
        booking("b3", "later", STATE, S.CANCELLED, person="ann"),  # holds no place
        booking("b4", "a1", OTHER_STATE, S.REGISTERED, person="bob"),
    ]
    [autumn] = school_terms(STATE, activities, bookings)
    assert (autumn.term, autumn.took_part_in, autumn.hosted) == ("Autumn 2026/27", 1, 1)
    assert (autumn.staff_places, autumn.pupil_places, autumn.attended) == (1, 9, 1)
    term = Term.of(AUTUMN)
    assert engaged_schools(term, activities, bookings) == {STATE, INDEPENDENT, OTHER_STATE}
    assert engaged_schools(Term.of(SPRING), activities, bookings) == {INDEPENDENT}


def test_support_and_case_studies_count_in_the_term_each_step_happened() -> None:
    support = [
        SupportRecord(
            engagement_id="e1",
            partnership_id="p1",
            requesting_urn=STATE,
            requested_at=AUTUMN,
            agreed_on=date(2027, 1, 4),
            closed_on=date(2027, 4, 20),
            outcome=SupportOutcome.OBJECTIVES_MET,
        ),
        SupportRecord(
            engagement_id="e2", partnership_id="p1", requesting_urn=OTHER_STATE, requested_at=AUTUMN
        ),
    ]
    case_studies = [
        CaseStudyRecord(case_study_id="c1", partnership_id="p1", published_at=SPRING),
        CaseStudyRecord(
            case_study_id="c2", partnership_id="p1", published_at=SPRING, withdrawn=True
        ),
    ]
    autumn, spring, summer = term_figures([], [], [], SCHOOLS, support, case_studies)
    assert (autumn.term, autumn.support_requested, autumn.activities) == ("Autumn 2026/27", 2, 0)
    assert (spring.support_agreed, spring.case_studies_published) == (1, 1)
    assert (summer.support_closed, summer.support_outcomes) == (1, {"objectives_met": 1})


def test_each_evaluation_stage_keeps_its_own_means_and_only_the_day_counts_as_returned() -> None:
    evaluations = [
        EvaluationRecord(
            booking_id="b1", activity_id="a1", stage="before", ratings={"relevance": 2}
        ),
        EvaluationRecord(
            booking_id="b1", activity_id="a1", stage="on_the_day", ratings={"relevance": 5}
        ),
        EvaluationRecord(booking_id="b1", activity_id="a1", stage="impact", ratings={"overall": 4}),
    ]
    [autumn] = term_figures([activity("a1", AUTUMN)], [], evaluations, SCHOOLS)
    assert autumn.evaluations == 1  # one person, asked three times
    assert autumn.mean_ratings == {
        "before.relevance": 2.0,
        "impact.overall": 4.0,
        "on_the_day.relevance": 5.0,
    }
