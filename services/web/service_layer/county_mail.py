"""Addresses on hold: people whose address refused mail for good (the mail server said it does
not exist, say), so that no more is sent to it until a county officer releases it, once the
address is put right or the server answers again."""

import asyncio
from dataclasses import dataclass
from datetime import datetime

from services.web.adapters.platform_api import PlatformApi
from services.web.models import Answer
from services.web.service_layer.county_directory import person


class Hold(Answer):
    since: datetime
    reason: str


class HeldAddress(Answer):
    person_id: str
    hold: Hold


@dataclass(frozen=True)
class Held:
    person_id: str
    name: str | None
    """None: the person is no longer on the platform."""
    email: str | None
    since: datetime
    reason: str


async def held_addresses(api: PlatformApi, token: str) -> list[HeldAddress]:
    found = await api.notifications.get("/held-addresses", token)
    return [HeldAddress.model_validate(h) for h in found]


async def held_people(api: PlatformApi, token: str) -> list[Held]:
    """The longest held first."""
    found = sorted(await held_addresses(api, token), key=lambda h: h.hold.since)
    people = await asyncio.gather(*(person(api, token, h.person_id) for h in found))
    return [
        Held(
            h.person_id,
            p.details.name if p and p.details else None,
            p.details.email if p and p.details else None,
            h.hold.since,
            h.hold.reason,
        )
        for h, p in zip(found, people, strict=True)
    ]


async def release(api: PlatformApi, token: str, person_id: str) -> None:
    """Raises ApiProblem (404) when the address is not on hold (any more)."""
    await api.notifications.delete(f"/people/{person_id}/hold", token)
