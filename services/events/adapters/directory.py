"""The directory in MongoDB: reads for the handlers, upserts for the membership consumer.

Every write is naturally idempotent ($set / $pull by id), so a replay from offset 0 rebuilds it.
"""

from datetime import date
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.vocabulary import MembershipStatus, StaffRole
from services.events.domain.directory import PartnershipCopy, PersonCopy, SchoolCopy

PARTNERSHIPS = "directory_partnerships"
SCHOOLS = "directory_schools"
PEOPLE = "directory_people"

Db = AsyncDatabase[dict[str, Any]]


class MongoDirectory:
    def __init__(self, db: Db, session: AsyncClientSession | None = None) -> None:
        self._db = db
        self._session = session

    async def partnership(self, pid: str) -> PartnershipCopy | None:
        doc = await self._db[PARTNERSHIPS].find_one({"_id": pid}, session=self._session)
        return PartnershipCopy.model_validate(doc) if doc else None

    async def partnerships_of(self, urn: str) -> set[str]:
        """The partnerships the school is an active member of."""
        cursor = self._db[PARTNERSHIPS].find(
            {f"members.{urn}": MembershipStatus.ACTIVE.value}, {"_id": 1}, session=self._session
        )
        return {doc["_id"] async for doc in cursor}

    async def school(self, urn: str) -> SchoolCopy | None:
        doc = await self._db[SCHOOLS].find_one({"_id": urn}, session=self._session)
        return SchoolCopy.model_validate(doc) if doc else None

    async def schools(self) -> list[SchoolCopy]:
        return [
            SchoolCopy.model_validate(d)
            async for d in self._db[SCHOOLS].find({}, session=self._session)
        ]

    async def person(self, person_id: str) -> PersonCopy | None:
        doc = await self._db[PEOPLE].find_one({"_id": person_id}, session=self._session)
        return PersonCopy.model_validate(doc) if doc else None

    async def approvers(self, urn: str, today: date) -> list[PersonCopy]:
        cursor = self._db[PEOPLE].find(
            {"roles": {"$elemMatch": {"role": StaffRole.CPD_APPROVER.value, "urn": urn}}},
            session=self._session,
        )
        people = [PersonCopy.model_validate(d) async for d in cursor]
        return [p for p in people if p.holds(StaffRole.CPD_APPROVER, urn=urn, today=today)]


async def ensure_indexes(db: Db) -> None:
    await db[PEOPLE].create_index("roles.urn")
    await db[SCHOOLS].create_index("la_code")
