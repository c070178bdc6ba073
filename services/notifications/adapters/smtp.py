"""Sending with aiosmtplib to the configured SMTP server (host, port, TLS, credentials)."""

import aiosmtplib

from services.notifications.service_layer.ports import PermanentFailure, TemporaryFailure
from services.notifications.settings import NotificationsSettings


class SmtpMailer:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings

    async def send(self, message: object) -> None:
        s = self._settings
        try:
            await aiosmtplib.send(
                message,  # type: ignore[arg-type]
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password,
                use_tls=s.smtp_security == "tls",
                start_tls=s.smtp_security == "starttls",
                timeout=s.smtp_timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            if all(500 <= r.code < 600 for r in exc.recipients):
                raise PermanentFailure(_said(exc.recipients[0])) from exc
            raise TemporaryFailure(_said(exc.recipients[0])) from exc
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600:
                raise PermanentFailure(f"{exc.code} {exc.message}") from exc
            raise TemporaryFailure(f"{exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc


def _said(refusal: aiosmtplib.SMTPRecipientRefused) -> str:
    return f"{refusal.code} {refusal.message}"
