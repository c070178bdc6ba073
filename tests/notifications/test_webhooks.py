"""Webhooks to other council systems on the real broker, to a real HTTP receiver that checks
each delivery with the Standard Webhooks library."""

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from notifications.test_booking_mail import book, published
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from eventkit.auth import Role
from support.events import Events, make_partnership, wait_for_directory
from support.membership import Membership
from support.notifications import Notifications, running_notifications
from support.polling import eventually
from support.services import serve

pytestmark = pytest.mark.integration


@dataclass
class Received:
    at: float
    path: str
    headers: dict[str, str]
    body: bytes


SLOW_SECONDS = 1.5


@dataclass
class Receiver:
    """A council system's endpoint: `/ok`, `/slow` (answers after `SLOW_SECONDS`), `/flaky` (503 with
    Retry-After: 1, twice, then 200), `/gone` (410)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    flaky_left: int = 2

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    state = Receiver()
    app = FastAPI()

    @app.post("/{path}")
    async def receive(path: str, request: Request) -> Response:
        state.received.append(
            Received(time.monotonic(), f"/{path}", dict(request.headers), await request.body())
        )
        if path == "slow":
            await asyncio.sleep(SLOW_SECONDS)
        if path == "gone":
            return Response(status_code=410)
        if path == "flaky" and state.flaky_left > 0:
            state.flaky_left -= 1
            return Response(status_code=503, headers={"Retry-After": "1"})
        return Response(status_code=204)

    async with serve(app) as url:
        state.url = url
        yield state


@pytest.fixture
async def hooks(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str, smtp_server: Any
) -> AsyncIterator[Notifications]:
    async with running_notifications(
        kafka_bootstrap,
        mongodb_uri,
        f"notifications_{unique_name}",
        consumer_group_suffix=unique_name,
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        webhook_allow_private=True,  # the receiver is on loopback
        webhook_retry_seconds=[0.2, 0.2, 0.2],
        webhook_poll_seconds=0.1,
        webhook_timeout_seconds=3,
    ) as service:
        yield service


async def subscribe(hooks: Notifications, url: str, **body: Any) -> dict[str, Any]:
    made = await hooks.http.post("/webhooks", json={"url": url, **body}, headers=hooks.officer)
    assert made.status_code == 201, made.text
    return dict(made.json())


async def test_a_booking_reaches_every_subscriber_signed_once_and_a_slow_one_delays_no_other(
    membership: Membership, events: Events, hooks: Notifications, receiver: Receiver
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    await wait_for_directory(events, p)
    [ann] = list(p.staff)
    wanted = ["events.booking_placed.v1"]
    fast = await subscribe(hooks, f"{receiver.url}/ok", event_types=wanted)
    await subscribe(hooks, f"{receiver.url}/slow", event_types=wanted)
    other = await subscribe(
        hooks, f"{receiver.url}/ok", event_types=wanted, partnership_ids=["someone-else"]
    )
    everything = await subscribe(hooks, f"{receiver.url}/all")
    assert (
        fast["secret"].startswith("whsec_")
        and "secret"
        not in (await hooks.http.get(f"/webhooks/{fast['id']}", headers=hooks.officer)).json()
    )

    activity = await published(events, p, title="Webhook TeachMeet", capacity=5)
    booking = await book(events, p, activity["id"], ann)

    async def both_arrived() -> bool:
        return len(receiver.at("/ok")) >= 1 and len(receiver.at("/slow")) >= 1

    await eventually(both_arrived, 20, what="the booking at both endpoints")
    [ok] = receiver.at("/ok")  # not the other partnership's subscription
    [slow] = receiver.at("/slow")
    cloud_event = Webhook(fast["secret"]).verify(ok.body, ok.headers)
    assert cloud_event["type"] == "events.booking_placed.v1"
    assert cloud_event["specversion"] == "1.0" and cloud_event["source"].endswith("/events")
    assert cloud_event["data"]["booking_id"] == booking["id"]
    assert ok.headers["content-type"] == "application/cloudevents+json"
    assert ok.headers["webhook-id"] == f"{fast['id']}:{cloud_event['id']}"
    with pytest.raises(WebhookVerificationError):
        Webhook(other["secret"]).verify(ok.body, ok.headers)  # another subscription's secret
    # The slow endpoint did not hold the fast one back: the fast one had its delivery before the
    # slow one had its answer (however long the bus took to bring the booking).
    assert ok.at < slow.at + SLOW_SECONDS

    log: list[dict[str, Any]] = []

    async def recorded() -> bool:
        shown = await hooks.http.get(f"/webhooks/{fast['id']}/deliveries", headers=hooks.officer)
        log[:] = shown.json()
        return [d["state"] for d in log] == ["delivered"]

    await eventually(recorded, what="the delivery recorded as delivered")
    [delivery] = log
    assert [a["status"] for a in delivery["attempts"]] == [204]

    again = await hooks.http.post(
        f"/webhooks/{fast['id']}/deliveries/{delivery['id']}/replay", headers=hooks.officer
    )
    assert again.json() == {"queued": 1}

    async def replayed() -> bool:
        return len(receiver.at("/ok")) == 2

    await eventually(replayed, what="the replayed delivery")
    assert receiver.at("/ok")[1].headers["webhook-id"] == ok.headers["webhook-id"]
    await asyncio.sleep(1)
    assert len(receiver.at("/ok")) == 2  # nothing else went twice

    # Unfiltered, it gets every event but those about deliveries (each would make another).
    await asyncio.sleep(2)
    got = [
        Webhook(everything["secret"]).verify(r.body, r.headers)["type"] for r in receiver.at("/all")
    ]
    assert "events.booking_placed.v1" in got
    assert "notifications.webhook_delivered.v1" not in got


async def test_retries_honour_retry_after_and_410_disables_the_endpoint(
    membership: Membership, events: Events, hooks: Notifications, receiver: Receiver
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    await wait_for_directory(events, p)
    [ann] = list(p.staff)
    wanted = ["events.booking_placed.v1"]
    flaky = await subscribe(hooks, f"{receiver.url}/flaky", event_types=wanted)
    gone = await subscribe(hooks, f"{receiver.url}/gone", event_types=wanted)
    activity = await published(events, p, title="Retry TeachMeet", capacity=5)
    await book(events, p, activity["id"], ann)

    async def delivered() -> bool:
        log = await hooks.http.get(f"/webhooks/{flaky['id']}/deliveries", headers=hooks.officer)
        return [d["state"] for d in log.json()] == ["delivered"]

    await eventually(delivered, 20, what="the flaky endpoint's delivery, retried")
    tries = receiver.at("/flaky")
    assert len(tries) == 3 and len({t.headers["webhook-id"] for t in tries}) == 1
    assert tries[1].at - tries[0].at >= 0.9 and tries[2].at - tries[1].at >= 0.9  # Retry-After: 1

    async def disabled() -> bool:
        shown = await hooks.http.get(f"/webhooks/{gone['id']}", headers=hooks.officer)
        return shown.json()["disabled_at"] is not None

    await eventually(disabled, what="the 410 endpoint disabled")
    shown = (await hooks.http.get(f"/webhooks/{gone['id']}", headers=hooks.officer)).json()
    assert "410" in shown["disabled_reason"]
    assert len(receiver.at("/gone")) == 1


async def test_only_officers_subscribe_and_private_addresses_are_refused(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str, hooks: Notifications, smtp_server: Any
) -> None:
    teacher = hooks.as_(Role.TEACHER, person_id="someone")
    refused = await hooks.http.post(
        "/webhooks", json={"url": "https://council.example/hook"}, headers=teacher
    )
    assert refused.status_code == 403
    unknown = await hooks.http.post(
        "/webhooks",
        json={"url": "https://council.example/hook", "event_types": ["events.nothing.v9"]},
        headers=hooks.officer,
    )
    assert unknown.status_code == 422 and "no such event type" in unknown.json()["detail"]
    async with running_notifications(
        kafka_bootstrap,
        mongodb_uri,
        f"notifications_strict_{unique_name}",
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
    ) as strict:  # the production default: no private destinations
        for url in (
            "http://127.0.0.1:8080/hook",
            "http://10.1.2.3/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/hook",
            "http://localhost/hook",
        ):
            answer = await strict.http.post("/webhooks", json={"url": url}, headers=strict.officer)
            assert answer.status_code == 422, (url, answer.text)
            assert "private or local address" in answer.json()["detail"], url
        ftp = await strict.http.post(
            "/webhooks", json={"url": "ftp://council.example/x"}, headers=strict.officer
        )
        assert ftp.status_code == 422
