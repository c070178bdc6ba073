"""The events service's own copy of what membership owns, built from membership's events."""

from datetime import date

from pydantic import BaseModel, Field

from contracts.membership import HeldRole
from contracts.vocabulary import MembershipStatus, Phase, Sector, StaffRole


class PartnershipCopy(BaseModel):
    """Fields may be empty while events for other keys arrive first."""

    id: str
    name: str = ""
    status: str = ""
    members: dict[str, MembershipStatus] = Field(default_factory=dict)
    coordinators: list[str] = Field(default_factory=list)

    def active_members(self) -> set[str]:
        return {urn for urn, status in self.members.items() if status == MembershipStatus.ACTIVE}


class SchoolCopy(BaseModel):
    urn: str
    name: str = ""
    phase: Phase | None = None
    sector: Sector | None = None
    la_code: str | None = None
    subjects: list[str] = Field(default_factory=list)
    expertise_phases: list[Phase] = Field(default_factory=list)
    facilities: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    expertise_summary: str | None = None


class OrganisationCopy(BaseModel):
    id: str
    name: str


class PersonCopy(BaseModel):
    id: str
    name: str = ""
    email: str = ""
    erased: bool = False
    roles: list[HeldRole] = Field(default_factory=list)

    def holds(self, role: StaffRole, *, urn: str, today: date) -> bool:
        return any(r.role == role and r.urn == urn and r.current(today) for r in self.roles)

    def current_roles(self, today: date) -> list[HeldRole]:
        return [r for r in self.roles if r.current(today)]
