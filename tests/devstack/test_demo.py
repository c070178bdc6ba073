"""The demo loader against a real membership service over HTTP, run twice."""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Header, HTTPException

from devstack import demo, demo_cli
from eventkit.auth import Role, SigningKey
from services.membership.bootstrap import MembershipSettings, build
from support import issuer
from support.issuer import signing_key
from support.services import free_port, serve
from support.tokens import bearer

pytestmark = pytest.mark.integration

STORY_PARTNERSHIPS = {
    "Cambridgeshire Educational Partnership": ("formal_partnership", ["873"]),
    "East Kent Schools Together": ("cluster", ["886"]),
    "New Hall School and Messing Primary School": ("formal_partnership", ["881"]),
    "School to School Support Partnership": ("hub", ["935"]),
    "Lincolnshire Learning Partnership Board": ("board", ["925"]),
}


@pytest.fixture
async def service(
    kafka_bootstrap: str, mongodb_uri: str, unique_name: str
) -> AsyncIterator[tuple[str, MembershipSettings]]:
    """A real membership service on a fresh database."""
    settings = MembershipSettings(
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_uri=mongodb_uri,
        mongodb_database=f"membership_{unique_name}",
        log_format="console",
        log_level="WARNING",
        relay_poll_seconds=0.1,
    )
    async with serve(build(settings)) as url:
        yield url, settings


def lagging_reporting() -> tuple[FastAPI, list[str | None]]:
    """A stand-in for the reporting service whose read model shows a partnership on the second
    request for it, as a projection catching up would; it records the Authorization headers."""
    app = FastAPI()
    asked: dict[str, int] = {}
    authorizations: list[str | None] = []

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/partnerships/{pid}/composition")
    async def composition(pid: str, authorization: str | None = Header(None)) -> dict[str, str]:
        authorizations.append(authorization)
        asked[pid] = asked.get(pid, 0) + 1
        if asked[pid] < 2:
            raise HTTPException(404, "not projected yet")
        return {"partnership_id": pid}

    return app, authorizations


async def snapshot(url: str, settings: MembershipSettings) -> dict[str, Any]:
    """Everything the loader touches, as a county officer sees it through the API."""
    headers = bearer(Role.COUNTY_OFFICER)
    async with httpx.AsyncClient(base_url=url, headers=headers) as http:
        partnerships = (await http.get("/partnerships")).json()
        people = (await http.get("/people")).json()
        schools = (await http.get("/schools", params={"limit": 1000})).json()
        organisations = (await http.get("/organisations")).json()
    return {
        "partnerships": sorted(partnerships, key=lambda p: p["id"]),
        "people": sorted(people, key=lambda p: p["id"]),
        "schools": sorted(schools, key=lambda s: s["urn"]),
        "organisations": sorted(organisations, key=lambda o: o["id"]),
    }


def run_cli(argv: list[str]) -> int:
    """`partnerships demo ...` through the sub-commands `demo_cli.register` adds."""
    parser = argparse.ArgumentParser(prog="partnerships")
    demo_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


