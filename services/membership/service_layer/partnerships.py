"""Handlers for partnerships, their coordinators and the memberships of schools."""

import uuid
from collections.abc import Callable
from datetime import date

from contracts.vocabulary import MembershipRole
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, Invalid, NotFound
from services.membership.domain.partnership import Partnership, PartnershipDetails
from services.membership.service_layer import access, people
from services.membership.service_layer.unit_of_work import UnitOfWork


async def create_partnership(
    uow: UnitOfWork, principal: Principal, details: PartnershipDetails
) -> Partnership:
    if not (principal.county_wide or principal.role == Role.PARTNERSHIP_COORDINATOR):
        raise Forbidden(
            "only a county officer or a partnership coordinator may create partnerships"
        )
    if not principal.county_wide and principal.person_id is None:
        raise Forbidden("a coordinator's token must name their person id to create a partnership")
    async with uow:
        partnership = Partnership.create(uuid.uuid4().hex[:12], details)
        if principal.person_id and not principal.county_wide:
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


async def _coordinated_change(
    uow: UnitOfWork,
    principal: Principal,
    pid: str,
    change: Callable[[Partnership], None],
    *,
    needs_school: str | None = None,
    needs_person: str | None = None,
    officer_only: bool = False,
) -> Partnership:
    """Load a partnership the caller coordinates, apply one change, save it with its events."""
    async with uow:
        partnership = access.require_visible(principal, await uow.partnerships.get(pid), pid)
        access.require_coordinator(principal, partnership)
        if officer_only:
            access.require_county_officer(principal)
        if needs_school is not None and await uow.schools.get(needs_school) is None:
            raise Invalid(f"no school with URN {needs_school}: register or import it first")
        if needs_person is not None:
            person = await uow.people.get(needs_person)
            if person is None or not await people.may_see(uow, principal, person):
                # the same for one the caller may not see as for none: ids reveal nobody
                raise Invalid(
                    f"no person {needs_person}: add them before making them a coordinator"
                )
        change(partnership)
        await uow.partnerships.save(partnership)
        await uow.commit()
    return partnership


async def update_partnership(
    uow: UnitOfWork, principal: Principal, pid: str, details: PartnershipDetails
) -> Partnership:
    return await _coordinated_change(uow, principal, pid, lambda p: p.update(details))


async def assign_coordinator(
    uow: UnitOfWork, principal: Principal, pid: str, person_id: str
) -> Partnership:
    return await _coordinated_change(
        uow, principal, pid, lambda p: p.assign_coordinator(person_id), needs_person=person_id
    )


async def remove_coordinator(
    uow: UnitOfWork, principal: Principal, pid: str, person_id: str
) -> Partnership:
    return await _coordinated_change(uow, principal, pid, lambda p: p.remove_coordinator(person_id))


async def invite_school(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, role: MembershipRole, on: date
) -> Partnership:
    return await _coordinated_change(
        uow, principal, pid, lambda p: p.invite(urn, role, on), needs_school=urn
    )


async def join_school(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, role: MembershipRole, on: date
) -> Partnership:
    """A county officer adds a school straight in, with its head's agreement given outside the
    platform. A coordinator invites instead, and the school's lead accepts: otherwise any
    coordinator could take in any school, and see its staff, without its consent."""
    return await _coordinated_change(
        uow, principal, pid, lambda p: p.join(urn, role, on), needs_school=urn, officer_only=True
    )


async def suspend_membership(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, on: date, reason: str | None
) -> Partnership:
    return await _coordinated_change(uow, principal, pid, lambda p: p.suspend(urn, on, reason))


async def reinstate_membership(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, on: date
) -> Partnership:
    return await _coordinated_change(uow, principal, pid, lambda p: p.reinstate(urn, on))


async def accept_invitation(
    uow: UnitOfWork, principal: Principal, pid: str, urn: str, on: date
) -> Partnership:
    async with uow:
        partnership = await uow.partnerships.get(pid)
        if (
            partnership is None
            or urn not in partnership.memberships
            or not (access.sees(principal, partnership) or access.leads(principal, urn))
        ):  # the same answer, so a stranger learns nothing of whom it invited
            raise NotFound(f"no invitation of school {urn} to partnership {pid}")
        access.require_school_lead(principal, urn)
        partnership.accept(urn, on)
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
