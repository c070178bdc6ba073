"""Partnership handlers and domain against the in-memory unit of work: events, lifecycle, scoping."""

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from unit.fakes import FakeUnitOfWork, Store, coordinator, officer, school_lead, teacher

from contracts import membership as events
from contracts.vocabulary import (
    ActivityCategory,
    MembershipRole,
    MembershipStatus,
    PartnershipKind,
    Phase,
    Sector,
    StaffRole,
)
from eventkit.auth import Principal
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.membership.domain.partnership import Partnership, PartnershipDetails
from services.membership.domain.person import PersonDetails, RoleAssignment
from services.membership.domain.school import SchoolDetails
from services.membership.service_layer import partnerships as handlers
from services.membership.service_layer import people
from services.membership.service_layer.schools import register_school

FENLAND = PartnershipDetails(
    name="Fenland Learning Partnership",
    kind=PartnershipKind.FORMAL_PARTNERSHIP,
    aims=[ActivityCategory.STEM, ActivityCategory.TEACHER_DEVELOPMENT],
    area=["873"],
)
A, B, C = "110001", "110002", "110003"
SEPT = date(2025, 9, 1)
OCT = date(2025, 10, 1)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


async def register(uow: FakeUnitOfWork, *urns: str) -> None:
    for urn in urns:
        details = SchoolDetails(name=f"School {urn}", phase=Phase.PRIMARY, sector=Sector.STATE)
        await register_school(uow, officer(), urn, details)
    uow.published.clear()


async def create(
    uow: FakeUnitOfWork, name: str = FENLAND.name, by: Principal | None = None
) -> Partnership:
    details = FENLAND.model_copy(update={"name": name})
    partnership = await handlers.create_partnership(uow, by or officer(), details)
    uow.published.clear()
    return partnership


async def stored(uow: FakeUnitOfWork, pid: str) -> Partnership:
    partnership = await uow.partnerships.get(pid)
    assert partnership is not None
    return partnership


# creating and updating


async def test_creating_a_partnership_records_partnership_created(uow: FakeUnitOfWork) -> None:
    partnership = await handlers.create_partnership(uow, officer(), FENLAND)

    assert uow.committed
    [created] = uow.published
    assert isinstance(created, events.PartnershipCreated)
    assert created.partnership_id == partnership.id
    assert (created.name, created.kind, created.aims, created.area) == (
        FENLAND.name,
        FENLAND.kind,
        FENLAND.aims,
        FENLAND.area,
    )
    saved = await stored(uow, partnership.id)
    assert saved.details == FENLAND
    assert saved.version == 1
    assert saved.coordinators == []


async def test_a_coordinator_who_creates_a_partnership_becomes_its_coordinator(
    uow: FakeUnitOfWork,
) -> None:
    ann = coordinator(person_id="p-ann")

    partnership = await handlers.create_partnership(uow, ann, FENLAND)

    assert uow.published_types() == [events.PartnershipCreated, events.CoordinatorAssigned]
    assigned = uow.published[1]
    assert isinstance(assigned, events.CoordinatorAssigned)
    assert assigned.person_id == "p-ann"
    assert (await stored(uow, partnership.id)).coordinators == ["p-ann"]
    # her token does not name the new partnership, yet she coordinates it
    await handlers.update_partnership(
        uow, ann, partnership.id, FENLAND.model_copy(update={"name": "Fenland Partnership"})
    )
    assert (await stored(uow, partnership.id)).details.name == "Fenland Partnership"


@pytest.mark.parametrize(
    "caller",
    [school_lead(A), teacher(A), coordinator()],
    ids=["school lead", "teacher", "coordinator without a person id"],
)
async def test_only_officers_and_coordinators_create_partnerships(
    uow: FakeUnitOfWork, caller: Principal
) -> None:
    with pytest.raises(Forbidden):
        await handlers.create_partnership(uow, caller, FENLAND)
    assert uow.published == []
    assert await uow.partnerships.all() == []


async def test_an_update_without_change_records_nothing(uow: FakeUnitOfWork) -> None:
    partnership = await create(uow)

    await handlers.update_partnership(uow, officer(), partnership.id, FENLAND.model_copy())

    assert uow.published == []


