"""Placement swaps in MongoDB, one document each."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from eventkit.aggregate import MongoRepository
from services.events.domain.placement_swap import PlacementSwap


class PlacementSwapRepository(MongoRepository[PlacementSwap]):
    model = PlacementSwap
    collection_name = "placement_swaps"
    id_field = "id"
    datetime_fields = ("proposed_at",)

    async def of_partnership(self, partnership_id: str) -> list[PlacementSwap]:
        return await self.find({"partnership_id": partnership_id}, sort="proposed_at")

    async def of_visitor(self, person_id: str) -> list[PlacementSwap]:
        return await self.find({"legs.visitor_id": person_id}, sort="proposed_at")


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    swaps = db[PlacementSwapRepository.collection_name]
    await swaps.create_index("partnership_id")
    await swaps.create_index("legs.visitor_id")
