"""The access matrix (issue 7 §3, DESIGN rule 10): every role × every operation of every service ×
the ids of another partnership → 403 or 404 as for ids that do not exist, and never its data.

Two partnerships, A and B, are set up through the real APIs, each by its own people: schools,
a coordinator, a school lead and a teacher, a published activity and one open to the other
partnership too, the teacher's bookings on both, a draft and a published case study, a support
request and a calendar link. Then each role of A calls every operation of membership, events,
notifications and reporting (read from each app's OpenAPI document: a new route is in the matrix without
a word here) with B's ids, and again with ids of the same shape that do not exist. A leak is:
- a 2xx for B's ids (but a GET of what A may see: a school of the register, a published case
  study, B's activity that is open to A);
- a status or a problem detail for B's ids that differs from the one for ids that do not exist
  (the difference would tell that B's id exists), where existence is not public anyway;
- any answer showing one of B's secrets it was not given: its people's ids, names and emails,
  role ids, its private activity's title, bookings and check-in codes, drafts and review notes,
  its support request, its peer review's words, calendar links, its partnership's name.
Where an operation takes several ids, each private one is also tried alone, the caller's own ids
of A for the rest (B's person named in A's own booking, B's activity linked from A's case study).

Who is in it: coordinators of A (named in the token, and named only in membership's records),
a lead of A's school, a teacher there. County officers (and the service role) are county-wide
by design (`Principal.county_wide`: they see county-wide reports and quality-assure every case
study), so no partnership is foreign to them; they are the control instead: every GET of B's
ids answers them as something that exists (not 404), and ids that do not exist are 404 — so
the 404s the matrix sees are not for ids that were wrong.

What is public: no route answers without a token. Schools are register data (GIAS) for anyone
signed in, and a published case study is readable county-wide; both may answer A, and must
still show nothing secret (no author ids, no review notes). So may an activity B opened to A,
without B's bookings.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from conftest import SmtpServer

from eventkit.auth import Role
from services.reporting.bootstrap import ReportingSettings
from services.reporting.bootstrap import build as build_reporting
from support import access_matrix as matrix
from support.access_matrix import Raw
from support.events import Events, Partnership, activity_body, running_events, wait_for_directory
from support.membership import Membership, running_membership
from support.notifications import Notifications, running_notifications
from support.polling import eventually
from support.services import RunningService, running, settings_for

pytestmark = pytest.mark.integration

PATH_KINDS: dict[str, tuple[str, ...] | dict[str, tuple[str, ...]]] = {
    "pid": ("partnership",),
    "urn": ("school",),
    "person_id": ("person",),
    "role_id": ("role",),
    "activity_id": ("activity", "shared_activity"),
    "booking_id": ("booking", "shared_booking"),
    "case_study_id": ("case_study", "published_case_study"),
    "engagement_id": ("engagement",),
    "token_id": ("calendar_token",),
    "subscription_id": ("webhook",),
    "delivery_id": ("webhook_delivery",),
    "report_id": ("saved_report",),
    "as_of": ("snapshot",),
    "relationship_id": ("relationship",),
    "organisation_id": ("organisation",),
    "swap_id": ("placement_swap",),
    "host_urn": ("school",),
    "publication_id": ("publication",),
    "issue_id": ("publication_issue",),
    "board_id": ("board",),
    "member_id": ("board_member",),
    "meeting_id": ("board_meeting",),
    "action_id": ("board_action",),
    "review_id": ("peer_review",),
    "review_action_id": ("peer_review_action",),
    "contributor_id": ("contributor",),
    "entry_id": ("funds_entry",),
    "record_id": {  # by the record's kind, /history/{kind}/{record_id}
        "partnership": ("partnership",),
        "school": ("school",),
        "person": ("person",),
        "activity": ("activity", "shared_activity"),
        "booking": ("booking", "shared_booking"),
        "case_study": ("case_study", "published_case_study"),
        "support": ("engagement",),
    },
}
"""The kinds of id each path parameter takes (a new one fails the test until it is named here)."""
QUERY_KINDS = {"partnership_id": "partnership", "urn": "school"}
BODY_KINDS = {
    "partnership_id": "partnership",
    "urn": "school",
    "requesting_urn": "school",
    "person_id": "person",
    "by_person_id": "person",
    "activity_id": "activity",
    "booking_id": "booking",
    "case_study_id": "case_study",
    "engagement_id": "engagement",
    "code": "check_in_code",
}
"""Ids in a body derived from its schema (a new operation without an entry in BODIES)."""
SKIPPED_TAGS = ("operations", "unsubscribe")
"""Health and readiness; and unsubscribe links, which take no bearer token but a signed link
for one person (tests/notifications prove a forged or altered one is refused)."""
PUBLIC_KINDS = {
    "school",
    "published_case_study",
    "shared_activity",
    "snapshot",
    "relationship",
    "organisation",
}
"""Kinds whose existence is no secret to A: the school register and the relationships between
schools, published case studies, an activity of B's that is open to A, the days the county's
snapshots are of."""
PRIVATE_KINDS = {
    "partnership",
    "person",
    "role",
    "activity",
    "booking",
    "shared_booking",
    "check_in_code",
    "case_study",
    "engagement",
    "calendar_token",
    "webhook",
    "webhook_delivery",
    "saved_report",
    "placement_swap",
    "publication",
    "publication_issue",
    "board",
    "board_member",
    "board_meeting",
    "board_action",
    "peer_review",
    "peer_review_action",
    "contributor",
    "funds_entry",
}

_SESSIONS = activity_body("x")["sessions"]
_GIAS = (
    "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),LA (code),"
    "LA (name),NumberOfPupils,PercentageFSM,EstablishmentStatus (name)\n"
    "{school},Matrix School,Academy converter,Primary,873,Cambridgeshire,200,10.5,Open\n"
)
_ELSEWHERE = "1000001"
"""A school no partnership has: a placement swap's other school where the matrix has one."""
_WEEK = {"starts_on": "2030-01-07", "ends_on": "2030-01-11"}
_PUPILS = {"urn": "{school}", "pupils": 3}
_STORY = {
    "title": "Matrix story",
    "activity_ids": ["{activity}"],
    "urns": ["{school}"],
    "authors": ["{person}"],
}
BODIES: dict[str, list[Any]] = {
    # reporting
    "POST /saved-reports": [
        {"name": "Matrix", "kind": "partnership_participation", "partnership_id": "{partnership}"},
        {"name": "Matrix", "kind": "school_participation", "urn": "{school}"},
    ],
    # membership
    "POST /partnerships": [{"name": "Matrix partnership", "kind": "cluster"}],
    "PUT /partnerships/{pid}": [{"name": "Matrix partnership", "kind": "cluster"}],
    "POST /partnerships/{pid}/coordinators": [{"person_id": "{person}"}],
    "POST /people/access": [{"person_id": "{person}"}],
    "POST /partnerships/{pid}/invitations": [{"urn": "{school}"}],
    "POST /partnerships/{pid}/members": [{"urn": "{school}"}],
    "POST /schools": [
        {"urn": "{school}", "name": "Matrix School", "phase": "primary", "sector": "state"}
    ],
    "PUT /schools/{urn}": [{"name": "Matrix School", "phase": "primary", "sector": "state"}],
    "PUT /schools/{urn}/expertise": [{"subjects": ["maths"]}],
    "POST /relationships": [
        {
            "kind": "sponsorship",
            "first": {"school_urn": "{school}"},
            "second": {"trust_uid": "12345", "trust_name": "Matrix Trust"},
            "starts_on": "2020-01-01",
        }
    ],
    "POST /relationships/{relationship_id}/end": [{"ended_on": "2030-01-01"}],
    "POST /partnerships/{pid}/boards": [{"name": "Matrix board", "kind": "board"}],
    "POST /boards/{board_id}/members": [
        {
            "person_id": "{person}",
            "office": "member",
            "starts_on": "2020-01-01",
            "represents_urn": "{school}",
        }
    ],
    "POST /boards/{board_id}/members/{member_id}/stand-down": [{"on": "2030-01-01"}],
    "POST /boards/{board_id}/meetings": [
        {"starts_at": "2030-01-01T10:00:00+00:00", "venue": "Matrix", "agenda": ["Matrix"]}
    ],
    "PUT /meetings/{meeting_id}/minutes": [
        {
            "minutes": "Matrix minutes",
            "decisions": ["Matrix decision"],
            "actions": [
                {"text": "Matrix action", "owner_person_id": "{person}", "due_on": "2030-01-01"}
            ],
        }
    ],
    "POST /schools/import": [Raw(_GIAS, "text/csv")],
    "POST /people": [
        {
            "name": "Matrix Person",
            "email": "matrix.person@school.example",
            "role": {"role": "teacher", "urn": "{school}", "starts_on": "2020-01-01"},
        },
        {
            "name": "Matrix Person",
            "email": "matrix.person@school.example",
            "role": {
                "role": "coordinator",
                "partnership_id": "{partnership}",
                "starts_on": "2020-01-01",
            },
        },
    ],
    "PUT /people/{person_id}": [{"name": "Matrix Person", "email": "matrix@school.example"}],
    "POST /people/{person_id}/roles": [
        {"role": "teacher", "urn": "{school}", "starts_on": "2020-01-01"},
        {"role": "coordinator", "partnership_id": "{partnership}", "starts_on": "2020-01-01"},
    ],
    # events
    "POST /activities": [activity_body("{partnership}")],
    "PUT /activities/{activity_id}": [activity_body("{partnership}")],
    "POST /activities/{activity_id}/reschedule": [{"sessions": _SESSIONS}],
    "POST /activities/{activity_id}/contributors": [{"person_id": "{person}", "role": "speaker"}],
    "POST /activities/{activity_id}/fundraising": [
        {"charity": "Matrix Charity", "amount_pence": 100, "raised_on": "2020-01-01"}
    ],
    "POST /activities/{activity_id}/bookings": [{"urn": "{school}", "person_id": "{person}"}],
    "POST /bookings/{booking_id}/substitute": [{"person_id": "{person}"}],
    "PUT /schools/{urn}/booking-policy": [{"staff_bookings_need_approval": True}],
    "POST /bookings/{booking_id}/attendance": [{"attended": True}],
    "POST /activities/{activity_id}/check-in": [{"code": "{check_in_code}"}],
    "POST /bookings/{booking_id}/evaluations/{stage}": [{"ratings": {"relevance": 4}}],
    "POST /case-studies": [{"partnership_id": "{partnership}", **_STORY}],
    "PUT /case-studies/{case_study_id}": [_STORY],
    "POST /case-studies/{case_study_id}/return": [{"note": "Say how you measured it."}],
    "POST /case-studies/{case_study_id}/withdraw": [{"reason": "Out of date."}],
    "POST /support-requests": [
        {
            "partnership_id": "{partnership}",
            "requesting_urn": "{school}",
            "need": {"subjects": ["maths"]},
        }
    ],
    "POST /support-requests/{engagement_id}/match": [{"urn": "{school}"}],
    "POST /support-requests/{engagement_id}/visits": [
        {"impact_note": "Planning shared.", "by_person_id": "{person}"}
    ],
    "POST /support-requests/{engagement_id}/review": [{"progress": 3}],
    "POST /support-requests/{engagement_id}/close": [
        {"outcome": "partly_met", "impact_summary": "Some progress."}
    ],
    "POST /placement-swaps": [
        {
            "partnership_id": "{partnership}",
            "activity_id": "{activity}",
            "legs": [
                {
                    "host_urn": "{school}",
                    "visitor_urn": _ELSEWHERE,
                    "visitor_id": "{person}",
                    **_WEEK,
                },
                {
                    "host_urn": _ELSEWHERE,
                    "visitor_urn": "{school}",
                    "visitor_id": "{person}",
                    **_WEEK,
                },
            ],
        }
    ],
    "POST /placement-swaps/{swap_id}/legs/{host_urn}/reschedule": [_WEEK],
    "POST /placement-swaps/{swap_id}/cancel": [{"reason": "Matrix reason"}],
    "POST /publications": [
        {"partnership_id": "{partnership}", "title": "Matrix magazine", "kind": "magazine"}
    ],
    "POST /publications/{publication_id}/issues": [
        {"number": 99, "published_on": "2020-01-01", "contributions": [_PUPILS]}
    ],
    "PUT /publications/{publication_id}/issues/{issue_id}/contributions/{urn}": [{"pupils": 3}],
    "POST /peer-reviews": [
        {
            "partnership_id": "{partnership}",
            "reviewed_urn": "{school}",
            "reviewer_ids": ["{person}"],
            "focus_areas": ["Reading in key stage 1"],
            "visit_dates": ["2020-01-01"],
        }
    ],
    "PUT /peer-reviews/{review_id}/findings": [
        {"findings": [{"focus_area": "Reading", "kind": "strength", "text": "Matrix finding."}]}
    ],
    "POST /peer-reviews/{review_id}/actions": [
        {"text": "Matrix action.", "due_on": "2030-01-01", "owner_person_id": "{person}"}
    ],
    "POST /peer-reviews/{review_id}/actions/{review_action_id}/follow-up": [
        {"note": "Matrix note."}
    ],
    "PUT /peer-reviews/{review_id}/sharing": [{"sharing": "county"}],
    # notifications
    "POST /webhooks": [{"url": "http://127.0.0.1:9/hook"}],
    "POST /webhooks/{subscription_id}/replay": [
        {"since": "2020-01-01T00:00:00Z", "until": "2030-01-01T00:00:00Z"}
    ],
    "PUT /people/{person_id}/preferences": [{"muted": ["reminders"]}],
    "POST /calendar-tokens": [
        {"feed": "/partnerships/{partnership}/calendar.ics"},
        {"feed": "/people/{person}/calendar.ics"},
    ],
}
"""Request bodies by operation: valid, with `{kind}` where an id goes. An operation not named
here gets one derived from its schema; one the service refuses as invalid fails the test."""


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role
    person: str
    """Which of A's people they are: coordinator, lead or teacher."""
    scope: str
    """What the token names: `partnership` (A), `school` (A's first school) or nothing."""


