"""A partnership's governance over real HTTP: the Lincolnshire Learning Partnership Board of
representative headteachers and governors, its chair and vice chair, a meeting with its agenda,
minutes with decisions and actions tracked to done; who may do what, bad input answered with
problem details naming the field, and what reaches the topic (ids and counts, never text)."""

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from contracts.topics import MEMBERSHIP
from eventkit.auth import Role
from eventkit.topics import ensure_topics
from support.kafka import ce_type, records_about
from support.membership import Membership

pytestmark = pytest.mark.integration

TODAY = date.today()
A_YEAR_AGO, IN_THREE_YEARS = TODAY - timedelta(days=365), TODAY + timedelta(days=3 * 365)
BOSTON, SLEAFORD, GRANTHAM, LOUTH = "990601", "990602", "990603", "990604"
BST = timezone(timedelta(hours=1))
COUNCIL = "Lincolnshire County Council"
MINUTES = "Present: the board. The chair welcomed members.\nThe plans were agreed."
DECISIONS = ["Adopt the school improvement strategy", "Hold a launch conference at the Epic Centre"]


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


def field(response: httpx.Response) -> str:
    """Where the one field error of a 422 from request validation is."""
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    return ".".join(map(str, error["loc"]))


class Lincolnshire:
    """The partnership, its member schools (Louth is not one), its people and their tokens."""

    def __init__(self, m: Membership) -> None:
        self.m = m
        self.pid = ""
        self.people: dict[str, str] = {}
        self.coordinator: dict[str, str] = {}

    async def set_up(self) -> "Lincolnshire":
        m = self.m
        for urn in (BOSTON, SLEAFORD, GRANTHAM, LOUTH):
            school = {"urn": urn, "name": f"School {urn}", "phase": "primary", "sector": "state"}
            ok(await m.http.post("/schools", json=school, headers=m.officer), 201)
        body = {"name": "Lincolnshire Learning Partnership", "kind": "board", "area": ["925"]}
        self.pid = ok(await m.http.post("/partnerships", json=body, headers=m.officer), 201)["id"]
        for urn in (BOSTON, SLEAFORD, GRANTHAM):
            joined = {"urn": urn, "on": A_YEAR_AGO.isoformat()}
            ok(
                await m.http.post(
                    f"/partnerships/{self.pid}/members", json=joined, headers=m.officer
                )
            )
        council = {"name": COUNCIL, "kind": "council", "la_code": "925"}
        organisation = ok(await m.http.post("/organisations", json=council, headers=m.officer), 201)
        at_partnership = {"partnership_id": self.pid}
        for who, role in (
            ("coordinator", {"role": "coordinator", **at_partnership}),
            ("head", {"role": "head", "urn": BOSTON}),
            ("governor", {"role": "governor", "urn": SLEAFORD}),
            ("head_of_grantham", {"role": "head", "urn": GRANTHAM}),
            ("teacher", {"role": "teacher", "urn": BOSTON}),
            (
                "councillor",
                {"role": "contributor", "organisation_id": organisation["id"], **at_partnership},
            ),
        ):
            person = {
                "name": f"The {who.replace('_', ' ')}",
                "email": f"{who}@lincs.example",
                "role": {**role, "starts_on": "2016-01-01"},
            }
            self.people[who] = ok(
                await m.http.post("/people", json=person, headers=m.officer), 201
            )["id"]
        self.coordinator = m.as_(
            Role.PARTNERSHIP_COORDINATOR,
            partnerships=[self.pid],
            person_id=self.people["coordinator"],
        )
        return self

    def as_(self, who: str) -> dict[str, str]:
        role, urn = {
            "head": (Role.SCHOOL_LEAD, BOSTON),
            "governor": (Role.SCHOOL_LEAD, SLEAFORD),
            "head_of_grantham": (Role.SCHOOL_LEAD, GRANTHAM),
            "teacher": (Role.TEACHER, BOSTON),
            "councillor": (Role.TEACHER, None),
        }[who]
        return self.m.as_(role, schools=[urn] if urn else [], person_id=self.people[who])

    def appointment(self, who: str, office: str, **represents: str) -> dict[str, Any]:
        return {
            "person_id": self.people[who],
            "office": office,
            "starts_on": A_YEAR_AGO.isoformat(),
            "ends_on": IN_THREE_YEARS.isoformat(),
            **represents,
        }

    async def board(self) -> tuple[str, dict[str, str]]:
        """The board with its chair, vice chair and two members; their member ids by who."""
        http = self.m.http
        body = {"name": "Lincolnshire Learning Partnership Board", "kind": "board"}
        at = f"/partnerships/{self.pid}/boards"
        board = ok(await http.post(at, json=body, headers=self.coordinator), 201)["id"]
        members = {}
        for who, office, represents in (
            ("head", "chair", {"represents_urn": BOSTON}),
            ("governor", "vice_chair", {"represents_urn": SLEAFORD}),
            ("head_of_grantham", "member", {"represents_urn": GRANTHAM}),
            ("councillor", "member", {"represents_body": COUNCIL}),
        ):
            appointed = ok(
                await http.post(
                    f"/boards/{board}/members",
                    json=self.appointment(who, office, **represents),
                    headers=self.coordinator,
                ),
                201,
            )
            members[who] = appointed["id"]
        return board, members

    async def meeting(self, board: str, days_ago: int = 10) -> str:
        starts = datetime.now(UTC).astimezone(BST) - timedelta(days=days_ago)
        body = {
            "starts_at": starts.isoformat(),
            "venue": "Epic Centre, Lincolnshire Showground",
            "agenda": ["Welcome and apologies", "Towards Equity and Excellence for All", "AOB"],
        }
        made = await self.m.http.post(
            f"/boards/{board}/meetings", json=body, headers=self.coordinator
        )
        return str(ok(made, 201)["id"])

    def minutes(self, *actions: dict[str, Any]) -> dict[str, Any]:
        return {"minutes": MINUTES, "decisions": DECISIONS, "actions": list(actions)}

    def action(self, who: str, due_on: date, text: str = "Write to every school") -> dict[str, Any]:
        return {"text": text, "owner_person_id": self.people[who], "due_on": due_on.isoformat()}


