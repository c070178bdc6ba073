"""MongoDB repositories of the events service: activities (with their places), bookings, and
each school's booking policy."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.aggregate import MongoRepository
from services.events.domain.activity import Activity
from services.events.domain.booking import Booking


class ActivityRepository(MongoRepository[Activity]):
    model = Activity
    collection_name = "activities"
    id_field = "id"
    datetime_fields = ("details.booking_closes_at",)

    async def in_partnerships(self, partnership_ids: set[str], *, drafts: bool) -> list[Activity]:
        query: dict[str, Any] = {
            "$or": [
                {"details.partnership_id": {"$in": sorted(partnership_ids)}},
                {"details.open_to": {"$in": sorted(partnership_ids)}},
                {"details.county_wide": True},
            ]
        }
        if not drafts:
            query["status"] = {"$ne": ActivityStatus.DRAFT.value}
        return await self.find(query, sort="details.sessions.0.starts_at")

    async def all(self) -> list[Activity]:
        return await self.find({}, sort="details.sessions.0.starts_at")

    async def contributed_to_by(self, person_id: str) -> list[Activity]:
        query = {"contributors": {"$elemMatch": {"person_id": person_id, "status": "confirmed"}}}
        return await self.find(query, sort="details.sessions.0.starts_at")

    async def with_ids(self, activity_ids: Iterable[str]) -> list[Activity]:
        return await self.find(
            {"_id": {"$in": sorted(set(activity_ids))}}, sort="details.sessions.0.starts_at"
        )

    async def take_places(self, activity_id: str, urn: str, places: int) -> bool:
        """Take `places` for the school if they fit; True if taken.

        The one place capacity is enforced: a conditional update that checks capacity (overall
        and per school) in the same write as the increment, so no race — in this process or
        another — can overbook. The version goes up too, so an edit based on an older copy of
        the activity fails rather than overwriting the count.
        """
        school = f"$school_places.{urn}"
        fits = {
            "$and": [
                {"$lte": [{"$add": ["$places_taken", places]}, "$details.capacity"]},
                {
                    "$or": [
                        {"$eq": [{"$ifNull": ["$details.per_school_cap", None]}, None]},
                        {
                            "$lte": [
                                {"$add": [{"$ifNull": [school, 0]}, places]},
                                "$details.per_school_cap",
                            ]
                        },
                    ]
                },
            ]
        }
        result = await self._collection.update_one(
            {"_id": activity_id, "status": ActivityStatus.PUBLISHED.value, "$expr": fits},
            {"$inc": {"places_taken": places, f"school_places.{urn}": places, "version": 1}},
            session=self._session,
        )
        return result.modified_count == 1

    async def give_back_places(self, activity_id: str, urn: str, places: int) -> None:
        await self._collection.update_one(
            {"_id": activity_id},
            {"$inc": {"places_taken": -places, f"school_places.{urn}": -places, "version": 1}},
            session=self._session,
        )

    async def needing_minimum_warning(self, before: datetime) -> list[Activity]:
        return await self.find(
            {
                "status": ActivityStatus.PUBLISHED.value,
                "minimum_warning_sent": False,
                "details.minimum_numbers": {"$ne": None},
                "details.booking_closes_at": {"$ne": None, "$lte": before},
            }
        )


class BookingRepository(MongoRepository[Booking]):
    model = Booking
    collection_name = "bookings"
    id_field = "id"
    datetime_fields = ("created_at", "offer_expires_at")

    async def by_idempotency_key(self, requested_by: str, key: str) -> Booking | None:
        found = await self.find({"requested_by": requested_by, "idempotency_key": key}, limit=1)
        return found[0] if found else None

    async def by_check_in_code(self, activity_id: str, code: str) -> Booking | None:
        found = await self.find({"activity_id": activity_id, "check_in_code": code}, limit=1)
        return found[0] if found else None

    async def of_activity(self, activity_id: str) -> list[Booking]:
        return await self.find({"activity_id": activity_id}, sort="queued_ns")

    async def of_person(self, person_id: str) -> list[Booking]:
        return await self.find({"person_id": person_id}, sort="created_at")

    async def live_booking_of(self, person_id: str, activity_id: str) -> Booking | None:
        live = sorted(s.value for s in BookingStatus if s.counted or s == BookingStatus.WAITLISTED)
        found = await self.find(
            {"person_id": person_id, "activity_id": activity_id, "status": {"$in": live}}, limit=1
        )
        return found[0] if found else None

    async def of_schools(self, urns: set[str]) -> list[Booking]:
        return await self.find({"urn": {"$in": sorted(urns)}}, sort="created_at")

    async def activities_with_a_waitlist(self) -> set[str]:
        cursor = self._collection.find(
            {"status": BookingStatus.WAITLISTED.value}, {"activity_id": 1}, session=self._session
        )
        return {doc["activity_id"] async for doc in cursor}

    async def expired_offers(self, now: datetime) -> list[Booking]:
        return await self.find(
            {"status": BookingStatus.OFFERED.value, "offer_expires_at": {"$lt": now}}
        )


class SchoolPolicies:
    """Each school's booking policy: whether staff bookings wait for a CPD approver."""

    collection_name = "school_policies"

    def __init__(self, db: AsyncDatabase[dict[str, Any]], session: AsyncClientSession) -> None:
        self._collection = db[self.collection_name]
        self._session = session

    async def needs_approval(self, urn: str) -> bool:
        doc = await self._collection.find_one({"_id": urn}, session=self._session)
        return bool(doc and doc.get("staff_bookings_need_approval"))

    async def set_needs_approval(self, urn: str, value: bool) -> None:
        await self._collection.update_one(
            {"_id": urn},
            {"$set": {"staff_bookings_need_approval": value}},
            upsert=True,
            session=self._session,
        )


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    bookings = db[BookingRepository.collection_name]
    await bookings.create_index(
        [("requested_by", ASCENDING), ("idempotency_key", ASCENDING)], unique=True
    )
    await bookings.create_index(
        [("activity_id", ASCENDING), ("status", ASCENDING), ("queued_ns", ASCENDING)]
    )
    await bookings.create_index("person_id")
    await bookings.create_index("urn")
    activities = db[ActivityRepository.collection_name]
    await activities.create_index("details.partnership_id")
    await activities.create_index("details.open_to")
