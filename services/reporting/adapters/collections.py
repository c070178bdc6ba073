"""What every read-model adapter of the reporting service shares: the database, the session of
the unit of work it runs in (None outside one), the generation of the read models it works on,
and upserts that set fields."""

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.domain.generation import Generation

Document = dict[str, Any]


class MongoCollections:
    def __init__(
        self,
        db: AsyncDatabase[Document],
        session: AsyncClientSession | None = None,
        generation: Generation = Generation(),
    ):
        self._db = db
        self._session = session
        self.generation = generation

    def _collection(self, name: str) -> AsyncCollection[Document]:
        return self._db[self.generation.collection(name)]

    async def _set(self, collection: str, key: str, fields: Document) -> None:
        await self._collection(collection).update_one(
            {"_id": key}, {"$set": fields}, upsert=True, session=self._session
        )
