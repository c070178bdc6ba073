"""Places on an activity, taken and given back atomically in the database.

A place is taken only by a conditional update that checks capacity (overall and per school) in
the same write as the increment, so no race can overbook. The activity's version goes up too,
so an edit based on an older copy of the activity fails rather than overwriting the count.
"""

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.vocabulary import ActivityStatus
from services.events.adapters.repositories import ActivityRepository

ACTIVITIES = ActivityRepository.collection_name


async def take(
    db: AsyncDatabase[dict[str, Any]],
    session: AsyncClientSession | None,
    activity_id: str,
    urn: str,
    places: int,
) -> bool:
    """Take `places` for the school if they fit; True if taken."""
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
    result = await db[ACTIVITIES].update_one(
        {"_id": activity_id, "status": ActivityStatus.PUBLISHED.value, "$expr": fits},
        {"$inc": {"places_taken": places, f"school_places.{urn}": places, "version": 1}},
        session=session,
    )
    return result.modified_count == 1


async def give_back(
    db: AsyncDatabase[dict[str, Any]],
    session: AsyncClientSession | None,
    activity_id: str,
    urn: str,
    places: int,
) -> None:
    await db[ACTIVITIES].update_one(
        {"_id": activity_id},
        {"$inc": {"places_taken": -places, f"school_places.{urn}": -places, "version": 1}},
        session=session,
    )