PEOPLE = ("teacher", "lead", "coordinator")
"""B's people, in turn the person its ids are about (the first: where no person is in it)."""

CALLERS = (
    Caller("coordinator", Role.PARTNERSHIP_COORDINATOR, "coordinator", "partnership"),
    Caller("coordinator by membership's records", Role.PARTNERSHIP_COORDINATOR, "coordinator", ""),
    Caller("school lead", Role.SCHOOL_LEAD, "lead", "school"),
    Caller("teacher", Role.TEACHER, "teacher", "school"),
)


@dataclass
class Side:
    """One partnership and everything made in it; `markers` are its secrets."""

    label: str
    tag: str
    partnership: str = ""
    schools: list[str] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # coordinator / lead / teacher -> id
    role_ids: dict[str, str] = field(default_factory=dict)  # person id -> their role's id
    ids: dict[str, str] = field(default_factory=dict)  # kind -> id (activity, booking...)
    markers: dict[str, str] = field(default_factory=dict)  # secret -> what it is

    def values(self, person: str = "teacher") -> dict[str, str]:
        """An id of every kind: `person` is the one of its people the ids are about."""
        person_id = self.people[person]
        return {
            **self.ids,
            "partnership": self.partnership,
            "school": self.schools[0],
            "person": person_id,
            "role": self.role_ids[person_id],
        }

    def scope(self, caller: Caller) -> dict[str, Any]:
        scope: dict[str, Any] = {"person_id": self.people[caller.person]}
        if caller.scope == "partnership":
            scope["partnerships"] = [self.partnership]
        elif caller.scope == "school":
            scope["schools"] = [self.schools[0]]
        return scope

    def secret(self, value: str, what: str) -> str:
        self.markers[value] = f"{self.label}'s {what}"
        return value


