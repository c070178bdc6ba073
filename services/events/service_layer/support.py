"""Handlers for school-to-school support: request, suggest, match, agree, visit, review, close.

Who may do what: the requesting school's lead (or the partnership's coordinators, or a county
officer) asks; coordinators and county officers choose the supporting school; each school's lead
agrees the terms; the supporting school's staff record visits; coordinators review and close.
Staff of the two schools and the partnership's coordinators see an engagement; to anyone else it
does not exist.
"""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime

from pydantic import BaseModel, Field

from contracts.support import SupportStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.adapters.directory import MongoDirectory
from services.events.domain import matching
from services.events.domain.directory import SchoolCopy
from services.events.domain.support import (
    Agreement,
    Closure,
    Review,
    SupportEngagement,
    SupportNeed,
)
from services.events.service_layer import access
from services.events.service_layer.unit_of_work import EventsUnitOfWork

URN_PATTERN = r"^\d{6,7}$"


class SupportRequestIn(BaseModel):
    partnership_id: str = Field(
        min_length=1, max_length=100, description="The partnership through which support is sought"
    )
    requesting_urn: str = Field(pattern=URN_PATTERN, description="The school asking for support")
    need: SupportNeed


class VisitIn(BaseModel):
    on: date = Field(default_factory=date.today)
    by_person_id: str | None = Field(
        None, max_length=100, description="Who visited (default: the caller)"
    )
    notes: str | None = Field(None, max_length=5000)
    impact_note: str = Field(min_length=1, max_length=500, description="The visit's impact, short")


def _leads(principal: Principal, urn: str) -> bool:
    return principal.role == Role.SCHOOL_LEAD and urn in principal.schools


async def may_see(
    directory: MongoDirectory, principal: Principal, engagement: SupportEngagement
) -> bool:
    if principal.schools & engagement.parties():
        return True
    return await access.coordinates(directory, principal, engagement.partnership_id)


async def _visible(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str
) -> SupportEngagement:
    found = await uow.support.get(engagement_id)
    if found is None or not await may_see(uow.directory, principal, found):
        raise NotFound(f"no support request {engagement_id}")
    return found


async def _require_coordinator(
    uow: EventsUnitOfWork, principal: Principal, engagement: SupportEngagement, action: str
) -> None:
    if not await access.coordinates(uow.directory, principal, engagement.partnership_id):
        raise Forbidden(f"only the partnership's coordinators or a county officer may {action}")


async def _active_members(uow: EventsUnitOfWork, partnership_id: str) -> set[str]:
    partnership = await uow.directory.partnership(partnership_id)
    return partnership.active_members() if partnership else set()


async def request_support(
    uow: EventsUnitOfWork,
    principal: Principal,
    body: SupportRequestIn,
    now: datetime | None = None,
) -> SupportEngagement:
    pid, urn = body.partnership_id, body.requesting_urn
    async with uow:
        if not _leads(principal, urn) and not await access.coordinates(
            uow.directory, principal, pid
        ):
            raise Forbidden(
                f"only the lead of school {urn}, the partnership's coordinators or a county "
                "officer may ask for support for it"
            )
        if await uow.directory.partnership(pid) is None:
            raise NotFound(f"no partnership {pid}")
        if urn not in await _active_members(uow, pid):
            raise Conflict(f"school {urn} is not an active member of partnership {pid}")
        need = body.need
        school = await uow.directory.school(urn)
        if need.phase is None and school is not None and school.phase is not None:
            need = need.model_copy(update={"phase": school.phase})
        engagement = SupportEngagement.request(
            id=uuid.uuid4().hex[:12],
            partnership_id=pid,
            requesting_urn=urn,
            need=need,
            requested_by=principal.subject,
            requested_at=now or datetime.now(UTC),
        )
        await uow.support.add(engagement)
        await uow.commit()
    return engagement


async def get_engagement(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str
) -> SupportEngagement:
    async with uow:
        return await _visible(uow, principal, engagement_id)


async def list_engagements(
    uow: EventsUnitOfWork,
    principal: Principal,
    status: SupportStatus | None = None,
    partnership_id: str | None = None,
) -> list[SupportEngagement]:
    async with uow:
        if principal.county_wide:
            found = await uow.support.all(status)
        else:
            found = await uow.support.involving(
                partnerships=set(principal.partnerships),
                schools=set(principal.schools),
                status=status,
            )
            found = [e for e in found if await may_see(uow.directory, principal, e)]
    if partnership_id is not None:
        found = [e for e in found if e.partnership_id == partnership_id]
    return found


