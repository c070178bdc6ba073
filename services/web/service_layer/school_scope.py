"""The schools a school lead acts for: those where they hold a current leading role, as the
membership service records it (the way of acting is granted from the same roles)."""

import asyncio
from dataclasses import dataclass
from datetime import datetime

from contracts.vocabulary import StaffRole
from services.web.adapters.platform_api import PlatformApi
from services.web.models import School
from services.web.rendering import ENGLAND
from services.web.service_layer.partnership_pages import school
from services.web.service_layer.school_models import StaffPerson
from services.web.viewer import Viewer

LEADING_ROLES = frozenset({StaffRole.HEAD, StaffRole.SENIOR_LEADER, StaffRole.CPD_APPROVER})


class LeadsNoSchool(Exception):
    """The person holds no leading role at a school now (it ended since they signed in)."""


@dataclass(frozen=True)
class LeadScope:
    schools: list[School]
    """By name; never empty."""

    def chosen(self, urn: str | None) -> School:
        """The school asked for, or the first."""
        return next((s for s in self.schools if s.urn == urn), self.schools[0])

    def leads(self, urn: str) -> bool:
        return any(s.urn == urn for s in self.schools)

    @property
    def urns(self) -> set[str]:
        return {s.urn for s in self.schools}


def now() -> datetime:
    return datetime.now(ENGLAND)


async def lead_scope(api: PlatformApi, viewer: Viewer) -> LeadScope:
    found = await api.membership.get(f"/people/{viewer.person_id}", viewer.token)
    person = StaffPerson.model_validate(found)
    on = now().date()
    urns = sorted(
        {r.urn for r in person.roles if r.urn and r.role in LEADING_ROLES and r.current(on)}
    )
    schools = [s for s in await asyncio.gather(*(school(api, viewer.token, u) for u in urns)) if s]
    if not schools:
        raise LeadsNoSchool(viewer.person_id)
    return LeadScope(sorted(schools, key=lambda s: s.name.casefold()))
