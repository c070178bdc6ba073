"""The case study's lifecycle: which transitions are allowed, what each records, what it needs."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from contracts import case_studies as events
from contracts.vocabulary import ActivityCategory
from eventkit.errors import Conflict, Invalid
from services.events.domain.case_study import CaseStudy, CaseStudyContent, CaseStudyStatus

S = CaseStudyStatus
NOW = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=2)
OFFICER = "officer-1"

CONTENT = CaseStudyContent(
    title="Reading recovery across the cluster",
    categories=[ActivityCategory.ACADEMIC, ActivityCategory.DISADVANTAGE],
    aims="Raise reading ages of Year 7 pupils who arrive behind.",
    background="Three primaries and a secondary share a catchment.",
    resources="Two trained reading mentors; a shared library loan scheme.",
    impact="Reading ages rose by 14 months on average over two terms.",
    activity_ids=["act1"],
    urns=["110001", "110002"],
    authors=["p1"],
)


def draft(content: CaseStudyContent = CONTENT) -> CaseStudy:
    return CaseStudy.start(
        id="cs1", partnership_id="p-fen", content=content, created_by="p1", now=NOW
    )


def at(status: CaseStudyStatus) -> CaseStudy:
    """A case study brought to `status` through its own transitions, its events collected."""
    case_study = draft()
    path: list[Callable[[CaseStudy], None]] = {
        S.DRAFT: [],
        S.SUBMITTED: [lambda c: c.submit(NOW)],
        S.RETURNED: [lambda c: c.submit(NOW), lambda c: c.return_to_authors("more", OFFICER, NOW)],
        S.APPROVED: [lambda c: c.submit(NOW), lambda c: c.approve(None, OFFICER, NOW)],
        S.PUBLISHED: [
            lambda c: c.submit(NOW),
            lambda c: c.approve(None, OFFICER, NOW),
            lambda c: c.publish(NOW),
        ],
    }[status]
    for step in path:
        step(case_study)
    case_study.collect_events()
    assert case_study.status == status
    return case_study


def test_a_new_case_study_is_a_draft_and_tells_no_one() -> None:
    case_study = draft()
    assert case_study.status == S.DRAFT
    assert case_study.collect_events() == []


def test_the_full_path_records_one_event_per_step_with_what_readers_need() -> None:
    case_study = draft()
    case_study.submit(NOW)
    case_study.approve("Clear evidence of impact on pupils.", OFFICER, LATER)
    case_study.publish(LATER)

    submitted, approved, published = case_study.collect_events()
    assert isinstance(submitted, events.CaseStudySubmitted)
    assert isinstance(approved, events.CaseStudyApproved)
    assert isinstance(published, events.CaseStudyPublished)
    assert {e.aggregate_id() for e in (submitted, approved, published)} == {"cs1"}
    assert published.partnership_id == "p-fen"
    assert published.categories == [ActivityCategory.ACADEMIC, ActivityCategory.DISADVANTAGE]
    assert published.activity_ids == ["act1"] and published.urns == ["110001", "110002"]
    assert published.impact == CONTENT.impact and published.aims == CONTENT.aims
    assert published.summary == CONTENT.impact  # short enough to be its own summary
    assert approved.note == "Clear evidence of impact on pupils."
    assert case_study.status == S.PUBLISHED
    assert case_study.submitted_at == NOW and case_study.published_at == LATER
    assert [n.decision for n in case_study.review_notes] == ["approved"]


def test_a_returned_case_study_carries_the_note_and_can_be_edited_and_resubmitted() -> None:
    case_study = at(S.SUBMITTED)
    case_study.return_to_authors("Say how you measured the reading ages.", OFFICER, LATER)
    (returned,) = case_study.collect_events()
    assert isinstance(returned, events.CaseStudyReturned)
    assert returned.note == "Say how you measured the reading ages."
    assert case_study.review_notes[-1].by == OFFICER

    better = CONTENT.model_copy(update={"impact": f"{CONTENT.impact} (Salford test, Sept/March)"})
    case_study.edit(better, LATER)
    case_study.submit(LATER)
    assert case_study.status == S.SUBMITTED
    assert case_study.content.impact == better.impact


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.SUBMITTED, lambda c: c.edit(CONTENT, NOW)),
        (S.APPROVED, lambda c: c.edit(CONTENT, NOW)),
        (S.PUBLISHED, lambda c: c.edit(CONTENT, NOW)),
        (S.SUBMITTED, lambda c: c.submit(NOW)),
        (S.APPROVED, lambda c: c.submit(NOW)),
        (S.DRAFT, lambda c: c.approve(None, OFFICER, NOW)),
        (S.RETURNED, lambda c: c.approve(None, OFFICER, NOW)),
        (S.PUBLISHED, lambda c: c.approve(None, OFFICER, NOW)),
        (S.DRAFT, lambda c: c.return_to_authors("no", OFFICER, NOW)),
        (S.APPROVED, lambda c: c.return_to_authors("no", OFFICER, NOW)),
        (S.DRAFT, lambda c: c.publish(NOW)),
        (S.SUBMITTED, lambda c: c.publish(NOW)),
        (S.PUBLISHED, lambda c: c.publish(NOW)),
        (S.APPROVED, lambda c: c.withdraw("why", OFFICER, NOW)),
    ],
)
def test_wrong_state_transitions_are_conflicts_that_say_why(
    status: CaseStudyStatus, action: object
) -> None:
    case_study = at(status)
    with pytest.raises(Conflict) as raised:
        action(case_study)  # type: ignore[operator]
    assert f"a case study that is {status}" in str(raised.value)
    assert case_study.status == status
    assert case_study.collect_events() == []


def test_submitting_without_impact_names_the_field() -> None:
    case_study = draft(CONTENT.model_copy(update={"impact": None}))
    with pytest.raises(Invalid, match="impact"):
        case_study.submit(NOW)
    assert case_study.status == S.DRAFT and case_study.collect_events() == []


def test_blank_text_counts_as_missing_and_lists_have_no_repeats() -> None:
    content = CaseStudyContent(
        title="  Debating day  ",
        impact="   ",
        urns=["110001", "110001"],
        categories=[ActivityCategory.SPORT, ActivityCategory.SPORT],
    )
    assert content.title == "Debating day"
    assert content.impact is None and content.missing_for_submission() == ["impact"]
    assert content.urns == ["110001"] and content.categories == [ActivityCategory.SPORT]


def test_bad_content_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as raised:
        CaseStudyContent(title="ok title", impact="x" * 10_001, urns=["abc"])
    assert {e["loc"][0] for e in raised.value.errors()} == {"impact", "urns"}


def test_a_returned_case_study_needs_a_note() -> None:
    case_study = at(S.SUBMITTED)
    with pytest.raises(Invalid, match="note"):
        case_study.return_to_authors("  ", OFFICER, NOW)


def test_withdrawing_a_published_case_study_makes_it_a_draft_again() -> None:
    case_study = at(S.PUBLISHED)
    case_study.withdraw("A pupil could be identified from a photograph.", OFFICER, LATER)
    (withdrawn,) = case_study.collect_events()
    assert isinstance(withdrawn, events.CaseStudyWithdrawn)
    assert case_study.status == S.DRAFT and case_study.published_at is None
    case_study.edit(CONTENT, LATER)  # editable again


def test_the_summary_is_written_or_taken_from_the_impact_opening() -> None:
    long = CONTENT.model_copy(update={"impact": "word " * 200})
    summary = draft(long).summary
    assert len(summary) <= 300 and summary.endswith("…") and summary.startswith("word word")
    written = CONTENT.model_copy(update={"summary": "Reading ages up 14 months."})
    assert draft(written).summary == "Reading ages up 14 months."
