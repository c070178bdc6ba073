"""MongoDB repositories: one document per aggregate, saved only if its version is unchanged."""

import re
from collections.abc import Iterable
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from eventkit.aggregate import MongoRepository
from services.membership.domain.board import Board
from services.membership.domain.board_meeting import BoardMeeting
from services.membership.domain.organisation import Organisation
from services.membership.domain.partnership import Partnership
from services.membership.domain.person import Person
from services.membership.domain.relationship import SchoolRelationship
from services.membership.domain.school import School


class PartnershipRepository(MongoRepository[Partnership]):
    model = Partnership
    collection_name = "partnerships"
    id_field = "id"

    async def all(self) -> list[Partnership]:
        return await self.find({}, sort="details.name")

    async def related_to(
        self, partnership_ids: Iterable[str], person_id: str | None, urns: Iterable[str]
    ) -> list[Partnership]:
        ors: list[dict[str, Any]] = [{"_id": {"$in": sorted(partnership_ids)}}]
        if person_id:
            ors.append({"coordinators": person_id})
        ors.extend({f"memberships.{urn}": {"$exists": True}} for urn in urns)
        return await self.find({"$or": ors}, sort="details.name")


class SchoolRepository(MongoRepository[School]):
    model = School
    collection_name = "schools"
    id_field = "urn"

    async def search(
        self,
        *,
        la_code: str | None,
        sector: str | None,
        phase: str | None,
        name: str | None,
        limit: int,
        skip: int,
    ) -> list[School]:
        query: dict[str, Any] = {}
        if la_code:
            query["details.la_code"] = la_code
        if sector:
            query["details.sector"] = sector
        if phase:
            query["details.phase"] = phase
        if name:
            query["details.name"] = {"$regex": re.escape(name), "$options": "i"}
        return await self.find(query, sort="details.name", limit=limit, skip=skip)

    async def get_many(self, urns: Iterable[str]) -> dict[str, School]:
        return {s.urn: s for s in await self.find({"_id": {"$in": sorted(set(urns))}})}


class PersonRepository(MongoRepository[Person]):
    model = Person
    collection_name = "people"
    id_field = "id"

    async def all(self) -> list[Person]:
        return await self.find({}, sort="details.name")

    async def with_email(self, email: str) -> Person | None:
        found = await self.find({"details.email": email}, limit=1)
        return found[0] if found else None

    async def at(self, urns: Iterable[str], partnership_ids: Iterable[str]) -> list[Person]:
        query = {
            "$or": [
                {"roles.urn": {"$in": sorted(urns)}},
                {"roles.partnership_id": {"$in": sorted(partnership_ids)}},
            ]
        }
        return await self.find(query, sort="details.name")


class RelationshipRepository(MongoRepository[SchoolRelationship]):
    model = SchoolRelationship
    collection_name = "school_relationships"
    id_field = "id"

    async def of_school(self, urn: str) -> list[SchoolRelationship]:
        query = {"$or": [{"details.first.school_urn": urn}, {"details.second.school_urn": urn}]}
        return await self.find(query, sort="details.starts_on")


class OrganisationRepository(MongoRepository[Organisation]):
    model = Organisation
    collection_name = "organisations"
    id_field = "id"

    async def all(self) -> list[Organisation]:
        return await self.find({}, sort="details.name")


class BoardRepository(MongoRepository[Board]):
    model = Board
    collection_name = "boards"
    id_field = "id"

    async def of_partnership(self, partnership_id: str) -> list[Board]:
        return await self.find({"partnership_id": partnership_id}, sort="details.name")


class BoardMeetingRepository(MongoRepository[BoardMeeting]):
    """Meetings keep the time zone they were given, so they are put in order here."""

    model = BoardMeeting
    collection_name = "board_meetings"
    id_field = "id"

    async def of_board(self, board_id: str) -> list[BoardMeeting]:
        found = await self.find({"board_id": board_id})
        return sorted(found, key=lambda m: m.details.starts_at)

    async def with_actions_of(self, person_id: str) -> list[BoardMeeting]:
        found = await self.find({"actions.owner_person_id": person_id})
        return sorted(found, key=lambda m: m.details.starts_at)


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[PartnershipRepository.collection_name].create_index("coordinators")
    await db[PartnershipRepository.collection_name].create_index("details.name")
    await db[SchoolRepository.collection_name].create_index("details.la_code")
    await db[PersonRepository.collection_name].create_index("roles.urn")
    await db[PersonRepository.collection_name].create_index("roles.partnership_id")
    await db[PersonRepository.collection_name].create_index("details.email")
    await db[RelationshipRepository.collection_name].create_index("details.first.school_urn")
    await db[RelationshipRepository.collection_name].create_index("details.second.school_urn")
    await db[BoardRepository.collection_name].create_index("partnership_id")
    await db[BoardMeetingRepository.collection_name].create_index("board_id")
    await db[BoardMeetingRepository.collection_name].create_index("actions.owner_person_id")
