"""The participation records in MongoDB: `activities`, `bookings`, `evaluations`, `support`,
`case_studies` and `mail` (sent and held, by mail id), one document each, written in the consumer's transaction (beside its inbox
entry) as upserts that set fields."""

from collections.abc import Collection, Mapping

from pymongo.asynchronous.database import AsyncDatabase

from contracts.activities import Session
from contracts.vocabulary import ActivityStatus
from services.reporting.adapters.collections import Document, MongoCollections
from services.reporting.domain.generation import Generation
from services.reporting.domain.participation import (
    ActivityRecord,
    BookingRecord,
    CaseStudyRecord,
    EvaluationRecord,
    MailRecord,
    SupportRecord,
)
from services.reporting.domain.partnership_work import (
    ContributorRecord,
    FundsRecord,
    IssueRecord,
    PartnershipWork,
    ReviewRecord,
    SwapRecord,
    WorkKind,
)

ACTIVITIES = "activities"
BOOKINGS = "bookings"
EVALUATIONS = "evaluations"
SUPPORT = "support"
CASE_STUDIES = "case_studies"
MAIL = "mail"
COLLECTIONS = (
    ACTIVITIES,
    BOOKINGS,
    EVALUATIONS,
    SUPPORT,
    CASE_STUDIES,
    MAIL,
    *(kind.value for kind in WorkKind),
)


class MongoParticipation(MongoCollections):
    async def describe_activity(self, activity: ActivityRecord) -> None:
        await self._set(ACTIVITIES, activity.activity_id, activity.model_dump(mode="json"))

    async def _change(self, collection: str, key: str, fields: Document) -> None:
        """Only a record already described: a change to one never published is no figure."""
        await self._collection(collection).update_one(
            {"_id": key}, {"$set": fields}, session=self._session
        )

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

    async def note_support(self, engagement_id: str, **fields: object) -> None:
        unknown = set(fields) - set(SupportRecord.model_fields)
        if unknown:
            raise TypeError(f"no such fields of a support engagement: {sorted(unknown)}")
        checked = SupportRecord.model_validate(
            {"engagement_id": engagement_id, "partnership_id": "", "requesting_urn": "", **fields}
        )
        values = checked.model_dump(mode="json", include={"engagement_id", *fields})
        await self._set(SUPPORT, engagement_id, values)

    async def describe_case_study(self, case_study: CaseStudyRecord) -> None:
        await self._set(CASE_STUDIES, case_study.case_study_id, case_study.model_dump(mode="json"))

    async def withdraw_case_study(self, case_study_id: str) -> None:
        await self._change(CASE_STUDIES, case_study_id, {"withdrawn": True})

    async def note_mail(self, mail: MailRecord) -> None:
        fields = mail.model_dump(mode="json", exclude={"mail_id"}, exclude_none=True)
        await self._set(MAIL, mail.mail_id, fields)

    async def note_work(self, kind: WorkKind, key: str, fields: Mapping[str, object]) -> None:
        await self._set(kind.value, key, dict(fields))

    async def work(self, partnership_ids: Collection[str] | None) -> PartnershipWork:
        async def of(kind: WorkKind) -> list[Document]:
            return await self._of(kind.value, partnership_ids)

        return PartnershipWork(
            funds=[FundsRecord.model_validate(d) for d in await of(WorkKind.FUNDS)],
            contributors=[
                ContributorRecord.model_validate(d) for d in await of(WorkKind.CONTRIBUTORS)
            ],
            issues=[IssueRecord.model_validate(d) for d in await of(WorkKind.ISSUES)],
            swaps=[SwapRecord.model_validate(d) for d in await of(WorkKind.SWAPS)],
            reviews=[ReviewRecord.model_validate(d) for d in await of(WorkKind.REVIEWS)],
        )

    async def mail(self, subject_ids: Collection[str] | None) -> list[MailRecord]:
        query: Document = (
            {} if subject_ids is None else {"subject_id": {"$in": sorted(subject_ids)}}
        )
        cursor = self._collection(MAIL).find(query, session=self._session)
        return [MailRecord(mail_id=d.pop("_id"), **d) async for d in cursor]

    async def _of(self, collection: str, partnership_ids: Collection[str] | None) -> list[Document]:
        query: Document = {}
        if partnership_ids is not None:
            query["partnership_id"] = {"$in": sorted(partnership_ids)}
        cursor = self._collection(collection).find(query, {"_id": 0}, session=self._session)
        return [d async for d in cursor]

    async def support(self, partnership_ids: Collection[str] | None) -> list[SupportRecord]:
        return [SupportRecord.model_validate(d) for d in await self._of(SUPPORT, partnership_ids)]

    async def case_studies(self, partnership_ids: Collection[str] | None) -> list[CaseStudyRecord]:
        found = await self._of(CASE_STUDIES, partnership_ids)
        return [CaseStudyRecord.model_validate(d) for d in found]

    async def activities(self, partnership_ids: Collection[str] | None) -> list[ActivityRecord]:
        """Those the partnerships run (every one when None)."""
        found = await self._of(ACTIVITIES, partnership_ids)
        return [ActivityRecord.model_validate(d) for d in found]

    async def activities_of_school(self, urn: str) -> list[ActivityRecord]:
        booked = await self._collection(BOOKINGS).distinct(
            "activity_id", {"urn": urn}, session=self._session
        )
        query = {"$or": [{"host_urn": urn}, {"activity_id": {"$in": sorted(booked)}}]}
        cursor = self._collection(ACTIVITIES).find(query, {"_id": 0}, session=self._session)
        return [ActivityRecord.model_validate(d) async for d in cursor]

    async def _of_activities(
        self, collection: str, activity_ids: Collection[str]
    ) -> list[Document]:
        query = {"activity_id": {"$in": sorted(activity_ids)}}
        cursor = self._collection(collection).find(query, {"_id": 0}, session=self._session)
        return [d async for d in cursor]

    async def bookings(self, activity_ids: Collection[str]) -> list[BookingRecord]:
        found = await self._of_activities(BOOKINGS, activity_ids)
        return [BookingRecord.model_validate(d) for d in found]

    async def evaluations(self, activity_ids: Collection[str]) -> list[EvaluationRecord]:
        found = await self._of_activities(EVALUATIONS, activity_ids)
        return [EvaluationRecord.model_validate(d) for d in found]


async def ensure_indexes(db: AsyncDatabase[Document], generation: Generation) -> None:
    await db[generation.collection(ACTIVITIES)].create_index("partnership_id")
    await db[generation.collection(ACTIVITIES)].create_index("host_urn")
    await db[generation.collection(BOOKINGS)].create_index("activity_id")
    await db[generation.collection(BOOKINGS)].create_index("urn")
    await db[generation.collection(EVALUATIONS)].create_index("activity_id")
    await db[generation.collection(SUPPORT)].create_index("partnership_id")
    await db[generation.collection(CASE_STUDIES)].create_index("partnership_id")
    await db[generation.collection(MAIL)].create_index("subject_id")
    for kind in WorkKind:
        await db[generation.collection(kind.value)].create_index("partnership_id")
