"""Handlers for relationships between schools. Like the register of schools they are public to
any signed-in caller; a lead of the first school (the sponsor, the teaching school) or a county
officer records and ends them, and only a county officer one whose first party is a trust."""

from datetime import date

from eventkit.auth import Principal
from eventkit.errors import Invalid, NotFound
from services.membership.domain.relationship import RelationshipDetails, SchoolRelationship
from services.membership.service_layer import access
from services.membership.service_layer.unit_of_work import UnitOfWork


def _require_first_party_lead(principal: Principal, details: RelationshipDetails) -> None:
    if details.first.school_urn is None:
        access.require_county_officer(principal)
    else:
        access.require_school_lead(principal, details.first.school_urn)


async def start_relationship(
    uow: UnitOfWork, principal: Principal, details: RelationshipDetails
) -> SchoolRelationship:
    _require_first_party_lead(principal, details)
    async with uow:
        known = await uow.schools.get_many(details.urns())
        if missing := sorted(details.urns() - set(known)):
            raise Invalid(f"no school registered with URN {', '.join(missing)}")
        if details.partnership_id is not None:
            partnership = await uow.partnerships.get(details.partnership_id)
            access.require_visible(principal, partnership, details.partnership_id)
        relationship = SchoolRelationship.start(details)
        await uow.relationships.add(relationship)
        await uow.commit()
    return relationship


async def get_relationship(uow: UnitOfWork, relationship_id: str) -> SchoolRelationship:
    async with uow:
        found = await uow.relationships.get(relationship_id)
    if found is None:
        raise NotFound(f"no relationship {relationship_id}")
    return found


async def of_school(uow: UnitOfWork, urn: str) -> list[SchoolRelationship]:
    async with uow:
        if await uow.schools.get(urn) is None:
            raise NotFound(f"no school with URN {urn}")
        return await uow.relationships.of_school(urn)


async def end_relationship(
    uow: UnitOfWork, principal: Principal, relationship_id: str, on: date
) -> SchoolRelationship:
    async with uow:
        relationship = await uow.relationships.get(relationship_id)
        if relationship is None:
            raise NotFound(f"no relationship {relationship_id}")
        _require_first_party_lead(principal, relationship.details)
        relationship.end(on)
        await uow.relationships.save(relationship)
        await uow.commit()
    return relationship
