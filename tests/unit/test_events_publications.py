"""Publication handlers against the in-memory unit of work: the partnership's magazine, its
issues and the pupils of each school who made them, counted and never named."""

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from unit.events_fakes import A, B, C, EventsFakeUnitOfWork, world
from unit.fakes import coordinator, officer, school_lead, teacher

from contracts import publications as events
from contracts.publications import PublicationKind
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.events.domain.publication import Contribution, IssueDetails
from services.events.service_layer import publications

COCO = coordinator("p1", person_id="coco")
LEAD_A = school_lead(A, person_id="lead-a")
MAGAZINE = "Together: the Fenland schools' magazine"
TODAY = date.today()


@pytest.fixture
def uow() -> EventsFakeUnitOfWork:
    return world()


def issue(**changes: Any) -> IssueDetails:
    fields: dict[str, Any] = {
        "number": 1,
        "published_on": TODAY,
        "link": "https://magazine.example/issue-1",
        "contributions": [
            {"urn": B, "pupils": 12, "phases": ["primary"], "year_groups": [6, 5]},
            {"urn": A, "pupils": 30},
        ],
    }
    fields.update(changes)
    return IssueDetails.model_validate(fields)


async def started(uow: EventsFakeUnitOfWork) -> str:
    publication = await publications.start(uow, COCO, "p1", MAGAZINE, PublicationKind.MAGAZINE)
    return publication.id


async def test_a_coordinator_starts_a_magazine_and_publishes_an_issue(
    uow: EventsFakeUnitOfWork,
) -> None:
    pid = await started(uow)
    published = await publications.publish_issue(uow, COCO, pid, issue())
    [first] = published.issues
    assert [(c.urn, c.pupils) for c in first.contributions] == [(A, 30), (B, 12)]
    assert first.contributions[1].year_groups == [5, 6]
    assert first.pupils == 42

    recorded = await publications.record_contribution(
        uow, LEAD_A, pid, first.id, A, Contribution(pupils=28)
    )
    assert recorded.issue(first.id).pupils == 40
    unchanged = await publications.record_contribution(
        uow, LEAD_A, pid, first.id, A, Contribution(pupils=28)
    )
    assert unchanged.issue(first.id).pupils == 40
    assert uow.published_types() == [
        events.PublicationStarted,
        events.PublicationIssuePublished,
        events.PublicationContributionRecorded,
    ]
    _, issued, corrected = uow.published
    assert isinstance(issued, events.PublicationIssuePublished)
    assert (issued.pupils, issued.number, issued.published_on) == (42, 1, TODAY)
    assert [c.model_dump() for c in issued.contributions] == [
        {"urn": A, "pupils": 30},
        {"urn": B, "pupils": 12},
    ]
    assert isinstance(corrected, events.PublicationContributionRecorded)
    assert (corrected.previous_pupils, corrected.pupils) == (30, 40)


async def test_who_reads_and_who_writes_a_publication(uow: EventsFakeUnitOfWork) -> None:
    pid = await started(uow)
    for reader in (teacher(B), LEAD_A, officer(), COCO):
        assert (await publications.get_publication(uow, reader, pid)).title == MAGAZINE
        assert [p.id for p in await publications.of_partnership(uow, reader, "p1")] == [pid]
    for stranger in (teacher(C), school_lead(C), coordinator("p2")):
        with pytest.raises(NotFound, match=f"no publication {pid}"):
            await publications.get_publication(uow, stranger, pid)
        with pytest.raises(NotFound, match="no partnership p1"):
            await publications.of_partnership(uow, stranger, "p1")
        with pytest.raises(NotFound, match="no partnership p1"):
            await publications.start(uow, stranger, "p1", MAGAZINE, PublicationKind.NEWSLETTER)
    with pytest.raises(Forbidden):
        await publications.start(uow, LEAD_A, "p1", MAGAZINE, PublicationKind.NEWSLETTER)
    with pytest.raises(Forbidden):
        await publications.publish_issue(uow, LEAD_A, pid, issue())
    made = await publications.publish_issue(uow, COCO, pid, issue(contributions=[]))
    issue_id = made.issues[0].id
    with pytest.raises(Forbidden, match="lead of school 100002"):
        await publications.record_contribution(
            uow, LEAD_A, pid, issue_id, B, Contribution(pupils=3)
        )
    with pytest.raises(NotFound, match="no issue nosuch"):
        await publications.record_contribution(
            uow, LEAD_A, pid, "nosuch", A, Contribution(pupils=3)
        )


async def test_contributions_are_from_member_schools_and_issues_are_numbered_once(
    uow: EventsFakeUnitOfWork,
) -> None:
    pid = await started(uow)
    outside = issue(contributions=[{"urn": A, "pupils": 3}, {"urn": C, "pupils": 4}])
    with pytest.raises(Invalid, match=r"contributions\.1\.urn: school 100003 is not an active"):
        await publications.publish_issue(uow, COCO, pid, outside)
    made = await publications.publish_issue(uow, COCO, pid, issue())
    with pytest.raises(Conflict, match="issue number 1"):
        await publications.publish_issue(uow, COCO, pid, issue())
    with pytest.raises(Invalid, match="urn: school 100003"):
        await publications.record_contribution(
            uow, officer(), pid, made.issues[0].id, C, Contribution(pupils=3)
        )


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"number": None}, "number or a title"),
        ({"link": "http://magazine.example/1"}, "https"),
        ({"published_on": TODAY + timedelta(days=3)}, "future"),
        ({"contributions": [{"urn": A, "pupils": 0}]}, "greater than or equal to 1"),
        ({"contributions": [{"urn": A, "pupils": 5001}]}, "less than or equal to 5000"),
        ({"contributions": [{"urn": A, "pupils": "12"}]}, "valid integer"),
        ({"contributions": [{"urn": A, "pupils": 2}, {"urn": A, "pupils": 3}]}, "twice"),
        ({"contributions": [{"urn": A, "pupils": 2, "year_groups": [14]}]}, "13"),
    ],
)
def test_bad_issues_are_refused_naming_the_field(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        issue(**changes)


def test_a_link_is_kept_as_written_and_reads_back() -> None:
    """One whose normal form would be longer than a URL may be (the fuzzing found it): kept as
    given, it reads back from the database as it was."""
    odd = "https://a.com/" + "ä" * 480
    issue = IssueDetails(number=1, published_on=date.today(), link=odd)
    assert issue.link == odd
    assert IssueDetails.model_validate(issue.model_dump(mode="json")).link == odd
    with pytest.raises(ValidationError, match="https"):
        IssueDetails(number=1, published_on=date.today(), link="http://plain.example/issue")
