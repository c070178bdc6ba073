"""Peer review handlers against the in-memory unit of work: the whole story, who reads the
findings as the reviewed school shares them, bad plans and things out of order."""

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from unit.events_fakes import A, B, C, EventsFakeUnitOfWork, world
from unit.fakes import coordinator, officer, school_lead, teacher

from contracts import peer_review as events
from contracts.membership import HeldRole
from contracts.peer_review import PeerReviewSharing, PeerReviewStatus
from contracts.vocabulary import MembershipStatus, StaffRole
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.events.domain.directory import PersonCopy
from services.events.domain.peer_review import Finding, PeerReviewPlan
from services.events.service_layer import peer_reviews as handlers

D = "100004"
"""A third member school of p1 (A and B are the others)."""
S = PeerReviewStatus
TODAY = date.today()
VISIT = TODAY - timedelta(days=7)
LEAD_A = school_lead(A, person_id="lead-a")
HEAD_B = school_lead(B, person_id="head-b")
SENIOR_D = school_lead(D, person_id="senior-d")
COCO = coordinator("p1", person_id="coco")
READING, MATHS = "Reading in key stage 1", "Maths reasoning in Year 6"
SECRET_WORDS = ("Reading", "Phonics", "Year 6", "Mrs")


def role(person_id: str, kind: StaffRole, urn: str) -> HeldRole:
    return HeldRole(role_id=f"{person_id}-{kind}-{urn}", role=kind, urn=urn, starts_on=VISIT)


@pytest.fixture
def uow() -> EventsFakeUnitOfWork:
    """p1 has A, B and D; head-b heads B, senior-d leads at D, lead-a heads A (and also
    leads at B), cat teaches at B; dan teaches at C in p2."""
    uow = world()
    d = uow.directory
    d.partnerships["p1"].members[D] = MembershipStatus.ACTIVE
    d.add_school(D, name="School D")
    for person_id, roles in {
        "head-b": [role("head-b", StaffRole.HEAD, B)],
        "senior-d": [role("senior-d", StaffRole.SENIOR_LEADER, D)],
        "lead-a": [role("lead-a", StaffRole.HEAD, A), role("lead-a", StaffRole.SENIOR_LEADER, B)],
        "ann": [role("ann", StaffRole.TEACHER, A)],
    }.items():
        d.people[person_id] = PersonCopy(id=person_id, name=person_id, roles=roles)
    return uow


def plan(**changes: Any) -> PeerReviewPlan:
    body: dict[str, Any] = {
        "partnership_id": "p1",
        "reviewed_urn": A,
        "reviewer_ids": ["head-b", "senior-d"],
        "focus_areas": [READING, MATHS],
        "categories": ["school_improvement", "academic"],
        "visit_dates": [VISIT.isoformat()],
        **changes,
    }
    return PeerReviewPlan.model_validate(body)


FINDINGS = [
    Finding(focus_area="reading in key stage 1", kind="strength", text="Phonics taught daily"),
    Finding(focus_area=READING, kind="area_for_development", text="Mrs X's reading corner"),
    Finding(focus_area=MATHS, kind="strength", text="Year 6 reason aloud"),
]


async def reported(uow: EventsFakeUnitOfWork) -> str:
    review_id = (await handlers.plan_review(uow, COCO, plan())).review.id
    await handlers.record_visit(uow, HEAD_B, review_id)
    await handlers.report(uow, SENIOR_D, review_id, FINDINGS, TODAY)
    return review_id


