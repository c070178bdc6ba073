"""Booking-burst benchmark: a burst of concurrent booking requests through the events service's
HTTP API, against the raw conditional update that takes a place, on the same database in the
same run. Any overbooking fails it.

    python -m bench.booking_burst [--requests 2000] [--activities 10] [--places 50]
                                  [--concurrency 200] [--kafka BOOTSTRAP] [--mongodb URI]
                                  [--json PATH]

A real membership service and a real events service run over real HTTP on loopback, each with its
own database. One partnership's member schools are set up through the membership API; once the
events service's directory has heard of them, the activities are created and published through
the events API. Then every request books one place for its own teacher (a person id of its own,
carried by the token) at a member school, with its own Idempotency-Key, at most `concurrency` in
flight at a time.

The baseline is `take_places` itself — the same `$expr` capacity filter and `$inc` the booking
handler runs — on copies of the very same activity documents in a scratch database: once without
a transaction and once inside one transaction each, at the same concurrency.

Without --kafka / --mongodb the embedded servers (noida-db, secantusdb) are started on free ports
in a temporary folder and stopped at the end. The run's databases are dropped when it ends.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import ExitStack, asynccontextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import structlog
import uvicorn
from fastapi import FastAPI
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from bench.embedded import add_run_arguments, servers_for_run
from bench.pipeline import filter_faststream_logs
from bench.report import Figure, Report
from bench.workload import SOURCE, BenchmarkError, RunNames, Stopwatch
from contracts.vocabulary import BookingStatus
from devstack import servers
from devstack.local_issuer import local_issuer
from devstack.processes import ManagedProcess, wait_for_http
from devstack.servers import LOCALHOST, free_port
from eventkit.auth import Role, SigningKey, mint_token
from eventkit.logging import configure_logging
from eventkit.settings import ServiceSettings
from eventkit.topics import ensure_topics
from eventkit.unit_of_work import MongoUnitOfWork, retry_on_write_conflict
from services.events.adapters.directory import MongoDirectory
from services.events.adapters.repositories import ActivityRepository
from services.events.bootstrap import build as build_events
from services.events.settings import EventsSettings
from services.membership.bootstrap import MembershipSettings
from services.membership.bootstrap import build as build_membership

DEFAULT_REQUESTS = 2000
DEFAULT_ACTIVITIES = 10
DEFAULT_PLACES = 50
DEFAULT_CONCURRENCY = 200
DEFAULT_TIMEOUT_SECONDS = 600.0
SCHOOLS = 10
"""Member schools of the partnership; the requests are spread over them."""
START_SECONDS = 15.0
SHUTDOWN_SECONDS = 5
"""How long a service may finish requests still running when the run ends (e.g. timed out)."""
KEEP_ALIVE_SECONDS = 120
"""Idle connections stay open through the baseline stages, ready for the burst."""
POLL_SECONDS = 0.1
FAILURES_KEPT = 5
CLIENT_RETRIES = 20
"""Times a booking request is sent again, with the same Idempotency-Key, when the answer says to
retry (Retry-After) or the connection failed."""

RAW_TAKE = "take_places, no transaction"
TXN_TAKE = "take_places, 1 transaction each"
BOOKINGS = "HTTP booking"
STAGES = (RAW_TAKE, TXN_TAKE, BOOKINGS)
"""Every row of the report, in the order it is printed."""

T = TypeVar("T")
S = TypeVar("S", bound=ServiceSettings)

log = structlog.get_logger(__name__)


# --- what is measured and checked ------------------------------------------------------------


@dataclass(frozen=True)
class BurstSize:
    requests: int = DEFAULT_REQUESTS
    activities: int = DEFAULT_ACTIVITIES
    places: int = DEFAULT_PLACES
    concurrency: int = DEFAULT_CONCURRENCY
    processes: int = 1
    """Events-service processes on the one database; requests take turns among them."""

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if value < 1:
                raise ValueError(f"{name} must be at least 1")

    def activity_of(self, request: int) -> int:
        """Request i books on activity i mod A, so the activities fill side by side."""
        return request % self.activities

    def target(
        self, request: int, activity_ids: Sequence[str], urns: Sequence[str]
    ) -> tuple[str, str]:
        """The activity request i books on, and the member school it books for."""
        school = (request // self.activities) % len(urns)
        return activity_ids[self.activity_of(request)], urns[school]

    def requests_for(self, activity: int) -> int:
        return len(range(activity, self.requests, self.activities))

    def expected_registered(self, activity: int) -> int:
        """Every place filled while there were requests for it; none beyond capacity."""
        return min(self.places, self.requests_for(activity))


@dataclass(frozen=True)
class Latency:
    """Nearest-rank percentiles of one stage's per-request latencies, in seconds."""

    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Latency:
        ordered = sorted(samples)
        if not ordered:
            raise ValueError("no latencies measured")

        def rank(p: float) -> float:
            return ordered[max(math.ceil(p * len(ordered)) - 1, 0)]

        return cls(rank(0.50), rank(0.95), rank(0.99), ordered[-1])

    def as_ms(self) -> dict[str, float]:
        return {name: round(value * 1000, 2) for name, value in asdict(self).items()}


