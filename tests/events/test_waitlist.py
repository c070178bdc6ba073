"""Timed offers expire and pass on; more capacity offers places; too few bookings warn."""

import uuid
from datetime import UTC, datetime, timedelta

from eventkit.auth import Role
from support.events import (
    Events,
    activity_body,
    make_partnership,
    running_events,
    wait_for_directory,
)
from support.kafka import read_topic
from support.membership import Membership
from support.polling import eventually


async def book_all(events: Events, aid: str, staff: dict[str, str]) -> list[dict[str, object]]:
    made = []
    for person, urn in staff.items():
        headers = {
            **events.as_(Role.TEACHER, schools=[urn], person_id=person),
            "Idempotency-Key": uuid.uuid4().hex,
        }
        r = await events.http.post(
            f"/activities/{aid}/bookings", json={"urn": urn}, headers=headers
        )
        assert r.status_code == 201, r.text
        made.append(r.json())
    return made


async def status_of(events: Events, booking_id: str) -> str:
    r = await events.http.get(f"/bookings/{booking_id}", headers=events.officer)
    return str(r.json()["status"])


async def has_status(events: Events, booking: dict[str, object], status: str) -> bool:
    return await status_of(events, str(booking["id"])) == status


async def test_an_offer_not_taken_expires_and_passes_to_the_next_in_line(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str, membership: Membership
) -> None:
    async with running_events(
        kafka_bootstrap,
        mongodb_uri,
        f"events_{unique_name}",
        consumer_group_suffix=unique_name,
        sweep_seconds=0.2,
        offer_hours=1 / 3600,  # one second
    ) as events:
        p = await make_partnership(membership, schools=1, staff_per_school=3)
        await wait_for_directory(events, p)
        created = await events.http.post(
            "/activities", json=activity_body(p.id, capacity=1), headers=events.officer
        )
        aid = created.json()["id"]
        await events.http.post(f"/activities/{aid}/publish", headers=events.officer)
        first, second, third = await book_all(events, aid, p.staff)
        assert [first["status"], second["status"], third["status"]] == [
            "registered",
            "waitlisted",
            "waitlisted",
        ]

        await events.http.post(f"/bookings/{first['id']}/cancel", headers=events.officer)
        await eventually(lambda: has_status(events, second, "offered"), what="offered")

        async def passed_on() -> bool:
            return (
                await status_of(events, str(second["id"])) == "expired"
                and await status_of(events, str(third["id"])) == "offered"
            )

        await eventually(passed_on)
        activity = (await events.http.get(f"/activities/{aid}", headers=events.officer)).json()
        assert activity["places_taken"] == 1


async def test_more_capacity_offers_places_to_the_waitlist(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=3)
    await wait_for_directory(events, p)
    body = activity_body(p.id, capacity=1)
    aid = (await events.http.post("/activities", json=body, headers=events.officer)).json()["id"]
    await events.http.post(f"/activities/{aid}/publish", headers=events.officer)
    _, second, third = await book_all(events, aid, p.staff)

    bigger = await events.http.put(
        f"/activities/{aid}", json={**body, "capacity": 3}, headers=events.officer
    )
    assert bigger.status_code == 200, bigger.text
    await eventually(lambda: has_status(events, second, "offered"), what="second offered")
    await eventually(lambda: has_status(events, third, "offered"), what="third offered")
    smaller = await events.http.put(
        f"/activities/{aid}", json={**body, "capacity": 1}, headers=events.officer
    )
    assert smaller.status_code == 409 and "places are already taken" in smaller.json()["detail"]


async def test_the_coordinator_is_warned_once_when_too_few_have_booked(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    await wait_for_directory(events, p)
    closes = datetime.now(UTC) + timedelta(days=2)
    body = activity_body(p.id, capacity=20, minimum_numbers=8, booking_closes_at=closes.isoformat())
    aid = (await events.http.post("/activities", json=body, headers=events.officer)).json()["id"]
    await events.http.post(f"/activities/{aid}/publish", headers=events.officer)

    records = await read_topic(
        events.settings.kafka_bootstrap_servers, "partnerships.events.v1", expect=10_000, timeout=3
    )
    warnings = [
        r
        for r in records
        if r.key == aid.encode()
        and dict(r.headers)["ce_type"] == b"events.minimum_numbers_at_risk.v1"
    ]
    assert len(warnings) == 1