@dataclass
class Platform:
    membership: Membership
    events: Events
    reporting: RunningService[ReportingSettings]
    notifications: Notifications

    def services(self) -> dict[str, RunningService[Any]]:
        return {
            "membership": self.membership,
            "events": self.events,
            "reporting": self.reporting,
            "notifications": self.notifications,
        }


@pytest.fixture
async def platform(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str, smtp_server: SmtpServer
) -> AsyncIterator[Platform]:
    """Every service on the session's broker and database, each with a fresh database."""
    async with AsyncExitStack() as stack:
        m = await stack.enter_async_context(
            running_membership(kafka_bootstrap, mongodb_uri, f"membership_{unique_name}")
        )
        e = await stack.enter_async_context(
            running_events(
                kafka_bootstrap,
                mongodb_uri,
                f"events_{unique_name}",
                consumer_group_suffix=unique_name,
            )
        )
        settings = settings_for(
            ReportingSettings,
            kafka_bootstrap,
            mongodb_uri,
            f"reporting_{unique_name}",
            consumer_group_suffix=unique_name,
            monthly_county_reports=False,
        )
        r = await stack.enter_async_context(running(build_reporting(settings), settings))
        n = await stack.enter_async_context(
            running_notifications(
                kafka_bootstrap,
                mongodb_uri,
                f"notifications_{unique_name}",
                consumer_group_suffix=unique_name,
                smtp_host=smtp_server.host,
                smtp_port=smtp_server.port,
                webhook_allow_private=True,  # its council system is a closed local port
            )
        )
        yield Platform(m, e, r, n)


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json() if response.content else None


