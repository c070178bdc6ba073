"""Publications over real HTTP: East Kent's partnership magazine, started by the coordinator,
with an issue made by pupils of three member schools; a school's lead corrects their own count.
Pupils are counted, never named; the events carry URNs and counts. Who may do what, and bad
input named."""

import json
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from contracts.topics import EVENTS
from eventkit.auth import Role
from support.events import Events, Partnership, make_partnership, wait_for_directory
from support.kafka import ce_type, records_about
from support.membership import Membership

pytestmark = pytest.mark.integration

TODAY = date.today()
TITLE = "Together: the East Kent schools' magazine"


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    return response.json()


@pytest.fixture
async def east_kent(membership: Membership, events: Events) -> Partnership:
    partnership = await make_partnership(membership, schools=3)
    await wait_for_directory(events, partnership)
    return partnership


def coordinator(events: Events, pid: str) -> dict[str, str]:
    headers: dict[str, str] = events.as_(Role.PARTNERSHIP_COORDINATOR, partnerships=[pid])
    return headers


def lead(events: Events, urn: str) -> dict[str, str]:
    headers: dict[str, str] = events.as_(Role.SCHOOL_LEAD, schools=[urn])
    return headers


def first_issue(k: Partnership, **changes: Any) -> dict[str, Any]:
    a, b, c = k.schools
    body: dict[str, Any] = {
        "number": 1,
        "title": "Spring 2027",
        "published_on": TODAY.isoformat(),
        "link": "https://eastkent.example/together/1",
        "contributions": [
            {"urn": a, "pupils": 14, "phases": ["secondary"], "year_groups": [9, 10]},
            {"urn": b, "pupils": 9, "phases": ["primary"], "year_groups": [6]},
            {"urn": c, "pupils": 6},
        ],
    }
    body.update(changes)
    return body


async def started(events: Events, k: Partnership) -> str:
    body = {"partnership_id": k.id, "title": TITLE, "kind": "magazine"}
    made = ok(
        await events.http.post("/publications", json=body, headers=coordinator(events, k.id)), 201
    )
    return str(made["id"])


async def test_the_partnership_magazine_is_made_by_pupils_of_three_schools(
    events: Events, east_kent: Partnership
) -> None:
    k, http = east_kent, events.http
    a, b, c = k.schools
    coord = coordinator(events, k.id)
    pid = await started(events, k)

    published = ok(
        await http.post(f"/publications/{pid}/issues", json=first_issue(k), headers=coord)
    )
    [issue] = published["issues"]
    assert issue["pupils"] == 29
    assert sorted((x["urn"], x["pupils"]) for x in issue["contributions"]) == sorted(
        [(a, 14), (b, 9), (c, 6)]
    )
    url = f"/publications/{pid}/issues/{issue['id']}/contributions/{b}"
    corrected = ok(
        await http.put(url, json={"pupils": 11, "year_groups": [5, 6]}, headers=lead(events, b))
    )
    assert corrected["issues"][0]["pupils"] == 31

    [teacher_id, urn] = next(iter(k.staff.items()))
    teacher = events.as_(Role.TEACHER, schools=[urn], person_id=teacher_id)
    for reader in (teacher, lead(events, c), coord, events.officer):
        shown = ok(await http.get(f"/publications/{pid}", headers=reader))
        assert (shown["title"], shown["kind"]) == (TITLE, "magazine")
        listed = ok(await http.get(f"/partnerships/{k.id}/publications", headers=reader))
        assert [p["id"] for p in listed] == [pid]

    records = await records_about(
        events.settings.kafka_bootstrap_servers, pid, expect=3, topic=EVENTS
    )
    assert [ce_type(r) for r in records] == [
        "events.publication_started.v1",
        "events.publication_issue_published.v1",
        "events.publication_contribution_recorded.v1",
    ]
    issued = json.loads(records[1].value or b"{}")
    assert issued["issue_id"] == issue["id"] and issued["pupils"] == 29
    assert issued["published_on"] == TODAY.isoformat()
    assert sorted((x["urn"], x["pupils"]) for x in issued["contributions"]) == sorted(
        [(a, 14), (b, 9), (c, 6)]
    )
    recorded = json.loads(records[2].value or b"{}")
    assert (recorded["contribution"], recorded["previous_pupils"], recorded["pupils"]) == (
        {"urn": b, "pupils": 11},
        9,
        31,
    )


def refused(response: httpx.Response, where: str, words: str) -> None:
    """A 422 naming the field: in a validation error's location and message, or in the detail."""
    assert response.status_code == 422, response.text
    body = response.json()
    said = [".".join(map(str, e["loc"])) + " " + e["msg"] for e in body["errors"]]
    said.append(body["detail"])
    assert any(where in s and words in s for s in said), (where, words, body)


