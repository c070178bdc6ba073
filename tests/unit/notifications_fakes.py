"""In-memory fakes of the notifications service's unit of work, repositories and mailer, for
handler tests. They implement the Protocols of services/notifications/service_layer/ports.py and
keep the promises of the Mongo adapters (services/notifications/adapters/repositories.py), without
I/O:

- every collection keeps JSON documents, so every load is a fresh copy, as from a database;
  writes are staged inside the `async with` block and reach the shared `Store` only on commit
  (leaving the block without commit discards them, like aborting the transaction); a commit whose
  documents another unit of work changed meanwhile raises Conflict, as a write conflict aborts a
  MongoDB transaction;
- `mailbox.queue` adds only the mails whose keys are new, leaves an existing key as it is whatever
  its state, and returns how many it added (the unique `_id` and `$setOnInsert`);
- `mailbox.save` replaces a stored mail, and does nothing for a key that is not stored;
- `mailbox.claim_due` takes the mails due at `now` (queued with `send_at` reached, failed with a
  `retry_at` reached, sending with an expired lease), oldest `send_at` first, at most `limit` (0:
  all, as Mongo's `limit(0)`), marks them sending until `lease_until` and counts the attempt;
- `mailbox.pending_about` is the queued and failed mails (as the adapter's query, whether or not a
  retry is due) about an activity, booking and/or person, whose rule starts with `rule_prefix`;
- `recipients.holding` is the people who hold a role today (the real date, as the adapter), by id;
  `describe`, `erase` and `set_hold` create the person if they are not known, `end_role` does not;
- `preferences.of` is the stored preferences, or the default ones (everything wanted);
- the FakeMailer records every message it was given and every one it delivered, and can be told
  to refuse an address for good (PermanentFailure) or for a while (TemporaryFailure).
"""

import copy
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from unit.fakes import FakeUnitOfWorkBase, Store

from contracts.activities import Session
from contracts.membership import HeldRole
from contracts.vocabulary import ActivityCategory, ActivityStatus, StaffRole
from eventkit.errors import Conflict
from services.notifications.domain.bookings import ActivityCopy, BookingCopy
from services.notifications.domain.mail import Mail, MailState
from services.notifications.domain.preferences import Preferences
from services.notifications.domain.recipients import Hold, Recipient
from services.notifications.service_layer.ports import PermanentFailure, TemporaryFailure
from services.notifications.settings import DEFAULT_REMINDERS

Document = dict[str, Any]
WRITE_CONFLICT = "another transaction wrote this document meanwhile"
PENDING = (MailState.QUEUED, MailState.DEFERRED, MailState.FAILED)
LIVE_BOOKINGS = ("awaiting_approval", "registered", "waitlisted", "offered")

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STARTS = NOW + timedelta(days=14)


class FakeTable:
    """One collection as this unit of work sees it: the stored documents, its writes on top."""

    def __init__(self, store: Store, name: str) -> None:
        self._stored = store.table(name)
        self._staged: dict[str, Document] = {}
        self._based_on: dict[str, Document | None] = {}

    def get(self, key: str) -> Document | None:
        doc = self._staged.get(key, self._stored.get(key))
        return copy.deepcopy(doc) if doc is not None else None

    def all(self) -> list[Document]:
        return [d for key in sorted({*self._stored, *self._staged}) if (d := self.get(key))]

    def put(self, key: str, doc: Document) -> None:
        self._based_on.setdefault(key, copy.deepcopy(self._stored.get(key)))
        self._staged[key] = copy.deepcopy(doc)

    def check_not_stale(self) -> None:
        for key, based_on in self._based_on.items():
            if self._stored.get(key) != based_on:
                raise Conflict(WRITE_CONFLICT)

    def write_staged(self) -> None:
        self._stored.update(copy.deepcopy(self._staged))


class FakeCollections:
    """What FakeUnitOfWorkBase commits: the staged tables. No aggregates, so no events of theirs."""

    def __init__(self, *tables: FakeTable) -> None:
        self._tables = tables
        self.seen: list[Any] = []

    def check_not_stale(self) -> None:
        for table in self._tables:
            table.check_not_stale()

    def write_staged(self) -> None:
        for table in self._tables:
            table.write_staged()


