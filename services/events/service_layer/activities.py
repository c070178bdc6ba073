"""Handlers for activities: create, change, publish, reschedule, cancel, complete, list."""

import uuid
from collections.abc import Callable
from datetime import date

from contracts.activities import Session
from eventkit.auth import Principal
from eventkit.errors import Forbidden
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.activity import Activity, ActivityDetails, PlacesFreed
from services.events.service_layer import access
from services.events.service_layer.ports import UnitOfWork


async def create_activity(
    uow: UnitOfWork, principal: Principal, details: ActivityDetails
) -> Activity:
    async with uow:
        if not await access.coordinates(uow.directory, principal, details.partnership_id):
            raise Forbidden(access.COORDINATORS)
        activity = Activity(id=uuid.uuid4().hex[:12], details=details)
        await uow.activities.add(activity)
        await uow.commit()
    return activity


async def get_activity(uow: UnitOfWork, principal: Principal, activity_id: str) -> Activity:
    async with uow:
        return await access.load_activity(uow, principal, activity_id)


async def list_activities(uow: UnitOfWork, principal: Principal) -> list[Activity]:
    async with uow:
        if principal.county_wide:
            return await uow.activities.all()
        partnerships = await access.caller_partnerships(uow.directory, principal)
        found = await uow.activities.in_partnerships(partnerships, drafts=True)
        return [a for a in found if await access.sees_activity(uow.directory, principal, a)]


@retry_on_write_conflict()
async def _change_activity(
    uow: UnitOfWork,
    principal: Principal,
    activity_id: str,
    change: Callable[[Activity], None],
) -> Activity:
    async with uow:
        activity = await access.load_activity(
            uow, principal, activity_id, may=access.coordinates_activity
        )
        change(activity)
        await uow.activities.save(activity)
        await uow.commit()
    return activity


async def update_activity(
    uow: UnitOfWork, principal: Principal, activity_id: str, details: ActivityDetails
) -> Activity:
    def update(activity: Activity) -> None:
        activity.update(details)
        activity.record(PlacesFreed(activity_id=activity.id))  # more capacity, more places

    return await _change_activity(uow, principal, activity_id, update)


async def publish_activity(uow: UnitOfWork, principal: Principal, activity_id: str) -> Activity:
    return await _change_activity(uow, principal, activity_id, lambda a: a.publish())


async def reschedule_activity(
    uow: UnitOfWork,
    principal: Principal,
    activity_id: str,
    sessions: list[Session],
    reason: str | None,
) -> Activity:
    return await _change_activity(
        uow, principal, activity_id, lambda a: a.reschedule(sessions, reason)
    )


async def cancel_activity(
    uow: UnitOfWork, principal: Principal, activity_id: str, reason: str | None
) -> Activity:
    return await _change_activity(uow, principal, activity_id, lambda a: a.cancel(reason))


async def complete_activity(
    uow: UnitOfWork, principal: Principal, activity_id: str, on: date
) -> Activity:
    return await _change_activity(uow, principal, activity_id, lambda a: a.complete(on))
