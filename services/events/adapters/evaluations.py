"""Evaluations in MongoDB: one document per booking and stage, kept unique by an index."""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from contracts.attendance import EvaluationStage
from eventkit.aggregate import MongoRepository
from services.events.adapters.repositories import BookingRepository
from services.events.domain.evaluation import Evaluation

Db = AsyncDatabase[dict[str, Any]]


class EvaluationRepository(MongoRepository[Evaluation]):
    model = Evaluation
    collection_name = "evaluations"
    id_field = "id"
    datetime_fields = ("submitted_at",)

    async def of_booking(self, booking_id: str) -> list[Evaluation]:
        return await self.find({"booking_id": booking_id}, sort="submitted_at")

    async def of_activity(self, activity_id: str) -> list[Evaluation]:
        return await self.find({"activity_id": activity_id}, sort="submitted_at")

    async def stages_of(self, booking_id: str) -> set[EvaluationStage]:
        return {e.stage for e in await self.of_booking(booking_id)}

    async def erase_answers(self, person_id: str) -> int:
        """Remove the free text a person wrote or that was written about their booking; keep
        the ratings. Naturally idempotent. Returns how many evaluations changed."""
        result = await self._collection.update_many(
            {
                "$or": [{"person_id": person_id}, {"author_id": person_id}],
                "answers_erased": False,
            },
            {"$set": {"answers": {}, "answers_erased": True}, "$inc": {"version": 1}},
            session=self._session,
        )
        return result.modified_count


async def ensure_indexes(db: Db) -> None:
    evaluations = db[EvaluationRepository.collection_name]
    await evaluations.create_index(
        [("booking_id", ASCENDING), ("stage", ASCENDING)], unique=True, name="one_per_stage"
    )
    await evaluations.create_index("activity_id")
    await evaluations.create_index("person_id")
    await evaluations.create_index("author_id")
    await db[BookingRepository.collection_name].create_index(
        [("activity_id", ASCENDING), ("check_in_code", ASCENDING)], name="check_in"
    )
