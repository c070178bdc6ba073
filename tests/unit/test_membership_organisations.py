"""Outside organisations and contributor roles against the in-memory unit of work."""

from datetime import date

import pytest
from pydantic import ValidationError
from unit.fakes import FakeUnitOfWork, coordinator, officer, teacher

from contracts import membership as events
from contracts.vocabulary import OrganisationKind, PartnershipKind, StaffRole
from eventkit.errors import Forbidden, Invalid
from services.membership.domain.organisation import OrganisationDetails
from services.membership.domain.partnership import PartnershipDetails
from services.membership.domain.person import PersonDetails, RoleAssignment
from services.membership.service_layer import organisations as handlers
from services.membership.service_layer.partnerships import create_partnership
from services.membership.service_layer.people import add_person

COUNCIL = OrganisationDetails(
    name="Lincolnshire County Council", kind=OrganisationKind.COUNCIL, la_code="925"
)
SPEAKER = PersonDetails(name="Anton Florek", email="anton@vsc.example", job_title="Chief Executive")


async def test_an_organisation_is_registered_once_and_announced_again_only_when_it_changes() -> (
    None
):
    uow = FakeUnitOfWork()
    made = await handlers.register_organisation(uow, coordinator("p1"), COUNCIL)
    assert uow.published_types() == [events.OrganisationRegistered]
    await handlers.update_organisation(uow, officer(), made.id, COUNCIL)
    assert uow.published_types() == [events.OrganisationRegistered]
    renamed = COUNCIL.model_copy(update={"name": "Lincolnshire CC"})
    await handlers.update_organisation(uow, officer(), made.id, renamed)
    assert [e.name for e in uow.published if isinstance(e, events.OrganisationRegistered)] == [
        "Lincolnshire County Council",
        "Lincolnshire CC",
    ]
    assert [o.details.name for o in await handlers.list_organisations(uow)] == ["Lincolnshire CC"]
    with pytest.raises(Forbidden):
        await handlers.register_organisation(uow, teacher("100001"), COUNCIL)
    with pytest.raises(Forbidden):
        await handlers.update_organisation(uow, coordinator("p1"), made.id, COUNCIL)


async def test_a_contributor_is_added_by_the_partnerships_coordinator_for_a_known_organisation() -> (
    None
):
    uow = FakeUnitOfWork()
    partnership = await create_partnership(
        uow, officer(), PartnershipDetails(name="Lincolnshire", kind=PartnershipKind.BOARD)
    )
    council = await handlers.register_organisation(uow, officer(), COUNCIL)
    role = RoleAssignment(
        role=StaffRole.CONTRIBUTOR,
        partnership_id=partnership.id,
        organisation_id=council.id,
        starts_on=date(2016, 4, 1),
    )
    person = await add_person(uow, coordinator(partnership.id), SPEAKER, role)
    assert person.roles[0].organisation_id == council.id
    with pytest.raises(Forbidden):
        await add_person(uow, coordinator("another"), SPEAKER, role)
    with pytest.raises(Invalid, match="no organisation nosuch"):
        unknown = role.model_copy(update={"organisation_id": "nosuch"})
        await add_person(uow, coordinator(partnership.id), SPEAKER, unknown)
    with pytest.raises(ValidationError, match="organisation_id"):
        RoleAssignment(
            role=StaffRole.CONTRIBUTOR, partnership_id=partnership.id, starts_on=date(2016, 4, 1)
        )
