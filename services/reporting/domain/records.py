"""What the reporting service keeps from membership's events: local copies, no personal data.

Partnerships (coordinators only as a count), memberships (status and role per school) and schools
(name, sector, phase, local authority) are kept apart, each as its own events describe it, because
their events arrive on different partitions in no fixed order. Compositions are derived from them
when asked for.
"""

from pydantic import BaseModel

from contracts.vocabulary import (
    MembershipRole,
    MembershipStatus,
    PartnershipKind,
    PartnershipStatus,
    Phase,
    Sector,
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


class SchoolRecord(BaseModel):
    urn: str
    name: str
    sector: Sector
    phase: Phase
    la_code: str | None = None
    la_name: str | None = None
