"""The history of a record, kept by reporting from every topic: what changed, when, by whom."""

import uuid

import httpx
from reporting.conftest import Reporting

from eventkit.auth import Role
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.membership import Membership


def types(response: httpx.Response) -> list[str]:
    return [entry["type"] for entry in response.json()]


async def test_an_officer_lists_every_change_to_a_record_in_order_with_who_made_it(
    membership: Membership, events: Events, reporting: Reporting
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    [(teacher_id, urn)] = p.staff.items()
    await wait_for_directory(events, p)
    coordinator_id = f"coord-{uuid.uuid4().hex[:8]}"
    coordinator = events.as_(
        Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id], person_id=coordinator_id
    )
    activity = (
        await events.http.post("/activities", json=activity_body(p.id), headers=coordinator)
    ).json()
    await events.http.post(f"/activities/{activity['id']}/publish", headers=coordinator)
    teacher = events.as_(Role.TEACHER, schools=[urn], person_id=teacher_id)
    booking = (
        await events.http.post(
            f"/activities/{activity['id']}/bookings",
            json={"urn": urn},
            headers={**teacher, "Idempotency-Key": uuid.uuid4().hex},
        )
    ).json()
    cancelled = await events.http.post(f"/bookings/{booking['id']}/cancel", headers=teacher)
    assert cancelled.status_code == 200, cancelled.text

    path = f"/history/booking/{booking['id']}"
    shown = await reporting.eventually(
        path, reporting.officer, lambda r: r.status_code == 200 and len(r.json()) == 2
    )
    placed, status_changed = shown.json()
    assert types(shown) == ["events.booking_placed.v1", "events.booking_status_changed.v1"]
    assert placed["by"] == status_changed["by"] == teacher_id
    assert placed["source"] == status_changed["source"] == "/school-partnerships/events"
    assert placed["at"] <= status_changed["at"]
    assert status_changed["changes"]["status"] == "cancelled"
    assert f"activity:{activity['id']}" in placed["records"]

    activity_history = await reporting.eventually(
        f"/history/activity/{activity['id']}",
        reporting.officer,
        lambda r: r.status_code == 200 and len(r.json()) >= 3,
    )
    assert types(activity_history)[0] == "events.activity_published.v1"
    assert activity_history.json()[0]["by"] == coordinator_id

    school = await reporting.eventually(
        f"/history/school/{urn}", reporting.officer, lambda r: len(r.json()) >= 3
    )
    assert types(school)[:2] == ["membership.school_registered.v1", "membership.school_joined.v1"]
    assert all(e["by"].startswith("caller:") for e in school.json()[:2])  # an officer, no id

    person = await reporting.eventually(
        f"/history/person/{teacher_id}", reporting.officer, lambda r: len(r.json()) >= 3
    )
    assert types(person)[:2] == ["membership.person_added.v2", "membership.role_assigned.v1"]
    assert all("name" not in e["changes"] and "email" not in e["changes"] for e in person.json())

    refused = await reporting.http.get(
        path, headers=reporting.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[p.id])
    )
    assert refused.status_code == 403
    unknown_kind = await reporting.http.get(
        f"/history/pupil/{booking['id']}", headers=reporting.officer
    )
    assert unknown_kind.status_code == 422
    assert unknown_kind.json()["errors"][0]["loc"] == ["path", "kind"]
    never = await reporting.http.get("/history/booking/no-such-booking", headers=reporting.officer)
    assert (never.status_code, never.json()) == (200, [])
    limited = await reporting.http.get(
        f"/history/activity/{activity['id']}?limit=1", headers=reporting.officer
    )
    assert types(limited) == types(activity_history)[:1]