@dataclass(frozen=True)
class ActivityTally:
    """One activity after the burst, as the events API reports it."""

    activity_id: str
    capacity: int
    requests: int
    expected_registered: int
    places_taken: int
    stored: Counter[str]
    """Stored bookings by status."""

    @property
    def registered(self) -> int:
        return sum(n for status, n in self.stored.items() if BookingStatus(status).counted)

    @property
    def waitlisted(self) -> int:
        return self.stored[BookingStatus.WAITLISTED.value]

    @property
    def overbooked(self) -> bool:
        return self.registered > self.capacity or self.places_taken > self.capacity

    def problems(self) -> list[str]:
        where = f"activity {self.activity_id}"
        found = []
        if self.overbooked:
            found.append(
                f"OVERBOOKED: {where} has {self.registered} registered bookings and "
                f"places_taken {self.places_taken} for {self.capacity} places"
            )
        if self.places_taken != self.registered:
            found.append(
                f"{where}: places_taken is {self.places_taken} "
                f"but {self.registered} bookings hold a place"
            )
        if (stored := sum(self.stored.values())) != self.requests:
            found.append(f"{where}: {stored} bookings stored for {self.requests} requests")
        if not self.overbooked and self.registered != self.expected_registered:
            found.append(
                f"{where}: {self.registered} registered, expected {self.expected_registered} "
                f"({self.requests} requests for {self.capacity} places)"
            )
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "activity_id": self.activity_id,
            "capacity": self.capacity,
            "requests": self.requests,
            "places_taken": self.places_taken,
            "registered": self.registered,
            "waitlisted": self.waitlisted,
            "stored": dict(self.stored),
        }


@dataclass(frozen=True)
class ScratchTally:
    """The scratch copies of the activities after a raw `take_places` stage."""

    stage: str
    taken: int
    expected: int
    overbooked: list[str]
    """Ids of scratch copies whose places_taken went above capacity."""
    started_again: int = 0
    """Takes started afresh after the handler's retry_on_write_conflict gave up."""

    def problems(self) -> list[str]:
        found = [f"OVERBOOKED: {self.stage} overbooked activity {aid}" for aid in self.overbooked]
        if self.taken != self.expected:
            found.append(f"{self.stage}: {self.taken} places taken, expected {self.expected}")
        return found


