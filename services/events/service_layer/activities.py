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
from services.events.service_layer.unit_of_work import EventsUnitOfWork


async def create_activity(
    uow: EventsUnitOfWork, principal: Principal, details: ActivityDetails
) -> Activity:
    async with uow:
        if not await access.coordinates(uow.directory, principal, details.partnership_id):
            raise Forbidden("only the partnership's coordinators or a county officer may do this")
        activity = Activity(id=uuid.uuid4().hex[:12], details=details)
        await uow.activities.add(activity)
        await uow.commit()
    return activity


async def get_activity(uow: EventsUnitOfWork, principal: Principal, activity_id: str) -> Activity:
    async with uow:
        found = await uow.activities.get(activity_id)
        return await access.require_visible(uow.directory, principal, found, activity_id)


async def list_activities(uow: EventsUnitOfWork, principal: Principal) -> list[Activity]:
    async with uow:
        if principal.county_wide:
            return await uow.activities.all()
        partnerships = await access.caller_partnerships(uow.directory, principal)
        found = await uow.activities.in_partnerships(partnerships, drafts=True)
        return [a for a in found if await access.sees(uow.directory, principal, a)]


@retry_on_write_conflict()
async def _change(
    uow: EventsUnitOfWork,
    principal: Principal,
    activity_id: str,
    change: Callable[[Activity], None],
) -> Activity:
    async with uow:
        found = await uow.activities.get(activity_id)
        activity = await access.require_visible(uow.directory, principal, found, activity_id)
        await access.require_coordinator(uow.directory, principal, activity)
        change(activity)
        await uow.activities.save(activity)
        await uow.commit()
    return activity


async def update_activity(
    uow: EventsUnitOfWork, principal: Principal, activity_id: str, details: ActivityDetails
) -> Activity:
    def update(activity: Activity) -> None:
        activity.update(details)
        activity.record(PlacesFreed(activity_id=activity.id))  # more capacity, more places

    return await _change(uow, principal, activity_id, update)


async def publish_activity(
    uow: EventsUnitOfWork, principal: Principal, activity_id: str
) -> Activity:
    return await _change(uow, principal, activity_id, lambda a: a.publish())


async def reschedule_activity(
    uow: EventsUnitOfWork,
    principal: Principal,
    activity_id: str,
    sessions: list[Session],
    reason: str | None,
) -> Activity:
    return await _change(uow, principal, activity_id, lambda a: a.reschedule(sessions, reason))


async def cancel_activity(
    uow: EventsUnitOfWork, principal: Principal, activity_id: str, reason: str | None
) -> Activity:
    return await _change(uow, principal, activity_id, lambda a: a.cancel(reason))


async def complete_activity(
    uow: EventsUnitOfWork, principal: Principal, activity_id: str, on: date
) -> Activity:
    return await _change(uow, principal, activity_id, lambda a: a.complete(on))
