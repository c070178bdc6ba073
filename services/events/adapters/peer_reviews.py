"""Peer reviews in MongoDB, one document each."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from contracts.peer_review import PeerReviewStatus
from eventkit.aggregate import MongoRepository
from services.events.domain.peer_review import PeerReview


class PeerReviewRepository(MongoRepository[PeerReview]):
    model = PeerReview
    collection_name = "peer_reviews"
    id_field = "id"
    datetime_fields = ("planned_at",)

    async def of_partnership(
        self, partnership_id: str, status: PeerReviewStatus | None = None
    ) -> list[PeerReview]:
        query: dict[str, Any] = {"partnership_id": partnership_id}
        if status is not None:
            query["status"] = status.value
        return await self.find(query, sort="visit_dates.0")


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    reviews = db[PeerReviewRepository.collection_name]
    await reviews.create_index("partnership_id")
    await reviews.create_index("reviewed_urn")
    await reviews.create_index("reviewer_ids")
