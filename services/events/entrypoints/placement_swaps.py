"""HTTP routes for two-way placement swaps between two schools of a partnership."""

from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, Field

from contracts.placements import PlacementSwapStatus
from contracts.vocabulary import URN_PATTERN
from eventkit.auth import CurrentPrincipal
from eventkit.inputs import Line
from services.events.domain.placement_swap import Dates, SwapLegs
from services.events.entrypoints.dependencies import UoW
from services.events.entrypoints.views import PlacementSwapView
from services.events.service_layer import placement_swaps as handlers

router = APIRouter(tags=["placement swaps"])

SwapId = Annotated[str, Path(max_length=64)]
HostUrn = Annotated[
    str, Path(pattern=URN_PATTERN, description="The school hosting the leg (its URN)")
]


class NewPlacementSwap(SwapLegs):
    partnership_id: str = Field(
        min_length=1, max_length=100, description="The partnership both schools belong to"
    )
    activity_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="A trainee_placement_swap activity of the partnership that groups the pairs",
    )


class CancelIn(BaseModel):
    reason: Line | None = None


@router.post(
    "/placement-swaps",
    status_code=status.HTTP_201_CREATED,
    summary="Propose a two-way placement swap: who hosts whom, both ways, with dates",
    description="Two legs, one each way: the host of each is the visitor's school of the other. "
    "Each visitor is a current trainee or teacher of the other school; a mentor is staff of the "
    "host school. Proposed by a coordinator of the partnership or a lead of either school.",
)
async def propose(
    body: NewPlacementSwap, uow: UoW, principal: CurrentPrincipal
) -> PlacementSwapView:
    return PlacementSwapView.of(
        await handlers.propose(uow, principal, body.partnership_id, body, body.activity_id)
    )


@router.get("/placement-swaps/{swap_id}")
async def get(swap_id: SwapId, uow: UoW, principal: CurrentPrincipal) -> PlacementSwapView:
    return PlacementSwapView.of(await handlers.get_swap(uow, principal, swap_id))


@router.get(
    "/partnerships/{pid}/placement-swaps",
    summary="The partnership's placement swaps the caller may see",
)
async def of_partnership(
    pid: Annotated[str, Path(max_length=100)],
    uow: UoW,
    principal: CurrentPrincipal,
    status: PlacementSwapStatus | None = None,
) -> list[PlacementSwapView]:
    return PlacementSwapView.many(await handlers.of_partnership(uow, principal, pid, status))


@router.post(
    "/placement-swaps/{swap_id}/agree",
    summary="A school's lead agrees for their school; a coordinator for both",
    description="The swap is agreed once both schools are agreed for. Agreeing again is no change.",
)
async def agree(swap_id: SwapId, uow: UoW, principal: CurrentPrincipal) -> PlacementSwapView:
    return PlacementSwapView.of(await handlers.agree(uow, principal, swap_id))


@router.post(
    "/placement-swaps/{swap_id}/legs/{host_urn}/reschedule",
    summary="New dates for the leg hosted by this school (until the swap is completed)",
)
async def reschedule(
    swap_id: SwapId, host_urn: HostUrn, body: Dates, uow: UoW, principal: CurrentPrincipal
) -> PlacementSwapView:
    return PlacementSwapView.of(await handlers.reschedule(uow, principal, swap_id, host_urn, body))


@router.post(
    "/placement-swaps/{swap_id}/complete", summary="Both placements happened (once both are over)"
)
async def complete(swap_id: SwapId, uow: UoW, principal: CurrentPrincipal) -> PlacementSwapView:
    return PlacementSwapView.of(await handlers.complete(uow, principal, swap_id))


@router.post("/placement-swaps/{swap_id}/cancel")
async def cancel(
    swap_id: SwapId, uow: UoW, principal: CurrentPrincipal, body: CancelIn | None = None
) -> PlacementSwapView:
    return PlacementSwapView.of(
        await handlers.cancel(uow, principal, swap_id, (body or CancelIn()).reason)
    )
