"""Aggregates and their MongoDB repositories: one document per aggregate, saved only if its
version is unchanged since it was loaded (optimistic concurrency), recording its own events."""

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from contracts.envelope import IntegrationEvent
from eventkit.errors import Conflict


class InternalEvent(BaseModel):
    """Something that happened inside a service and that more work of its own follows, after
    the commit, by a handler of its own (`eventkit.messagebus`). It never leaves the service."""

    model_config = ConfigDict(frozen=True)


Recorded = IntegrationEvent | InternalEvent


class Aggregate(BaseModel):
    """An id (named by the repository), a version for conditional updates, recorded events."""

    model_config = ConfigDict(validate_assignment=True)

    version: int = 0
    _events: list[Recorded] = PrivateAttr(default_factory=list)

    def record(self, event: Recorded) -> None:
        self._events.append(event)

    def collect_events(self) -> list[Recorded]:
        events, self._events = self._events, []
        return events


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

    datetime_fields: tuple[str, ...] = ()
    """Dotted paths kept as BSON dates rather than text, for the queries that compare them."""

    def _to_doc(self, aggregate: A) -> dict[str, Any]:
        doc = aggregate.model_dump(mode="json")
        doc["_id"] = doc[self.id_field]
        for path in self.datetime_fields:
            *parents, leaf = path.split(".")
            value: Any = aggregate
            target = doc
            for part in parents:
                value, target = getattr(value, part), target[part]
            target[leaf] = getattr(value, leaf)
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
