"""Booking to confirmation email: how long after a booking's answer its "You have a place" mail
is in a real SMTP server, at a fixed request rate, and how much of that the message path adds
(the relay and the consumer, up to the mail's entry in the notifications outbox).

    python -m bench.mail_latency [--bookings 60] [--rate 5] [--kafka BOOTSTRAP] [--mongodb URI]

Membership, events and notifications run over real HTTP on loopback, each with a database of
its own; the SMTP server (aiosmtpd) runs in this process and notes when each message arrives.
N teachers are added through the membership API; once the events service knows them, each books
a place on an activity big enough for all, one request every 1/rate seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from aiosmtpd.controller import Controller
from pymongo import AsyncMongoClient

from bench.booking_burst import (
    Latency,
    activity_body,
    make_partnership,
    ok,
    service_settings,
    serving,
    wait_for_members,
)
from bench.embedded import add_run_arguments, servers_for_run
from bench.workload import RunNames
from devstack.local_issuer import local_issuer
from devstack.servers import LOCALHOST, free_port
from eventkit.auth import Role, mint_token
from eventkit.topics import ensure_topics
from services.events.bootstrap import build as build_events
from services.events.settings import EventsSettings
from services.membership.bootstrap import MembershipSettings
from services.membership.bootstrap import build as build_membership
from services.notifications.bootstrap import build as build_notifications
from services.notifications.settings import NotificationsSettings


class Arrivals:
    """aiosmtpd handler noting when the first message for each of the run's addresses arrived
    (on a shared broker the service may also mail other people it hears of)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.at: dict[str, float] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        for address in envelope.rcpt_tos:
            if self.marker in address:
                self.at.setdefault(address, time.monotonic())
        return "250 OK"


@dataclass(frozen=True)
class Figures:
    bookings: int
    rate: float
    to_email: dict[str, float]
    to_queued: dict[str, float]

    def text(self) -> str:
        def line(name: str, ms: dict[str, float]) -> str:
            return (
                f"  {name:32s} p50 {ms['p50']:7.1f}  p99 {ms['p99']:7.1f}  max {ms['max']:7.1f} ms"
            )

        return "\n".join(
            [
                f"booking -> confirmation email: {self.bookings} bookings at {self.rate:g}/s",
                line("answer -> mail in the SMTP server", self.to_email),
                line("answer -> mail queued (relay+consumer)", self.to_queued),
            ]
        )


async def run(
    bookings: int,
    rate: float,
    kafka: str,
    mongodb: str,
    *,
    timeout: float,
    log_level: str = "WARNING",
) -> Figures:
    names = RunNames.fresh()
    arrivals = Arrivals(f".{names.run_id}@")
    smtp = Controller(arrivals, hostname=LOCALHOST, port=free_port())
    smtp.start()
    issuing = ExitStack()
    issuer = issuing.enter_context(local_issuer())
    common = (kafka, mongodb, names, issuer.jwks_url, log_level)
    membership = service_settings(MembershipSettings, "membership", *common)
    events = service_settings(EventsSettings, "events", *common)
    notifications = service_settings(NotificationsSettings, "notifications", *common).model_copy(
        update={"smtp_host": LOCALHOST, "smtp_port": smtp.port, "mail_poll_seconds": 0.05}
    )
    await ensure_topics(kafka)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb, tz_aware=True)
    deadline = time.monotonic() + timeout
    try:
        async with (
            serving(build_membership(membership)) as membership_url,
            serving(build_events(events)) as events_url,
            serving(build_notifications(notifications)),
            httpx.AsyncClient(base_url=membership_url, timeout=60) as m_http,
            httpx.AsyncClient(base_url=events_url, timeout=60) as e_http,
        ):
            officer = {
                "Authorization": "Bearer "
                + mint_token(issuer.key, subject="o", role=Role.COUNTY_OFFICER)
            }
            pid, urns = await make_partnership(m_http, officer, names.run_id)
            people: list[tuple[str, str, str]] = []  # person id, urn, address
            for n in range(bookings):
                urn = urns[n % len(urns)]
                address = f"t{n}.{names.run_id}@school.example"
                body = {
                    "name": f"Teacher {n}",
                    "email": address,
                    "role": {"role": "teacher", "urn": urn, "starts_on": "2020-01-01"},
                }
                added = (await m_http.post("/people", json=body, headers=officer)).json()
                people.append((added["id"], urn, address))
            await wait_for_members(client[events.database_name], pid, urns, deadline)
            activity = activity_body(pid, 1, bookings)
            made = await e_http.post("/activities", json=activity, headers=officer)
            aid = ok(made, 201, "create the activity")["id"]
            await e_http.post(f"/activities/{aid}/publish", headers=officer)
            ids = [p for p, _, _ in people]
            for database, collection, field, service in (
                (events.database_name, "directory_people", "name", "events"),
                (notifications.database_name, "recipients", "email", "notifications"),
            ):  # both know every teacher before the clock starts, as running services would
                known = {"_id": {"$in": ids}, field: {"$nin": ["", None]}}
                while await client[database][collection].count_documents(known) < bookings:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"the {service} service did not hear of every teacher")
                    await asyncio.sleep(0.2)
            answered: dict[str, tuple[float, datetime]] = {}
            for person_id, urn, address in people:
                token = mint_token(
                    issuer.key,
                    subject=person_id,
                    role=Role.TEACHER,
                    schools=[urn],
                    person_id=person_id,
                )
                headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
                sent = time.monotonic()
                booked = await e_http.post(
                    f"/activities/{aid}/bookings", json={"urn": urn}, headers=headers
                )
                booked.raise_for_status()
                answered[address] = (time.monotonic(), datetime.now(UTC))
                await asyncio.sleep(max(0.0, 1 / rate - (time.monotonic() - sent)))
            while not set(answered) <= set(arrivals.at):
                if time.monotonic() > deadline:
                    got = len(set(answered) & set(arrivals.at))
                    raise TimeoutError(f"{got} of {bookings} confirmations arrived")
                await asyncio.sleep(0.05)
            mail = client[notifications.database_name]["mail"]
            queued = {
                d["person_id"]: d["queued_at"]
                async for d in mail.find({"rule": "booking_registered"})
            }
    finally:
        smtp.stop()
        for settings in (membership, events, notifications):
            await client.drop_database(settings.database_name)
        await client.close()
        issuing.close()
    by_person = {address: person_id for person_id, _, address in people}
    to_email = [(arrivals.at[a] - answered[a][0]) for a in answered]
    to_queued = [
        max(0.0, (queued[by_person[a]] - answered[a][1]).total_seconds()) for a in answered
    ]
    return Figures(bookings, rate, Latency.of(to_email).as_ms(), Latency.of(to_queued).as_ms())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=60)
    parser.add_argument("--rate", type=float, default=5.0, help="bookings per second")
    add_run_arguments(parser, timeout=600)
    args = parser.parse_args(argv)
    with servers_for_run(args.kafka, args.mongodb) as found:
        figures = asyncio.run(
            run(
                args.bookings,
                args.rate,
                found.kafka_bootstrap,
                found.mongodb_uri,
                timeout=args.timeout,
                log_level=args.log_level,
            )
        )
    print(figures.text())
    if args.json:
        args.json.write_text(json.dumps(asdict(figures), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
