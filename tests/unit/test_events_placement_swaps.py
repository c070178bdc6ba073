"""Placement swap handlers against the in-memory unit of work: trainees of schools A and B swap
places, A hosting B's trainee and B hosting A's."""

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError
from unit.events_fakes import A, B, C, EventsFakeUnitOfWork, given_activity, world
from unit.fakes import coordinator, officer, school_lead, teacher

from contracts import placements as events
from contracts.membership import HeldRole
from contracts.placements import PlacementSwapStatus
from contracts.vocabulary import StaffRole
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.events.domain.placement_swap import Dates, SwapLegs
from services.events.service_layer import placement_swaps as swaps

S = PlacementSwapStatus
LEAD_A = school_lead(A, person_id="lead-a")
LEAD_B = school_lead(B, person_id="lead-b")
COCO = coordinator("p1", person_id="coco")
TERM = date.today() + timedelta(days=30)


@pytest.fixture
async def uow() -> EventsFakeUnitOfWork:
    uow = world()
    for person, urn in (("tia", A), ("tom", B)):
        role = HeldRole(
            role_id=f"{person}-trainee", role=StaffRole.TRAINEE, urn=urn, starts_on=date(2020, 9, 1)
        )
        await uow.directory.put_role(person, role)
    return uow


def legs(starts: date = TERM, **second: str | None) -> SwapLegs:
    """A hosts B's trainee tom (mentored by ann); B hosts A's trainee tia."""
    week = timedelta(days=4)
    return SwapLegs.model_validate(
        {
            "legs": [
                {
                    "host_urn": A,
                    "visitor_urn": B,
                    "visitor_id": "tom",
                    "mentor_id": "ann",
                    "starts_on": starts,
                    "ends_on": starts + week,
                },
                {
                    "host_urn": B,
                    "visitor_urn": A,
                    "visitor_id": "tia",
                    "starts_on": starts + 2 * week,
                    "ends_on": starts + 3 * week,
                    **second,
                },
            ]
        }
    )


async def test_two_schools_swap_trainees_agreed_by_both_leads(uow: EventsFakeUnitOfWork) -> None:
    swap = await swaps.propose(uow, LEAD_A, "p1", legs())
    assert swap.status == S.PROPOSED
    assert [(leg.host_urn, leg.visitor_id) for leg in swap.legs] == [(A, "tom"), (B, "tia")]

    first = await swaps.agree(uow, LEAD_A, swap.id)
    assert (first.status, first.agreed_for()) == (S.PROPOSED, {A})
    again = await swaps.agree(uow, LEAD_A, swap.id)
    assert len(again.agreements) == 1
    agreed = await swaps.agree(uow, LEAD_B, swap.id)
    assert agreed.status == S.AGREED
    assert [a.by for a in agreed.agreements] == ["lead-a", "lead-b"]

    later = Dates(starts_on=TERM + timedelta(days=7), ends_on=TERM + timedelta(days=11))
    moved = await swaps.reschedule(uow, COCO, swap.id, A, later)
    assert moved.leg_hosted_by(A).starts_on == later.starts_on
    with pytest.raises(NotFound, match="hosted by school 100003"):
        await swaps.reschedule(uow, COCO, swap.id, C, later)

    with pytest.raises(Conflict, match="both legs are over"):
        await swaps.complete(uow, COCO, swap.id)
    done = await swaps.complete(uow, LEAD_B, swap.id, today=TERM + timedelta(days=60))
    assert done.status == S.COMPLETED
    with pytest.raises(Conflict):
        await swaps.reschedule(uow, COCO, swap.id, A, later)
    assert uow.published_types() == [
        events.PlacementSwapProposed,
        events.PlacementSwapAgreed,
        events.PlacementSwapRescheduled,
        events.PlacementSwapCompleted,
    ]
    [proposed, agreed_event, *_] = uow.published
    assert isinstance(proposed, events.PlacementSwapProposed)
    assert proposed.legs[0].model_dump() == {
        "host_urn": A,
        "visitor_urn": B,
        "visitor_id": "tom",
        "mentor_id": "ann",
        "starts_on": TERM,
        "ends_on": TERM + timedelta(days=4),
    }
    assert isinstance(agreed_event, events.PlacementSwapAgreed)
    assert agreed_event.agreed_by_leads == [A, B]


