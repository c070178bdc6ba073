"""Handlers for the register of outside organisations. Like the register of schools it is
public to any signed-in caller; coordinators and county officers add to it, and county officers
correct it."""

from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.membership.domain.organisation import Organisation, OrganisationDetails
from services.membership.service_layer import access
from services.membership.service_layer.unit_of_work import UnitOfWork


async def register_organisation(
    uow: UnitOfWork, principal: Principal, details: OrganisationDetails
) -> Organisation:
    if not (principal.county_wide or principal.role == Role.PARTNERSHIP_COORDINATOR):
        raise Forbidden("only coordinators and county officers may register organisations")
    async with uow:
        organisation = Organisation.register(details)
        await uow.organisations.add(organisation)
        await uow.commit()
    return organisation


async def get_organisation(uow: UnitOfWork, organisation_id: str) -> Organisation:
    async with uow:
        found = await uow.organisations.get(organisation_id)
    if found is None:
        raise NotFound(f"no organisation {organisation_id}")
    return found


async def list_organisations(uow: UnitOfWork) -> list[Organisation]:
    async with uow:
        return await uow.organisations.all()


async def update_organisation(
    uow: UnitOfWork, principal: Principal, organisation_id: str, details: OrganisationDetails
) -> Organisation:
    access.require_county_officer(principal)
    async with uow:
        organisation = await uow.organisations.get(organisation_id)
        if organisation is None:
            raise NotFound(f"no organisation {organisation_id}")
        organisation.update(details)
        await uow.organisations.save(organisation)
        await uow.commit()
    return organisation