@dataclass
class BurstReport:
    size: BurstSize
    figures: Report
    latency: dict[str, Latency] = field(default_factory=dict)
    responses: Counter[int] = field(default_factory=Counter)
    """HTTP status code of each booking request's final answer -> how many."""
    resent: Counter[str] = field(default_factory=Counter)
    """Why requests were sent again (e.g. "409 Retry-After", "ReadError") -> how many times."""
    most_resent: int = 0
    """The most times one request was sent again."""
    statuses: Counter[str] = field(default_factory=Counter)
    """Booking status in each 201 answer -> how many."""
    failures: list[str] = field(default_factory=list)
    """The first few answers that were not 201."""
    activities: list[ActivityTally] = field(default_factory=list)
    scratch: list[ScratchTally] = field(default_factory=list)

    @property
    def overbooked(self) -> list[ActivityTally]:
        return [tally for tally in self.activities if tally.overbooked]

    def problems(self) -> list[str]:
        """Every failed check, overbooking first; empty when the run was correct."""
        found = [p for tally in self.activities for p in tally.problems()]
        found += [p for tally in self.scratch for p in tally.problems()]
        if len(self.activities) != self.size.activities:
            found.append(f"{len(self.activities)} of {self.size.activities} activities tallied")
        if (answered := self.responses[201]) != self.size.requests:
            found.append(
                f"{self.size.requests - answered} of {self.size.requests} booking requests were "
                f"not answered 201, e.g. {'; '.join(self.failures[:2])}"
            )
        return sorted(found, key=lambda problem: not problem.startswith("OVERBOOKED"))

    def bookings_per_raw_update(self, baseline: str) -> float:
        return self.figures.figure(BOOKINGS).rate / self.figures.figure(baseline).rate

    def as_json(self) -> dict[str, Any]:
        return {
            **self.figures.as_json(),
            "size": asdict(self.size),
            "latency_ms": {stage: latency.as_ms() for stage, latency in self.latency.items()},
            "responses": {str(code): n for code, n in self.responses.items()},
            "resent": dict(self.resent),
            "most_resent": self.most_resent,
            "statuses": dict(self.statuses),
            "failures": self.failures,
            "activities": [tally.as_json() for tally in self.activities],
            "scratch": [asdict(tally) for tally in self.scratch],
            "problems": self.problems(),
        }

    def text(self) -> str:
        lines = [self.figures.table(), "", latency_table(self.latency), ""]
        for baseline in (RAW_TAKE, TXN_TAKE):
            lines.append(f"bookings/s ÷ {baseline}/s: {self.bookings_per_raw_update(baseline):.3f}")
        answered = ", ".join(f"{n} × {code}" for code, n in sorted(self.responses.items()))
        statuses = ", ".join(f"{n} {status}" for status, n in sorted(self.statuses.items()))
        lines.append(f"answers: {answered}; bookings: {statuses or 'none'}")
        for scratch in self.scratch:
            if scratch.started_again:
                lines.append(
                    f"{scratch.stage}: started again {scratch.started_again} times after "
                    "retry_on_write_conflict gave up"
                )
        why = ", ".join(f"{n} × {reason}" for reason, n in self.resent.most_common())
        lines.append(
            f"sent again, same Idempotency-Key: {self.resent.total()} times "
            f"({why or 'never'}); at most {self.most_resent} times for one request"
        )
        lines.append(
            "per activity (places_taken/capacity, registered, waitlisted): "
            + ", ".join(
                f"{t.places_taken}/{t.capacity} {t.registered} {t.waitlisted}"
                for t in self.activities
            )
        )
        return "\n".join(lines)


def latency_table(latency: dict[str, Latency]) -> str:
    rows = [["latency ms", "p50", "p95", "p99", "max"]]
    for stage, figures in latency.items():
        rows.append([stage, *(f"{value:.1f}" for value in figures.as_ms().values())])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            [row[0].ljust(widths[0])]
            + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


# --- a burst of calls ------------------------------------------------------------------------


async def burst(
    stage: str,
    calls: Sequence[Callable[[], Awaitable[T]]],
    concurrency: int,
    deadline: float,
) -> tuple[list[T], list[float], Figure]:
    """Run every call with at most `concurrency` in flight; time each and the whole burst.

    A call that fails, or the deadline, stops the burst: the calls still running are cancelled.
    """
    gate = asyncio.Semaphore(concurrency)
    latencies = [0.0] * len(calls)
    done = 0

    async def timed(number: int, call: Callable[[], Awaitable[T]]) -> T:
        nonlocal done
        async with gate:
            started = time.perf_counter()
            result = await call()
            latencies[number] = time.perf_counter() - started
            done += 1
            return result

    with Stopwatch() as watch:
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(timed(n, call)) for n, call in enumerate(calls)]
        except TimeoutError:
            raise BenchmarkError(f"{stage}: {done} of {len(calls)} calls in time") from None
        except BaseExceptionGroup as failed:
            first = failed.exceptions[0]
            raise BenchmarkError(f"{stage}: a call failed: {first!r}") from first
    results = [task.result() for task in tasks]
    return results, latencies, Figure(stage, len(calls), watch.seconds)


# --- the services, over real HTTP ------------------------------------------------------------


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve the app on a free loopback port, lifespan and all, until the block ends."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=LOCALHOST,
            port=port,
            log_config=None,
            lifespan="on",
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
    )
    task = asyncio.create_task(server.serve())
    for _ in range(int(START_SECONDS / 0.05)):
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    if not server.started:
        server.should_exit = True
        await task
        raise BenchmarkError(f"{app.title} service: did not start in {START_SECONDS:.0f}s")
    try:
        yield f"http://{LOCALHOST}:{port}"
    finally:
        server.should_exit = True
        await task


