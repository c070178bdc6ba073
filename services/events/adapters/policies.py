"""Each school's booking policy: whether staff bookings wait for a CPD approver."""

from typing import Any

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

POLICIES = "school_policies"


async def needs_approval(
    db: AsyncDatabase[dict[str, Any]], session: AsyncClientSession | None, urn: str
) -> bool:
    doc = await db[POLICIES].find_one({"_id": urn}, session=session)
    return bool(doc and doc.get("staff_bookings_need_approval"))


async def set_needs_approval(
    db: AsyncDatabase[dict[str, Any]], session: AsyncClientSession | None, urn: str, value: bool
) -> None:
    await db[POLICIES].update_one(
        {"_id": urn},
        {"$set": {"staff_bookings_need_approval": value}},
        upsert=True,
        session=session,
    )
