"""What needs a partnership coordinator now: today's registers, drafts to publish, and case
studies the county has returned or approved."""

import asyncio

from services.web.adapters.platform_api import PlatformApi
from services.web.service_layer.coordinate_case_studies import case_studies_of
from services.web.service_layer.coordinate_partnerships import my_partnerships
from services.web.service_layer.coordinate_programme import activities_of, happening_today
from services.web.service_layer.coordinate_words import clock
from services.web.service_layer.needs_you import NeedsYou
from services.web.viewer import Viewer


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many}"


async def needs_you(api: PlatformApi, viewer: Viewer) -> list[NeedsYou]:
    partnerships = await my_partnerships(api, viewer.token)
    ids = [p.id for p in partnerships]
    activities, case_studies = await asyncio.gather(
        activities_of(api, viewer.token, set(ids)), case_studies_of(api, viewer.token, ids)
    )
    found = [
        NeedsYou(
            f"{a.title} is today at {clock(a.details.starts_at)}: open its register",
            f"/coordinate/programme/{a.id}/register",
        )
        for a in sorted(happening_today(activities), key=lambda a: a.details.starts_at)
    ]
    if drafts := [a for a in activities if a.draft]:
        found.append(
            NeedsYou(
                f"{_count(len(drafts), 'activity is a draft', 'activities are drafts')}: "
                "publish them when they are ready",
                "/coordinate/programme#drafts",
            )
        )
    if returned := [c for c in case_studies if c.status == "returned"]:
        found.append(
            NeedsYou(
                f"{_count(len(returned), 'case study was', 'case studies were')} returned by "
                "the county with a note",
                "/coordinate/case-studies#returned",
            )
        )
    if approved := [c for c in case_studies if c.status == "approved"]:
        found.append(
            NeedsYou(
                f"{_count(len(approved), 'case study is', 'case studies are')} approved: "
                "publish them",
                "/coordinate/case-studies#approved",
            )
        )
    return found