class FakeRecipients(FakeCollections):
    def __init__(self, store: Store) -> None:
        self._people = FakeTable(store, "recipients")
        self._memberships = FakeTable(store, "memberships")
        self._schools = FakeTable(store, "schools")
        super().__init__(self._people, self._memberships, self._schools)

    def _load(self, person_id: str) -> Recipient | None:
        doc = self._people.get(person_id)
        return Recipient.model_validate(doc) if doc else None

    def _store(self, recipient: Recipient) -> None:
        self._people.put(recipient.id, recipient.model_dump(mode="json"))

    def _upsert(self, person_id: str, **fields: Any) -> None:
        known = self._load(person_id) or Recipient(id=person_id)
        self._store(Recipient.model_validate({**known.model_dump(), **fields}))

    async def get(self, person_id: str) -> Recipient | None:
        return self._load(person_id)

    async def many(self, person_ids: Iterable[str]) -> list[Recipient]:
        return [r for p in person_ids if (r := self._load(p))]

    async def holding(
        self, role: StaffRole, *, urn: str | None = None, partnership_id: str | None = None
    ) -> list[str]:
        today = date.today()
        return [
            r.id
            for r in map(Recipient.model_validate, self._people.all())
            if r.holds(role, today, urn=urn, partnership_id=partnership_id)
        ]

    async def describe(self, person_id: str, *, name: str, email: str) -> None:
        known = self._load(person_id)
        if not (known and known.erased):
            self._upsert(person_id, name=name, email=email, erased=False)

    async def put_role(self, person_id: str, role: HeldRole) -> None:
        known = self._load(person_id) or Recipient(id=person_id)
        roles = [r for r in known.roles if r.role_id != role.role_id] + [role]
        self._store(known.model_copy(update={"roles": roles}))

    async def end_role(self, person_id: str, role_id: str, ended_on: date) -> None:
        known = self._load(person_id)
        if known is None or not any(r.role_id == role_id for r in known.roles):
            return
        roles = [
            r.model_copy(update={"ends_on": ended_on}) if r.role_id == role_id else r
            for r in known.roles
        ]
        self._store(known.model_copy(update={"roles": roles}))

    async def erase(self, person_id: str) -> None:
        self._upsert(person_id, name="", email="", erased=True, hold=None)

    async def set_hold(self, person_id: str, hold: Hold | None) -> None:
        self._upsert(person_id, hold=hold)

    async def held(self) -> list[Recipient]:
        return [r for r in map(Recipient.model_validate, self._people.all()) if r.hold]

    async def set_membership(self, partnership_id: str, urn: str, active: bool) -> None:
        doc = {"partnership_id": partnership_id, "urn": urn, "active": active}
        self._memberships.put(f"{partnership_id}/{urn}", doc)

    async def member_schools(self, partnership_id: str) -> set[str]:
        return {
            d["urn"]
            for d in self._memberships.all()
            if d["partnership_id"] == partnership_id and d["active"]
        }

    async def partnerships_of(self, recipient: Recipient) -> set[str]:
        current = [r for r in recipient.roles if r.current(date.today())]
        urns = {r.urn for r in current if r.urn}
        return {r.partnership_id for r in current if r.partnership_id} | {
            d["partnership_id"] for d in self._memberships.all() if d["urn"] in urns and d["active"]
        }

    async def holding_at_schools(
        self, roles: Iterable[StaffRole], urns: Iterable[str]
    ) -> list[str]:
        wanted, schools, today = set(roles), set(urns), date.today()
        return [
            r.id
            for r in map(Recipient.model_validate, self._people.all())
            if any(x.role in wanted and x.urn in schools and x.current(today) for x in r.roles)
        ]

    async def holding_anywhere(self, role: StaffRole) -> list[str]:
        today = date.today()
        return [
            r.id
            for r in map(Recipient.model_validate, self._people.all())
            if any(x.role == role and x.current(today) for x in r.roles)
        ]

    async def set_school_area(self, urn: str, la_code: str | None) -> None:
        self._schools.put(urn, {"la_code": la_code})

    async def county_officers_over(self, urns: Iterable[str]) -> list[str]:
        areas = {d["la_code"] for urn in urns if (d := self._schools.get(urn)) and d["la_code"]}
        return await self.county_officers_in(areas)

    async def county_officers_in(self, areas: set[str], *, whole: bool = False) -> list[str]:
        today = date.today()
        return sorted(
            r.id
            for r in map(Recipient.model_validate, self._people.all())
            if (r.county_is(areas, today) if whole else r.covers(areas, today))
        )


