"""People handlers and domain against the in-memory unit of work: adding, dated roles, erasure."""

from datetime import date

import pytest
from pydantic import ValidationError
from unit.fakes import FakeUnitOfWork, coordinator, officer, school_lead, teacher

from contracts import membership as events
from contracts import people
from contracts.vocabulary import MembershipRole, PartnershipKind, Phase, Sector, StaffRole
from eventkit.auth import Principal
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from services.membership.domain.partnership import PartnershipDetails
from services.membership.domain.person import Person, PersonDetails, RoleAssignment
from services.membership.domain.school import SchoolDetails
from services.membership.service_layer import people as handlers
from services.membership.service_layer.partnerships import create_partnership, join_school
from services.membership.service_layer.schools import register_school

A, B = "110001", "110002"  # A is a member of the partnership, B is not
SEPT, DEC = date(2025, 9, 1), date(2025, 12, 19)
JO = PersonDetails(name="Jo Hartley", email="jo.hartley@example.org", job_title="Head of Physics")


def at_school(urn: str = A, role: StaffRole = StaffRole.TEACHER, **dates: date) -> RoleAssignment:
    return RoleAssignment(role=role, urn=urn, **{"starts_on": SEPT, **dates})


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for urn in (A, B):
        details = SchoolDetails(name=f"School {urn}", phase=Phase.PRIMARY, sector=Sector.STATE)
        await register_school(uow, officer(), urn, details)
    return uow


@pytest.fixture
async def pid(uow: FakeUnitOfWork) -> str:
    details = PartnershipDetails(name="Fenland Learning Partnership", kind=PartnershipKind.HUB)
    partnership = await create_partnership(uow, coordinator(person_id="p-ann"), details)
    await join_school(uow, officer(), partnership.id, A, MembershipRole.MEMBER, SEPT)
    uow.published.clear()
    return partnership.id


@pytest.fixture
def ann(pid: str) -> Principal:
    """The partnership's coordinator, known by the partnership in her token and her person id."""
    return coordinator(pid, person_id="p-ann")


async def add(uow: FakeUnitOfWork, role: RoleAssignment | None = None) -> Person:
    person = await handlers.add_person(uow, officer(), JO, role or at_school())
    uow.published.clear()
    return person


async def stored(uow: FakeUnitOfWork, person_id: str) -> Person:
    person = await uow.people.get(person_id)
    assert person is not None
    return person


# adding people


async def test_a_school_lead_adds_a_person_with_a_dated_role_at_their_school(
    uow: FakeUnitOfWork,
) -> None:
    uow.published.clear()

    person = await handlers.add_person(uow, school_lead(A), JO, at_school(ends_on=DEC))

    added, contact, assigned = uow.published
    assert isinstance(added, events.PersonAdded) and added.person_id == person.id
    assert isinstance(contact, people.PersonContact)
    assert (contact.person_id, contact.name, contact.email, contact.job_title) == (
        person.id,
        JO.name,
        JO.email,
        JO.job_title,
    )
    assert isinstance(assigned, events.RoleAssigned)
    [role] = (await stored(uow, person.id)).roles
    assert (assigned.role_id, assigned.role, assigned.urn, assigned.partnership_id) == (
        role.id,
        StaffRole.TEACHER,
        A,
        None,
    )
    assert (assigned.starts_on, assigned.ends_on) == (SEPT, DEC)
    assert (role.starts_on, role.ends_on) == (SEPT, DEC)


@pytest.mark.parametrize(
    "caller",
    [school_lead(B), teacher(A), coordinator("another-partnership", person_id="p-eve")],
    ids=["lead of another school", "teacher of the school", "coordinator elsewhere"],
)
async def test_others_may_not_add_people_at_a_school(
    uow: FakeUnitOfWork, pid: str, caller: Principal
) -> None:
    with pytest.raises(Forbidden):
        await handlers.add_person(uow, caller, JO, at_school(A))

    assert uow.published == []
    assert await uow.people.all() == []


async def test_a_coordinator_adds_people_at_the_partnership_and_its_member_schools(
    uow: FakeUnitOfWork, pid: str, ann: Principal
) -> None:
    at_partnership = RoleAssignment(role=StaffRole.CPD_APPROVER, partnership_id=pid, starts_on=SEPT)
    await handlers.add_person(uow, ann, JO, at_partnership)
    await handlers.add_person(uow, ann, JO, at_school(A))

    with pytest.raises(Forbidden):
        await handlers.add_person(uow, ann, JO, at_school(B))
    assert len(await uow.people.all()) == 2


async def test_a_role_is_held_at_a_school_or_partnership_that_exists(
    uow: FakeUnitOfWork,
) -> None:
    """As with memberships, a school must be registered before anyone holds a role there."""
    uow.published.clear()
    nowhere = RoleAssignment(role=StaffRole.COORDINATOR, partnership_id="p-none", starts_on=SEPT)

    with pytest.raises(Invalid, match="199999"):
        await handlers.add_person(uow, officer(), JO, at_school("199999"))
    with pytest.raises(Invalid, match="p-none"):
        await handlers.add_person(uow, officer(), JO, nowhere)
    person = await add(uow)
    with pytest.raises(Invalid, match="199999"):
        await handlers.assign_role(uow, officer(), person.id, at_school("199999"))

    assert [p.id for p in await uow.people.all()] == [person.id]
    assert len((await stored(uow, person.id)).roles) == 1


