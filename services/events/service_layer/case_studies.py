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
from collections.abc import Callable
from datetime import UTC, date, datetime

from contracts.vocabulary import ActivityCategory, MembershipStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Conflict, Forbidden, Invalid
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.case_study import (
    CaseStudy,
    CaseStudyContent,
    CaseStudyCriteria,
    CaseStudyStatus,
    Readership,
)
from services.events.service_layer import access
from services.events.service_layer.access import CASE_STUDY_WRITERS as WRITERS
from services.events.service_layer.ports import Directory, UnitOfWork


def _require_reviewer(principal: Principal, action: str) -> None:
    if not access.reviews_case_studies(principal):
        raise Forbidden(f"only a county officer may {action} a case study")


async def _for_reader(
    directory: Directory, principal: Principal, case_study: CaseStudy
) -> CaseStudy:
    """Outside its partnership a case study is read without the officers' notes and without
    the person ids of its authors."""
    if await access.case_study_insider(directory, principal, case_study):
        return case_study
    content = case_study.content.model_copy(update={"authors": []})
    return case_study.model_copy(update={"review_notes": [], "content": content})


async def _readership(
    directory: Directory, principal: Principal, partnership_id: str | None
) -> Readership | None:
    """What the caller may list besides the published ones (as `case_study_insider`); None: all."""
    if principal.county_wide:
        return None
    coordinated = (
        set(principal.partnerships) if principal.role == Role.PARTNERSHIP_COORDINATOR else set()
    )
    if partnership_id and await access.coordinates(directory, principal, partnership_id):
        coordinated.add(partnership_id)  # named in the directory rather than in the token
    schools = principal.schools if principal.role == Role.SCHOOL_LEAD else frozenset()
    return Readership(
        author_id=principal.person_id, partnerships=frozenset(coordinated), schools=schools
    )


# -- what may be linked ----------------------------------------------------------------------


def _with_writer(principal: Principal, content: CaseStudyContent) -> CaseStudyContent:
    """The writer is one of the authors."""
    if principal.person_id is None or principal.person_id in content.authors:
        return content
    return content.model_copy(update={"authors": [principal.person_id, *content.authors]})


