"""The directory in MongoDB: reads for the handlers, upserts for the membership consumer.

Every write is naturally idempotent ($set / $addToSet / $pull by id), so a replay from offset 0
rebuilds it.
"""

from datetime import date
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.membership import HeldRole
from contracts.vocabulary import MembershipStatus, StaffRole
from services.events.domain.directory import (
    OrganisationCopy,
    PartnershipCopy,
    PersonCopy,
    SchoolCopy,
)

PARTNERSHIPS = "directory_partnerships"
SCHOOLS = "directory_schools"
PEOPLE = "directory_people"
ORGANISATIONS = "directory_organisations"

Db = AsyncDatabase[dict[str, Any]]


class MongoDirectory:
    """Bound to one unit of work: what it has read once it does not read again."""

    def __init__(self, db: Db, session: AsyncClientSession | None = None) -> None:
        self._db = db
        self._session = session
        self._member_of: dict[str, set[str]] = {}

    async def partnership(self, pid: str) -> PartnershipCopy | None:
        doc = await self._db[PARTNERSHIPS].find_one({"_id": pid}, session=self._session)
        return PartnershipCopy.model_validate(doc) if doc else None

    async def partnerships_of(self, urn: str) -> set[str]:
        """The partnerships the school is an active member of."""
        if urn not in self._member_of:
            cursor = self._db[PARTNERSHIPS].find(
                {f"members.{urn}": MembershipStatus.ACTIVE.value}, {"_id": 1}, session=self._session
            )
            self._member_of[urn] = {doc["_id"] async for doc in cursor}
        return set(self._member_of[urn])

    async def coordinated_by(self, person_id: str) -> set[str]:
        cursor = self._db[PARTNERSHIPS].find(
            {"coordinators": person_id}, {"_id": 1}, session=self._session
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
        return _person(doc) if doc else None

    async def organisation(self, organisation_id: str) -> OrganisationCopy | None:
        doc = await self._db[ORGANISATIONS].find_one(
            {"_id": organisation_id}, session=self._session
        )
        return OrganisationCopy.model_validate(doc) if doc else None

    async def approvers(self, urn: str, today: date) -> list[PersonCopy]:
        cursor = self._db[PEOPLE].find(
            {"roles": {"$elemMatch": {"role": StaffRole.CPD_APPROVER.value, "urn": urn}}},
            session=self._session,
        )
        people = [_person(d) async for d in cursor]
        return [p for p in people if p.holds(StaffRole.CPD_APPROVER, urn=urn, today=today)]

    # --- writes, from membership's events ---

    async def _set(self, collection: str, key: str, fields: dict[str, Any]) -> None:
        await self._db[collection].update_one(
            {"_id": key}, {"$set": fields}, upsert=True, session=self._session
        )

    async def describe_partnership(self, pid: str, *, name: str, status: str) -> None:
        await self._set(PARTNERSHIPS, pid, {"id": pid, "name": name, "status": status})

    async def add_coordinator(self, pid: str, person_id: str) -> None:
        await self._db[PARTNERSHIPS].update_one(
            {"_id": pid},
            {"$addToSet": {"coordinators": person_id}},
            upsert=True,
            session=self._session,
        )

    async def remove_coordinator(self, pid: str, person_id: str) -> None:
        await self._db[PARTNERSHIPS].update_one(
            {"_id": pid}, {"$pull": {"coordinators": person_id}}, session=self._session
        )

    async def set_membership(self, pid: str, urn: str, status: MembershipStatus) -> None:
        await self._set(PARTNERSHIPS, pid, {f"members.{urn}": status.value})

    async def describe_school(self, school: SchoolCopy, fields: set[str]) -> None:
        """Set these fields of the school's copy (each event owns some of them)."""
        await self._set(SCHOOLS, school.urn, school.model_dump(mode="json", include=fields))

    async def describe_organisation(self, organisation: OrganisationCopy) -> None:
        await self._set(ORGANISATIONS, organisation.id, organisation.model_dump())

    async def describe_person(self, person_id: str, *, name: str, email: str) -> None:
        """An erased person stays erased, whatever old contact is replayed (a dead letter)."""
        known = await self._db[PEOPLE].find_one({"_id": person_id}, session=self._session)
        if known and known.get("erased"):
            return
        await self._set(PEOPLE, person_id, {"id": person_id, "name": name, "email": email})

    async def put_role(self, person_id: str, role: HeldRole) -> None:
        """Add the role, or replace the one with its id."""
        await self._db[PEOPLE].update_one(
            {"_id": person_id},
            {"$pull": {"roles": {"role_id": role.role_id}}},
            upsert=True,
            session=self._session,
        )
        await self._db[PEOPLE].update_one(
            {"_id": person_id},
            {"$push": {"roles": role.model_dump(mode="json")}},
            session=self._session,
        )

    async def end_role(self, person_id: str, role_id: str, ended_on: date) -> None:
        await self._db[PEOPLE].update_one(
            {"_id": person_id, "roles.role_id": role_id},
            {"$set": {"roles.$.ends_on": ended_on.isoformat()}},
            session=self._session,
        )

    async def erase_person(self, person_id: str) -> None:
        """Keep the roles (counts still add up), drop the name and email."""
        await self._set(PEOPLE, person_id, {"name": "(erased)", "email": "", "erased": True})


def _person(doc: dict[str, Any]) -> PersonCopy:
    """Its roles may arrive (membership topic) before its name (people topic): the id is the key."""
    return PersonCopy.model_validate({**doc, "id": doc["_id"]})


async def ensure_indexes(db: Db) -> None:
    await db[PARTNERSHIPS].create_index("coordinators")
    await db[PEOPLE].create_index("roles.urn")
    await db[SCHOOLS].create_index("la_code")