async def seed_membership(m: Membership, label: str) -> Side:
    """Schools, a partnership, its coordinator; the coordinator invites the schools, their
    leads accept, and the lead of the first adds themselves and a teacher."""
    side = Side(label, secrets.token_hex(3))
    http, officer, tag = m.http, m.officer, side.tag
    for n in (1, 2):
        urn = str(800000 + secrets.randbelow(199999))
        school = {"urn": urn, "name": f"School {label}{n}", "phase": "primary", "sector": "state"}
        _ok(await http.post("/schools", json=school, headers=officer), 201)
        side.schools.append(urn)
    name = side.secret(f"Partnership {label} {tag}", "partnership name")
    created = _ok(
        await http.post("/partnerships", json={"name": name, "kind": "cluster"}, headers=officer),
        201,
    )
    side.partnership = pid = created["id"]

    async def add(who: str, headers: dict[str, str], role: dict[str, str]) -> str:
        person = {
            "name": side.secret(f"{who.title()} {label} Person {tag}", f"{who}'s name"),
            "email": side.secret(f"{who}.{tag}@{label.lower()}.example", f"{who}'s email"),
            "role": {**role, "starts_on": "2020-01-01"},
        }
        added = _ok(await http.post("/people", json=person, headers=headers), 201)
        side.people[who] = side.secret(added["id"], f"{who}'s person id")
        side.role_ids[added["id"]] = side.secret(added["roles"][0]["id"], f"{who}'s role id")
        return str(added["id"])

    coordinator = await add("coordinator", officer, {"role": "coordinator", "partnership_id": pid})
    _ok(
        await http.post(
            f"/partnerships/{pid}/coordinators", json={"person_id": coordinator}, headers=officer
        )
    )
    as_coordinator = m.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[pid], person_id=coordinator)
    for urn in side.schools:
        invitations = f"/partnerships/{pid}/invitations"
        _ok(await http.post(invitations, json={"urn": urn}, headers=as_coordinator))
        accept = f"/partnerships/{pid}/members/{urn}/accept"
        _ok(await http.post(accept, headers=m.as_(Role.SCHOOL_LEAD, schools=[urn])))
    as_lead = m.as_(Role.SCHOOL_LEAD, schools=[side.schools[0]])
    await add("lead", as_lead, {"role": "head", "urn": side.schools[0]})
    await add("teacher", as_lead, {"role": "teacher", "urn": side.schools[0]})
    as_second_lead = m.as_(Role.SCHOOL_LEAD, schools=[side.schools[1]])
    await add("trainee", as_second_lead, {"role": "trainee", "urn": side.schools[1]})
    alliance = {
        "kind": "teaching_school_alliance",
        "first": {"school_urn": side.schools[0]},
        "second": {"school_urn": side.schools[-1]},
        "starts_on": "2020-01-01",
    }
    made = _ok(await http.post("/relationships", json=alliance, headers=as_lead), 201)
    side.ids["relationship"] = made["id"]
    body = {"name": f"Organisation {label} {tag}", "kind": "charity"}
    organisation = _ok(await http.post("/organisations", json=body, headers=officer), 201)
    side.ids["organisation"] = organisation["id"]
    await seed_board(m, side, as_coordinator)
    return side


