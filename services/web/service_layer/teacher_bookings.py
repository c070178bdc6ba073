"""A teacher's own bookings, each with its activity: list, read, cancel, hand to a colleague,
take up an offered place; and the schools they may book for."""

import asyncio
from dataclasses import dataclass
from datetime import date, datetime

from services.web.adapters.platform_api import ApiProblem, PlatformApi, ServiceClient
from services.web.models import School
from services.web.service_layer.partnership_pages import school
from services.web.service_layer.teacher_models import Activity, Booking
from services.web.service_layer.teacher_words import day, moment
from services.web.viewer import Viewer


class NotYours(Exception):
    """A booking that is not the person's own: to them it does not exist."""


@dataclass(frozen=True)
class MyBooking:
    booking: Booking
    activity: Activity

    @property
    def id(self) -> str:
        return self.booking.id

    @property
    def offer_ends(self) -> str | None:
        ends = self.booking.offer_expires_at
        return moment(ends) if ends else None

    @property
    def booked_on(self) -> str:
        return day(self.booking.created_at)

    def upcoming(self, now: datetime) -> bool:
        return not self.activity.over(now)

    def may_change(self, now: datetime) -> bool:
        """May still be cancelled by the person (before the activity's deadline)."""
        return self.booking.live and now < self.activity.changes_until

    def may_hand_on(self, now: datetime) -> bool:
        return self.booking.holds_place and now < self.activity.changes_until


async def activities(api: PlatformApi, token: str) -> list[Activity]:
    """Every activity the person may see (not drafts)."""
    return [Activity.model_validate(a) for a in await api.events.get("/activities", token)]


async def activity(api: PlatformApi, token: str, activity_id: str) -> Activity:
    """Raises ApiProblem (404) for one the person may not see."""
    return Activity.model_validate(await api.events.get(f"/activities/{activity_id}", token))


async def bookings(api: PlatformApi, token: str) -> list[Booking]:
    return [Booking.model_validate(b) for b in await api.events.get("/bookings/mine", token)]


async def my_bookings(api: PlatformApi, viewer: Viewer, now: datetime) -> list[MyBooking]:
    """Upcoming ones first, soonest first; then past ones, latest first."""
    found, seen = await asyncio.gather(bookings(api, viewer.token), activities(api, viewer.token))
    by_id = {a.id: a for a in seen}
    missing = {b.activity_id for b in found} - set(by_id)
    for extra in await asyncio.gather(*(_maybe(api, viewer.token, aid) for aid in missing)):
        if extra is not None:
            by_id[extra.id] = extra
    mine = [MyBooking(b, by_id[b.activity_id]) for b in found if b.activity_id in by_id]
    upcoming = sorted((m for m in mine if m.upcoming(now)), key=lambda m: m.activity.starts_at)
    past = sorted(
        (m for m in mine if not m.upcoming(now)),
        key=lambda m: m.activity.starts_at,
        reverse=True,
    )
    return upcoming + past


async def _maybe(api: PlatformApi, token: str, activity_id: str) -> Activity | None:
    try:
        return await activity(api, token, activity_id)
    except ApiProblem as problem:
        if problem.not_found:
            return None
        raise


async def my_booking(api: PlatformApi, viewer: Viewer, booking_id: str) -> MyBooking:
    """Raises ApiProblem (404) or NotYours for a booking that is not the person's own."""
    booking = Booking.model_validate(await api.events.get(f"/bookings/{booking_id}", viewer.token))
    if booking.person_id != viewer.person_id:
        raise NotYours(booking_id)
    return MyBooking(booking, await activity(api, viewer.token, booking.activity_id))


async def cancel(api: PlatformApi, viewer: Viewer, booking_id: str) -> Booking:
    return Booking.model_validate(
        await api.events.post(f"/bookings/{booking_id}/cancel", viewer.token)
    )


async def hand_on(api: PlatformApi, viewer: Viewer, booking_id: str, person_id: str) -> Booking:
    return Booking.model_validate(
        await api.events.post(
            f"/bookings/{booking_id}/substitute", viewer.token, {"person_id": person_id}
        )
    )


async def accept(api: PlatformApi, viewer: Viewer, booking_id: str) -> Booking:
    return Booking.model_validate(
        await api.events.post(f"/bookings/{booking_id}/accept", viewer.token)
    )


async def book(
    events: ServiceClient, viewer: Viewer, activity_id: str, urn: str, key: str
) -> Booking:
    """The same key again gives the same booking: a form sent twice books once."""
    return Booking.model_validate(
        await events.post(
            f"/activities/{activity_id}/bookings",
            viewer.token,
            {"urn": urn},
            headers={"Idempotency-Key": key},
        )
    )


async def my_schools(api: PlatformApi, viewer: Viewer, today: date) -> list[School]:
    """The schools the person works at now (they book for one of them), by name."""
    person = await api.membership.get(f"/people/{viewer.person_id}", viewer.token)
    urns = sorted(
        {
            r["urn"]
            for r in person.get("roles") or ()
            if r.get("urn")
            and date.fromisoformat(r["starts_on"]) <= today
            and (r.get("ends_on") is None or date.fromisoformat(r["ends_on"]) > today)
        }
    )
    found = await asyncio.gather(*(school(api, viewer.token, urn) for urn in urns))
    return sorted((s for s in found if s is not None), key=lambda s: s.name.casefold())