async def test_a_school_is_reviewed_by_two_heads_and_closes_its_actions(
    uow: EventsFakeUnitOfWork,
) -> None:
    seen = await handlers.plan_review(uow, COCO, plan())
    review = seen.review
    assert (review.status, review.sharing) == (S.PLANNED, PeerReviewSharing.SCHOOL_AND_REVIEWERS)
    assert review.categories == ["academic", "school_improvement"]
    rid = review.id

    visited = await handlers.record_visit(uow, HEAD_B, rid)
    assert (visited.review.status, visited.review.visit_dates) == (S.VISITED, [VISIT])
    findings = await handlers.report(uow, SENIOR_D, rid, FINDINGS, TODAY)
    assert findings.review.status == S.REPORTED
    assert [f.focus_area for f in findings.review.findings] == [READING, READING, MATHS]

    due = TODAY + timedelta(days=60)
    first = await handlers.agree_action(
        uow, LEAD_A, rid, text="Reading corner in every class", due_on=due, owner_person_id="ann"
    )
    second = await handlers.agree_action(uow, LEAD_A, rid, text="Share Year 6 talk", due_on=due)
    one, two = (a.id for a in second.review.actions)
    assert first.review.actions[0].owner_person_id == "ann"
    await handlers.follow_up(uow, LEAD_A, rid, one, note="Half the classes have one")
    done = await handlers.mark_done(uow, LEAD_A, rid, one)
    assert done.review.actions_done == 1
    assert done.review.actions[0].follow_ups[0].by_person_id == "lead-a"
    await handlers.share(uow, LEAD_A, rid, PeerReviewSharing.PARTNERSHIP)
    with pytest.raises(Invalid, match="reasons: 1 of the agreed actions"):
        await handlers.close(uow, LEAD_A, rid)
    closed = await handlers.close(uow, LEAD_A, rid, reasons="The second moves to next year's plan")
    assert closed.review.status == S.CLOSED and two

    assert uow.published_types() == [
        events.PeerReviewPlanned,
        events.PeerReviewVisited,
        events.PeerReviewReported,
        events.PeerReviewActionAgreed,
        events.PeerReviewActionAgreed,
        events.PeerReviewActionFollowedUp,
        events.PeerReviewActionDone,
        events.PeerReviewSharingChanged,
        events.PeerReviewClosed,
    ]
    planned, _, report, *_, closing = uow.published
    assert isinstance(planned, events.PeerReviewPlanned)
    assert (planned.reviewer_ids, planned.focus_area_count) == (["head-b", "senior-d"], 2)
    assert isinstance(report, events.PeerReviewReported)
    assert (report.strengths, report.areas_for_development) == (2, 1)
    assert isinstance(closing, events.PeerReviewClosed)
    assert (closing.actions_agreed, closing.actions_done, closing.with_reasons) == (2, 1, True)
    said = " ".join(e.model_dump_json() for e in uow.published)
    assert not [w for w in (*SECRET_WORDS, "corner", "next year") if w in said]


async def test_findings_are_read_as_far_as_the_school_shares_them(
    uow: EventsFakeUnitOfWork,
) -> None:
    rid = await reported(uow)
    lead_b = school_lead(B)  # a lead of a member school who is not a reviewer
    insiders = (LEAD_A, HEAD_B, SENIOR_D)
    knowing = (lead_b, COCO, officer(), teacher(A), teacher(D))

    async def readers() -> list[bool]:
        return [(await handlers.get_review(uow, p, rid)).reads_findings for p in knowing]

    for p in insiders:
        assert (await handlers.get_review(uow, p, rid)).reads_findings
    assert await readers() == [False, False, False, False, False]
    await handlers.share(uow, LEAD_A, rid, PeerReviewSharing.PARTNERSHIP)
    assert await readers() == [True, True, False, False, False]
    await handlers.share(uow, LEAD_A, rid, PeerReviewSharing.COUNTY)
    assert await readers() == [True, True, True, False, False]

    for stranger in (school_lead(C), coordinator("p2"), teacher(C)):
        with pytest.raises(NotFound, match=f"no peer review {rid}"):
            await handlers.get_review(uow, stranger, rid)
        with pytest.raises(NotFound, match="no partnership p1"):
            await handlers.reviews_of_partnership(uow, stranger, "p1")
    listed = await handlers.reviews_of_partnership(uow, teacher(A), "p1")
    assert [s.review.id for s in listed] == [rid]
    for p in (COCO, HEAD_B, officer()):
        with pytest.raises(Forbidden, match="decide what is shared"):
            await handlers.share(uow, p, rid, PeerReviewSharing.SCHOOL_AND_REVIEWERS)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"reviewer_ids": ["lead-a"]}, "reviewer_ids.0: person lead-a is on the staff of the"),
        ({"reviewer_ids": ["head-b", "cat"]}, "reviewer_ids.1: person cat is not a current head"),
        ({"reviewer_ids": ["nobody"]}, "reviewer_ids.0: person nobody is not a current head"),
        ({"reviewed_urn": C}, f"reviewed_urn: school {C} is not an active member"),
    ],
)
async def test_a_plan_names_member_schools_and_leaders_of_other_ones(
    uow: EventsFakeUnitOfWork, changes: dict[str, Any], words: str
) -> None:
    with pytest.raises(Invalid, match=words.replace(".", r"\.")):
        await handlers.plan_review(uow, COCO, plan(**changes))
    assert uow.published == []