async def test_a_coordinator_agrees_for_both_and_may_cancel(uow: EventsFakeUnitOfWork) -> None:
    swap = await swaps.propose(uow, COCO, "p1", legs())
    agreed = await swaps.agree(uow, COCO, swap.id)
    assert agreed.status == S.AGREED
    assert all(a.by_coordinator for a in agreed.agreements)
    cancelled = await swaps.cancel(uow, LEAD_A, swap.id, "Trainee withdrew")
    assert cancelled.status == S.CANCELLED
    with pytest.raises(Conflict):
        await swaps.agree(uow, LEAD_B, swap.id)
    assert uow.published_types()[-1] is events.PlacementSwapCancelled


async def test_who_sees_and_who_may_change_a_swap(uow: EventsFakeUnitOfWork) -> None:
    swap = await swaps.propose(uow, COCO, "p1", legs())
    for reader in (teacher(B, person_id="tom"), teacher(A, person_id="ann"), LEAD_A, officer()):
        assert (await swaps.get_swap(uow, reader, swap.id)).id == swap.id
    for stranger in (teacher(A, person_id="bob"), school_lead(C), coordinator("p2")):
        with pytest.raises(NotFound, match=f"no placement swap {swap.id}"):
            await swaps.get_swap(uow, stranger, swap.id)
    with pytest.raises(Forbidden):
        await swaps.agree(uow, teacher(B, person_id="tom"), swap.id)
    with pytest.raises(Forbidden):
        await swaps.propose(uow, teacher(A, person_id="ann"), "p1", legs())
    listed = await swaps.of_partnership(uow, teacher(B, person_id="tom"), "p1")
    assert [s.id for s in listed] == [swap.id]
    assert await swaps.of_partnership(uow, teacher(A, person_id="bob"), "p1") == []
    for outsider, pid in ((school_lead(C), "p1"), (school_lead(C), "nope")):
        with pytest.raises(NotFound, match=f"no partnership {pid}"):
            await swaps.of_partnership(uow, outsider, pid)
        with pytest.raises(NotFound, match=f"no partnership {pid}"):
            await swaps.propose(uow, outsider, pid, legs())


async def test_a_swap_names_members_their_trainees_and_a_swap_activity(
    uow: EventsFakeUnitOfWork,
) -> None:
    cases = [
        (legs(visitor_id="cat"), "legs.1.visitor_id: cat is not a current trainee or teacher"),
        (legs(visitor_id="dan"), "legs.1.visitor_id"),
        (legs(mentor_id="ann"), "legs.1.mentor_id: ann is not on the staff of school 100002"),
    ]
    for proposal, words in cases:
        with pytest.raises(Invalid, match=words):
            await swaps.propose(uow, COCO, "p1", proposal)
    first, second = (leg.model_dump() for leg in legs().legs)
    with_c = SwapLegs.model_validate(
        {"legs": [{**first, "host_urn": C, "mentor_id": None}, {**second, "visitor_urn": C}]}
    )
    with pytest.raises(Invalid, match=r"legs\.0\.host_urn: school 100003 is not an active member"):
        await swaps.propose(uow, COCO, "p1", with_c)
    await given_activity(uow, activity_id="teachmeet")
    await given_activity(uow, activity_id="swaps", format="trainee_placement_swap")
    await given_activity(
        uow, activity_id="p2swaps", format="trainee_placement_swap", partnership_id="p2"
    )
    for other in ("teachmeet", "p2swaps", "nosuch"):
        with pytest.raises(Invalid, match=f"activity_id: .* activity {other}"):
            await swaps.propose(uow, COCO, "p1", legs(), activity_id=other)
    grouped = await swaps.propose(uow, COCO, "p1", legs(), activity_id="swaps")
    assert grouped.activity_id == "swaps"


def test_the_legs_are_mirror_images_of_two_schools_with_dates_in_order() -> None:
    leg = legs().legs[0].model_dump()
    other = legs().legs[1].model_dump()
    for bad, words in [
        ([leg, {**other, "host_urn": C}], "the second leg goes the other way"),
        ([leg, leg], "the second leg goes the other way"),
        ([{**leg, "visitor_urn": A}, other], "does not swap with itself"),
        ([{**leg, "ends_on": leg["starts_on"] - timedelta(days=1)}, other], "ends_on"),
        ([leg], "at least 2"),
    ]:
        with pytest.raises(ValidationError, match=words):
            SwapLegs.model_validate({"legs": bad})


async def test_agreeing_and_completing_are_recorded_with_who_and_when(
    uow: EventsFakeUnitOfWork,
) -> None:
    past = date.today() - timedelta(days=60)
    swap = await swaps.propose(uow, COCO, "p1", legs(starts=past))
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    agreed = await swaps.agree(uow, COCO, swap.id, now=at)
    assert [(a.urn, a.at) for a in agreed.agreements] == [(A, at), (B, at)]
    done = await swaps.complete(uow, COCO, swap.id)
    assert done.completed_on == date.today()