async def test_the_lincolnshire_board_meets_minutes_its_decisions_and_tracks_its_actions(
    membership: Membership, kafka_bootstrap: str
) -> None:
    m = membership
    await ensure_topics(kafka_bootstrap, [MEMBERSHIP])
    lincs = await Lincolnshire(m).set_up()
    board, members = await lincs.board()

    shown = ok(await m.http.get(f"/boards/{board}", headers=lincs.as_("governor")))
    assert shown["details"] == {"name": "Lincolnshire Learning Partnership Board", "kind": "board"}
    offices = {(x["office"], x["represents_urn"], x["represents_body"]) for x in shown["members"]}
    assert offices == {
        ("chair", BOSTON, None),
        ("vice_chair", SLEAFORD, None),
        ("member", GRANTHAM, None),
        ("member", None, COUNCIL),
    }
    assert all(member["current"] for member in shown["members"])
    second_chair = lincs.appointment("teacher", "chair", represents_urn=BOSTON)
    clash = await m.http.post(f"/boards/{board}/members", json=second_chair, headers=m.officer)
    assert clash.status_code == 409 and "one at a time" in clash.json()["detail"]

    meeting = await lincs.meeting(board)
    overdue_on, due_on = TODAY - timedelta(days=2), TODAY + timedelta(days=60)
    given = lincs.minutes(
        lincs.action("governor", overdue_on, "Brief the governors' forum"),
        lincs.action("councillor", due_on, "Report to the Children's Services committee"),
        lincs.action("head_of_grantham", due_on, "Draft the peer review timetable"),
    )
    chair = lincs.as_("head")
    minuted = ok(await m.http.put(f"/meetings/{meeting}/minutes", json=given, headers=chair))
    assert minuted["minutes"]["decisions"] == DECISIONS and minuted["minutes"]["revision"] == 1
    governors, councils, granthams = minuted["actions"]
    assert [a["overdue"] for a in minuted["actions"]] == [True, False, False]

    done_at = f"/meetings/{meeting}/actions/{councils['id']}/done"
    refused = await m.http.post(
        done_at, json={"done_on": TODAY.isoformat()}, headers=lincs.as_("governor")
    )
    assert refused.status_code == 403
    done = ok(await m.http.post(done_at, headers=lincs.as_("councillor")))
    assert (done["done_on"], done["overdue"]) == (TODAY.isoformat(), False)
    again = await m.http.post(done_at, headers=lincs.as_("councillor"))
    assert again.status_code == 409

    corrected = lincs.minutes(
        {**lincs.action("governor", overdue_on, "Brief the forum"), "action_id": governors["id"]},
        {**lincs.action("councillor", due_on), "action_id": councils["id"]},
    )
    fixed = ok(await m.http.put(f"/meetings/{meeting}/minutes", json=corrected, headers=chair))
    assert fixed["minutes"]["revision"] == 2
    assert [(a["id"], a["done_on"]) for a in fixed["actions"]] == [
        (governors["id"], None),
        (councils["id"], TODAY.isoformat()),
    ]
    ok(await m.http.post(f"/meetings/{meeting}/minutes/approve", headers=chair))
    locked = await m.http.put(f"/meetings/{meeting}/minutes", json=given, headers=chair)
    assert locked.status_code == 409 and "locked" in locked.json()["detail"]

    listed = ok(await m.http.get(f"/boards/{board}/meetings", headers=lincs.as_("councillor")))
    assert [(x["id"], x["minutes"]["approved_at"] is not None) for x in listed] == [(meeting, True)]
    mine = ok(
        await m.http.get(
            f"/people/{lincs.people['governor']}/board-actions", headers=lincs.as_("governor")
        )
    )
    assert [(a["id"], a["overdue"], a["meeting_id"]) for a in mine] == [
        (governors["id"], True, meeting)
    ]

    stood_down = ok(
        await m.http.post(
            f"/boards/{board}/members/{members['head']}/stand-down",
            json={"on": TODAY.isoformat()},
            headers=lincs.coordinator,
        )
    )
    assert (stood_down["stood_down_on"], stood_down["current"]) == (TODAY.isoformat(), False)
    new_chair = {
        **lincs.appointment("head_of_grantham", "chair", represents_urn=GRANTHAM),
        "starts_on": TODAY.isoformat(),
    }
    refused = await m.http.post(
        f"/boards/{board}/members", json=new_chair, headers=lincs.coordinator
    )
    assert refused.status_code == 409  # already a member: stands down as one first
    ok(
        await m.http.post(
            f"/boards/{board}/members/{members['head_of_grantham']}/stand-down",
            headers=lincs.coordinator,
        )
    )
    ok(
        await m.http.post(f"/boards/{board}/members", json=new_chair, headers=lincs.coordinator),
        201,
    )

    records = await records_about(kafka_bootstrap, board, meeting, expect=17)
    in_order = {
        key: [ce_type(r) for r in records if r.key == key.encode()] for key in (board, meeting)
    }
    assert in_order == {
        board: [
            "membership.board_formed.v1",
            *["membership.board_member_appointed.v1"] * 4,
            *["membership.board_member_stood_down.v1"] * 2,
            "membership.board_member_appointed.v1",
        ],
        meeting: [
            "membership.board_meeting_scheduled.v1",
            "membership.board_meeting_minuted.v1",
            *["membership.board_action_assigned.v1"] * 3,
            "membership.board_action_done.v1",
            "membership.board_meeting_minuted.v1",  # the correction: one action withdrawn
            "membership.board_action_withdrawn.v1",
            "membership.board_minutes_approved.v1",
        ],
    }
    by_type = {ce_type(r): json.loads(r.value or b"") for r in records}  # the last of each
    appointed = by_type["membership.board_member_appointed.v1"]
    assert appointed == {
        "board_id": board,
        "partnership_id": lincs.pid,
        "member_id": appointed["member_id"],
        "person_id": lincs.people["head_of_grantham"],
        "office": "chair",
        "represents_urn": GRANTHAM,
        "represents_body": None,
        "starts_on": TODAY.isoformat(),
        "ends_on": IN_THREE_YEARS.isoformat(),
    }
    assert by_type["membership.board_meeting_scheduled.v1"]["agenda_items"] == 3
    minuted_event = by_type["membership.board_meeting_minuted.v1"]
    assert (minuted_event["decisions"], minuted_event["actions"]) == (2, 2)  # the correction
    assert by_type["membership.board_action_done.v1"]["person_id"] == lincs.people["councillor"]
    assert by_type["membership.board_action_withdrawn.v1"]["action_id"] == granthams["id"]
    wire = b"".join((r.value or b"") + b"".join(v for _, v in r.headers) for r in records)
    for text in (MINUTES[:20], *DECISIONS, "Brief the", "Write to", "Epic Centre", "The head"):
        assert text.encode() not in wire, text
    assert COUNCIL.encode() in wire  # the body a member represents: an organisation's name


