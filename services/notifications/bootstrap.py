"""Composition root of the notifications service."""

from datetime import timedelta

from fastapi import FastAPI

from contracts import notifications
from eventkit.http import create_app
from eventkit.runtime import ServiceRuntime
from services.notifications.adapters import repositories, unsubscribe_tokens, webhooks
from services.notifications.adapters.compose import Composer, Links
from services.notifications.adapters.smtp import SmtpMailer
from services.notifications.adapters.webhooks import (
    Destinations,
    HttpPoster,
    StandardWebhooksSigner,
)
from services.notifications.entrypoints import announcements, people, unsubscribe
from services.notifications.entrypoints import webhooks as webhook_routes
from services.notifications.entrypoints.consumers import (
    events_consumer,
    membership_consumer,
    people_consumer,
    reporting_consumer,
)
from services.notifications.entrypoints.webhook_consumers import WEBHOOKS, webhook_consumers
from services.notifications.service_layer.rules import Rules
from services.notifications.service_layer.sending import Sender
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from services.notifications.service_layer.webhooks import Deliverer
from services.notifications.settings import NotificationsSettings


def build(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    rules = Rules(
        settings.reminder_leads,
        timedelta(days=settings.impact_evaluation_days),
        settings.reporting_url,
    )
    consumers = [
        people_consumer(),
        membership_consumer(rules),
        events_consumer(rules),
        reporting_consumer(rules),
        *webhook_consumers(WEBHOOKS),
    ]
    runtime = ServiceRuntime(
        settings,
        NotificationsUnitOfWork,
        consumers=[c.renamed(settings.consumer_name(c.name)) for c in consumers],
        index_setup=[repositories.ensure_indexes, webhooks.ensure_indexes],
    )
    links = Links(settings.public_url, unsubscribe_tokens.signer(settings.link_secret))
    composer = Composer(settings.smtp_from, links)
    sender = Sender(
        SmtpMailer(settings, connections=settings.mail_concurrency),
        composer,
        settings.mail_batch_size,
        settings.mail_retry_seconds,
        concurrency=settings.mail_concurrency,
        unit_of_work=runtime.unit_of_work,
    )
    runtime.every(settings.mail_poll_seconds, sender.send_due)
    destinations = Destinations(allow_private=settings.webhook_allow_private)
    deliverer = Deliverer(
        HttpPoster(settings.webhook_timeout_seconds),
        StandardWebhooksSigner(),
        destinations,
        settings.webhook_retry_seconds,
        timedelta(seconds=settings.webhook_disable_after_seconds),
    )

    async def deliver_webhooks(_: NotificationsUnitOfWork) -> int:
        return await deliverer.deliver_due(runtime.unit_of_work)

    runtime.every(settings.webhook_poll_seconds, deliver_webhooks)
    app = create_app(
        runtime,
        title="Notifications",
        description="Email to the people of the partnerships: bookings, waitlist offers, "
        "approvals, changes, reminders; preferences, unsubscribe links, the delivery log.",
        routers=[people.router, announcements.router, unsubscribe.router, webhook_routes.router],
        published=notifications.EVENTS,
    )
    app.state.composer = composer
    app.state.destinations = destinations
    return app
