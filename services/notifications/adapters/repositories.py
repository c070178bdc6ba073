"""The notifications service's MongoDB collections: recipients, activities and bookings (copies
from events), the mail outbox and preferences."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from contracts.activities import Session
from contracts.membership import HeldRole
from contracts.vocabulary import ActivityCategory, ActivityStatus, StaffRole
from services.notifications.domain.bookings import ActivityCopy, BookingCopy
from services.notifications.domain.mail import Mail, MailState
from services.notifications.domain.preferences import Preferences
from services.notifications.domain.recipients import Hold, Recipient

Db = AsyncDatabase[dict[str, Any]]
RECIPIENTS, MEMBERSHIPS, SCHOOLS, ACTIVITIES, BOOKINGS, MAIL, PREFERENCES = (
    "recipients",
    "memberships",
    "schools",
    "activities",
    "bookings",
    "mail",
    "preferences",
)
PENDING = {
    "$or": [
        {"state": {"$in": [MailState.QUEUED.value, MailState.DEFERRED.value]}},
        {"state": MailState.FAILED.value, "retry_at": {"$ne": None}},
    ]
}
"""Not sent yet and still to be tried: queued, deferred, or failed with a retry to come."""
UNSENT = [
    MailState.QUEUED.value,
    MailState.DEFERRED.value,
    MailState.FAILED.value,
    MailState.SENDING.value,
]
LIVE_BOOKINGS = ["awaiting_approval", "registered", "waitlisted", "offered"]


class _Collections:
    def __init__(self, db: Db, session: AsyncClientSession | None = None) -> None:
        self._db = db
        self._session = session

    async def _set(self, collection: str, key: str, fields: dict[str, Any]) -> None:
        await self._db[collection].update_one(
            {"_id": key}, {"$set": fields}, upsert=True, session=self._session
        )


class MongoRecipients(_Collections):
    async def get(self, person_id: str) -> Recipient | None:
        doc = await self._db[RECIPIENTS].find_one({"_id": person_id}, session=self._session)
        return Recipient.model_validate({**doc, "id": doc["_id"]}) if doc else None

    async def many(self, person_ids: Iterable[str]) -> list[Recipient]:
        query = {"_id": {"$in": list(person_ids)}}
        cursor = self._db[RECIPIENTS].find(query, session=self._session)
        return [Recipient.model_validate({**d, "id": d["_id"]}) async for d in cursor]

    async def holding(
        self, role: StaffRole, *, urn: str | None = None, partnership_id: str | None = None
    ) -> list[str]:
        place = {"urn": urn} if urn else {"partnership_id": partnership_id}
        query = {"roles": {"$elemMatch": {"role": role.value, **place}}}
        cursor = self._db[RECIPIENTS].find(query, session=self._session).sort("_id")
        today = date.today()
        found = [Recipient.model_validate({**d, "id": d["_id"]}) async for d in cursor]
        return [r.id for r in found if r.holds(role, today, urn=urn, partnership_id=partnership_id)]

    async def describe(self, person_id: str, *, name: str, email: str) -> None:
        """An erased person stays erased, whatever old contact is replayed (a dead letter)."""
        known = await self._db[RECIPIENTS].find_one({"_id": person_id}, session=self._session)
        if known and known.get("erased"):
            return
        await self._set(RECIPIENTS, person_id, {"name": name, "email": email, "erased": False})

    async def put_role(self, person_id: str, role: HeldRole) -> None:
        recipients = self._db[RECIPIENTS]
        await recipients.update_one(
            {"_id": person_id},
            {"$pull": {"roles": {"role_id": role.role_id}}},
            upsert=True,
            session=self._session,
        )
        await recipients.update_one(
            {"_id": person_id},
            {"$push": {"roles": role.model_dump(mode="json")}},
            session=self._session,
        )

    async def end_role(self, person_id: str, role_id: str, ended_on: date) -> None:
        await self._db[RECIPIENTS].update_one(
            {"_id": person_id, "roles.role_id": role_id},
            {"$set": {"roles.$.ends_on": ended_on.isoformat()}},
            session=self._session,
        )

    async def erase(self, person_id: str) -> None:
        await self._set(
            RECIPIENTS, person_id, {"name": "", "email": "", "erased": True, "hold": None}
        )

    async def set_hold(self, person_id: str, hold: Hold | None) -> None:
        await self._set(RECIPIENTS, person_id, {"hold": hold.model_dump() if hold else None})

    async def set_membership(self, partnership_id: str, urn: str, active: bool) -> None:
        key = f"{partnership_id}/{urn}"
        fields = {"partnership_id": partnership_id, "urn": urn, "active": active}
        await self._set(MEMBERSHIPS, key, fields)

    async def set_school_area(self, urn: str, la_code: str | None) -> None:
        await self._set(SCHOOLS, urn, {"la_code": la_code})

    async def county_officers_over(self, urns: Iterable[str]) -> list[str]:
        query = {"_id": {"$in": list(urns)}, "la_code": {"$ne": None}}
        cursor = self._db[SCHOOLS].find(query, session=self._session)
        return await self.county_officers_in({str(d["la_code"]) async for d in cursor})

    async def county_officers_in(self, areas: set[str], *, whole: bool = False) -> list[str]:
        officer = StaffRole.COUNTY_OFFICER
        found = (
            self._db[RECIPIENTS]
            .find(
                {
                    "roles": {
                        "$elemMatch": {
                            "role": officer.value,
                            "local_authorities": {"$in": list(areas)},
                        }
                    }
                },
                session=self._session,
            )
            .sort("_id")
        )
        today = date.today()
        return [
            r.id
            async for d in found
            if (r := Recipient.model_validate({**d, "id": d["_id"]}))
            and (r.county_is(areas, today) if whole else r.covers(areas, today))
        ]

    async def member_schools(self, partnership_id: str) -> set[str]:
        query = {"partnership_id": partnership_id, "active": True}
        cursor = self._db[MEMBERSHIPS].find(query, session=self._session)
        return {str(d["urn"]) async for d in cursor}

    async def partnerships_of(self, recipient: Recipient) -> set[str]:
        today = date.today()
        current = [r for r in recipient.roles if r.current(today)]
        found = {r.partnership_id for r in current if r.partnership_id}
        urns = [r.urn for r in current if r.urn]
        if urns:
            query = {"urn": {"$in": urns}, "active": True}
            cursor = self._db[MEMBERSHIPS].find(query, session=self._session)
            found |= {str(d["partnership_id"]) async for d in cursor}
        return found

    async def holding_at_schools(
        self, roles: Iterable[StaffRole], urns: Iterable[str]
    ) -> list[str]:
        wanted, schools, today = [r.value for r in roles], set(urns), date.today()
        # By role only, the schools matched here: a partnership of thousands of schools in an
        # `$in` inside `$elemMatch` costs the embedded database schools × people comparisons.
        query = {"roles.role": {"$in": wanted}}
        cursor = self._db[RECIPIENTS].find(query, session=self._session).sort("_id")
        found = [Recipient.model_validate({**d, "id": d["_id"]}) async for d in cursor]
        return [
            r.id
            for r in found
            if any(
                x.role.value in wanted and x.urn in schools and x.current(today) for x in r.roles
            )
        ]

    async def holding_anywhere(self, role: StaffRole) -> list[str]:
        cursor = self._db[RECIPIENTS].find({"roles.role": role.value}, session=self._session)
        found = [Recipient.model_validate({**d, "id": d["_id"]}) async for d in cursor]
        today = date.today()
        return sorted(
            r.id for r in found if any(x.role == role and x.current(today) for x in r.roles)
        )

    async def held(self) -> list[Recipient]:
        cursor = self._db[RECIPIENTS].find({"hold": {"$ne": None}}, session=self._session)
        return [Recipient.model_validate({**d, "id": d["_id"]}) async for d in cursor]


class MongoBookings(_Collections):
    async def activity(self, activity_id: str) -> ActivityCopy | None:
        doc = await self._db[ACTIVITIES].find_one({"_id": activity_id}, session=self._session)
        return ActivityCopy.model_validate({**doc, "id": doc["_id"]}) if doc else None

    async def activities(self, activity_ids: Iterable[str]) -> list[ActivityCopy]:
        query = {"_id": {"$in": list(activity_ids)}}
        cursor = self._db[ACTIVITIES].find(query, session=self._session)
        return [ActivityCopy.model_validate({**d, "id": d["_id"]}) async for d in cursor]

    async def bookings(self, booking_ids: Iterable[str]) -> list[BookingCopy]:
        query = {"_id": {"$in": list(booking_ids)}}
        cursor = self._db[BOOKINGS].find(query, session=self._session)
        return [BookingCopy.model_validate({**d, "id": d["_id"]}) async for d in cursor]

    async def describe_activity(self, activity: ActivityCopy) -> None:
        await self._set(ACTIVITIES, activity.id, activity.model_dump(mode="json", exclude={"id"}))

    async def reschedule(self, activity_id: str, sessions: list[Session], sequence: int) -> None:
        fields = {"sessions": [s.model_dump(mode="json") for s in sessions], "sequence": sequence}
        await self._set(ACTIVITIES, activity_id, fields)

    async def cancel_activity(self, activity_id: str, sequence: int) -> None:
        fields = {"status": ActivityStatus.CANCELLED.value, "sequence": sequence}
        await self._set(ACTIVITIES, activity_id, fields)

    async def booking(self, booking_id: str) -> BookingCopy | None:
        doc = await self._db[BOOKINGS].find_one({"_id": booking_id}, session=self._session)
        return BookingCopy.model_validate({**doc, "id": doc["_id"]}) if doc else None

    async def put_booking(self, booking: BookingCopy) -> None:
        await self._set(BOOKINGS, booking.id, booking.model_dump(mode="json", exclude={"id"}))

    async def booked_on(self, activity_id: str) -> list[BookingCopy]:
        cursor = (
            self._db[BOOKINGS]
            .find(
                {"activity_id": activity_id, "status": {"$in": LIVE_BOOKINGS}},
                session=self._session,
            )
            .sort("_id")
        )
        return [BookingCopy.model_validate({**d, "id": d["_id"]}) async for d in cursor]


def _mail_doc(mail: Mail) -> dict[str, Any]:
    doc = mail.model_dump(mode="json", exclude={"id"})
    for field in ("send_at", "queued_at", "retry_at", "leased_until", "sent_at"):
        doc[field] = getattr(mail, field)  # BSON dates, for the queries that compare them
    return {"_id": mail.id, **doc}


def _mail(doc: dict[str, Any]) -> Mail:
    return Mail.model_validate({**doc, "id": doc["_id"]})


class MongoMailbox(_Collections):
    async def queue(self, mails: Iterable[Mail]) -> int:
        writes = [
            UpdateOne({"_id": m.id}, {"$setOnInsert": _mail_doc(m)}, upsert=True) for m in mails
        ]
        if not writes:
            return 0
        result = await self._db[MAIL].bulk_write(writes, ordered=True, session=self._session)
        return result.upserted_count

    async def get(self, mail_id: str) -> Mail | None:
        doc = await self._db[MAIL].find_one({"_id": mail_id}, session=self._session)
        return _mail(doc) if doc else None

    async def save(self, mail: Mail) -> None:
        await self._db[MAIL].replace_one({"_id": mail.id}, _mail_doc(mail), session=self._session)

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[Mail]:
        due = {
            "$or": [
                {"state": MailState.QUEUED.value, "send_at": {"$lte": now}},
                {"state": MailState.DEFERRED.value, "send_at": {"$lte": now}},
                {"state": MailState.FAILED.value, "retry_at": {"$lte": now}},
                {"state": MailState.SENDING.value, "leased_until": {"$lte": now}},
            ]
        }
        docs = (
            await self._db[MAIL]
            .find(due, session=self._session)
            .sort("send_at")
            .limit(limit)
            .to_list()
        )
        claimed = []
        for doc in docs:
            result = await self._db[MAIL].update_one(
                {"_id": doc["_id"], "state": doc["state"], "leased_until": doc.get("leased_until")},
                {
                    "$set": {"state": MailState.SENDING.value, "leased_until": lease_until},
                    "$inc": {"attempts": 1},
                },
                session=self._session,
            )
            if result.modified_count:
                claimed.append(
                    _mail(
                        {
                            **doc,
                            "state": MailState.SENDING.value,
                            "leased_until": lease_until,
                            "attempts": doc.get("attempts", 0) + 1,
                        }
                    )
                )
        return claimed

    async def renew(self, mail: Mail, leased_until: datetime) -> bool:
        result = await self._db[MAIL].update_one(
            {"_id": mail.id, "state": MailState.SENDING.value, "leased_until": mail.leased_until},
            {"$set": {"leased_until": leased_until}},
            session=self._session,
        )
        if result.modified_count == 1:
            mail.leased_until = leased_until
            return True
        return False

    async def pending_about(
        self,
        *,
        activity_id: str | None = None,
        booking_id: str | None = None,
        person_id: str | None = None,
        rule_prefix: str = "",
    ) -> list[Mail]:
        query: dict[str, Any] = {**PENDING}
        for field, value in (
            ("activity_id", activity_id),
            ("booking_id", booking_id),
            ("person_id", person_id),
        ):
            if value is not None:
                query[field] = value
        if rule_prefix:
            query["rule"] = {"$regex": f"^{rule_prefix}"}
        return [
            _mail(d) async for d in self._db[MAIL].find(query, session=self._session).sort("_id")
        ]

    async def of_person(self, person_id: str, limit: int) -> list[Mail]:
        cursor = self._db[MAIL].find({"person_id": person_id}, session=self._session)
        return [_mail(d) async for d in cursor.sort("queued_at", DESCENDING).limit(limit)]

    async def forget_person(self, person_id: str) -> None:
        await self._db[MAIL].update_many(
            {"person_id": person_id, "error": {"$ne": None}},
            {"$set": {"error": "(erased with the person)"}},
            session=self._session,
        )
        await self._db[MAIL].update_many(
            {"person_id": person_id, "state": {"$in": UNSENT}},
            {"$set": {"state": MailState.CANCELLED.value, "error": "the person was erased"}},
            session=self._session,
        )


class MongoPreferences(_Collections):
    async def of(self, person_id: str) -> Preferences:
        doc = await self._db[PREFERENCES].find_one({"_id": person_id}, session=self._session)
        return (
            Preferences.model_validate({**doc, "person_id": person_id})
            if doc
            else Preferences(person_id=person_id)
        )

    async def of_many(self, person_ids: Iterable[str]) -> dict[str, Preferences]:
        wanted = list(person_ids)
        cursor = self._db[PREFERENCES].find({"_id": {"$in": wanted}}, session=self._session)
        found = {
            d["_id"]: Preferences.model_validate({**d, "person_id": d["_id"]}) async for d in cursor
        }
        return {p: found.get(p) or Preferences(person_id=p) for p in wanted}

    async def save(self, preferences: Preferences) -> None:
        fields = preferences.model_dump(mode="json", exclude={"person_id"})
        await self._set(PREFERENCES, preferences.person_id, fields)

    async def following(self, category: ActivityCategory) -> list[Preferences]:
        query = {"interests.categories": category.value}
        cursor = self._db[PREFERENCES].find(query, session=self._session).sort("_id")
        return [Preferences.model_validate({**d, "person_id": d["_id"]}) async for d in cursor]


async def ensure_indexes(db: Db) -> None:
    await db[RECIPIENTS].create_index("roles.urn")
    await db[RECIPIENTS].create_index("roles.partnership_id")
    await db[MEMBERSHIPS].create_index("urn")
    await db[MEMBERSHIPS].create_index("partnership_id")
    await db[PREFERENCES].create_index("interests.categories")
    await db[BOOKINGS].create_index("activity_id")
    await db[MAIL].create_index([("state", ASCENDING), ("send_at", ASCENDING)])
    await db[MAIL].create_index([("person_id", ASCENDING), ("queued_at", DESCENDING)])
    await db[MAIL].create_index("activity_id")
    await db[MAIL].create_index("booking_id")
