"""`partnerships demo load`, third part: the rest of every seed story, through the events
service's public API (the data is in `devstack.demo_stories_data`).

After the membership demo and East Kent's programme, acting as the people who would do it:
- Cambridgeshire's coordinator publishes the pupils' STEM day, languages day, arts evening and
  sports festival, and an early-career teachers' session; member schools' leads book pupil places;
- Lincolnshire's coordinator publishes the 2016 launch conference and invites its three guest
  speakers, who each confirm (they are mailed, and on the programme and in calendars);
- East Kent's coordinator records what its sponsored walk raised for Pilgrims Hospices;
- each Suffolk member school writes a case study of its work and submits it; Suffolk's county
  officer approves it and the coordinator publishes it: a library from more than 50 schools.

Running it again changes nothing: activities and case studies are found by title, speakers by
person and role, donations by charity and amount, bookings by their idempotency keys.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from devstack.demo import DemoError, DemoSummary, Json, Loader, school_heads
from devstack.demo_data import (
    CAMBRIDGESHIRE_PARTNERSHIP,
    EAST_KENT_PARTNERSHIP,
    LINCOLNSHIRE_BOARD,
    SUFFOLK_PARTNERSHIP,
    PartnershipSeed,
    PersonSeed,
)
from devstack.demo_programme import (
    DIRECTORY_WAIT_SECONDS,
    EventsApi,
    Headers,
    members_known,
    person_known,
)
from devstack.demo_programme_data import SUFFOLK_OFFICER
from devstack.demo_stories_data import (
    CAMBRIDGESHIRE_ACTIVITIES,
    CAMBRIDGESHIRE_PUPILS,
    GUEST_SPEAKERS,
    LAUNCH_CONFERENCE,
    SPEAKER,
    SPONSORED_WALK,
    SUFFOLK_LIBRARY,
    WALK_DONATIONS,
)
from eventkit.auth import Role
from eventkit.settings import ServiceSettings

STORIES = (
    CAMBRIDGESHIRE_PARTNERSHIP,
    EAST_KENT_PARTNERSHIP,
    SUFFOLK_PARTNERSHIP,
    LINCOLNSHIRE_BOARD,
)


@dataclass
class StoriesSummary:
    events_url: str
    cambridgeshire_activities: dict[str, str]
    """Title -> activity id."""
    pupil_places: int
    """Pupil places booked on Cambridgeshire's programme."""
    conference_id: str
    speakers: list[str]
    """The conference's confirmed speakers, as its programme names them."""
    walk_id: str
    raised_pence: int
    case_studies_published: int
    case_study_schools: int
    changes: Counter[str] = field(default_factory=Counter)


async def load_stories(
    membership_url: str, events_url: str, secret: str, summary: DemoSummary
) -> StoriesSummary:
    """Run the rest of the stories; see the module doc."""
    settings = ServiceSettings(auth_jwt_secret=secret)
    ids = {o.name: o.id for o in summary.partnerships}
    if missing := [p.name for p in STORIES if p.name not in ids]:
        raise DemoError(f"the membership demo did not load: {', '.join(missing)}")
    async with (
        httpx.AsyncClient(base_url=membership_url.rstrip("/"), timeout=30.0) as membership,
        httpx.AsyncClient(base_url=events_url.rstrip("/"), timeout=30.0) as events,
    ):
        people = Loader(membership, settings)
        await people.read_existing()
        return await _Stories(EventsApi(events), people, ids).run()