async def test_bad_input_is_refused_naming_the_field(membership: Membership) -> None:
    m = membership
    lincs = await Lincolnshire(m).set_up()
    board, _ = await lincs.board()
    members = f"/boards/{board}/members"
    base = lincs.appointment("teacher", "member", represents_urn=BOSTON)
    for body, where in (
        ({**base, "office": "treasurer"}, "body.office"),
        ({**base, "ends_on": A_YEAR_AGO.isoformat()}, "body.ends_on"),
        ({**base, "ends_on": (A_YEAR_AGO - timedelta(days=1)).isoformat()}, "body.ends_on"),
        ({**base, "represents_body": COUNCIL}, "body.represents_body"),
        ({**base, "represents_urn": None}, "body.represents_body"),
        ({**base, "represents_urn": "12ab"}, "body.represents_urn"),
        ({**base, "starts_on": "2016-02-30"}, "body.starts_on"),
    ):
        refused = await m.http.post(members, json=body, headers=lincs.coordinator)
        assert field(refused) == where, (body, refused.text)
    for body, words in (
        ({**base, "person_id": "nosuchperson"}, "person_id: no person nosuchperson"),
        ({**base, "represents_urn": LOUTH}, f"represents_urn: school {LOUTH} is not a member"),
    ):
        refused = await m.http.post(members, json=body, headers=lincs.coordinator)
        assert refused.status_code == 422 and words in refused.json()["detail"], refused.text

    meetings = f"/boards/{board}/meetings"
    agenda = {"starts_at": "2026-04-22T09:00:00+01:00", "venue": "Epic Centre", "agenda": ["A"]}
    for body, where in (
        ({**agenda, "agenda": ["Welcome", " "]}, "body.agenda.1"),
        ({**agenda, "agenda": []}, "body.agenda"),
        ({**agenda, "starts_at": "2026-04-22T09:00:00"}, "body.starts_at"),
        ({**agenda, "venue": "Epic\nCentre"}, "body.venue"),
    ):
        refused = await m.http.post(meetings, json=body, headers=lincs.coordinator)
        assert field(refused) == where, (body, refused.text)

    meeting = await lincs.meeting(board)
    at = f"/meetings/{meeting}/minutes"
    outsider = lincs.action("teacher", TODAY)
    early = lincs.action("governor", TODAY - timedelta(days=30))
    for body, words in (
        (lincs.minutes(outsider), f"actions.0.owner_person_id: {lincs.people['teacher']}"),
        (lincs.minutes(lincs.action("governor", TODAY), early), "actions.1.due_on"),
        (lincs.minutes({**early, "action_id": "nosuch"}), "actions.0.due_on"),
        (
            lincs.minutes({**lincs.action("governor", TODAY), "action_id": "nosuch"}),
            "actions.0.action_id: the minutes have no action nosuch",
        ),
    ):
        refused = await m.http.put(at, json=body, headers=lincs.coordinator)
        assert refused.status_code == 422 and words in refused.json()["detail"], refused.text
    no_text = await m.http.put(
        at, json={**lincs.minutes(), "minutes": ""}, headers=lincs.coordinator
    )
    assert field(no_text) == "body.minutes"
    blank_decision = {**lincs.minutes(), "decisions": ["Agreed", "\u200b"]}
    assert field(await m.http.put(at, json=blank_decision, headers=lincs.coordinator)) == (
        "body.decisions.1"
    )

    one_action = lincs.minutes(lincs.action("governor", TODAY))
    made = ok(await m.http.put(at, json=one_action, headers=lincs.coordinator))
    done_at = f"/meetings/{meeting}/actions/{made['actions'][0]['id']}/done"
    in_three_days = (TODAY + timedelta(days=3)).isoformat()
    too_soon = await m.http.post(
        done_at, json={"done_on": in_three_days}, headers=lincs.coordinator
    )
    assert field(too_soon) == "body.done_on"  # the day it was done: not ahead
    future = await lincs.meeting(board, days_ago=-30)
    ahead = await m.http.put(
        f"/meetings/{future}/minutes", json=lincs.minutes(), headers=lincs.coordinator
    )
    assert ahead.status_code == 409 and "follow the meeting" in ahead.json()["detail"]


