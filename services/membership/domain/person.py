"""A member of staff (pupils are never people here) and their dated roles."""

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, EmailStr, Field, model_validator

from contracts import membership as events
from contracts import people
from contracts.vocabulary import LaCode, StaffRole, Urn
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid, NotFound
from eventkit.inputs import Day, Name


class PersonDetails(BaseModel):
    name: Name
    email: Annotated[EmailStr, AfterValidator(str.lower)]
    job_title: Name | None = None


class RoleAssignment(BaseModel):
    role: StaffRole
    urn: Urn | None = None
    partnership_id: str | None = None
    local_authorities: list[LaCode] = Field(
        default_factory=list,
        max_length=50,
        description="A county officer's: the local authorities they cover (DfE codes)",
    )
    organisation_id: str | None = Field(
        None, max_length=64, description="A contributor's (or a county officer's) organisation"
    )
    starts_on: Day
    ends_on: Day | None = None

    @model_validator(mode="after")
    def _one_place(self) -> "RoleAssignment":
        if self.role == StaffRole.COUNTY_OFFICER:
            if self.urn is not None or self.partnership_id is not None:
                raise ValueError("a county officer is not at a school or partnership")
            if not self.local_authorities:
                raise ValueError("a county officer covers at least one local authority")
        elif self.local_authorities:
            raise ValueError("only a county officer covers local authorities")
        elif self.role == StaffRole.CONTRIBUTOR:
            if self.partnership_id is None or self.organisation_id is None or self.urn:
                raise ValueError(
                    "a contributor is at a partnership (partnership_id, not a school), for an"
                    " organisation (organisation_id)"
                )
        elif self.organisation_id is not None:
            raise ValueError("only contributors and county officers are of an organisation")
        elif (self.urn is None) == (self.partnership_id is None):
            raise ValueError("a role is held at exactly one of: a school (urn) or a partnership")
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        return self


class Role(RoleAssignment):
    id: str


class Person(Aggregate):
    id: str
    details: PersonDetails | None
    roles: list[Role] = Field(default_factory=list)
    erased_at: datetime | None = None

    @classmethod
    def add(cls, person_id: str, details: PersonDetails) -> "Person":
        person = cls(id=person_id, details=details)
        person.record(events.PersonAdded(person_id=person_id))
        person.record(people.PersonContact(person_id=person_id, **details.model_dump()))
        return person

    def _require_not_erased(self) -> PersonDetails:
        if self.details is None:
            raise Conflict(f"person {self.id} has been erased")
        return self.details

    def update(self, details: PersonDetails) -> None:
        before = self._require_not_erased()
        changed = [
            f for f in PersonDetails.model_fields if getattr(before, f) != getattr(details, f)
        ]
        if not changed:
            return
        self.details = details
        self.record(events.PersonUpdated(person_id=self.id, fields=changed))
        self.record(people.PersonContact(person_id=self.id, **details.model_dump()))

    def assign(self, assignment: RoleAssignment) -> Role:
        self._require_not_erased()
        role = Role(id=uuid.uuid4().hex[:12], **assignment.model_dump())
        self.roles = [*self.roles, role]
        self.record(
            events.RoleAssigned(person_id=self.id, role_id=role.id, **assignment.model_dump())
        )
        return role

    def end_role(self, role_id: str, on: date) -> None:
        role = next((r for r in self.roles if r.id == role_id), None)
        if role is None:
            raise NotFound(f"person {self.id} has no role {role_id}")
        if role.ends_on is not None and role.ends_on <= on:
            raise Conflict(f"role {role_id} already ended on {role.ends_on}")
        if on < role.starts_on:
            raise Invalid(f"a role cannot end ({on}) before it starts ({role.starts_on})")
        self.roles = [
            r.model_copy(update={"ends_on": on}) if r.id == role_id else r for r in self.roles
        ]
        self.record(events.RoleEnded(person_id=self.id, role_id=role_id, ended_on=on))

    def current_roles(self, today: date) -> list[Role]:
        return [
            r
            for r in self.roles
            if r.starts_on <= today and (r.ends_on is None or r.ends_on > today)
        ]

    def erase(self) -> None:
        """Remove the personal data; the roles stay, unnamed, so counts keep adding up."""
        self._require_not_erased()
        self.details = None
        self.erased_at = datetime.now(UTC)
        self.record(people.PersonContactErased(person_id=self.id))
        self.record(events.PersonErased(person_id=self.id, erased_at=self.erased_at))
