"""HTTP routes for an activity's speakers, facilitators and hosts."""

from fastapi import APIRouter, status
from pydantic import BaseModel

from contracts.activities import ContributorStatus
from contracts.vocabulary import ContributorRole
from eventkit.auth import CurrentPrincipal
from services.events.domain.activity import Contributor, Invitation
from services.events.entrypoints.dependencies import UoW
from services.events.service_layer import contributors as handlers

router = APIRouter(prefix="/activities/{activity_id}/contributors", tags=["contributors"])


class CreditView(BaseModel):
    id: str
    person_id: str
    role: ContributorRole
    contribution: str | None
    status: ContributorStatus
    name: str
    of: str | None

    @classmethod
    def of_credit(cls, credit: handlers.Credit) -> "CreditView":
        c = credit.contributor
        return cls(**c.model_dump(), name=credit.name, of=credit.of)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Invite a speaker, facilitator, host")
async def invite(
    activity_id: str, body: Invitation, uow: UoW, principal: CurrentPrincipal
) -> Contributor:
    return await handlers.invite(uow, principal, activity_id, body)


@router.get("", summary="Who speaks, facilitates and hosts (every invitation, for coordinators)")
async def of_activity(activity_id: str, uow: UoW, principal: CurrentPrincipal) -> list[CreditView]:
    return [
        CreditView.of_credit(c) for c in await handlers.of_activity(uow, principal, activity_id)
    ]


@router.post("/{contributor_id}/confirm", summary="Confirm (the contributor, or a coordinator)")
async def confirm(
    activity_id: str, contributor_id: str, uow: UoW, principal: CurrentPrincipal
) -> Contributor:
    confirmed = ContributorStatus.CONFIRMED
    return await handlers.answer(uow, principal, activity_id, contributor_id, confirmed)


@router.post("/{contributor_id}/decline", summary="Decline (the contributor, or a coordinator)")
async def decline(
    activity_id: str, contributor_id: str, uow: UoW, principal: CurrentPrincipal
) -> Contributor:
    declined = ContributorStatus.DECLINED
    return await handlers.answer(uow, principal, activity_id, contributor_id, declined)


@router.post("/{contributor_id}/withdraw", summary="Withdraw an invitation (coordinators)")
async def withdraw(
    activity_id: str, contributor_id: str, uow: UoW, principal: CurrentPrincipal
) -> Contributor:
    withdrawn = ContributorStatus.WITHDRAWN
    return await handlers.answer(uow, principal, activity_id, contributor_id, withdrawn)
