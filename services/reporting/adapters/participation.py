"""The participation records in MongoDB: `activities`, `bookings` and `evaluations`, one document
each, written in the consumer's transaction (beside its inbox entry) as upserts that set fields."""

from collections.abc import Collection
from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.activities import Session
from contracts.vocabulary import ActivityStatus
from services.reporting.domain.participation import (
    ActivityRecord,
    BookingRecord,
    EvaluationRecord,
)

ACTIVITIES = "activities"
BOOKINGS = "bookings"
EVALUATIONS = "evaluations"
COLLECTIONS = (ACTIVITIES, BOOKINGS, EVALUATIONS)

Document = dict[str, Any]


class MongoParticipation:
    def __init__(self, db: AsyncDatabase[Document], session: AsyncClientSession | None = None):
        self._db = db
        self._session = session

    async def _set(self, collection: str, key: str, fields: Document) -> None:
        await self._db[collection].update_one(
            {"_id": key}, {"$set": fields}, upsert=True, session=self._session
        )

    async def describe_activity(self, activity: ActivityRecord) -> None:
        await self._set(ACTIVITIES, activity.activity_id, activity.model_dump(mode="json"))

    async def _change(self, collection: str, key: str, fields: Document) -> None:
        """Only a record already described: a change to one never published is no figure."""
        await self._db[collection].update_one({"_id": key}, {"$set": fields}, session=self._session)

    async def reschedule_activity(self, activity_id: str, sessions: list[Session]) -> None:
        dumped = [s.model_dump(mode="json") for s in sessions]
        await self._change(ACTIVITIES, activity_id, {"sessions": dumped})

    async def set_activity_status(self, activity_id: str, status: ActivityStatus) -> None:
        await self._change(ACTIVITIES, activity_id, {"status": status.value})

    async def describe_booking(self, booking: BookingRecord) -> None:
        await self._set(BOOKINGS, booking.booking_id, booking.model_dump(mode="json"))

    async def substitute(self, booking_id: str, person_id: str | None) -> None:
        await self._change(BOOKINGS, booking_id, {"person_id": person_id})

    async def describe_evaluation(self, evaluation: EvaluationRecord) -> None:
        key = f"{evaluation.booking_id}:{evaluation.stage}"
        await self._set(EVALUATIONS, key, evaluation.model_dump(mode="json"))

    async def activities(self, partnership_ids: Collection[str] | None) -> list[ActivityRecord]:
        """Those the partnerships run (every one when None)."""
        query: Document = {}
        if partnership_ids is not None:
            query["partnership_id"] = {"$in": sorted(partnership_ids)}
        cursor = self._db[ACTIVITIES].find(query, {"_id": 0}, session=self._session)
        return [ActivityRecord.model_validate(d) async for d in cursor]

    async def activities_of_school(self, urn: str) -> list[ActivityRecord]:
        booked = await self._db[BOOKINGS].distinct(
            "activity_id", {"urn": urn}, session=self._session
        )
        query = {"$or": [{"host_urn": urn}, {"activity_id": {"$in": sorted(booked)}}]}
        cursor = self._db[ACTIVITIES].find(query, {"_id": 0}, session=self._session)
        return [ActivityRecord.model_validate(d) async for d in cursor]

    async def bookings(self, activity_ids: Collection[str]) -> list[BookingRecord]:
        query = {"activity_id": {"$in": sorted(activity_ids)}}
        cursor = self._db[BOOKINGS].find(query, {"_id": 0}, session=self._session)
        return [BookingRecord.model_validate(d) async for d in cursor]

    async def evaluations(self, activity_ids: Collection[str]) -> list[EvaluationRecord]:
        query = {"activity_id": {"$in": sorted(activity_ids)}}
        cursor = self._db[EVALUATIONS].find(query, {"_id": 0}, session=self._session)
        return [EvaluationRecord.model_validate(d) async for d in cursor]


async def ensure_indexes(db: AsyncDatabase[Document]) -> None:
    await db[ACTIVITIES].create_index("partnership_id")
    await db[ACTIVITIES].create_index("host_urn")
    await db[BOOKINGS].create_index("activity_id")
    await db[BOOKINGS].create_index("urn")
    await db[EVALUATIONS].create_index("activity_id")
