"""Relationships between schools: a school sponsoring a school or an academy trust, a trust's
member school, a teaching school's alliance. Dated and typed, from the first party (the
sponsor, the trust, the teaching school) to the second."""

import uuid
from datetime import date
from typing import Self

from pydantic import BaseModel, Field, model_validator

from contracts import membership as events
from contracts.membership import RelationshipParty
from contracts.vocabulary import RelationshipKind, SupportArea
from eventkit.aggregate import Aggregate
from eventkit.errors import Conflict, Invalid


class Party(RelationshipParty):
    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.school_urn is None) == (self.trust_uid is None):
            raise ValueError("a party is a school (school_urn) or a trust (trust_uid), not both")
        if self.trust_uid is not None and not self.trust_name:
            raise ValueError("a trust needs its trust_name")
        if self.school_urn is not None and self.trust_name is not None:
            raise ValueError("trust_name is for a trust")
        return self

    @property
    def is_school(self) -> bool:
        return self.school_urn is not None


WHO: dict[RelationshipKind, tuple[str, str]] = {
    RelationshipKind.SPONSORSHIP: ("school", "school or trust"),
    RelationshipKind.ACADEMY_TRUST_MEMBERSHIP: ("trust", "school"),
    RelationshipKind.TEACHING_SCHOOL_ALLIANCE: ("school", "school"),
}
"""Kind -> what the first and the second party may be."""


class RelationshipDetails(BaseModel):
    kind: RelationshipKind
    first: Party
    second: Party
    starts_on: date
    ends_on: date | None = None
    partnership_id: str | None = Field(None, max_length=64)
    support: list[SupportArea] = Field(default_factory=list, max_length=len(SupportArea))

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Self:
        first, second = WHO[self.kind]
        if (first == "trust") == self.first.is_school:
            raise ValueError(f"first: in a {self.kind.value}, the first party is a {first}")
        if second == "school" and not self.second.is_school:
            raise ValueError(f"second: in a {self.kind.value}, the second party is a school")
        if self.first == self.second:
            raise ValueError("second: a school has no relationship with itself")
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("ends_on: a relationship ends on or after the day it starts")
        self.support = sorted(set(self.support))
        return self

    def urns(self) -> set[str]:
        return {p.school_urn for p in (self.first, self.second) if p.school_urn}


class SchoolRelationship(Aggregate):
    id: str
    details: RelationshipDetails
    ended_on: date | None = None

    @classmethod
    def start(cls, details: RelationshipDetails) -> "SchoolRelationship":
        relationship = cls(id=uuid.uuid4().hex[:12], details=details)
        relationship.record(
            events.SchoolRelationshipStarted(
                relationship_id=relationship.id,
                **details.model_dump(exclude={"first", "second"}),
                first=RelationshipParty(**details.first.model_dump()),
                second=RelationshipParty(**details.second.model_dump()),
            )
        )
        return relationship

    def end(self, on: date) -> None:
        if self.ended_on is not None:
            raise Conflict(f"relationship {self.id} ended on {self.ended_on}")
        if on < self.details.starts_on:
            raise Invalid(f"ended_on: it started on {self.details.starts_on}")
        self.ended_on = on
        self.record(events.SchoolRelationshipEnded(relationship_id=self.id, ended_on=on))

    def current(self, today: date) -> bool:
        ends = min(d for d in (self.ended_on, self.details.ends_on, date.max) if d is not None)
        return self.details.starts_on <= today < ends
