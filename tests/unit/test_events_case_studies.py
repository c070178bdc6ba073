"""Case study handlers against the in-memory unit of work: writing, review, publishing, reading."""

import pytest
from unit.events_fakes import NOW, A, C, EventsFakeUnitOfWork, given_activity, world
from unit.fakes import coordinator, officer, school_lead, teacher

from contracts import case_studies as events
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.events.domain.case_study import CaseStudyContent, CaseStudyStatus
from services.events.service_layer import case_studies as handlers

S = CaseStudyStatus
LEAD_A = school_lead(A, person_id="lead-a")
COCO = coordinator("p1", person_id="coco")
OFFICER = officer()


def content(**changes: object) -> CaseStudyContent:
    fields: dict[str, object] = {"title": "Maths across the fens", "urns": [A]}
    fields.update(changes)
    return CaseStudyContent.model_validate(fields)


@pytest.fixture
def uow() -> EventsFakeUnitOfWork:
    return world()


async def drafted(uow: EventsFakeUnitOfWork) -> str:
    case_study = await handlers.create_case_study(uow, LEAD_A, "p1", content(), now=NOW)
    return case_study.id


async def test_a_lead_writes_a_draft_and_becomes_its_author(uow: EventsFakeUnitOfWork) -> None:
    case_study = await handlers.create_case_study(uow, LEAD_A, "p1", content(), now=NOW)
    assert (case_study.status, case_study.content.authors) == (S.DRAFT, ["lead-a"])
    assert (await handlers.get_case_study(uow, COCO, case_study.id)).id == case_study.id
    with pytest.raises(NotFound):  # a draft does not exist to outsiders
        await handlers.get_case_study(uow, teacher(C), case_study.id)


async def test_what_may_be_written_and_linked(uow: EventsFakeUnitOfWork) -> None:
    with pytest.raises(Forbidden, match="may write a case study"):
        await handlers.create_case_study(uow, teacher(A), "p1", content())
    with pytest.raises(Invalid, match="not a member school"):
        await handlers.create_case_study(uow, COCO, "p1", content(urns=[C]))
    with pytest.raises(Invalid, match="not an activity of partnership"):
        await handlers.create_case_study(uow, COCO, "p1", content(activity_ids=["nope"]))
    with pytest.raises(Invalid, match="no person ghost is known in this partnership"):
        await handlers.create_case_study(uow, COCO, "p1", content(authors=["ghost"]))
    with pytest.raises(Invalid, match="no person dan is known in this partnership"):
        await handlers.create_case_study(uow, COCO, "p1", content(authors=["dan"]))  # of p2
    await given_activity(uow)
    linked = await handlers.create_case_study(uow, COCO, "p1", content(activity_ids=["act1"]))
    assert linked.content.activity_ids == ["act1"]


async def test_edit_with_the_version_read(uow: EventsFakeUnitOfWork) -> None:
    case_study_id = await drafted(uow)
    edited = await handlers.update_case_study(
        uow, LEAD_A, case_study_id, content(impact="Better lessons"), expected_version=1, now=NOW
    )
    assert edited.content.impact == "Better lessons"
    with pytest.raises(Conflict, match="not 1"):
        await handlers.update_case_study(uow, LEAD_A, case_study_id, content(), 1, now=NOW)
    with pytest.raises(Forbidden, match="keep one of your schools"):
        await handlers.update_case_study(uow, LEAD_A, case_study_id, content(urns=[]), now=NOW)
    with pytest.raises(NotFound):  # a lead of another school does not see the draft
        await handlers.update_case_study(uow, school_lead("100002"), case_study_id, content())


async def test_review_then_publish_then_withdraw(uow: EventsFakeUnitOfWork) -> None:
    case_study_id = await drafted(uow)
    await handlers.update_case_study(uow, LEAD_A, case_study_id, content(impact="Better"), now=NOW)
    ann = teacher(A, person_id="ann")  # an author sees it, but does not write it
    await handlers.update_case_study(
        uow, LEAD_A, case_study_id, content(impact="Better", authors=["lead-a", "ann"]), now=NOW
    )
    with pytest.raises(Forbidden, match="may submit"):
        await handlers.submit_case_study(uow, ann, case_study_id)
    with pytest.raises(Forbidden, match="may edit"):
        await handlers.update_case_study(uow, ann, case_study_id, content())
    assert (await handlers.submit_case_study(uow, LEAD_A, case_study_id)).status == S.SUBMITTED
    with pytest.raises(Forbidden, match="county officer may approve"):
        await handlers.approve_case_study(uow, COCO, case_study_id, None)
    returned = await handlers.return_case_study(uow, OFFICER, case_study_id, "More numbers")
    assert returned.status == S.RETURNED
    await handlers.submit_case_study(uow, LEAD_A, case_study_id)
    await handlers.approve_case_study(uow, OFFICER, case_study_id, "Lovely")
    with pytest.raises(Forbidden, match="may publish it"):
        await handlers.publish_case_study(uow, LEAD_A, case_study_id)
    published = await handlers.publish_case_study(uow, COCO, case_study_id)
    assert published.status == S.PUBLISHED
    outsider = teacher(C)
    seen = await handlers.get_case_study(uow, outsider, case_study_id)
    assert seen.review_notes == []  # the officers' notes are for insiders
    assert seen.content.authors == []  # and outsiders learn no person ids
    assert len((await handlers.get_case_study(uow, LEAD_A, case_study_id)).review_notes) == 2
    withdrawn = await handlers.withdraw_case_study(uow, OFFICER, case_study_id, "Out of date")
    assert withdrawn.status == S.DRAFT
    assert uow.published_types()[-2:] == [events.CaseStudyPublished, events.CaseStudyWithdrawn]


async def test_listings_show_the_published_and_what_the_caller_may_see(
    uow: EventsFakeUnitOfWork,
) -> None:
    draft_id = await drafted(uow)
    other = await handlers.create_case_study(uow, OFFICER, "p2", content(urns=[]), now=NOW)
    assert {c.id for c in await handlers.list_case_studies(uow, OFFICER)} == {draft_id, other.id}
    assert [c.id for c in await handlers.list_case_studies(uow, LEAD_A)] == [draft_id]
    assert [c.id for c in await handlers.list_case_studies(uow, COCO)] == [draft_id]
    assert await handlers.list_case_studies(uow, teacher(C)) == []
    assert await handlers.list_case_studies(uow, OFFICER, status=S.PUBLISHED) == []
    assert [c.id for c in await handlers.list_case_studies(uow, OFFICER, partnership_id="p2")] == [
        other.id
    ]
    assert len(await handlers.list_case_studies(uow, OFFICER, limit=1)) == 1
