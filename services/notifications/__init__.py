"""Email, webhooks, reminders, digests, preferences and the delivery log. Not built yet."""