async def seed_board(m: Membership, side: Side, as_coordinator: dict[str, str]) -> None:
    """The partnership's board, its lead in the chair and its teacher a member, a meeting
    minuted with an action of the teacher's."""
    http, tag, pid, urn = m.http, side.tag, side.partnership, side.schools[0]
    body = {"name": side.secret(f"{side.label} board {tag}", "board's name"), "kind": "board"}
    board = _ok(
        await http.post(f"/partnerships/{pid}/boards", json=body, headers=as_coordinator), 201
    )
    side.ids["board"] = side.secret(board["id"], "board's id")
    for who, office in (("lead", "chair"), ("teacher", "member")):
        appointment = {
            "person_id": side.people[who],
            "office": office,
            "starts_on": "2020-01-01",
            "represents_urn": urn,
        }
        at = f"/boards/{board['id']}/members"
        member = _ok(await http.post(at, json=appointment, headers=as_coordinator), 201)
        side.ids["board_member"] = side.secret(member["id"], f"board {office}'s member id")
    meeting = {
        "starts_at": "2020-03-02T18:00:00+00:00",
        "venue": side.secret(f"{side.label} board room {tag}", "board meeting's venue"),
        "agenda": [side.secret(f"{side.label} agenda item {tag}", "board meeting's agenda")],
    }
    at = f"/boards/{board['id']}/meetings"
    scheduled = _ok(await http.post(at, json=meeting, headers=as_coordinator), 201)
    side.ids["board_meeting"] = side.secret(scheduled["id"], "board meeting's id")
    action = {
        "text": side.secret(f"{side.label} board action {tag}", "board action's text"),
        "owner_person_id": side.people["teacher"],
        "due_on": "2030-01-01",
    }
    minutes = {
        "minutes": side.secret(f"{side.label} board minutes {tag}", "board minutes"),
        "decisions": [side.secret(f"{side.label} board decision {tag}", "board decision")],
        "actions": [action],
    }
    at = f"/meetings/{scheduled['id']}/minutes"
    minuted = _ok(await http.put(at, json=minutes, headers=as_coordinator))
    side.ids["board_action"] = side.secret(minuted["actions"][0]["id"], "board action's id")


async def wait_for_copies(p: Platform, side: Side) -> None:
    """Until events and reporting know the partnership, its schools, people and coordinator."""
    staff = {person: side.schools[0] for person in side.people.values()}
    await wait_for_directory(p.events, Partnership(side.partnership, side.schools, staff))
    by_records = p.events.as_(Role.PARTNERSHIP_COORDINATOR, person_id=side.people["coordinator"])
    feed = f"/partnerships/{side.partnership}/calendar.ics"

    async def events_knows_coordinator() -> bool:
        return (await p.events.http.get(feed, headers=by_records)).status_code == 200

    async def reporting_knows() -> bool:
        got = await p.reporting.http.get(
            f"/partnerships/{side.partnership}/composition", headers=p.reporting.officer
        )
        return (
            got.status_code == 200
            and got.json()["counts"]["active"] == len(side.schools)
            and got.json()["coordinators"] == 1
        )

    await eventually(events_knows_coordinator, what="events hearing of the coordinator")
    await eventually(reporting_knows, what="reporting hearing of the partnership")