# dated roles


async def test_roles_hold_between_their_dates(uow: FakeUnitOfWork) -> None:
    person = await add(uow)
    later = RoleAssignment(role=StaffRole.HEAD, urn=A, starts_on=date(2026, 1, 5))

    await handlers.assign_role(uow, school_lead(A), person.id, later)
    saved = await stored(uow, person.id)
    teaching, heading = saved.roles
    assert [r.id for r in saved.current_roles(date(2025, 10, 1))] == [teaching.id]
    assert [r.id for r in saved.current_roles(date(2026, 1, 5))] == [teaching.id, heading.id]

    await handlers.end_role(uow, school_lead(A), person.id, teaching.id, DEC)
    saved = await stored(uow, person.id)
    assert saved.roles[0].ends_on == DEC
    assert saved.current_roles(DEC) == []
    assigned, ended = uow.published
    assert isinstance(assigned, events.RoleAssigned)
    assert (assigned.role, assigned.starts_on) == (StaffRole.HEAD, date(2026, 1, 5))
    assert isinstance(ended, events.RoleEnded)
    assert (ended.role_id, ended.ended_on) == (teaching.id, DEC)


async def test_a_role_cannot_end_before_it_starts(uow: FakeUnitOfWork) -> None:
    person = await add(uow)
    [role] = person.roles

    with pytest.raises(Invalid, match="before it starts"):
        await handlers.end_role(uow, officer(), person.id, role.id, date(2025, 8, 31))

    assert uow.published == []
    assert (await stored(uow, person.id)).roles[0].ends_on is None


async def test_a_role_ends_once(uow: FakeUnitOfWork) -> None:
    person = await add(uow)
    [role] = person.roles
    await handlers.end_role(uow, officer(), person.id, role.id, DEC)

    with pytest.raises(Conflict, match="already ended"):
        await handlers.end_role(uow, officer(), person.id, role.id, date(2026, 1, 1))
    with pytest.raises(NotFound):
        await handlers.end_role(uow, officer(), person.id, "no-such-role", DEC)
    assert uow.published_types() == [events.RoleEnded]


async def test_others_may_not_end_a_role_at_a_school(uow: FakeUnitOfWork) -> None:
    person = await add(uow)
    [role] = person.roles

    with pytest.raises(NotFound):  # a lead of another school does not even see the person
        await handlers.end_role(uow, school_lead(B), person.id, role.id, DEC)
    assert (await stored(uow, person.id)).roles[0].ends_on is None


@pytest.mark.parametrize(
    "fields",
    [
        {"urn": A, "starts_on": DEC, "ends_on": SEPT},
        {"urn": A, "partnership_id": "p1", "starts_on": SEPT},
        {"starts_on": SEPT},
    ],
    ids=["ends before it starts", "at a school and a partnership", "nowhere"],
)
def test_impossible_roles_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        RoleAssignment.model_validate({"role": StaffRole.TEACHER, **fields})


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({}, "covers at least one local authority"),
        ({"local_authorities": ["886"], "urn": A}, "not at a school or partnership"),
        ({"local_authorities": ["886"], "partnership_id": "p1"}, "not at a school or partnership"),
        ({"local_authorities": ["Kent"]}, "should match pattern"),
    ],
    ids=["over nowhere", "at a school", "at a partnership", "not an LA code"],
)
def test_a_county_officer_covers_local_authorities_and_nothing_else(
    fields: dict[str, object], error: str
) -> None:
    with pytest.raises(ValidationError, match=error):
        RoleAssignment.model_validate(
            {"role": StaffRole.COUNTY_OFFICER, "starts_on": SEPT, **fields}
        )
    with pytest.raises(ValidationError, match="only a county officer covers"):
        RoleAssignment(role=StaffRole.HEAD, urn=A, local_authorities=["886"], starts_on=SEPT)


async def test_only_a_county_officer_makes_someone_a_county_officer(
    uow: FakeUnitOfWork, ann: Principal
) -> None:
    kent = RoleAssignment(role=StaffRole.COUNTY_OFFICER, local_authorities=["886"], starts_on=SEPT)
    for others in (ann, school_lead(A), teacher(A)):
        with pytest.raises(Forbidden):
            await handlers.add_person(uow, others, JO, kent)
    person = await handlers.add_person(uow, officer(), JO, kent)
    [assigned] = [e for e in uow.published if isinstance(e, events.RoleAssigned)]
    assert assigned.held().local_authorities == ["886"]
    assert assigned.urn is None and assigned.partnership_id is None
    assert (await stored(uow, person.id)).roles[0].local_authorities == ["886"]


# seeing and changing people


