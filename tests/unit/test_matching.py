"""Suggesting supporting schools: ranking and the reasons given, from the expertise register."""

import pytest
from pydantic import ValidationError

from contracts.vocabulary import ActivityCategory, Phase, Sector
from services.events.domain.directory import SchoolCopy
from services.events.domain.matching import score, suggest
from services.events.domain.support import SupportNeed

PRIMARY = SchoolCopy(
    urn="124000", name="Bramford Primary", phase=Phase.PRIMARY, sector=Sector.STATE, la_code="935"
)


def school(urn: str, name: str, **fields: object) -> SchoolCopy:
    base: dict[str, object] = {"phase": Phase.SECONDARY, "sector": Sector.STATE, "la_code": "935"}
    return SchoolCopy.model_validate({"urn": urn, "name": name, **base, **fields})


MATHS = SupportNeed(subjects=["maths"], phase=Phase.PRIMARY)


def test_subject_expertise_ranks_first_and_each_reason_is_given_in_words() -> None:
    teaching_school = school(
        "124001",
        "Ipswich Teaching School",
        phase=Phase.ALL_THROUGH,
        subjects=["Maths", "science"],
        expertise_phases=[Phase.PRIMARY, Phase.SECONDARY],
    )
    maths_elsewhere = school(
        "124002",
        "Woodbridge School",
        sector=Sector.INDEPENDENT,
        la_code="926",
        subjects=["mathematics"],
        expertise_phases=[Phase.SECONDARY],
    )
    science_only = school("124003", "Kesgrave High", subjects=["science"])

    ranked = suggest(MATHS, PRIMARY, [science_only, maths_elsewhere, teaching_school])

    assert [s.urn for s in ranked] == ["124001", "124002"]
    first, second = ranked
    assert first.reasons == [
        "teaches maths",
        "expertise in the primary phase",
        "same local authority (935)",
    ]
    assert second.reasons == ["teaches maths", "cross-sector (independent school)"]
    assert first.score > second.score


def test_a_school_whose_expertise_does_not_meet_the_need_is_not_suggested() -> None:
    nearby_primary = school("124004", "Sproughton Primary", phase=Phase.PRIMARY)
    assert score(MATHS, PRIMARY, nearby_primary) is None
    assert suggest(MATHS, PRIMARY, [nearby_primary]) == []


def test_a_school_never_supports_itself() -> None:
    itself = PRIMARY.model_copy(update={"subjects": ["maths"]})
    assert suggest(MATHS, PRIMARY, [itself]) == []


def test_categories_count_when_no_subject_matches() -> None:
    need = SupportNeed(categories=[ActivityCategory.SCHOOL_IMPROVEMENT], phase=Phase.PRIMARY)
    improver = school("124005", "Northgate High", categories=["school_improvement", "stem"])
    (found,) = suggest(need, PRIMARY, [improver])
    assert found.reasons[0] == "expertise in school improvement"


def test_subjects_outrank_categories_and_phase_fit_breaks_a_tie() -> None:
    need = SupportNeed(
        subjects=["English"], categories=[ActivityCategory.LEADERSHIP], phase=Phase.PRIMARY
    )
    leadership = school("124006", "A Leadership School", categories=["leadership"])
    english_secondary = school("124007", "B English Secondary", subjects=["english"])
    english_primary = school(
        "124008", "C English Primary", phase=Phase.PRIMARY, subjects=["English"]
    )
    ranked = suggest(need, PRIMARY, [leadership, english_secondary, english_primary])
    assert [s.name for s in ranked] == [
        "C English Primary",
        "B English Secondary",
        "A Leadership School",
    ]
    assert "also a primary school" in ranked[0].reasons


def test_past_work_together_raises_a_school_and_says_how_often() -> None:
    a = school("124009", "Alpha Academy", subjects=["maths"])
    b = school("124010", "Beta Academy", subjects=["maths"])
    assert [s.urn for s in suggest(MATHS, PRIMARY, [a, b])] == ["124009", "124010"]

    ranked = suggest(MATHS, PRIMARY, [a, b], worked_together={"124010": 1})
    assert [s.urn for s in ranked] == ["124010", "124009"]
    assert "worked together before (1 engagement)" in ranked[0].reasons

    twice = suggest(MATHS, PRIMARY, [b], worked_together={"124010": 2})
    assert "worked together before (2 engagements)" in twice[0].reasons


def test_the_phase_of_the_requesting_school_is_used_when_the_need_names_none() -> None:
    need = SupportNeed(subjects=["maths"])
    fit = school("124011", "Phase Fit", subjects=["maths"], expertise_phases=[Phase.PRIMARY])
    (found,) = suggest(need, PRIMARY, [fit])
    assert "expertise in the primary phase" in found.reasons


def test_the_limit_keeps_the_best() -> None:
    many = [school(f"12410{n}", f"School {n}", subjects=["maths"]) for n in range(5)]
    assert len(suggest(MATHS, PRIMARY, many, limit=3)) == 3


def test_a_need_names_a_subject_or_a_category() -> None:
    with pytest.raises(ValidationError, match="at least one subject or category"):
        SupportNeed(subjects=["  "])
