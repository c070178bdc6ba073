"""Support engagements in MongoDB, one document each."""

from collections import Counter
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from contracts.support import SupportStatus
from eventkit.aggregate import MongoRepository
from services.events.domain.support import SupportEngagement

WORKED_TOGETHER = (SupportStatus.ACTIVE, SupportStatus.REVIEWED, SupportStatus.CLOSED)
"""Engagements that count as past work together: at least one visit happened."""


class SupportRepository(MongoRepository[SupportEngagement]):
    model = SupportEngagement
    collection_name = "support_engagements"
    id_field = "id"
    datetime_fields = ("requested_at",)

    async def involving(
        self, *, partnerships: set[str], schools: set[str], status: SupportStatus | None = None
    ) -> list[SupportEngagement]:
        """Engagements through these partnerships, or asked for or given by these schools."""
        query: dict[str, Any] = {
            "$or": [
                {"partnership_id": {"$in": sorted(partnerships)}},
                {"requesting_urn": {"$in": sorted(schools)}},
                {"supporting_urn": {"$in": sorted(schools)}},
            ]
        }
        if status is not None:
            query["status"] = status.value
        return await self.find(query, sort="requested_at")

    async def all(self, status: SupportStatus | None = None) -> list[SupportEngagement]:
        query = {"status": status.value} if status is not None else {}
        return await self.find(query, sort="requested_at")

    async def worked_together(self, urn: str, *, excluding: str) -> Counter[str]:
        """For each school: how many engagements it had with `urn`, either way round, besides
        the engagement `excluding`."""
        statuses = [s.value for s in WORKED_TOGETHER]
        found = await self.find(
            {
                "_id": {"$ne": excluding},
                "status": {"$in": statuses},
                "$or": [{"requesting_urn": urn}, {"supporting_urn": urn}],
            }
        )
        counts: Counter[str] = Counter()
        for engagement in found:
            other = (
                engagement.supporting_urn
                if engagement.requesting_urn == urn
                else engagement.requesting_urn
            )
            if other:
                counts[other] += 1
        return counts


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    engagements = db[SupportRepository.collection_name]
    await engagements.create_index("partnership_id")
    await engagements.create_index("requesting_urn")
    await engagements.create_index("supporting_urn")