async def test_an_update_records_the_details_as_they_now_stand(uow: FakeUnitOfWork) -> None:
    partnership = await create(uow)
    changed = FENLAND.model_copy(update={"aims": [ActivityCategory.SEND], "area": ["873", "874"]})

    await handlers.update_partnership(uow, officer(), partnership.id, changed)

    [updated] = uow.published
    assert isinstance(updated, events.PartnershipUpdated)
    assert (updated.name, updated.aims, updated.area) == (FENLAND.name, changed.aims, changed.area)
    saved = await stored(uow, partnership.id)
    assert saved.details == changed
    assert saved.version == 2


async def test_a_coordinator_must_be_a_known_person(uow: FakeUnitOfWork) -> None:
    partnership = await create(uow)

    with pytest.raises(Invalid, match="p-nobody"):
        await handlers.assign_coordinator(uow, officer(), partnership.id, "p-nobody")
    with pytest.raises(NotFound):
        await handlers.remove_coordinator(uow, officer(), partnership.id, "p-nobody")
    assert uow.published == []


async def test_a_coordinator_cannot_attach_a_person_they_may_not_see(uow: FakeUnitOfWork) -> None:
    await register(uow, C)
    ours = await create(uow)
    elsewhere = RoleAssignment(role=StaffRole.TEACHER, urn=C, starts_on=SEPT)
    details = PersonDetails(name="Eve Elsewhere", email="eve@example.org")
    eve = await people.add_person(uow, officer(), details, elsewhere)
    uow.published.clear()

    ours_coordinator = coordinator(ours.id, person_id="p-cora")
    with pytest.raises(Invalid) as foreign:
        await handlers.assign_coordinator(uow, ours_coordinator, ours.id, eve.id)
    with pytest.raises(Invalid) as unknown:
        await handlers.assign_coordinator(uow, ours_coordinator, ours.id, "p-nobody")
    assert str(foreign.value).replace(eve.id, "X") == str(unknown.value).replace("p-nobody", "X")
    assert uow.published == []


# memberships


async def test_an_invited_school_that_accepts_has_joined(uow: FakeUnitOfWork) -> None:
    await register(uow, A)
    partnership = await create(uow)

    await handlers.invite_school(uow, officer(), partnership.id, A, MembershipRole.FOUNDER, SEPT)
    await handlers.accept_invitation(uow, school_lead(A), partnership.id, A, OCT)

    invited, joined = uow.published
    assert isinstance(invited, events.SchoolInvited)
    assert (invited.urn, invited.role, invited.invited_on) == (A, MembershipRole.FOUNDER, SEPT)
    assert isinstance(joined, events.SchoolJoined)
    assert (joined.urn, joined.role, joined.joined_on) == (A, MembershipRole.FOUNDER, OCT)
    membership = (await stored(uow, partnership.id)).memberships[A]
    assert membership.status == MembershipStatus.ACTIVE
    assert (membership.invited_on, membership.joined_on) == (SEPT, OCT)


async def test_a_stranger_accepting_learns_nothing_of_whom_a_partnership_invited(
    uow: FakeUnitOfWork,
) -> None:
    await register(uow, A)
    partnership = await create(uow)
    await handlers.invite_school(uow, officer(), partnership.id, A, MembershipRole.MEMBER, SEPT)

    stranger = school_lead("199999")
    with pytest.raises(NotFound) as invited:
        await handlers.accept_invitation(uow, stranger, partnership.id, A, OCT)
    with pytest.raises(NotFound) as not_there:
        await handlers.accept_invitation(uow, stranger, "no-such-partnership", A, OCT)
    assert str(invited.value) == f"no invitation of school {A} to partnership {partnership.id}"
    assert str(not_there.value).startswith(f"no invitation of school {A} to partnership")


