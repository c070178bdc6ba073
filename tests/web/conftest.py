"""The web front end over real HTTP, in front of real membership and events services on the test
broker, with two partnerships, their schools and case studies made through the services' APIs.

One set for the whole module: every test only reads.
"""

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from eventkit.auth import Role
from services.web.bootstrap import build
from services.web.settings import WebSettings
from support.events import Events, Partnership, running_events, wait_for_directory
from support.membership import Membership, running_membership
from support.services import serve
from support.tokens import bearer


class ServiceToken:
    """The web's own service token, as sign-in will supply it."""

    async def public(self) -> str:
        header: str = bearer(Role.SERVICE)["Authorization"]
        return header.removeprefix("Bearer ")


@dataclass(frozen=True)
class School:
    urn: str
    name: str
    phase: str
    la_code: str
    la_name: str


def schools() -> dict[str, School]:
    base = 700000 + secrets.randbelow(90000) * 10
    return {
        "ely": School(str(base + 1), "Ely St Mary's Primary", "primary", "873", "Cambridgeshire"),
        "soham": School(
            str(base + 2), "Soham Village College", "secondary", "873", "Cambridgeshire"
        ),
        "march": School(str(base + 3), "March Invited Academy", "primary", "873", "Cambridgeshire"),
        "dover": School(str(base + 4), "Dover Grammar School", "secondary", "886", "Kent"),
    }


@dataclass(frozen=True)
class Platform:
    web: httpx.AsyncClient
    url: str
    settings: WebSettings
    schools: dict[str, School]
    fenland: str
    kent: str
    coordinator: dict[str, str]
    case_studies: dict[str, str]
    """maths, stem (names no school), singing: published; draft: never published."""


def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def _partnership(
    membership: Membership, details: dict[str, Any], members: list[School]
) -> str:
    http, officer = membership.http, membership.officer
    pid = str((_ok(await http.post("/partnerships", json=details, headers=officer), 201))["id"])
    for school in members:
        _ok(
            await http.post(
                f"/partnerships/{pid}/members", json={"urn": school.urn}, headers=officer
            )
        )
    return pid


async def _published(events: Events, body: dict[str, Any], publish: bool = True) -> str:
    http, officer = events.http, events.officer
    cid = str((_ok(await http.post("/case-studies", json=body, headers=officer), 201))["id"])
    if publish:
        for step in ("submit", "approve", "publish"):
            _ok(await http.post(f"/case-studies/{cid}/{step}", headers=officer))
    return cid


def _case_study(pid: str, title: str, categories: list[str], urns: list[str]) -> dict[str, Any]:
    return {
        "partnership_id": pid,
        "title": title,
        "categories": categories,
        "aims": f"Aims of {title}.",
        "background": "Two schools had strong results.\n\nTwo wanted to learn from them.",
        "resources": "Four TeachMeets and a shared planning bank.",
        "impact": f"Impact of {title}: pupils at greater depth rose from 12% to 21%.",
        "urns": urns,
    }


async def _seed(membership: Membership, events: Events) -> dict[str, Any]:
    found = schools()
    officer = membership.officer
    for s in found.values():
        school = {
            "urn": s.urn,
            "name": s.name,
            "phase": s.phase,
            "sector": "state",
            "la_code": s.la_code,
            "la_name": s.la_name,
        }
        _ok(await membership.http.post("/schools", json=school, headers=officer), 201)
    fenland = await _partnership(
        membership,
        {
            "name": "Fenland Learning Partnership",
            "kind": "formal_partnership",
            "aims": ["academic", "stem"],
            "area": ["873"],
        },
        [found["ely"], found["soham"]],
    )
    _ok(
        await membership.http.post(
            f"/partnerships/{fenland}/invitations",
            json={"urn": found["march"].urn},
            headers=officer,
        )
    )
    kent = await _partnership(
        membership,
        {"name": "East Kent Music Hub", "kind": "hub", "aims": ["music_and_arts"], "area": ["886"]},
        [found["dover"]],
    )
    coordinator = {
        "name": "Priya Shah",
        "email": "p.shah@fenland.example",
        "job_title": "Director of outreach",
    }
    person = _ok(
        await membership.http.post(
            "/people",
            json={
                **coordinator,
                "role": {
                    "role": "coordinator",
                    "partnership_id": fenland,
                    "starts_on": "2024-09-01",
                },
            },
            headers=officer,
        ),
        201,
    )
    _ok(
        await membership.http.post(
            f"/partnerships/{fenland}/coordinators",
            json={"person_id": person["id"]},
            headers=officer,
        )
    )
    fenland_schools = [found[n].urn for n in ("ely", "soham", "march")]
    await wait_for_directory(events, Partnership(fenland, fenland_schools))
    await wait_for_directory(events, Partnership(kent, [found["dover"].urn]))
    case_studies = {
        "maths": await _published(
            events,
            _case_study(
                fenland,
                "Maths mastery in Ely",
                ["academic", "teacher_development"],
                [found["ely"].urn],
            ),
        ),
        "stem": await _published(events, _case_study(fenland, "STEM ambassadors", ["stem"], [])),
        "singing": await _published(
            events,
            _case_study(
                kent, "Singing together in Dover", ["music_and_arts"], [found["dover"].urn]
            ),
        ),
        "draft": await _published(
            events, _case_study(fenland, "A science club still in draft", ["stem"], []), False
        ),
    }
    return {
        "schools": found,
        "fenland": fenland,
        "kent": kent,
        "coordinator": coordinator,
        "case_studies": case_studies,
    }


@pytest.fixture(scope="module")
async def platform(kafka_bootstrap: str, mongodb_uri: str) -> AsyncIterator[Platform]:
    name = f"t{secrets.token_hex(4)}"
    async with (
        running_membership(kafka_bootstrap, mongodb_uri, f"membership_{name}") as membership,
        running_events(
            kafka_bootstrap, mongodb_uri, f"events_{name}", consumer_group_suffix=name
        ) as events,
    ):
        seeded = await _seed(membership, events)
        settings = WebSettings(
            mongodb_uri=mongodb_uri,
            mongodb_database=f"web_{name}",
            membership_url=membership.url,
            events_url=events.url,
            county_name="Cambridgeshire and Kent",
            log_format="console",
            log_level="WARNING",
        )
        async with (
            serve(build(settings, ServiceToken())) as url,
            httpx.AsyncClient(base_url=url, timeout=30) as web,
        ):
            yield Platform(web=web, url=url, settings=settings, **seeded)
