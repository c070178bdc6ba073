"""What every read-model adapter of the reporting service shares: the database, the session of
the unit of work it runs in (None outside one), and upserts that set fields."""

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]


class MongoCollections:
    def __init__(self, db: AsyncDatabase[Document], session: AsyncClientSession | None = None):
        self._db = db
        self._session = session

    async def _set(self, collection: str, key: str, fields: Document) -> None:
        await self._db[collection].update_one(
            {"_id": key}, {"$set": fields}, upsert=True, session=self._session
        )
