"""The programme a teacher books from: the published activities of their school's partnerships
still to come, filtered by term, kind of work, format and phase, with the places left and the
teacher's own booking on each; and one activity, whole."""

import asyncio
from dataclasses import dataclass
from datetime import date, datetime

from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.models import School
from services.web.service_layer import teacher_bookings as bookings
from services.web.service_layer.partnership_pages import school
from services.web.service_layer.teacher_models import Activity, Booking, Term
from services.web.viewer import Viewer


@dataclass(frozen=True)
class Filter:
    term: str | None = None
    category: str | None = None
    format: str | None = None
    phase: str | None = None

    def matches(self, activity: Activity) -> bool:
        d = activity.details
        phases = d.audience.phases
        return (
            (self.term is None or activity.term.key == self.term)
            and (self.category is None or d.category == self.category)
            and (self.format is None or d.format == self.format)
            and (self.phase is None or not phases or self.phase in phases)
        )


@dataclass(frozen=True)
class Entry:
    activity: Activity
    partnership: str | None
    booking: Booking | None
    """The person's live booking on it, if they have one."""


@dataclass(frozen=True)
class Programme:
    entries: list[Entry]
    terms: list[Term]
    """The terms the programme runs in (to filter by)."""


async def partnership_names(api: PlatformApi, token: str) -> dict[str, str]:
    found = await api.membership.get("/partnerships", token)
    return {p["id"]: p["details"]["name"] for p in found}


def _live(mine: list[Booking]) -> dict[str, Booking]:
    return {b.activity_id: b for b in mine if b.live or b.attended}


async def programme(api: PlatformApi, viewer: Viewer, chosen: Filter, now: datetime) -> Programme:
    seen, names, mine = await asyncio.gather(
        bookings.activities(api, viewer.token),
        partnership_names(api, viewer.token),
        bookings.bookings(api, viewer.token),
    )
    to_come = [a for a in seen if a.published and not a.over(now)]
    booked = _live(mine)
    entries = [
        Entry(a, names.get(a.details.partnership_id), booked.get(a.id))
        for a in sorted(to_come, key=lambda a: (a.starts_at, a.title))
        if chosen.matches(a)
    ]
    return Programme(entries, sorted({a.term for a in to_come}))


@dataclass(frozen=True)
class ActivityPage:
    activity: Activity
    partnership: str | None
    host: School | None
    booking: Booking | None
    schools: list[School]
    """The schools the person may book for."""


async def activity_page(
    api: PlatformApi, viewer: Viewer, activity_id: str, today: date
) -> ActivityPage:
    """Raises ApiProblem (404) for an activity the person may not see."""
    found, names, mine, schools = await asyncio.gather(
        bookings.activity(api, viewer.token, activity_id),
        partnership_names(api, viewer.token),
        bookings.bookings(api, viewer.token),
        bookings.my_schools(api, viewer, today),
    )
    host = await _school(api, viewer.token, found.details.host_urn)
    return ActivityPage(
        found,
        names.get(found.details.partnership_id),
        host,
        _live(mine).get(activity_id),
        schools,
    )


async def _school(api: PlatformApi, token: str, urn: str | None) -> School | None:
    if urn is None:
        return None
    try:
        return await school(api, token, urn)
    except ApiProblem:
        return None