async def test_bad_issues_are_refused_naming_the_field(
    membership: Membership, events: Events, east_kent: Partnership
) -> None:
    k, http = east_kent, events.http
    a = k.schools[0]
    coord = coordinator(events, k.id)
    untitled = {"partnership_id": k.id, "title": "  ", "kind": "magazine"}
    refused(await http.post("/publications", json=untitled, headers=coord), "body.title", "blank")
    odd = {"partnership_id": k.id, "title": TITLE, "kind": "zine"}
    refused(await http.post("/publications", json=odd, headers=coord), "body.kind", "magazine")
    pid = await started(events, k)
    outsider = str(800000 + uuid.uuid4().int % 199999)
    school = {"urn": outsider, "name": "Outside School", "phase": "primary", "sector": "state"}
    ok(await membership.http.post("/schools", json=school, headers=membership.officer), 201)
    far = (TODAY + timedelta(days=5)).isoformat()
    cases: list[tuple[dict[str, Any], str, str]] = [
        (
            first_issue(k, contributions=[{"urn": a, "pupils": 0}]),
            "body.contributions.0.pupils",
            "1",
        ),
        (
            first_issue(k, contributions=[{"urn": a, "pupils": 5001}]),
            "body.contributions.0.pupils",
            "5000",
        ),
        (
            first_issue(k, contributions=[{"urn": a, "pupils": "7"}]),
            "body.contributions.0.pupils",
            "integer",
        ),
        (
            first_issue(k, contributions=[{"urn": a, "pupils": 2}, {"urn": a, "pupils": 3}]),
            "body",
            "counted twice",
        ),
        (first_issue(k, link="http://eastkent.example/1"), "body.link", "https"),
        (first_issue(k, published_on=far), "body.published_on", "future"),
        (first_issue(k, number=None, title=None), "body", "number or a title"),
        (
            first_issue(k, contributions=[{"urn": a, "pupils": 2}, {"urn": outsider, "pupils": 3}]),
            "contributions.1.urn",
            "not an active member",
        ),
    ]
    for bad, where, words in cases:
        refused(
            await http.post(f"/publications/{pid}/issues", json=bad, headers=coord), where, words
        )

    made = ok(await http.post(f"/publications/{pid}/issues", json=first_issue(k), headers=coord))
    again = await http.post(f"/publications/{pid}/issues", json=first_issue(k), headers=coord)
    assert again.status_code == 409 and "issue number 1" in again.json()["detail"]
    issue = made["issues"][0]["id"]
    outside = f"/publications/{pid}/issues/{issue}/contributions/{outsider}"
    refused(
        await http.put(outside, json={"pupils": 3}, headers=coord), "urn", "not an active member"
    )
    too_many = f"/publications/{pid}/issues/{issue}/contributions/{a}"
    refused(await http.put(too_many, json={"pupils": 9000}, headers=coord), "body.pupils", "5000")


async def test_who_may_see_and_write_a_publication(
    membership: Membership, events: Events, east_kent: Partnership
) -> None:
    k, http = east_kent, events.http
    a, b, _ = k.schools
    pid = await started(events, k)
    other = await make_partnership(membership, schools=1)
    await wait_for_directory(events, other)
    foreign = coordinator(events, other.id)

    theirs = await http.get(f"/publications/{pid}", headers=foreign)
    unknown = await http.get("/publications/000000000000", headers=foreign)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["detail"].replace(pid, "?") == unknown.json()["detail"].replace(
        "000000000000", "?"
    )
    assert (
        await http.get(f"/partnerships/{k.id}/publications", headers=foreign)
    ).status_code == 404
    body = {"partnership_id": k.id, "title": TITLE, "kind": "newsletter"}
    assert (await http.post("/publications", json=body, headers=foreign)).status_code == 404
    issue = first_issue(k)
    assert (
        await http.post(f"/publications/{pid}/issues", json=issue, headers=foreign)
    ).status_code == 404
    outsider_lead = lead(events, other.schools[0])
    assert (await http.get(f"/publications/{pid}", headers=outsider_lead)).status_code == 404

    assert (await http.post("/publications", json=body, headers=lead(events, a))).status_code == 403
    refused_issue = await http.post(
        f"/publications/{pid}/issues", json=issue, headers=lead(events, a)
    )
    assert refused_issue.status_code == 403
    made = ok(
        await http.post(
            f"/publications/{pid}/issues", json=issue, headers=coordinator(events, k.id)
        )
    )
    issue_id = made["issues"][0]["id"]
    not_theirs = f"/publications/{pid}/issues/{issue_id}/contributions/{b}"
    assert (
        await http.put(not_theirs, json={"pupils": 2}, headers=lead(events, a))
    ).status_code == 403
    no_issue = f"/publications/{pid}/issues/nosuch/contributions/{a}"
    missing = await http.put(no_issue, json={"pupils": 2}, headers=lead(events, a))
    assert missing.status_code == 404 and "no issue nosuch" in missing.json()["detail"]
