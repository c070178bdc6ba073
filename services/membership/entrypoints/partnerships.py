"""HTTP routes for partnerships, coordinators and memberships: translate, call a handler."""

from datetime import date

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from contracts.vocabulary import MembershipRole, Urn
from eventkit.auth import CurrentPrincipal
from eventkit.inputs import HappenedOn
from services.membership.domain.partnership import Partnership, PartnershipDetails
from services.membership.entrypoints.dependencies import UoW
from services.membership.service_layer import partnerships as handlers

router = APIRouter(prefix="/partnerships", tags=["partnerships"])


class CoordinatorIn(BaseModel):
    person_id: str


class SchoolMembershipIn(BaseModel):
    urn: Urn
    role: MembershipRole = MembershipRole.MEMBER
    on: HappenedOn = Field(default_factory=date.today)


class DatedIn(BaseModel):
    on: HappenedOn = Field(default_factory=date.today)


class SuspensionIn(DatedIn):
    reason: str | None = Field(None, max_length=2000)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create(body: PartnershipDetails, uow: UoW, principal: CurrentPrincipal) -> Partnership:
    return await handlers.create_partnership(uow, principal, body)


@router.get("")
async def list_all(uow: UoW, principal: CurrentPrincipal) -> list[Partnership]:
    return await handlers.list_partnerships(uow, principal)


@router.get("/{pid}")
async def get(pid: str, uow: UoW, principal: CurrentPrincipal) -> Partnership:
    return await handlers.get_partnership(uow, principal, pid)


@router.put("/{pid}")
async def update(
    pid: str, body: PartnershipDetails, uow: UoW, principal: CurrentPrincipal
) -> Partnership:
    return await handlers.update_partnership(uow, principal, pid, body)


@router.post("/{pid}/coordinators")
async def assign_coordinator(
    pid: str, body: CoordinatorIn, uow: UoW, principal: CurrentPrincipal
) -> Partnership:
    return await handlers.assign_coordinator(uow, principal, pid, body.person_id)


@router.delete("/{pid}/coordinators/{person_id}")
async def remove_coordinator(
    pid: str, person_id: str, uow: UoW, principal: CurrentPrincipal
) -> Partnership:
    return await handlers.remove_coordinator(uow, principal, pid, person_id)


@router.post("/{pid}/invitations")
async def invite(
    pid: str, body: SchoolMembershipIn, uow: UoW, principal: CurrentPrincipal
) -> Partnership:
    return await handlers.invite_school(uow, principal, pid, body.urn, body.role, body.on)


@router.post("/{pid}/members")
async def join(
    pid: str, body: SchoolMembershipIn, uow: UoW, principal: CurrentPrincipal
) -> Partnership:
    return await handlers.join_school(uow, principal, pid, body.urn, body.role, body.on)


@router.post("/{pid}/members/{urn}/accept")
async def accept(
    pid: str, urn: str, uow: UoW, principal: CurrentPrincipal, body: DatedIn | None = None
) -> Partnership:
    return await handlers.accept_invitation(uow, principal, pid, urn, (body or DatedIn()).on)


@router.post("/{pid}/members/{urn}/suspend")
async def suspend(
    pid: str, urn: str, uow: UoW, principal: CurrentPrincipal, body: SuspensionIn | None = None
) -> Partnership:
    body = body or SuspensionIn()
    return await handlers.suspend_membership(uow, principal, pid, urn, body.on, body.reason)


@router.post("/{pid}/members/{urn}/reinstate")
async def reinstate(
    pid: str, urn: str, uow: UoW, principal: CurrentPrincipal, body: DatedIn | None = None
) -> Partnership:
    return await handlers.reinstate_membership(uow, principal, pid, urn, (body or DatedIn()).on)


@router.post("/{pid}/members/{urn}/leave")
async def leave(
    pid: str, urn: str, uow: UoW, principal: CurrentPrincipal, body: DatedIn | None = None
) -> Partnership:
    return await handlers.leave(uow, principal, pid, urn, (body or DatedIn()).on)