async def test_who_plans_a_review(uow: EventsFakeUnitOfWork) -> None:
    assert (await handlers.plan_review(uow, LEAD_A, plan())).review.planned_by == "lead-a"
    for refused in (teacher(A), school_lead(B), officer()):
        with pytest.raises(Forbidden, match="plan a peer review"):
            await handlers.plan_review(uow, refused, plan())
    for stranger in (coordinator("p2"), school_lead(C)):
        with pytest.raises(NotFound, match="no partnership p1"):
            await handlers.plan_review(uow, stranger, plan())
    with pytest.raises(NotFound, match="no partnership nope"):
        await handlers.plan_review(uow, officer(), plan(partnership_id="nope"))


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"focus_areas": []}, "focus_areas"),
        ({"focus_areas": ["Reading", " reading "]}, "named twice"),
        ({"focus_areas": [f"Area {n}" for n in range(9)]}, "focus_areas"),
        ({"reviewer_ids": []}, "reviewer_ids"),
        ({"reviewer_ids": [f"p{n}" for n in range(7)]}, "reviewer_ids"),
        ({"visit_dates": []}, "visit_dates"),
        ({"categories": ["cookery"]}, "categories"),
    ],
)
def test_a_plan_has_focus_areas_reviewers_and_a_visit(changes: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        plan(**changes)


async def test_each_step_in_its_order_and_by_its_people(uow: EventsFakeUnitOfWork) -> None:
    seen = await handlers.plan_review(uow, COCO, plan(visit_dates=[TODAY.isoformat()]))
    rid = seen.review.id
    with pytest.raises(Conflict, match="record the visit first"):
        await handlers.report(uow, HEAD_B, rid, FINDINGS, TODAY)
    with pytest.raises(Conflict, match="record the findings first"):
        await handlers.agree_action(uow, LEAD_A, rid, text="x", due_on=TODAY)
    with pytest.raises(Forbidden, match="record the visit"):
        await handlers.record_visit(uow, LEAD_A, rid)
    with pytest.raises(Invalid, match="visit_dates: it is recorded once it happened"):
        await handlers.record_visit(uow, HEAD_B, rid, [TODAY + timedelta(days=3)])
    await handlers.record_visit(uow, COCO, rid)
    with pytest.raises(Conflict, match="cannot record the visit of a peer review that is visited"):
        await handlers.record_visit(uow, HEAD_B, rid)

    stray = [Finding(focus_area="Attendance", kind="strength", text="Good")]
    with pytest.raises(Invalid, match=r"findings\.0\.focus_area: not one of"):
        await handlers.report(uow, HEAD_B, rid, stray, TODAY)
    with pytest.raises(Invalid, match="reported_on: the findings follow the visit"):
        await handlers.report(uow, HEAD_B, rid, FINDINGS, TODAY - timedelta(days=1))
    await handlers.report(uow, HEAD_B, rid, FINDINGS, TODAY)

    with pytest.raises(Invalid, match="due_on: an action falls due after the visit"):
        await handlers.agree_action(uow, LEAD_A, rid, text="x", due_on=TODAY - timedelta(days=1))
    with pytest.raises(Invalid, match="owner_person_id: person cat is not on the staff"):
        await handlers.agree_action(uow, LEAD_A, rid, text="x", due_on=TODAY, owner_person_id="cat")
    with pytest.raises(Forbidden, match="agree actions"):
        await handlers.agree_action(uow, HEAD_B, rid, text="x", due_on=TODAY)
    agreed = await handlers.agree_action(uow, LEAD_A, rid, text="x", due_on=TODAY)
    action_id = agreed.review.actions[0].id
    with pytest.raises(NotFound, match="no action nope"):
        await handlers.mark_done(uow, LEAD_A, rid, "nope")
    await handlers.mark_done(uow, LEAD_A, rid, action_id)
    with pytest.raises(Conflict, match="was done on"):
        await handlers.mark_done(uow, LEAD_A, rid, action_id)
    with pytest.raises(Conflict, match="was done on"):
        await handlers.follow_up(uow, LEAD_A, rid, action_id, note="late")

    closed = await handlers.close(uow, LEAD_A, rid)
    assert closed.review.closure is not None and closed.review.closure.reasons is None
    with pytest.raises(Conflict, match=r"that is closed$"):
        await handlers.report(uow, HEAD_B, rid, FINDINGS, TODAY)
    with pytest.raises(Conflict, match="withdraw a peer review that is closed"):
        await handlers.withdraw(uow, COCO, rid)


async def test_a_review_is_withdrawn_by_its_school_or_coordinator(
    uow: EventsFakeUnitOfWork,
) -> None:
    rid = (await handlers.plan_review(uow, COCO, plan())).review.id
    with pytest.raises(Forbidden):
        await handlers.withdraw(uow, HEAD_B, rid, "no")
    withdrawn = await handlers.withdraw(uow, LEAD_A, rid, "The head is leaving")
    assert withdrawn.review.status == S.WITHDRAWN
    assert uow.published_types()[-1] is events.PeerReviewWithdrawn
    with pytest.raises(Conflict, match="withdrawn"):
        await handlers.share(uow, LEAD_A, rid, PeerReviewSharing.COUNTY)
