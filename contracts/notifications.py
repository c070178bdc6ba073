"""Events of the notifications service, on `partnerships.notifications.v1`: what was sent to
whom and addresses that refuse mail (keyed by person id, ids only), webhook deliveries and
disabled endpoints (keyed by subscription id)."""

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from contracts.envelope import IntegrationEvent
from contracts.topics import NOTIFICATIONS, Topic


class _NotificationEvent(IntegrationEvent):
    topic: ClassVar[Topic] = NOTIFICATIONS
    person_id: str

    def aggregate_id(self) -> str:
        return self.person_id


class MessageSent(_NotificationEvent):
    """A mail went to the person's address (the SMTP server took it)."""

    type: ClassVar[str] = "notifications.message_sent.v1"
    mail_id: str
    rule: str
    category: str
    subject_id: str
    sent_at: datetime


class AddressHeld(_NotificationEvent):
    """The person's address refused mail for good: no more goes to it until an officer clears
    the hold."""

    type: ClassVar[str] = "notifications.address_held.v1"
    mail_id: str
    held_at: datetime
    subject_id: str | None = Field(None, description="The record the refused mail was about")


class AddressReleased(_NotificationEvent):
    type: ClassVar[str] = "notifications.address_released.v1"
    released_at: datetime


class _WebhookEvent(IntegrationEvent):
    topic: ClassVar[Topic] = NOTIFICATIONS
    subscription_id: str

    def aggregate_id(self) -> str:
        return self.subscription_id


class WebhookDelivered(_WebhookEvent):
    """An event reached a council system's endpoint (it answered 2xx)."""

    type: ClassVar[str] = "notifications.webhook_delivered.v1"
    delivery_id: str
    event_id: str
    delivered_at: datetime
    attempts: int


class WebhookEndpointDisabled(_WebhookEvent):
    """An endpoint answered 410 Gone or kept failing: nothing more goes to it."""

    type: ClassVar[str] = "notifications.webhook_endpoint_disabled.v1"
    disabled_at: datetime
    reason: str


EVENTS: tuple[type[IntegrationEvent], ...] = (
    MessageSent,
    AddressHeld,
    AddressReleased,
    WebhookDelivered,
    WebhookEndpointDisabled,
)
