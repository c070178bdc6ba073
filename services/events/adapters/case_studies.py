"""Case studies in MongoDB: one document each, newest change first in listings."""

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from eventkit.aggregate import MongoRepository
from services.events.domain.case_study import CaseStudy


class CaseStudyRepository(MongoRepository[CaseStudy]):
    model = CaseStudy
    collection_name = "case_studies"
    id_field = "id"
    datetime_fields = ("created_at", "updated_at", "submitted_at", "published_at")

    async def matching(
        self, query: dict[str, Any], *, limit: int, skip: int = 0
    ) -> list[CaseStudy]:
        """Those matching `query`, most recently changed first."""
        cursor = self._collection.find(query, session=self._session, skip=skip, limit=limit).sort(
            [("updated_at", DESCENDING), ("_id", ASCENDING)]
        )
        return [self._from_doc(doc) async for doc in cursor]


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    case_studies = db[CaseStudyRepository.collection_name]
    await case_studies.create_index([("status", ASCENDING), ("updated_at", DESCENDING)])
    await case_studies.create_index("partnership_id")
    await case_studies.create_index("content.urns")
    await case_studies.create_index("content.categories")
    await case_studies.create_index("content.authors")
