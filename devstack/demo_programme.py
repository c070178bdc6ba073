"""`partnerships demo load`, second part: East Kent's programme and Suffolk's school-to-school
support, through the events service's public API.

After the membership demo (`devstack.demo`), acting as the people who would do it:
- East Kent's coordinator creates and publishes a TeachMeet (two places, starting within the
  hour), a trainee placement swap and a debating day for pupils;
- teachers book the TeachMeet: the third is waitlisted; one of the first two cancels, so the
  waitlisted booking is offered the place and accepts it; at the door the coordinator checks a
  teacher in by her booking's code; she evaluates the day and gets her certificate of attendance;
- trainees book the placement swap; school leads book pupil places (counts) on the debating day;
- Wantsum Primary School's staff bookings wait for its CPD lead: a teacher books tomorrow's maths
  cluster meeting, the CPD lead is asked by mail and approves it, and the reminder a day before
  falls due a minute or two after the loader runs;
- the coordinator writes a case study of the debating and submits it; Kent's county officer,
  mailed about it, approves it; the coordinator publishes it (readable county-wide);
- in Suffolk, Springfield Junior School asks for maths support; Kesgrave High School, a teaching
  school, is among the suggestions and is matched; both heads agree the terms.

The events service learns of schools and people from membership's events, a moment later: the
loader first waits (DIRECTORY_WAIT_SECONDS at most) until it has heard of them.

Running it again changes nothing: activities and case studies are found by title, the support
request by school and subject, and bookings by their idempotency keys (derived from the activity
and the person or school), and each step is taken only if the state it starts from is there.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from devstack.demo import (
    TOKEN_HINT,
    DemoError,
    DemoSummary,
    Json,
    Loader,
    response_detail,
    school_heads,
)
from devstack.demo_data import (
    EAST_KENT_PARTNERSHIP,
    KESGRAVE,
    SPRINGFIELD_JUNIOR,
    SUFFOLK_PARTNERSHIP,
    Entry,
    PartnershipSeed,
    PersonSeed,
)
from devstack.demo_programme_data import (
    CLUSTER_MEETING,
    CLUSTER_MEETING_APPROVER,
    CLUSTER_MEETING_BOOKS,
    COUNTY_OFFICERS,
    DEBATING_CASE_STUDY,
    DEBATING_DAY,
    DEBATING_PUPILS,
    EAST_KENT_ACTIVITIES,
    EAST_KENT_STAFF,
    KENT_OFFICER,
    LOCAL,
    ON_THE_DAY_EVALUATION,
    PLACEMENT_SWAP,
    PLACEMENT_SWAP_BOOKINGS,
    SUFFOLK_OFFICER,
    SUPPORT_NEED,
    SUPPORT_OBJECTIVES,
    SUPPORT_VISITS,
    SUPPORT_WEEKS,
    TEACHMEET,
    TEACHMEET_BOOKINGS,
    TEACHMEET_CANCELS,
    TEACHMEET_CHECKS_IN,
    ActivitySeed,
    school_of,
)
from eventkit.auth import Role, SigningKey

DIRECTORY_WAIT_SECONDS = 30.0
"""How long to wait for the events service to hear of the demo's schools, people and expertise."""

Headers = dict[str, str]


@dataclass(frozen=True)
class ActivityOutcome:
    title: str
    id: str
    format: str
    status: str
    starts_at: str
    capacity: int
    places_taken: int
    bookings: dict[str, int]
    """Booking status -> how many bookings have it."""


@dataclass
class ProgrammeSummary:
    events_url: str
    east_kent_id: str
    activities: list[ActivityOutcome]
    teachmeet_id: str
    promoted_booking_id: str
    """The TeachMeet booking that was waitlisted, offered a freed place and accepted it."""
    attended_booking_id: str
    """The TeachMeet booking checked in by code, evaluated and given a certificate."""
    attendee: str
    attendee_id: str
    approved_booking_id: str
    """The cluster meeting booking that waited for the CPD approver and was approved."""
    reminder_due: datetime
    """When the cluster meeting's day-before reminder falls due."""
    case_study_id: str
    case_study_title: str
    case_study_status: str
    engagement_id: str
    engagement_status: str
    supporting_urn: str | None
    supporting_school: str | None
    suggestion_reasons: list[str]
    """Why the teaching school was suggested, as the matching explains it."""
    partnership_calendar: str
    """The partnership's iCalendar feed, with a coordinator's token in the query."""
    person_calendar: str
    """The attendee's own feed, with her token in the query."""
    calendar_events: int
    """VEVENTs in the partnership feed (one per session)."""
    changes: Counter[str] = field(default_factory=Counter)
    """What this run added or moved on; empty when everything was already there."""


