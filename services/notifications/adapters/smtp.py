"""Sending with aiosmtplib to the configured SMTP server (host, port, TLS, credentials), over
connections kept open between messages (up to `connections` at once; one the server closed is
opened again)."""

import asyncio
import re
from email.headerregistry import Address
from email.message import EmailMessage

import aiosmtplib

from services.notifications.service_layer.ports import PermanentFailure, TemporaryFailure
from services.notifications.settings import NotificationsSettings


class SmtpMailer:
    def __init__(self, settings: NotificationsSettings, connections: int = 1) -> None:
        self._settings = settings
        self._idle: asyncio.Queue[_Connection] = asyncio.Queue()
        for _ in range(max(1, connections)):
            self._idle.put_nowait(_Connection(settings))

    async def send(self, message: EmailMessage) -> None:
        connection = await self._idle.get()
        try:
            await connection.send(message)
        finally:
            self._idle.put_nowait(connection)


class _Connection:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, message: EmailMessage) -> None:
        try:
            await self._send(message)
        except aiosmtplib.SMTPServerDisconnected:
            await self._close()
            await self._send(message)  # the server had closed an idle connection
        except aiosmtplib.SMTPRecipientsRefused as exc:
            await self._reset()
            refusal = exc.recipients[0]
            said = _without_addresses(f"{refusal.code} {refusal.message}")
            if all(500 <= r.code < 600 for r in exc.recipients):
                raise PermanentFailure(said) from exc
            raise TemporaryFailure(said) from exc
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset()
            if 500 <= exc.code < 600:
                raise PermanentFailure(_without_addresses(f"{exc.code} {exc.message}")) from exc
            raise TemporaryFailure(_without_addresses(f"{exc.code} {exc.message}")) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            await self._close()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc

    async def _send(self, message: EmailMessage) -> None:
        if self._client is None or not self._client.is_connected:
            s = self._settings
            client = aiosmtplib.SMTP(
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password,
                use_tls=s.smtp_security == "tls",
                start_tls=s.smtp_security == "starttls",
                timeout=s.smtp_timeout_seconds,
            )
            await client.connect()
            self._client = client
        # Flattened with the message's own policy: aiosmtplib's `send_message` would use
        # email.policy.SMTP, whose 78-character folding turns the one-click unsubscribe link
        # into encoded words that mail programs do not read as a URI.
        recipients = [a.addr_spec for header in ("To", "Cc") for a in _addresses(message, header)]
        [sender] = _addresses(message, "From")
        raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        await self._client.sendmail(sender.addr_spec, recipients, raw)

    async def _reset(self) -> None:
        """After a refusal the transaction is over; RSET for the next, or start afresh."""
        try:
            if self._client is not None and self._client.is_connected:
                await self._client.rset()
        except aiosmtplib.SMTPException:
            await self._close()

    async def _close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()


def _addresses(message: EmailMessage, header: str) -> tuple[Address, ...]:
    value = message[header]
    return tuple(value.addresses) if value is not None else ()


_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")


def _without_addresses(reply: str) -> str:
    """A server's reply often quotes the address (`550 5.1.1 <x@y>: no such user`): it is kept,
    and logged, without it."""
    return _ADDRESS.sub("<address>", reply)
