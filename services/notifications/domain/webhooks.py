"""Webhook subscriptions of other council systems, and each delivery of an event to one.

A delivery's id is its permanent key (subscription, CloudEvents id): the same event delivered
again to the consumer, or a replay of the topic, is the same delivery, sent once; only an
officer's replay sends it again, on purpose.
"""

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class DeliveryState(StrEnum):
    PENDING = "pending"  # to try at `next_attempt_at`
    DELIVERED = "delivered"
    FAILED = "failed"  # every attempt of the schedule failed
    ABANDONED = "abandoned"  # its endpoint was disabled


class Subscription(BaseModel):
    id: str
    url: str
    event_types: list[str] = Field(description="CloudEvents types; empty: every type")
    partnership_ids: list[str] = Field(
        description="Only events of these partnerships (by `partnership_id`); empty: all"
    )
    secret: str = Field(description="Standard Webhooks secret (`whsec_...`)")
    created_at: datetime
    created_by: str
    disabled_at: datetime | None = None
    disabled_reason: str | None = None
    failing_since: datetime | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def wants(self, event_type: str, data: dict[str, Any]) -> bool:
        if self.event_types and event_type not in self.event_types:
            return False
        if self.partnership_ids:
            return data.get("partnership_id") in self.partnership_ids
        return True


class Attempt(BaseModel):
    at: datetime
    status: int | None = Field(description="The HTTP status; none when no answer came")
    error: str | None = None
    ms: float


class Delivery(BaseModel):
    id: str
    subscription_id: str
    event_id: str
    event_type: str
    event_time: datetime
    body: str = Field(description="The CloudEvent in structured JSON, exactly as sent")
    state: DeliveryState = DeliveryState.PENDING
    next_attempt_at: datetime | None
    created_at: datetime
    attempts: list[Attempt] = Field(default_factory=list)

    def tried(
        self, attempt: Attempt, now: datetime, waits: list[float], retry_after: float | None
    ) -> None:
        """Record an attempt that failed: the next one after the schedule's wait (or the
        endpoint's Retry-After, if longer), or failed for good."""
        self.attempts = [*self.attempts, attempt]
        if len(self.attempts) >= len(waits) + 1:
            self.state, self.next_attempt_at = DeliveryState.FAILED, None
            return
        wait = max(waits[len(self.attempts) - 1], retry_after or 0)
        self.next_attempt_at = now + timedelta(seconds=wait)


def delivery_key(subscription_id: str, event_id: str) -> str:
    return f"{subscription_id}:{event_id}"