class FakeBookings(FakeCollections):
    def __init__(self, store: Store) -> None:
        self._activities = FakeTable(store, "activities")
        self._bookings = FakeTable(store, "bookings")
        super().__init__(self._activities, self._bookings)

    async def activity(self, activity_id: str) -> ActivityCopy | None:
        doc = self._activities.get(activity_id)
        return ActivityCopy.model_validate(doc) if doc else None

    async def activities(self, activity_ids: Iterable[str]) -> list[ActivityCopy]:
        return [a for i in activity_ids if (a := await self.activity(i))]

    async def bookings(self, booking_ids: Iterable[str]) -> list[BookingCopy]:
        return [b for i in booking_ids if (b := await self.booking(i))]

    async def describe_activity(self, activity: ActivityCopy) -> None:
        self._activities.put(activity.id, activity.model_dump(mode="json"))

    def _update_activity(self, activity_id: str, fields: Document) -> None:
        doc = self._activities.get(activity_id) or {"id": activity_id}
        updated = ActivityCopy.model_validate({**doc, **fields})
        self._activities.put(activity_id, updated.model_dump(mode="json"))

    async def reschedule(self, activity_id: str, sessions: list[Session], sequence: int) -> None:
        self._update_activity(activity_id, {"sessions": sessions, "sequence": sequence})

    async def cancel_activity(self, activity_id: str, sequence: int) -> None:
        self._update_activity(
            activity_id, {"status": ActivityStatus.CANCELLED, "sequence": sequence}
        )

    async def booking(self, booking_id: str) -> BookingCopy | None:
        doc = self._bookings.get(booking_id)
        return BookingCopy.model_validate(doc) if doc else None

    async def put_booking(self, booking: BookingCopy) -> None:
        self._bookings.put(booking.id, booking.model_dump(mode="json"))

    async def booked_on(self, activity_id: str) -> list[BookingCopy]:
        return [
            b
            for b in map(BookingCopy.model_validate, self._bookings.all())
            if b.activity_id == activity_id and b.status.value in LIVE_BOOKINGS
        ]


class FakeMailbox(FakeCollections):
    def __init__(self, store: Store) -> None:
        self._mail = FakeTable(store, "mail")
        super().__init__(self._mail)

    def _all(self) -> list[Mail]:
        return [Mail.model_validate(d) for d in self._mail.all()]

    def _put(self, mail: Mail) -> None:
        self._mail.put(mail.id, mail.model_dump(mode="json"))

    async def queue(self, mails: Iterable[Mail]) -> int:
        added = 0
        for mail in mails:
            if self._mail.get(mail.id) is None:
                self._put(mail)
                added += 1
        return added

    async def get(self, mail_id: str) -> Mail | None:
        doc = self._mail.get(mail_id)
        return Mail.model_validate(doc) if doc else None

    async def save(self, mail: Mail) -> None:
        if self._mail.get(mail.id) is not None:
            self._put(mail)

    async def claim_due(self, now: datetime, limit: int, lease_until: datetime) -> list[Mail]:
        def due(m: Mail) -> bool:
            at = {
                MailState.QUEUED: m.send_at,
                MailState.DEFERRED: m.send_at,
                MailState.FAILED: m.retry_at,
                MailState.SENDING: m.leased_until,
            }.get(m.state)
            return at is not None and at <= now

        found = sorted((m for m in self._all() if due(m)), key=lambda m: m.send_at)
        claimed = []
        for mail in found[:limit] if limit else found:
            mail.state, mail.leased_until = MailState.SENDING, lease_until
            mail.attempts += 1
            self._put(mail)
            claimed.append(mail.model_copy(deep=True))
        return claimed

    async def renew(self, mail: Mail, leased_until: datetime) -> bool:
        stored = await self.get(mail.id)
        if (
            stored is None
            or stored.state != MailState.SENDING
            or stored.leased_until != mail.leased_until
        ):
            return False
        stored.leased_until = mail.leased_until = leased_until
        self._put(stored)
        return True

    async def pending_about(
        self,
        *,
        activity_id: str | None = None,
        booking_id: str | None = None,
        person_id: str | None = None,
        rule_prefix: str = "",
    ) -> list[Mail]:
        return [
            m
            for m in self._all()
            if (
                m.state in (MailState.QUEUED, MailState.DEFERRED)
                or (m.state == MailState.FAILED and m.retry_at)
            )
            and (activity_id is None or m.activity_id == activity_id)
            and (booking_id is None or m.booking_id == booking_id)
            and (person_id is None or m.person_id == person_id)
            and m.rule.startswith(rule_prefix)
        ]

    async def of_person(self, person_id: str, limit: int) -> list[Mail]:
        found = sorted(
            (m for m in self._all() if m.person_id == person_id),
            key=lambda m: m.queued_at,
            reverse=True,
        )
        return found[:limit] if limit else found

    async def forget_person(self, person_id: str) -> None:
        for mail in self._all():
            if mail.person_id == person_id and mail.state in (*PENDING, MailState.SENDING):
                mail.state, mail.error = MailState.CANCELLED, "the person was erased"
                self._put(mail)


