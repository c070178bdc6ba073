"""What needs a county officer now: case studies waiting for their review, and addresses on
hold (no mail reaches those people until one is released)."""

import asyncio

from services.web.adapters.platform_api import PlatformApi
from services.web.service_layer.county_case_studies import waiting_count
from services.web.service_layer.county_mail import held_addresses
from services.web.service_layer.needs_you import NeedsYou
from services.web.viewer import Viewer


async def needs_you(api: PlatformApi, viewer: Viewer) -> list[NeedsYou]:
    waiting, held = await asyncio.gather(
        waiting_count(api, viewer.token), held_addresses(api, viewer.token)
    )
    found = []
    if waiting:
        found.append(
            NeedsYou(
                f"{waiting} case {'study is' if waiting == 1 else 'studies are'} waiting for "
                "your review",
                "/county/case-studies",
            )
        )
    if held:
        n = len(held)
        found.append(
            NeedsYou(
                f"{n} email {'address is' if n == 1 else 'addresses are'} on hold: no mail "
                f"reaches {'that person' if n == 1 else 'those people'}",
                "/county/held-addresses",
            )
        )
    return found
