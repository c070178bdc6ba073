"""Webhooks for other council systems: subscriptions managed by county officers, every event of
the topics they asked for delivered once per subscription, signed after the Standard Webhooks
specification, retried on a schedule, and an endpoint that keeps failing disabled.

Each subscription's deliveries go out on their own task, so a slow or dead endpoint delays no
other subscriber, and no mail (the mail sender is a sweep of its own).
"""

import asyncio
import json
import secrets
import time
import uuid
from base64 import b64encode
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog

from contracts import notifications as events
from contracts.envelope import Envelope
from contracts.registry import EVENT_TYPES
from contracts.topics import EVENTS, MEMBERSHIP, NOTIFICATIONS, REPORTING
from eventkit.auth import Principal
from eventkit.errors import Invalid, NotFound
from services.notifications.domain.webhooks import (
    Attempt,
    Delivery,
    DeliveryState,
    Subscription,
    delivery_key,
)
from services.notifications.service_layer import access
from services.notifications.service_layer.ports import (
    Answer,
    Destinations,
    Poster,
    Signer,
    UnitOfWork,
)

log = structlog.get_logger(__name__)


NOT_DELIVERED = frozenset({events.WebhookDelivered.type})
"""Not sent by webhook: each such delivery would make another event like it, without end."""


MOST_REPLAYED = 1000
TOPICS = (MEMBERSHIP, EVENTS, NOTIFICATIONS, REPORTING)
"""What council systems may subscribe to: every topic but the people topic."""


def structured(envelope: Envelope) -> str:
    """The CloudEvent in structured JSON mode (CloudEvents 1.0 JSON format)."""
    document = {
        "specversion": "1.0",
        "id": envelope.id,
        "source": envelope.source,
        "type": envelope.type,
        "time": envelope.time.isoformat(),
        "subject": envelope.subject,
        "datacontenttype": "application/json",
        "data": envelope.event.public_data(),  # events no longer published named people
    }
    for name, value in (
        ("correlationid", envelope.correlation_id),
        ("causationid", envelope.causation_id),
        ("actor", envelope.actor),
    ):
        if value:
            document[name] = value
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


async def subscribe(
    uow: UnitOfWork,
    principal: Principal,
    destinations: Destinations,
    *,
    url: str,
    event_types: Sequence[str],
    partnership_ids: Sequence[str],
    now: datetime,
) -> Subscription:
    access.require_county_officer(principal, "manage webhooks")
    deliverable = {t for t, c in EVENT_TYPES.items() if c.topic in TOPICS} - NOT_DELIVERED
    unknown = sorted(set(event_types) - deliverable)
    if unknown:
        raise Invalid(f"no such event type: {unknown[0][:64]}")
    if refusal := await destinations.refusal(url):
        raise Invalid(refusal)
    subscription = Subscription(
        id=uuid.uuid4().hex[:12],
        url=url,
        event_types=sorted(set(event_types)),
        partnership_ids=sorted(set(partnership_ids)),
        secret="whsec_" + b64encode(secrets.token_bytes(24)).decode(),
        created_at=now,
        created_by=principal.actor,
    )
    async with uow:
        await uow.webhooks.add(subscription)
        await uow.commit()
    return subscription


