"""People, partnerships and activities looked up by id for the county's pages: None for one that
is not there (any more), as a page shows it."""

from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.models import Partnership, Person


async def person(api: PlatformApi, token: str, person_id: str) -> Person | None:
    try:
        return Person.model_validate(await api.membership.get(f"/people/{person_id}", token))
    except ApiProblem as problem:
        if problem.not_found:
            return None
        raise


async def partnership(api: PlatformApi, token: str, partnership_id: str) -> Partnership | None:
    try:
        found = await api.membership.get(f"/partnerships/{partnership_id}", token)
    except ApiProblem as problem:
        if problem.not_found:
            return None
        raise
    return Partnership.model_validate(found)


async def activity_title(api: PlatformApi, token: str, activity_id: str) -> str | None:
    try:
        found = await api.events.get(f"/activities/{activity_id}", token)
    except ApiProblem as problem:
        if problem.not_found:
            return None
        raise
    return str(found["details"]["title"])
