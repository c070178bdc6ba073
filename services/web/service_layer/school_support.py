"""School-to-school support as a school lead sees it: what their school asked for and the
support it gives; asking for support, agreeing the terms, withdrawing a request."""

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import Field

from contracts.support import SupportStatus
from services.web.adapters.platform_api import PlatformApi
from services.web.models import Answer, Partnership, School
from services.web.service_layer import school_words as words
from services.web.service_layer.library import partnerships
from services.web.service_layer.partnership_pages import school
from services.web.service_layer.school_scope import LeadScope
from services.web.viewer import Viewer
from services.web.words import CATEGORIES, word

OPEN = frozenset(
    {
        SupportStatus.REQUESTED,
        SupportStatus.MATCHED,
        SupportStatus.AGREED,
        SupportStatus.ACTIVE,
        SupportStatus.REVIEWED,
    }
)


class Need(Answer):
    subjects: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    phase: str | None = None
    description: str | None = None


class Terms(Answer):
    objectives: list[str]
    starts_on: date
    ends_on: date
    visits_planned: int


class Visit(Answer):
    number: int
    on: date
    impact_note: str


class Review(Answer):
    on: date
    progress: int
    notes: str | None = None


class Closure(Answer):
    on: date
    outcome: str
    impact_summary: str


class Engagement(Answer):
    id: str
    partnership_id: str
    requesting_urn: str
    need: Need
    status: str
    supporting_urn: str | None = None
    agreement: Terms | None = None
    agreed_by: list[str] = Field(default_factory=list)
    visits: list[Visit] = Field(default_factory=list)
    review: Review | None = None
    closure: Closure | None = None
    withdrawal_reason: str | None = None
    requested_at: datetime

    @property
    def parties(self) -> set[str]:
        return {self.requesting_urn, *([self.supporting_urn] if self.supporting_urn else [])}

    @property
    def status_words(self) -> tuple[str, str]:
        return words.SUPPORT_STATUSES.get(self.status, (self.status, "grey"))

    @property
    def about(self) -> str:
        """What the support is in: its subjects and kinds of work."""
        named = [*self.need.subjects, *(word(CATEGORIES, c) for c in self.need.categories)]
        return ", ".join(named) or "Support"


@dataclass(frozen=True)
class SupportRow:
    engagement: Engagement
    ours: str
    """The lead's school in it."""
    partnership: Partnership | None
    requesting: School | None
    supporting: School | None

    @property
    def asked(self) -> bool:
        return self.engagement.requesting_urn == self.ours

    @property
    def needs_answer(self) -> bool:
        return needs_answer(self.engagement, {self.ours})

    @property
    def other_school(self) -> School | None:
        return self.supporting if self.asked else self.requesting

    @property
    def partnership_name(self) -> str:
        return self.partnership.name if self.partnership else "The partnership"

    @property
    def may_withdraw(self) -> bool:
        return self.asked and self.engagement.status in OPEN

    @property
    def agreed_by_us(self) -> bool:
        return self.ours in self.engagement.agreed_by


def needs_answer(engagement: Engagement, ours: set[str]) -> bool:
    """Matched, and one of the lead's schools has not agreed the terms on the table (or none
    are proposed yet)."""
    if engagement.status != SupportStatus.MATCHED:
        return False
    return bool((engagement.parties & ours) - set(engagement.agreed_by))


async def engagements(api: PlatformApi, viewer: Viewer) -> list[Engagement]:
    found = await api.events.get("/support-requests", viewer.token)
    return [Engagement.model_validate(e) for e in found]


async def rows(api: PlatformApi, viewer: Viewer, scope: LeadScope) -> list[SupportRow]:
    """Of every school the lead acts for, newest first."""
    found, known = await asyncio.gather(engagements(api, viewer), partnerships(api, viewer.token))
    return await _rows(api, viewer, scope, found, {p.id: p for p in known})


async def one(api: PlatformApi, viewer: Viewer, scope: LeadScope, engagement_id: str) -> SupportRow:
    """Raises ApiProblem (404) for one the lead does not see."""
    found, known = await asyncio.gather(
        api.events.get(f"/support-requests/{engagement_id}", viewer.token),
        partnerships(api, viewer.token),
    )
    engagement = Engagement.model_validate(found)
    (row,) = await _rows(api, viewer, scope, [engagement], {p.id: p for p in known})
    return row


async def _rows(
    api: PlatformApi,
    viewer: Viewer,
    scope: LeadScope,
    found: list[Engagement],
    by_id: dict[str, Partnership],
) -> list[SupportRow]:
    urns = {u for e in found for u in e.parties}
    schools = await asyncio.gather(*(school(api, viewer.token, u) for u in sorted(urns)))
    by_urn = {s.urn: s for s in schools if s is not None}
    made = []
    for e in found:
        ours = next((u for u in sorted(e.parties) if scope.leads(u)), e.requesting_urn)
        made.append(
            SupportRow(
                e,
                ours,
                by_id.get(e.partnership_id),
                by_urn.get(e.requesting_urn),
                by_urn.get(e.supporting_urn or ""),
            )
        )
    return sorted(made, key=lambda r: r.engagement.requested_at, reverse=True)


async def partnerships_of(api: PlatformApi, viewer: Viewer, urn: str) -> list[Partnership]:
    """The partnerships the school takes part in now: where it may ask for support."""
    found = await partnerships(api, viewer.token)
    return sorted(
        (p for p in found if any(m.urn == urn for m in p.members)),
        key=lambda p: p.name.casefold(),
    )


async def ask(
    api: PlatformApi, viewer: Viewer, partnership_id: str, urn: str, need: dict[str, Any]
) -> Engagement:
    body = {"partnership_id": partnership_id, "requesting_urn": urn, "need": need}
    return Engagement.model_validate(await api.events.post("/support-requests", viewer.token, body))


async def agree(
    api: PlatformApi, viewer: Viewer, engagement_id: str, terms: dict[str, Any] | None
) -> Engagement:
    found = await api.events.post(f"/support-requests/{engagement_id}/agree", viewer.token, terms)
    return Engagement.model_validate(found)


async def withdraw(
    api: PlatformApi, viewer: Viewer, engagement_id: str, reason: str | None
) -> Engagement:
    found = await api.events.post(
        f"/support-requests/{engagement_id}/withdraw", viewer.token, {"reason": reason}
    )
    return Engagement.model_validate(found)
