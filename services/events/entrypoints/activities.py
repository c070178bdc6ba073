"""HTTP routes for activities."""

from datetime import date

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from contracts.activities import Session
from eventkit.auth import CurrentPrincipal
from services.events.domain.activity import ActivityDetails
from services.events.entrypoints.dependencies import UoW
from services.events.entrypoints.views import ActivityView
from services.events.service_layer import activities as handlers

router = APIRouter(prefix="/activities", tags=["activities"])


class RescheduleIn(BaseModel):
    sessions: list[Session] = Field(min_length=1, max_length=50)
    reason: str | None = Field(None, max_length=2000)


class CancelIn(BaseModel):
    reason: str | None = Field(None, max_length=2000)


class CompleteIn(BaseModel):
    on: date = Field(default_factory=date.today)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a draft activity")
async def create(body: ActivityDetails, uow: UoW, principal: CurrentPrincipal) -> ActivityView:
    return ActivityView.of(await handlers.create_activity(uow, principal, body))


@router.get("")
async def list_all(uow: UoW, principal: CurrentPrincipal) -> list[ActivityView]:
    return ActivityView.many(await handlers.list_activities(uow, principal))


@router.get("/{activity_id}")
async def get(activity_id: str, uow: UoW, principal: CurrentPrincipal) -> ActivityView:
    return ActivityView.of(await handlers.get_activity(uow, principal, activity_id))


@router.put("/{activity_id}", summary="Change details (not sessions: reschedule)")
async def update(
    activity_id: str, body: ActivityDetails, uow: UoW, principal: CurrentPrincipal
) -> ActivityView:
    return ActivityView.of(await handlers.update_activity(uow, principal, activity_id, body))


@router.post("/{activity_id}/publish")
async def publish(activity_id: str, uow: UoW, principal: CurrentPrincipal) -> ActivityView:
    return ActivityView.of(await handlers.publish_activity(uow, principal, activity_id))


@router.post("/{activity_id}/reschedule")
async def reschedule(
    activity_id: str, body: RescheduleIn, uow: UoW, principal: CurrentPrincipal
) -> ActivityView:
    return ActivityView.of(
        await handlers.reschedule_activity(uow, principal, activity_id, body.sessions, body.reason)
    )


@router.post("/{activity_id}/cancel")
async def cancel(
    activity_id: str, uow: UoW, principal: CurrentPrincipal, body: CancelIn | None = None
) -> ActivityView:
    return ActivityView.of(
        await handlers.cancel_activity(uow, principal, activity_id, (body or CancelIn()).reason)
    )


@router.post("/{activity_id}/complete")
async def complete(
    activity_id: str, uow: UoW, principal: CurrentPrincipal, body: CompleteIn | None = None
) -> ActivityView:
    return ActivityView.of(
        await handlers.complete_activity(uow, principal, activity_id, (body or CompleteIn()).on)
    )
