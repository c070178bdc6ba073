"""Contributor and fundraising handlers, driven with fakes."""

from datetime import timedelta

import pytest
from unit.events_fakes import NOW, A, given_activity, stored_activity, world
from unit.fakes import coordinator, teacher

from contracts import activities as events
from contracts.activities import ContributorStatus
from contracts.vocabulary import ActivityStatus, ContributorRole
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.events.domain.activity import Donation, Invitation
from services.events.service_layer import contributors, fundraising

COCO = coordinator("p1", person_id="coco")
ANN = teacher(A, person_id="ann")
CAT = teacher("100002", person_id="cat")


async def test_an_invited_facilitator_confirms_changes_their_mind_and_only_the_coordinator_withdraws() -> (
    None
):
    uow = world()
    await given_activity(uow)
    made = await contributors.invite(
        uow, COCO, "act1", Invitation(person_id="ann", role=ContributorRole.FACILITATOR)
    )
    assert [c.name for c in await contributors.of_activity(uow, ANN, "act1")] == []
    await contributors.answer(uow, ANN, "act1", made.id, ContributorStatus.CONFIRMED)
    [credit] = await contributors.of_activity(uow, CAT, "act1")
    assert (credit.name, credit.of) == ("Ann Able", "School 100001")
    await contributors.answer(uow, ANN, "act1", made.id, ContributorStatus.DECLINED)
    with pytest.raises(NotFound):
        await contributors.answer(uow, CAT, "act1", made.id, ContributorStatus.CONFIRMED)
    with pytest.raises(Forbidden):
        await contributors.answer(uow, ANN, "act1", made.id, ContributorStatus.WITHDRAWN)
    with pytest.raises(Conflict):
        await contributors.answer(uow, COCO, "act1", made.id, ContributorStatus.WITHDRAWN)
    assert [type(e) for e in uow.published] == [
        events.ContributorInvited,
        events.ContributorAnswered,
        events.ContributorAnswered,
    ]


async def test_nobody_unknown_is_invited_and_a_cancelled_activity_takes_no_one() -> None:
    uow = world()
    await given_activity(uow)
    with pytest.raises(Invalid, match="nobody"):
        await contributors.invite(
            uow, COCO, "act1", Invitation(person_id="nobody", role=ContributorRole.SPEAKER)
        )
    await given_activity(uow, ActivityStatus.CANCELLED, activity_id="act2")
    with pytest.raises(Conflict):
        await contributors.invite(
            uow, COCO, "act2", Invitation(person_id="ann", role=ContributorRole.SPEAKER)
        )


async def test_funds_are_totalled_by_charity_and_an_entry_made_in_error_comes_out() -> None:
    uow = world()
    started = NOW - timedelta(days=2)
    activity = await given_activity(uow)
    activity.details.sessions[0].starts_at = started
    activity.details.sessions[0].ends_at = started + timedelta(hours=1)
    async with uow:
        await uow.activities.save(activity)
        await uow.commit()
    day = started.date()
    await fundraising.record(
        uow, COCO, "act1", Donation(charity="Demelza", amount_pence=5000, raised_on=day)
    )
    wrong = await fundraising.record(
        uow, COCO, "act1", Donation(charity="Demelza", amount_pence=1, raised_on=day)
    )
    with pytest.raises(Forbidden):
        await fundraising.remove(uow, ANN, "act1", wrong.id)
    funds = await fundraising.remove(uow, COCO, "act1", wrong.id)
    assert (funds.total_pence, funds.by_charity) == (5000, {"Demelza": 5000})
    assert len((await stored_activity(uow)).funds) == 1
    with pytest.raises(Invalid, match="raised_on"):
        early = Donation(charity="Demelza", amount_pence=5, raised_on=day - timedelta(days=9))
        await fundraising.record(uow, COCO, "act1", early)
