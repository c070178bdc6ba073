"""Handlers for partnerships, their coordinators and the memberships of schools."""

import uuid
from datetime import date

from contracts.vocabulary import MembershipRole
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, Invalid, NotFound
from services.membership.domain.partnership import Partnership, PartnershipDetails
from services.membership.service_layer import access
from services.membership.service_layer.unit_of_work import UnitOfWork


async def create_partnership(
    uow: UnitOfWork, principal: Principal, details: PartnershipDetails
) -> Partnership:
    if not (principal.county_wide or principal.role == Role.PARTNERSHIP_COORDINATOR):
        raise Forbidden(
            "only a county officer or a partnership coordinator may create partnerships"
        )
    async with uow:
        partnership = Partnership.create(uuid.uuid4().hex[:12], details)
        if principal.role == Role.PARTNERSHIP_COORDINATOR and principal.person_id:
            partnership.assign_coordinator(principal.person_id)
        await uow.partnerships.add(partnership)
        await uow.commit()
    return partnership


async def get_partnership(uow: UnitOfWork, principal: Principal, pid: str) -> Partnership:
    async with uow:
        return access.require_visible(principal, await uow.partnerships.get(pid), pid)


async def list_partnerships(uow: UnitOfWork, principal: Principal) -> list[Partnership]:
    async with uow:
        if principal.county_wide:
            found = await uow.partnerships.all()
        else:
            found = await uow.partnerships.related_to(
                principal.partnerships, principal.person_id, principal.schools
            )
    return [p for p in found if access.sees(principal, p)]


async def _for_coordinator(uow: UnitOfWork, principal: Principal, pid: str) -> Partnership:
    partnership = access.require_visible(principal, await uow.partnerships.get(pid), pid)
    access.require_coordinator(principal, partnership)
    return partnership


async def update_partnership(
    uow: UnitOfWork, principal: Principal, pid: str, details: PartnershipDetails
) -> Partnership:
    async with uow:
        partnership = await _for_coordinator(uow, principal, pid)
        partnership.update(details)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def assign_coordinator(
    uow: UnitOfWork, principal: Principal, pid: str, person_id: str
) -> Partnership:
    async with uow:
        partnership = await _for_coordinator(uow, principal, pid)
        if await uow.people.get(person_id) is None:
            raise Invalid(f"no person {person_id}: add them before making them a coordinator")
        partnership.assign_coordinator(person_id)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def remove_coordinator(
    uow: UnitOfWork, principal: Principal, pid: str, person_id: str
) -> Partnership:
    async with uow:
        partnership = await _for_coordinator(uow, principal, pid)
        partnership.remove_coordinator(person_id)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def _require_school(uow: UnitOfWork, urn: str) -> None:
    if await uow.schools.get(urn) is None:
        raise Invalid(f"no school with URN {urn}: register or import it first")


async def invite_school(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, role: MembershipRole, on: date
) -> Partnership:
    async with uow:
        partnership = await _for_coordinator(uow, principal, pid)
        await _require_school(uow, urn)
        partnership.invite(urn, role, on)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def join_school(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, role: MembershipRole, on: date
) -> Partnership:
    """A coordinator adds a school straight in, with its head's agreement given outside."""
    async with uow:
        partnership = await _for_coordinator(uow, principal, pid)
        await _require_school(uow, urn)
        partnership.join(urn, role, on)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def accept_invitation(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, on: date
) -> Partnership:
    async with uow:
        partnership = await uow.partnerships.get(pid)
        if partnership is None or urn not in partnership.memberships:
            raise NotFound(f"no invitation of school {urn} to partnership {pid}")
        access.require_school_lead(principal, urn)
        partnership.accept(urn, on)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def suspend_membership(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, on: date, reason: str | None
) -> Partnership:
    async with uow:
        partnership = await _for_coordinator(uow, principal, pid)
        partnership.suspend(urn, on, reason)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def reinstate_membership(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, on: date
) -> Partnership:
    async with uow:
        partnership = await _for_coordinator(uow, principal, pid)
        partnership.reinstate(urn, on)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def leave(uow: UnitOfWork, principal: Principal, pid: str, urn: str, on: date) -> Partnership:
    """The school's lead, or the coordinator, records that the school has left."""
    async with uow:
        partnership = access.require_visible(principal, await uow.partnerships.get(pid), pid)
        if not access.coordinates(principal, partnership):
            access.require_school_lead(principal, urn)
        partnership.leave(urn, on)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership
