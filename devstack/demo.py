"""The demo's first part: the five partnerships of the source stories, through the public API.

Everything goes through the membership service's HTTP API with bearer tokens minted from the
stack's secret, acting as the people who would do it: a county officer sets up schools,
partnerships and people; a partnership's coordinator invites schools; a school's lead accepts an
invitation and offers the school's expertise. The data is in `devstack.demo_data`.

Running it again changes nothing: partnerships are found by name, people by email, schools by URN
(409 means already registered), and only missing roles, coordinators and memberships are added.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from contracts.vocabulary import StaffRole
from devstack.demo_data import (
    PARTNERSHIPS,
    Entry,
    MembershipSeed,
    OrganisationSeed,
    PartnershipSeed,
    PersonSeed,
    RelationshipSeed,
    RoleSeed,
    SchoolSeed,
)
from eventkit.auth import Role, SigningKey, mint_token

REPORTING_WAIT_SECONDS = 15.0
TOKEN_HINT = "partnerships token --role county_officer"

Json = dict[str, Any]


class DemoError(RuntimeError):
    """The membership service refused or did not answer; the message says which call."""


@dataclass(frozen=True)
class PartnershipOutcome:
    name: str
    id: str
    kind: str
    member_schools: int
    """Schools whose membership is active."""
    invited_schools: int
    """Schools invited that have not answered yet."""


@dataclass
class DemoSummary:
    membership_url: str
    partnerships: list[PartnershipOutcome]
    changes: Counter[str] = field(default_factory=Counter)
    """What this run added: schools, partnerships, people, roles, coordinators, joined, invited,
    accepted, expertise. Empty when everything was already there."""
    reporting_url: str | None = None
    reporting: dict[str, bool] | None = None
    """Per partnership id, whether the reporting read model showed it; None: reporting absent."""


async def load_demo(
    membership_url: str, key: SigningKey, reporting_url: str | None = None
) -> DemoSummary:
    """Create (or find) the demo partnerships, their schools and people; see the module doc."""
    async with httpx.AsyncClient(base_url=membership_url.rstrip("/"), timeout=30.0) as http:
        loader = Loader(http, key)
        await loader.read_existing()
        outcomes = [await loader.load(seed) for seed in PARTNERSHIPS]
    summary = DemoSummary(membership_url.rstrip("/"), outcomes, loader.changes)
    if reporting_url:
        summary.reporting_url = reporting_url.rstrip("/")
        summary.reporting = await _reporting_views(
            summary.reporting_url, [o.id for o in outcomes], loader.officer
        )
    return summary


class Loader:
    def __init__(self, http: httpx.AsyncClient, key: SigningKey) -> None:
        self.http = http
        self.key = key
        self.changes: Counter[str] = Counter()
        self.officer = self.bearer("demo-loader", Role.COUNTY_OFFICER)
        self.partnerships: dict[str, Json] = {}
        self.people: dict[str, Json] = {}
        self.organisations: dict[str, str] = {}
        """Name -> id."""

    def bearer(self, subject: str, role: Role, **scope: Any) -> dict[str, str]:
        token = mint_token(self.key, subject=subject, role=role, **scope)
        return {"Authorization": f"Bearer {token}"}

    async def _request(
        self, method: str, path: str, auth: dict[str, str], body: Any = None
    ) -> httpx.Response:
        try:
            return await self.http.request(method, path, headers=auth, json=body)
        except httpx.TransportError as exc:
            raise DemoError(
                f"membership service at {self.http.base_url} does not answer: {exc}"
            ) from exc

    async def call(
        self, method: str, path: str, auth: dict[str, str], body: Any = None, ok: int = 200
    ) -> Any:
        """The JSON the service answers with; DemoError unless the status is `ok`."""
        response = await self._request(method, path, auth, body)
        if response.status_code != ok:
            hint = ""
            if response.status_code == 401:
                hint = " (is the key the one the identity service signs with?)"
            raise DemoError(
                f"{method} {path} answered {response.status_code}: {response_detail(response)}{hint}"
            )
        return response.json()

    async def read_existing(self) -> None:
        partnerships = await self.call("GET", "/partnerships", self.officer)
        for partnership in partnerships:
            self.partnerships.setdefault(partnership["details"]["name"], partnership)
        for person in await self.call("GET", "/people", self.officer):
            if person.get("details"):
                self.people[person["details"]["email"].lower()] = person
        for organisation in await self.call("GET", "/organisations", self.officer):
            self.organisations.setdefault(organisation["details"]["name"], organisation["id"])

    async def load(self, seed: PartnershipSeed) -> PartnershipOutcome:
        for membership in seed.memberships:
            await self._school(membership.school)
        partnership = await self._partnership(seed)
        pid = partnership["id"]
        people = {person.email: await self.add_person(person, pid) for person in seed.people}
        for coordinator in seed.coordinators:
            partnership = await self._coordinator(partnership, people[coordinator.email]["id"])
        heads = school_heads(seed, people)
        for membership in seed.memberships:
            if membership.school.expertise is not None:
                await self._expertise(membership.school, heads.get(membership.school.urn))
        inviter = self.officer
        if seed.coordinators:
            coordinator_id = people[seed.coordinators[0].email]["id"]
            inviter = self.bearer(
                f"demo:{coordinator_id}",
                Role.PARTNERSHIP_COORDINATOR,
                person_id=coordinator_id,
            )
        for membership in seed.memberships:
            partnership = await self._membership(
                partnership, membership, inviter, heads.get(membership.school.urn)
            )
        for relationship in seed.relationships:
            await self._relationship(relationship, pid)
        statuses = [m["status"] for m in partnership["memberships"].values()]
        return PartnershipOutcome(
            name=seed.name,
            id=pid,
            kind=str(seed.kind),
            member_schools=statuses.count("active"),
            invited_schools=statuses.count("invited"),
        )

    async def _relationship(self, seed: RelationshipSeed, pid: str) -> None:
        """Recorded once: found again by its kind and its two schools."""
        path = f"/schools/{seed.first.urn}/relationships"
        for found in await self.call("GET", path, self.officer):
            details = found["details"]
            if details["kind"] == seed.kind and details["second"]["school_urn"] == seed.second.urn:
                return
        body = {
            "kind": seed.kind,
            "first": {"school_urn": seed.first.urn},
            "second": {"school_urn": seed.second.urn},
            "starts_on": seed.starts_on.isoformat(),
            "partnership_id": pid,
            "support": list(seed.support),
        }
        await self.call("POST", "/relationships", self.officer, body, ok=201)
        self.changes["relationships"] += 1

    async def _school(self, seed: SchoolSeed) -> None:
        body = {
            "urn": seed.urn,
            "name": seed.name,
            "phase": seed.phase,
            "sector": seed.sector,
            "establishment_type": seed.establishment_type,
            "la_code": seed.la_code,
            "la_name": seed.la_name,
            "pupils": seed.pupils,
        }
        response = await self._request("POST", "/schools", self.officer, body)
        if response.status_code == 409:
            return  # registered before: leave it as it is
        if response.status_code != 201:
            raise DemoError(
                f"POST /schools ({seed.name}) answered {response.status_code}: {response_detail(response)}"
            )
        self.changes["schools"] += 1

    async def _partnership(self, seed: PartnershipSeed) -> Json:
        if seed.name in self.partnerships:
            return self.partnerships[seed.name]
        body = {
            "name": seed.name,
            "kind": seed.kind,
            "aims": list(seed.aims),
            "area": list(seed.area),
            "status": "active",
            "memorandum_of_understanding": seed.memorandum,
        }
        created: Json = await self.call("POST", "/partnerships", self.officer, body, ok=201)
        self.partnerships[seed.name] = created
        self.changes["partnerships"] += 1
        return created

    async def organisation(self, seed: OrganisationSeed) -> str:
        """Its id, registered if the register has no organisation of its name."""
        if seed.name not in self.organisations:
            body = {
                "name": seed.name,
                "kind": seed.kind,
                "website": seed.website,
                "la_code": seed.la_code,
            }
            made = await self.call("POST", "/organisations", self.officer, body, ok=201)
            self.organisations[seed.name] = made["id"]
            self.changes["organisations"] += 1
        return self.organisations[seed.name]

    async def _role_body(self, role: RoleSeed, pid: str) -> Json:
        organisation = await self.organisation(role.organisation) if role.organisation else None
        return {
            "role": role.role,
            "urn": role.at_school.urn if role.at_school else None,
            "partnership_id": None if role.at_school or role.over else pid,
            "local_authorities": list(role.over),
            "organisation_id": organisation,
            "starts_on": role.starts_on.isoformat(),
        }

    async def add_person(self, seed: PersonSeed, pid: str) -> Json:
        person = self.people.get(seed.email.lower())
        missing = [await self._role_body(role, pid) for role in seed.roles]
        if person is None:
            body = {
                "name": seed.name,
                "email": seed.email,
                "job_title": seed.job_title,
                "role": missing.pop(0),
            }
            person = await self.call("POST", "/people", self.officer, body, ok=201)
            self.people[seed.email.lower()] = person
            self.changes["people"] += 1
        for role in missing:
            if not _holds(person, role):
                path = f"/people/{person['id']}/roles"
                person = await self.call("POST", path, self.officer, role)
                self.people[seed.email.lower()] = person
                self.changes["roles"] += 1
        return person

    async def _coordinator(self, partnership: Json, person_id: str) -> Json:
        if person_id in partnership["coordinators"]:
            return partnership
        path = f"/partnerships/{partnership['id']}/coordinators"
        self.changes["coordinators"] += 1
        updated: Json = await self.call("POST", path, self.officer, {"person_id": person_id})
        return updated

    def school_lead(self, urn: str, head: Json | None) -> dict[str, str]:
        if head is None:
            return self.bearer(f"demo:lead-of-{urn}", Role.SCHOOL_LEAD, schools=[urn])
        return self.bearer(
            f"demo:{head['id']}",
            Role.SCHOOL_LEAD,
            schools=[urn],
            person_id=head["id"],
        )

    async def _expertise(self, seed: SchoolSeed, head: Json | None) -> None:
        assert seed.expertise is not None
        body = {
            "subjects": sorted(seed.expertise.subjects),
            "phases": list(seed.expertise.phases),
            "facilities": [],
            "categories": list(seed.expertise.categories),
            "summary": seed.expertise.summary,
        }
        school = await self.call("GET", f"/schools/{seed.urn}", self.officer)
        if school["expertise"] == body:
            return
        lead = self.school_lead(seed.urn, head)
        await self.call("PUT", f"/schools/{seed.urn}/expertise", lead, body)
        self.changes["expertise"] += 1

    async def _membership(
        self, partnership: Json, seed: MembershipSeed, inviter: dict[str, str], head: Json | None
    ) -> Json:
        base = f"/partnerships/{partnership['id']}"
        urn = seed.school.urn
        body = {"urn": urn, "role": seed.role, "on": seed.on.isoformat()}
        current = partnership["memberships"].get(urn)
        if current is None and seed.entry == Entry.JOINED:
            self.changes["joined"] += 1
            joined: Json = await self.call("POST", f"{base}/members", self.officer, body)
            return joined
        if current is None:
            partnership = await self.call("POST", f"{base}/invitations", inviter, body)
            current = partnership["memberships"][urn]
            self.changes["invited"] += 1
        if current["status"] == "invited" and seed.entry == Entry.INVITED:
            lead = self.school_lead(urn, head)
            path = f"{base}/members/{urn}/accept"
            partnership = await self.call("POST", path, lead, {"on": seed.on.isoformat()})
            self.changes["accepted"] += 1
        return partnership


def _holds(person: Json, wanted: Json) -> bool:
    """Whether the person already has this role there, not ended."""
    where = ("role", "urn", "partnership_id", "local_authorities", "organisation_id")
    return any(
        held["ends_on"] is None and all(held[key] == wanted[key] for key in where)
        for held in person["roles"]
    )


def school_heads(seed: PartnershipSeed, people: dict[str, Json]) -> dict[str, Json]:
    """URN -> the person who leads that school (its head, else a governor) among the seed's."""
    heads: dict[str, Json] = {}
    for person in seed.people:
        for role in person.roles:
            school = role.at_school
            if school is None or role.role not in (StaffRole.HEAD, StaffRole.GOVERNOR):
                continue
            if role.role == StaffRole.HEAD or school.urn not in heads:
                heads[school.urn] = people[person.email]
    return heads


