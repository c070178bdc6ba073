"""What a person signing in may do: each way they may act, from their current roles here.

The identity service asks this with the verified email the county's identity provider gave it,
and issues a token for the way the person chooses. A school role gives school lead (heads,
senior leaders, CPD approvers) or teacher (everyone at the school acts as a teacher for their
own bookings); coordinating gives partnership coordinator; council staff are county officers.
"""

from datetime import date

from contracts.sign_in import PersonAccess, WayToAct
from contracts.vocabulary import StaffRole
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.membership.domain.school import School
from services.membership.service_layer.unit_of_work import UnitOfWork

LEADS = {StaffRole.HEAD, StaffRole.SENIOR_LEADER, StaffRole.CPD_APPROVER}


async def access_of(
    uow: UnitOfWork, principal: Principal, email: str | None, person_id: str | None, today: date
) -> PersonAccess:
    if principal.role != Role.SERVICE:
        raise Forbidden("only the identity service asks what a person signing in may do")
    async with uow:
        if email is not None:
            person = await uow.people.with_email(email.lower())
        else:
            person = await uow.people.get(person_id or "")
        if person is None or person.details is None:
            raise NotFound("no such person")
        current = person.current_roles(today)
        coordinating = [
            r.partnership_id
            for r in current
            if r.role == StaffRole.COORDINATOR and r.partnership_id
        ]
        coordinated = await uow.partnerships.related_to(coordinating, person.id, ())
        school_roles = [r for r in current if r.urn]
        schools = await uow.schools.get_many(r.urn for r in school_roles if r.urn)
    ways: list[WayToAct] = []
    if any(r.role == StaffRole.COUNTY_OFFICER for r in current):
        ways.append(WayToAct(role=Role.COUNTY_OFFICER, label="County officer"))
    if coordinated:
        names = ", ".join(p.details.name for p in coordinated)
        ways.append(
            WayToAct(
                role=Role.PARTNERSHIP_COORDINATOR,
                label=f"Coordinator of {names}",
                partnerships=sorted(p.id for p in coordinated),
            )
        )
    lead_of = sorted({r.urn for r in school_roles if r.role in LEADS and r.urn})
    if lead_of:
        ways.append(
            WayToAct(
                role=Role.SCHOOL_LEAD,
                label="School lead at " + _names(lead_of, schools),
                schools=lead_of,
            )
        )
    staff_of = sorted({r.urn for r in school_roles if r.urn})
    if staff_of:
        ways.append(
            WayToAct(
                role=Role.TEACHER, label="Staff at " + _names(staff_of, schools), schools=staff_of
            )
        )
    elif any(r.role == StaffRole.CONTRIBUTOR for r in current):
        ways.append(WayToAct(role=Role.TEACHER, label="Contributor"))
    return PersonAccess(person_id=person.id, name=person.details.name, ways=ways)


def _names(urns: list[str], schools: dict[str, School]) -> str:
    return ", ".join(schools[u].details.name if u in schools else u for u in urns)
