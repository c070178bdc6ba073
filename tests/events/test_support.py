"""School-to-school support over real HTTP: expertise offered through membership reaches the
events service's directory; a primary school asks for maths support; the teaching school with
maths expertise is suggested first and supports it through agreement, visits, review and close."""

import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from pymongo import AsyncMongoClient

from contracts.topics import EVENTS
from eventkit.auth import Role
from support.events import Events
from support.membership import Membership
from support.polling import eventually

pytestmark = pytest.mark.integration


@dataclass
class Suffolk:
    """A school-to-school support partnership: a primary school that needs help, a teaching
    school strong in maths, an independent school strong in maths further away, a school strong
    in science only; and a school outside the partnership."""

    id: str
    primary: str
    teaching: str
    independent: str
    science: str
    outsider: str


def new_urn() -> str:
    return str(800000 + uuid.uuid4().int % 199999)


async def register(membership: Membership, name: str, phase: str, sector: str, la_code: str) -> str:
    urn = new_urn()
    school = {"urn": urn, "name": name, "phase": phase, "sector": sector, "la_code": la_code}
    created = await membership.http.post("/schools", json=school, headers=membership.officer)
    assert created.status_code == 201, created.text
    return urn


async def offer(membership: Membership, urn: str, **expertise: Any) -> None:
    lead = membership.as_(Role.SCHOOL_LEAD, schools=[urn])
    offered = await membership.http.put(f"/schools/{urn}/expertise", json=expertise, headers=lead)
    assert offered.status_code == 200, offered.text