async def load_programme(
    membership_url: str, events_url: str, key: SigningKey, summary: DemoSummary
) -> ProgrammeSummary:
    """Run East Kent's programme and Suffolk's support request; see the module doc."""
    ids = {o.name: o.id for o in summary.partnerships}
    missing = [p.name for p in (EAST_KENT_PARTNERSHIP, SUFFOLK_PARTNERSHIP) if p.name not in ids]
    if missing:
        raise DemoError(f"the membership demo did not load: {', '.join(missing)}")
    events_url = events_url.rstrip("/")
    async with (
        httpx.AsyncClient(base_url=membership_url.rstrip("/"), timeout=30.0) as membership,
        httpx.AsyncClient(base_url=events_url, timeout=30.0) as events,
    ):
        people = Loader(membership, key)
        await people.read_existing()
        for seed in (*EAST_KENT_STAFF, *COUNTY_OFFICERS):
            await people.add_person(seed, ids[EAST_KENT_PARTNERSHIP.name])
        programme = _Programme(EventsApi(events), people, ids)
        programme.changes.update(people.changes)
        return await programme.run()


class EventsApi:
    """The events service's HTTP API; DemoError when it refuses or does not answer."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def request(
        self, method: str, path: str, auth: Headers, body: Any = None, **params: Any
    ) -> httpx.Response:
        try:
            return await self.http.request(method, path, headers=auth, json=body, params=params)
        except httpx.TransportError as exc:
            raise DemoError(
                f"events service at {self.http.base_url} does not answer: {exc}"
            ) from exc

    async def call(
        self, method: str, path: str, auth: Headers, body: Any = None, ok: int = 200, **params: Any
    ) -> Any:
        response = await self.request(method, path, auth, body, **params)
        if response.status_code != ok:
            raise DemoError(
                f"events: {method} {path} answered {response.status_code}: {response_detail(response)}"
            )
        return response.json()

    async def wait_until_known(
        self, pending: dict[str, tuple[str, Headers]], deadline: float
    ) -> None:
        """Until each GET (what -> path, who asks) answers 200: the events service has heard
        from membership of what it is about (404 till then)."""
        while True:
            for what, (path, auth) in list(pending.items()):
                response = await self.request("GET", path, auth)
                if response.status_code == 200:
                    del pending[what]
                elif response.status_code != 404:
                    raise DemoError(
                        f"events: GET {path} answered {response.status_code}: {response_detail(response)}"
                    )
            if not pending:
                return
            if time.monotonic() >= deadline:
                raise DemoError(
                    f"the events service has not heard from membership of: {', '.join(pending)} "
                    f"after {DIRECTORY_WAIT_SECONDS:g} s (is its membership consumer running? "
                    "see its log)"
                )
            await asyncio.sleep(0.5)

    async def activities(
        self,
        seeds: tuple[ActivitySeed, ...],
        pid: str,
        coordinator: Headers,
        now: datetime,
        changes: Counter[str],
    ) -> dict[str, Json]:
        """Title -> the partnership's activity, created and published if it was not there."""
        found: dict[str, Json] = {}
        for activity in await self.call("GET", "/activities", coordinator):
            details = activity["details"]
            if details["partnership_id"] == pid and activity["status"] != "cancelled":
                found.setdefault(details["title"], activity)
        for seed in seeds:
            activity = found.get(seed.title)
            if activity is None:
                body = seed.body(pid, now)
                activity = await self.call("POST", "/activities", coordinator, body, ok=201)
                changes["activities"] += 1
            if activity["status"] == "draft":
                path = f"/activities/{activity['id']}/publish"
                activity = await self.call("POST", path, coordinator)
                changes["activities published"] += 1
            found[seed.title] = activity
        return found

    async def book(
        self,
        activity: Json,
        auth: Headers,
        body: Json,
        who: str,
        coordinator: Headers,
        changes: Counter[str],
    ) -> Json:
        """The booking made with this caller's key for `who`: found (the coordinator lists the
        activity's bookings), or made now."""
        key = f"demo-programme:{activity['id']}:{who}"
        path = f"/activities/{activity['id']}/bookings"
        for booking in await self.call("GET", path, coordinator):
            if booking["idempotency_key"] == key:
                return dict(booking)
        booked: Json = await self.call("POST", path, {**auth, "Idempotency-Key": key}, body, ok=201)
        changes["bookings"] += 1
        return booked


