"""Composition root of the notifications service."""

from fastapi import FastAPI

from contracts import notifications
from eventkit.http import create_app
from eventkit.runtime import ServiceRuntime
from services.notifications.adapters import repositories, unsubscribe_tokens
from services.notifications.adapters.compose import Composer, Links
from services.notifications.adapters.smtp import SmtpMailer
from services.notifications.entrypoints import people, unsubscribe
from services.notifications.entrypoints.consumers import (
    events_consumer,
    membership_consumer,
    people_consumer,
)
from services.notifications.service_layer.rules import Rules
from services.notifications.service_layer.sending import Sender
from services.notifications.service_layer.unit_of_work import NotificationsUnitOfWork
from services.notifications.settings import NotificationsSettings


def build(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    rules = Rules(settings.reminder_leads)
    consumers = [
        people_consumer(),
        membership_consumer(rules),
        events_consumer(rules),
    ]
    runtime = ServiceRuntime(
        settings,
        NotificationsUnitOfWork,
        consumers=[c.renamed(settings.consumer_name(c.name)) for c in consumers],
        index_setup=[repositories.ensure_indexes],
    )
    links = Links(settings.public_url, unsubscribe_tokens.signer(settings.auth_jwt_secret))
    composer = Composer(settings.smtp_from, links)
    sender = Sender(
        SmtpMailer(settings), composer, settings.mail_batch_size, settings.mail_retry_seconds
    )
    runtime.every(settings.mail_poll_seconds, sender.send_due)
    app = create_app(
        runtime,
        title="Notifications",
        description="Email to the people of the partnerships: bookings, waitlist offers, "
        "approvals, changes, reminders; preferences, unsubscribe links, the delivery log.",
        routers=[people.router, unsubscribe.router],
        published=notifications.EVENTS,
    )
    app.state.composer = composer
    return app
