"""Staff bookings waiting for a school lead's approval, with whom and what each is for; the
lead approves or declines them (the events service decides who may)."""

import asyncio
from dataclasses import dataclass

from contracts.vocabulary import BookingStatus
from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.service_layer.school_models import Activity, Booking, StaffPerson
from services.web.viewer import Viewer


@dataclass(frozen=True)
class Waiting:
    booking: Booking
    activity: Activity | None
    person: StaffPerson | None

    @property
    def who(self) -> str:
        return self.person.name if self.person else "A member of staff"

    @property
    def job_title(self) -> str | None:
        details = self.person.details if self.person else None
        return details.job_title if details else None

    @property
    def what(self) -> str:
        return self.activity.title if self.activity else "An activity"


async def school_bookings(api: PlatformApi, viewer: Viewer) -> list[Booking]:
    """The lead's own and their schools' bookings."""
    found = await api.events.get("/bookings/mine", viewer.token)
    return [Booking.model_validate(b) for b in found]


async def waiting_count(api: PlatformApi, viewer: Viewer) -> int:
    return sum(_waits(b) for b in await school_bookings(api, viewer))


async def activities(api: PlatformApi, viewer: Viewer) -> dict[str, Activity]:
    found = await api.events.get("/activities", viewer.token)
    return {a.id: a for a in map(Activity.model_validate, found)}


async def staff(api: PlatformApi, viewer: Viewer) -> dict[str, StaffPerson]:
    found = await api.membership.get("/people", viewer.token)
    return {p.id: p for p in map(StaffPerson.model_validate, found)}


async def waiting(api: PlatformApi, viewer: Viewer) -> list[Waiting]:
    """Soonest activity first."""
    bookings, by_id, people = await asyncio.gather(
        school_bookings(api, viewer), activities(api, viewer), staff(api, viewer)
    )
    found = [
        Waiting(b, by_id.get(b.activity_id), people.get(b.person_id or ""))
        for b in bookings
        if _waits(b)
    ]
    return sorted(
        found,
        key=lambda w: (w.activity.starts_at.isoformat() if w.activity else "~", w.booking.id),
    )


async def one_waiting(api: PlatformApi, viewer: Viewer, booking_id: str) -> Waiting:
    """Raises ApiProblem (404) for a booking the lead does not see or that waits no more."""
    for w in await waiting(api, viewer):
        if w.booking.id == booking_id:
            return w
    raise ApiProblem(404, "Not Found", f"no booking {booking_id} waiting")


async def decide(api: PlatformApi, viewer: Viewer, booking_id: str, *, approve: bool) -> Booking:
    verb = "approve" if approve else "reject"
    found = await api.events.post(f"/bookings/{booking_id}/{verb}", viewer.token)
    return Booking.model_validate(found)


def _waits(booking: Booking) -> bool:
    return booking.person_id is not None and booking.status == BookingStatus.AWAITING_APPROVAL