class _Stories:
    def __init__(self, api: EventsApi, people: Loader, ids: dict[str, str]) -> None:
        self.api = api
        self.people = people
        self.ids = ids
        self.changes: Counter[str] = Counter()
        self.now = datetime.now(UTC)

    def _person(self, seed: PersonSeed) -> Json:
        person = self.people.people.get(seed.email.lower())
        if person is None:
            raise DemoError(f"{seed.name} ({seed.email}) is not in the membership service")
        return person

    def _as(self, seed: PersonSeed, role: Role, **scope: Any) -> Headers:
        person_id = self._person(seed)["id"]
        return self.people.bearer(f"demo:{person_id}", role, person_id=person_id, **scope)

    def _coordinator(self, partnership: PartnershipSeed) -> Headers:
        pid = self.ids[partnership.name]
        return self._as(
            partnership.coordinators[0], Role.PARTNERSHIP_COORDINATOR, partnerships=[pid]
        )

    def _lead(self, partnership: PartnershipSeed, urn: str) -> Headers:
        heads = school_heads(partnership, {p.email: self._person(p) for p in partnership.people})
        return self.people.school_lead(urn, heads.get(urn))

    async def run(self) -> StoriesSummary:
        await self.api.call("GET", "/health", {})
        pending = {
            **members_known(
                self.people, CAMBRIDGESHIRE_PARTNERSHIP, self.ids[CAMBRIDGESHIRE_PARTNERSHIP.name]
            ),
            **members_known(self.people, LINCOLNSHIRE_BOARD, self.ids[LINCOLNSHIRE_BOARD.name]),
        }
        officer = self.people.officer
        for seed, _ in GUEST_SPEAKERS:
            pending[seed.name] = person_known(self._person(seed), officer)
        await self.api.wait_until_known(pending, time.monotonic() + DIRECTORY_WAIT_SECONDS)
        cambridgeshire, pupil_places = await self._cambridgeshire()
        conference, speakers = await self._conference()
        walk, raised = await self._walk()
        published, schools = await self._library()
        return StoriesSummary(
            events_url=str(self.api.http.base_url).rstrip("/"),
            cambridgeshire_activities={title: a["id"] for title, a in cambridgeshire.items()},
            pupil_places=pupil_places,
            conference_id=conference["id"],
            speakers=speakers,
            walk_id=walk["id"],
            raised_pence=raised,
            case_studies_published=published,
            case_study_schools=schools,
            changes=self.changes,
        )

    async def _cambridgeshire(self) -> tuple[dict[str, Json], int]:
        """The pupils' programme and teacher development; schools book pupil places."""
        seed = CAMBRIDGESHIRE_PARTNERSHIP
        coordinator = self._coordinator(seed)
        activities = await self.api.activities(
            CAMBRIDGESHIRE_ACTIVITIES, self.ids[seed.name], coordinator, self.now, self.changes
        )
        places = 0
        for activity_seed, school, pupils in CAMBRIDGESHIRE_PUPILS:
            activity = activities[activity_seed.title]
            body = {"urn": school.urn, "pupils": pupils}
            lead = self._lead(seed, school.urn)
            booked = await self.api.book(
                activity, lead, body, school.urn, coordinator, self.changes
            )
            places += booked["pupils"]
        return activities, places

    async def _conference(self) -> tuple[Json, list[str]]:
        """Lincolnshire's launch conference and its guest speakers, each invited and confirmed."""
        coordinator = self._coordinator(LINCOLNSHIRE_BOARD)
        found = await self.api.activities(
            (LAUNCH_CONFERENCE,),
            self.ids[LINCOLNSHIRE_BOARD.name],
            coordinator,
            self.now,
            self.changes,
        )
        conference = found[LAUNCH_CONFERENCE.title]
        path = f"/activities/{conference['id']}/contributors"
        for seed, talk in GUEST_SPEAKERS:
            person_id = self._person(seed)["id"]
            listed = await self.api.call("GET", path, coordinator)
            live = [c for c in listed if c["person_id"] == person_id and c["role"] == SPEAKER]
            invited = next((c for c in live if c["status"] in ("invited", "confirmed")), None)
            if invited is None:
                body = {"person_id": person_id, "role": SPEAKER, "contribution": talk}
                invited = await self.api.call("POST", path, coordinator, body, ok=201)
                self.changes["speakers invited"] += 1
            if invited["status"] == "invited":
                speaker = self._as(seed, Role.TEACHER)
                await self.api.call("POST", f"{path}/{invited['id']}/confirm", speaker)
                self.changes["speakers confirmed"] += 1
        named = await self.api.call("GET", path, self.people.officer)
        return conference, [f"{c['name']} ({c['of']}): {c['contribution']}" for c in named]

    async def _walk(self) -> tuple[Json, int]:
        """East Kent's sponsored walk, and what it raised."""
        coordinator = self._coordinator(EAST_KENT_PARTNERSHIP)
        found = await self.api.activities(
            (SPONSORED_WALK,),
            self.ids[EAST_KENT_PARTNERSHIP.name],
            coordinator,
            self.now,
            self.changes,
        )
        walk = found[SPONSORED_WALK.title]
        path = f"/activities/{walk['id']}/fundraising"
        recorded = [
            (e["charity"], e["amount_pence"])
            for e in (await self.api.call("GET", path, coordinator))["entries"]
        ]
        raised_on = min(s["starts_at"] for s in walk["details"]["sessions"])[:10]
        for donation in WALK_DONATIONS:
            if (donation["charity"], donation["amount_pence"]) not in recorded:
                body = {**donation, "raised_on": raised_on}
                await self.api.call("POST", path, coordinator, body, ok=201)
                self.changes["donations recorded"] += 1
        funds = await self.api.call("GET", path, coordinator)
        return walk, int(funds["total_pence"])

    async def _library(self) -> tuple[int, int]:
        """Each member school's case study: written, submitted, approved, published."""
        seed = SUFFOLK_PARTNERSHIP
        pid = self.ids[seed.name]
        coordinator = self._coordinator(seed)
        officer = self._as(SUFFOLK_OFFICER, Role.COUNTY_OFFICER)
        listed = await self.api.call(
            "GET", "/case-studies", coordinator, partnership_id=pid, limit=200
        )
        by_title = {c["content"]["title"]: c for c in listed}
        published, schools = 0, set()
        for school, body in SUFFOLK_LIBRARY:
            lead = self._lead(seed, school.urn)
            case_study = by_title.get(body["title"])
            if case_study is None:
                case_study = await self.api.call(
                    "POST", "/case-studies", lead, {**body, "partnership_id": pid}, ok=201
                )
                self.changes["case studies written"] += 1
            steps = {
                "draft": ("submit", lead, "case studies submitted"),
                "returned": ("submit", lead, "case studies submitted"),
                "submitted": ("approve", officer, "case studies approved"),
                "approved": ("publish", coordinator, "case studies published"),
            }
            while case_study["status"] in steps:
                action, auth, change = steps[case_study["status"]]
                path = f"/case-studies/{case_study['id']}/{action}"
                case_study = await self.api.call("POST", path, auth)
                self.changes[change] += 1
            if case_study["status"] == "published":
                published += 1
                schools.update(case_study["content"]["urns"])
        return published, len(schools)


def format_stories(summary: StoriesSummary) -> str:
    s = summary
    base = s.events_url
    lines = [
        f"{CAMBRIDGESHIRE_PARTNERSHIP.name}: programme (events service)",
        *(f"  {title}  id {aid}" for title, aid in s.cambridgeshire_activities.items()),
        f"  {s.pupil_places} pupil places booked by member schools",
        f"{LINCOLNSHIRE_BOARD.name}: {LAUNCH_CONFERENCE.title} (id {s.conference_id})",
        *(f"  speaker  {speaker}" for speaker in s.speakers),
        f"{EAST_KENT_PARTNERSHIP.name}: {SPONSORED_WALK.title}",
        f"  raised £{s.raised_pence / 100:,.2f}   {base}/activities/{s.walk_id}/fundraising",
        f"{SUFFOLK_PARTNERSHIP.name}: case-study library",
        f"  {s.case_studies_published} case studies published from {s.case_study_schools} "
        f"schools   {base}/case-studies?partnership_id=...&status=published",
    ]
    if s.changes:
        lines.append(
            "This run did: " + ", ".join(f"{n} {what}" for what, n in s.changes.items()) + "."
        )
    else:
        lines.append("Nothing to do: the stories were already there.")
    return "\n".join(lines)