async def seed_events(e: Events, side: Side, other: Side) -> None:
    """As the partnership's own people: an activity, one open to the other partnership too, the
    teacher's bookings on both, case studies, a support request, a peer review, a calendar
    link."""
    http, tag, pid, urn = e.http, side.tag, side.partnership, side.schools[0]
    coordinator = e.as_(
        Role.PARTNERSHIP_COORDINATOR, partnerships=[pid], person_id=side.people["coordinator"]
    )
    lead = e.as_(Role.SCHOOL_LEAD, schools=[urn], person_id=side.people["lead"])
    teacher_id = side.people["teacher"]
    teacher = e.as_(Role.TEACHER, schools=[urn], person_id=teacher_id)

    title = side.secret(f"{side.label} private TeachMeet {tag}", "activity title")
    body = activity_body(pid, title=title, capacity=5)
    open_to = {"title": f"{side.label} open TeachMeet {tag}", "open_to": [other.partnership]}
    booked = []
    for details in (body, activity_body(pid, **open_to, capacity=5)):
        made = _ok(await http.post("/activities", json=details, headers=coordinator), 201)["id"]
        _ok(await http.post(f"/activities/{made}/publish", headers=coordinator))
        booking = _ok(
            await http.post(
                f"/activities/{made}/bookings",
                json={"urn": urn},
                headers={**teacher, "Idempotency-Key": f"seed-{uuid.uuid4()}"},
            ),
            201,
        )
        assert booking["status"] == "registered", booking
        booked.append((made, booking))
    (activity, booking), (shared, shared_booking) = booked
    side.secret(shared_booking["check_in_code"], "check-in code (open activity)")

    story = {
        "partnership_id": pid,
        "categories": ["teacher_development"],
        "aims": "Share a mastery approach to maths.",
        "impact": "Pupils working at greater depth rose from 12% to 21%.",
        "activity_ids": [activity],
        "urns": [urn],
    }
    draft_title = side.secret(f"{side.label} draft story {tag}", "draft case study's title")
    draft = _ok(
        await http.post("/case-studies", json={**story, "title": draft_title}, headers=coordinator),
        201,
    )["id"]
    shown = {**story, "title": f"{side.label} published story {tag}"}
    published = _ok(await http.post("/case-studies", json=shown, headers=lead), 201)["id"]
    _ok(await http.post(f"/case-studies/{published}/submit", headers=coordinator))
    note = side.secret(f"{side.label} review note {tag}", "officer's review note")
    _ok(
        await http.post(
            f"/case-studies/{published}/approve", json={"note": note}, headers=e.officer
        )
    )
    _ok(await http.post(f"/case-studies/{published}/publish", headers=coordinator))

    need = side.secret(f"{side.label} private need {tag}", "support need")
    asked = {
        "partnership_id": pid,
        "requesting_urn": urn,
        "need": {"subjects": ["maths"], "description": need},
    }
    engagement = _ok(await http.post("/support-requests", json=asked, headers=lead), 201)["id"]
    await seed_swap_and_magazine(e, side, coordinator)
    review, action = await seed_peer_review(e, side)
    await seed_contributor_and_funds(e, side, coordinator, activity)

    link = _ok(
        await http.post(
            "/calendar-tokens",
            json={"feed": f"/people/{teacher_id}/calendar.ics"},
            headers=teacher,
        ),
        201,
    )
    side.secret(link["url"].rsplit("token=", 1)[1], "calendar link's secret")

    side.ids.update(
        activity=activity,  # not secret itself: a published case study links it
        booking=side.secret(booking["id"], "booking id"),
        check_in_code=side.secret(booking["check_in_code"], "check-in code"),
        shared_activity=shared,  # open to the other partnership: not secret to it
        shared_booking=side.secret(shared_booking["id"], "booking id (open activity)"),
        case_study=side.secret(draft, "draft case study's id"),
        published_case_study=published,
        engagement=side.secret(engagement, "support request's id"),
        peer_review=side.secret(review, "peer review's id"),
        peer_review_action=side.secret(action, "peer review action's id"),
        calendar_token=side.secret(link["id"], "calendar link's id"),
    )


async def seed_contributor_and_funds(
    e: Events, side: Side, coordinator: dict[str, str], activity: str
) -> None:
    """The teacher invited to facilitate the activity; money raised by a walk that took place."""
    http, pid = e.http, side.partnership
    invitation = {"person_id": side.people["teacher"], "role": "facilitator"}
    path = f"/activities/{activity}/contributors"
    invited = _ok(await http.post(path, json=invitation, headers=coordinator), 201)
    side.ids["contributor"] = side.secret(invited["id"], "contributor's id")
    day = (datetime.now(UTC) - timedelta(days=2)).replace(microsecond=0)
    past = [{"starts_at": day.isoformat(), "ends_at": (day + timedelta(hours=2)).isoformat()}]
    walk = activity_body(pid, title=f"{side.label} walk {side.tag}", sessions=past)
    made = _ok(await http.post("/activities", json=walk, headers=coordinator), 201)["id"]
    _ok(await http.post(f"/activities/{made}/publish", headers=coordinator))
    gift = {"charity": "Matrix Hospice", "amount_pence": 5000, "raised_on": day.date().isoformat()}
    entry = _ok(
        await http.post(f"/activities/{made}/fundraising", json=gift, headers=coordinator), 201
    )
    side.ids["funds_entry"] = side.secret(entry["id"], "fundraising entry's id")


async def seed_peer_review(e: Events, side: Side) -> tuple[str, str]:
    """The coordinator plans a review of the second school by the first school's head, records
    the visit and the findings; the second school's lead agrees an action. Its words are secret."""
    http, tag, reviewed = e.http, side.tag, side.schools[-1]
    coordinator = e.as_(
        Role.PARTNERSHIP_COORDINATOR,
        partnerships=[side.partnership],
        person_id=side.people["coordinator"],
    )
    focus = side.secret(f"{side.label} focus area {tag}", "peer review's focus area")
    plan = {
        "partnership_id": side.partnership,
        "reviewed_urn": reviewed,
        "reviewer_ids": [side.people["lead"]],
        "focus_areas": [focus],
        "visit_dates": ["2020-01-01"],
    }
    review = _ok(await http.post("/peer-reviews", json=plan, headers=coordinator), 201)["id"]
    _ok(await http.post(f"/peer-reviews/{review}/visit", headers=coordinator))
    finding = {
        "focus_area": focus,
        "kind": "strength",
        "text": side.secret(f"{side.label} finding {tag}", "peer review's finding"),
    }
    findings = {"findings": [finding]}
    _ok(await http.put(f"/peer-reviews/{review}/findings", json=findings, headers=coordinator))
    agreed = {
        "text": side.secret(f"{side.label} action {tag}", "peer review's action"),
        "due_on": "2030-01-01",
    }
    lead = e.as_(Role.SCHOOL_LEAD, schools=[reviewed])
    made = await http.post(f"/peer-reviews/{review}/actions", json=agreed, headers=lead)
    return review, _ok(made, 201)["actions"][0]["id"]


