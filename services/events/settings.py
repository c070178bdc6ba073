"""The events service's settings: every service's, and its own (environment variables)."""

from eventkit.settings import ServiceSettings


class EventsSettings(ServiceSettings):
    service_name: str = "events"
    http_port: int = 8002
    offer_hours: float = 48
    sweep_seconds: float = 30
    minimum_numbers_warning_days: float = 7
    calendar_token_days: float = 365