def service_settings(
    cls: type[S],
    name: str,
    kafka: str,
    mongodb: str,
    names: RunNames,
    jwks_url: str,
    log_level: str,
) -> S:
    """Settings of one service for this run: its own database, consumer groups and issuer."""
    return cls(
        kafka_bootstrap_servers=kafka,
        mongodb_uri=mongodb,
        mongodb_database=names.database(name),
        consumer_group_suffix=f"bench-{names.run_id}",
        auth_jwks_url=jwks_url,
        log_format="console",
        log_level=log_level,
    )


def ok(response: httpx.Response, expected: int, doing: str) -> Any:
    """The JSON body of an answer during set-up or tally; anything unexpected stops the run."""
    if response.status_code != expected:
        raise BenchmarkError(f"{doing}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


async def make_partnership(
    http: httpx.AsyncClient, officer: dict[str, str], run_id: str
) -> tuple[str, list[str]]:
    """A partnership and its member schools, made through the membership API."""
    made = await http.post(
        "/partnerships",
        json={"name": f"Booking burst {run_id}", "kind": "cluster"},
        headers=officer,
    )
    pid = str(ok(made, 201, "create the partnership")["id"])
    urns = [str(900000 + number) for number in range(SCHOOLS)]
    for urn in urns:
        school = {
            "urn": urn,
            "name": f"Burst School {urn}",
            "phase": "secondary",
            "sector": "state",
        }
        ok(await http.post("/schools", json=school, headers=officer), 201, f"register {urn}")
        joined = await http.post(f"/partnerships/{pid}/members", json={"urn": urn}, headers=officer)
        ok(joined, 200, f"{urn} joins the partnership")
    return pid, urns


async def wait_for_members(
    db: AsyncDatabase[dict[str, Any]], pid: str, urns: Sequence[str], deadline: float
) -> None:
    """Until the events service's directory (built from membership's events) has the members."""
    directory = MongoDirectory(db)
    while True:
        copy = await directory.partnership(pid)
        heard = len(set(urns) & copy.active_members()) if copy else 0
        if heard == len(urns):
            return
        if time.monotonic() > deadline:
            raise BenchmarkError(
                f"directory: the events service heard of {heard} of {len(urns)} members in time"
            )
        await asyncio.sleep(POLL_SECONDS)


def activity_body(pid: str, number: int, capacity: int) -> dict[str, Any]:
    start = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    return {
        "title": f"Burst TeachMeet {number}",
        "category": "teacher_development",
        "format": "teachmeet",
        "partnership_id": pid,
        "venue": "Burst Hall",
        "sessions": [
            {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
        ],
        "capacity": capacity,
    }


async def publish_activities(
    http: httpx.AsyncClient, officer: dict[str, str], pid: str, size: BurstSize
) -> list[str]:
    ids = []
    for number in range(size.activities):
        made = await http.post(
            "/activities", json=activity_body(pid, number, size.places), headers=officer
        )
        aid = str(ok(made, 201, "create an activity")["id"])
        ok(await http.post(f"/activities/{aid}/publish", headers=officer), 200, "publish")
        ids.append(aid)
    return ids


@dataclass(frozen=True)
class Answer:
    """The final answer to one booking request, after it was sent again for `resent` reasons."""

    activity_id: str
    code: int
    """HTTP status code; 0 when the last attempt got no answer (connection error)."""
    status: str | None
    text: str
    resent: tuple[str, ...] = ()


def booking_calls(
    clients: Sequence[httpx.AsyncClient],
    key: SigningKey,
    activity_ids: Sequence[str],
    urns: Sequence[str],
    size: BurstSize,
) -> list[Callable[[], Awaitable[Answer]]]:
    """One call per request: its own teacher, token and Idempotency-Key, made before timing."""

    def call(number: int) -> Callable[[], Awaitable[Answer]]:
        aid, urn = size.target(number, activity_ids, urns)
        http = clients[number % len(clients)]
        person = f"burst-teacher-{number}"
        token = mint_token(key, subject=person, role=Role.TEACHER, schools=[urn], person_id=person)
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}

        async def book() -> Answer:
            resent: list[str] = []
            while True:
                try:
                    response = await http.post(
                        f"/activities/{aid}/bookings", json={"urn": urn}, headers=headers
                    )
                except httpx.TransportError as error:  # the same key again is safe
                    if len(resent) == CLIENT_RETRIES:
                        return Answer(aid, 0, None, repr(error), tuple(resent))
                    resent.append(type(error).__name__)
                    continue
                if response.status_code == 201:
                    return Answer(aid, 201, str(response.json()["status"]), "", tuple(resent))
                wait = retry_after(response)
                if wait is None or len(resent) == CLIENT_RETRIES:
                    text = response.text[:300]
                    return Answer(aid, response.status_code, None, text, tuple(resent))
                resent.append(f"{response.status_code} Retry-After")
                await asyncio.sleep(wait)

        return book

    return [call(number) for number in range(size.requests)]


def retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait before sending the same request again, if the answer says to retry."""
    if response.status_code not in (409, 429, 503) or "Retry-After" not in response.headers:
        return None
    try:
        return max(float(response.headers["Retry-After"]), 0.0)
    except ValueError:
        return 1.0


async def tally(
    http: httpx.AsyncClient, officer: dict[str, str], activity_ids: Sequence[str], size: BurstSize
) -> list[ActivityTally]:
    """What the events API says about each activity and its bookings after the burst."""
    tallies = []
    for number, aid in enumerate(activity_ids):
        activity = ok(await http.get(f"/activities/{aid}", headers=officer), 200, "read activity")
        listed = ok(await http.get(f"/activities/{aid}/bookings", headers=officer), 200, "list")
        tallies.append(
            ActivityTally(
                activity_id=aid,
                capacity=int(activity["details"]["capacity"]),
                requests=size.requests_for(number),
                expected_registered=size.expected_registered(number),
                places_taken=int(activity["places_taken"]),
                stored=Counter(str(booking["status"]) for booking in listed),
            )
        )
    return tallies


# --- the baseline: the same conditional update, raw ------------------------------------------


@retry_on_write_conflict()
async def take_in_transaction(
    client: AsyncMongoClient[dict[str, Any]],
    db: AsyncDatabase[dict[str, Any]],
    activity_id: str,
    urn: str,
) -> bool:
    """`take_places` alone in a transaction of its own, retried as the booking handler is."""
    async with MongoUnitOfWork(client, db, source=SOURCE) as uow:
        taken = await ActivityRepository(db, uow.session).take_places(activity_id, urn, 1)
        await uow.commit()
    return taken


async def take_until_decided(
    client: AsyncMongoClient[dict[str, Any]],
    db: AsyncDatabase[dict[str, Any]],
    activity_id: str,
    urn: str,
) -> int:
    """Once the handler's retries run out, start again, as the burst's client does after the
    service's 409 with Retry-After. Returns how often it started again."""
    for started_again in range(CLIENT_RETRIES):
        try:
            await take_in_transaction(client, db, activity_id, urn)
            return started_again
        except PyMongoError as error:
            if not error.has_error_label("TransientTransactionError"):
                raise
    await take_in_transaction(client, db, activity_id, urn)
    return CLIENT_RETRIES


async def copy_activities(
    source: AsyncDatabase[dict[str, Any]], target: AsyncDatabase[dict[str, Any]], ids: list[str]
) -> None:
    """The very activity documents the bookings will update, before any place is taken."""
    documents = [
        doc async for doc in source[ActivityRepository.collection_name].find({"_id": {"$in": ids}})
    ]
    await target[ActivityRepository.collection_name].insert_many(documents)


async def scratch_tally(
    stage: str, db: AsyncDatabase[dict[str, Any]], size: BurstSize, started_again: int
) -> ScratchTally:
    documents = [doc async for doc in db[ActivityRepository.collection_name].find({})]
    return ScratchTally(
        stage=stage,
        started_again=started_again,
        taken=sum(int(doc["places_taken"]) for doc in documents),
        expected=sum(size.expected_registered(number) for number in range(size.activities)),
        overbooked=[
            str(doc["_id"]) for doc in documents if doc["places_taken"] > doc["details"]["capacity"]
        ],
    )


async def raw_takes(
    client: AsyncMongoClient[dict[str, Any]],
    events_db: AsyncDatabase[dict[str, Any]],
    names: RunNames,
    activity_ids: list[str],
    urns: Sequence[str],
    report: BurstReport,
    deadline: float,
) -> None:
    """N `take_places` at the same concurrency on scratch copies: alone, then one per transaction."""
    size = report.size
    plain, in_transaction = client[names.database("take")], client[names.database("take_txn")]
    for db in (plain, in_transaction):
        await copy_activities(events_db, db, activity_ids)

    def alone(number: int) -> Callable[[], Awaitable[int]]:
        async def take() -> int:
            await ActivityRepository(plain, None).take_places(
                *size.target(number, activity_ids, urns), 1
            )
            return 0

        return take

    def transacted(number: int) -> Callable[[], Awaitable[int]]:
        target = size.target(number, activity_ids, urns)
        return lambda: take_until_decided(client, in_transaction, *target)

    for stage, db, make in ((RAW_TAKE, plain, alone), (TXN_TAKE, in_transaction, transacted)):
        calls = [make(number) for number in range(size.requests)]
        started_again, latencies, figure = await burst(stage, calls, size.concurrency, deadline)
        report.figures.add(figure)
        report.latency[stage] = Latency.of(latencies)
        report.scratch.append(await scratch_tally(stage, db, size, sum(started_again)))


# --- the run ---------------------------------------------------------------------------------


async def run(
    size: BurstSize,
    kafka_bootstrap: str,
    mongodb_uri: str,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    log_level: str = "WARNING",
) -> BurstReport:
    """Set up, measure the raw baselines, fire the burst, tally; drop the run's databases."""
    deadline = time.monotonic() + timeout
    names = RunNames.fresh()
    report = BurstReport(size, Report(size.requests))
    others: list[ManagedProcess] = []
    stack_dir = Path(tempfile.mkdtemp(prefix="bench-burst-"))
    issuing = ExitStack()
    issuer = issuing.enter_context(local_issuer())
    common = (kafka_bootstrap, mongodb_uri, names, issuer.jwks_url, log_level)
    membership = service_settings(MembershipSettings, "membership", *common)
    events = service_settings(EventsSettings, "events", *common)
    await ensure_topics(kafka_bootstrap)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri, tz_aware=True)
    limits = httpx.Limits(
        max_connections=size.concurrency, max_keepalive_connections=size.concurrency
    )
    try:
        async with (
            serving(build_membership(membership)) as membership_url,
            serving(build_events(events)) as events_url,
            httpx.AsyncClient(base_url=membership_url, timeout=timeout) as membership_http,
            httpx.AsyncClient(base_url=events_url, timeout=timeout, limits=limits) as events_http,
        ):
            officer = {
                "Authorization": "Bearer "
                + mint_token(issuer.key, subject="burst-officer", role=Role.COUNTY_OFFICER)
            }
            pid, urns = await make_partnership(membership_http, officer, names.run_id)
            events_db = client[events.database_name]
            await wait_for_members(events_db, pid, urns, deadline)
            activity_ids = await publish_activities(events_http, officer, pid, size)
            others = start_other_processes(events, size.processes - 1, stack_dir)

            await raw_takes(client, events_db, names, activity_ids, urns, report, deadline)

            extra_urls = [p.url for p in others]
            extra_http = [
                httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits)
                for url in extra_urls
            ]
            clients = [events_http, *extra_http]
            calls = booking_calls(clients, issuer.key, activity_ids, urns, size)
            answers, latencies, figure = await burst(BOOKINGS, calls, size.concurrency, deadline)
            report.figures.add(Figure(BOOKINGS, figure.events, figure.seconds, RAW_TAKE))
            report.latency[BOOKINGS] = Latency.of(latencies)
            for status in sorted({answer.status for answer in answers if answer.status}):
                report.latency[f"{BOOKINGS} → {status}"] = Latency.of(
                    [
                        t
                        for t, answer in zip(latencies, answers, strict=True)
                        if answer.status == status
                    ]
                )
            report.responses.update(answer.code for answer in answers)
            report.resent.update(reason for answer in answers for reason in answer.resent)
            report.most_resent = max(len(answer.resent) for answer in answers)
            report.statuses.update(answer.status for answer in answers if answer.status)
            report.failures = [
                f"HTTP {answer.code} {answer.text}" for answer in answers if answer.code != 201
            ][:FAILURES_KEPT]
            for http in extra_http:
                await http.aclose()
            report.activities = await tally(events_http, officer, activity_ids, size)
            report.figures.about.update(partnership=pid, activities=activity_ids)
    finally:
        for process in others:
            process.stop()
        shutil.rmtree(stack_dir, ignore_errors=True)
        await drop_databases(client, names, (membership.database_name, events.database_name))
        await client.close()
        issuing.close()
    report.figures.figures.sort(key=lambda figure: STAGES.index(figure.stage))
    report.figures.checks.update(
        passed=not report.problems(), overbooked=[t.activity_id for t in report.overbooked]
    )
    report.figures.about.update(run_id=names.run_id)
    return report


