"""Publications in MongoDB, one document each with its issues."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from eventkit.aggregate import MongoRepository
from services.events.domain.publication import Publication


class PublicationRepository(MongoRepository[Publication]):
    model = Publication
    collection_name = "publications"
    id_field = "id"
    datetime_fields = ("started_at",)

    async def of_partnership(self, partnership_id: str) -> list[Publication]:
        return await self.find({"partnership_id": partnership_id}, sort="started_at")


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[PublicationRepository.collection_name].create_index("partnership_id")
