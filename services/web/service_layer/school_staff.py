"""A school's staff and their roles there, as its lead keeps them: adding a member of staff
with a role, ending a role."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.service_layer.school_models import Role, StaffPerson
from services.web.viewer import Viewer


@dataclass(frozen=True)
class Member:
    person: StaffPerson
    current: list[Role]
    """Their roles at the school now."""
    past: list[Role]
    """Those that ended (or are yet to start)."""


async def people(api: PlatformApi, viewer: Viewer) -> list[StaffPerson]:
    found = await api.membership.get("/people", viewer.token)
    return [StaffPerson.model_validate(p) for p in found]


async def staff_of(api: PlatformApi, viewer: Viewer, urn: str, today: date) -> list[Member]:
    """Everyone who holds or held a role at the school, by name."""
    found = []
    for person in await people(api, viewer):
        here = [r for r in person.roles if r.urn == urn]
        if here:
            found.append(
                Member(
                    person,
                    [r for r in here if r.current(today)],
                    [r for r in here if not r.current(today)],
                )
            )
    return sorted(found, key=lambda m: m.person.name.casefold())


async def member(api: PlatformApi, viewer: Viewer, urn: str, person_id: str, today: date) -> Member:
    """Raises ApiProblem (404) for someone who holds no role at the school."""
    person = StaffPerson.model_validate(
        await api.membership.get(f"/people/{person_id}", viewer.token)
    )
    here = [r for r in person.roles if r.urn == urn]
    if not here:
        raise ApiProblem(404, "Not Found", f"person {person_id} holds no role at {urn}")
    return Member(
        person, [r for r in here if r.current(today)], [r for r in here if not r.current(today)]
    )


async def with_email(api: PlatformApi, viewer: Viewer, email: str) -> StaffPerson | None:
    """Someone the lead already sees (staff of their schools) with this email."""
    wanted = email.casefold()
    return next(
        (p for p in await people(api, viewer) if p.details and p.details.email == wanted), None
    )


async def add(
    api: PlatformApi, viewer: Viewer, details: dict[str, Any], role: dict[str, Any]
) -> StaffPerson:
    found = await api.membership.post("/people", viewer.token, {**details, "role": role})
    return StaffPerson.model_validate(found)


async def give_role(
    api: PlatformApi, viewer: Viewer, person_id: str, role: dict[str, Any]
) -> StaffPerson:
    found = await api.membership.post(f"/people/{person_id}/roles", viewer.token, role)
    return StaffPerson.model_validate(found)


async def end_role(
    api: PlatformApi, viewer: Viewer, person_id: str, role_id: str, on: date
) -> StaffPerson:
    found = await api.membership.post(
        f"/people/{person_id}/roles/{role_id}/end", viewer.token, {"on": on.isoformat()}
    )
    return StaffPerson.model_validate(found)