async def _check_links(
    uow: UnitOfWork,
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
    partnership = await uow.directory.partnership(partnership_id)
    schools = partnership.active_members() if partnership else set()
    for person_id in content.authors:
        if person_id == principal.person_id:
            continue
        person = await uow.directory.person(person_id)
        if person is None or not any(
            r.current(date.today()) and (r.partnership_id == partnership_id or r.urn in schools)
            for r in person.roles
        ):  # one of another partnership answers as one who does not exist
            raise Invalid(f"authors: no person {person_id} is known in this partnership")


# -- handlers --------------------------------------------------------------------------------


async def create_case_study(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: str,
    content: CaseStudyContent,
    now: datetime | None = None,
) -> CaseStudy:
    now = now or datetime.now(UTC)
    content = _with_writer(principal, content)
    async with uow:
        if not await access.may_write_case_study(uow.directory, principal, partnership_id, content):
            raise Forbidden(f"{WRITERS} may write a case study of this partnership")
        await _check_links(uow, principal, partnership_id, content)
        case_study = CaseStudy.start(
            id=uuid.uuid4().hex[:12],
            partnership_id=partnership_id,
            content=content,
            created_by=principal.actor,
            now=now,
        )
        await uow.case_studies.add(case_study)
        await uow.commit()
    return case_study


async def get_case_study(uow: UnitOfWork, principal: Principal, case_study_id: str) -> CaseStudy:
    async with uow:
        case_study = await access.load_case_study(uow, principal, case_study_id)
        return await _for_reader(uow.directory, principal, case_study)


async def list_case_studies(
    uow: UnitOfWork,
    principal: Principal,
    *,
    category: ActivityCategory | None = None,
    partnership_id: str | None = None,
    urn: str | None = None,
    status: CaseStudyStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[CaseStudy]:
    """Published ones county-wide, and those the caller may see unpublished; newest change first."""
    async with uow:
        criteria = CaseStudyCriteria(
            category=category,
            partnership_id=partnership_id,
            urn=urn,
            status=status,
            readers=await _readership(uow.directory, principal, partnership_id),
            limit=limit,
            offset=offset,
        )
        found = await uow.case_studies.matching(criteria)
        return [await _for_reader(uow.directory, principal, c) for c in found]


@retry_on_write_conflict()
async def update_case_study(
    uow: UnitOfWork,
    principal: Principal,
    case_study_id: str,
    content: CaseStudyContent,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CaseStudy:
    now = now or datetime.now(UTC)
    content = _with_writer(principal, content)
    async with uow:
        case_study = await access.load_case_study(
            uow,
            principal,
            case_study_id,
            may=access.writes_case_study,
            refusal=f"{WRITERS} may edit this case study",
        )
        if expected_version is not None and expected_version != case_study.version:
            raise Conflict(
                f"the case study is at version {case_study.version}, not {expected_version}: "
                "someone changed it meanwhile; fetch it again"
            )
        case_study.edit(content, now)
        if not await access.may_write_case_study(
            uow.directory, principal, case_study.partnership_id, content
        ):
            raise Forbidden("urns: keep one of your schools linked, or you could not edit it")
        await _check_links(uow, principal, case_study.partnership_id, content)
        await uow.case_studies.save(case_study)
        await uow.commit()
    return case_study


@retry_on_write_conflict()
async def _change_case_study(
    uow: UnitOfWork,
    principal: Principal,
    case_study_id: str,
    change: Callable[[CaseStudy], None],
    may: access.CaseStudyCheck | None = None,
    refusal: str = "",
) -> CaseStudy:
    async with uow:
        case_study = await access.load_case_study(
            uow, principal, case_study_id, may=may, refusal=refusal
        )
        change(case_study)
        await uow.case_studies.save(case_study)
        await uow.commit()
    return case_study


async def submit_case_study(
    uow: UnitOfWork,
    principal: Principal,
    case_study_id: str,
    now: datetime | None = None,
) -> CaseStudy:
    at = now or datetime.now(UTC)
    return await _change_case_study(
        uow,
        principal,
        case_study_id,
        lambda c: c.submit(at),
        may=access.writes_case_study,
        refusal=f"{WRITERS} may submit this case study",
    )


async def return_case_study(
    uow: UnitOfWork,
    principal: Principal,
    case_study_id: str,
    note: str,
    now: datetime | None = None,
) -> CaseStudy:
    _require_reviewer(principal, "return")  # before loading, so that no one learns what exists
    at, by = now or datetime.now(UTC), principal.actor
    return await _change_case_study(
        uow, principal, case_study_id, lambda c: c.return_to_authors(note, by, at)
    )


async def approve_case_study(
    uow: UnitOfWork,
    principal: Principal,
    case_study_id: str,
    note: str | None,
    now: datetime | None = None,
) -> CaseStudy:
    _require_reviewer(principal, "approve")
    at, by = now or datetime.now(UTC), principal.actor
    return await _change_case_study(
        uow, principal, case_study_id, lambda c: c.approve(note, by, at)
    )


async def publish_case_study(
    uow: UnitOfWork,
    principal: Principal,
    case_study_id: str,
    now: datetime | None = None,
) -> CaseStudy:
    at = now or datetime.now(UTC)
    return await _change_case_study(
        uow,
        principal,
        case_study_id,
        lambda c: c.publish(at),
        may=access.publishes_case_study,
        refusal="only the partnership's coordinators or a county officer may publish it",
    )


async def withdraw_case_study(
    uow: UnitOfWork,
    principal: Principal,
    case_study_id: str,
    reason: str,
    now: datetime | None = None,
) -> CaseStudy:
    _require_reviewer(principal, "withdraw")
    at, by = now or datetime.now(UTC), principal.actor
    return await _change_case_study(
        uow, principal, case_study_id, lambda c: c.withdraw(reason, by, at)
    )