def start_other_processes(
    settings: EventsSettings, count: int, stack_dir: Path
) -> list[ManagedProcess]:
    """`count` more events services, each an OS process of its own (so nothing in one process's
    memory can keep them from racing), on the same database; its directory is already there."""
    started: list[ManagedProcess] = []
    for number in range(count):
        env = {
            "SERVICE_NAME": "events",
            "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
            "MONGODB_URI": settings.mongodb_uri,
            "MONGODB_DATABASE": settings.database_name,
            "AUTH_JWKS_URL": settings.auth_jwks_url,
            "CONSUMER_GROUP_SUFFIX": f"{settings.consumer_group_suffix}-{number + 2}",
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "json",
        }
        process = replace(
            servers.service(stack_dir, "events", free_port(), env), name=f"events-{number + 2}"
        )
        process.start()
        started.append(process)
    for process in started:
        wait_for_http(f"{process.url}/ready", START_SECONDS, process)
    return started


async def drop_databases(
    client: AsyncMongoClient[dict[str, Any]], names: RunNames, services: Sequence[str]
) -> None:
    """Drop the run's databases; a failure here only logs a warning."""
    for database in (*services, names.database("take"), names.database("take_txn")):
        try:
            await client.drop_database(database)
        except Exception as error:
            log.warning("bench.drop_database_failed", database=database, error=str(error))


