"""The unit of work of the notifications service: its collections in one transaction."""

from pymongo.asynchronous.client_session import AsyncClientSession

from eventkit.unit_of_work import MongoUnitOfWork
from services.notifications.adapters.repositories import (
    MongoBookings,
    MongoMailbox,
    MongoPreferences,
    MongoRecipients,
)
from services.notifications.adapters.webhooks import MongoWebhooks


class NotificationsUnitOfWork(MongoUnitOfWork):
    recipients: MongoRecipients
    bookings: MongoBookings
    mailbox: MongoMailbox
    preferences: MongoPreferences
    webhooks: MongoWebhooks

    def open_repositories(self, session: AsyncClientSession) -> None:
        self.recipients = MongoRecipients(self.db, session)
        self.bookings = MongoBookings(self.db, session)
        self.mailbox = MongoMailbox(self.db, session)
        self.preferences = MongoPreferences(self.db, session)
        self.webhooks = MongoWebhooks(self.db, session)
