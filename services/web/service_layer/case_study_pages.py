"""A published case study, whole, with the partnership that tells it and the schools it is about."""

import asyncio
from dataclasses import dataclass

from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.models import CaseStudy, Partnership, School
from services.web.service_layer.partnership_pages import school


class NotPublished(Exception):
    """A draft, or one under review: to the public it does not exist."""


@dataclass(frozen=True)
class CaseStudyPage:
    case_study: CaseStudy
    partnership: Partnership | None
    schools: list[School]


async def case_study_page(api: PlatformApi, token: str, case_study_id: str) -> CaseStudyPage:
    """Raises ApiProblem (404) for one that does not exist, NotPublished for one not public."""
    case_study = CaseStudy.model_validate(
        await api.events.get(f"/case-studies/{case_study_id}", token)
    )
    if not case_study.published:
        raise NotPublished(case_study_id)
    partnership, schools = await asyncio.gather(
        _partnership(api, token, case_study.partnership_id),
        asyncio.gather(*(school(api, token, urn) for urn in case_study.content.urns)),
    )
    return CaseStudyPage(case_study, partnership, [s for s in schools if s is not None])


async def _partnership(api: PlatformApi, token: str, partnership_id: str) -> Partnership | None:
    try:
        found = await api.membership.get(f"/partnerships/{partnership_id}", token)
    except ApiProblem as problem:
        if problem.not_found:
            return None
        raise
    return Partnership.model_validate(found)
