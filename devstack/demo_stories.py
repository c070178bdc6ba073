"""`partnerships demo load`, third part: the rest of every seed story, through the events
service's public API (the data is in `devstack.demo_stories_data`).

After the membership demo and East Kent's programme, acting as the people who would do it:
- Cambridgeshire's coordinator publishes the pupils' STEM day, languages day, arts evening and
  sports festival, and an early-career teachers' session; member schools' leads book pupil places;
- Lincolnshire's coordinator publishes the 2016 launch conference and invites its three guest
  speakers, who each confirm (they are mailed, and on the programme and in calendars);
- East Kent's coordinator records what its sponsored walk raised for Pilgrims Hospices;
- each Suffolk member school writes a case study of its work and submits it; Suffolk's county
  officer approves it and the coordinator publishes it: a library from more than 50 schools;
- East Kent's coordinator proposes two paired placement swaps on its swap activity's days, agreed
  by both schools' leads or by the coordinator for both, and publishes the pupils' magazine;
- Holland Fen is peer reviewed by the heads of two other Lincolnshire schools: visited,
  reported, its actions agreed and the first done, its findings shared with the partnership;
- Lincolnshire's coordinator forms its board, appoints its chair, vice chair and members, and
  schedules its first meeting, whose minutes, decisions and actions the chair records and
  approves.

Running it again changes nothing: activities and case studies are found by title, speakers by
person and role, donations by charity and amount, bookings by their idempotency keys, swaps by
their visitors, the magazine by title and its issue by number, the review by the school reviewed,
the board by name, its members by person and office, its meeting by agenda; each step is taken
only if the state it starts from is there.
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
    HOLLAND_FEN,
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
from devstack.demo_programme_data import PLACEMENT_SWAP, SUFFOLK_OFFICER, school_of
from devstack.demo_stories_data import (
    BOARD,
    BOARD_ACTIONS,
    BOARD_MEETING,
    BOARD_MEMBERS,
    BOARD_MINUTES,
    BOARD_TERM,
    CAMBRIDGESHIRE_ACTIVITIES,
    CAMBRIDGESHIRE_PUPILS,
    FIRST_ACTION_DONE,
    FIRST_ACTION_FOLLOW_UP,
    FIRST_BOARD_ACTION_DONE,
    GUEST_SPEAKERS,
    LAUNCH_CONFERENCE,
    MAGAZINE,
    MAGAZINE_ISSUE,
    MAGAZINE_PUPILS,
    REVIEW_ACTIONS,
    REVIEW_FINDINGS,
    REVIEW_PLAN,
    REVIEWERS,
    SPEAKER,
    SPONSORED_WALK,
    SUFFOLK_LIBRARY,
    SWAPS,
    WALK_DONATIONS,
    SwapSeed,
)
from eventkit.auth import Role, SigningKey

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
    swaps: list[Json]
    magazine: Json
    review: Json
    board: Json
    meeting: Json
    changes: Counter[str] = field(default_factory=Counter)


async def load_stories(
    membership_url: str, events_url: str, key: SigningKey, summary: DemoSummary
) -> StoriesSummary:
    """Run the rest of the stories; see the module doc."""
    ids = {o.name: o.id for o in summary.partnerships}
    if missing := [p.name for p in STORIES if p.name not in ids]:
        raise DemoError(f"the membership demo did not load: {', '.join(missing)}")
    async with (
        httpx.AsyncClient(base_url=membership_url.rstrip("/"), timeout=30.0) as membership,
        httpx.AsyncClient(base_url=events_url.rstrip("/"), timeout=30.0) as events,
    ):
        people = Loader(membership, key)
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
        swapping = {
            p for swap in SWAPS for leg in swap.legs for p in (leg.visitor, leg.mentor) if p
        }
        for seed in (*(s for s, _ in GUEST_SPEAKERS), *swapping, *REVIEWERS):
            pending[seed.name] = person_known(self._person(seed), officer)
        await self.api.wait_until_known(pending, time.monotonic() + DIRECTORY_WAIT_SECONDS)
        cambridgeshire, pupil_places = await self._cambridgeshire()
        conference, speakers = await self._conference()
        walk, raised = await self._walk()
        published, schools = await self._library()
        swaps = await self._swaps()
        magazine = await self._magazine()
        review = await self._peer_review()
        board, meeting = await self._board()
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
            swaps=swaps,
            magazine=magazine,
            review=review,
            board=board,
            meeting=meeting,
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
        listed = await self.api.call("GET", path, coordinator)
        for seed, talk in GUEST_SPEAKERS:
            person_id = self._person(seed)["id"]
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

    # -- East Kent: swaps and the magazine; Lincolnshire: a peer review --------------------

    async def _swaps(self) -> list[Json]:
        """Each pair on East Kent's swap activity, which the programme made."""
        partnership = EAST_KENT_PARTNERSHIP
        pid, coordinator = self.ids[partnership.name], self._coordinator(partnership)
        found = await self.api.activities(
            (PLACEMENT_SWAP,), pid, coordinator, self.now, self.changes
        )
        return [await self._swap(seed, found[PLACEMENT_SWAP.title]) for seed in SWAPS]

    async def _swap(self, seed: SwapSeed, activity: Json) -> Json:
        """Two legs on the swap activity's two days, proposed by the coordinator, then agreed
        by each school's lead (or by the coordinator for both)."""
        partnership = EAST_KENT_PARTNERSHIP
        pid, coordinator = self.ids[partnership.name], self._coordinator(partnership)
        days = [s["starts_at"][:10] for s in activity["details"]["sessions"]]
        legs = [
            {
                "host_urn": leg.host.urn,
                "visitor_urn": seed.legs[1 - n].host.urn,
                "visitor_id": self._person(leg.visitor)["id"],
                "mentor_id": self._person(leg.mentor)["id"] if leg.mentor else None,
                "starts_on": days[n],
                "ends_on": days[n],
            }
            for n, leg in enumerate(seed.legs)
        ]
        listed = await self.api.call("GET", f"/partnerships/{pid}/placement-swaps", coordinator)
        visitors = {leg["visitor_id"] for leg in legs}
        swap: Json | None = next(
            (s for s in listed if {g["visitor_id"] for g in s["legs"]} == visitors), None
        )
        if swap is None:
            body = {"partnership_id": pid, "activity_id": activity["id"], "legs": legs}
            swap = await self.api.call("POST", "/placement-swaps", coordinator, body, ok=201)
            self.changes["placement swaps"] += 1
        agree = f"/placement-swaps/{swap['id']}/agree"
        agreeing = [self._lead(partnership, leg.host.urn) for leg in seed.legs]
        for auth in agreeing if seed.agreed_by_leads else [coordinator]:
            if swap["status"] == "proposed":
                swap = await self.api.call("POST", agree, auth)
                self.changes["swap agreements"] += 1
        return swap

    async def _magazine(self) -> Json:
        """The pupils' magazine and its first issue, counting each school's pupils."""
        partnership = EAST_KENT_PARTNERSHIP
        pid, coordinator = self.ids[partnership.name], self._coordinator(partnership)
        listed = await self.api.call("GET", f"/partnerships/{pid}/publications", coordinator)
        magazine: Json | None = next((p for p in listed if p["title"] == MAGAZINE["title"]), None)
        if magazine is None:
            body = {**MAGAZINE, "partnership_id": pid}
            magazine = await self.api.call("POST", "/publications", coordinator, body, ok=201)
            self.changes["publications"] += 1
        if not any(i["number"] == MAGAZINE_ISSUE["number"] for i in magazine["issues"]):
            contributions = [
                {
                    "urn": school.urn,
                    "pupils": pupils,
                    "phases": [school.phase],
                    "year_groups": list(years),
                }
                for school, pupils, years in MAGAZINE_PUPILS
            ]
            body = {
                **MAGAZINE_ISSUE,
                "published_on": self.now.date().isoformat(),
                "contributions": contributions,
            }
            path = f"/publications/{magazine['id']}/issues"
            magazine = await self.api.call("POST", path, coordinator, body)
            self.changes["magazine issues"] += 1
        return magazine

    async def _peer_review(self) -> Json:
        """Holland Fen reviewed by the heads of two other schools: planned, visited, reported;
        its actions agreed, the first followed up and done; its findings shared."""
        partnership = LINCOLNSHIRE_BOARD
        pid = self.ids[partnership.name]
        reviewed = self._as(REVIEWERS[-1], Role.SCHOOL_LEAD, schools=[HOLLAND_FEN.urn])
        first, second = (
            self._as(r, Role.SCHOOL_LEAD, schools=[school_of(r).urn]) for r in REVIEWERS[:2]
        )
        listed = await self.api.call("GET", f"/partnerships/{pid}/peer-reviews", reviewed)
        review: Json | None = next(
            (r for r in listed if r["reviewed_urn"] == HOLLAND_FEN.urn), None
        )
        if review is None:
            body = {
                **REVIEW_PLAN,
                "partnership_id": pid,
                "reviewed_urn": HOLLAND_FEN.urn,
                "reviewer_ids": [self._person(r)["id"] for r in REVIEWERS[:2]],
            }
            review = await self.api.call("POST", "/peer-reviews", reviewed, body, ok=201)
            self.changes["peer reviews"] += 1
        path = f"/peer-reviews/{review['id']}"
        if review["status"] == "planned":
            review = await self.api.call("POST", f"{path}/visit", first, {})
            self.changes["peer review visits"] += 1
        if review["status"] == "visited":
            review = await self.api.call("PUT", f"{path}/findings", second, REVIEW_FINDINGS)
            self.changes["peer review reports"] += 1
        owner = self._person(REVIEWERS[-1])["id"]
        agreed = len(review["actions"] or [])
        for n, action in enumerate(REVIEW_ACTIONS[agreed:], start=agreed):
            body = {**action, "owner_person_id": owner} if n == 0 else action
            review = await self.api.call("POST", f"{path}/actions", reviewed, body, ok=201)
            self.changes["peer review actions"] += 1
        action = review["actions"][0]
        if not action["follow_ups"]:
            follow = f"{path}/actions/{action['id']}/follow-up"
            review = await self.api.call("POST", follow, reviewed, FIRST_ACTION_FOLLOW_UP)
            self.changes["peer review follow-ups"] += 1
        if review["actions"][0]["done_on"] is None:
            done = f"{path}/actions/{action['id']}/done"
            review = await self.api.call("POST", done, reviewed, FIRST_ACTION_DONE)
            self.changes["peer review actions done"] += 1
        if review["sharing"] != "partnership":
            review = await self.api.call(
                "PUT", f"{path}/sharing", reviewed, {"sharing": "partnership"}
            )
            self.changes["peer review sharing"] += 1
        return review

    async def _board(self) -> tuple[Json, Json]:
        """Lincolnshire's board, its members with their offices, and its first meeting: the
        agenda, then minutes, decisions and actions recorded and approved by the chair, the
        chair's own action done."""
        membership, pid = self.people, self.ids[LINCOLNSHIRE_BOARD.name]
        coordinator = self._coordinator(LINCOLNSHIRE_BOARD)
        boards = await membership.call("GET", f"/partnerships/{pid}/boards", coordinator)
        board: Json | None = next(
            (b for b in boards if b["details"]["name"] == BOARD["name"]), None
        )
        if board is None:
            path = f"/partnerships/{pid}/boards"
            board = await membership.call("POST", path, coordinator, BOARD, ok=201)
            self.changes["boards"] += 1
        path = f"/boards/{board['id']}"
        for person, office, represents in BOARD_MEMBERS:
            person_id = self._person(person)["id"]
            if not any(
                m["person_id"] == person_id and m["office"] == office for m in board["members"]
            ):
                body = {"person_id": person_id, "office": office, **BOARD_TERM, **represents}
                await membership.call("POST", f"{path}/members", coordinator, body, ok=201)
                self.changes["board members"] += 1
        board = await membership.call("GET", path, coordinator)
        meetings = await membership.call("GET", f"{path}/meetings", coordinator)
        meeting: Json | None = next(
            (m for m in meetings if m["details"]["agenda"] == BOARD_MEETING["agenda"]), None
        )
        if meeting is None:
            meeting = await membership.call(
                "POST", f"{path}/meetings", coordinator, BOARD_MEETING, ok=201
            )
            self.changes["board meetings"] += 1
        chair_seed = BOARD_MEMBERS[0][0]
        chair = self._as(chair_seed, Role.SCHOOL_LEAD, schools=[school_of(chair_seed).urn])
        minuted = f"/meetings/{meeting['id']}"
        if meeting["minutes"] is None:
            actions = [
                {"text": text, "owner_person_id": self._person(owner)["id"], "due_on": due}
                for owner, text, due in BOARD_ACTIONS
            ]
            body = {**BOARD_MINUTES, "actions": actions}
            meeting = await membership.call("PUT", f"{minuted}/minutes", chair, body)
            self.changes["board minutes"] += 1
        if meeting["minutes"]["approved_at"] is None:
            meeting = await membership.call("POST", f"{minuted}/minutes/approve", chair)
            self.changes["board minutes approved"] += 1
        first = meeting["actions"][0]
        if first["done_on"] is None:
            done = f"{minuted}/actions/{first['id']}/done"
            await membership.call("POST", done, chair, {"done_on": FIRST_BOARD_ACTION_DONE})
            self.changes["board actions done"] += 1
            meeting = await membership.call("GET", minuted, chair)
        return board, meeting


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
        *(
            f"  placement swap {s['id']} ({s['status']}): "
            + "; ".join(
                f"{g['host_urn']} hosts a trainee of {g['visitor_urn']} on {g['starts_on']}"
                for g in s["legs"]
            )
            for s in s.swaps
        ),
        f'  magazine "{s.magazine["title"]}": issue {s.magazine["issues"][0]["number"]} made by '
        f"{s.magazine['issues'][0]['pupils']} pupils of {len(s.magazine['issues'][0]['contributions'])} schools",
        f"{LINCOLNSHIRE_BOARD.name}: peer review {s.review['id']} of {HOLLAND_FEN.name} "
        f"({s.review['status']}; {s.review['actions_done']} of {s.review['actions_agreed']} actions done; "
        f"shared with the {s.review['sharing']})",
        f"{LINCOLNSHIRE_BOARD.name}: board {s.board['id']}, "
        + ", ".join(
            f"{sum(m['office'] == office for m in s.board['members'])} {office.replace('_', ' ')}"
            for office in ("chair", "vice_chair", "member")
        ),
        f"  meeting {s.meeting['id']}: {len(s.meeting['minutes']['decisions'])} decisions, "
        f"{len(s.meeting['actions'])} actions "
        f"({sum(a['done_on'] is not None for a in s.meeting['actions'])} done, "
        f"{sum(a['overdue'] for a in s.meeting['actions'])} overdue); minutes approved",
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
