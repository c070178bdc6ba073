"""The sender: mails that are due go out one by one, each recorded as it ends; a person's mail
of a category they take as a daily or weekly digest waits for it and goes in one message, and
what may wait waits for the end of their quiet hours (critical mail does neither).

A mail is claimed (sending, with a lease) in one transaction, sent outside any, and its outcome
stored in another, so a restart resumes where it stopped: a mail whose sender died is claimed
again when its lease runs out. What is checked as each batch begins (people, preferences,
holds, read once for the batch: a second or two before the message goes): the person may have
been erased, put on hold, or have turned this kind of mail off.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog

from contracts import notifications as events
from services.notifications.domain.bookings import ActivityCopy, BookingCopy
from services.notifications.domain.mail import Mail, MailState
from services.notifications.domain.preferences import Preferences
from services.notifications.domain.recipients import Hold, Recipient
from services.notifications.service_layer.ports import (
    Composer,
    Mailer,
    PermanentFailure,
    TemporaryFailure,
    UnitOfWork,
)

log = structlog.get_logger(__name__)
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Sender:
    mailer: Mailer
    composer: Composer
    batch_size: int
    retry_seconds: list[float]
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    concurrency: int = 1
    unit_of_work: Callable[[], UnitOfWork] | None = None
    """With more than one at a time, each message gets a unit of work of its own from here."""

    async def send_due(self, uow: UnitOfWork, now: datetime | None = None) -> int:
        """Send what is due (a person's digest mail together); return how many mails went."""
        started = now or self.clock()
        async with uow:
            due = await uow.mailbox.claim_due(started, self.batch_size, started + LEASE)
            await uow.commit()
        if not due:
            return 0
        known = await Known.read(uow, due)
        messages: list[tuple[list[Mail], bool]] = [([m], False) for m in due if not m.digest]
        digests: dict[str, list[Mail]] = {}
        for mail in due:
            if mail.digest:
                digests.setdefault(mail.person_id, []).append(mail)
        messages += [(mails, True) for mails in digests.values()]
        if self.concurrency <= 1 or self.unit_of_work is None:
            return sum(
                [
                    await self._deliver(uow, m, known, now or self.clock(), digest=d)
                    for m, d in messages
                ]
            )
        slots = asyncio.Semaphore(self.concurrency)
        make = self.unit_of_work

        async def deliver(mails: list[Mail], digest: bool) -> int:
            async with slots:
                return await self._deliver(make(), mails, known, now or self.clock(), digest=digest)

        return sum(await asyncio.gather(*(deliver(m, d) for m, d in messages)))

    async def _deliver(
        self,
        uow: UnitOfWork,
        claimed: list[Mail],
        known: "Known",
        now: datetime,
        *,
        digest: bool = False,
    ) -> int:
        """One message: a mail on its own, or one person's digest of several."""
        mails = claimed
        if any(m.leased_until is None or now >= m.leased_until - LEASE / 2 for m in claimed):
            # A batch that has run half its lease renews it as each mail's turn comes: one
            # another sender took over (the batch outlived the lease) is left to it.
            async with uow:
                mails = [m for m in claimed if await uow.mailbox.renew(m, now + LEASE)]
                await uow.commit()
        if not mails:
            return 0
        person_id = mails[0].person_id
        recipient = known.recipients.get(person_id)
        preferences = known.preferences[person_id]
        about = [
            (
                known.activities.get(m.activity_id or ""),
                known.bookings.get(m.booking_id or ""),
            )
            for m in mails
        ]
        if recipient is None or not recipient.reachable:
            why = "no address for this person (erased, or not known)"
            return await self._end(uow, mails, MailState.CANCELLED, now, why)
        if recipient.hold is not None:
            why = f"the address is on hold: {recipient.hold.reason}"
            return await self._end(uow, mails, MailState.HELD, now, why)
        unwanted = [m for m in mails if not preferences.wants(m.category, critical=m.critical)]
        for mail in unwanted:
            await self._end(
                uow, [mail], MailState.CANCELLED, now, f"{mail.category.value} mail is turned off"
            )
        wanted = [(m, a) for m, a in zip(mails, about, strict=True) if m not in unwanted]
        if not wanted:
            return 0  # an empty digest is never sent
        if not any(m.critical for m, _ in wanted):
            if not digest and (at := preferences.digest_at(wanted[0][0].category, now)):
                return await self._defer(uow, [m for m, _ in wanted], at, digest=True)
            if quiet := preferences.quiet_until(now):
                return await self._defer(uow, [m for m, _ in wanted], quiet)
        try:
            if digest:
                items = [(m, activity, booking) for m, (activity, booking) in wanted]
                message = self.composer.digest(items, recipient, known.names(), now=now)
            else:
                [(mail, (activity, booking))] = wanted
                message = self.composer.message(
                    mail, recipient, activity, booking, known.names(), now=now
                )
        except Exception as exc:  # a template that cannot be written for it: no retry helps
            log.exception("mail.unwritable", mail_ids=[m.id for m, _ in wanted])
            why = f"could not be written: {exc}"[:500]
            return await self._end(uow, [m for m, _ in wanted], MailState.FAILED, now, why)
        sending = [m for m, _ in wanted]
        for mail in sending:
            mail.subject_line = str(message["Subject"])
            mail.digest_id = str(message["X-Partnerships-Mail"]) if digest else None
        try:
            await self.mailer.send(message)
        except PermanentFailure as exc:
            hold = Hold(since=now, reason=str(exc)[:200])
            known.recipients[person_id] = recipient.model_copy(update={"hold": hold})
            async with uow:
                await uow.recipients.set_hold(person_id, hold)
                uow.record(
                    [
                        events.AddressHeld(
                            person_id=person_id,
                            mail_id=sending[0].id,
                            held_at=now,
                            subject_id=sending[0].subject_id,
                        )
                    ]
                )
                await uow.commit()
            return await self._end(
                uow, sending, MailState.HELD, now, f"refused for good: {exc}"[:500]
            )
        except TemporaryFailure as exc:
            log.warning("mail.failed", mail_ids=[m.id for m in sending], error=str(exc))
            for mail in sending:
                mail.failed(str(exc), now, self.retry_seconds)
                await self._store(uow, mail)
            return 0
        return await self._end(uow, sending, MailState.SENT, now)

    async def _end(
        self,
        uow: UnitOfWork,
        mails: list[Mail],
        state: MailState,
        now: datetime,
        why: str | None = None,
    ) -> int:
        for mail in mails:
            mail.finished(state, now, why)
            await self._store(uow, mail)
            log.info("mail.done", mail_id=mail.id, rule=mail.rule, state=state.value)
        return len(mails) if state == MailState.SENT else 0

    async def _defer(
        self, uow: UnitOfWork, mails: list[Mail], until: datetime, *, digest: bool = False
    ) -> int:
        for mail in mails:
            mail.defer(until, digest=digest)
            await self._store(uow, mail)
        return 0

    async def _store(self, uow: UnitOfWork, mail: Mail) -> None:
        async with uow:
            await uow.mailbox.save(mail)
            if mail.state == MailState.SENT and mail.sent_at:
                uow.record(
                    [
                        events.MessageSent(
                            mail_id=mail.id,
                            rule=mail.rule,
                            person_id=mail.person_id,
                            category=mail.category.value,
                            subject_id=mail.subject_id,
                            sent_at=mail.sent_at,
                        )
                    ]
                )
            await uow.commit()


@dataclass
class Known:
    """What a batch of mail is about, read once for the whole batch."""

    recipients: dict[str, Recipient]
    preferences: dict[str, Preferences]
    activities: dict[str, ActivityCopy]
    bookings: dict[str, BookingCopy]

    @classmethod
    async def read(cls, uow: UnitOfWork, mails: list[Mail]) -> "Known":
        """With the people booked and the people a mail is about (`person_id` of its facts) as
        well as the recipients: an approver is told who asked, a coordinator who answered."""
        async with uow:
            activities = await uow.bookings.activities(
                {m.activity_id for m in mails if m.activity_id}
            )
            bookings = await uow.bookings.bookings({m.booking_id for m in mails if m.booking_id})
            recipients = {m.person_id for m in mails}
            people = recipients | {b.person_id for b in bookings if b.person_id}
            people |= {str(m.facts["person_id"]) for m in mails if m.facts.get("person_id")}
            return cls(
                {r.id: r for r in await uow.recipients.many(people)},
                await uow.preferences.of_many(recipients),
                {a.id: a for a in activities},
                {b.id: b for b in bookings},
            )

    def names(self) -> dict[str, str]:
        return {r.id: r.name for r in self.recipients.values() if not r.erased}
