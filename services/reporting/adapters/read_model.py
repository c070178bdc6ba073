"""The read model in MongoDB: `partnerships`, `memberships`, `schools` and `county_officers` (the
local authorities each covers: ids and codes, no names), one document each; the relationships
between schools; boards, their members, meetings and actions (a collection per GovernanceKind).

Writes run in the consumer's transaction (beside its inbox entry) and are upserts that set fields,
so they need no particular order: a membership may be stored before its school is known.
"""

from collections.abc import Collection, Iterable, Mapping
from datetime import date

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.membership import HeldRole, county_of
from contracts.vocabulary import MembershipRole, MembershipStatus
from services.reporting.adapters.collections import Document, MongoCollections
from services.reporting.domain.generation import Generation
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

PARTNERSHIPS = "partnerships"
MEMBERSHIPS = "memberships"
SCHOOLS = "schools"
COUNTY_OFFICERS = "county_officers"
RELATIONSHIPS = "relationships"
COLLECTIONS = (
    PARTNERSHIPS,
    MEMBERSHIPS,
    SCHOOLS,
    COUNTY_OFFICERS,
    RELATIONSHIPS,
    *(kind.value for kind in GovernanceKind),
)
DESCRIBED_BY = {
    GovernanceKind.BOARDS: "kind",
    GovernanceKind.MEMBERS: "starts_on",
    GovernanceKind.MEETINGS: "starts_at",
    GovernanceKind.ACTIONS: "due_on",
}
"""The field a governance record has once the event that describes it has arrived."""


