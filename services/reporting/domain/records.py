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
    coordinators: int = 0


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