async def suggestions(
    uow: EventsUnitOfWork,
    principal: Principal,
    engagement_id: str,
    *,
    all_schools: bool = False,
    limit: int = 10,
) -> list[matching.Suggestion]:
    """Schools that could give the support, best first, each with its reasons."""
    async with uow:
        engagement = await _visible(uow, principal, engagement_id)
        if all_schools and not principal.county_wide:
            raise Forbidden("only a county officer may look beyond the partnership (all_schools)")
        requesting = await uow.directory.school(engagement.requesting_urn)
        schools = await uow.directory.schools()
        if not all_schools:
            members = await _active_members(uow, engagement.partnership_id)
            schools = [s for s in schools if s.urn in members]
        worked_together = await uow.support.worked_together(
            engagement.requesting_urn, excluding=engagement.id
        )
    return matching.suggest(
        engagement.need,
        requesting or SchoolCopy(urn=engagement.requesting_urn),
        schools,
        worked_together,
        limit,
    )


Change = Callable[[EventsUnitOfWork, SupportEngagement], Awaitable[None]]


@retry_on_write_conflict()
async def _change(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str, change: Change
) -> SupportEngagement:
    async with uow:
        engagement = await _visible(uow, principal, engagement_id)
        await change(uow, engagement)
        await uow.support.save(engagement)
        await uow.commit()
    return engagement


async def match(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str, urn: str
) -> SupportEngagement:
    async def choose(uow: EventsUnitOfWork, engagement: SupportEngagement) -> None:
        await _require_coordinator(uow, principal, engagement, "choose the supporting school")
        if await uow.directory.school(urn) is None:
            raise Invalid(f"no school with URN {urn} is known")
        if not principal.county_wide and urn not in await _active_members(
            uow, engagement.partnership_id
        ):
            raise Conflict(
                f"school {urn} is not an active member of partnership "
                f"{engagement.partnership_id}; a county officer may match a school from outside it"
            )
        engagement.match(urn)

    return await _change(uow, principal, engagement_id, choose)


async def agree(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str, terms: Agreement | None
) -> SupportEngagement:
    async def sign(uow: EventsUnitOfWork, engagement: SupportEngagement) -> None:
        sides = sorted(u for u in engagement.parties() if _leads(principal, u))
        if not sides:
            raise Forbidden("only the leads of the two schools agree the support")
        for urn in sides:
            engagement.agree(urn, terms)

    return await _change(uow, principal, engagement_id, sign)


async def record_visit(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str, visit: VisitIn
) -> SupportEngagement:
    async def record(uow: EventsUnitOfWork, engagement: SupportEngagement) -> None:
        supporting = engagement.supporting_urn
        if supporting is None or not principal.acts_for_school(supporting):
            raise Forbidden("only the supporting school's staff record visits")
        if visit.on > date.today():
            raise Invalid(f"a visit is recorded once it happened: {visit.on} is in the future")
        engagement.record_visit(
            visit.on,
            visit.impact_note,
            visit.by_person_id or principal.person_id,
            visit.notes,
        )

    return await _change(uow, principal, engagement_id, record)


async def review(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str, body: Review
) -> SupportEngagement:
    async def hold(uow: EventsUnitOfWork, engagement: SupportEngagement) -> None:
        await _require_coordinator(uow, principal, engagement, "review support")
        engagement.mid_term_review(body)

    return await _change(uow, principal, engagement_id, hold)


async def close(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str, body: Closure
) -> SupportEngagement:
    async def end(uow: EventsUnitOfWork, engagement: SupportEngagement) -> None:
        await _require_coordinator(uow, principal, engagement, "close support")
        engagement.close(body)

    return await _change(uow, principal, engagement_id, end)


async def withdraw(
    uow: EventsUnitOfWork, principal: Principal, engagement_id: str, reason: str | None
) -> SupportEngagement:
    async def leave(uow: EventsUnitOfWork, engagement: SupportEngagement) -> None:
        if not _leads(principal, engagement.requesting_urn) and not await access.coordinates(
            uow.directory, principal, engagement.partnership_id
        ):
            raise Forbidden(
                "only the requesting school's lead, the partnership's coordinators or a county "
                "officer may withdraw a request"
            )
        engagement.withdraw(reason)

    return await _change(uow, principal, engagement_id, leave)
