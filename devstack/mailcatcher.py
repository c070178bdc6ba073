"""A mail catcher: an SMTP server that keeps every message it receives.

Run it as `python -m devstack.mailcatcher --host 127.0.0.1 --port 8025 --dir DIR`: each message
is written to DIR as `<UTC timestamp>-<n>.eml` (atomically, so a reader never sees half a file),
with the envelope sender and recipients added as `X-MailFrom` and `X-RcptTo` headers.
`read_mail(DIR)` reads them back, oldest first.
"""

from __future__ import annotations

import argparse
import asyncio
import email.policy
import itertools
import logging
import os
import signal
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger("devstack.mailcatcher")

_PARSER = BytesParser(policy=email.policy.default)


class CatchingHandler:
    """aiosmtpd handler keeping each message in `messages` and, given a folder, as a file."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        """Addresses answered `550` (no such mailbox), as a real server refuses a dead one."""
        self._numbers = itertools.count(1)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.refused:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = _with_envelope_headers(envelope)
        message = _PARSER.parsebytes(raw)
        self.messages.append(message)
        where = ""
        if self.directory is not None:
            where = f" saved {self.save(raw).name}"
        log.info(
            "received from %s to %s subject %r%s",
            envelope.mail_from,
            ",".join(envelope.rcpt_tos),
            str(message.get("Subject", "")),
            where,
        )
        return "250 Message accepted for delivery"

    def save(self, raw: bytes) -> Path:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        path = self.directory / f"{stamp}-{next(self._numbers):06d}.eml"
        tmp = self.directory / f".{path.name}.tmp"
        with tmp.open("wb") as file:
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
        return path


def read_mail(directory: Path | str) -> list[EmailMessage]:
    """Every message the mail catcher saved in `directory`, oldest first."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return [_PARSER.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def _with_envelope_headers(envelope: Envelope) -> bytes:
    content = envelope.content
    body = content if isinstance(content, bytes) else str(content or "").encode()
    headers = f"X-MailFrom: {envelope.mail_from}\r\nX-RcptTo: {', '.join(envelope.rcpt_tos)}\r\n"
    return headers.encode() + body


async def serve(host: str, port: int, directory: Path) -> None:
    """Serve SMTP on host:port until SIGTERM or SIGINT."""
    handler = CatchingHandler(directory)
    loop = asyncio.get_running_loop()

    def protocol() -> Any:
        return SMTP(handler, hostname="mailcatcher", data_size_limit=50 * 1024 * 1024)

    server = await loop.create_server(protocol, host=host, port=port)
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    log.info("mail catcher listening on %s:%d, saving to %s", host, port, directory)
    await stopped.wait()
    server.close()
    await server.wait_closed()
    log.info("mail catcher stopped")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, required=True, help="folder for the .eml files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command chatter
    args.dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(serve(args.host, args.port, args.dir))


if __name__ == "__main__":
    main()
