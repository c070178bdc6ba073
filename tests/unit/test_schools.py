"""School handlers and domain against the in-memory unit of work: register, update, expertise."""

import pytest
from pydantic import ValidationError
from unit.fakes import FakeUnitOfWork, coordinator, officer, school_lead, teacher

from contracts import membership as events
from contracts.vocabulary import ActivityCategory, Phase, Sector
from eventkit.auth import Principal
from eventkit.errors import Conflict, Forbidden, NotFound
from services.membership.domain.school import Expertise, School, SchoolDetails
from services.membership.service_layer import schools as handlers

URN = "136455"
OTHER = "118822"
MARCH = SchoolDetails(
    name="Neale-Wade Academy",
    phase=Phase.SECONDARY,
    sector=Sector.STATE,
    establishment_type="Academy converter",
    la_code="873",
    la_name="Cambridgeshire",
    pupils=1450,
    fsm_share=0.21,
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


async def registered(uow: FakeUnitOfWork, urn: str = URN, details: SchoolDetails = MARCH) -> School:
    school = await handlers.register_school(uow, officer(), urn, details)
    uow.published.clear()
    return school


async def stored(uow: FakeUnitOfWork, urn: str = URN) -> School:
    school = await uow.schools.get(urn)
    assert school is not None
    return school


async def test_registering_a_school_records_school_registered(uow: FakeUnitOfWork) -> None:
    await handlers.register_school(uow, school_lead(URN), URN, MARCH)

    assert uow.committed
    [registered_event] = uow.published
    assert isinstance(registered_event, events.SchoolRegistered)
    assert registered_event.urn == URN
    assert registered_event.model_dump(exclude={"urn"}) == MARCH.model_dump()
    saved = await stored(uow)
    assert (saved.details, saved.version) == (MARCH, 1)


async def test_a_school_is_registered_once(uow: FakeUnitOfWork) -> None:
    await registered(uow)

    with pytest.raises(Conflict, match=f"school {URN} is already registered"):
        await handlers.register_school(
            uow, officer(), URN, MARCH.model_copy(update={"name": "Impostor"})
        )

    assert uow.published == []
    assert (await stored(uow)).details.name == MARCH.name


@pytest.mark.parametrize(
    "caller",
    [school_lead(OTHER), teacher(URN), coordinator("p1", person_id="p-ann")],
    ids=["lead of another school", "teacher of the school", "coordinator"],
)
async def test_only_the_schools_lead_or_an_officer_registers_or_changes_it(
    uow: FakeUnitOfWork, caller: Principal
) -> None:
    with pytest.raises(Forbidden):
        await handlers.register_school(uow, caller, URN, MARCH)
    assert await uow.schools.get(URN) is None

    await registered(uow)
    before = await stored(uow)
    with pytest.raises(Forbidden):
        await handlers.update_school(uow, caller, URN, MARCH.model_copy(update={"pupils": 1}))
    with pytest.raises(Forbidden):
        await handlers.offer_expertise(uow, caller, URN, Expertise(subjects=["Physics"]))
    assert uow.published == []
    assert await stored(uow) == before


async def test_an_update_records_school_updated_only_when_something_changed(
    uow: FakeUnitOfWork,
) -> None:
    await registered(uow)

    await handlers.update_school(uow, school_lead(URN), URN, MARCH.model_copy())
    assert uow.published == []
    assert not uow.committed
    assert (await stored(uow)).version == 1

    grown = MARCH.model_copy(update={"pupils": 1502, "fsm_share": 0.24})
    school = await handlers.update_school(uow, school_lead(URN), URN, grown)

    [updated] = uow.published
    assert isinstance(updated, events.SchoolUpdated)
    assert (updated.urn, updated.pupils, updated.fsm_share) == (URN, 1502, 0.24)
    assert school.details == grown
    assert (await stored(uow)).version == 2


async def test_updating_an_unknown_school_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound, match=URN):
        await handlers.update_school(uow, officer(), URN, MARCH)
    with pytest.raises(NotFound, match=URN):
        await handlers.get_school(uow, URN)
    with pytest.raises(NotFound, match=URN):
        await handlers.offer_expertise(uow, officer(), URN, Expertise())


async def test_offering_expertise_records_it_tidied(uow: FakeUnitOfWork) -> None:
    await registered(uow)
    offer = Expertise(
        subjects=[" Physics", "Latin", "Physics ", "  "],
        phases=[Phase.SECONDARY],
        facilities=["Observatory"],
        categories=[ActivityCategory.STEM, ActivityCategory.LANGUAGES],
        summary="Sixth-form physics masterclasses for partner schools.",
    )

    await handlers.offer_expertise(uow, school_lead(URN), URN, offer)

    [offered] = uow.published
    assert isinstance(offered, events.SchoolExpertiseUpdated)
    assert offered.subjects == ["Latin", "Physics"]
    assert offered.categories == [ActivityCategory.STEM, ActivityCategory.LANGUAGES]
    assert (await stored(uow)).expertise.subjects == ["Latin", "Physics"]

    await handlers.offer_expertise(uow, school_lead(URN), URN, offer.model_copy())
    assert len(uow.published) == 1


async def test_any_signed_in_caller_reads_the_register(uow: FakeUnitOfWork) -> None:
    await registered(uow)
    kent = SchoolDetails(
        name="Kent College", phase=Phase.ALL_THROUGH, sector=Sector.INDEPENDENT, la_code="886"
    )
    await registered(uow, OTHER, kent)

    assert (await handlers.get_school(uow, OTHER)).details == kent
    assert [s.urn for s in await handlers.search_schools(uow, la_code="873")] == [URN]
    assert [s.urn for s in await handlers.search_schools(uow, sector="independent")] == [OTHER]
    assert [s.urn for s in await handlers.search_schools(uow)] == [OTHER, URN]


@pytest.mark.parametrize(
    ("urn", "change"),
    [
        ("12345", {}),
        ("1234567x", {}),
        (URN, {"la_code": "87"}),
        (URN, {"pupils": -1}),
        (URN, {"fsm_share": 1.5}),
        (URN, {"name": "X"}),
    ],
)
def test_impossible_school_details_are_refused(urn: str, change: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        School(urn=urn, details=SchoolDetails.model_validate({**MARCH.model_dump(), **change}))
