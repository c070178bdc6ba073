"""Input that used to answer 500 or be taken as something else is refused with a 422 naming the
field (issue 7's findings, each a regression test)."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from eventkit.auth import Role
from support.events import Events, activity_body, make_partnership, wait_for_directory
from support.membership import Membership

pytestmark = pytest.mark.integration

START = datetime.now(UTC).replace(microsecond=0) + timedelta(days=20)
NAIVE = START.replace(tzinfo=None)


def refused(response: httpx.Response, *fields: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body: dict[str, Any] = response.json()
    named = " ".join(".".join(map(str, e["loc"])) + " " + e["msg"] for e in body["errors"])
    named += " " + body["detail"]
    for field in fields:
        assert field in named, (field, body)
    return body


def session(starts: datetime, hours: int = 2) -> dict[str, str]:
    return {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=hours)).isoformat(),
    }


async def test_times_must_carry_a_time_zone_and_a_sane_year(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    post = events.http.post
    mixed = activity_body(p.id, sessions=[session(START), session(NAIVE + timedelta(days=1))])
    refused(await post("/activities", json=mixed, headers=events.officer), "time zone")
    naive_only = activity_body(p.id, sessions=[session(NAIVE)])
    refused(await post("/activities", json=naive_only, headers=events.officer), "time zone")
    half_naive = activity_body(
        p.id,
        booking_opens_at=NAIVE.isoformat(),
        booking_closes_at=(START + timedelta(days=1)).isoformat(),
    )
    refused(await post("/activities", json=half_naive, headers=events.officer), "booking_opens_at")
    year_one = activity_body(p.id, sessions=[session(datetime(1, 1, 1, 9, tzinfo=UTC))])
    refused(await post("/activities", json=year_one, headers=events.officer), "2000")

    made = await post("/activities", json=activity_body(p.id), headers=events.officer)
    aid = made.json()["id"]
    to_year_one = {"sessions": [session(datetime(1, 1, 1, 9, tzinfo=UTC))]}
    refused(
        await post(f"/activities/{aid}/reschedule", json=to_year_one, headers=events.officer),
        "2000",
    )


async def test_numbers_are_numbers_and_bounds_agree(membership: Membership, events: Events) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    for wrong in (True, "10", 1e2, 0):
        body = activity_body(p.id, capacity=wrong)
        refused(
            await events.http.post("/activities", json=body, headers=events.officer), "capacity"
        )
    above = activity_body(p.id, capacity=20, per_school_cap=30)
    refused(
        await events.http.post("/activities", json=above, headers=events.officer),
        "per_school_cap is above capacity",
    )


async def test_pupil_places_that_can_never_be_served_are_refused_not_waitlisted(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=1)
    await wait_for_directory(events, p)
    urn = p.schools[0]
    body = activity_body(p.id, capacity=20, audience={"staff": False, "pupils": True})
    aid = (await events.http.post("/activities", json=body, headers=events.officer)).json()["id"]
    await events.http.post(f"/activities/{aid}/publish", headers=events.officer)
    lead = {**events.as_(Role.SCHOOL_LEAD, schools=[urn]), "Idempotency-Key": uuid.uuid4().hex}
    too_many = await events.http.post(
        f"/activities/{aid}/bookings", json={"urn": urn, "pupils": 1000}, headers=lead
    )
    refused(too_many, "can never be had")


@pytest.mark.parametrize(
    "name",
    ["   ", "\u200b", "Fen\x00land", "Fen\r\nland", "Fen\u202eland"],
    ids=["blank", "zero-width", "nul", "crlf", "rtl-override"],
)
async def test_names_are_visible_text_on_one_line(membership: Membership, name: str) -> None:
    body = {"name": name, "kind": "cluster"}
    refused(
        await membership.http.post("/partnerships", json=body, headers=membership.officer), "name"
    )
    person = {"name": name, "email": "jo@example.org"}
    refused(await membership.http.post("/people", json=person, headers=membership.officer), "name")


async def test_a_long_id_is_not_echoed(events: Events) -> None:
    long_id = "x" * 5000
    answer = await events.http.get(f"/activities/{long_id}", headers=events.officer)
    assert answer.status_code == 404
    assert long_id[:100] not in answer.text and len(answer.text) < 300


async def test_emails_are_kept_in_lower_case(membership: Membership) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=0)
    role = {"role": "teacher", "urn": p.schools[0], "starts_on": "2020-01-01"}
    person = {"name": "Jo Hartley", "email": "Jo.Hartley@Example.ORG", "role": role}
    added = await membership.http.post("/people", json=person, headers=membership.officer)
    assert added.status_code == 201, added.text
    assert added.json()["details"]["email"] == "jo.hartley@example.org"


async def test_a_lead_books_only_colleagues_who_work_at_the_school(
    membership: Membership, events: Events
) -> None:
    p = await make_partnership(membership, schools=2, staff_per_school=1)
    await wait_for_directory(events, p)
    here, there = p.schools
    colleague = next(pid for pid, urn in p.staff.items() if urn == here)
    elsewhere = next(pid for pid, urn in p.staff.items() if urn == there)
    aid = (
        await events.http.post("/activities", json=activity_body(p.id), headers=events.officer)
    ).json()["id"]
    await events.http.post(f"/activities/{aid}/publish", headers=events.officer)

    async def book(person_id: str) -> httpx.Response:
        lead = {**events.as_(Role.SCHOOL_LEAD, schools=[here]), "Idempotency-Key": person_id}
        return await events.http.post(
            f"/activities/{aid}/bookings", json={"urn": here, "person_id": person_id}, headers=lead
        )

    for stranger in ("nobody-at-all", elsewhere):  # one who does not exist, one elsewhere
        body = refused(await book(stranger), "holds no current role at school")
        assert body["detail"] == f"person {stranger} holds no current role at school {here}"
    assert (await book(colleague)).status_code == 201


async def test_a_membership_step_cannot_be_dated_in_the_future(membership: Membership) -> None:
    p = await make_partnership(membership, schools=1, staff_per_school=0)
    urn = str(800000 + uuid.uuid4().int % 199999)
    school = {"urn": urn, "name": f"School {urn}", "phase": "primary", "sector": "state"}
    assert (
        await membership.http.post("/schools", json=school, headers=membership.officer)
    ).is_success
    path = f"/partnerships/{p.id}/members"
    for day in ("9999-12-31", "0001-01-01"):
        joined = await membership.http.post(
            path, json={"urn": urn, "on": day}, headers=membership.officer
        )
        refused(joined, "on")
    shown = (await membership.http.get(f"/partnerships/{p.id}", headers=membership.officer)).json()
    assert urn not in shown["memberships"]  # nothing was recorded
    role = {"role": "teacher", "urn": urn, "starts_on": "0001-01-01"}
    person = {"name": "Jo Hartley", "email": "jo@example.org", "role": role}
    refused(await membership.http.post("/people", json=person, headers=membership.officer), "2000")