async def test_only_a_county_officer_adds_a_school_straight_in(uow: FakeUnitOfWork) -> None:
    await register(uow, A)
    ann = coordinator(person_id="p-ann")
    partnership = await create(uow, by=ann)

    with pytest.raises(Forbidden):  # a coordinator invites; the school's lead accepts
        await handlers.join_school(uow, ann, partnership.id, A, MembershipRole.MEMBER, SEPT)
    assert uow.published == [] and not (await stored(uow, partnership.id)).is_member(A)

    await handlers.join_school(uow, officer(), partnership.id, A, MembershipRole.MEMBER, SEPT)

    [joined] = uow.published
    assert isinstance(joined, events.SchoolJoined)
    assert (joined.partnership_id, joined.urn, joined.joined_on) == (partnership.id, A, SEPT)
    assert (await stored(uow, partnership.id)).is_member(A)


async def test_suspend_reinstate_and_leave(uow: FakeUnitOfWork) -> None:
    await register(uow, A)
    pid = (await create(uow)).id
    await handlers.join_school(uow, officer(), pid, A, MembershipRole.MEMBER, SEPT)
    uow.published.clear()

    await handlers.suspend_membership(uow, officer(), pid, A, OCT, "no head in post")
    suspended = (await stored(uow, pid)).memberships[A]
    assert suspended.status == MembershipStatus.SUSPENDED
    assert suspended.suspension_reason == "no head in post"
    assert not (await stored(uow, pid)).is_member(A)

    await handlers.reinstate_membership(uow, officer(), pid, A, date(2025, 11, 1))
    reinstated = (await stored(uow, pid)).memberships[A]
    assert reinstated.status == MembershipStatus.ACTIVE
    assert reinstated.suspension_reason is None

    await handlers.leave(uow, school_lead(A), pid, A, date(2026, 7, 31))
    left = (await stored(uow, pid)).memberships[A]
    assert (left.status, left.left_on) == (MembershipStatus.LEFT, date(2026, 7, 31))

    suspension, reinstatement, leaving = uow.published
    assert isinstance(suspension, events.MembershipSuspended)
    assert (suspension.suspended_on, suspension.reason) == (OCT, "no head in post")
    assert isinstance(reinstatement, events.MembershipReinstated)
    assert reinstatement.reinstated_on == date(2025, 11, 1)
    assert isinstance(leaving, events.SchoolLeft)
    assert leaving.left_on == date(2026, 7, 31)


Step = Callable[[FakeUnitOfWork, str], Awaitable[object]]


def invite(uow: FakeUnitOfWork, pid: str) -> Awaitable[object]:
    return handlers.invite_school(uow, officer(), pid, A, MembershipRole.MEMBER, SEPT)


def join(uow: FakeUnitOfWork, pid: str) -> Awaitable[object]:
    return handlers.join_school(uow, officer(), pid, A, MembershipRole.MEMBER, SEPT)


def accept(uow: FakeUnitOfWork, pid: str) -> Awaitable[object]:
    return handlers.accept_invitation(uow, school_lead(A), pid, A, OCT)


def suspend(uow: FakeUnitOfWork, pid: str) -> Awaitable[object]:
    return handlers.suspend_membership(uow, officer(), pid, A, OCT, None)


def reinstate(uow: FakeUnitOfWork, pid: str) -> Awaitable[object]:
    return handlers.reinstate_membership(uow, officer(), pid, A, OCT)


def leave(uow: FakeUnitOfWork, pid: str) -> Awaitable[object]:
    return handlers.leave(uow, officer(), pid, A, OCT)


@pytest.mark.parametrize(
    ("before", "action", "says"),
    [
        ([join], accept, "cannot accept an invitation for school 110001: its membership is active"),
        ([invite], suspend, "cannot suspend school 110001: its membership is invited"),
        ([join], join, "school 110001 is already active"),
        ([invite, accept, suspend], join, "school 110001 is already suspended"),
        ([join], invite, "school 110001 is already active"),
        ([join], reinstate, "cannot reinstate school 110001: its membership is active"),
        ([join, leave], leave, "its membership is left"),
        ([join, leave], accept, "its membership is left"),
    ],
    ids=[
        "accept when active",
        "suspend when invited",
        "join when active",
        "join when suspended",
        "invite when active",
        "reinstate when active",
        "leave twice",
        "accept after leaving",
    ],
)
async def test_a_step_the_membership_is_not_ready_for_is_a_conflict(
    uow: FakeUnitOfWork, before: list[Step], action: Step, says: str
) -> None:
    await register(uow, A)
    pid = (await create(uow)).id
    for step in before:
        await step(uow, pid)
    uow.published.clear()
    was = await stored(uow, pid)

    with pytest.raises(Conflict, match=says):
        await action(uow, pid)

    assert not uow.committed
    assert uow.published == []
    assert await stored(uow, pid) == was


