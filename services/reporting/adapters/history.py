"""History entries in MongoDB: one document per event (`_id` its CloudEvents id), found by the
records it concerns, in the order things happened.

They are sorted by `at_us`, the time in microseconds: MongoDB keeps datetimes to the millisecond,
and one commit records several events within a millisecond (a person added and their role).
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.domain.history import HistoryEntry

HISTORY = "history"

Document = dict[str, Any]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _microseconds(at: datetime) -> int:
    return (at - EPOCH) // timedelta(microseconds=1)


class MongoHistory:
    def __init__(self, db: AsyncDatabase[Document], session: AsyncClientSession | None = None):
        self._collection = db[HISTORY]
        self._session = session

    async def add(self, entries: list[HistoryEntry]) -> None:
        """The consumer's inbox applies each event once, so these are new."""
        if entries:
            documents = [
                {
                    "_id": e.event_id,
                    "at_us": _microseconds(e.at),
                    **e.model_dump(exclude={"event_id"}),
                }
                for e in entries
            ]
            await self._collection.insert_many(documents, session=self._session)

    async def of(self, record: str, limit: int) -> list[HistoryEntry]:
        found = (
            await self._collection.find({"records": record}, session=self._session)
            .sort([("at_us", ASCENDING), ("_id", ASCENDING)])
            .limit(limit)
            .to_list()
        )
        return [HistoryEntry.model_validate({**d, "event_id": d["_id"]}) for d in found]


async def ensure_indexes(db: AsyncDatabase[Document]) -> None:
    await db[HISTORY].create_index([("records", ASCENDING), ("at_us", ASCENDING)])