def response_detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail", response.text)
    except ValueError:
        detail = response.text
    return str(detail)[:300]


async def _reporting_views(
    reporting_url: str, pids: list[str], auth: dict[str, str]
) -> dict[str, bool] | None:
    """Wait up to REPORTING_WAIT_SECONDS for reporting to show each partnership's composition.

    None when the reporting service does not answer at all.
    """
    async with httpx.AsyncClient(base_url=reporting_url, timeout=5.0) as http:
        try:
            (await http.get("/health")).raise_for_status()
        except httpx.HTTPError:
            return None
        shown = dict.fromkeys(pids, False)
        deadline = time.monotonic() + REPORTING_WAIT_SECONDS
        while True:
            for pid in [p for p, seen in shown.items() if not seen]:
                try:
                    response = await http.get(f"/partnerships/{pid}/composition", headers=auth)
                    shown[pid] = response.status_code == 200
                except httpx.HTTPError:
                    pass
            if all(shown.values()) or time.monotonic() >= deadline:
                return shown
            await asyncio.sleep(0.5)


def format_summary(summary: DemoSummary, mail: str) -> str:
    """What the command prints: the partnerships, what changed, and where to look."""
    width = max(len(o.name) for o in summary.partnerships)
    lines = ["Demo partnerships:"]
    for o in summary.partnerships:
        invited = f", {o.invited_schools} invited" if o.invited_schools else ""
        lines.append(
            f"  {o.name.ljust(width)}  id {o.id}  {o.member_schools} member schools{invited}"
        )
    if summary.changes:
        added = ", ".join(f"{count} {what}" for what, count in summary.changes.items())
        lines.append(f"This run added: {added}.")
    else:
        lines.append("Nothing to add: everything was already there.")
    url = summary.membership_url
    lines += [
        "",
        "Where to look:",
        f"  membership API docs  {url}/docs",
        f"  AsyncAPI (events)    {url}/asyncapi",
    ]
    if summary.reporting_url is None:
        lines.append("  reporting            (no reporting URL given)")
    elif summary.reporting is None:
        lines.append(f"  reporting            not answering at {summary.reporting_url}")
    else:
        for o in summary.partnerships:
            where = f"{summary.reporting_url}/partnerships/{o.id}/composition"
            note = "" if summary.reporting.get(o.id) else "  (not shown yet)"
            lines.append(f"  reporting            {where}{note}")
        county = f"{summary.reporting_url}/county"
        lines += [
            f"  participation        {county}/participation  (by term; also .csv)",
            f"  reach chart (SVG)    {county}/charts/reach.svg",
        ]
    first = summary.partnerships[0].id
    lines += [
        f"  mail                 {mail}",
        "",
        "Try it:",
        f'  curl -H "Authorization: Bearer $({TOKEN_HINT})" {url}/partnerships/{first}',
    ]
    return "\n".join(lines)
