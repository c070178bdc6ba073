"""MongoDB repositories: one document per aggregate, saved only if its version is unchanged."""

import re
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from eventkit.errors import Conflict
from services.membership.domain.aggregate import Aggregate
from services.membership.domain.partnership import Partnership
from services.membership.domain.person import Person
from services.membership.domain.school import School

A = TypeVar("A", bound=Aggregate)


class MongoRepository(Generic[A]):
    model: type[A]
    collection_name: str
    id_field: str

    def __init__(
        self, db: AsyncDatabase[dict[str, Any]], session: AsyncClientSession | None
    ) -> None:
        self._collection: AsyncCollection[dict[str, Any]] = db[self.collection_name]
        self._session = session
        self.seen: list[A] = []

    def _to_doc(self, aggregate: A) -> dict[str, Any]:
        doc = aggregate.model_dump(mode="json")
        doc["_id"] = doc[self.id_field]
        return doc

    def _from_doc(self, doc: dict[str, Any]) -> A:
        doc.pop("_id", None)
        aggregate = self.model.model_validate(doc)
        self.seen.append(aggregate)
        return aggregate

    async def get(self, aggregate_id: str) -> A | None:
        doc = await self._collection.find_one({"_id": aggregate_id}, session=self._session)
        return self._from_doc(doc) if doc else None

    async def find(
        self, query: dict[str, Any], *, sort: str | None = None, limit: int = 0, skip: int = 0
    ) -> list[A]:
        cursor = self._collection.find(query, session=self._session, skip=skip, limit=limit)
        if sort:
            cursor = cursor.sort(sort)
        return [self._from_doc(doc) async for doc in cursor]

    async def add(self, aggregate: A) -> None:
        await self.add_many([aggregate])

    async def add_many(self, aggregates: list[A]) -> None:
        for aggregate in aggregates:
            aggregate.version = 1
        if not aggregates:
            return
        try:
            await self._collection.insert_many(
                [self._to_doc(a) for a in aggregates], session=self._session
            )
        except (DuplicateKeyError, BulkWriteError) as exc:
            if not _duplicate_key(exc):
                raise
            raise Conflict("it already exists (added by someone else meanwhile)") from exc
        self.seen.extend(aggregates)

    async def save(self, aggregate: A) -> None:
        expected = aggregate.version
        aggregate.version = expected + 1
        result = await self._collection.replace_one(
            {"_id": getattr(aggregate, self.id_field), "version": expected},
            self._to_doc(aggregate),
            session=self._session,
        )
        if result.matched_count != 1:
            aggregate.version = expected
            raise Conflict("it was changed by someone else meanwhile; fetch it again and retry")


def _duplicate_key(exc: DuplicateKeyError | BulkWriteError) -> bool:
    if isinstance(exc, DuplicateKeyError):
        return True
    return any(e.get("code") == 11000 for e in exc.details.get("writeErrors", []))


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

    async def at(self, urns: Iterable[str], partnership_ids: Iterable[str]) -> list[Person]:
        query = {
            "$or": [
                {"roles.urn": {"$in": sorted(urns)}},
                {"roles.partnership_id": {"$in": sorted(partnership_ids)}},
            ]
        }
        return await self.find(query, sort="details.name")


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[PartnershipRepository.collection_name].create_index("coordinators")
    await db[PartnershipRepository.collection_name].create_index("details.name")
    await db[SchoolRepository.collection_name].create_index("details.la_code")
    await db[PersonRepository.collection_name].create_index("roles.urn")
    await db[PersonRepository.collection_name].create_index("roles.partnership_id")
    await db[PersonRepository.collection_name].create_index("details.email")
