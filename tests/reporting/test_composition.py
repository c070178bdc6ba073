"""The composition read model, fed by a real membership service over the real broker."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from reporting.scenario import MembershipClient, ok

from contracts.vocabulary import Phase, Sector
from eventkit.auth import Role
from services.reporting.domain.participation import Term
from support.problems import problem

pytestmark = pytest.mark.integration

PHASES = [p.value for p in Phase]


def phases(**counts: int) -> dict[str, int]:
    return {p: counts.get(p, 0) for p in PHASES}


def member(
    school: dict[str, Any], role: str, status: str = "active", **changed: str
) -> dict[str, Any]:
    details = {**school["details"], **changed}
    return {
        "urn": school["urn"],
        "name": details["name"],
        "sector": details["sector"],
        "phase": details["phase"],
        "la_code": details["la_code"],
        "role": role,
        "status": status,
    }


def is_(expected: dict[str, Any]) -> Any:
    return lambda r: r.status_code == 200 and r.json() == expected


async def test_composition_counts_member_schools_by_sector_and_phase(membership, reporting) -> None:
    ms = MembershipClient(membership.http, membership.officer)
    coordinator = membership.as_(Role.PARTNERSHIP_COORDINATOR, person_id="coord-1")
    pid = await ms.partnership("Fenland Learning Partnership", headers=coordinator)
    other = await ms.partnership("Isle Cluster")
    a = await ms.school("March Primary", Sector.STATE, Phase.PRIMARY)
    b = await ms.school("Chatteris Academy", Sector.STATE, Phase.SECONDARY)
    c = await ms.school("Wisbech Grammar", Sector.INDEPENDENT, Phase.SECONDARY)
    d = await ms.school("Kings Prep", Sector.INDEPENDENT, Phase.PRIMARY)
    e = await ms.school("Ely Infants", Sector.STATE, Phase.PRIMARY)
    f = await ms.school("Fen Lodge", Sector.INDEPENDENT, Phase.PRIMARY)
    await ms.join(pid, a["urn"], "founder")
    for school in (b, c, e, f):
        await ms.join(pid, school["urn"])
    await ms.invite(pid, d["urn"])
    await ms.act(pid, e["urn"], "leave")
    await ms.act(pid, f["urn"], "suspend")
    await ms.join(other, c["urn"])
    ok(
        await membership.http.put(
            f"/schools/{b['urn']}",
            json={**b["details"], "phase": "all_through"},
            headers=membership.officer,
        )
    )
    ok(
        await membership.http.put(
            f"/partnerships/{pid}",
            json={"name": "Fenland Partnership", "kind": "cluster", "area": ["873", "874"]},
            headers=coordinator,
        )
    )
    for person in ("Ann Outreach", "Bob Outreach"):
        added = ok(
            await membership.http.post(
                "/people",
                json={
                    "name": person,
                    "email": "outreach@example.org",
                    "role": {
                        "role": "coordinator",
                        "partnership_id": pid,
                        "starts_on": "2026-01-01",
                    },
                },
                headers=membership.officer,
            )
        )
        body = {"person_id": added["id"]}
        ok(
            await membership.http.post(
                f"/partnerships/{pid}/coordinators", json=body, headers=coordinator
            )
        )
    ok(
        await membership.http.delete(
            f"/partnerships/{pid}/coordinators/coord-1", headers=membership.officer
        )
    )

    expected = {
        "partnership_id": pid,
        "name": "Fenland Partnership",
        "kind": "cluster",
        "status": "active",
        "area": ["873", "874"],
        "coordinators": 2,
        "member_schools": [
            member(b, "member", phase="all_through"),
            member(f, "member", status="suspended"),
            member(a, "founder"),
            member(c, "member"),
        ],
        "by_sector": {"state": 2, "independent": 2},
        "by_phase": phases(primary=2, secondary=1, all_through=1),
        "counts": {"active": 3, "invited": 1, "suspended": 1, "left": 1},
        "cross_sector": True,
    }
    path = f"/partnerships/{pid}/composition"
    response = await reporting.eventually(path, reporting.officer, is_(expected))
    assert response.status_code == 200, response.text
    assert response.json() == expected

    summaries = ok(await reporting.http.get("/partnerships", headers=reporting.officer))
    mine = {s["partnership_id"]: s for s in summaries if s["partnership_id"] in (pid, other)}
    assert mine[pid]["member_schools"] == 4
    assert mine[pid]["counts"] == expected["counts"]
    assert mine[other] == {
        "partnership_id": other,
        "name": "Isle Cluster",
        "kind": "formal_partnership",
        "status": "active",
        "area": ["873"],
        "coordinators": 0,
        "member_schools": 1,
        "counts": {"active": 1, "invited": 0, "suspended": 0, "left": 0},
        "cross_sector": False,
    }


async def test_callers_see_only_their_partnerships(membership, reporting) -> None:
    ms = MembershipClient(membership.http, membership.officer)
    pid = await ms.partnership("Ouse Valley Partnership")
    other = await ms.partnership("Cam Hub")
    state = await ms.school("Hunts Primary", Sector.STATE, Phase.PRIMARY)
    independent = await ms.school("St Ives School", Sector.INDEPENDENT, Phase.SECONDARY)
    elsewhere = await ms.school("Cam Primary", Sector.STATE, Phase.PRIMARY)
    await ms.join(pid, state["urn"])
    await ms.join(pid, independent["urn"])
    await ms.join(other, elsewhere["urn"])
    path, other_path = f"/partnerships/{pid}/composition", f"/partnerships/{other}/composition"
    await reporting.eventually(
        other_path,
        reporting.officer,
        lambda r: r.status_code == 200 and r.json()["counts"]["active"] == 1,
    )
    response = await reporting.eventually(
        path,
        reporting.officer,
        lambda r: r.status_code == 200 and r.json()["counts"]["active"] == 2,
    )
    assert response.json()["counts"]["active"] == 2, response.text

    ours = reporting.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[pid])
    theirs = reporting.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[other])
    lead = reporting.as_(Role.SCHOOL_LEAD, schools=[state["urn"]])
    foreign_teacher = reporting.as_(Role.TEACHER, schools=[elsewhere["urn"]])
    get = reporting.http.get

    assert (await get(path, headers=ours)).status_code == 200
    assert (await get(path, headers=lead)).status_code == 200
    for headers in (theirs, foreign_teacher):
        refused = await get(path, headers=headers)
        assert refused.status_code == 404
        assert refused.json() == problem(404, f"no partnership {pid}")
    assert (
        await get("/partnerships/no-such-id/composition", headers=reporting.officer)
    ).json() == problem(404, "no partnership no-such-id")
    assert (await get(path)).status_code == 401

    listed = {s["partnership_id"] for s in ok(await get("/partnerships", headers=lead))}
    assert listed == {pid}
    listed = {s["partnership_id"] for s in ok(await get("/partnerships", headers=theirs))}
    assert listed == {other}
    listed = {
        s["partnership_id"] for s in ok(await get("/partnerships", headers=reporting.officer))
    }
    assert {pid, other} <= listed

    for headers in (ours, lead):
        refused = await get("/county/composition", headers=headers)
        assert refused.status_code == 403
        assert "county officer" in refused.json()["detail"]


async def test_county_roll_up_totals_the_partnerships(membership, reporting) -> None:
    """Other tests' partnerships share the topic, so the county totals are checked against the
    compositions of every partnership the officer sees, read in the same settled moment."""
    ms = MembershipClient(membership.http, membership.officer)
    pid = await ms.partnership("Peterborough Board")
    state = await ms.school("Nene Primary", Sector.STATE, Phase.PRIMARY)
    independent = await ms.school("Cathedral School", Sector.INDEPENDENT, Phase.SECONDARY)
    await ms.join(pid, state["urn"])
    await ms.join(pid, independent["urn"])
    done = await reporting.eventually(
        f"/partnerships/{pid}/composition",
        reporting.officer,
        lambda r: r.status_code == 200 and r.json()["cross_sector"],
    )
    assert done.json()["cross_sector"], done.text

    async def derived() -> dict[str, Any]:
        summaries = ok(await reporting.http.get("/partnerships", headers=reporting.officer))
        schools: dict[str, dict[str, Any]] = {}
        for summary in summaries:
            path = f"/partnerships/{summary['partnership_id']}/composition"
            found = ok(await reporting.http.get(path, headers=reporting.officer))
            schools.update({s["urn"]: s for s in found["member_schools"]})
        sectors = [s["sector"] or "unknown" for s in schools.values()]
        phases_seen = [s["phase"] or "unknown" for s in schools.values()]
        expected = {
            "partnerships": len(summaries),
            "schools": len(schools),
            "by_sector": {k: sectors.count(k) for k in ("state", "independent")},
            "by_phase": {p: phases_seen.count(p) for p in PHASES},
            "cross_sector_partnerships": sum(1 for s in summaries if s["cross_sector"]),
        }
        if "unknown" in sectors:
            expected["by_sector"]["unknown"] = sectors.count("unknown")
        if "unknown" in phases_seen:
            expected["by_phase"]["unknown"] = phases_seen.count("unknown")
        return expected

    expected: dict[str, Any] = {}

    def settled(response: httpx.Response) -> bool:
        return response.status_code == 200 and response.json() == expected

    for _ in range(20):  # other runs' events may still be arriving: read until both agree
        expected = await derived()
        county = await reporting.http.get("/county/composition", headers=reporting.officer)
        if settled(county):
            break
        await asyncio.sleep(0.2)
    assert county.status_code == 200, county.text
    assert county.json() == expected
    assert county.json()["cross_sector_partnerships"] >= 1
    assert county.json()["schools"] >= 2


async def test_a_partnerships_relationships_between_schools_and_their_support_are_counted(
    membership, reporting
) -> None:
    ms = MembershipClient(membership.http, membership.officer)
    pid = await ms.partnership("New Hall School and Messing Primary School")
    sponsor = await ms.school("New Hall School", Sector.INDEPENDENT, Phase.ALL_THROUGH)
    sponsored = await ms.school("Messing Primary School", Sector.STATE, Phase.PRIMARY)
    for school in (sponsor, sponsored):
        await ms.join(pid, school["urn"])
    body = {
        "kind": "sponsorship",
        "first": {"school_urn": sponsor["urn"]},
        "second": {"school_urn": sponsored["urn"]},
        "starts_on": "2013-09-01",
        "partnership_id": pid,
        "support": ["academic", "sport", "music"],
    }
    made = await membership.http.post("/relationships", json=body, headers=membership.officer)
    assert made.status_code == 201, made.text
    trust = {
        **body,
        "kind": "academy_trust_membership",
        "first": {"trust_uid": "16724", "trust_name": "New Hall Multi Academy Trust"},
        "support": [],
    }
    assert (
        await membership.http.post("/relationships", json=trust, headers=membership.officer)
    ).status_code == 201

    path = f"/partnerships/{pid}/relationships"
    shown = await reporting.eventually(
        path, reporting.officer, lambda r: r.status_code == 200 and r.json()["current"] == 2
    )
    found = shown.json()
    assert found["by_kind"] == {"academy_trust_membership": 1, "sponsorship": 1}
    assert found["support"] == {"academic": 1, "music": 1, "sport": 1}
    assert [r["first_trust"] for r in found["relationships"]] == [
        None,
        "New Hall Multi Academy Trust",
    ]

    ended = await membership.http.post(
        f"/relationships/{made.json()['id']}/end",
        json={"ended_on": "2020-08-31"},
        headers=membership.officer,
    )
    assert ended.status_code == 200, ended.text
    after = await reporting.eventually(path, reporting.officer, lambda r: r.json()["current"] == 1)
    assert after.json()["support"] == {} and after.json()["by_kind"] == {
        "academy_trust_membership": 1
    }
    lead = reporting.as_(Role.SCHOOL_LEAD, schools=[sponsored["urn"]])
    assert (await reporting.http.get(path, headers=lead)).status_code == 200
    stranger = reporting.as_(Role.SCHOOL_LEAD, schools=["100001"])
    assert (await reporting.http.get(path, headers=stranger)).status_code == 404
    county = await reporting.http.get("/county/relationships", headers=reporting.officer)
    assert pid in county.json()["partnership_ids"] and county.json()["current"] >= 1


async def test_a_partnerships_boards_in_governance_figures(membership, reporting) -> None:
    """The Lincolnshire board: its chair and vice chair for two member schools and a member for
    the council; a meeting last year minuted, approved and its action done late; one ten days ago
    minuted (an action withdrawn by a correction), one to come; and a steering group."""
    http, officer = membership.http, membership.officer
    ms = MembershipClient(http, officer)
    pid = await ms.partnership("Lincolnshire Learning Partnership Board")
    boston = await ms.school("Boston West Academy", Sector.STATE, Phase.PRIMARY)
    sleaford = await ms.school("Sleaford Primary", Sector.STATE, Phase.PRIMARY)
    for school in (boston, sleaford):
        await ms.join(pid, school["urn"])
    people = {}
    for who, held in (
        ("chair", {"role": "head", "urn": boston["urn"]}),
        ("vice", {"role": "governor", "urn": sleaford["urn"]}),
        ("councillor", {"role": "coordinator", "partnership_id": pid}),
    ):
        role = {**held, "starts_on": "2016-01-01"}
        body = {"name": f"The {who}", "email": f"{who}@lincs.example", "role": role}
        people[who] = ok(await http.post("/people", json=body, headers=officer))["id"]
    boards = f"/partnerships/{pid}/boards"
    board = ok(await http.post(boards, json={"name": "The board"}, headers=officer))["id"]
    steering = {"name": "Steering group", "kind": "steering_group"}
    group = ok(await http.post(boards, json=steering, headers=officer))["id"]
    today = date.today()
    for who, office, represents in (
        ("chair", "chair", {"represents_urn": boston["urn"]}),
        ("vice", "vice_chair", {"represents_urn": sleaford["urn"]}),
        ("councillor", "member", {"represents_body": "Lincolnshire County Council"}),
    ):
        seat = {
            "person_id": people[who],
            "office": office,
            "starts_on": (today - timedelta(days=400)).isoformat(),
            **represents,
        }
        ok(await http.post(f"/boards/{board}/members", json=seat, headers=officer))

    async def meeting(starts_at: datetime) -> str:
        body = {"starts_at": starts_at.isoformat(), "venue": "Epic Centre", "agenda": ["AOB"]}
        return str(
            ok(await http.post(f"/boards/{board}/meetings", json=body, headers=officer))["id"]
        )

    def action(who: str, due_on: date) -> dict[str, str]:
        return {
            "text": "Write to the schools",
            "owner_person_id": people[who],
            "due_on": due_on.isoformat(),
        }

    def minutes(decisions: int, *actions: dict[str, str]) -> dict[str, Any]:
        agreed = [f"Decision {n}" for n in range(decisions)]
        return {"minutes": "The board met.", "decisions": agreed, "actions": list(actions)}

    now = datetime.now(UTC)
    earlier, recent = now - timedelta(days=200), now - timedelta(days=10)
    first = await meeting(earlier)
    late = action("vice", earlier.date() + timedelta(days=7))
    [agreed] = ok(
        await http.put(f"/meetings/{first}/minutes", json=minutes(2, late), headers=officer)
    )["actions"]
    ok(await http.post(f"/meetings/{first}/actions/{agreed['id']}/done", headers=officer))
    ok(await http.post(f"/meetings/{first}/minutes/approve", headers=officer))
    second = await meeting(recent)
    overdue, due = (
        action("chair", today - timedelta(days=2)),
        action("councillor", today + timedelta(days=60)),
    )
    dropped = action("vice", today + timedelta(days=5))
    shown = ok(
        await http.put(
            f"/meetings/{second}/minutes", json=minutes(1, overdue, due, dropped), headers=officer
        )
    )
    kept = [
        {**given, "action_id": a["id"]}
        for given, a in zip((overdue, due), shown["actions"][:2], strict=True)
    ]
    ok(await http.put(f"/meetings/{second}/minutes", json=minutes(1, *kept), headers=officer))
    await meeting(now + timedelta(days=30))

    terms = [Term.of(earlier), Term.of(recent)]
    figures = {
        "members": {
            "current": 3,
            "by_office": {"chair": 1, "vice_chair": 1, "member": 1},
            "representing_schools": 2,
            "representing_bodies": 1,
            "schools_represented": sorted([boston["urn"], sleaford["urn"]]),
        },
        "meetings": {
            "held": 2,
            "to_come": 1,
            "by_term": [{"term": t.name, "key": t.key, "meetings": 1} for t in terms],
            "minutes_approved": 1,
            "minutes_to_approve": 1,
            "without_minutes": 0,
            "decisions": 3,
        },
        "actions": {"assigned": 3, "done": 1, "done_late": 1, "open": 2, "overdue": 1},
    }
    nothing = {
        "members": {
            "current": 0,
            "by_office": {"chair": 0, "vice_chair": 0, "member": 0},
            "representing_schools": 0,
            "representing_bodies": 0,
            "schools_represented": [],
        },
        "meetings": {
            **dict.fromkeys(figures["meetings"], 0),
            "by_term": [],
        },
        "actions": dict.fromkeys(figures["actions"], 0),
    }
    each = {board: {"kind": "board", **figures}, group: {"kind": "steering_group", **nothing}}
    expected = {
        "partnership_ids": [pid],
        "boards": 2,
        "totals": figures,
        "by_board": [{"board_id": b, "partnership_id": pid, **each[b]} for b in sorted(each)],
    }
    path = f"/partnerships/{pid}/governance"
    response = await reporting.eventually(path, reporting.officer, is_(expected))
    assert response.json() == expected, response.text

    lead = reporting.as_(Role.SCHOOL_LEAD, schools=[boston["urn"]])
    assert ok(await reporting.http.get(path, headers=lead)) == expected
    other = await ms.partnership("Isle Cluster")
    for headers in (
        reporting.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[other]),
        reporting.as_(Role.SCHOOL_LEAD, schools=["100001"]),
    ):
        refused = await reporting.http.get(path, headers=headers)
        assert refused.json() == problem(404, f"no partnership {pid}")
    county = ok(await reporting.http.get("/county/governance", headers=reporting.officer))
    assert pid in county["partnership_ids"]
    assert [b for b in county["by_board"] if b["partnership_id"] == pid] == expected["by_board"]
    assert county["totals"]["actions"]["assigned"] >= 3
    ours = reporting.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[pid])
    refused = await reporting.http.get("/county/governance", headers=ours)
    assert refused.status_code == 403 and "county officer" in refused.json()["detail"]
