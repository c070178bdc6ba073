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

from contracts.support import SupportStatus
from eventkit.auth import Principal
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from eventkit.unit_of_work import retry_on_write_conflict
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
from services.events.service_layer.ports import UnitOfWork

COORDINATORS = "only the partnership's coordinators or a county officer may"


async def _active_members(uow: UnitOfWork, partnership_id: str) -> set[str]:
    partnership = await uow.directory.partnership(partnership_id)
    return partnership.active_members() if partnership else set()


async def request_support(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: str,
    requesting_urn: str,
    need: SupportNeed,
    now: datetime | None = None,
) -> SupportEngagement:
    pid, urn = partnership_id, requesting_urn
    async with uow:
        if not access.leads_school(principal, urn) and not await access.coordinates(
            uow.directory, principal, pid
        ):
            raise Forbidden(
                f"only the lead of school {urn}, the partnership's coordinators or a county "
                "officer may ask for support for it"
            )
        known = await uow.directory.partnership(pid) is not None
        member = known and urn in await _active_members(uow, pid)
        if not member and not (known and await access.coordinates(uow.directory, principal, pid)):
            raise NotFound(f"no partnership {pid}")  # the same for a stranger's as for none
        if not member:
            raise Conflict(f"school {urn} is not an active member of partnership {pid}")
        school = await uow.directory.school(urn)
        if need.phase is None and school is not None and school.phase is not None:
            need = need.model_copy(update={"phase": school.phase})
        engagement = SupportEngagement.request(
            id=uuid.uuid4().hex[:12],
            partnership_id=pid,
            requesting_urn=urn,
            need=need,
            requested_by=principal.actor,
            requested_at=now or datetime.now(UTC),
        )
        await uow.support.add(engagement)
        await uow.commit()
    return engagement


async def get_engagement(
    uow: UnitOfWork, principal: Principal, engagement_id: str
) -> SupportEngagement:
    async with uow:
        return await access.load_engagement(uow, principal, engagement_id)


async def list_engagements(
    uow: UnitOfWork,
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
            found = [e for e in found if await access.sees_engagement(uow.directory, principal, e)]
    if partnership_id is not None:
        found = [e for e in found if e.partnership_id == partnership_id]
    return found


async def suggestions(
    uow: UnitOfWork,
    principal: Principal,
    engagement_id: str,
    *,
    all_schools: bool = False,
    limit: int = 10,
) -> list[matching.Suggestion]:
    """Schools that could give the support, best first, each with its reasons."""
    async with uow:
        engagement = await access.load_engagement(uow, principal, engagement_id)
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


def _sync(
    change: Callable[[SupportEngagement], None],
) -> Callable[[SupportEngagement], Awaitable[None]]:
    async def run(engagement: SupportEngagement) -> None:
        change(engagement)

    return run


@retry_on_write_conflict()
async def _change_engagement(
    uow: UnitOfWork,
    principal: Principal,
    engagement_id: str,
    may: access.EngagementCheck,
    refusal: str,
    change: Callable[[SupportEngagement], Awaitable[None]],
) -> SupportEngagement:
    """Load it as the caller may (404, 403), make the change, save it."""
    async with uow:
        engagement = await access.load_engagement(
            uow, principal, engagement_id, may=may, refusal=refusal
        )
        await change(engagement)
        await uow.support.save(engagement)
        await uow.commit()
    return engagement


async def match(
    uow: UnitOfWork, principal: Principal, engagement_id: str, urn: str
) -> SupportEngagement:
    async def choose(engagement: SupportEngagement) -> None:
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

    return await _change_engagement(
        uow,
        principal,
        engagement_id,
        access.coordinates_engagement,
        f"{COORDINATORS} choose the supporting school",
        choose,
    )


async def agree(
    uow: UnitOfWork, principal: Principal, engagement_id: str, terms: Agreement | None
) -> SupportEngagement:
    async def sign(engagement: SupportEngagement) -> None:
        for urn in sorted(u for u in engagement.parties() if access.leads_school(principal, u)):
            engagement.agree(urn, terms)

    return await _change_engagement(
        uow,
        principal,
        engagement_id,
        access.leads_a_party,
        "only the leads of the two schools agree the support",
        sign,
    )


async def record_visit(
    uow: UnitOfWork,
    principal: Principal,
    engagement_id: str,
    *,
    on: date,
    impact_note: str,
    by_person_id: str | None = None,
    notes: str | None = None,
) -> SupportEngagement:
    async def record(engagement: SupportEngagement) -> None:
        if on > date.today():
            raise Invalid(f"a visit is recorded once it happened: {on} is in the future")
        engagement.record_visit(on, impact_note, by_person_id or principal.person_id, notes)

    return await _change_engagement(
        uow,
        principal,
        engagement_id,
        access.staffs_supporting_school,
        "only the supporting school's staff record visits",
        record,
    )


async def review(
    uow: UnitOfWork, principal: Principal, engagement_id: str, body: Review
) -> SupportEngagement:
    return await _change_engagement(
        uow,
        principal,
        engagement_id,
        access.coordinates_engagement,
        f"{COORDINATORS} review support",
        _sync(lambda engagement: engagement.mid_term_review(body)),
    )


async def close(
    uow: UnitOfWork, principal: Principal, engagement_id: str, body: Closure
) -> SupportEngagement:
    return await _change_engagement(
        uow,
        principal,
        engagement_id,
        access.coordinates_engagement,
        f"{COORDINATORS} close support",
        _sync(lambda engagement: engagement.close(body)),
    )


async def withdraw(
    uow: UnitOfWork, principal: Principal, engagement_id: str, reason: str | None
) -> SupportEngagement:
    return await _change_engagement(
        uow,
        principal,
        engagement_id,
        access.may_withdraw_engagement,
        "only the requesting school's lead, the partnership's coordinators or a county "
        "officer may withdraw a request",
        _sync(lambda engagement: engagement.withdraw(reason)),
    )
