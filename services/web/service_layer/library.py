"""The public case-study library: the published case studies, narrowed by category, phase and
local authority.

The events service filters by category itself. Phase and local authority belong to the schools:
a case study is of a phase, or in a local authority, when one of the schools it is about is (or,
when it names none, one of its partnership's member schools); it is also in every local
authority of its partnership's area.
"""

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from services.web.adapters.platform_api import PlatformApi, ServiceClient
from services.web.models import CaseStudy, Partnership, School

EVENTS_PAGE = 200
SCHOOLS_PAGE = 1000
MOST_PAGES = 50
"""Pages read of one listing at most: 10 000 case studies, 50 000 schools."""


@dataclass(frozen=True)
class Filter:
    category: str | None = None
    phase: str | None = None
    local_authority: str | None = None


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name: str


@dataclass(frozen=True)
class Entry:
    case_study: CaseStudy
    partnership: Partnership | None


@dataclass(frozen=True)
class Library:
    entries: list[Entry]
    local_authorities: list[LocalAuthority]
    """Those of the partnerships' areas and member schools: the choices of the filter."""


async def published_case_studies(
    api: PlatformApi, token: str, *, category: str | None = None, partnership_id: str | None = None
) -> list[CaseStudy]:
    """Newest first. A service token reads drafts too: only published ones are asked for, and
    only those kept."""
    params = {"status": "published", "category": category, "partnership_id": partnership_id}
    found = await _every(api.events, "/case-studies", token, params, EVENTS_PAGE, "offset")
    published = [c for c in map(CaseStudy.model_validate, found) if c.published]
    return sorted(
        published, key=lambda c: c.published_at or datetime.min.replace(tzinfo=UTC), reverse=True
    )


async def schools(api: PlatformApi, token: str) -> list[School]:
    found = await _every(api.membership, "/schools", token, {}, SCHOOLS_PAGE, "skip")
    return [School.model_validate(s) for s in found]


async def partnerships(api: PlatformApi, token: str) -> list[Partnership]:
    found = await api.membership.get("/partnerships", token)
    return [Partnership.model_validate(p) for p in found]


async def library(api: PlatformApi, token: str, wanted: Filter) -> Library:
    case_studies, all_partnerships, all_schools = await asyncio.gather(
        published_case_studies(api, token, category=wanted.category),
        partnerships(api, token),
        schools(api, token),
    )
    by_id = {p.id: p for p in all_partnerships}
    by_urn = {s.urn: s for s in all_schools}
    entries = [
        Entry(c, by_id.get(c.partnership_id))
        for c in case_studies
        if admits(wanted, c, by_id.get(c.partnership_id), by_urn)
    ]
    return Library(entries, local_authorities(all_partnerships, by_urn))


def admits(
    wanted: Filter,
    case_study: CaseStudy,
    partnership: Partnership | None,
    by_urn: dict[str, School],
) -> bool:
    if wanted.category and wanted.category not in case_study.content.categories:
        return False
    about = [by_urn[u] for u in schools_about(case_study, partnership) if u in by_urn]
    if wanted.phase and not any(s.details.phase == wanted.phase for s in about):
        return False
    return not wanted.local_authority or (
        any(s.details.la_code == wanted.local_authority for s in about)
        or (partnership is not None and wanted.local_authority in partnership.details.area)
    )


def schools_about(case_study: CaseStudy, partnership: Partnership | None) -> list[str]:
    if case_study.content.urns:
        return case_study.content.urns
    return [m.urn for m in partnership.members] if partnership else []


def local_authorities(
    partnerships: Iterable[Partnership], by_urn: dict[str, School]
) -> list[LocalAuthority]:
    names = {
        s.details.la_code: s.details.la_name or ""
        for s in by_urn.values()
        if s.details.la_code is not None
    }
    codes = set()
    for p in partnerships:
        codes.update(p.details.area)
        codes.update(
            code
            for m in p.members
            if m.urn in by_urn and (code := by_urn[m.urn].details.la_code) is not None
        )
    found = [LocalAuthority(code, names.get(code) or f"Local authority {code}") for code in codes]
    return sorted(found, key=lambda la: (la.name, la.code))


async def _every(
    client: ServiceClient,
    path: str,
    token: str,
    params: dict[str, str | None],
    page: int,
    offset_name: str,
) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for n in range(MOST_PAGES):
        batch = await client.get(path, token, {**params, "limit": page, offset_name: n * page})
        found.extend(batch)
        if len(batch) < page:
            break
    return found
