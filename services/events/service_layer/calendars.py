"""What goes into a calendar feed, and who may read it. A feed the caller may not read is not found.

- A partnership's feed: its published, cancelled and completed activities, those open to it and
  county-wide ones; readable by whoever sees the partnership's activities (its coordinators,
  staff of its member schools, county officers).
- A person's feed: the activities they hold a live booking for, cancelled activities included so
  the cancellation reaches their calendar; readable by the person, a lead of a school they work
  at (for that school's bookings), or a county officer.
"""

from dataclasses import dataclass
from datetime import date

from contracts.vocabulary import ActivityStatus, BookingStatus
from eventkit.auth import Principal, Role
from eventkit.errors import NotFound
from services.events.domain.activity import Activity
from services.events.service_layer import access
from services.events.service_layer.ports import UnitOfWork

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


async def partnership_feed(uow: UnitOfWork, principal: Principal, pid: str) -> Feed:
    async with uow:
        copy = await uow.directory.partnership(pid)
        sees = await access.coordinates(
            uow.directory, principal, pid
        ) or pid in await access.caller_partnerships(uow.directory, principal)
        if copy is None or not sees:
            raise NotFound(f"no partnership {pid}")
        found = await uow.activities.in_partnerships({pid}, drafts=False)
    return Feed(
        uid=f"partnership-{pid}",
        name=copy.name or pid,
        activities=[a for a in found if a.status in IN_FEEDS],
    )


async def person_feed(
    uow: UnitOfWork, principal: Principal, person_id: str, today: date | None = None
) -> Feed:
    today = today or date.today()
    async with uow:
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
        bookings = [
            b
            for b in await uow.bookings.of_person(person_id)
            if b.status in LIVE_BOOKINGS and (schools is None or b.urn in schools)
        ]
        activity_ids = sorted({b.activity_id for b in bookings})
        found = await uow.activities.with_ids(activity_ids)
    name = person.name if person and person.name and not person.erased else person_id
    return Feed(
        uid=f"person-{person_id}",
        name=f"Partnership activities: {name}",
        activities=[a for a in found if a.status in IN_FEEDS],
    )
