"""Handlers for case studies: write, submit, review (return or approve), publish, withdraw, read.

Who may do what:
- write and submit: the partnership's coordinators (and county officers), and the leads of the
  schools it is about;
- return, approve, withdraw: county officers;
- publish: the partnership's coordinators or a county officer;
- read: a published one, anyone signed in, county-wide; an unpublished one, its writers, its
  authors and county officers; to anyone else it does not exist (404). The officers' review notes
  are shown only to those who could see it unpublished.
"""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from contracts.vocabulary import ActivityCategory, MembershipStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Conflict, Forbidden, Invalid, NotFound
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.adapters.directory import MongoDirectory
from services.events.domain.case_study import CaseStudy, CaseStudyContent, CaseStudyStatus
from services.events.service_layer import access
from services.events.service_layer.unit_of_work import EventsUnitOfWork


class NewCaseStudy(CaseStudyContent):
    partnership_id: str = Field(
        min_length=1, max_length=100, description="The partnership whose work it tells"
    )

    def content(self) -> CaseStudyContent:
        return CaseStudyContent.model_validate(self.model_dump(exclude={"partnership_id"}))


class CaseStudyFilter(BaseModel):
    category: ActivityCategory | None = None
    partnership_id: str | None = Field(None, max_length=100)
    urn: str | None = Field(None, pattern=r"^\d{6,7}$", description="A school it is about")
    status: CaseStudyStatus | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


Check = Callable[[EventsUnitOfWork, CaseStudy], Awaitable[None]]
"""Raises unless the caller may make a change to this case study."""

WRITERS = "only the partnership's coordinators, a lead of a school it is about or a county officer"


# -- who may do what -------------------------------------------------------------------------


async def may_write(
    directory: MongoDirectory, principal: Principal, partnership_id: str, content: CaseStudyContent
) -> bool:
    if await access.coordinates(directory, principal, partnership_id):
        return True
    return principal.role == Role.SCHOOL_LEAD and bool(set(content.urns) & principal.schools)


async def insider(directory: MongoDirectory, principal: Principal, case_study: CaseStudy) -> bool:
    """May see it before it is published, and the officers' notes on it."""
    if principal.county_wide:
        return True
    if principal.person_id is not None and principal.person_id in case_study.content.authors:
        return True
    return await may_write(directory, principal, case_study.partnership_id, case_study.content)


async def _visible_to(
    directory: MongoDirectory, principal: Principal, partnership_id: str | None
) -> list[dict[str, Any]]:
    """A query for what the caller may see (as `insider`, and every published one)."""
    clauses: list[dict[str, Any]] = [{"status": CaseStudyStatus.PUBLISHED.value}]
    if principal.person_id is not None:
        clauses.append({"content.authors": principal.person_id})
    coordinated = (
        set(principal.partnerships) if principal.role == Role.PARTNERSHIP_COORDINATOR else set()
    )
    if partnership_id and await access.coordinates(directory, principal, partnership_id):
        coordinated.add(partnership_id)  # named in the directory rather than in the token
    if coordinated:
        clauses.append({"partnership_id": {"$in": sorted(coordinated)}})
    if principal.role == Role.SCHOOL_LEAD and principal.schools:
        clauses.append({"content.urns": {"$in": sorted(principal.schools)}})
    return clauses


def _require_reviewer(principal: Principal, action: str) -> None:
    if principal.role != Role.COUNTY_OFFICER:
        raise Forbidden(f"only a county officer may {action} a case study")


def _actor(principal: Principal) -> str:
    return principal.person_id or principal.subject


async def _load(uow: EventsUnitOfWork, principal: Principal, case_study_id: str) -> CaseStudy:
    found = await uow.case_studies.get(case_study_id)
    if found is None or not (
        found.status == CaseStudyStatus.PUBLISHED or await insider(uow.directory, principal, found)
    ):
        raise NotFound(f"no case study {case_study_id}")
    return found


