"""Every event says who made the change (the `actor` CloudEvents extension): the person, a caller
without a person id by a hash of their token's subject, or the service for its own work."""

import hashlib
import uuid

import pytest

from eventkit.auth import Role
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.kafka import read_topic
from support.membership import Membership
from support.polling import eventually

pytestmark = pytest.mark.integration


async def test_each_event_names_who_made_the_change(membership: Membership, events: Events) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=2)
    await wait_for_directory(events, p)
    (first, urn), (second, _) = p.staff.items()
    aid = (
        await events.http.post(
            "/activities", json=activity_body(p.id, capacity=1), headers=events.officer
        )
    ).json()["id"]
    await events.http.post(f"/activities/{aid}/publish", headers=events.officer)

    def teacher(person: str) -> dict[str, str]:
        headers = events.as_(Role.TEACHER, schools=[urn], person_id=person)
        return {**headers, "Idempotency-Key": uuid.uuid4().hex}

    booked = [
        (
            await events.http.post(
                f"/activities/{aid}/bookings", json={"urn": urn}, headers=teacher(person)
            )
        ).json()
        for person in (first, second)
    ]
    assert [b["status"] for b in booked] == ["registered", "waitlisted"]
    cancelled = await events.http.post(
        f"/bookings/{booked[0]['id']}/cancel", headers=teacher(first)
    )
    assert cancelled.status_code == 200

    async def actors() -> dict[str, list[str]]:
        records = await read_topic(
            events.settings.kafka_bootstrap_servers,
            "partnerships.events.v1",
            expect=10_000,
            timeout=2,
        )
        found: dict[str, list[str]] = {}
        for record in records:
            if record.key != aid.encode():
                continue
            headers = {k: v.decode() for k, v in record.headers}
            found.setdefault(headers["ce_type"], []).append(headers.get("ce_actor", ""))
        return found

    async def offered() -> bool:
        return len((await actors()).get("events.booking_status_changed.v1", [])) >= 2

    await eventually(offered, what="the cancellation and the offer on the topic")
    seen = await actors()
    officer = "caller:" + hashlib.sha256(b"tester-county_officer").hexdigest()[:16]
    assert seen["events.activity_published.v1"] == [officer]
    assert seen["events.booking_placed.v1"] == [first, second]
    cancel, offer = seen["events.booking_status_changed.v1"]
    assert cancel == first  # the person who cancelled
    assert offer == "service:events"  # the waitlist promotion is the service's own work
