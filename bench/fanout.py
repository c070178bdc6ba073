"""Fan-out benchmark: one announcement to N recipients through the notifications service, into a
real SMTP server, against raw aiosmtplib sends of the same messages to the same server in the
same run. Exactly N must arrive, one each.

    python -m bench.fanout [--recipients 10000] [--kafka BOOTSTRAP] [--mongodb URI] [--json PATH]

The notifications service runs over real HTTP on loopback with a database of its own. Its copy
of the partnership is written straight into that database before it starts (N member schools,
each with a head who has an address), as its consumers would have built it from membership's
events. Then a county officer announces to the heads of every member school, and the run is
timed from the request to the N-th message the SMTP server (aiosmtpd, in this process) holds.
The baseline sends N messages of the same size with `aiosmtplib.send`, one connection each as the
service's mailer does, one after the other as its sender does.

Without --kafka / --mongodb the embedded servers are started on free ports in a temporary folder
and stopped at the end; the run's database is dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import httpx
from aiosmtpd.controller import Controller
from pymongo import AsyncMongoClient

from bench.booking_burst import serving
from bench.embedded import add_run_arguments, servers_for_run
from bench.workload import RunNames
from devstack.local_issuer import local_issuer
from devstack.servers import LOCALHOST, free_port
from eventkit.auth import Role, mint_token
from services.notifications.bootstrap import build
from services.notifications.settings import NotificationsSettings

DEFAULT_RECIPIENTS = 10_000
TARGET_RATIO = 0.5
PARTNERSHIP = "bench-partnership"


class Counting:
    """aiosmtpd handler that counts messages per recipient of the run's domain (and keeps
    nothing else: on a shared broker the service may also mail other people it hears of)."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self.received: dict[str, int] = {}
        self.total = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        ours = [a for a in envelope.rcpt_tos if a.endswith(f"@{self.domain}")]
        for address in ours:
            self.received[address] = self.received.get(address, 0) + 1
        self.total += bool(ours)
        return "250 OK"


@dataclass(frozen=True)
class Figures:
    recipients: int
    service_seconds: float
    queue_seconds: float
    raw_seconds: float
    queued: int
    arrived: int
    duplicates: int

    @property
    def service_rate(self) -> float:
        return self.recipients / self.service_seconds

    @property
    def raw_rate(self) -> float:
        return self.recipients / self.raw_seconds

    @property
    def ratio(self) -> float:
        return self.service_rate / self.raw_rate

    def text(self) -> str:
        verdict = "meets" if self.ratio >= TARGET_RATIO else "misses"
        return "\n".join(
            [
                f"fan-out: one announcement to {self.recipients} recipients",
                f"  notifications service   {self.service_rate:8.1f} emails/s  "
                f"({self.service_seconds:.1f} s, request to the last message; "
                f"{self.queue_seconds:.1f} s of it to queue them all)",
                f"  raw aiosmtplib sends     {self.raw_rate:8.1f} emails/s  ({self.raw_seconds:.1f} s)",
                f"  ratio {self.ratio:.2f}x (target >= {TARGET_RATIO}x: {verdict})",
                f"  queued {self.queued}, arrived {self.arrived}, duplicates {self.duplicates}",
            ]
        )