def members_known(
    people: Loader, partnership: PartnershipSeed, pid: str
) -> dict[str, tuple[str, Headers]]:
    """For `wait_until_known`: each school in the partnership (a lead of it sees its feed)."""
    pending = {}
    for membership in partnership.memberships:
        if membership.entry != Entry.INVITATION_OPEN:
            urn = membership.school.urn
            lead = people.bearer(f"demo:lead-of-{urn}", Role.SCHOOL_LEAD, schools=[urn])
            what = f"{membership.school.name} as a member of {partnership.name}"
            pending[what] = (f"/partnerships/{pid}/calendar.ics", lead)
    return pending


def person_known(person: Json, officer: Headers) -> tuple[str, Headers]:
    """For `wait_until_known`: a person (their calendar feed exists)."""
    return f"/people/{person['id']}/calendar.ics", officer


class _Programme:
    def __init__(self, api: EventsApi, people: Loader, ids: dict[str, str]) -> None:
        self.api = api
        self.people = people
        self.east_kent = ids[EAST_KENT_PARTNERSHIP.name]
        self.suffolk = ids[SUFFOLK_PARTNERSHIP.name]
        self.changes: Counter[str] = Counter()
        self.now = datetime.now(UTC)
        self.coordinator = self._coordinator()
        self.kent_officer = self._officer(KENT_OFFICER)
        self.suffolk_officer = self._officer(SUFFOLK_OFFICER)

    # -- who acts ----------------------------------------------------------------------------

    def _token(self, subject: str, role: Role, **scope: Any) -> Headers:
        return self.people.bearer(subject, role, **scope)

    def _coordinator(self) -> Headers:
        """East Kent's coordinator (as named in the token and in the directory)."""
        seed = EAST_KENT_PARTNERSHIP.coordinators[0]
        return self._token(
            f"demo:{self._person(seed)['id']}",
            Role.PARTNERSHIP_COORDINATOR,
            partnerships=[self.east_kent],
            person_id=self._person(seed)["id"],
        )

    def _officer(self, seed: PersonSeed) -> Headers:
        """A county officer, as the person membership knows."""
        person_id = self._person(seed)["id"]
        return self._token(f"demo:{person_id}", Role.COUNTY_OFFICER, person_id=person_id)

    def _person(self, seed: PersonSeed) -> Json:
        person = self.people.people.get(seed.email.lower())
        if person is None:
            raise DemoError(f"{seed.name} ({seed.email}) is not in the membership service")
        return person

    def _staff(self, seed: PersonSeed) -> Headers:
        """A member of staff, acting for the school they book for."""
        return self._token(
            f"demo:{self._person(seed)['id']}",
            Role.TEACHER,
            schools=[school_of(seed).urn],
            person_id=self._person(seed)["id"],
        )

    def _lead(self, partnership: PartnershipSeed, urn: str) -> Headers:
        """The school's head if the seed names one (as the membership demo acts for it)."""
        heads = school_heads(partnership, {p.email: self._person(p) for p in partnership.people})
        return self.people.school_lead(urn, heads.get(urn))

    # -- the whole programme -----------------------------------------------------------------

    async def run(self) -> ProgrammeSummary:
        await self.api.call("GET", "/health", {})
        await self._wait_for_directory(time.monotonic() + DIRECTORY_WAIT_SECONDS)
        activities = await self._activities()
        teachmeet = activities[TEACHMEET.title]
        promoted, attended = await self._teachmeet(teachmeet)
        for seed in PLACEMENT_SWAP_BOOKINGS:
            await self._book(
                activities[PLACEMENT_SWAP.title],
                self._staff(seed),
                {"urn": school_of(seed).urn},
                self._person(seed)["id"],
            )
        debating = activities[DEBATING_DAY.title]
        for school, pupils in DEBATING_PUPILS:
            lead = self._lead(EAST_KENT_PARTNERSHIP, school.urn)
            await self._book(debating, lead, {"urn": school.urn, "pupils": pupils}, school.urn)
        approved = await self._approved(activities[CLUSTER_MEETING.title])
        case_study = await self._case_study(debating)
        engagement, reasons = await self._support()
        outcomes = [await self._outcome(activities[seed.title]) for seed in EAST_KENT_ACTIVITIES]
        return await self._summary(
            outcomes, teachmeet, promoted, attended, approved, case_study, engagement, reasons
        )

    async def _wait_for_directory(self, deadline: float) -> None:
        """Until the events service knows each member school of the two partnerships and the
        East Kent staff."""
        pending = {
            **members_known(self.people, EAST_KENT_PARTNERSHIP, self.east_kent),
            **members_known(self.people, SUFFOLK_PARTNERSHIP, self.suffolk),
        }
        for seed in EAST_KENT_STAFF:
            pending[seed.name] = person_known(self._person(seed), self.kent_officer)
        await self.api.wait_until_known(pending, deadline)

    # -- activities and bookings -------------------------------------------------------------

    async def _activities(self) -> dict[str, Json]:
        """Title -> the East Kent activity, created and published if it was not there."""
        return await self.api.activities(
            EAST_KENT_ACTIVITIES, self.east_kent, self.coordinator, self.now, self.changes
        )

    async def _bookings(self, activity: Json) -> list[Json]:
        path = f"/activities/{activity['id']}/bookings"
        found: list[Json] = await self.api.call("GET", path, self.coordinator)
        return found

    async def _book(self, activity: Json, auth: Headers, body: Json, who: str) -> Json:
        return await self.api.book(activity, auth, body, who, self.coordinator, self.changes)

    async def _teachmeet(self, teachmeet: Json) -> tuple[Json, Json]:
        """Book, cancel, promote from the waitlist, check in, evaluate, certify. Returns the
        promoted booking and the attended one."""
        booked = {
            seed.email: await self._book(
                teachmeet,
                self._staff(seed),
                {"urn": school_of(seed).urn},
                self._person(seed)["id"],
            )
            for seed in TEACHMEET_BOOKINGS
        }
        cancelling = booked[TEACHMEET_CANCELS.email]
        if cancelling["status"] != "cancelled":
            path = f"/bookings/{cancelling['id']}/cancel"
            await self.api.call("POST", path, self._staff(TEACHMEET_CANCELS))
            self.changes["cancellations"] += 1

        waiting = TEACHMEET_BOOKINGS[-1]
        promoted = await self._offered(booked[waiting.email], self._staff(waiting))
        if promoted["status"] == "offered":
            path = f"/bookings/{promoted['id']}/accept"
            promoted = await self.api.call("POST", path, self._staff(waiting))
            self.changes["waitlist offers accepted"] += 1
        elif promoted["status"] != "registered":
            raise DemoError(
                f"{waiting.name}'s booking {promoted['id']} is {promoted['status']}: the place "
                f"{TEACHMEET_CANCELS.name} gave up was not offered to the waitlist"
            )

        attendee = TEACHMEET_CHECKS_IN
        auth = self._staff(attendee)
        attended = await self._reread(booked[attendee.email], auth)
        if attended["status"] == "registered":
            path = f"/activities/{teachmeet['id']}/check-in"
            code = {"code": attended["check_in_code"]}
            await self.api.call("POST", path, self.coordinator, code)
            attended = await self._reread(attended, auth)
            self.changes["check-ins"] += 1
        evaluations = await self.api.call("GET", f"/bookings/{attended['id']}/evaluations", auth)
        if not any(e["stage"] == "on_the_day" for e in evaluations):
            path = f"/bookings/{attended['id']}/evaluations/on_the_day"
            await self.api.call("POST", path, auth, ON_THE_DAY_EVALUATION, ok=201)
            self.changes["evaluations"] += 1
        path = f"/bookings/{attended['id']}/certificate.pdf"
        deadline = time.monotonic() + DIRECTORY_WAIT_SECONDS
        certificate = await self.api.request("GET", path, auth)
        while certificate.status_code == 409 and time.monotonic() < deadline:
            await asyncio.sleep(0.5)  # her name is on its way from the people topic
            certificate = await self.api.request("GET", path, auth)
        if certificate.status_code != 200 or not certificate.content.startswith(b"%PDF"):
            raise DemoError(
                f"events: the certificate of booking {attended['id']} was not released "
                f"({certificate.status_code}: {response_detail(certificate)})"
            )
        return promoted, attended

    async def _approved(self, meeting: Json) -> Json:
        """Wantsum's staff bookings wait for approval; a teacher books, the CPD lead approves."""
        school = school_of(CLUSTER_MEETING_BOOKS)
        lead = self._lead(EAST_KENT_PARTNERSHIP, school.urn)
        policy = {"staff_bookings_need_approval": True}
        path = f"/schools/{school.urn}/booking-policy"
        if (set_policy := await self.api.request("PUT", path, lead, policy)).status_code != 204:
            raise DemoError(
                f"events: PUT {path} answered {set_policy.status_code}: {response_detail(set_policy)}"
            )
        booking = await self._book(
            meeting,
            self._staff(CLUSTER_MEETING_BOOKS),
            {"urn": school.urn},
            self._person(CLUSTER_MEETING_BOOKS)["id"],
        )
        if booking["status"] != "awaiting_approval":
            return booking
        approver = self._staff(CLUSTER_MEETING_APPROVER)
        path = f"/bookings/{booking['id']}/approve"
        deadline = time.monotonic() + DIRECTORY_WAIT_SECONDS
        while (response := await self.api.request("POST", path, approver)).status_code == 403:
            if time.monotonic() >= deadline:  # events has not heard of her role yet
                break
            await asyncio.sleep(0.2)
        if response.status_code != 200:
            raise DemoError(
                f"events: POST {path} answered {response.status_code}: {response_detail(response)}"
            )
        self.changes["bookings approved"] += 1
        approved: Json = response.json()
        return approved

    async def _offered(self, booking: Json, auth: Headers, seconds: float = 15) -> Json:
        """The booking once it left the waitlist: the offer follows the cancellation's commit."""
        deadline = time.monotonic() + seconds
        while True:
            found = await self._reread(booking, auth)
            if found["status"] != "waitlisted" or time.monotonic() > deadline:
                return found
            await asyncio.sleep(0.1)

    async def _calendar_link(self, auth: Headers, feed: str) -> str:
        """A calendar link (a token for this feed only) made through the API."""
        made = await self.api.call("POST", "/calendar-tokens", auth, {"feed": feed}, ok=201)
        return str(made["url"])

    async def _reread(self, booking: Json, auth: Headers) -> Json:
        found: Json = await self.api.call("GET", f"/bookings/{booking['id']}", auth)
        return found

    # -- case study --------------------------------------------------------------------------

    async def _case_study(self, debating: Json) -> Json:
        """Written by the coordinator, submitted, approved by a county officer, published."""
        title = DEBATING_CASE_STUDY["title"]
        listed = await self.api.call(
            "GET", "/case-studies", self.coordinator, partnership_id=self.east_kent, limit=200
        )
        case_study: Json | None = next((c for c in listed if c["content"]["title"] == title), None)
        if case_study is None:
            body = {
                **DEBATING_CASE_STUDY,
                "partnership_id": self.east_kent,
                "activity_ids": [debating["id"]],
                "urns": [school.urn for school, _ in DEBATING_PUPILS],
            }
            case_study = await self.api.call(
                "POST", "/case-studies", self.coordinator, body, ok=201
            )
            self.changes["case studies"] += 1
        steps = {
            "draft": ("submit", self.coordinator, "case studies submitted"),
            "returned": ("submit", self.coordinator, "case studies submitted"),
            "submitted": ("approve", self.kent_officer, "case studies approved"),
            "approved": ("publish", self.coordinator, "case studies published"),
        }
        while case_study["status"] in steps:
            action, auth, change = steps[case_study["status"]]
            path = f"/case-studies/{case_study['id']}/{action}"
            case_study = await self.api.call("POST", path, auth)
            self.changes[change] += 1
        return case_study

    # -- Suffolk: school-to-school support ---------------------------------------------------

    async def _support(self) -> tuple[Json, list[str]]:
        """Springfield asks for maths support; Kesgrave is suggested, matched, and agrees."""
        requesting, teaching = SPRINGFIELD_JUNIOR.urn, KESGRAVE.urn
        requester = self._lead(SUFFOLK_PARTNERSHIP, requesting)
        supporter = self._lead(SUFFOLK_PARTNERSHIP, teaching)
        listed = await self.api.call(
            "GET", "/support-requests", self.suffolk_officer, partnership_id=self.suffolk
        )
        engagement = next(
            (
                e
                for e in listed
                if e["requesting_urn"] == requesting
                and set(SUPPORT_NEED["subjects"]) <= set(e["need"]["subjects"])
                and e["status"] not in ("withdrawn", "closed")
            ),
            None,
        )
        if engagement is None:
            body = {
                "partnership_id": self.suffolk,
                "requesting_urn": requesting,
                "need": SUPPORT_NEED,
            }
            engagement = await self.api.call("POST", "/support-requests", requester, body, ok=201)
            self.changes["support requests"] += 1
        eid = engagement["id"]
        reasons = await self._suggested(eid, requester, wait=engagement["status"] == "requested")
        if engagement["status"] == "requested":
            path = f"/support-requests/{eid}/match"
            engagement = await self.api.call("POST", path, self.suffolk_officer, {"urn": teaching})
            self.changes["support matched"] += 1
        if engagement["status"] == "matched":
            if engagement["supporting_urn"] != teaching:
                raise DemoError(
                    f"support request {eid} is matched to {engagement['supporting_urn']}, "
                    f"not {KESGRAVE.name}"
                )
            for urn, lead in ((requesting, requester), (teaching, supporter)):
                if urn in engagement["agreed_by"]:
                    continue
                terms = None if engagement["agreement"] else self._terms()
                path = f"/support-requests/{eid}/agree"
                engagement = await self.api.call("POST", path, lead, terms)
                self.changes["support agreements"] += 1
        return engagement, reasons

    def _terms(self) -> Json:
        starts = date.today()
        return {
            "objectives": list(SUPPORT_OBJECTIVES),
            "starts_on": starts.isoformat(),
            "ends_on": (starts + timedelta(weeks=SUPPORT_WEEKS)).isoformat(),
            "visits_planned": SUPPORT_VISITS,
        }

    async def _suggested(self, eid: str, auth: Headers, *, wait: bool) -> list[str]:
        """Kesgrave's reasons among the suggestions; waits for its expertise to arrive if asked."""
        deadline = time.monotonic() + (DIRECTORY_WAIT_SECONDS if wait else 0)
        path = f"/support-requests/{eid}/suggestions"
        while True:
            for suggestion in await self.api.call("GET", path, auth):
                if suggestion["urn"] == KESGRAVE.urn:
                    reasons: list[str] = suggestion["reasons"]
                    return reasons
            if not wait:
                return []
            if time.monotonic() >= deadline:
                raise DemoError(
                    f"{KESGRAVE.name} is not among the schools suggested for support request "
                    f"{eid}: has the events service heard of its expertise?"
                )
            await asyncio.sleep(0.5)

    # -- what it shows -----------------------------------------------------------------------

    async def _outcome(self, activity: Json) -> ActivityOutcome:
        current = await self.api.call("GET", f"/activities/{activity['id']}", self.coordinator)
        details = current["details"]
        statuses = Counter(b["status"] for b in await self._bookings(current))
        return ActivityOutcome(
            title=details["title"],
            id=current["id"],
            format=details["format"],
            status=current["status"],
            starts_at=min(s["starts_at"] for s in details["sessions"]),
            capacity=details["capacity"],
            places_taken=current["places_taken"],
            bookings=dict(sorted(statuses.items())),
        )

    async def _summary(
        self,
        outcomes: list[ActivityOutcome],
        teachmeet: Json,
        promoted: Json,
        attended: Json,
        approved: Json,
        case_study: Json,
        engagement: Json,
        reasons: list[str],
    ) -> ProgrammeSummary:
        base = str(self.api.http.base_url).rstrip("/")
        feed = f"/partnerships/{self.east_kent}/calendar.ics"
        body = await self.api.request("GET", feed, self.coordinator)
        attendee = TEACHMEET_CHECKS_IN
        person_id = self._person(attendee)["id"]
        partnership_link = await self._calendar_link(self.coordinator, feed)
        own_link = await self._calendar_link(
            self._staff(attendee), f"/people/{person_id}/calendar.ics"
        )
        supporting = engagement.get("supporting_urn")
        names = {s.urn: s.name for s in (KESGRAVE, SPRINGFIELD_JUNIOR)}
        return ProgrammeSummary(
            events_url=base,
            east_kent_id=self.east_kent,
            activities=outcomes,
            teachmeet_id=teachmeet["id"],
            promoted_booking_id=promoted["id"],
            attended_booking_id=attended["id"],
            attendee=attendee.name,
            attendee_id=person_id,
            approved_booking_id=approved["id"],
            reminder_due=datetime.fromisoformat(
                next(o for o in outcomes if o.title == CLUSTER_MEETING.title).starts_at
            )
            - timedelta(days=1),
            case_study_id=case_study["id"],
            case_study_title=case_study["content"]["title"],
            case_study_status=case_study["status"],
            engagement_id=engagement["id"],
            engagement_status=engagement["status"],
            supporting_urn=supporting,
            supporting_school=names.get(supporting or "", supporting),
            suggestion_reasons=reasons,
            partnership_calendar=partnership_link,
            person_calendar=own_link,
            calendar_events=body.text.count("BEGIN:VEVENT") if body.status_code == 200 else 0,
            changes=self.changes,
        )


