"""A teacher's own settings: the mail they get (notifications service) and the links their
calendar app subscribes to their bookings with (events service)."""

from dataclasses import dataclass
from typing import Any

from services.web.adapters.platform_api import PlatformApi
from services.web.service_layer.teacher_models import CalendarLink
from services.web.viewer import Viewer

PREFERENCE_FIELDS = ("muted", "all_muted", "frequency", "quiet_hours", "time_zone", "interests")


async def preferences(api: PlatformApi, viewer: Viewer) -> dict[str, Any]:
    found: dict[str, Any] = await api.notifications.get(
        f"/people/{viewer.person_id}/preferences", viewer.token
    )
    return {k: v for k, v in found.items() if k in PREFERENCE_FIELDS}


async def keep_preferences(
    api: PlatformApi, viewer: Viewer, chosen: dict[str, Any]
) -> dict[str, Any]:
    kept: dict[str, Any] = await api.notifications.put(
        f"/people/{viewer.person_id}/preferences", viewer.token, chosen
    )
    return kept


def feed_of(viewer: Viewer) -> str:
    return f"/people/{viewer.person_id}/calendar.ics"


async def calendar_links(api: PlatformApi, viewer: Viewer) -> list[CalendarLink]:
    """The person's links to their own bookings' feed still in use, newest first."""
    found = [
        CalendarLink.model_validate(t)
        for t in await api.events.get("/calendar-tokens", viewer.token)
    ]
    return sorted(
        (t for t in found if t.feed == feed_of(viewer) and t.revoked_at is None),
        key=lambda t: t.created_at,
        reverse=True,
    )


@dataclass(frozen=True)
class NewLink:
    id: str
    url: str
    """For calendar apps that take a web address."""

    @property
    def webcal(self) -> str:
        """For those that open `webcal:` links themselves."""
        return "webcal://" + self.url.split("://", 1)[-1]


async def make_calendar_link(api: PlatformApi, viewer: Viewer) -> NewLink:
    made = await api.events.post("/calendar-tokens", viewer.token, {"feed": feed_of(viewer)})
    return NewLink(made["id"], made["url"])


async def revoke_calendar_link(api: PlatformApi, viewer: Viewer, link_id: str) -> None:
    await api.events.delete(f"/calendar-tokens/{link_id}", viewer.token)
