"""Approval by a school's CPD approver, and passing a place to a colleague before the deadline."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from eventkit.auth import Role
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.membership import Membership
from support.polling import eventually


async def _publish(events: Events, body: dict[str, object]) -> str:
    created = await events.http.post("/activities", json=body, headers=events.officer)
    assert created.status_code == 201, created.text
    aid = str(created.json()["id"])
    assert (await events.http.post(f"/activities/{aid}/publish", headers=events.officer)).is_success
    return aid


async def _book(events: Events, aid: str, person: str, urn: str) -> dict[str, object]:
    headers = {
        **events.as_(Role.TEACHER, schools=[urn], person_id=person),
        "Idempotency-Key": uuid.uuid4().hex,
    }
    r = await events.http.post(f"/activities/{aid}/bookings", json={"urn": urn}, headers=headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_a_school_that_requires_approval_holds_the_place_until_its_approver_decides(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=3)
    await wait_for_directory(events, p)
    urn = p.schools[0]
    lead = events.as_(Role.SCHOOL_LEAD, schools=[urn])
    policy = await events.http.put(
        f"/schools/{urn}/booking-policy", json={"staff_bookings_need_approval": True}, headers=lead
    )
    assert policy.status_code == 204
    aid = await _publish(events, activity_body(p.id, capacity=2))
    first, second, third = [await _book(events, aid, person, urn) for person in p.staff]
    assert [first["status"], second["status"], third["status"]] == [
        "awaiting_approval",
        "awaiting_approval",
        "waitlisted",
    ]

    colleague = events.as_(Role.TEACHER, schools=[urn], person_id=str(third["person_id"]))
    refused = await events.http.post(f"/bookings/{first['id']}/approve", headers=colleague)
    assert refused.status_code in (403, 404)

    approved = await events.http.post(f"/bookings/{first['id']}/approve", headers=lead)
    assert approved.json()["status"] == "registered"
    rejected = await events.http.post(f"/bookings/{second['id']}/reject", headers=lead)
    assert rejected.json()["status"] == "rejected"

    async def promoted() -> bool:
        third_now = await events.http.get(f"/bookings/{third['id']}", headers=lead)
        return bool(third_now.json()["status"] == "offered")

    await eventually(promoted, what="the waitlisted booking offered the rejected place")
    again = await events.http.post(f"/bookings/{first['id']}/approve", headers=lead)
    assert again.status_code == 409 and "not awaiting approval" in again.json()["detail"]


async def test_a_colleague_takes_the_place_before_the_deadline_but_not_after(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=2)
    await wait_for_directory(events, p)
    urn = p.schools[0]
    (booker, _), (colleague, _) = p.staff.items()
    aid = await _publish(events, activity_body(p.id, capacity=5))
    booking = await _book(events, aid, booker, urn)
    me = events.as_(Role.TEACHER, schools=[urn], person_id=booker)

    stranger = await events.http.post(
        f"/bookings/{booking['id']}/substitute", json={"person_id": "nobody"}, headers=me
    )
    assert stranger.status_code == 422 and "no current role" in stranger.json()["detail"]
    passed = await events.http.post(
        f"/bookings/{booking['id']}/substitute", json={"person_id": colleague}, headers=me
    )
    assert passed.status_code == 200, passed.text
    assert passed.json()["person_id"] == colleague
    assert passed.json()["check_in_code"] != booking["check_in_code"]

    closed = activity_body(
        p.id, capacity=5, cancel_by=(datetime.now(UTC) + timedelta(seconds=1)).isoformat()
    )
    late_aid = await _publish(events, closed)
    late = await _book(events, late_aid, booker, urn)
    await asyncio.sleep(1.5)
    too_late = await events.http.post(f"/bookings/{late['id']}/cancel", headers=me)
    assert too_late.status_code == 409 and "too late" in too_late.json()["detail"]
