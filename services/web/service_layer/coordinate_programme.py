"""A coordinator's programme: the activities of their partnerships (drafts too), each one's
bookings and waiting list, and its register at the door."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contracts.vocabulary import ActivityStatus, BookingStatus
from services.web.adapters.platform_api import PlatformApi
from services.web.service_layer.coordinate_models import (
    EXPECTED,
    HOLDS_A_PLACE,
    Activity,
    AttendanceRecord,
    Booking,
    Partnership,
)
from services.web.service_layer.coordinate_partnerships import (
    my_partnerships,
    not_yours,
    people_names,
    school_names,
)
from services.web.service_layer.coordinate_words import local


@dataclass(frozen=True)
class Programme:
    partnerships: list[Partnership]
    drafts: list[Activity]
    coming_up: list[Activity]
    past: list[Activity]
    cancelled: list[Activity]

    @property
    def empty(self) -> bool:
        return not (self.drafts or self.coming_up or self.past or self.cancelled)


def _soonest(activities: list[Activity]) -> list[Activity]:
    return sorted(activities, key=lambda a: a.details.starts_at)


async def activities_of(api: PlatformApi, token: str, partnership_ids: set[str]) -> list[Activity]:
    """The activities the partnerships run (not those of others open to them)."""
    found = [Activity.model_validate(a) for a in await api.events.get("/activities", token)]
    return [a for a in found if a.details.partnership_id in partnership_ids]


async def programme(api: PlatformApi, token: str, now: datetime | None = None) -> Programme:
    now = now or datetime.now(UTC)
    partnerships = await my_partnerships(api, token)
    activities = await activities_of(api, token, {p.id for p in partnerships})
    by_status: dict[str, list[Activity]] = {}
    for a in activities:
        by_status.setdefault(a.status, []).append(a)
    published = by_status.get(ActivityStatus.PUBLISHED, [])
    completed = by_status.get(ActivityStatus.COMPLETED, [])
    return Programme(
        partnerships=partnerships,
        drafts=_soonest(by_status.get(ActivityStatus.DRAFT, [])),
        coming_up=_soonest([a for a in published if a.details.ends_at >= now]),
        past=_soonest([a for a in published if a.details.ends_at < now] + completed)[::-1],
        cancelled=_soonest(by_status.get(ActivityStatus.CANCELLED, [])),
    )


def happening_today(activities: list[Activity], now: datetime | None = None) -> list[Activity]:
    """Published activities with a session today (in England): their registers are wanted."""
    today = local(now or datetime.now(UTC)).date()
    return [
        a
        for a in activities
        if a.status == ActivityStatus.PUBLISHED
        and any(local(s.starts_at).date() == today for s in a.details.sessions)
    ]


async def my_activity(api: PlatformApi, token: str, activity_id: str) -> Activity:
    """One of the coordinator's partnerships' activities; not found for any other."""
    found, partnerships = await asyncio.gather(
        api.events.get(f"/activities/{activity_id}", token), my_partnerships(api, token)
    )
    activity = Activity.model_validate(found)
    if activity.details.partnership_id not in {p.id for p in partnerships}:
        raise not_yours(f"activity {activity_id}")
    return activity


async def create(api: PlatformApi, token: str, body: dict[str, Any]) -> Activity:
    return Activity.model_validate(await api.events.post("/activities", token, body))


async def change(api: PlatformApi, token: str, activity: Activity, body: dict[str, Any]) -> None:
    """New details; the sessions stay as they are (they change by rescheduling)."""
    sessions = [s.model_dump(mode="json") for s in activity.details.sessions]
    await api.events.put(f"/activities/{activity.id}", token, {**body, "sessions": sessions})


async def act(
    api: PlatformApi, token: str, activity_id: str, action: str, body: Any = None
) -> None:
    """publish, reschedule, cancel or complete."""
    await api.events.post(f"/activities/{activity_id}/{action}", token, body)


# --- bookings and the waiting list --------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    booking: Booking
    who: str
    """The member of staff's name, or the number of pupils."""
    school: str


@dataclass(frozen=True)
class Bookings:
    activity: Activity
    holding: list[Place]
    """Bookings that hold a place, in the order they were made."""
    waiting: list[Place]
    """The waiting list, first come first served."""
    ended: list[Place]
    """Cancelled, not approved, or an offer that expired."""

    @property
    def expected(self) -> list[Place]:
        """Those the register lists: booked, checked in, or marked as not come."""
        return [p for p in self.holding if p.booking.status in EXPECTED]

    @property
    def checked_in(self) -> list[Place]:
        return [p for p in self.expected if p.booking.status == BookingStatus.ATTENDED]

    @property
    def not_come(self) -> list[Place]:
        return [p for p in self.expected if p.booking.status == BookingStatus.NO_SHOW]

    @property
    def still_to_come(self) -> list[Place]:
        return [p for p in self.expected if p.booking.status == BookingStatus.REGISTERED]

    @property
    def pupils_expected(self) -> int:
        return sum(p.booking.pupils for p in self.expected)


async def bookings(api: PlatformApi, token: str, activity: Activity) -> Bookings:
    found = [
        Booking.model_validate(b)
        for b in await api.events.get(f"/activities/{activity.id}/bookings", token)
    ]
    schools, people = await asyncio.gather(
        school_names(api, token, (b.urn for b in found)), people_names(api, token)
    )

    def place(b: Booking) -> Place:
        if b.for_pupils:
            who = f"{b.pupils:,} pupil" + ("" if b.pupils == 1 else "s")
        else:
            who = people.get(b.person_id or "", "A member of staff")
        return Place(b, who, schools.get(b.urn, b.urn))

    in_order = sorted(found, key=lambda b: b.queued_ns)
    return Bookings(
        activity,
        holding=[place(b) for b in in_order if b.status in HOLDS_A_PLACE],
        waiting=[place(b) for b in in_order if b.status == BookingStatus.WAITLISTED],
        ended=[
            place(b)
            for b in in_order
            if b.status not in HOLDS_A_PLACE and b.status != BookingStatus.WAITLISTED
        ],
    )


# --- the register -----------------------------------------------------------------------------


async def check_in(api: PlatformApi, token: str, activity_id: str, code: str) -> AttendanceRecord:
    found = await api.events.post(f"/activities/{activity_id}/check-in", token, {"code": code})
    return AttendanceRecord.model_validate(found)


async def mark(api: PlatformApi, token: str, booking_id: str, attended: bool) -> AttendanceRecord:
    found = await api.events.post(
        f"/bookings/{booking_id}/attendance", token, {"attended": attended}
    )
    return AttendanceRecord.model_validate(found)


def greeting(record: AttendanceRecord) -> str:
    """What the register says once a booking is checked in (or marked as not come)."""
    pupils = not record.name and record.pupils > 0
    who = record.name or (f"{record.pupils:,} pupils" if pupils else "The member of staff")
    verb = "are" if pupils and record.pupils > 1 else "is"
    if record.status == BookingStatus.NO_SHOW:
        return f"{who} {verb} marked as not come."
    if record.already_recorded:
        return f"{who} {verb} already checked in."
    return f"{who} {verb} checked in."