# --- command line ----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.booking_burst",
        description="Bookings/s and latency of concurrent booking requests through the events "
        "API, against the raw conditional update on the same database in the same run. "
        "Exits 1 on any overbooking or failed check.",
    )
    for name, default, meaning in (
        ("requests", DEFAULT_REQUESTS, "booking requests, each for its own teacher"),
        ("activities", DEFAULT_ACTIVITIES, "activities they are spread over"),
        ("places", DEFAULT_PLACES, "places on each activity"),
        ("concurrency", DEFAULT_CONCURRENCY, "requests in flight at once"),
        ("processes", 1, "events-service processes on the one database, taking turns"),
    ):
        parser.add_argument(f"--{name}", type=int, default=default, help=f"{meaning} (%(default)s)")
    add_run_arguments(parser, timeout=DEFAULT_TIMEOUT_SECONDS)
    args = parser.parse_args(argv)
    try:
        args.size = BurstSize(
            args.requests, args.activities, args.places, args.concurrency, args.processes
        )
    except ValueError as error:
        parser.error(f"--{error}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    configure_logging(
        ServiceSettings(service_name="bench", log_level=args.log_level, log_format="console")
    )
    filter_faststream_logs(args.log_level)
    size: BurstSize = args.size
    with servers_for_run(args.kafka, args.mongodb) as found:
        where = ", ".join(
            f"{name} {'embedded' if name in found.embedded else 'given'}"
            for name in ("kafka", "mongodb")
        )
        print(
            f"bench.booking_burst: {size.requests} requests over {size.activities} activities "
            f"of {size.places} places, {size.concurrency} in flight, "
            f"{size.processes} events process(es); {where}",
            flush=True,
        )
        try:
            report = asyncio.run(
                run(
                    size,
                    found.kafka_bootstrap,
                    found.mongodb_uri,
                    timeout=args.timeout,
                    log_level=args.log_level,
                )
            )
        except BenchmarkError as error:
            print(f"bench.booking_burst: {error}", file=sys.stderr)
            return 1
    report.figures.about.update(
        servers=where,
        at=datetime.now(UTC).isoformat(timespec="seconds"),
        python=platform.python_version(),
        machine=f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
    )
    print(report.text())
    if args.json:
        args.json.write_text(json.dumps(report.as_json(), indent=2) + "\n")
    if problems := report.problems():
        print("checks FAILED:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("checks passed: no activity overbooked, places_taken matches the bookings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
