"""Pupil places: the activities a school's pupils can join, the places it booked (pupils are a
count, never names), booking more, giving them up."""

import asyncio
from dataclasses import dataclass
from datetime import datetime

from services.web.adapters.platform_api import ApiProblem, PlatformApi, ServiceClient
from services.web.service_layer.school_approvals import activities, school_bookings
from services.web.service_layer.school_models import Activity, Booking
from services.web.viewer import Viewer


@dataclass(frozen=True)
class PupilActivity:
    activity: Activity
    booked: int
    """The school's pupils holding places (or waiting for them) here."""

    @property
    def most(self) -> int:
        """Pupils one school can ever have here."""
        d = self.activity.details
        return min(d.capacity, d.per_school_cap or d.capacity)

    @property
    def room(self) -> int:
        """Pupils this school can still book now without waiting for places."""
        return max(0, min(self.activity.places_left, self.most - self.booked))


@dataclass(frozen=True)
class PupilBooking:
    booking: Booking
    activity: Activity | None

    def may_cancel(self, now: datetime) -> bool:
        return (
            (self.booking.counted or self.booking.status == "waitlisted")
            and self.activity is not None
            and self.activity.may_cancel(now)
        )


@dataclass(frozen=True)
class PupilPlaces:
    open: list[PupilActivity]
    booked: list[PupilBooking]


async def pupil_places(api: PlatformApi, viewer: Viewer, urn: str, now: datetime) -> PupilPlaces:
    bookings, by_id = await asyncio.gather(school_bookings(api, viewer), activities(api, viewer))
    ours = [b for b in bookings if b.person_id is None and b.urn == urn]
    held: dict[str, int] = {}
    for b in ours:
        if b.counted or b.status == "waitlisted":
            held[b.activity_id] = held.get(b.activity_id, 0) + b.pupils
    open_ = [
        PupilActivity(a, held.get(a.id, 0))
        for a in by_id.values()
        if a.details.audience.pupils and a.booking_open(now)
    ]
    booked = [PupilBooking(b, by_id.get(b.activity_id)) for b in ours]
    return PupilPlaces(
        sorted(open_, key=lambda p: p.activity.starts_at),
        sorted(
            booked,
            key=lambda p: (p.activity.starts_at.isoformat() if p.activity else "~", p.booking.id),
        ),
    )


async def pupil_activity(
    api: PlatformApi, viewer: Viewer, urn: str, activity_id: str, now: datetime
) -> PupilActivity:
    """Raises ApiProblem (404) for one that does not take this school's pupils now."""
    places = await pupil_places(api, viewer, urn, now)
    found = next((p for p in places.open if p.activity.id == activity_id), None)
    if found is None:
        raise ApiProblem(404, "Not Found", f"no activity {activity_id} open to pupils")
    return found


async def book(
    events: ServiceClient, viewer: Viewer, activity_id: str, urn: str, pupils: int, key: str
) -> Booking:
    """The same key again (a form sent twice) gives the same booking."""
    found = await events.post(
        f"/activities/{activity_id}/bookings",
        viewer.token,
        {"urn": urn, "pupils": pupils},
        {"Idempotency-Key": key},
    )
    return Booking.model_validate(found)


async def pupil_booking(
    api: PlatformApi, viewer: Viewer, booking_id: str, now: datetime
) -> PupilBooking:
    """One of the lead's schools' pupil bookings (ApiProblem 404 otherwise)."""
    found = Booking.model_validate(await api.events.get(f"/bookings/{booking_id}", viewer.token))
    if found.person_id is not None:
        raise ApiProblem(404, "Not Found", f"booking {booking_id} is not of pupils")
    activity = Activity.model_validate(
        await api.events.get(f"/activities/{found.activity_id}", viewer.token)
    )
    return PupilBooking(found, activity)


async def cancel(api: PlatformApi, viewer: Viewer, booking_id: str) -> Booking:
    return Booking.model_validate(
        await api.events.post(f"/bookings/{booking_id}/cancel", viewer.token)
    )