async def seed(mongodb_uri: str, database: str, recipients: int, domain: str) -> None:
    """The service's own copy of the partnership: schools, members and their heads."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
    try:
        db = client[database]
        people, members = [], []
        for n in range(recipients):
            urn = f"{700000 + n}"
            people.append(
                {
                    "_id": f"head-{n}",
                    "name": f"Head {n}",
                    "email": f"head.{n}@{domain}",
                    "erased": False,
                    "roles": [
                        {"role_id": f"r{n}", "role": "head", "urn": urn, "starts_on": "2020-01-01"}
                    ],
                }
            )
            members.append(
                {
                    "_id": f"{PARTNERSHIP}/{urn}",
                    "partnership_id": PARTNERSHIP,
                    "urn": urn,
                    "active": True,
                }
            )
        for start in range(0, recipients, 1000):
            await db["recipients"].insert_many(people[start : start + 1000])
            await db["memberships"].insert_many(members[start : start + 1000])
    finally:
        await client.close()


async def wait_for(counter: Counting, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while counter.total < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{counter.total} of {count} messages arrived in {timeout:.0f} s")
        await asyncio.sleep(0.05)


async def raw_sends(port: int, recipients: int, sample: EmailMessage) -> float:
    started = time.perf_counter()
    for n in range(recipients):
        message = EmailMessage()
        for header in ("Subject", "From", "Date"):
            message[header] = sample[header]
        message["To"] = f"raw.{n}@school.example"
        message.set_content(sample.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        message.add_alternative(sample.get_body(("html",)).get_content(), subtype="html")  # type: ignore[union-attr]
        await aiosmtplib.send(message, hostname=LOCALHOST, port=port)
    return time.perf_counter() - started


async def run(
    recipients: int, kafka: str, mongodb: str, *, timeout: float, log_level: str = "WARNING"
) -> Figures:
    names = RunNames.fresh()
    domain = f"{names.run_id}.school.example"
    counter = Counting(domain)
    smtp = Controller(counter, hostname=LOCALHOST, port=free_port())
    smtp.start()
    database = f"bench_fanout_{names.run_id}"
    issuing = ExitStack()
    issuer = issuing.enter_context(local_issuer())
    try:
        await seed(mongodb, database, recipients, domain)
        settings = NotificationsSettings(
            auth_jwks_url=issuer.jwks_url,
            kafka_bootstrap_servers=kafka,
            mongodb_uri=mongodb,
            mongodb_database=database,
            consumer_group_suffix=f"bench-{names.run_id}",
            smtp_host=LOCALHOST,
            smtp_port=smtp.port,
            mail_poll_seconds=0.05,
            mail_batch_size=500,
            log_format="console",
            log_level=log_level,
        )
        token = mint_token(issuer.key, subject="bench-officer", role=Role.COUNTY_OFFICER)
        body = {
            "audience": "heads",
            "partnership_id": PARTNERSHIP,
            "subject": "Spring term TeachMeets: save the dates",
            "body": "Dear colleagues,\n\nThe spring programme is out. Book early.",
        }
        async with (
            serving(build(settings)) as url,
            httpx.AsyncClient(base_url=url, timeout=600) as http,
        ):
            started = time.perf_counter()
            answer = await http.post(
                "/announcements", json=body, headers={"Authorization": f"Bearer {token}"}
            )
            answer.raise_for_status()
            queue_seconds = time.perf_counter() - started
            queued = int(answer.json()["recipients"])
            await wait_for(counter, recipients, timeout)
            service_seconds = time.perf_counter() - started
            await asyncio.sleep(1)  # anything sent twice would come now
        arrived = counter.total
        duplicates = sum(n - 1 for n in counter.received.values() if n > 1)
        sample = EmailMessage()
        sample["Subject"], sample["From"], sample["Date"] = (
            body["subject"],
            settings.smtp_from,
            "Tue, 1 Dec 2026 09:00:00 +0000",
        )
        sample.set_content(body["body"])
        sample.add_alternative(f"<p>{body['body']}</p>", subtype="html")
        raw_seconds = await raw_sends(smtp.port, recipients, sample)
    finally:
        issuing.close()
        smtp.stop()
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb)
        await client.drop_database(database)
        await client.close()
    return Figures(
        recipients, service_seconds, queue_seconds, raw_seconds, queued, arrived, duplicates
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=DEFAULT_RECIPIENTS)
    add_run_arguments(parser, timeout=1800)
    args = parser.parse_args(argv)
    with servers_for_run(args.kafka, args.mongodb) as found:
        figures = asyncio.run(
            run(
                args.recipients,
                found.kafka_bootstrap,
                found.mongodb_uri,
                timeout=args.timeout,
                log_level=args.log_level,
            )
        )
    print(figures.text())
    if args.json:
        args.json.write_text(json.dumps({**asdict(figures), "ratio": figures.ratio}, indent=2))
    exact = figures.arrived == figures.recipients and figures.duplicates == 0
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