async def test_a_stranger_is_told_nothing_and_staff_are_refused(membership: Membership) -> None:
    m = membership
    lincs = await Lincolnshire(m).set_up()
    board, members = await lincs.board()
    meeting = await lincs.meeting(board)
    minuted = ok(
        await m.http.put(
            f"/meetings/{meeting}/minutes",
            json=lincs.minutes(lincs.action("governor", TODAY)),
            headers=lincs.coordinator,
        )
    )
    action = minuted["actions"][0]["id"]

    body = {"name": "East Kent Partnership", "kind": "cluster"}
    theirs = ok(await m.http.post("/partnerships", json=body, headers=m.officer), 201)["id"]
    stranger = m.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[theirs], person_id="p-kent")
    louth_teacher = m.as_(Role.TEACHER, schools=[LOUTH], person_id="p-louth")
    appointment = lincs.appointment("teacher", "member", represents_urn=BOSTON)
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/partnerships/{lincs.pid}/boards", None),
        ("POST", f"/partnerships/{lincs.pid}/boards", {"name": "Another board"}),
        ("GET", f"/boards/{board}", None),
        ("POST", f"/boards/{board}/members", appointment),
        ("POST", f"/boards/{board}/members/{members['councillor']}/stand-down", None),
        ("GET", f"/boards/{board}/meetings", None),
        ("GET", f"/meetings/{meeting}", None),
        ("PUT", f"/meetings/{meeting}/minutes", lincs.minutes()),
        ("POST", f"/meetings/{meeting}/minutes/approve", None),
        ("POST", f"/meetings/{meeting}/actions/{action}/done", None),
        ("GET", f"/people/{lincs.people['governor']}/board-actions", None),
    ]
    ids = (lincs.pid, board, meeting, action, members["councillor"], lincs.people["governor"])

    def unnamed(detail: str) -> str:
        for real in ids:
            detail = detail.replace(real, "<id>").replace("0" * len(real), "<id>")
        return detail

    for who in (stranger, louth_teacher):
        for method, path, sent in calls:
            answer = await m.http.request(method, path, json=sent, headers=who)
            made_up = path
            for real in ids:
                made_up = made_up.replace(real, "0" * len(real))
            nothing = await m.http.request(method, made_up, json=sent, headers=who)
            assert answer.status_code == nothing.status_code == 404, (method, path, answer.text)
            said, said_of_nothing = answer.json()["detail"], nothing.json()["detail"]
            assert unnamed(said) == unnamed(said_of_nothing), (method, path, said)

    teacher = lincs.as_("teacher")  # at a member school, not on the board
    assert ok(await m.http.get(f"/partnerships/{lincs.pid}/boards", headers=teacher)) == []
    for method, path, sent in calls[1:-1]:
        answer = await m.http.request(method, path, json=sent, headers=teacher)
        assert answer.status_code == 403, (method, path, answer.text)

    vice_chair = lincs.as_("governor")  # reads the board, does not run it or take its minutes
    assert ok(await m.http.get(f"/meetings/{meeting}", headers=vice_chair))["id"] == meeting
    for method, path, sent in (calls[3], calls[7], calls[8]):
        answer = await m.http.request(method, path, json=sent, headers=vice_chair)
        assert answer.status_code == 403, (method, path, answer.text)
    ok(await m.http.post(f"/meetings/{meeting}/actions/{action}/done", headers=vice_chair))
