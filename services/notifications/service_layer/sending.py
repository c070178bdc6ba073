"""The sender: mails that are due go out one by one, each recorded as it ends.

A mail is claimed (sending, with a lease) in one transaction, sent outside any, and its outcome
stored in another, so a restart resumes where it stopped: a mail whose sender died is claimed
again when its lease runs out. What is checked at the last moment: the person may have been
erased, put on hold, or have turned this kind of mail off.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog

from contracts import notifications as events
from services.notifications.domain.mail import Mail, MailState
from services.notifications.domain.recipients import Hold
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

    async def send_due(self, uow: UnitOfWork, now: datetime | None = None) -> int:
        """Send what is due; return how many were sent."""
        started = now or self.clock()
        async with uow:
            due = await uow.mailbox.claim_due(started, self.batch_size, started + LEASE)
            await uow.commit()
        sent = 0
        for mail in due:
            sent += await self._send(uow, mail, self.clock() if now is None else now)
        return sent

    async def _send(self, uow: UnitOfWork, mail: Mail, now: datetime) -> int:
        async with uow:
            # Each mail's lease is renewed as its turn comes: one another sender took over (the
            # batch outlived the lease) is left to it, so it is not sent twice.
            if not await uow.mailbox.renew(mail, now + LEASE):
                return 0
            await uow.commit()
        async with uow:
            recipient = await uow.recipients.get(mail.person_id)
            activity = await uow.bookings.activity(mail.activity_id) if mail.activity_id else None
            booking = await uow.bookings.booking(mail.booking_id) if mail.booking_id else None
            preferences = await uow.preferences.of(mail.person_id)
        outcome: tuple[MailState, str | None]
        if recipient is None or not recipient.reachable:
            outcome = (MailState.CANCELLED, "no address for this person (erased, or not known)")
        elif recipient.hold is not None:
            outcome = (MailState.HELD, f"the address is on hold: {recipient.hold.reason}")
        elif not preferences.wants(mail.category, critical=mail.critical):
            outcome = (MailState.CANCELLED, f"{mail.category.value} mail is turned off")
        else:
            try:
                message = self.composer.message(mail, recipient, activity, booking, now=now)
            except Exception as exc:  # a template that cannot be written for it: no retry helps
                log.exception("mail.unwritable", mail_id=mail.id, rule=mail.rule)
                mail.finished(MailState.FAILED, now, f"could not be written: {exc}"[:500])
                await self._store(uow, mail)
                return 0
            mail.subject_line = str(message["Subject"])
            try:
                await self.mailer.send(message)
                outcome = (MailState.SENT, None)
            except PermanentFailure as exc:
                outcome = (MailState.HELD, f"refused for good: {exc}"[:500])
                async with uow:
                    await uow.recipients.set_hold(
                        mail.person_id, Hold(since=now, reason=str(exc)[:200])
                    )
                    uow.record(
                        [events.AddressHeld(person_id=mail.person_id, mail_id=mail.id, held_at=now)]
                    )
                    await uow.commit()
            except TemporaryFailure as exc:
                mail.failed(str(exc), now, self.retry_seconds)
                log.warning("mail.failed", mail_id=mail.id, attempts=mail.attempts, error=str(exc))
                await self._store(uow, mail)
                return 0
        mail.finished(outcome[0], now, outcome[1])
        await self._store(uow, mail)
        log.info("mail.done", mail_id=mail.id, rule=mail.rule, state=mail.state.value)
        return int(mail.state == MailState.SENT)

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
