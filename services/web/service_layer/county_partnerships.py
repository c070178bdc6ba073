"""Every partnership as a county officer sees it: closed ones too, each with its status, and for
one partnership every school whatever its membership's state, its coordinators and its case
studies at every stage."""

import asyncio
from collections import Counter
from dataclasses import dataclass

from contracts.vocabulary import PartnershipStatus
from services.web.adapters.platform_api import PlatformApi
from services.web.models import Membership, Partnership, School
from services.web.service_layer.county_case_studies import Submission
from services.web.service_layer.county_directory import person
from services.web.service_layer.library import partnerships
from services.web.service_layer.partnership_pages import school

MEMBERSHIP_STATUSES = {
    "invited": "Invited",
    "active": "Taking part",
    "suspended": "Suspended",
    "lapsed": "Lapsed",
    "left": "Left",
}
STATUS_ORDER = [s.value for s in PartnershipStatus]


@dataclass(frozen=True)
class Listing:
    partnerships: list[Partnership]
    """By name."""

    @property
    def by_status(self) -> list[tuple[str, int]]:
        counted = Counter(p.details.status for p in self.partnerships)
        return [(s, counted[s]) for s in STATUS_ORDER if counted[s]]


@dataclass(frozen=True)
class Member:
    membership: Membership
    school: School | None


@dataclass(frozen=True)
class Coordinator:
    name: str
    email: str


@dataclass(frozen=True)
class PartnershipRecord:
    partnership: Partnership
    coordinators: list[Coordinator]
    members: list[Member]
    """Every school with a membership, whatever its state: taking part first, then by name."""
    case_studies: list[Submission]


async def listing(api: PlatformApi, token: str) -> Listing:
    found = await partnerships(api, token)
    return Listing(sorted(found, key=lambda p: p.name.casefold()))


async def record(api: PlatformApi, token: str, partnership_id: str) -> PartnershipRecord:
    """Raises ApiProblem (404) for a partnership that does not exist."""
    found = Partnership.model_validate(
        await api.membership.get(f"/partnerships/{partnership_id}", token)
    )
    memberships = list(found.memberships.values())
    schools, people, case_studies = await asyncio.gather(
        asyncio.gather(*(school(api, token, m.urn) for m in memberships)),
        asyncio.gather(*(person(api, token, pid) for pid in found.coordinators)),
        api.events.get("/case-studies", token, {"partnership_id": found.id, "limit": 200}),
    )
    members = sorted(
        (Member(m, s) for m, s in zip(memberships, schools, strict=True)),
        key=lambda m: (
            m.membership.status != "active",
            (m.school.name if m.school else m.membership.urn).casefold(),
        ),
    )
    coordinators = [
        Coordinator(p.details.name, p.details.email)
        for p in people
        if p is not None and p.details is not None
    ]
    return PartnershipRecord(
        found, coordinators, members, [Submission.model_validate(c) for c in case_studies]
    )
