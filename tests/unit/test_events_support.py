"""School-to-school support handlers against the in-memory unit of work."""

from datetime import date, timedelta

import pytest
from unit.events_fakes import A, B, C, EventsFakeUnitOfWork, world
from unit.fakes import coordinator, officer, school_lead, teacher

from contracts import support as events
from contracts.support import SupportOutcome, SupportStatus
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.events.domain.support import Agreement, Closure, Review, SupportNeed
from services.events.service_layer import support

S = SupportStatus
LEAD_A = school_lead(A, person_id="lead-a")
LEAD_B = school_lead(B, person_id="lead-b")
COCO = coordinator("p1", person_id="coco")
MATHS = SupportNeed(subjects=["Maths"])
TODAY = date.today()
TERMS = Agreement(
    objectives=["Better maths lessons"],
    starts_on=TODAY - timedelta(days=10),
    ends_on=TODAY + timedelta(days=100),
    visits_planned=3,
)


@pytest.fixture
def uow() -> EventsFakeUnitOfWork:
    uow = world()
    uow.directory.add_school(B, name="School B", subjects=["Maths"])
    return uow


async def requested(uow: EventsFakeUnitOfWork) -> str:
    engagement = await support.request_support(uow, LEAD_A, "p1", A, MATHS)
    return engagement.id


async def test_a_lead_asks_for_support_through_the_partnership(uow: EventsFakeUnitOfWork) -> None:
    engagement = await support.request_support(uow, LEAD_A, "p1", A, MATHS)
    assert (engagement.status, engagement.requesting_urn) == (S.REQUESTED, A)
    assert (await support.get_engagement(uow, COCO, engagement.id)).id == engagement.id
    assert uow.published_types() == [events.SupportRequested]
    with pytest.raises(Forbidden):
        await support.request_support(uow, teacher(A), "p1", A, MATHS)
    with pytest.raises(Conflict, match="not an active member"):
        await support.request_support(uow, officer(), "p1", C, MATHS)
    with pytest.raises(NotFound):
        await support.request_support(uow, officer(), "nope", A, MATHS)


async def test_a_stranger_s_partnership_answers_as_one_that_does_not_exist(
    uow: EventsFakeUnitOfWork,
) -> None:
    lead_c = school_lead(C)  # C is a member of p2, not of p1
    with pytest.raises(NotFound, match="no partnership p1") as foreign:
        await support.request_support(uow, lead_c, "p1", C, MATHS)
    with pytest.raises(NotFound, match="no partnership nope") as unknown:
        await support.request_support(uow, lead_c, "nope", C, MATHS)
    assert type(foreign.value) is type(unknown.value)


async def test_outsiders_do_not_see_an_engagement(uow: EventsFakeUnitOfWork) -> None:
    engagement_id = await requested(uow)
    with pytest.raises(NotFound):
        await support.get_engagement(uow, school_lead(C), engagement_id)
    assert [e.id for e in await support.list_engagements(uow, teacher(A))] == [engagement_id]
    assert await support.list_engagements(uow, school_lead(C)) == []
    assert [e.id for e in await support.list_engagements(uow, officer())] == [engagement_id]


async def test_suggestions_are_the_partnership_s_schools(uow: EventsFakeUnitOfWork) -> None:
    engagement_id = await requested(uow)
    found = await support.suggestions(uow, COCO, engagement_id)
    assert [s.urn for s in found] == [B]
    with pytest.raises(Forbidden, match="all_schools"):
        await support.suggestions(uow, COCO, engagement_id, all_schools=True)


async def test_the_whole_way_from_match_to_close(uow: EventsFakeUnitOfWork) -> None:
    engagement_id = await requested(uow)
    with pytest.raises(Forbidden, match="choose the supporting school"):
        await support.match(uow, LEAD_A, engagement_id, B)
    with pytest.raises(Conflict, match="not an active member"):
        await support.match(uow, COCO, engagement_id, C)
    with pytest.raises(Invalid, match="no school"):
        await support.match(uow, COCO, engagement_id, "199999")
    assert (await support.match(uow, COCO, engagement_id, B)).status == S.MATCHED
    with pytest.raises(Forbidden, match="leads of the two schools"):
        await support.agree(uow, COCO, engagement_id, TERMS)
    assert (await support.agree(uow, LEAD_A, engagement_id, TERMS)).status == S.MATCHED
    assert (await support.agree(uow, LEAD_B, engagement_id, None)).status == S.AGREED
    with pytest.raises(Forbidden, match="supporting school's staff"):
        await support.record_visit(uow, LEAD_A, engagement_id, on=TODAY, impact_note="x")
    with pytest.raises(Invalid, match="in the future"):
        await support.record_visit(
            uow, LEAD_B, engagement_id, on=date.today() + timedelta(days=1), impact_note="x"
        )
    visited = await support.record_visit(
        uow, teacher(B, person_id="cat"), engagement_id, on=TODAY, impact_note="Good start"
    )
    assert (visited.status, visited.visits[0].by_person_id) == (S.ACTIVE, "cat")
    with pytest.raises(Forbidden, match="review support"):
        await support.review(uow, LEAD_A, engagement_id, Review(progress=4))
    assert (await support.review(uow, COCO, engagement_id, Review(progress=4))).status == S.REVIEWED
    closure = Closure(outcome=SupportOutcome.OBJECTIVES_MET, impact_summary="Lessons improved")
    closed = await support.close(uow, COCO, engagement_id, closure)
    assert closed.status == S.CLOSED
    async with uow:
        kept = await uow.support.get(engagement_id)
    assert kept is not None and kept.status == S.CLOSED
    assert events.SupportAgreed in uow.published_types()


async def test_the_requesting_lead_may_withdraw(uow: EventsFakeUnitOfWork) -> None:
    engagement_id = await requested(uow)
    with pytest.raises(Forbidden, match="withdraw a request"):
        await support.withdraw(uow, teacher(A), engagement_id, None)
    withdrawn = await support.withdraw(uow, LEAD_A, engagement_id, "sorted it ourselves")
    assert withdrawn.status == S.WITHDRAWN
