"""What needs a teacher now, on the home page: places offered to them, bookings waiting for their
school's approval, evaluations to fill in, and their next booked sessions."""

import asyncio
from datetime import UTC, datetime, timedelta

from services.web.adapters.platform_api import PlatformApi
from services.web.service_layer.needs_you import NeedsYou
from services.web.service_layer.teacher_bookings import my_bookings
from services.web.service_layer.teacher_evaluations import evaluated
from services.web.service_layer.teacher_words import moment
from services.web.viewer import Viewer

SOON = timedelta(days=14)
NEXT_SHOWN = 3


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


async def needs_you(api: PlatformApi, viewer: Viewer) -> list[NeedsYou]:
    now = datetime.now(UTC)
    mine = await my_bookings(api, viewer, now)
    found: list[NeedsYou] = []
    for m in mine:
        if m.booking.offered and m.upcoming(now):
            by = m.booking.offer_expires_at
            text = f"A place on {m.activity.title} is offered to you"
            found.append(
                NeedsYou(
                    text + (f": take it by {moment(by)}" if by else ""), f"/my/bookings/{m.id}"
                )
            )
    waiting = [m for m in mine if m.booking.status == "awaiting_approval" and m.upcoming(now)]
    if waiting:
        found.append(
            NeedsYou(
                _plural(len(waiting), "booking waits", "bookings wait")
                + " for your school's approval",
                "/my/bookings",
            )
        )
    attended = await asyncio.gather(
        *(evaluated(api, viewer, m, now) for m in mine if m.booking.attended)
    )
    to_do = sum(len(e.to_do_after_attending) for e in attended)
    if to_do:
        found.append(
            NeedsYou(_plural(to_do, "evaluation", "evaluations") + " to fill in", "/my/evaluations")
        )
    soon = [m for m in mine if m.booking.checks_in and now < m.activity.starts_at < now + SOON]
    for m in soon[:NEXT_SHOWN]:
        found.append(NeedsYou(f"{m.activity.title}: {m.activity.when}", f"/my/bookings/{m.id}"))
    return found