async def test_a_school_that_left_can_be_invited_again(uow: FakeUnitOfWork) -> None:
    await register(uow, A)
    pid = (await create(uow)).id
    await join(uow, pid)
    await leave(uow, pid)

    await invite(uow, pid)

    assert (await stored(uow, pid)).memberships[A].status == MembershipStatus.INVITED


@pytest.mark.parametrize("step", [invite, join])
async def test_a_school_must_be_registered_before_it_can_be_a_member(
    uow: FakeUnitOfWork, step: Step
) -> None:
    pid = (await create(uow)).id

    with pytest.raises(Invalid, match=f"no school with URN {A}"):
        await step(uow, pid)

    assert uow.published == []
    assert (await stored(uow, pid)).memberships == {}


async def test_a_school_lead_accepts_only_their_own_schools_invitation(
    uow: FakeUnitOfWork,
) -> None:
    await register(uow, A, B)
    pid = (await create(uow)).id
    await invite(uow, pid)
    uow.published.clear()

    for stranger in (school_lead(B), coordinator("elsewhere", person_id="p-eve")):
        with pytest.raises(NotFound):  # they see nothing of the partnership
            await handlers.accept_invitation(uow, stranger, pid, A, OCT)
    with pytest.raises(Forbidden):  # staff of the invited school see it, but may not accept
        await handlers.accept_invitation(uow, teacher(A), pid, A, OCT)
    assert uow.published == []
    assert (await stored(uow, pid)).memberships[A].status == MembershipStatus.INVITED

    await handlers.accept_invitation(uow, school_lead(A), pid, A, OCT)
    assert uow.published_types() == [events.SchoolJoined]


async def test_accepting_an_invitation_that_was_never_sent_is_not_found(
    uow: FakeUnitOfWork,
) -> None:
    await register(uow, A)
    pid = (await create(uow)).id

    with pytest.raises(NotFound):
        await handlers.accept_invitation(uow, school_lead(A), pid, A, OCT)
    with pytest.raises(NotFound):
        await handlers.accept_invitation(uow, school_lead(A), "no-such-id", A, OCT)


async def test_a_school_lead_records_only_their_own_school_leaving(uow: FakeUnitOfWork) -> None:
    await register(uow, A, B)
    pid = (await create(uow)).id
    await handlers.join_school(uow, officer(), pid, A, MembershipRole.MEMBER, SEPT)
    await handlers.join_school(uow, officer(), pid, B, MembershipRole.MEMBER, SEPT)

    with pytest.raises(Forbidden):
        await handlers.leave(uow, school_lead(B), pid, A, OCT)
    await handlers.leave(uow, school_lead(A), pid, A, OCT)

    saved = await stored(uow, pid)
    assert saved.memberships[A].status == MembershipStatus.LEFT
    assert saved.memberships[B].status == MembershipStatus.ACTIVE


# who sees what


async def test_the_coordinator_of_another_partnership_finds_nothing(uow: FakeUnitOfWork) -> None:
    await register(uow, A)
    ours = (await create(uow, "Fenland Learning Partnership")).id
    theirs = (await create(uow, "East Kent Partnership")).id
    bob = coordinator(theirs, person_id="p-bob")
    renamed = FENLAND.model_copy(update={"name": "Taken over"})

    attempts: list[Callable[[], Awaitable[object]]] = [
        lambda: handlers.get_partnership(uow, bob, ours),
        lambda: handlers.update_partnership(uow, bob, ours, renamed),
        lambda: handlers.invite_school(uow, bob, ours, A, MembershipRole.MEMBER, SEPT),
        lambda: handlers.join_school(uow, bob, ours, A, MembershipRole.MEMBER, SEPT),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound) as found:
            await attempt()
        # the same answer as for a partnership that does not exist: existence does not leak
        assert str(found.value) == f"no partnership {ours}"

    assert (await stored(uow, ours)).details == FENLAND
    assert uow.published == []
    assert (await handlers.get_partnership(uow, bob, theirs)).id == theirs


