"""Handlers for the people who speak, facilitate or host at an activity (not booked as staff
of a school): invited by its coordinators, confirmed or declined by themselves (or for them by
a coordinator), shown on the programme and in calendars once confirmed."""

from dataclasses import dataclass
from datetime import date

from contracts.activities import ContributorStatus
from contracts.vocabulary import StaffRole
from eventkit.auth import Principal
from eventkit.errors import Invalid, NotFound
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.activity import Activity, Contributor, Invitation
from services.events.domain.directory import PersonCopy
from services.events.service_layer import access
from services.events.service_layer.ports import Directory, UnitOfWork


@dataclass(frozen=True)
class Credit:
    """How a contributor is named on the programme: their name and where they are from."""

    contributor: Contributor
    name: str
    of: str | None


async def _affiliation(directory: Directory, person: PersonCopy, today: date) -> str | None:
    """Their organisation if they contribute for one, else the school they work at."""
    roles = person.current_roles(today)
    for role in roles:
        organisation = (
            await directory.organisation(role.organisation_id) if role.organisation_id else None
        )
        if role.role == StaffRole.CONTRIBUTOR and organisation:
            return organisation.name
    for role in roles:
        if role.urn and (school := await directory.school(role.urn)):
            return school.name or None
    return None


async def credits(
    directory: Directory, contributors: list[Contributor], today: date | None = None
) -> list[Credit]:
    today = today or date.today()
    named = []
    for c in contributors:
        person = await directory.person(c.person_id)
        if person is None or person.erased:
            named.append(Credit(c, "(name withheld)", None))
        else:
            named.append(Credit(c, person.name, await _affiliation(directory, person, today)))
    return named


async def _of_partnership(directory: Directory, person_id: str, activity: Activity) -> bool:
    """A contributor or coordinator of the activity's partnership, staff of one of its member
    schools, or a county officer; another partnership's people answer as unknown."""
    person = await directory.person(person_id)
    if person is None or person.erased:
        return False
    pid = activity.details.partnership_id
    partnership = await directory.partnership(pid)
    members = partnership.active_members() if partnership else set()
    return any(
        r.partnership_id == pid or r.urn in members or r.role == StaffRole.COUNTY_OFFICER
        for r in person.current_roles(date.today())
    )


async def invite(
    uow: UnitOfWork, principal: Principal, activity_id: str, invitation: Invitation
) -> Contributor:
    async with uow:
        activity = await access.load_activity(
            uow, principal, activity_id, may=access.coordinates_activity
        )
        if not await _of_partnership(uow.directory, invitation.person_id, activity):
            raise Invalid(
                f"person_id: {invitation.person_id} is no one of this partnership now; add them"
                " in membership first (outside people as its contributors)"
            )
        contributor = activity.invite(invitation)
        await uow.activities.save(activity)
        await uow.commit()
    return contributor


async def _load_for_contributor(
    uow: UnitOfWork, principal: Principal, activity_id: str, contributor_id: str
) -> tuple[Activity, Contributor]:
    """The activity and contributor, for the contributor themselves or its coordinators; 404
    for anyone else."""
    activity = await uow.activities.get(activity_id)
    if activity is not None:
        contributor = next((c for c in activity.contributors if c.id == contributor_id), None)
        if contributor is not None and (
            principal.person_id == contributor.person_id
            or await access.coordinates_activity(uow.directory, principal, activity)
        ):
            return activity, contributor
    raise NotFound(f"no contributor {contributor_id} of activity {activity_id}")


@retry_on_write_conflict()
async def answer(
    uow: UnitOfWork,
    principal: Principal,
    activity_id: str,
    contributor_id: str,
    status: ContributorStatus,
) -> Contributor:
    async with uow:
        activity, _ = await _load_for_contributor(uow, principal, activity_id, contributor_id)
        if status == ContributorStatus.WITHDRAWN:
            await access.load_activity(uow, principal, activity_id, may=access.coordinates_activity)
        changed = activity.answer(contributor_id, status)
        await uow.activities.save(activity)
        await uow.commit()
    return changed


async def of_activity(uow: UnitOfWork, principal: Principal, activity_id: str) -> list[Credit]:
    """Its confirmed contributors for whoever sees the activity; every one, with their status,
    for its coordinators."""
    async with uow:
        activity = await access.load_activity(uow, principal, activity_id)
        if await access.coordinates_activity(uow.directory, principal, activity):
            shown = activity.contributors
        else:
            shown = activity.confirmed_contributors()
        return await credits(uow.directory, shown)
