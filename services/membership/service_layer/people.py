"""Handlers for people (staff only), their dated roles, and erasure."""

import uuid
from datetime import date

from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, Invalid, NotFound
from eventkit.unit_of_work import retry_on_write_conflict
from services.membership.domain.person import Person, PersonDetails, RoleAssignment
from services.membership.service_layer import access
from services.membership.service_layer.unit_of_work import UnitOfWork


async def _may_manage_role(uow: UnitOfWork, principal: Principal, role: RoleAssignment) -> bool:
    if principal.county_wide:
        return True
    if role.urn is not None and role.urn in principal.schools:
        return principal.role == Role.SCHOOL_LEAD
    if principal.role != Role.PARTNERSHIP_COORDINATOR:
        return False
    if role.partnership_id is not None:
        partnership = await uow.partnerships.get(role.partnership_id)
        return partnership is not None and access.coordinates(principal, partnership)
    coordinated = await uow.partnerships.related_to(principal.partnerships, principal.person_id, ())
    return any(
        access.coordinates(principal, p) and p.is_member(role.urn or "") for p in coordinated
    )


async def _require_place(uow: UnitOfWork, role: RoleAssignment) -> None:
    if role.urn is not None and await uow.schools.get(role.urn) is None:
        raise Invalid(f"no school with URN {role.urn}: register or import it first")
    if role.partnership_id is not None and await uow.partnerships.get(role.partnership_id) is None:
        raise Invalid(f"no partnership {role.partnership_id}")
    if (
        role.organisation_id is not None
        and await uow.organisations.get(role.organisation_id) is None
    ):
        raise Invalid(f"no organisation {role.organisation_id}: register it first")


async def may_see(uow: UnitOfWork, principal: Principal, person: Person) -> bool:
    """County officers see everyone; others themselves and the people whose roles they manage."""
    if principal.county_wide or person.id == principal.person_id:
        return True
    if principal.role in (Role.TEACHER,):
        return False
    for role in person.roles:
        if await _may_manage_role(uow, principal, role):
            return True
    return False


async def _visible(uow: UnitOfWork, principal: Principal, person_id: str) -> Person:
    person = await uow.people.get(person_id)
    if person is None or not await may_see(uow, principal, person):
        raise NotFound(f"no person {person_id}")
    return person


async def add_person(
    uow: UnitOfWork, principal: Principal, details: PersonDetails, first_role: RoleAssignment
) -> Person:
    """A person is added with the role that ties them to a school or partnership."""
    async with uow:
        if not await _may_manage_role(uow, principal, first_role):
            raise Forbidden("you may add people only at your own school or partnership")
        await _require_place(uow, first_role)
        person = Person.add(uuid.uuid4().hex[:12], details)
        person.assign(first_role)
        await uow.people.add(person)
        await uow.commit()
    return person


async def get_person(uow: UnitOfWork, principal: Principal, person_id: str) -> Person:
    async with uow:
        return await _visible(uow, principal, person_id)


async def list_people(uow: UnitOfWork, principal: Principal) -> list[Person]:
    async with uow:
        if principal.county_wide:
            return await uow.people.all()
        urns, partnership_ids = set(principal.schools), set(principal.partnerships)
        if principal.role == Role.PARTNERSHIP_COORDINATOR:
            for p in await uow.partnerships.related_to(
                principal.partnerships, principal.person_id, ()
            ):
                if access.coordinates(principal, p):
                    partnership_ids.add(p.id)
                    urns.update(urn for urn in p.memberships if p.is_member(urn))
        candidates = await uow.people.at(urns, partnership_ids)
        return [p for p in candidates if await may_see(uow, principal, p)]


async def update_person(
    uow: UnitOfWork, principal: Principal, person_id: str, details: PersonDetails
) -> Person:
    async with uow:
        person = await _visible(uow, principal, person_id)
        if principal.role == Role.TEACHER and person.id != principal.person_id:
            raise Forbidden("teachers may update only their own details")
        person.update(details)
        await uow.people.save(person)
        await uow.commit()
    return person


async def assign_role(
    uow: UnitOfWork, principal: Principal, person_id: str, role: RoleAssignment
) -> Person:
    async with uow:
        person = await _visible(uow, principal, person_id)
        if not await _may_manage_role(uow, principal, role):
            raise Forbidden("you may give roles only at your own school or partnership")
        await _require_place(uow, role)
        person.assign(role)
        await uow.people.save(person)
        await uow.commit()
    return person


async def end_role(
    uow: UnitOfWork, principal: Principal, person_id: str, role_id: str, on: date
) -> Person:
    async with uow:
        person = await _visible(uow, principal, person_id)
        role = next((r for r in person.roles if r.id == role_id), None)
        if role is None:
            raise NotFound(f"person {person_id} has no role {role_id}")
        if not await _may_manage_role(uow, principal, role):
            raise Forbidden("you may end roles only at your own school or partnership")
        person.end_role(role_id, on)
        await uow.people.save(person)
        await uow.commit()
    return person


@retry_on_write_conflict()
async def erase_person(uow: UnitOfWork, principal: Principal, person_id: str) -> Person:
    """Remove a person's personal data here and tell every other service to do the same.

    Its tombstone deletes the outbox's earlier entries of the person, which the relay may be
    marking sent at that moment: a lost race is run again."""
    access.require_county_officer(principal)
    async with uow:
        person = await uow.people.get(person_id)
        if person is None:
            raise NotFound(f"no person {person_id}")
        person.erase()
        await uow.people.save(person)
        await uow.commit()
    return person
