"""A mail in the mail outbox: queued by a rule for one person about one thing, sent once.

Its id is its permanent key: (rule, recipient, subject, occurrence). Whatever delivers the
event that caused it again (a redelivery, a replay from offset 0, a restart), the same key is
the same mail, so it is sent at most once.
"""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from services.notifications.domain.preferences import Category


class MailState(StrEnum):
    QUEUED = "queued"  # to send at `send_at`
    DEFERRED = "deferred"  # waiting until `send_at`: the end of quiet hours, or its digest
    SENDING = "sending"  # claimed by the sender until `leased_until`
    SENT = "sent"
    FAILED = "failed"  # tried again at `retry_at`; with none, failed for good
    HELD = "held"  # the address refused mail for good, or is on hold
    CANCELLED = "cancelled"  # no longer wanted: unsubscribed, erased, superseded, too late


class Calendar(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


def mail_key(rule: str, person_id: str, subject: str, occurrence: str = "") -> str:
    return f"{rule}:{person_id}:{subject}:{occurrence}"


class Mail(BaseModel):
    id: str = Field(description="The permanent key: rule, recipient, subject, occurrence")
    rule: str = Field(description="What made it, and its template")
    person_id: str
    subject_id: str = Field(description="The record it is about (a booking, an activity ...)")
    category: Category
    critical: bool = False
    activity_id: str | None = None
    booking_id: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict, description="Values the template shows")
    calendar: Calendar | None = None
    state: MailState = MailState.QUEUED
    send_at: datetime
    queued_at: datetime
    attempts: int = 0
    retry_at: datetime | None = None
    leased_until: datetime | None = None
    sent_at: datetime | None = None
    subject_line: str | None = Field(None, description="As sent")
    digest: bool = Field(False, description="Goes in the person's digest, not on its own")
    digest_id: str | None = Field(None, description="The digest it went in")
    error: str | None = None

    def failed(self, error: str, now: datetime, waits: list[float]) -> None:
        """A temporary failure: tried again after the next wait, or failed for good."""
        self.state, self.error, self.leased_until = MailState.FAILED, error[:500], None
        more = self.attempts <= len(waits)
        self.retry_at = now + timedelta(seconds=waits[self.attempts - 1]) if more else None

    def defer(self, until: datetime, *, digest: bool = False) -> None:
        self.state, self.send_at, self.leased_until = MailState.DEFERRED, until, None
        self.digest = self.digest or digest

    def finished(self, state: MailState, now: datetime, error: str | None = None) -> None:
        self.state, self.error, self.leased_until, self.retry_at = state, error, None, None
        if state == MailState.SENT:
            self.sent_at = now
