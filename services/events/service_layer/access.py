"""Who may see and change what in the events service. What a caller may not see is not found."""

from datetime import date

from contracts.vocabulary import ActivityStatus, StaffRole
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.events.adapters.directory import MongoDirectory
from services.events.domain.activity import Activity
from services.events.domain.booking import Booking


async def coordinates(directory: MongoDirectory, principal: Principal, partnership_id: str) -> bool:
    if principal.county_wide:
        return True
    if principal.role != Role.PARTNERSHIP_COORDINATOR:
        return False
    if partnership_id in principal.partnerships:
        return True
    copy = await directory.partnership(partnership_id)
    return bool(copy and principal.person_id and principal.person_id in copy.coordinators)


async def caller_partnerships(directory: MongoDirectory, principal: Principal) -> set[str]:
    """The partnerships the caller acts for or whose member schools they belong to."""
    found = set(principal.partnerships)
    for urn in principal.schools:
        found |= await directory.partnerships_of(urn)
    return found


async def sees(directory: MongoDirectory, principal: Principal, activity: Activity) -> bool:
    if await coordinates(directory, principal, activity.details.partnership_id):
        return True
    if activity.status == ActivityStatus.DRAFT:
        return False
    if activity.details.county_wide:
        return True
    return bool(activity.details.partnerships() & await caller_partnerships(directory, principal))


async def require_visible(
    directory: MongoDirectory, principal: Principal, activity: Activity | None, activity_id: str
) -> Activity:
    if activity is None or not await sees(directory, principal, activity):
        raise NotFound(f"no activity {activity_id}")
    return activity


async def require_coordinator(
    directory: MongoDirectory, principal: Principal, activity: Activity
) -> None:
    if not await coordinates(directory, principal, activity.details.partnership_id):
        raise Forbidden("only the partnership's coordinators or a county officer may do this")


async def may_approve(directory: MongoDirectory, principal: Principal, urn: str) -> bool:
    """The school's lead, or a CPD approver of that school."""
    if principal.county_wide:
        return True
    if principal.role == Role.SCHOOL_LEAD and urn in principal.schools:
        return True
    if principal.person_id is None:
        return False
    person = await directory.person(principal.person_id)
    return bool(person and person.holds(StaffRole.CPD_APPROVER, urn=urn, today=date.today()))


async def may_manage_booking(
    directory: MongoDirectory, principal: Principal, booking: Booking, activity: Activity
) -> bool:
    """The person booked, their school's lead, or the activity's coordinators."""
    if booking.person_id is not None and booking.person_id == principal.person_id:
        return True
    if principal.role == Role.SCHOOL_LEAD and booking.urn in principal.schools:
        return True
    return await coordinates(directory, principal, activity.details.partnership_id)
