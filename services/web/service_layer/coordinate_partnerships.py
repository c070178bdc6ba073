"""The partnerships a coordinator acts for, and the names their pages show: of schools (by URN)
and of staff (by person id), as membership lets the coordinator see them."""

import asyncio
from collections.abc import Iterable
from http import HTTPStatus

from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.models import Person
from services.web.service_layer.coordinate_models import Partnership
from services.web.service_layer.partnership_pages import school


def not_yours(what: str) -> ApiProblem:
    """A partnership, activity or case study the coordinator does not act for: to them, as to
    the services, it does not exist."""
    return ApiProblem(HTTPStatus.NOT_FOUND, "Not Found", f"{what} is not one of yours")


async def my_partnerships(api: PlatformApi, token: str) -> list[Partnership]:
    """Those membership shows a coordinator's token: the ones they coordinate, by name."""
    found = [
        Partnership.model_validate(p) for p in await api.membership.get("/partnerships", token)
    ]
    return sorted(found, key=lambda p: p.name.casefold())


async def my_partnership(api: PlatformApi, token: str, partnership_id: str) -> Partnership:
    for partnership in await my_partnerships(api, token):
        if partnership.id == partnership_id:
            return partnership
    raise not_yours(f"partnership {partnership_id}")


def chosen(partnerships: list[Partnership], wanted: str | None) -> Partnership:
    """The one asked for (`?partnership=`), else the first; not found for one of another's."""
    if not partnerships:
        raise not_yours("a partnership")
    if not wanted:
        return partnerships[0]
    for partnership in partnerships:
        if partnership.id == wanted:
            return partnership
    raise not_yours(f"partnership {wanted}")


async def school_names(api: PlatformApi, token: str, urns: Iterable[str]) -> dict[str, str]:
    """URN -> school name; a URN the platform does not know is shown as it is."""
    wanted = sorted(set(urns))
    found = await asyncio.gather(*(school(api, token, urn) for urn in wanted))
    return {urn: (s.name if s else f"School {urn}") for urn, s in zip(wanted, found, strict=True)}


async def people_names(api: PlatformApi, token: str) -> dict[str, str]:
    """Person id -> name, of the staff of the coordinator's schools and partnerships."""
    try:
        listed = await api.membership.get("/people", token)
    except ApiProblem as problem:
        if problem.not_found:
            return {}
        raise
    people = (Person.model_validate(p) for p in listed)
    return {p.id: p.details.name for p in people if p.details is not None}
