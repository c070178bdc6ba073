"""Case studies in MongoDB: one document each, newest change first in listings."""

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from eventkit.aggregate import MongoRepository
from services.events.domain.case_study import CaseStudy, CaseStudyCriteria, CaseStudyStatus


class CaseStudyRepository(MongoRepository[CaseStudy]):
    model = CaseStudy
    collection_name = "case_studies"
    id_field = "id"
    datetime_fields = ("created_at", "updated_at", "submitted_at", "published_at")

    async def matching(self, criteria: CaseStudyCriteria) -> list[CaseStudy]:
        """Those meeting the criteria, most recently changed first."""
        cursor = self._collection.find(
            _query(criteria), session=self._session, skip=criteria.offset, limit=criteria.limit
        ).sort([("updated_at", DESCENDING), ("_id", ASCENDING)])
        return [self._from_doc(doc) async for doc in cursor]


def _query(criteria: CaseStudyCriteria) -> dict[str, Any]:
    """The Mongo filter of `CaseStudyCriteria.admits`."""
    clauses: list[dict[str, Any]] = []
    if criteria.category is not None:
        clauses.append({"content.categories": criteria.category.value})
    if criteria.partnership_id is not None:
        clauses.append({"partnership_id": criteria.partnership_id})
    if criteria.urn is not None:
        clauses.append({"content.urns": criteria.urn})
    if criteria.status is not None:
        clauses.append({"status": criteria.status.value})
    readers = criteria.readers
    if readers is not None:
        visible: list[dict[str, Any]] = [{"status": CaseStudyStatus.PUBLISHED.value}]
        if readers.author_id is not None:
            visible.append({"content.authors": readers.author_id})
        if readers.partnerships:
            visible.append({"partnership_id": {"$in": sorted(readers.partnerships)}})
        if readers.schools:
            visible.append({"content.urns": {"$in": sorted(readers.schools)}})
        clauses.append({"$or": visible})
    return {"$and": clauses} if clauses else {}


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    case_studies = db[CaseStudyRepository.collection_name]
    await case_studies.create_index([("status", ASCENDING), ("updated_at", DESCENDING)])
    await case_studies.create_index("partnership_id")
    await case_studies.create_index("content.urns")
    await case_studies.create_index("content.categories")
    await case_studies.create_index("content.authors")