async def queue_deliveries(envelopes: list[Envelope], uow: UnitOfWork) -> None:
    """Consumer handler: a delivery for every active subscription that wants each event."""
    subscriptions = [s for s in await uow.webhooks.all() if s.active]
    deliveries = []
    now = datetime.now(UTC)
    for envelope in envelopes:
        if envelope.type in NOT_DELIVERED:
            continue
        data = envelope.event.public_data()
        for subscription in subscriptions:
            if subscription.wants(envelope.type, data):
                deliveries.append(
                    Delivery(
                        id=delivery_key(subscription.id, envelope.id),
                        subscription_id=subscription.id,
                        event_id=envelope.id,
                        event_type=envelope.type,
                        event_time=envelope.time,
                        body=structured(envelope),
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
    await uow.webhooks.queue(deliveries)


@dataclass(frozen=True)
class Deliverer:
    """Every active subscription's due deliveries, each subscription on a task of its own."""

    poster: Poster
    signer: Signer
    destinations: Destinations
    retry_seconds: list[float]
    disable_after: timedelta
    batch_size: int = 50
    round_seconds: float = 2.0
    """How long one round gives a subscription: a slow endpoint gives way to the others' next
    round after this (and at most one request's timeout)."""

    async def deliver_due(self, uow_factory: Callable[[], UnitOfWork]) -> int:
        async with (uow := uow_factory()):
            subscriptions = [s for s in await uow.webhooks.all() if s.active]
        done = await asyncio.gather(*(self._deliver(uow_factory, s) for s in subscriptions))
        return sum(done)

    async def _deliver(
        self, uow_factory: Callable[[], UnitOfWork], subscription: Subscription
    ) -> int:
        now = datetime.now(UTC)
        async with (uow := uow_factory()):
            due = await uow.webhooks.due(subscription.id, now, self.batch_size)
        delivered = 0
        started = time.monotonic()
        for delivery in due:
            if time.monotonic() - started > self.round_seconds:
                break  # the rest in the next round
            outcome = await self._attempt(subscription, delivery)
            async with (uow := uow_factory()):
                current = await uow.webhooks.get(subscription.id)
                if current is None or not current.active:
                    return delivered
                subscription = await self._record(uow, current, delivery, outcome)
                await uow.commit()
            if delivery.state != DeliveryState.DELIVERED:
                return delivered  # in order: the rest wait for this one
            delivered += 1
        return delivered

    async def _attempt(
        self, subscription: Subscription, delivery: Delivery
    ) -> tuple[Attempt, Answer]:
        started = time.perf_counter()
        now = datetime.now(UTC)
        if refusal := await self.destinations.refusal(subscription.url):
            answer = Answer(status=None, error=refusal)
        else:
            headers = {
                "content-type": "application/cloudevents+json",
                "webhook-id": delivery.id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": self.signer.sign(
                    subscription.secret, delivery.id, now, delivery.body
                ),
            }
            answer = await self.poster.post(subscription.url, delivery.body, headers)
        ms = round((time.perf_counter() - started) * 1000, 1)
        return Attempt(at=now, status=answer.status, error=answer.error, ms=ms), answer

    async def _record(
        self,
        uow: UnitOfWork,
        subscription: Subscription,
        delivery: Delivery,
        outcome: tuple[Attempt, Answer],
    ) -> Subscription:
        attempt, answer = outcome
        now = attempt.at
        if answer.status is not None and 200 <= answer.status < 300:
            delivery.attempts = [*delivery.attempts, attempt]
            delivery.state, delivery.next_attempt_at = DeliveryState.DELIVERED, None
            subscription.failing_since = None
            uow.record(
                [
                    events.WebhookDelivered(
                        subscription_id=subscription.id,
                        delivery_id=delivery.id,
                        event_id=delivery.event_id,
                        delivered_at=now,
                        attempts=len(delivery.attempts),
                    )
                ]
            )
        elif answer.status == 410:
            delivery.attempts = [*delivery.attempts, attempt]
            delivery.state, delivery.next_attempt_at = DeliveryState.ABANDONED, None
            self._disable(uow, subscription, now, "the endpoint answered 410 Gone")
        else:
            delivery.tried(attempt, now, self.retry_seconds, answer.retry_after)
            subscription.failing_since = subscription.failing_since or now
            if now - subscription.failing_since >= self.disable_after:
                self._disable(
                    uow,
                    subscription,
                    now,
                    f"failing since {subscription.failing_since.isoformat()}",
                )
        await uow.webhooks.save_delivery(delivery)
        await uow.webhooks.save(subscription)
        if not subscription.active:
            await uow.webhooks.abandon_pending(subscription.id)
        return subscription

    def _disable(
        self, uow: UnitOfWork, subscription: Subscription, now: datetime, why: str
    ) -> None:
        subscription.disabled_at, subscription.disabled_reason = now, why
        log.warning("webhook.disabled", subscription_id=subscription.id, reason=why)
        uow.record(
            [
                events.WebhookEndpointDisabled(
                    subscription_id=subscription.id,
                    disabled_at=now,
                    reason=why,
                )
            ]
        )


async def subscriptions(uow: UnitOfWork, principal: Principal) -> list[Subscription]:
    access.require_county_officer(principal, "manage webhooks")
    async with uow:
        return await uow.webhooks.all()


async def subscription(uow: UnitOfWork, principal: Principal, subscription_id: str) -> Subscription:
    access.require_county_officer(principal, "manage webhooks")
    async with uow:
        found = await uow.webhooks.get(subscription_id)
    if found is None:
        raise NotFound(f"no webhook subscription {subscription_id[:64]}")
    return found


async def disable(uow: UnitOfWork, principal: Principal, subscription_id: str) -> Subscription:
    """An officer turns a subscription off: nothing more is delivered to it."""
    found = await subscription(uow, principal, subscription_id)
    if not found.active:
        return found
    now = datetime.now(UTC)
    found.disabled_at, found.disabled_reason = now, f"turned off by {principal.actor}"
    async with uow:
        await uow.webhooks.save(found)
        await uow.webhooks.abandon_pending(found.id)
        uow.record(
            [
                events.WebhookEndpointDisabled(
                    subscription_id=found.id, disabled_at=now, reason=found.disabled_reason
                )
            ]
        )
        await uow.commit()
    return found


async def deliveries(
    uow: UnitOfWork, principal: Principal, subscription_id: str, limit: int
) -> list[Delivery]:
    await subscription(uow, principal, subscription_id)
    async with uow:
        return await uow.webhooks.deliveries(subscription_id, limit=limit)


async def replay(
    uow: UnitOfWork,
    principal: Principal,
    subscription_id: str,
    *,
    delivery_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Deliver again, on purpose: one delivery, or those of events between two times (the
    newest `MOST_REPLAYED`; replay an earlier range for more). They go out at once with a fresh
    schedule; how many were queued again is returned."""
    found = await subscription(uow, principal, subscription_id)
    if not found.active:
        raise Invalid("the subscription is disabled: subscribe again to receive events")
    now = datetime.now(UTC)
    async with uow:
        if delivery_id is not None:
            one = await uow.webhooks.delivery(delivery_id)
            if one is None or one.subscription_id != subscription_id:
                raise NotFound(f"no delivery {delivery_id[:64]} of this subscription")
            chosen = [one]
        else:
            chosen = await uow.webhooks.deliveries(
                subscription_id, since=since, until=until, limit=MOST_REPLAYED
            )
        for delivery in chosen:
            delivery.state, delivery.next_attempt_at, delivery.attempts = (
                DeliveryState.PENDING,
                now,
                [],
            )
            await uow.webhooks.save_delivery(delivery)
        await uow.commit()
    return len(chosen)
