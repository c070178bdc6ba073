"""HTTP routes for money an activity raised for charity."""

from fastapi import APIRouter, status
from pydantic import BaseModel

from eventkit.auth import CurrentPrincipal
from services.events.domain.activity import Donation, FundsEntry
from services.events.entrypoints.dependencies import UoW
from services.events.service_layer import fundraising as handlers

router = APIRouter(prefix="/activities/{activity_id}/fundraising", tags=["fundraising"])


class FundsView(BaseModel):
    entries: list[FundsEntry]
    total_pence: int
    by_charity: dict[str, int]

    @classmethod
    def of(cls, funds: handlers.Funds) -> "FundsView":
        return cls(
            entries=funds.entries, total_pence=funds.total_pence, by_charity=funds.by_charity
        )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Record money raised for a charity")
async def record(
    activity_id: str, body: Donation, uow: UoW, principal: CurrentPrincipal
) -> FundsEntry:
    return await handlers.record(uow, principal, activity_id, body)


@router.get("", summary="What the activity raised, by charity")
async def of_activity(activity_id: str, uow: UoW, principal: CurrentPrincipal) -> FundsView:
    return FundsView.of(await handlers.of_activity(uow, principal, activity_id))


@router.delete("/{entry_id}", summary="Take out an entry made in error")
async def remove(
    activity_id: str, entry_id: str, uow: UoW, principal: CurrentPrincipal
) -> FundsView:
    return FundsView.of(await handlers.remove(uow, principal, activity_id, entry_id))
