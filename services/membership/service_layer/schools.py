"""Handlers for schools and their expertise register."""

from eventkit.auth import Principal
from eventkit.errors import Conflict, NotFound
from services.membership.domain.school import Expertise, School, SchoolDetails
from services.membership.service_layer import access
from services.membership.service_layer.unit_of_work import UnitOfWork


async def register_school(
    uow: UnitOfWork, principal: Principal, urn: str, details: SchoolDetails
) -> School:
    access.require_school_lead(principal, urn)
    async with uow:
        if await uow.schools.get(urn) is not None:
            raise Conflict(f"school {urn} is already registered; update it instead")
        school = School.register(urn, details)
        await uow.schools.add(school)
        await uow.commit()
    return school


async def get_school(uow: UnitOfWork, urn: str) -> School:
    """Schools are public register data: any signed-in caller may read them."""
    async with uow:
        school = await uow.schools.get(urn)
    if school is None:
        raise NotFound(f"no school with URN {urn}")
    return school


async def search_schools(
    uow: UnitOfWork,
    *,
    la_code: str | None = None,
    sector: str | None = None,
    phase: str | None = None,
    name: str | None = None,
    limit: int = 100,
    skip: int = 0,
) -> list[School]:
    async with uow:
        return await uow.schools.search(
            la_code=la_code, sector=sector, phase=phase, name=name, limit=limit, skip=skip
        )


async def update_school(
    uow: UnitOfWork, principal: Principal, urn: str, details: SchoolDetails
) -> School:
    access.require_school_lead(principal, urn)
    async with uow:
        school = await uow.schools.get(urn)
        if school is None:
            raise NotFound(f"no school with URN {urn}")
        if school.update(details):
            await uow.schools.save(school)
            await uow.commit()
    return school


async def offer_expertise(
    uow: UnitOfWork, principal: Principal, urn: str, expertise: Expertise
) -> School:
    access.require_school_lead(principal, urn)
    async with uow:
        school = await uow.schools.get(urn)
        if school is None:
            raise NotFound(f"no school with URN {urn}")
        school.offer(expertise)
        await uow.schools.save(school)
        await uow.commit()
    return school
