"""The composition of partnerships: member schools by sector and phase, and the county roll-up.

Derived from the records whenever asked for, so the answer is right whatever order the events
arrived in. A school is a member while its membership is active or suspended; invited and left
schools are only counted. A member whose school details have not arrived yet is listed with its
URN and counted as `unknown`.
"""

from collections import Counter
from collections.abc import Iterable, Mapping

from pydantic import BaseModel

from contracts.vocabulary import (
    MembershipRole,
    MembershipStatus,
    PartnershipKind,
    PartnershipStatus,
    Phase,
    Sector,
)
from services.reporting.domain.records import MembershipRecord, PartnershipRecord, SchoolRecord

MEMBER_STATUSES = frozenset({MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED})
UNKNOWN = "unknown"


class MemberSchool(BaseModel):
    urn: str
    name: str | None
    sector: Sector | None
    phase: Phase | None
    la_code: str | None
    role: MembershipRole | None
    status: MembershipStatus


class MembershipCounts(BaseModel):
    active: int = 0
    invited: int = 0
    suspended: int = 0
    left: int = 0


class PartnershipComposition(BaseModel):
    partnership_id: str
    name: str
    kind: PartnershipKind
    status: PartnershipStatus
    area: list[str]
    coordinators: int
    member_schools: list[MemberSchool]
    by_sector: dict[str, int]
    by_phase: dict[str, int]
    counts: MembershipCounts
    cross_sector: bool


class PartnershipSummary(BaseModel):
    partnership_id: str
    name: str
    kind: PartnershipKind
    status: PartnershipStatus
    area: list[str]
    coordinators: int
    member_schools: int
    counts: MembershipCounts
    cross_sector: bool


class CountyComposition(BaseModel):
    partnerships: int
    schools: int
    by_sector: dict[str, int]
    by_phase: dict[str, int]
    cross_sector_partnerships: int


def _tally(values: Iterable[str | None], known: Iterable[str]) -> dict[str, int]:
    """Every known value with its count (0 included); `unknown` only when there are some."""
    counted = Counter(v or UNKNOWN for v in values)
    tally = {k: counted.pop(k, 0) for k in known}
    if counted.get(UNKNOWN):
        tally[UNKNOWN] = counted[UNKNOWN]
    return tally


def by_sector(schools: Iterable[MemberSchool]) -> dict[str, int]:
    return _tally((s.sector for s in schools), (s.value for s in Sector))


def by_phase(schools: Iterable[MemberSchool]) -> dict[str, int]:
    return _tally((s.phase for s in schools), (p.value for p in Phase))


def _is_cross_sector(schools: Iterable[MemberSchool]) -> bool:
    return {Sector.STATE, Sector.INDEPENDENT} <= {s.sector for s in schools}


def _member(membership: MembershipRecord, school: SchoolRecord | None) -> MemberSchool:
    return MemberSchool(
        urn=membership.urn,
        name=school.name if school else None,
        sector=school.sector if school else None,
        phase=school.phase if school else None,
        la_code=school.la_code if school else None,
        role=membership.role,
        status=membership.status,
    )


def compose(
    partnership: PartnershipRecord,
    memberships: Iterable[MembershipRecord],
    schools: Mapping[str, SchoolRecord],
) -> PartnershipComposition:
    """The partnership's composition from its memberships and what is known of their schools."""
    mine = [m for m in memberships if m.partnership_id == partnership.partnership_id]
    statuses = Counter(m.status for m in mine)
    members = sorted(
        (_member(m, schools.get(m.urn)) for m in mine if m.status in MEMBER_STATUSES),
        key=lambda s: (s.name or "", s.urn),
    )
    return PartnershipComposition(
        partnership_id=partnership.partnership_id,
        name=partnership.name,
        kind=partnership.kind,
        status=partnership.status,
        area=partnership.area,
        coordinators=partnership.coordinators,
        member_schools=members,
        by_sector=by_sector(members),
        by_phase=by_phase(members),
        counts=MembershipCounts(
            active=statuses[MembershipStatus.ACTIVE],
            invited=statuses[MembershipStatus.INVITED],
            suspended=statuses[MembershipStatus.SUSPENDED],
            left=statuses[MembershipStatus.LEFT],
        ),
        cross_sector=_is_cross_sector(members),
    )


def summarise(composition: PartnershipComposition) -> PartnershipSummary:
    return PartnershipSummary(
        **composition.model_dump(exclude={"member_schools", "by_sector", "by_phase"}),
        member_schools=len(composition.member_schools),
    )


def county(compositions: Iterable[PartnershipComposition]) -> CountyComposition:
    """Totals across partnerships; a school in several partnerships is counted once."""
    compositions = list(compositions)
    schools = {s.urn: s for c in compositions for s in c.member_schools}
    return CountyComposition(
        partnerships=len(compositions),
        schools=len(schools),
        by_sector=by_sector(schools.values()),
        by_phase=by_phase(schools.values()),
        cross_sector_partnerships=sum(1 for c in compositions if c.cross_sector),
    )
