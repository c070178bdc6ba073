"""A partnership of schools, its coordinators and the memberships of its schools."""

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from contracts import membership as events
from contracts.vocabulary import (
    ActivityCategory,
    MembershipRole,
    MembershipStatus,
    PartnershipKind,
    PartnershipStatus,
)
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, NotFound
from eventkit.inputs import Name


class Membership(BaseModel):
    urn: str
    role: MembershipRole
    status: MembershipStatus
    invited_on: date | None = None
    joined_on: date | None = None
    suspended_on: date | None = None
    left_on: date | None = None
    suspension_reason: str | None = None


class PartnershipDetails(BaseModel):
    name: Annotated[Name, Field(min_length=2)]
    kind: PartnershipKind
    aims: list[ActivityCategory] = Field(default_factory=list)
    area: list[Annotated[str, Field(pattern=r"^\d{3}$")]] = Field(
        default_factory=list, max_length=200, description="Local authority codes, e.g. 873"
    )
    status: PartnershipStatus = PartnershipStatus.ACTIVE
    memorandum_of_understanding: str | None = Field(None, max_length=20_000)


class Partnership(Aggregate):
    id: str
    details: PartnershipDetails
    coordinators: list[str] = Field(default_factory=list)
    memberships: dict[str, Membership] = Field(default_factory=dict)
    created_at: datetime

    @classmethod
    def create(cls, partnership_id: str, details: PartnershipDetails) -> "Partnership":
        partnership = cls(id=partnership_id, details=details, created_at=datetime.now(UTC))
        partnership.record(
            events.PartnershipCreated(
                partnership_id=partnership_id,
                created_at=partnership.created_at,
                **details.model_dump(),
            )
        )
        return partnership

    def update(self, details: PartnershipDetails) -> None:
        if details == self.details:
            return
        self.details = details
        self.record(events.PartnershipUpdated(partnership_id=self.id, **details.model_dump()))

    def assign_coordinator(self, person_id: str) -> None:
        if person_id in self.coordinators:
            return
        self.coordinators = [*self.coordinators, person_id]
        self.record(events.CoordinatorAssigned(partnership_id=self.id, person_id=person_id))

    def remove_coordinator(self, person_id: str) -> None:
        if person_id not in self.coordinators:
            raise NotFound(f"person {person_id} is not a coordinator of this partnership")
        self.coordinators = [p for p in self.coordinators if p != person_id]
        self.record(events.CoordinatorRemoved(partnership_id=self.id, person_id=person_id))

    def is_member(self, urn: str) -> bool:
        m = self.memberships.get(urn)
        return m is not None and m.status == MembershipStatus.ACTIVE

    def _membership(self, urn: str) -> Membership:
        m = self.memberships.get(urn)
        if m is None:
            raise NotFound(f"school {urn} has no membership of this partnership")
        return m

    def _require(self, m: Membership, *allowed: MembershipStatus, action: str) -> None:
        if m.status not in allowed:
            raise Conflict(f"cannot {action} school {m.urn}: its membership is {m.status}")

    def invite(self, urn: str, role: MembershipRole, on: date) -> None:
        existing = self.memberships.get(urn)
        if existing and existing.status not in (MembershipStatus.LEFT, MembershipStatus.LAPSED):
            raise Conflict(f"school {urn} is already {existing.status} in this partnership")
        self.memberships = {
            **self.memberships,
            urn: Membership(urn=urn, role=role, status=MembershipStatus.INVITED, invited_on=on),
        }
        self.record(events.SchoolInvited(partnership_id=self.id, urn=urn, role=role, invited_on=on))

    def accept(self, urn: str, on: date) -> None:
        m = self._membership(urn)
        self._require(m, MembershipStatus.INVITED, action="accept an invitation for")
        self._activate(m.model_copy(update={"joined_on": on}))

    def join(self, urn: str, role: MembershipRole, on: date) -> None:
        existing = self.memberships.get(urn)
        if existing and existing.status in (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED):
            raise Conflict(f"school {urn} is already {existing.status} in this partnership")
        self._activate(Membership(urn=urn, role=role, status=MembershipStatus.ACTIVE, joined_on=on))

    def _activate(self, m: Membership) -> None:
        m = m.model_copy(update={"status": MembershipStatus.ACTIVE})
        self.memberships = {**self.memberships, m.urn: m}
        assert m.joined_on is not None
        self.record(
            events.SchoolJoined(
                partnership_id=self.id, urn=m.urn, role=m.role, joined_on=m.joined_on
            )
        )

    def suspend(self, urn: str, on: date, reason: str | None) -> None:
        m = self._membership(urn)
        self._require(m, MembershipStatus.ACTIVE, action="suspend")
        self.memberships = {
            **self.memberships,
            urn: m.model_copy(
                update={
                    "status": MembershipStatus.SUSPENDED,
                    "suspended_on": on,
                    "suspension_reason": reason,
                }
            ),
        }
        self.record(
            events.MembershipSuspended(
                partnership_id=self.id, urn=urn, suspended_on=on, reason=reason
            )
        )

    def reinstate(self, urn: str, on: date) -> None:
        m = self._membership(urn)
        self._require(m, MembershipStatus.SUSPENDED, action="reinstate")
        self.memberships = {
            **self.memberships,
            urn: m.model_copy(
                update={
                    "status": MembershipStatus.ACTIVE,
                    "suspended_on": None,
                    "suspension_reason": None,
                }
            ),
        }
        self.record(events.MembershipReinstated(partnership_id=self.id, urn=urn, reinstated_on=on))

    def leave(self, urn: str, on: date) -> None:
        m = self._membership(urn)
        self._require(
            m,
            MembershipStatus.INVITED,
            MembershipStatus.ACTIVE,
            MembershipStatus.SUSPENDED,
            action="record leaving for",
        )
        self.memberships = {
            **self.memberships,
            urn: m.model_copy(update={"status": MembershipStatus.LEFT, "left_on": on}),
        }
        self.record(events.SchoolLeft(partnership_id=self.id, urn=urn, left_on=on))