async def wait_for(events: Events, pid: str, members: int, experts: list[str]) -> None:
    """Until the events directory has the partnership's members and the schools' expertise."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(events.settings.mongodb_uri)
    db = client[events.settings.database_name]

    async def heard() -> bool:
        p = await db["directory_partnerships"].find_one({"_id": pid})
        known = await db["directory_schools"].count_documents(
            {"_id": {"$in": experts}, "subjects.0": {"$exists": True}, "name": {"$ne": ""}}
        )
        return bool(p and len(p.get("members", {})) == members and known == len(experts))

    try:
        await eventually(heard, what="the events service hearing of the schools' expertise")
    finally:
        await client.close()


@pytest.fixture
async def suffolk(membership: Membership, events: Events) -> Suffolk:
    http, officer = membership.http, membership.officer
    created = await http.post(
        "/partnerships",
        json={
            "name": f"School to School Support {uuid.uuid4().hex[:6]}",
            "kind": "formal_partnership",
        },
        headers=officer,
    )
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    primary = await register(membership, "Bramford Primary", "primary", "state", "935")
    teaching = await register(membership, "Ipswich Teaching School", "secondary", "state", "935")
    independent = await register(membership, "Norwich School", "secondary", "independent", "926")
    science = await register(membership, "Kesgrave High", "secondary", "state", "935")
    outsider = await register(membership, "Framlingham College", "secondary", "independent", "935")
    roles = {
        primary: "member",
        teaching: "teaching_school",
        independent: "member",
        science: "member",
    }
    for urn, role in roles.items():
        joined = await http.post(
            f"/partnerships/{pid}/members", json={"urn": urn, "role": role}, headers=officer
        )
        assert joined.status_code == 200, joined.text
    await offer(
        membership,
        teaching,
        subjects=["Maths", "Science"],
        phases=["primary", "secondary"],
        categories=["school_improvement", "teacher_development"],
        summary="A teaching school: maths mastery across the phases",
    )
    await offer(membership, independent, subjects=["Mathematics"], phases=["secondary"])
    await offer(membership, science, subjects=["Science"], categories=["stem"])
    await offer(membership, outsider, subjects=["Maths"], phases=["primary"])
    await wait_for(events, pid, members=4, experts=[teaching, independent, science, outsider])
    return Suffolk(pid, primary, teaching, independent, science, outsider)


def lead(events: Events, urn: str) -> dict[str, str]:
    headers: dict[str, str] = events.as_(Role.SCHOOL_LEAD, schools=[urn], subject=f"lead-{urn}")
    return headers


def coordinator(events: Events, pid: str) -> dict[str, str]:
    headers: dict[str, str] = events.as_(
        Role.PARTNERSHIP_COORDINATOR, partnerships=[pid], subject="coordinator"
    )
    return headers


def maths_request(s: Suffolk) -> dict[str, Any]:
    return {
        "partnership_id": s.id,
        "requesting_urn": s.primary,
        "need": {"subjects": ["maths"], "description": "Key stage 2 maths results have fallen"},
    }


def terms(**changes: Any) -> dict[str, Any]:
    today = date.today()
    body: dict[str, Any] = {
        "objectives": ["Raise KS2 maths attainment", "Coach two teachers in maths mastery"],
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
        "visits_planned": 3,
    }
    body.update(changes)
    return body


async def ask(events: Events, s: Suffolk) -> str:
    asked = await events.http.post(
        "/support-requests", json=maths_request(s), headers=lead(events, s.primary)
    )
    assert asked.status_code == 201, asked.text
    return str(asked.json()["id"])


async def events_of(bootstrap: str, subject: str, count: int) -> list[tuple[str, bytes]]:
    """(type, key) of the events on the events topic about `subject`, once `count` are there."""
    consumer = AIOKafkaConsumer(
        EVENTS.name, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[tuple[str, bytes]] = []
    try:
        deadline = time.monotonic() + 15
        while len(found) < count and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=300)).values():
                for r in records:
                    headers = {k: v.decode() for k, v in r.headers}
                    if headers.get("ce_subject") == subject:
                        found.append((headers["ce_type"], r.key or b""))
        return found
    finally:
        await consumer.stop()


async def test_a_primary_school_gets_maths_support_from_the_teaching_school(
    events: Events, suffolk: Suffolk, kafka_bootstrap: str
) -> None:
    s, http = suffolk, events.http
    coord = coordinator(events, s.id)

    asked = await http.post(
        "/support-requests", json=maths_request(s), headers=lead(events, s.primary)
    )
    assert asked.status_code == 201, asked.text
    engagement = asked.json()
    eid = engagement["id"]
    assert engagement["status"] == "requested"
    assert engagement["need"]["phase"] == "primary"  # the requesting school's phase

    suggested = await http.get(f"/support-requests/{eid}/suggestions", headers=coord)
    assert suggested.status_code == 200, suggested.text
    ranked = suggested.json()
    # Only members whose expertise meets the need; never the school asking.
    assert [r["urn"] for r in ranked] == [s.teaching, s.independent]
    assert ranked[0]["name"] == "Ipswich Teaching School"
    assert ranked[0]["reasons"] == [
        "teaches maths",
        "expertise in the primary phase",
        "same local authority (935)",
    ]
    assert ranked[1]["reasons"] == ["teaches maths", "cross-sector (independent school)"]

    matched = await http.post(
        f"/support-requests/{eid}/match", json={"urn": s.teaching}, headers=coord
    )
    assert matched.status_code == 200, matched.text
    assert matched.json()["status"] == "matched"
    assert matched.json()["supporting_urn"] == s.teaching

    # The requesting lead proposes the terms; the supporting lead agrees the terms on the table.
    proposed = await http.post(
        f"/support-requests/{eid}/agree", json=terms(), headers=lead(events, s.primary)
    )
    assert proposed.status_code == 200, proposed.text
    assert proposed.json()["status"] == "matched"
    assert proposed.json()["agreed_by"] == [s.primary]
    agreed = await http.post(f"/support-requests/{eid}/agree", headers=lead(events, s.teaching))
    assert agreed.status_code == 200, agreed.text
    assert agreed.json()["status"] == "agreed"
    assert agreed.json()["agreement"]["visits_planned"] == 3

    visitor = events.as_(Role.TEACHER, schools=[s.teaching], person_id="p-maths-lead")
    first = await http.post(
        f"/support-requests/{eid}/visits",
        json={"impact_note": "Modelled a mastery lesson in Year 5", "notes": "Met the maths lead"},
        headers=visitor,
    )
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "active"
    assert first.json()["visits"][0]["by_person_id"] == "p-maths-lead"
    second = await http.post(
        f"/support-requests/{eid}/visits",
        json={"impact_note": "Year 5 teachers now plan with bar models"},
        headers=visitor,
    )
    assert [v["number"] for v in second.json()["visits"]] == [1, 2]

    reviewed = await http.post(
        f"/support-requests/{eid}/review", json={"progress": 4, "notes": "On track"}, headers=coord
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["status"] == "reviewed"
    closed = await http.post(
        f"/support-requests/{eid}/close",
        json={"outcome": "objectives_met", "impact_summary": "Maths attainment rose by 12 points"},
        headers=coord,
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"

    told = await events_of(kafka_bootstrap, eid, count=7)
    assert [t for t, _ in told] == [
        "events.support_requested.v1",
        "events.support_matched.v1",
        "events.support_agreed.v1",
        "events.support_visit_recorded.v1",
        "events.support_visit_recorded.v1",
        "events.support_reviewed.v1",
        "events.support_closed.v1",
    ]
    assert {key for _, key in told} == {eid.encode()}

    # Both schools' staff and the coordinator see it; the next request remembers the work.
    for headers in (lead(events, s.primary), visitor, coord):
        listed = await http.get("/support-requests", headers=headers)
        assert eid in [e["id"] for e in listed.json()]
    again = await ask(events, s)
    remembered = await http.get(f"/support-requests/{again}/suggestions", headers=coord)
    assert remembered.json()[0]["urn"] == s.teaching
    assert "worked together before (1 engagement)" in remembered.json()[0]["reasons"]


async def test_who_may_do_what_and_in_which_order(events: Events, suffolk: Suffolk) -> None:
    s, http = suffolk, events.http
    coord = coordinator(events, s.id)
    eid = await ask(events, s)
    url = f"/support-requests/{eid}"

    # A lead of an unrelated school, and another partnership's coordinator, see nothing.
    for stranger in (lead(events, s.outsider), coordinator(events, "another-partnership")):
        assert (await http.get(url, headers=stranger)).status_code == 404
        assert (await http.get(f"{url}/suggestions", headers=stranger)).status_code == 404
        assert (
            await http.post(f"{url}/match", json={"urn": s.outsider}, headers=stranger)
        ).status_code == 404
        assert eid not in [
            e["id"] for e in (await http.get("/support-requests", headers=stranger)).json()
        ]
    outside_ask = await http.post(
        "/support-requests", json=maths_request(s), headers=lead(events, s.outsider)
    )
    assert outside_ask.status_code == 403
    not_member = await http.post(
        "/support-requests",
        json={**maths_request(s), "requesting_urn": s.outsider},
        headers=events.officer,
    )
    assert not_member.status_code == 409
    assert "not an active member" in not_member.json()["detail"]

    # Bad input is named.
    vague = await http.post(
        "/support-requests",
        json={**maths_request(s), "need": {"description": "help"}},
        headers=lead(events, s.primary),
    )
    assert vague.status_code == 422
    assert "at least one subject or category" in str(vague.json()["detail"])

    # Looking beyond the partnership is for county officers.
    wide = f"{url}/suggestions?all_schools=true"
    assert (await http.get(wide, headers=coord)).status_code == 403
    county = await http.get(wide, headers=events.officer)
    assert s.outsider in [r["urn"] for r in county.json()]

    # Out of order: 409. Not theirs to do: 403.
    early = await http.post(f"{url}/agree", json=terms(), headers=lead(events, s.primary))
    assert early.status_code == 409, early.text
    assert (
        await http.post(f"{url}/match", json={"urn": s.teaching}, headers=lead(events, s.primary))
    ).status_code == 403
    itself = await http.post(f"{url}/match", json={"urn": s.primary}, headers=coord)
    assert itself.status_code == 422
    outside = await http.post(f"{url}/match", json={"urn": s.outsider}, headers=coord)
    assert outside.status_code == 409
    assert (
        await http.post(f"{url}/match", json={"urn": s.teaching}, headers=coord)
    ).status_code == 200

    visitor = events.as_(Role.TEACHER, schools=[s.teaching], person_id="p-visitor")
    too_soon = await http.post(f"{url}/visits", json={"impact_note": "x"}, headers=visitor)
    assert too_soon.status_code == 409
    assert "agree it first" in too_soon.json()["detail"]
    backwards = terms(ends_on=(date.today() - timedelta(days=1)).isoformat())
    bad_dates = await http.post(f"{url}/agree", json=backwards, headers=lead(events, s.primary))
    assert bad_dates.status_code == 422
    assert (await http.post(f"{url}/agree", headers=lead(events, s.teaching))).status_code == 409

    # Different terms from the other side replace the table: the first side agrees afresh.
    await http.post(f"{url}/agree", json=terms(), headers=lead(events, s.primary))
    counter = await http.post(
        f"{url}/agree", json=terms(visits_planned=2), headers=lead(events, s.teaching)
    )
    assert counter.json()["status"] == "matched" and counter.json()["agreed_by"] == [s.teaching]
    agreed = await http.post(f"{url}/agree", headers=lead(events, s.primary))
    assert agreed.json()["status"] == "agreed"
    assert agreed.json()["agreement"]["visits_planned"] == 2

    assert (
        await http.post(f"{url}/visits", json={"impact_note": "x"}, headers=lead(events, s.primary))
    ).status_code == 403
    assert (
        await http.post(f"{url}/review", json={"progress": 3}, headers=coord)
    ).status_code == 409
    visited = await http.post(f"{url}/visits", json={"impact_note": "Helpful"}, headers=visitor)
    assert visited.status_code == 200
    assert (
        await http.post(f"{url}/review", json={"progress": 9}, headers=coord)
    ).status_code == 422
    assert (
        await http.post(f"{url}/review", json={"progress": 3}, headers=lead(events, s.primary))
    ).status_code == 403
    premature = await http.post(
        f"{url}/close", json={"outcome": "partly_met", "impact_summary": "Some"}, headers=coord
    )
    assert premature.status_code == 409
    assert "mid-term review" in premature.json()["detail"]

    withdrawn = await http.post(
        f"{url}/withdraw", json={"reason": "New head arrives"}, headers=lead(events, s.primary)
    )
    assert withdrawn.json()["status"] == "withdrawn"
    assert (
        await http.post(f"{url}/visits", json={"impact_note": "x"}, headers=visitor)
    ).status_code == 409