async def _for_reader(
    directory: MongoDirectory, principal: Principal, case_study: CaseStudy
) -> CaseStudy:
    if await insider(directory, principal, case_study):
        return case_study
    return case_study.model_copy(update={"review_notes": []})


# -- what may be linked ----------------------------------------------------------------------


def _with_writer(principal: Principal, content: CaseStudyContent) -> CaseStudyContent:
    """The writer is one of the authors."""
    if principal.person_id is None or principal.person_id in content.authors:
        return content
    return content.model_copy(update={"authors": [principal.person_id, *content.authors]})


async def _check_links(
    uow: EventsUnitOfWork,
    principal: Principal,
    partnership_id: str,
    content: CaseStudyContent,
) -> None:
    """Activities of the partnership, schools that are (or were) its members, known people."""
    for activity_id in content.activity_ids:
        activity = await uow.activities.get(activity_id)
        if activity is None or activity.details.partnership_id != partnership_id:
            raise Invalid(
                f"activity_ids: {activity_id} is not an activity of partnership {partnership_id}"
            )
    if content.urns:
        partnership = await uow.directory.partnership(partnership_id)
        members = partnership.members if partnership else {}
        outside = [u for u in content.urns if members.get(u) in (None, MembershipStatus.INVITED)]
        if outside:
            raise Invalid(
                f"urns: {', '.join(outside)} not a member school of partnership {partnership_id}"
            )
    for person_id in content.authors:
        if person_id != principal.person_id and await uow.directory.person(person_id) is None:
            raise Invalid(f"authors: no person {person_id} is known")


# -- handlers --------------------------------------------------------------------------------


async def create_case_study(
    uow: EventsUnitOfWork,
    principal: Principal,
    request: NewCaseStudy,
    now: datetime | None = None,
) -> CaseStudy:
    now = now or datetime.now(UTC)
    content = _with_writer(principal, request.content())
    async with uow:
        if not await may_write(uow.directory, principal, request.partnership_id, content):
            raise Forbidden(f"{WRITERS} may write a case study of this partnership")
        await _check_links(uow, principal, request.partnership_id, content)
        case_study = CaseStudy.start(
            id=uuid.uuid4().hex[:12],
            partnership_id=request.partnership_id,
            content=content,
            created_by=_actor(principal),
            now=now,
        )
        await uow.case_studies.add(case_study)
        await uow.commit()
    return case_study


async def get_case_study(
    uow: EventsUnitOfWork, principal: Principal, case_study_id: str
) -> CaseStudy:
    async with uow:
        case_study = await _load(uow, principal, case_study_id)
        return await _for_reader(uow.directory, principal, case_study)


async def list_case_studies(
    uow: EventsUnitOfWork, principal: Principal, wanted: CaseStudyFilter
) -> list[CaseStudy]:
    """Published ones county-wide, and those the caller may see unpublished; newest change first."""
    clauses: list[dict[str, Any]] = []
    if wanted.category is not None:
        clauses.append({"content.categories": wanted.category.value})
    if wanted.partnership_id is not None:
        clauses.append({"partnership_id": wanted.partnership_id})
    if wanted.urn is not None:
        clauses.append({"content.urns": wanted.urn})
    if wanted.status is not None:
        clauses.append({"status": wanted.status.value})
    async with uow:
        if not principal.county_wide:
            visible = await _visible_to(uow.directory, principal, wanted.partnership_id)
            clauses.append({"$or": visible})
        query = {"$and": clauses} if clauses else {}
        found = await uow.case_studies.matching(query, limit=wanted.limit, skip=wanted.offset)
        return [await _for_reader(uow.directory, principal, c) for c in found]


