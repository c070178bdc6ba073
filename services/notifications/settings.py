"""The notifications service's settings: every service's, and its own (environment variables)."""

from datetime import timedelta
from typing import Literal

from pydantic import Field

from eventkit.settings import ServiceSettings

DEFAULT_REMINDERS = {"default": [7 * 86400.0, 86400.0], "teachmeet": [86400.0]}


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"
    http_port: int = 8003
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 30
    smtp_from: str = "School partnerships <noreply@partnerships.example>"
    public_url: str = Field(
        "http://127.0.0.1:8003", description="Where people's mail links (unsubscribe) point"
    )
    reporting_url: str = Field(
        "http://127.0.0.1:8004", description="Where mail links to the reporting service's reports"
    )
    mail_poll_seconds: float = 1.0
    mail_batch_size: int = 100
    mail_concurrency: int = Field(4, ge=1, le=64, description="Messages in flight at once")
    mail_retry_seconds: list[float] = Field(
        default_factory=lambda: [60.0, 300.0, 1800.0, 7200.0, 18000.0],
        description="Waits after each temporary SMTP failure; then the mail fails for good",
    )
    webhook_retry_seconds: list[float] = Field(
        default_factory=lambda: [5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0],
        description="Waits after each failed delivery (the first goes at once), as Svix's",
    )
    webhook_disable_after_seconds: float = Field(
        5 * 86400.0, description="An endpoint failing this long is disabled"
    )
    webhook_timeout_seconds: float = 10.0
    webhook_poll_seconds: float = 1.0
    webhook_allow_private: bool = Field(
        False, description="Deliver to private and loopback addresses (a dev stack's receiver)"
    )
    impact_evaluation_days: float = Field(
        42, description="How long after an activity its people are asked about its impact"
    )
    reminder_lead_seconds: dict[str, list[float]] = Field(
        default_factory=lambda: dict(DEFAULT_REMINDERS),
        description="Reminders before an activity starts, per format (or `default`), in seconds",
    )

    def reminder_leads(self, activity_format: str) -> list[timedelta]:
        seconds = self.reminder_lead_seconds.get(
            activity_format, self.reminder_lead_seconds.get("default", [])
        )
        return [timedelta(seconds=s) for s in seconds]