class MongoReadModel(MongoCollections):
    def __init__(
        self,
        db: AsyncDatabase[Document],
        session: AsyncClientSession | None = None,
        generation: Generation = Generation(),
        officers_from: Generation | None = None,
    ) -> None:
        """`officers_from`: the generation county officers' roles are read from (a report of
        a snapshot is for the officers of now)."""
        super().__init__(db, session, generation)
        self._officers = db[(officers_from or generation).collection(COUNTY_OFFICERS)]

    async def describe_partnership(self, partnership: PartnershipRecord) -> None:
        """Sets name, kind, status and area; keeps the coordinator count."""
        fields = partnership.model_dump(mode="json", exclude={"partnership_id", "coordinator_ids"})
        await self._set(PARTNERSHIPS, partnership.partnership_id, fields)

    async def add_coordinator(self, partnership_id: str, person_id: str) -> None:
        await self._collection(PARTNERSHIPS).update_one(
            {"_id": partnership_id},
            {"$addToSet": {"coordinator_ids": person_id}},
            upsert=True,
            session=self._session,
        )

    async def remove_coordinator(self, partnership_id: str, person_id: str) -> None:
        await self._collection(PARTNERSHIPS).update_one(
            {"_id": partnership_id},
            {"$pull": {"coordinator_ids": person_id}},
            session=self._session,
        )

    async def coordinated_by(self, person_id: str) -> set[str]:
        cursor = self._collection(PARTNERSHIPS).find(
            {"coordinator_ids": person_id}, {"_id": 1}, session=self._session
        )
        return {doc["_id"] async for doc in cursor}

    async def set_membership(
        self,
        partnership_id: str,
        urn: str,
        status: MembershipStatus,
        role: MembershipRole | None = None,
    ) -> None:
        fields: Document = {"partnership_id": partnership_id, "urn": urn, "status": status.value}
        if role is not None:
            fields["role"] = role.value
        await self._set(MEMBERSHIPS, f"{partnership_id}:{urn}", fields)

    async def describe_school(self, school: SchoolRecord) -> None:
        await self._set(SCHOOLS, school.urn, school.model_dump(mode="json", exclude={"urn"}))

    async def describe_relationship(self, relationship: RelationshipRecord) -> None:
        fields = relationship.model_dump(mode="json", exclude={"relationship_id", "ends_on"})
        await self._set(RELATIONSHIPS, relationship.relationship_id, fields)
        if relationship.ends_on is not None:  # an earlier end (by its ended event) stands
            await self._collection(RELATIONSHIPS).update_one(
                {"_id": relationship.relationship_id, "ends_on": None},
                {"$set": {"ends_on": relationship.ends_on.isoformat()}},
                session=self._session,
            )

    async def end_relationship(self, relationship_id: str, ended_on: date) -> None:
        await self._set(RELATIONSHIPS, relationship_id, {"ends_on": ended_on.isoformat()})

    async def relationships(self, partnership_ids: Collection[str]) -> list[RelationshipRecord]:
        query = {"partnership_id": {"$in": sorted(partnership_ids)}, "kind": {"$exists": True}}
        docs = await self._find(RELATIONSHIPS, query, sort="starts_on")
        return [RelationshipRecord(relationship_id=d.pop("_id"), **d) for d in docs]

    async def note_governance(
        self, kind: GovernanceKind, key: str, fields: Mapping[str, object]
    ) -> None:
        await self._set(kind.value, key, dict(fields))

    async def governance(self, partnership_ids: Collection[str]) -> GovernanceRecords:
        async def of(kind: GovernanceKind) -> list[Document]:
            query = {
                "partnership_id": {"$in": sorted(partnership_ids)},
                DESCRIBED_BY[kind]: {"$exists": True},
            }
            return await self._find(kind.value, query)

        return GovernanceRecords(
            boards=[
                BoardRecord(board_id=d.pop("_id"), **d) for d in await of(GovernanceKind.BOARDS)
            ],
            members=[
                BoardMemberRecord(member_id=d.pop("_id"), **d)
                for d in await of(GovernanceKind.MEMBERS)
            ],
            meetings=[
                BoardMeetingRecord(meeting_id=d.pop("_id"), **d)
                for d in await of(GovernanceKind.MEETINGS)
            ],
            actions=[
                BoardActionRecord(action_id=d.pop("_id"), **d)
                for d in await of(GovernanceKind.ACTIONS)
            ],
        )

    async def put_officer_role(self, person_id: str, role: HeldRole) -> None:
        await self._collection(COUNTY_OFFICERS).update_one(
            {"_id": person_id},
            {"$pull": {"roles": {"role_id": role.role_id}}},
            upsert=True,
            session=self._session,
        )
        await self._collection(COUNTY_OFFICERS).update_one(
            {"_id": person_id},
            {"$push": {"roles": role.model_dump(mode="json")}},
            session=self._session,
        )

    async def end_officer_role(self, person_id: str, role_id: str, ended_on: date) -> None:
        await self._collection(COUNTY_OFFICERS).update_one(
            {"_id": person_id, "roles.role_id": role_id},
            {"$set": {"roles.$.ends_on": ended_on.isoformat()}},
            session=self._session,
        )

    async def officer_areas(self, person_id: str) -> set[str] | None:
        doc = await self._officers.find_one({"_id": person_id}, session=self._session)
        return None if doc is None else _areas_today(doc)

    async def counties(self) -> list[set[str]]:
        cursor = self._officers.find({}, session=self._session)
        found: list[set[str]] = []
        async for doc in cursor:
            if (areas := _areas_today(doc)) and areas not in found:
                found.append(areas)
        return sorted(found, key=sorted)

    async def _find(self, collection: str, query: Document, sort: str = "_id") -> list[Document]:
        cursor = self._collection(collection).find(query, session=self._session).sort(sort)
        return [doc async for doc in cursor]

    async def partnerships(self, ids: Collection[str] | None = None) -> list[PartnershipRecord]:
        query: Document = {"name": {"$exists": True}}  # described, not only counted
        if ids is not None:
            query["_id"] = {"$in": sorted(ids)}
        docs = await self._find(PARTNERSHIPS, query, sort="name")
        return [PartnershipRecord(partnership_id=d.pop("_id"), **d) for d in docs]

    async def memberships(self, partnership_ids: Collection[str]) -> list[MembershipRecord]:
        query = {"partnership_id": {"$in": sorted(partnership_ids)}}
        return [MembershipRecord(**d) for d in await self._find(MEMBERSHIPS, query)]

    async def memberships_of_schools(self, urns: Collection[str]) -> list[MembershipRecord]:
        query = {"urn": {"$in": sorted(urns)}}
        return [MembershipRecord(**d) for d in await self._find(MEMBERSHIPS, query)]

    async def schools(self, urns: Iterable[str]) -> dict[str, SchoolRecord]:
        docs = await self._find(SCHOOLS, {"_id": {"$in": sorted(set(urns))}})
        found = [SchoolRecord(urn=d.pop("_id"), **d) for d in docs]
        return {school.urn: school for school in found}


def _areas_today(officer: Document) -> set[str]:
    return county_of((HeldRole.model_validate(r) for r in officer.get("roles", [])), date.today())


async def ensure_indexes(db: AsyncDatabase[Document], generation: Generation) -> None:
    await db[generation.collection(PARTNERSHIPS)].create_index("name")
    await db[generation.collection(MEMBERSHIPS)].create_index("partnership_id")
    await db[generation.collection(MEMBERSHIPS)].create_index("urn")
    for kind in GovernanceKind:
        await db[generation.collection(kind.value)].create_index("partnership_id")