class FakePreferences(FakeCollections):
    def __init__(self, store: Store) -> None:
        self._preferences = FakeTable(store, "preferences")
        super().__init__(self._preferences)

    async def of(self, person_id: str) -> Preferences:
        doc = self._preferences.get(person_id)
        return Preferences.model_validate(doc) if doc else Preferences(person_id=person_id)

    async def save(self, preferences: Preferences) -> None:
        self._preferences.put(preferences.person_id, preferences.model_dump(mode="json"))

    async def of_many(self, person_ids: Iterable[str]) -> dict[str, Preferences]:
        return {p: await self.of(p) for p in person_ids}

    async def following(self, category: ActivityCategory) -> list[Preferences]:
        found = map(Preferences.model_validate, self._preferences.all())
        return [p for p in found if category in p.interests.categories]


class NotificationsFakeUnitOfWork(FakeUnitOfWorkBase):
    """Use like NotificationsUnitOfWork: `async with uow: ...; await uow.commit()`. Several over
    one Store behave like concurrent transactions on one database (e.g. two senders)."""

    recipients: FakeRecipients
    bookings: FakeBookings
    mailbox: FakeMailbox
    preferences: FakePreferences

    def _open_repositories(self) -> None:
        self.recipients = FakeRecipients(self.store)
        self.bookings = FakeBookings(self.store)
        self.mailbox = FakeMailbox(self.store)
        self.preferences = FakePreferences(self.store)

    def _repositories(self) -> tuple[Any, ...]:
        return (self.recipients, self.bookings, self.mailbox, self.preferences)

    # what is stored (committed), for assertions

    def mails(self, *, rule: str | None = None, person_id: str | None = None) -> list[Mail]:
        return [
            m
            for m in map(Mail.model_validate, self.store.table("mail").values())
            if (rule is None or m.rule == rule) and (person_id is None or m.person_id == person_id)
        ]

    def mail(self, mail_id: str) -> Mail:
        return Mail.model_validate(self.store.table("mail")[mail_id])

    def recipient(self, person_id: str) -> Recipient:
        return Recipient.model_validate(self.store.table("recipients")[person_id])


# -- the outside world ---------------------------------------------------------------------------


def address_of(message: EmailMessage) -> str:
    return parseaddr(str(message["To"]))[1]


class FakeMailer:
    """The SMTP relay. `tried` holds every message handed over, `sent` those it accepted."""

    def __init__(self) -> None:
        self.tried: list[EmailMessage] = []
        self.sent: list[EmailMessage] = []
        self._refusals: dict[str, tuple[Exception, int | None]] = {}
        self.before_send: Callable[[EmailMessage], Awaitable[None]] | None = None
        """Runs as each message is handed over, before it is accepted: a slow relay, meanwhile."""

    def refuse(self, address: str, *, permanent: bool, times: int | None = None) -> None:
        """Refuse mail to the address: for good (a 5xx), or `times` times (None: always)."""
        error: Exception = (
            PermanentFailure("550 5.1.1 mailbox unavailable")
            if permanent
            else TemporaryFailure("421 4.3.2 try again later")
        )
        self._refusals[address] = (error, times)

    async def send(self, message: EmailMessage) -> None:
        self.tried.append(message)
        if self.before_send is not None:
            await self.before_send(message)
        address = address_of(message)
        if address in self._refusals:
            error, times = self._refusals[address]
            if times is None or times > 0:
                self._refusals[address] = (error, None if times is None else times - 1)
                raise error
        self.sent.append(message)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.sent if address_of(m) == address]


