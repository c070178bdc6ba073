"""What the reporting service keeps from membership's events: local copies, no personal data.

Partnerships (coordinators only as a count), memberships (status and role per school) and schools
(name, sector, phase, local authority) are kept apart, each as its own events describe it, because
their events arrive on different partitions in no fixed order. Compositions are derived from them
when asked for.
"""

from datetime import date

from pydantic import BaseModel

from contracts.vocabulary import (
    MembershipRole,
    MembershipStatus,
    PartnershipKind,
    PartnershipStatus,
    Phase,
    RelationshipKind,
    Sector,
    SupportArea,
)


class PartnershipRecord(BaseModel):
    partnership_id: str
    name: str
    kind: PartnershipKind
    status: PartnershipStatus
    area: list[str] = []
    coordinator_ids: list[str] = []
    """Person ids (no names): who coordinates it, as membership says."""

    @property
    def coordinators(self) -> int:
        return len(self.coordinator_ids)


class MembershipRecord(BaseModel):
    partnership_id: str
    urn: str
    status: MembershipStatus
    role: MembershipRole | None = None


class RelationshipRecord(BaseModel):
    """A relationship between schools (or a school and a trust), as membership describes it."""

    relationship_id: str
    kind: RelationshipKind
    first_urn: str | None = None
    first_trust: str | None = None
    second_urn: str | None = None
    second_trust: str | None = None
    starts_on: date
    ends_on: date | None = None
    partnership_id: str | None = None
    support: list[SupportArea] = []

    def current(self, today: date) -> bool:
        ends = self.ends_on or date.max
        return self.starts_on <= today < ends


class SchoolRecord(BaseModel):
    urn: str
    name: str
    sector: Sector
    phase: Phase
    la_code: str | None = None
    la_name: str | None = None