async def test_who_sees_a_person(uow: FakeUnitOfWork, pid: str, ann: Principal) -> None:
    person = await add(uow)

    for caller in (officer(), school_lead(A), ann, teacher(A, person_id=person.id)):
        assert (await handlers.get_person(uow, caller, person.id)).details == JO
    for caller in (school_lead(B), teacher(A), coordinator("elsewhere", person_id="p-eve")):
        with pytest.raises(NotFound):
            await handlers.get_person(uow, caller, person.id)


async def test_updates_record_person_updated_only_on_change(uow: FakeUnitOfWork) -> None:
    person = await add(uow)
    herself = teacher(A, person_id=person.id)

    await handlers.update_person(uow, herself, person.id, JO.model_copy())
    assert uow.published == []

    moved = JO.model_copy(update={"job_title": "Assistant Head"})
    await handlers.update_person(uow, herself, person.id, moved)
    updated, contact = uow.published
    assert isinstance(updated, events.PersonUpdated) and updated.fields == ["job_title"]
    assert isinstance(contact, people.PersonContact) and contact.job_title == "Assistant Head"
    assert (await stored(uow, person.id)).details == moved


async def test_a_teacher_updates_only_their_own_details(uow: FakeUnitOfWork) -> None:
    person = await add(uow)
    colleague = teacher(A, person_id="p-colleague")

    with pytest.raises((NotFound, Forbidden)):
        await handlers.update_person(
            uow, colleague, person.id, JO.model_copy(update={"name": "Someone Else"})
        )
    assert (await stored(uow, person.id)).details == JO


async def test_a_school_lead_lists_the_people_at_their_school(uow: FakeUnitOfWork) -> None:
    person = await add(uow)

    assert [p.id for p in await handlers.list_people(uow, school_lead(A))] == [person.id]
    assert await handlers.list_people(uow, school_lead(B)) == []
    assert [p.id for p in await handlers.list_people(uow, officer())] == [person.id]


async def test_a_coordinator_lists_the_people_they_may_see(
    uow: FakeUnitOfWork, pid: str, ann: Principal
) -> None:
    """Whoever get_person shows a coordinator, list_people lists for them too."""
    at_member_school = await handlers.add_person(uow, ann, JO, at_school(A))
    at_partnership = await handlers.add_person(
        uow,
        ann,
        JO.model_copy(update={"name": "Sam Okafor", "email": "sam@example.org"}),
        RoleAssignment(role=StaffRole.COORDINATOR, partnership_id=pid, starts_on=SEPT),
    )
    ann_by_person_id_only = coordinator(person_id="p-ann")
    for caller in (ann, ann_by_person_id_only):
        for person in (at_member_school, at_partnership):
            assert (await handlers.get_person(uow, caller, person.id)).id == person.id

    for caller in (ann, ann_by_person_id_only):
        listed = {p.id for p in await handlers.list_people(uow, caller)}
        assert listed == {at_member_school.id, at_partnership.id}


# erasure


async def test_erasure_removes_the_details_and_records_person_erased(
    uow: FakeUnitOfWork,
) -> None:
    person = await add(uow)

    await handlers.erase_person(uow, officer(), person.id)

    saved = await stored(uow, person.id)
    assert saved.details is None
    assert saved.erased_at is not None
    assert [r.urn for r in saved.roles] == [A]  # unnamed roles keep the counts right
    assert JO.name not in saved.model_dump_json()
    assert JO.email not in saved.model_dump_json()
    tombstone, erased = uow.published
    assert tombstone == people.PersonContactErased(person_id=person.id)
    assert isinstance(erased, events.PersonErased)
    assert erased.model_dump() == {"person_id": person.id, "erased_at": saved.erased_at}


@pytest.mark.parametrize(
    "caller",
    [school_lead(A), coordinator(person_id="p-ann"), teacher(A)],
    ids=["school lead", "coordinator", "teacher"],
)
async def test_only_a_county_officer_erases(
    uow: FakeUnitOfWork, pid: str, caller: Principal
) -> None:
    person = await add(uow)

    with pytest.raises(Forbidden):
        await handlers.erase_person(uow, caller, person.id)
    with pytest.raises(Forbidden):  # not even themselves
        await handlers.erase_person(
            uow, caller.model_copy(update={"person_id": person.id}), person.id
        )

    assert (await stored(uow, person.id)).details == JO
    assert uow.published == []


async def test_an_erased_person_stays_erased(uow: FakeUnitOfWork) -> None:
    person = await add(uow)
    await handlers.erase_person(uow, officer(), person.id)
    uow.published.clear()

    with pytest.raises(Conflict, match="erased"):
        await handlers.update_person(uow, officer(), person.id, JO)
    with pytest.raises(Conflict, match="erased"):
        await handlers.assign_role(uow, officer(), person.id, at_school(role=StaffRole.HEAD))
    with pytest.raises(Conflict, match="erased"):
        await handlers.erase_person(uow, officer(), person.id)

    assert (await stored(uow, person.id)).details is None
    assert uow.published == []


async def test_erasing_an_unknown_person_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound):
        await handlers.erase_person(uow, officer(), "no-such-person")