async def test_load_demo_creates_the_story_partnerships_once(
    service: tuple[str, MembershipSettings],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, settings = service
    reporting_app, authorizations = lagging_reporting()
    async with serve(reporting_app) as reporting_url:
        first = await demo.load_demo(url, signing_key(), reporting_url)

    state = await snapshot(url, settings)
    by_name = {p["details"]["name"]: p for p in state["partnerships"]}
    assert {
        name: (p["details"]["kind"], p["details"]["area"]) for name, p in by_name.items()
    } == STORY_PARTNERSHIPS
    schools = {s["details"]["name"]: s for s in state["schools"]}
    people = {p["details"]["name"]: p for p in state["people"]}

    def membership(partnership: str, school: str) -> dict[str, Any]:
        found: dict[str, Any] = by_name[partnership]["memberships"][schools[school]["urn"]]
        return found

    cambridgeshire = by_name["Cambridgeshire Educational Partnership"]
    for founder in ("King's Ely", "Ely College", "Littleport and East Cambridgeshire Academy"):
        assert schools[founder]["details"]["la_code"] == "873"
        assert membership(cambridgeshire["details"]["name"], founder)["role"] == "founder"
        assert membership(cambridgeshire["details"]["name"], founder)["status"] == "active"
    assert schools["King's Ely"]["details"]["sector"] == "independent"
    assert schools["King's Ely"]["details"]["phase"] == "all_through"
    assert schools["Ely College"]["details"]["sector"] == "state"
    statuses = [m["status"] for m in cambridgeshire["memberships"].values()]
    assert statuses.count("active") >= 6, "founders plus schools that accepted invitations"
    assert statuses.count("invited") == 1, "one invitation is left open"

    celia = people["Celia Etchegoyen"]
    assert celia["details"]["email"] == "celia.etchegoyen@kingsely.example"
    assert celia["id"] in cambridgeshire["coordinators"]
    assert {(r["role"], r["partnership_id"] or r["urn"]) for r in celia["roles"]} == {
        ("coordinator", cambridgeshire["id"]),
        ("senior_leader", schools["King's Ely"]["urn"]),
    }
    [officer_role] = people["Jonathan Lewis"]["roles"]  # the county's service director
    assert (officer_role["role"], officer_role["local_authorities"]) == ("county_officer", ["873"])
    council = {o["id"]: o["details"]["name"] for o in state["organisations"]}
    assert council[officer_role["organisation_id"]] == "Cambridgeshire County Council"
    assert statuses.count("active") + statuses.count("invited") == 15, "3 founders, a dozen joined"

    suffolk = "School to School Support Partnership"
    kesgrave = schools["Kesgrave High School"]
    assert membership(suffolk, "Kesgrave High School")["role"] == "teaching_school"
    assert membership(suffolk, "Springfield Junior School")["status"] == "active"
    in_suffolk = by_name[suffolk]["memberships"].values()
    assert sum(m["role"] == "teaching_school" for m in in_suffolk) == 6
    assert sum(m["status"] == "active" for m in in_suffolk) > 50
    assert {"initial teacher training", "maths", "science"} <= set(
        kesgrave["expertise"]["subjects"]
    )
    assert [(r["role"], r["urn"]) for r in people["Nigel Burgoyne"]["roles"]] == [
        ("head", kesgrave["urn"])
    ]
    assert [(r["role"], r["urn"]) for r in people["Michael Lynch"]["roles"]] == [
        ("head", schools["Springfield Junior School"]["urn"])
    ]

    essex = "New Hall School and Messing Primary School"
    assert schools["New Hall School"]["details"]["sector"] == "independent"
    assert schools["Messing Primary School"]["details"]["phase"] == "primary"
    assert membership(essex, "Messing Primary School")["status"] == "active"
    assert membership(essex, "New Hall School")["role"] == "lead"

    lincolnshire = by_name["Lincolnshire Learning Partnership Board"]
    outside = {
        person["details"]["name"]: council[r["organisation_id"]]
        for person in state["people"]
        for r in person["roles"]
        if r["partnership_id"] == lincolnshire["id"] and r["role"] == "contributor"
    }
    assert outside == {  # the launch conference's guest speakers, and the council's councillor
        "Mel Ainscow": "University of Manchester",
        "Frankie Sulke CBE": "London Borough of Lewisham",
        "Anton Florek": "Virtual Staff College",
        "Patricia Bradwell": "Lincolnshire County Council",
    }

    assert [o.name for o in first.partnerships] == list(STORY_PARTNERSHIPS)
    for outcome in first.partnerships:
        counted = [m["status"] for m in by_name[outcome.name]["memberships"].values()]
        assert outcome.id == by_name[outcome.name]["id"]
        assert outcome.member_schools == counted.count("active")
    assert first.changes["partnerships"] == 5
    assert first.changes["people"] == len(state["people"])
    assert first.changes["schools"] == len(state["schools"])
    assert first.reporting == {o.id: True for o in first.partnerships}
    assert authorizations and all(a and a.startswith("Bearer ") for a in authorizations)

    # Again, through the command, with the stack's defaults pointing nowhere useful but its
    # identity keys in the environment: nothing new, nothing duplicated.
    monkeypatch.setenv("STACK_HOME", str(tmp_path / "stack"))
    monkeypatch.setenv("IDENTITY_KEYS_DIR", os.environ[issuer.KEYS_DIR_VARIABLE])
    exit_code = await asyncio.to_thread(
        run_cli,
        [
            "demo",
            "load",
            "--membership-url",
            url,
            "--reporting-url",
            f"http://127.0.0.1:{free_port()}",
        ],
    )
    assert exit_code == 0
    out = capsys.readouterr().out
    assert "Nothing to add" in out
    assert f"{url}/docs" in out and f"{url}/asyncapi" in out
    assert "reporting            not answering" in out
    assert str(tmp_path / "stack" / "mail") in out
    assert "partnerships token --role county_officer" in out
    for outcome in first.partnerships:
        assert f"{outcome.name}" in out and f"id {outcome.id}" in out
    assert await snapshot(url, settings) == state


async def test_a_wrong_key_is_reported_clearly(service: tuple[str, MembershipSettings]) -> None:
    url, _ = service
    with pytest.raises(demo.DemoError, match=r"GET /partnerships answered 401.*identity service"):
        await demo.load_demo(url, SigningKey.generate())
