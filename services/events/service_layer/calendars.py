"""What goes into a calendar feed, and who may read it. A feed the caller may not read is not found.

- A partnership's feed: its published, cancelled and completed activities, those open to it and
  county-wide ones; readable by whoever sees the partnership's activities (its coordinators,
  staff of its member schools, county officers).
- A person's feed: the activities they hold a live booking for, cancelled activities included so
  the cancellation reaches their calendar, and their legs of placement swaps as the visitor;
  readable by the person, a lead of a school they work at (for that school's bookings and
  placements), or a county officer.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Invalid, NotFound, Unauthorized
from services.events.domain.activity import Activity
from services.events.domain.calendar_token import CalendarToken
from services.events.domain.directory import PartnershipCopy, PersonCopy
from services.events.domain.placement_swap import Placement
from services.events.service_layer import access
from services.events.service_layer.contributors import Credit, credits
from services.events.service_layer.ports import Directory, UnitOfWork

IN_FEEDS = frozenset({ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED, ActivityStatus.COMPLETED})
LIVE_BOOKINGS = frozenset(
    {
        BookingStatus.REGISTERED,
        BookingStatus.OFFERED,
        BookingStatus.AWAITING_APPROVAL,
        BookingStatus.ATTENDED,
    }
)


@dataclass(frozen=True)
class Feed:
    uid: str
    name: str
    activities: list[Activity]
    billed: dict[str, list[str]] = field(default_factory=dict)
    """Activity id -> its confirmed speakers, facilitators and hosts, a line each."""
    placements: list[Placement] = field(default_factory=list)
    """A person's legs of placement swaps as the visitor."""


async def _placements(uow: UnitOfWork, person_id: str, schools: set[str] | None) -> list[Placement]:
    """The person's legs as visitor (those from `schools` only, unless None)."""
    found = []
    for swap in await uow.placement_swaps.of_visitor(person_id):
        for leg in swap.legs_visited_by(person_id):
            if schools is None or leg.visitor_urn in schools:
                host = await uow.directory.school(leg.host_urn)
                name = host.name if host and host.name else f"school {leg.host_urn}"
                found.append(Placement(swap.id, swap.status, swap.version, leg, name))
    return found


async def _billed(directory: Directory, activities: list[Activity]) -> dict[str, list[str]]:
    billed = {}
    for activity in activities:
        named = await credits(directory, activity.confirmed_contributors())
        billed[activity.id] = [_billing(c) for c in named]
    return billed


def _billing(credit: Credit) -> str:
    line = f"{credit.contributor.role.value.capitalize()}: {credit.name}"
    if credit.of:
        line += f", {credit.of}"
    if credit.contributor.contribution:
        line += f" ({credit.contributor.contribution})"
    return line


async def _readable_partnership(uow: UnitOfWork, principal: Principal, pid: str) -> PartnershipCopy:
    """The partnership whose feed the caller may read (404 otherwise)."""
    copy = await uow.directory.partnership(pid)
    sees = await access.coordinates(
        uow.directory, principal, pid
    ) or pid in await access.caller_partnerships(uow.directory, principal)
    if copy is None or not sees:
        raise NotFound(f"no partnership {pid}")
    return copy


async def _readable_person(
    uow: UnitOfWork, principal: Principal, person_id: str, today: date
) -> tuple[PersonCopy | None, set[str] | None]:
    """The person whose feed the caller may read, and the schools whose bookings they may see
    (None: all of them); 404 otherwise."""
    person = await uow.directory.person(person_id)
    if principal.county_wide or principal.person_id == person_id:
        schools: set[str] | None = None  # every booking of theirs
    elif principal.role == Role.SCHOOL_LEAD and person is not None:
        schools = {r.urn for r in person.roles if r.urn is not None and r.current(today)} & set(
            principal.schools
        )
    else:
        schools = set()
    if schools == set() or (person is None and principal.person_id != person_id):
        raise NotFound(f"no person {person_id}")
    return person, schools


async def partnership_feed(uow: UnitOfWork, principal: Principal, pid: str) -> Feed:
    async with uow:
        copy = await _readable_partnership(uow, principal, pid)
        found = await uow.activities.in_partnerships({pid}, drafts=False)
        shown = [a for a in found if a.status in IN_FEEDS]
        billed = await _billed(uow.directory, shown)
    return Feed(uid=f"partnership-{pid}", name=copy.name or pid, activities=shown, billed=billed)


async def person_feed(
    uow: UnitOfWork, principal: Principal, person_id: str, today: date | None = None
) -> Feed:
    today = today or date.today()
    async with uow:
        person, schools = await _readable_person(uow, principal, person_id, today)
        bookings = [
            b
            for b in await uow.bookings.of_person(person_id)
            if b.status in LIVE_BOOKINGS and (schools is None or b.urn in schools)
        ]
        activity_ids = {b.activity_id for b in bookings}
        if schools is None:  # what they speak at, facilitate or host, too
            activity_ids |= {a.id for a in await uow.activities.contributed_to_by(person_id)}
        found = await uow.activities.with_ids(sorted(activity_ids))
        shown = [a for a in found if a.status in IN_FEEDS]
        billed = await _billed(uow.directory, shown)
        placements = await _placements(uow, person_id, schools)
    name = person.name if person and person.name and not person.erased else person_id
    return Feed(
        uid=f"person-{person_id}",
        name=f"Partnership activities: {name}",
        activities=shown,
        billed=billed,
        placements=placements,
    )


# -- calendar tokens: links for calendar apps, one feed each, revocable by their holder ---------

FEED_PATH = re.compile(r"^/(partnerships|people)/([A-Za-z0-9_-]{1,64})/calendar\.ics$")


async def issue_calendar_token(
    uow: UnitOfWork, principal: Principal, feed: str, now: datetime | None = None
) -> CalendarToken:
    """A token for one feed the caller may read now (404 for one they may not)."""
    found = FEED_PATH.match(feed)
    if found is None:
        raise Invalid(
            "feed: give the path of a calendar feed, e.g. /partnerships/{id}/calendar.ics"
        )
    kind, key = found.groups()
    now = now or datetime.now(UTC)
    token = CalendarToken(id=uuid.uuid4().hex, holder=principal.actor, feed=feed, created_at=now)
    async with uow:
        if kind == "partnerships":
            await _readable_partnership(uow, principal, key)
        else:
            await _readable_person(uow, principal, key, now.date())
        await uow.calendar_tokens.add(token)
        await uow.commit()
    return token


async def calendar_tokens_of(uow: UnitOfWork, principal: Principal) -> list[CalendarToken]:
    async with uow:
        return await uow.calendar_tokens.of_holder(principal.actor)


async def revoke_calendar_token(
    uow: UnitOfWork, principal: Principal, token_id: str, now: datetime | None = None
) -> CalendarToken:
    """Only its holder revokes it; to anyone else it does not exist. Revoking twice is fine."""
    async with uow:
        token = await uow.calendar_tokens.get(token_id)
        if token is None or token.holder != principal.actor:
            raise NotFound(f"no calendar token {token_id}")
        token.revoke(now or datetime.now(UTC))
        await uow.calendar_tokens.save(token)
        await uow.commit()
    return token


async def require_active_calendar_token(uow: UnitOfWork, token_id: str) -> None:
    async with uow:
        token = await uow.calendar_tokens.get(token_id)
    if token is None or not token.active:
        raise Unauthorized("this calendar link was revoked: make a new one")
