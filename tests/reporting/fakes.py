"""An in-memory read model with the same upsert semantics as the Mongo adapter."""

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

from contracts.vocabulary import MembershipRole, MembershipStatus
from services.reporting.adapters.read_model import DESCRIBED_BY
from services.reporting.domain.records import (
    BoardActionRecord,
    BoardMeetingRecord,
    BoardMemberRecord,
    BoardRecord,
    GovernanceKind,
    GovernanceRecords,
    MembershipRecord,
    PartnershipRecord,
    RelationshipRecord,
    SchoolRecord,
)


class FakeReadModel:
    def __init__(self) -> None:
        self.partnership_docs: dict[str, dict[str, Any]] = {}
        self.membership_docs: dict[tuple[str, str], dict[str, Any]] = {}
        self.school_docs: dict[str, dict[str, Any]] = {}
        self.relationship_docs: dict[str, dict[str, Any]] = {}
        self.governance_docs: dict[GovernanceKind, dict[str, dict[str, Any]]] = {
            kind: {} for kind in GovernanceKind
        }

    async def describe_partnership(self, partnership: PartnershipRecord) -> None:
        doc = self.partnership_docs.setdefault(partnership.partnership_id, {})
        doc.update(partnership.model_dump(exclude={"partnership_id", "coordinator_ids"}))

    async def add_coordinator(self, partnership_id: str, person_id: str) -> None:
        ids = self.partnership_docs.setdefault(partnership_id, {}).setdefault("coordinator_ids", [])
        if person_id not in ids:
            ids.append(person_id)

    async def remove_coordinator(self, partnership_id: str, person_id: str) -> None:
        doc = self.partnership_docs.get(partnership_id, {})
        doc["coordinator_ids"] = [c for c in doc.get("coordinator_ids", []) if c != person_id]

    async def coordinated_by(self, person_id: str) -> set[str]:
        return {
            pid
            for pid, doc in self.partnership_docs.items()
            if person_id in doc.get("coordinator_ids", [])
        }

    async def set_membership(
        self,
        partnership_id: str,
        urn: str,
        status: MembershipStatus,
        role: MembershipRole | None = None,
    ) -> None:
        doc = self.membership_docs.setdefault((partnership_id, urn), {})
        doc.update(partnership_id=partnership_id, urn=urn, status=status)
        if role is not None:
            doc["role"] = role

    async def describe_relationship(self, relationship: RelationshipRecord) -> None:
        doc = self.relationship_docs.setdefault(relationship.relationship_id, {})
        ends = doc.get("ends_on")
        doc.update(relationship.model_dump(exclude={"relationship_id"}))
        doc["ends_on"] = ends or relationship.ends_on

    async def end_relationship(self, relationship_id: str, ended_on: date) -> None:
        self.relationship_docs.setdefault(relationship_id, {})["ends_on"] = ended_on

    async def relationships(self, partnership_ids: Collection[str]) -> list[RelationshipRecord]:
        found = [
            RelationshipRecord(relationship_id=rid, **doc)
            for rid, doc in self.relationship_docs.items()
            if "kind" in doc and doc.get("partnership_id") in partnership_ids
        ]
        return sorted(found, key=lambda r: r.starts_on)

    async def note_governance(
        self, kind: GovernanceKind, key: str, fields: Mapping[str, object]
    ) -> None:
        self.governance_docs[kind].setdefault(key, {}).update(fields)

    async def governance(self, partnership_ids: Collection[str]) -> GovernanceRecords:
        def of(kind: GovernanceKind) -> list[tuple[str, dict[str, Any]]]:
            return [
                (key, doc)
                for key, doc in sorted(self.governance_docs[kind].items())
                if DESCRIBED_BY[kind] in doc and doc.get("partnership_id") in partnership_ids
            ]

        return GovernanceRecords(
            boards=[BoardRecord(board_id=k, **d) for k, d in of(GovernanceKind.BOARDS)],
            members=[BoardMemberRecord(member_id=k, **d) for k, d in of(GovernanceKind.MEMBERS)],
            meetings=[
                BoardMeetingRecord(meeting_id=k, **d) for k, d in of(GovernanceKind.MEETINGS)
            ],
            actions=[BoardActionRecord(action_id=k, **d) for k, d in of(GovernanceKind.ACTIONS)],
        )

    async def describe_school(self, school: SchoolRecord) -> None:
        self.school_docs.setdefault(school.urn, {}).update(school.model_dump())

    async def partnerships(self, ids: Collection[str] | None = None) -> list[PartnershipRecord]:
        found = [
            PartnershipRecord(partnership_id=pid, **doc)
            for pid, doc in self.partnership_docs.items()
            if "name" in doc and (ids is None or pid in ids)
        ]
        return sorted(found, key=lambda p: p.name)

    async def memberships(self, partnership_ids: Collection[str]) -> list[MembershipRecord]:
        return [
            MembershipRecord(**doc)
            for (pid, _), doc in sorted(self.membership_docs.items())
            if pid in partnership_ids
        ]

    async def memberships_of_schools(self, urns: Collection[str]) -> list[MembershipRecord]:
        return [
            MembershipRecord(**doc)
            for (_, urn), doc in sorted(self.membership_docs.items())
            if urn in urns
        ]

    async def schools(self, urns: Iterable[str]) -> dict[str, SchoolRecord]:
        wanted = set(urns)
        return {urn: SchoolRecord(**doc) for urn, doc in self.school_docs.items() if urn in wanted}
