"""What needs a school lead now, on their home page: bookings waiting for their approval, and
support whose terms wait for their school's agreement."""

import asyncio

from services.web.adapters.platform_api import PlatformApi
from services.web.service_layer import school_approvals, school_support
from services.web.service_layer.needs_you import NeedsYou
from services.web.service_layer.school_scope import LeadsNoSchool, lead_scope
from services.web.service_layer.school_words import plural
from services.web.viewer import Viewer


async def needs_you(api: PlatformApi, viewer: Viewer) -> list[NeedsYou]:
    waiting, engagements, ours = await asyncio.gather(
        school_approvals.waiting_count(api, viewer),
        school_support.engagements(api, viewer),
        _schools(api, viewer),
    )
    answers = sum(school_support.needs_answer(e, ours) for e in engagements)
    found = []
    if waiting:
        verb = "is" if waiting == 1 else "are"
        text = f"{plural(waiting, 'booking', 'bookings')} {verb} waiting for your approval"
        found.append(NeedsYou(text, "/school/approvals"))
    if answers:
        verb = "needs" if answers == 1 else "need"
        text = f"{plural(answers, 'support request', 'support requests')} {verb} your answer"
        found.append(NeedsYou(text, "/school/support"))
    return found


async def _schools(api: PlatformApi, viewer: Viewer) -> set[str]:
    try:
        return (await lead_scope(api, viewer)).urns
    except LeadsNoSchool:
        return set()