async def seed_swap_and_magazine(e: Events, side: Side, coordinator: dict[str, str]) -> None:
    """The coordinator's placement swap of the teacher (to the second school) and the second
    school's trainee (to the first); the partnership's magazine with an issue by the first
    school's pupils."""
    http, first, second = e.http, side.schools[0], side.schools[1]
    legs = [
        {"host_urn": second, "visitor_urn": first, "visitor_id": side.people["teacher"], **_WEEK},
        {"host_urn": first, "visitor_urn": second, "visitor_id": side.people["trainee"], **_WEEK},
    ]
    swap = {"partnership_id": side.partnership, "legs": legs}
    made = _ok(await http.post("/placement-swaps", json=swap, headers=coordinator), 201)
    side.ids["placement_swap"] = side.secret(made["id"], "placement swap's id")
    title = side.secret(f"{side.label} magazine {side.tag}", "magazine's title")
    started = {"partnership_id": side.partnership, "title": title, "kind": "magazine"}
    magazine = _ok(await http.post("/publications", json=started, headers=coordinator), 201)
    side.ids["publication"] = side.secret(magazine["id"], "magazine's id")
    issue = {"number": 1, "published_on": "2020-01-01", "contributions": [_PUPILS | {"urn": first}]}
    at = f"/publications/{magazine['id']}/issues"
    issued = _ok(await http.post(at, json=issue, headers=coordinator))
    side.ids["publication_issue"] = side.secret(issued["issues"][0]["id"], "magazine issue's id")


async def subscribe_webhook(n: Notifications, side: Side) -> None:
    """A county officer subscribes a council system to the partnership's events."""
    made = _ok(
        await n.http.post(
            "/webhooks",
            json={"url": "http://127.0.0.1:9/hook", "partnership_ids": [side.partnership]},
            headers=n.officer,
        ),
        201,
    )
    side.secret(made["secret"], "webhook secret")
    side.ids["webhook"] = made["id"]


async def save_report(r: RunningService[ReportingSettings], side: Side) -> None:
    """A report on the partnership, saved by the county officer (the control's caller: a saved
    report is its owner's alone, so anyone else is told there is none)."""
    definition = {
        "name": f"{side.tag}: participation",
        "kind": "partnership_participation",
        "partnership_id": side.partnership,
    }
    made = _ok(await r.http.post("/saved-reports", json=definition, headers=r.officer), 201)
    side.ids["saved_report"] = side.secret(made["id"], "saved report's id")


async def ask_for_snapshot(r: RunningService[ReportingSettings], side: Side, day: str) -> None:
    """A snapshot of the read models as of a day, asked for by the county officer."""
    _ok(await r.http.post("/snapshots", json={"as_of": day}, headers=r.officer), 202)
    side.ids["snapshot"] = day


async def seed_webhook_delivery(n: Notifications, side: Side) -> None:
    """The first delivery to the partnership's webhook (of the activities seeded since)."""
    found: list[str] = []
    path = f"/webhooks/{side.ids['webhook']}/deliveries"

    async def delivered_one() -> bool:
        found[:] = [d["id"] for d in _ok(await n.http.get(path, headers=n.officer))]
        return bool(found)

    await eventually(delivered_one, what="a delivery for the partnership's webhook")
    side.ids["webhook_delivery"] = found[0]


