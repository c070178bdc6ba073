"""Bookings over real HTTP: membership events feed the events service's directory."""

import asyncio
import uuid

from eventkit.auth import Role
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.membership import Membership
from support.polling import eventually


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def published_activity(events: Events, pid: str, **changes: object) -> str:
    created = await events.http.post(
        "/activities", json=activity_body(pid, **changes), headers=events.officer
    )
    assert created.status_code == 201, created.text
    aid = created.json()["id"]
    published = await events.http.post(f"/activities/{aid}/publish", headers=events.officer)
    assert published.status_code == 200, published.text
    return str(aid)


def teacher(events: Events, person_id: str, urn: str) -> dict[str, str]:
    return events.as_(Role.TEACHER, schools=[urn], person_id=person_id)


async def test_racing_bookings_never_overbook_and_the_rest_wait_in_order(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=2, staff_per_school=4)
    await wait_for_directory(events, p)
    aid = await published_activity(events, p.id, capacity=3)

    responses = await asyncio.gather(
        *(
            events.http.post(
                f"/activities/{aid}/bookings",
                json={"urn": urn},
                headers={**teacher(events, person, urn), **key()},
            )
            for person, urn in p.staff.items()
        )
    )
    assert {r.status_code for r in responses} == {201}, [r.text for r in responses]
    statuses = sorted(r.json()["status"] for r in responses)
    assert statuses == ["registered"] * 3 + ["waitlisted"] * 5
    activity = (await events.http.get(f"/activities/{aid}", headers=events.officer)).json()
    assert activity["places_taken"] == 3

    # A registered teacher cancels: the earliest waitlisted booking gets a timed offer.
    registered = [r.json() for r in responses if r.json()["status"] == "registered"]
    waitlisted = sorted(
        (r.json() for r in responses if r.json()["status"] == "waitlisted"),
        key=lambda b: b["queued_ns"],
    )
    leaving = registered[0]
    cancel = await events.http.post(
        f"/bookings/{leaving['id']}/cancel",
        headers=teacher(events, leaving["person_id"], leaving["urn"]),
    )
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    first = waitlisted[0]
    holder = teacher(events, first["person_id"], first["urn"])

    async def offered() -> bool:
        now = (await events.http.get(f"/bookings/{first['id']}", headers=holder)).json()
        return bool(now["status"] == "offered" and now["offer_expires_at"])

    await eventually(offered, what="the first waitlisted booking offered the place")
    accepted = await events.http.post(
        f"/bookings/{first['id']}/accept", headers=teacher(events, first["person_id"], first["urn"])
    )
    assert accepted.json()["status"] == "registered"
    still_waiting = await events.http.get(
        f"/bookings/{waitlisted[1]['id']}",
        headers=teacher(events, waitlisted[1]["person_id"], waitlisted[1]["urn"]),
    )
    assert still_waiting.json()["status"] == "waitlisted"
    activity = (await events.http.get(f"/activities/{aid}", headers=events.officer)).json()
    assert activity["places_taken"] == 3


async def test_the_same_idempotency_key_gives_the_same_booking(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1)
    await wait_for_directory(events, p)
    aid = await published_activity(events, p.id)
    person, urn = next(iter(p.staff.items()))
    headers = {**teacher(events, person, urn), "Idempotency-Key": "the-same-key-twice"}

    first, second = await asyncio.gather(
        events.http.post(f"/activities/{aid}/bookings", json={"urn": urn}, headers=headers),
        events.http.post(f"/activities/{aid}/bookings", json={"urn": urn}, headers=headers),
    )
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json()["id"] == second.json()["id"]
    activity = (await events.http.get(f"/activities/{aid}", headers=events.officer)).json()
    assert activity["places_taken"] == 1


async def test_only_members_of_a_partnership_it_is_open_to_can_book(
    membership: Membership, events: Events
) -> None:
    ours = await make_partnership(membership, schools=1)
    theirs = await make_partnership(membership, schools=1)
    await wait_for_directory(events, ours)
    await wait_for_directory(events, theirs)
    aid = await published_activity(events, ours.id)
    person, urn = next(iter(theirs.staff.items()))

    # Not open to their partnership: they cannot even see it.
    hidden = await events.http.post(
        f"/activities/{aid}/bookings",
        json={"urn": urn},
        headers={**teacher(events, person, urn), **key()},
    )
    assert hidden.status_code == 404

    # A school lead of our school booking for a school it does not act for: 403.
    our_urn = ours.schools[0]
    lead = events.as_(Role.SCHOOL_LEAD, schools=[our_urn])
    foreign = await events.http.post(
        f"/activities/{aid}/bookings", json={"urn": urn, "pupils": 5}, headers={**lead, **key()}
    )
    assert foreign.status_code in (403, 409), foreign.text
    assert "pupil" in foreign.json()["detail"] or "school" in foreign.json()["detail"]


async def test_pupil_places_are_a_count_and_respect_the_per_school_cap(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=2)
    await wait_for_directory(events, p)
    aid = await published_activity(
        events,
        p.id,
        title="Debating day",
        format="pupil_activity",
        category="academic",
        audience={"staff": False, "pupils": True, "phases": ["secondary"]},
        capacity=30,
        per_school_cap=12,
    )
    a, b = p.schools
    lead_a = events.as_(Role.SCHOOL_LEAD, schools=[a])
    lead_b = events.as_(Role.SCHOOL_LEAD, schools=[b])
    ok = await events.http.post(
        f"/activities/{aid}/bookings", json={"urn": a, "pupils": 10}, headers={**lead_a, **key()}
    )
    assert ok.json()["status"] == "registered" and ok.json()["person_id"] is None
    over_cap = await events.http.post(
        f"/activities/{aid}/bookings", json={"urn": a, "pupils": 5}, headers={**lead_a, **key()}
    )
    assert over_cap.json()["status"] == "waitlisted"
    other = await events.http.post(
        f"/activities/{aid}/bookings", json={"urn": b, "pupils": 12}, headers={**lead_b, **key()}
    )
    assert other.json()["status"] == "registered"
    staff = await events.http.post(
        f"/activities/{aid}/bookings", json={"urn": a}, headers={**lead_a, **key()}
    )
    assert staff.status_code in (409, 422), staff.text


async def test_bad_booking_requests_are_4xx_naming_the_problem(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1)
    await wait_for_directory(events, p)
    aid = await published_activity(events, p.id)
    person, urn = next(iter(p.staff.items()))
    headers = teacher(events, person, urn)
    no_key = await events.http.post(
        f"/activities/{aid}/bookings", json={"urn": urn}, headers=headers
    )
    assert no_key.status_code == 422 and "idempotency-key" in no_key.text.lower()
    bad_urn = await events.http.post(
        f"/activities/{aid}/bookings", json={"urn": "abc"}, headers={**headers, **key()}
    )
    assert bad_urn.status_code == 422 and "urn" in bad_urn.text
    both = await events.http.post(
        f"/activities/{aid}/bookings",
        json={"urn": urn, "person_id": person, "pupils": 3},
        headers={**headers, **key()},
    )
    assert both.status_code == 422
    missing = await events.http.post(
        "/activities/nope/bookings", json={"urn": urn}, headers={**headers, **key()}
    )
    assert missing.status_code == 404
    bad_activity = await events.http.post(
        "/activities", json=activity_body(p.id, capacity=0, sessions=[]), headers=events.officer
    )
    assert bad_activity.status_code == 422
    assert {tuple(e["loc"][-1:]) for e in bad_activity.json()["errors"]} >= {
        ("capacity",),
        ("sessions",),
    }