async def test_a_member_schools_lead_sees_the_partnership_but_may_not_run_it(
    uow: FakeUnitOfWork,
) -> None:
    await register(uow, A)
    pid = (await create(uow)).id
    await join(uow, pid)

    assert (await handlers.get_partnership(uow, school_lead(A), pid)).id == pid
    with pytest.raises(Forbidden):
        await handlers.update_partnership(
            uow, school_lead(A), pid, FENLAND.model_copy(update={"name": "Ours now"})
        )
    with pytest.raises(Forbidden):
        await handlers.invite_school(uow, school_lead(A), pid, A, MembershipRole.LEAD, SEPT)
    with pytest.raises(NotFound):
        await handlers.get_partnership(uow, school_lead(B), pid)


async def test_list_partnerships_is_scoped_to_the_caller(uow: FakeUnitOfWork) -> None:
    await register(uow, A, B, C)
    cambs = (await create(uow, "Cambridgeshire Hub")).id
    kent = (await create(uow, "East Kent Partnership")).id
    suffolk = (await create(uow, "Suffolk School-to-School")).id
    ann = coordinator(person_id="p-ann")
    lincs = (await create(uow, "Lincolnshire Board", by=ann)).id
    await handlers.join_school(uow, officer(), cambs, A, MembershipRole.MEMBER, SEPT)
    await handlers.invite_school(uow, officer(), kent, A, MembershipRole.MEMBER, SEPT)
    await handlers.join_school(uow, officer(), suffolk, B, MembershipRole.MEMBER, SEPT)

    async def names(caller: Principal) -> list[str]:
        return [p.id for p in await handlers.list_partnerships(uow, caller)]

    assert await names(officer()) == [cambs, kent, lincs, suffolk]
    assert await names(coordinator(suffolk, person_id="p-sue")) == [suffolk]
    assert await names(ann) == [lincs]
    assert await names(school_lead(A)) == [cambs, kent]
    assert await names(teacher(A)) == [cambs, kent]
    assert await names(school_lead(C)) == []

    await handlers.leave(uow, school_lead(A), cambs, A, OCT)
    assert await names(school_lead(A)) == [kent]


# concurrency


async def test_the_second_of_two_concurrent_saves_is_a_conflict() -> None:
    store = Store()
    pid = (await create(FakeUnitOfWork(store))).id
    first, second = FakeUnitOfWork(store), FakeUnitOfWork(store)

    async with first, second:
        mine = await first.partnerships.get(pid)
        theirs = await second.partnerships.get(pid)
        assert mine is not None and theirs is not None
        mine.update(FENLAND.model_copy(update={"name": "First"}))
        await first.partnerships.save(mine)
        await first.commit()

        theirs.update(FENLAND.model_copy(update={"name": "Second"}))
        with pytest.raises(Conflict, match="changed by someone else"):
            await second.partnerships.save(theirs)

    saved = await stored(FakeUnitOfWork(store), pid)
    assert (saved.details.name, saved.version) == ("First", 2)
    assert [type(e) for e in first.published] == [events.PartnershipUpdated]
    assert second.published == []
    assert not second.committed


async def test_a_handler_loses_to_a_change_committed_after_it_loaded() -> None:
    store = Store()
    setup = FakeUnitOfWork(store)
    await register(setup, A)
    pid = (await create(setup)).id
    slow, quick = FakeUnitOfWork(store), FakeUnitOfWork(store)

    async with slow:
        loaded = await slow.partnerships.get(pid)
        assert loaded is not None
        loaded.update(FENLAND.model_copy(update={"name": "Renamed, not yet committed"}))
        await slow.partnerships.save(loaded)
        # meanwhile a whole request runs and commits: the first commit wins
        await handlers.join_school(quick, officer(), pid, A, MembershipRole.MEMBER, SEPT)
        with pytest.raises(Conflict):
            await slow.commit()

    saved = await stored(setup, pid)
    assert saved.details.name == FENLAND.name
    assert saved.is_member(A)
    assert slow.published == []