@retry_on_write_conflict()
async def update_case_study(
    uow: EventsUnitOfWork,
    principal: Principal,
    case_study_id: str,
    content: CaseStudyContent,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CaseStudy:
    now = now or datetime.now(UTC)
    content = _with_writer(principal, content)
    async with uow:
        case_study = await _load(uow, principal, case_study_id)
        if not await may_write(
            uow.directory, principal, case_study.partnership_id, case_study.content
        ):
            raise Forbidden(f"{WRITERS} may edit this case study")
        if expected_version is not None and expected_version != case_study.version:
            raise Conflict(
                f"the case study is at version {case_study.version}, not {expected_version}: "
                "someone changed it meanwhile; fetch it again"
            )
        case_study.edit(content, now)
        if not await may_write(uow.directory, principal, case_study.partnership_id, content):
            raise Forbidden("urns: keep one of your schools linked, or you could not edit it")
        await _check_links(uow, principal, case_study.partnership_id, content)
        await uow.case_studies.save(case_study)
        await uow.commit()
    return case_study


@retry_on_write_conflict()
async def _change(
    uow: EventsUnitOfWork,
    principal: Principal,
    case_study_id: str,
    change: Callable[[CaseStudy], None],
    allowed: Check,
) -> CaseStudy:
    async with uow:
        case_study = await _load(uow, principal, case_study_id)
        await allowed(uow, case_study)
        change(case_study)
        await uow.case_studies.save(case_study)
        await uow.commit()
    return case_study


def _writer(principal: Principal, action: str) -> Check:
    async def check(uow: EventsUnitOfWork, case_study: CaseStudy) -> None:
        if not await may_write(
            uow.directory, principal, case_study.partnership_id, case_study.content
        ):
            raise Forbidden(f"{WRITERS} may {action} this case study")

    return check


def _publisher(principal: Principal) -> Check:
    async def check(uow: EventsUnitOfWork, case_study: CaseStudy) -> None:
        if not await access.coordinates(uow.directory, principal, case_study.partnership_id):
            raise Forbidden(
                "only the partnership's coordinators or a county officer may publish it"
            )

    return check


async def _anyone(uow: EventsUnitOfWork, case_study: CaseStudy) -> None:
    """The role was checked before loading, so that no one learns what exists."""


async def submit_case_study(
    uow: EventsUnitOfWork,
    principal: Principal,
    case_study_id: str,
    now: datetime | None = None,
) -> CaseStudy:
    at = now or datetime.now(UTC)
    return await _change(
        uow, principal, case_study_id, lambda c: c.submit(at), _writer(principal, "submit")
    )


async def return_case_study(
    uow: EventsUnitOfWork,
    principal: Principal,
    case_study_id: str,
    note: str,
    now: datetime | None = None,
) -> CaseStudy:
    _require_reviewer(principal, "return")
    at, by = now or datetime.now(UTC), _actor(principal)
    return await _change(
        uow, principal, case_study_id, lambda c: c.return_to_authors(note, by, at), _anyone
    )


async def approve_case_study(
    uow: EventsUnitOfWork,
    principal: Principal,
    case_study_id: str,
    note: str | None,
    now: datetime | None = None,
) -> CaseStudy:
    _require_reviewer(principal, "approve")
    at, by = now or datetime.now(UTC), _actor(principal)
    return await _change(uow, principal, case_study_id, lambda c: c.approve(note, by, at), _anyone)


async def publish_case_study(
    uow: EventsUnitOfWork,
    principal: Principal,
    case_study_id: str,
    now: datetime | None = None,
) -> CaseStudy:
    at = now or datetime.now(UTC)
    return await _change(
        uow, principal, case_study_id, lambda c: c.publish(at), _publisher(principal)
    )


async def withdraw_case_study(
    uow: EventsUnitOfWork,
    principal: Principal,
    case_study_id: str,
    reason: str,
    now: datetime | None = None,
) -> CaseStudy:
    _require_reviewer(principal, "withdraw")
    at, by = now or datetime.now(UTC), _actor(principal)
    return await _change(
        uow, principal, case_study_id, lambda c: c.withdraw(reason, by, at), _anyone
    )
