"""Which monthly county reports have been made ready (`county_reports`, by report id): kept
apart from the read models' generations, so a rebuild never makes one again."""

from datetime import UTC, datetime

from services.reporting.adapters.collections import MongoCollections

COUNTY_REPORTS = "county_reports"


class MongoCountyReports(MongoCollections):
    async def made(self, report_id: str) -> bool:
        found = await self._db[COUNTY_REPORTS].find_one({"_id": report_id}, session=self._session)
        return found is not None

    async def mark_made(self, report_id: str) -> None:
        """Inserted, so a second replica making the same report fails its transaction."""
        await self._db[COUNTY_REPORTS].insert_one(
            {"_id": report_id, "made_at": datetime.now(UTC)}, session=self._session
        )