async def test_no_role_of_one_partnership_reaches_another(platform: Platform) -> None:
    started = time.monotonic()
    a = await seed_membership(platform.membership, "A")
    b = await seed_membership(platform.membership, "B")
    for side in (a, b):
        await wait_for_copies(platform, side)
    for side in (a, b):
        await subscribe_webhook(platform.notifications, side)
    await seed_events(platform.events, a, b)
    await seed_events(platform.events, b, a)
    for side, day in ((a, "2020-01-01"), (b, "2020-01-02")):
        await seed_webhook_delivery(platform.notifications, side)
        await save_report(platform.reporting, side)
        await ask_for_snapshot(platform.reporting, side, day)

    services = platform.services()
    operations = {}
    for name, service in services.items():  # each app's own OpenAPI document, as it serves it
        document = _ok(await service.http.get("/openapi.json"))
        operations[name] = matrix.operations(
            name,
            document,
            path_kinds=PATH_KINDS,
            query_kinds=QUERY_KINDS,
            bodies=BODIES,
            body_kinds=BODY_KINDS,
            skip_tags=SKIPPED_TAGS,
        )
    named = {kind for ops in operations.values() for op in ops for kind in op.kinds()}
    assert named <= PUBLIC_KINDS | PRIVATE_KINDS, (
        f"public or private? {named - PUBLIC_KINDS - PRIVATE_KINDS}"
    )
    # Ids of B's about each of its people in turn (for the operations that take a person).
    about = {person: b.values(person) for person in PEOPLE}

    # The control: B's ids are real (never 404 for a county officer), made-up ids are 404 (but
    # where any id answers alike: the history of a record no event named is an empty list).
    wrong = []
    for name, service in services.items():
        for op in operations[name]:
            people = PEOPLE if op.kinds() & {"person", "role"} else PEOPLE[:1]
            for theirs in (
                (about[p] for p in people) if op.method == "GET" and op.path_kinds else ()
            ):
                missing = {k: matrix.missing_like(v) for k, v in theirs.items()}
                real = await matrix.send(service.http, op, theirs, service.officer)
                made_up = await matrix.send(service.http, op, missing, service.officer)
                if real.status == 404 or made_up.status not in (404, real.status):
                    wrong.append(f"{name} {real.request}: {real.status}, made up {made_up.status}")
    assert not wrong, "the control failed:\n" + "\n".join(wrong)

    leaks: list[tuple[str, str, str, int, str]] = []
    # What is public is there for A, and shows no one: B's published case study.
    published = f"/case-studies/{b.ids['published_case_study']}"
    for caller in CALLERS:
        reader = platform.events.as_(caller.role, **a.scope(caller))
        public = _ok(await platform.events.http.get(published, headers=reader))
        if public["content"]["authors"] or public["review_notes"]:
            leaks.append((caller.name, "GET", published, 200, "shows authors or review notes"))

    checks = calls = 0
    for caller in CALLERS:
        ours = a.values(caller.person)
        for name, service in services.items():
            headers = service.as_(caller.role, **a.scope(caller))
            for op in operations[name]:
                for foreign_kinds in matrix.variants(op, PRIVATE_KINDS):
                    people = PEOPLE if foreign_kinds & {"person", "role"} else PEOPLE[:1]
                    for theirs in (about[person] for person in people):
                        found, sent = await _check(
                            op, foreign_kinds, theirs, ours, service, headers, b.markers
                        )
                        checks, calls = checks + 1, calls + sent
                        leaks += [
                            (caller.name, op.method, f"{name} {where}", status, reason)
                            for where, status, reason in found
                        ]

    distinct = {(name, op.method, op.path) for name, ops in operations.items() for op in ops}
    print(
        f"\naccess matrix: {len(CALLERS)} roles × {len(distinct)} operations × their id kinds "
        f"= {checks} checks in {calls} calls ({time.monotonic() - started:.1f} s), "
        f"{len(leaks)} leaks"
    )
    for leak in leaks:
        print("  leak:", *leak)
    assert leaks == [], "\n".join(" | ".join(map(str, leak)) for leak in leaks)


async def _check(
    op: matrix.Operation,
    foreign_kinds: frozenset[str],
    theirs: dict[str, str],
    ours: dict[str, str],
    service: RunningService[Any],
    headers: dict[str, str],
    markers: dict[str, str],
) -> tuple[list[tuple[str, int, str]], int]:
    """One cell of the matrix: the operation with B's ids of `foreign_kinds` (A's own for the
    rest), and with ids that do not exist instead; what is wrong, and how many calls it took."""
    kinds = op.kinds()
    # Made-up ids stand in for B's private ones; B's public ids (a school, a published case
    # study, an activity open to A) stay, as their existence is no secret to A.
    made_up = foreign_kinds - PUBLIC_KINDS or foreign_kinds
    foreign = {k: theirs[k] if k in foreign_kinds else ours[k] for k in kinds}
    missing = {k: matrix.missing_like(theirs[k]) if k in made_up else foreign[k] for k in kinds}
    answers = [await matrix.send(service.http, op, foreign, headers)]
    if foreign_kinds:
        answers.append(await matrix.send(service.http, op, missing, headers))
    found = matrix.judge(
        op,
        foreign_kinds,
        answers[0],
        answers[-1],
        ids_sent=[*foreign.values(), *missing.values()],
        markers=markers,
        public_kinds=PUBLIC_KINDS,
    )
    if op.searches:  # a list with filters: and without any
        answers.append(await matrix.send(service.http, op, {}, headers, with_query=False))
        found += matrix.judge(
            op,
            frozenset(),
            answers[-1],
            answers[-1],
            ids_sent=[],
            markers=markers,
            public_kinds=PUBLIC_KINDS,
        )
    where = answers[0].request.split(" ", 2)[1]
    return [(where, answers[0].status, reason) for reason in found], len(answers)


async def test_a_school_taken_in_without_its_consent_does_not_show_its_staff(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str
) -> None:
    """Outside the matrix, which lets a coordinator name any school of the register: the one
    way found to reach another partnership's people, a write and then a read."""
    async with running_membership(kafka_bootstrap, mongodb_uri, f"membership_{unique_name}") as m:
        a = await seed_membership(m, "A")
        b = await seed_membership(m, "B")
        coordinator = m.as_(
            Role.PARTNERSHIP_COORDINATOR,
            partnerships=[a.partnership],
            person_id=a.people["coordinator"],
        )
        members = f"/partnerships/{a.partnership}/members"
        taken = await m.http.post(members, json={"urn": b.schools[0]}, headers=coordinator)
        assert taken.status_code == 403, taken.text  # an officer adds straight in; others invite
        seen = (await m.http.get("/people", headers=coordinator)).text
        shown = [label for marker, label in b.markers.items() if marker in seen]
        assert shown == [], shown
