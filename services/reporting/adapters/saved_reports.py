"""Saved report definitions in MongoDB (`saved_reports`): what people asked to run again."""

from pymongo.asynchronous.database import AsyncDatabase

from services.reporting.adapters.collections import Document, MongoCollections
from services.reporting.domain.saved_report import SavedReport

SAVED_REPORTS = "saved_reports"


class MongoSavedReports(MongoCollections):
    async def add(self, report: SavedReport) -> None:
        fields = report.model_dump(mode="json", exclude={"id"})
        await self._db[SAVED_REPORTS].insert_one({"_id": report.id, **fields})

    async def count(self, owner: str) -> int:
        return await self._db[SAVED_REPORTS].count_documents({"owner": owner})

    async def of_owner(self, owner: str) -> list[SavedReport]:
        cursor = self._db[SAVED_REPORTS].find({"owner": owner}).sort("saved_at", -1)
        return [SavedReport.model_validate({**d, "id": d.pop("_id")}) async for d in cursor]

    async def get(self, owner: str, report_id: str) -> SavedReport | None:
        doc = await self._db[SAVED_REPORTS].find_one({"_id": report_id, "owner": owner})
        return SavedReport.model_validate({**doc, "id": doc.pop("_id")}) if doc else None

    async def delete(self, owner: str, report_id: str) -> bool:
        done = await self._db[SAVED_REPORTS].delete_one({"_id": report_id, "owner": owner})
        return done.deleted_count == 1


async def ensure_indexes(db: AsyncDatabase[Document]) -> None:
    await db[SAVED_REPORTS].create_index([("owner", 1), ("saved_at", -1)])
