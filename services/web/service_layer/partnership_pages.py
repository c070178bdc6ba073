"""What the public may read of a partnership: what it is, its aims and area, the schools taking
part, whom to get in touch with, and its published case studies."""

import asyncio
from dataclasses import dataclass

from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.models import CaseStudy, Membership, Partnership, Person, School
from services.web.service_layer.library import (
    LocalAuthority,
    local_authorities,
    partnerships,
    published_case_studies,
)


@dataclass(frozen=True)
class Member:
    membership: Membership
    school: School


@dataclass(frozen=True)
class Contact:
    name: str
    job_title: str | None
    email: str


@dataclass(frozen=True)
class PartnershipPage:
    partnership: Partnership
    area: list[LocalAuthority]
    members: list[Member]
    contacts: list[Contact]
    case_studies: list[CaseStudy]


async def listing(api: PlatformApi, token: str) -> list[Partnership]:
    """Every partnership but the closed ones, by name."""
    found = await partnerships(api, token)
    return sorted(
        (p for p in found if p.details.status != "closed"), key=lambda p: p.name.casefold()
    )


async def partnership_page(api: PlatformApi, token: str, partnership_id: str) -> PartnershipPage:
    """Raises ApiProblem (404) for a partnership that does not exist."""
    found = await api.membership.get(f"/partnerships/{partnership_id}", token)
    partnership = Partnership.model_validate(found)
    members = partnership.members
    schools, people, case_studies = await asyncio.gather(
        asyncio.gather(*(school(api, token, m.urn) for m in members)),
        asyncio.gather(*(_person(api, token, pid) for pid in partnership.coordinators)),
        published_case_studies(api, token, partnership_id=partnership.id),
    )
    by_urn = {s.urn: s for s in schools if s is not None}
    listed = sorted(
        (Member(m, by_urn[m.urn]) for m in members if m.urn in by_urn),
        key=lambda m: m.school.name.casefold(),
    )
    contacts = [
        Contact(p.details.name, p.details.job_title, p.details.email)
        for p in people
        if p is not None and p.details is not None
    ]
    named = {la.code: la for la in local_authorities([partnership], by_urn)}
    area = [named[code] for code in partnership.details.area if code in named]
    return PartnershipPage(partnership, area, listed, contacts, case_studies)


async def school(api: PlatformApi, token: str, urn: str) -> School | None:
    try:
        return School.model_validate(await api.membership.get(f"/schools/{urn}", token))
    except ApiProblem as problem:
        if problem.not_found:
            return None
        raise


async def _person(api: PlatformApi, token: str, person_id: str) -> Person | None:
    try:
        return Person.model_validate(await api.membership.get(f"/people/{person_id}", token))
    except ApiProblem as problem:
        if problem.not_found:
            return None
        raise
