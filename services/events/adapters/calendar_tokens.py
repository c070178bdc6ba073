"""Calendar tokens in MongoDB: one document each, found by holder."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from eventkit.aggregate import MongoRepository
from services.events.domain.calendar_token import CalendarToken


class CalendarTokenRepository(MongoRepository[CalendarToken]):
    model = CalendarToken
    collection_name = "calendar_tokens"
    id_field = "id"
    datetime_fields = ("created_at", "revoked_at")

    async def of_holder(self, holder: str) -> list[CalendarToken]:
        return await self.find({"holder": holder}, sort="created_at")


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[CalendarTokenRepository.collection_name].create_index("holder")