def format_programme(summary: ProgrammeSummary) -> str:
    """What the command prints after the partnerships: the programme, and where to look."""
    s = summary
    width = max(len(a.title) for a in s.activities)
    lines = [f"{EAST_KENT_PARTNERSHIP.name}: programme (events service)"]
    for a in s.activities:
        booked = ", ".join(f"{n} {status}" for status, n in a.bookings.items()) or "no bookings"
        lines.append(
            f"  {a.title.ljust(width)}  id {a.id}  {a.format}, starts {a.starts_at}, "
            f"{a.places_taken}/{a.capacity} places taken; bookings: {booked}"
        )
    base = s.events_url
    lines += [
        f"  waitlist     booking {s.promoted_booking_id} was waitlisted, then offered the place "
        f"{TEACHMEET_CANCELS.name} gave up, and accepted it",
        f"  attendance   {s.attendee} checked in by code (booking {s.attended_booking_id}), "
        "evaluated the day, and has her certificate:",
        f"               {base}/bookings/{s.attended_booking_id}/certificate.pdf",
        f"  approval     {CLUSTER_MEETING_BOOKS.name}'s booking {s.approved_booking_id} of the "
        f"cluster meeting waited for {CLUSTER_MEETING_APPROVER.name}, who approved it; its "
        f"reminder is due at {s.reminder_due.astimezone(LOCAL):%H:%M:%S} ({LOCAL})",
        f'  case study   "{s.case_study_title}"  id {s.case_study_id}  {s.case_study_status}',
        f"{SUFFOLK_PARTNERSHIP.name}: school-to-school support",
        f"  request      id {s.engagement_id} from {SPRINGFIELD_JUNIOR.name} (maths): "
        f"matched to {s.supporting_school} ({s.supporting_urn}), {s.engagement_status}",
    ]
    if s.suggestion_reasons:
        lines.append(f"  suggested    because it {'; '.join(s.suggestion_reasons)}")
    if s.changes:
        added = ", ".join(f"{count} {what}" for what, count in s.changes.items())
        lines.append(f"This run did: {added}.")
    else:
        lines.append("Nothing to do: the programme was already there.")
    lines += [
        "",
        "Where to look:",
        f"  events API docs      {base}/docs",
        f"  published case study {base}/case-studies/{s.case_study_id}",
        f"  support request      {base}/support-requests/{s.engagement_id}",
        f'  try it               curl -H "Authorization: Bearer $({TOKEN_HINT})" {base}/activities',
        f"Calendar links ({s.calendar_events} sessions in the partnership's; each reads its one "
        "feed as its holder, who can list and revoke it at /calendar-tokens):",
        f"  partnership  {s.partnership_calendar}",
        f"  {s.attendee}  {s.person_calendar}",
    ]
    return "\n".join(lines)