# -- arranging a world ---------------------------------------------------------------------------

P1, P2 = "p1", "p2"
A, B = "100001", "100002"
SINCE = date(2020, 1, 1)


def reminder_leads(
    lead_seconds: dict[str, list[float]] | None = None,
) -> Callable[[str], list[timedelta]]:
    """The settings' per-format reminder lead times (the defaults: a week and a day before; a
    day before a TeachMeet), as NotificationsSettings.reminder_leads gives them."""
    table = lead_seconds if lead_seconds is not None else DEFAULT_REMINDERS

    def leads(activity_format: str) -> list[timedelta]:
        seconds = table.get(activity_format, table.get("default", []))
        return [timedelta(seconds=s) for s in seconds]

    return leads


def email(person_id: str) -> str:
    return f"{person_id}@school.example"


def role(
    person_id: str,
    staff_role: StaffRole,
    *,
    urn: str | None = None,
    partnership_id: str | None = None,
    since: date = SINCE,
    until: date | None = None,
) -> HeldRole:
    return HeldRole(
        role_id=f"{person_id}-{staff_role.value}-{urn or partnership_id}",
        role=staff_role,
        urn=urn,
        partnership_id=partnership_id,
        starts_on=since,
        ends_on=until,
    )


async def given_person(
    uow: NotificationsFakeUnitOfWork,
    person_id: str,
    *roles: HeldRole,
    name: str | None = None,
    address: str | None = None,
) -> None:
    async with uow:
        await uow.recipients.describe(
            person_id,
            name=name if name is not None else person_id.title(),
            email=address if address is not None else email(person_id),
        )
        for r in roles:
            await uow.recipients.put_role(person_id, r)
        await uow.commit()


def activity(activity_id: str = "act1", **changes: Any) -> ActivityCopy:
    starts = changes.pop("starts_at", STARTS)
    fields: dict[str, Any] = {
        "id": activity_id,
        "title": "Maths TeachMeet",
        "format": "cpd_course",
        "partnership_id": P1,
        "venue": "King's Ely, Ely",
        "sessions": [Session(starts_at=starts, ends_at=starts + timedelta(hours=2))],
        "sequence": 0,
    }
    fields.update(changes)
    return ActivityCopy.model_validate(fields)


async def given_activity(
    uow: NotificationsFakeUnitOfWork, activity_id: str = "act1", **changes: Any
) -> ActivityCopy:
    copy_ = activity(activity_id, **changes)
    async with uow:
        await uow.bookings.describe_activity(copy_)
        await uow.commit()
    return copy_


async def world() -> NotificationsFakeUnitOfWork:
    """Schools A and B, partnerships P1 and P2, and their people (all with an address):
    ann and bob teach at A, cat at B; hana is A's head and sian a senior leader there, hugo B's
    head; vic approves CPD at A, val at B; coco coordinates P1, cody P2, and olga coordinated P1
    until last year."""
    uow = NotificationsFakeUnitOfWork()
    S = StaffRole
    await given_person(uow, "ann", role("ann", S.TEACHER, urn=A))
    await given_person(uow, "bob", role("bob", S.TEACHER, urn=A))
    await given_person(uow, "cat", role("cat", S.TEACHER, urn=B))
    await given_person(uow, "hana", role("hana", S.HEAD, urn=A))
    await given_person(uow, "sian", role("sian", S.SENIOR_LEADER, urn=A))
    await given_person(uow, "hugo", role("hugo", S.HEAD, urn=B))
    await given_person(
        uow, "vic", role("vic", S.CPD_APPROVER, urn=A), role("vic", S.TEACHER, urn=A)
    )
    await given_person(uow, "val", role("val", S.CPD_APPROVER, urn=B))
    await given_person(uow, "coco", role("coco", S.COORDINATOR, partnership_id=P1))
    await given_person(uow, "cody", role("cody", S.COORDINATOR, partnership_id=P2))
    last_year = date.today() - timedelta(days=365)
    await given_person(uow, "olga", role("olga", S.COORDINATOR, partnership_id=P1, until=last_year))
    return uow
