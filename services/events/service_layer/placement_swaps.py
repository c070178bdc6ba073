"""Handlers for two-way placement swaps: propose, agree, reschedule a leg, complete, cancel.

Who may do what: a coordinator of the partnership (or a county officer) or a lead of either
school proposes; each school's lead agrees for their school, or a coordinator agrees for both;
the coordinators and both leads reschedule, complete and cancel. The visitors and mentors, both
schools' leads and the coordinators see a swap; to anyone else it does not exist.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from contracts.placements import PlacementSwapStatus
from contracts.vocabulary import ActivityFormat, StaffRole
from eventkit.auth import Principal
from eventkit.errors import Forbidden, Invalid
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.directory import PersonCopy
from services.events.domain.placement_swap import Dates, PlacementSwap, SwapLegs
from services.events.service_layer import access
from services.events.service_layer.ports import UnitOfWork

VISITORS = (StaffRole.TRAINEE, StaffRole.TEACHER)
MENTORS = (
    StaffRole.TEACHER,
    StaffRole.HEAD,
    StaffRole.SENIOR_LEADER,
    StaffRole.CPD_APPROVER,
    StaffRole.SAFEGUARDING_LEAD,
)
PARTIES = "only the partnership's coordinators or a lead of either school may"


def _works_as(person: PersonCopy | None, roles: tuple[StaffRole, ...], urn: str) -> bool:
    today = date.today()
    return person is not None and any(person.holds(r, urn=urn, today=today) for r in roles)


async def _check_legs(uow: UnitOfWork, partnership_id: str, proposal: SwapLegs) -> None:
    """Both schools active members; each visitor on the other school's staff as trainee or
    teacher; each mentor on the host school's staff."""
    partnership = await uow.directory.partnership(partnership_id)
    members = partnership.active_members() if partnership else set()
    for n, leg in enumerate(proposal.legs):
        if leg.host_urn not in members:
            raise Invalid(
                f"legs.{n}.host_urn: school {leg.host_urn} is not an active member of "
                f"partnership {partnership_id}"
            )
    for n, leg in enumerate(proposal.legs):
        visitor = await uow.directory.person(leg.visitor_id)
        if not _works_as(visitor, VISITORS, leg.visitor_urn):
            raise Invalid(
                f"legs.{n}.visitor_id: {leg.visitor_id} is not a current trainee or teacher "
                f"of school {leg.visitor_urn}"
            )
        if leg.mentor_id is not None:
            mentor = await uow.directory.person(leg.mentor_id)
            if not _works_as(mentor, MENTORS, leg.host_urn):
                raise Invalid(
                    f"legs.{n}.mentor_id: {leg.mentor_id} is not on the staff of school "
                    f"{leg.host_urn}"
                )


async def _check_activity(uow: UnitOfWork, partnership_id: str, activity_id: str) -> None:
    activity = await uow.activities.get(activity_id)
    if (
        activity is None
        or activity.details.partnership_id != partnership_id
        or activity.details.format != ActivityFormat.PLACEMENT_SWAP
    ):
        raise Invalid(
            f"activity_id: partnership {partnership_id} has no {ActivityFormat.PLACEMENT_SWAP} "
            f"activity {activity_id}"
        )


async def propose(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: str,
    proposal: SwapLegs,
    activity_id: str | None = None,
    now: datetime | None = None,
) -> PlacementSwap:
    pid = partnership_id
    async with uow:
        await access.require_partnership(uow.directory, principal, pid)
        coordinates = await access.coordinates(uow.directory, principal, pid)
        hosts = {leg.host_urn for leg in proposal.legs}
        if not coordinates and not any(access.leads_school(principal, u) for u in hosts):
            raise Forbidden(f"{PARTIES} propose a placement swap")
        await _check_legs(uow, pid, proposal)
        if activity_id is not None:
            await _check_activity(uow, pid, activity_id)
        swap = PlacementSwap.propose(
            id=uuid.uuid4().hex[:12],
            partnership_id=pid,
            activity_id=activity_id,
            legs=proposal.legs,
            proposed_by=principal.actor,
            proposed_at=now or datetime.now(UTC),
        )
        await uow.placement_swaps.add(swap)
        await uow.commit()
    return swap


async def get_swap(uow: UnitOfWork, principal: Principal, swap_id: str) -> PlacementSwap:
    async with uow:
        return await access.load_swap(uow, principal, swap_id)


async def of_partnership(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: str,
    status: PlacementSwapStatus | None = None,
) -> list[PlacementSwap]:
    async with uow:
        await access.require_partnership(uow.directory, principal, partnership_id)
        found = await uow.placement_swaps.of_partnership(partnership_id)
        return [
            s
            for s in found
            if (status is None or s.status == status)
            and await access.sees_swap(uow.directory, principal, s)
        ]


@retry_on_write_conflict()
async def _change(
    uow: UnitOfWork,
    principal: Principal,
    swap_id: str,
    action: str,
    change: Callable[[PlacementSwap], object],
) -> PlacementSwap:
    """Load it as the caller may see it (404), check they may change it (403), change, save."""
    async with uow:
        swap = await access.load_swap(
            uow, principal, swap_id, may=access.party_to_swap, refusal=f"{PARTIES} {action}"
        )
        change(swap)
        await uow.placement_swaps.save(swap)
        await uow.commit()
    return swap


async def agree(
    uow: UnitOfWork, principal: Principal, swap_id: str, now: datetime | None = None
) -> PlacementSwap:
    """A lead agrees for their school; a coordinator (or county officer) for both."""
    at = now or datetime.now(UTC)

    def sign(swap: PlacementSwap) -> None:
        if led := {u for u in swap.schools() if access.leads_school(principal, u)}:
            swap.agree(led, by=principal.actor, at=at)
        else:  # a party who leads neither school coordinates
            swap.agree(swap.schools(), by=principal.actor, at=at, coordinator=True)

    return await _change(uow, principal, swap_id, "agree a placement swap", sign)


async def reschedule(
    uow: UnitOfWork, principal: Principal, swap_id: str, host_urn: str, dates: Dates
) -> PlacementSwap:
    return await _change(
        uow,
        principal,
        swap_id,
        "reschedule a placement swap",
        lambda swap: swap.reschedule(host_urn, dates),
    )


async def complete(
    uow: UnitOfWork, principal: Principal, swap_id: str, today: date | None = None
) -> PlacementSwap:
    on = today or date.today()
    return await _change(
        uow,
        principal,
        swap_id,
        "complete a placement swap",
        lambda swap: swap.complete(on),
    )


async def cancel(
    uow: UnitOfWork, principal: Principal, swap_id: str, reason: str | None
) -> PlacementSwap:
    return await _change(
        uow,
        principal,
        swap_id,
        "cancel a placement swap",
        lambda swap: swap.cancel(reason),
    )
