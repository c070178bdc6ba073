"""Handlers for peer review: plan, visit, report, agree actions, follow them up, share, close.

Who may do what: a coordinator of the partnership or a lead of the reviewed school plans it and
names the reviewers (heads or senior leaders of other member schools); the reviewers or a
coordinator record the visit and the findings; the reviewed school's lead agrees the actions,
follows them up, decides what is shared and closes it. The partnership's people, the reviewers
and county officers know a review exists; who reads its findings and actions the reviewed
school decides (`access.reads_review_findings`). To anyone else it does not exist.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from contracts.peer_review import PeerReviewSharing, PeerReviewStatus
from contracts.vocabulary import StaffRole
from eventkit.auth import Principal
from eventkit.errors import Forbidden, Invalid
from eventkit.unit_of_work import retry_on_write_conflict
from services.events.domain.directory import PersonCopy
from services.events.domain.peer_review import Finding, PeerReview, PeerReviewPlan
from services.events.service_layer import access
from services.events.service_layer.ports import Directory, UnitOfWork

REVIEWER_ROLES = (StaffRole.HEAD, StaffRole.SENIOR_LEADER)
REVIEWED_SCHOOL_LEAD = "only a lead of the reviewed school may"


@dataclass(frozen=True)
class SeenReview:
    """A review as one caller sees it: with its findings and actions, or without them."""

    review: PeerReview
    reads_findings: bool


async def _seen(directory: Directory, principal: Principal, review: PeerReview) -> SeenReview:
    return SeenReview(review, await access.reads_review_findings(directory, principal, review))


def _schools_of(person: PersonCopy | None, today: date) -> set[str | None]:
    return {r.urn for r in person.roles if r.current(today)} if person else set()


def _leads_elsewhere(person: PersonCopy | None, schools: set[str], today: date) -> bool:
    if person is None or person.erased:
        return False
    return any(person.holds(r, urn=urn, today=today) for r in REVIEWER_ROLES for urn in schools)


async def _check_reviewers(
    directory: Directory, plan: PeerReviewPlan, members: set[str], today: date
) -> None:
    """Each reviewer is a current head or senior leader of another active member school, and
    not on the staff of the school reviewed. An unknown person answers like any stranger."""
    others = members - {plan.reviewed_urn}
    for n, person_id in enumerate(plan.reviewer_ids):
        person = await directory.person(person_id)
        if plan.reviewed_urn in _schools_of(person, today):
            raise Invalid(
                f"reviewer_ids.{n}: person {person_id} is on the staff of the reviewed school; "
                "reviewers come from the partnership's other schools"
            )
        if not _leads_elsewhere(person, others, today):
            raise Invalid(
                f"reviewer_ids.{n}: person {person_id} is not a current head or senior leader "
                f"of another active member school of partnership {plan.partnership_id}"
            )


async def plan_review(
    uow: UnitOfWork, principal: Principal, plan: PeerReviewPlan, now: datetime | None = None
) -> SeenReview:
    pid, urn = plan.partnership_id, plan.reviewed_urn
    async with uow:
        await access.require_partnership(uow.directory, principal, pid)
        if not access.leads_school(principal, urn) and not await access.coordinates_partnership(
            uow.directory, principal, pid
        ):
            raise Forbidden(
                "only the partnership's coordinators or a lead of the reviewed school may plan "
                "a peer review"
            )
        partnership = await uow.directory.partnership(pid)
        members = partnership.active_members() if partnership else set()
        if urn not in members:
            raise Invalid(
                f"reviewed_urn: school {urn} is not an active member of partnership {pid}"
            )
        await _check_reviewers(uow.directory, plan, members, date.today())
        review = PeerReview.plan(
            plan, planned_by=principal.actor, planned_at=now or datetime.now(UTC)
        )
        await uow.peer_reviews.add(review)
        await uow.commit()
        return await _seen(uow.directory, principal, review)


async def get_review(uow: UnitOfWork, principal: Principal, review_id: str) -> SeenReview:
    async with uow:
        review = await access.load_peer_review(uow, principal, review_id)
        return await _seen(uow.directory, principal, review)


async def reviews_of_partnership(
    uow: UnitOfWork,
    principal: Principal,
    partnership_id: str,
    status: PeerReviewStatus | None = None,
) -> list[SeenReview]:
    async with uow:
        await access.require_partnership(uow.directory, principal, partnership_id)
        found = await uow.peer_reviews.of_partnership(partnership_id, status)
        return [await _seen(uow.directory, principal, r) for r in found]


def _sync(change: Callable[[PeerReview], object]) -> Callable[[PeerReview], Awaitable[None]]:
    async def run(review: PeerReview) -> None:
        change(review)

    return run


@retry_on_write_conflict()
async def _change(
    uow: UnitOfWork,
    principal: Principal,
    review_id: str,
    may: access.PeerReviewCheck,
    refusal: str,
    change: Callable[[PeerReview], Awaitable[None]],
) -> SeenReview:
    """Load it as the caller may (404, 403), make the change, save it."""
    async with uow:
        review = await access.load_peer_review(uow, principal, review_id, may=may, refusal=refusal)
        await change(review)
        await uow.peer_reviews.save(review)
        await uow.commit()
        return await _seen(uow.directory, principal, review)


def _happened(field: str, days: Sequence[date]) -> None:
    if any(day > date.today() for day in days):
        raise Invalid(f"{field}: it is recorded once it happened, not before")


async def record_visit(
    uow: UnitOfWork, principal: Principal, review_id: str, days: list[date] | None = None
) -> SeenReview:
    """The visit took place: on the days given, or on the days planned."""

    def visited(review: PeerReview) -> None:
        taken = days or review.visit_dates
        _happened("visit_dates", taken)
        review.record_visit(taken)

    return await _change(
        uow,
        principal,
        review_id,
        access.reports_review,
        "only the reviewers or the partnership's coordinators record the visit",
        _sync(visited),
    )


async def report(
    uow: UnitOfWork, principal: Principal, review_id: str, findings: list[Finding], on: date
) -> SeenReview:
    return await _change(
        uow,
        principal,
        review_id,
        access.reports_review,
        "only the reviewers or the partnership's coordinators record the findings",
        _sync(lambda review: review.report(findings, on)),
    )


async def _is_staff(directory: Directory, person_id: str, urn: str) -> bool:
    return urn in _schools_of(await directory.person(person_id), date.today())


async def agree_action(
    uow: UnitOfWork,
    principal: Principal,
    review_id: str,
    *,
    text: str,
    due_on: date,
    agreed_on: date | None = None,
    owner_person_id: str | None = None,
) -> SeenReview:
    """The reviewed school's lead records an action agreed with the reviewers (the last of the
    review's actions)."""

    async def agree(review: PeerReview) -> None:
        if owner_person_id is not None and not await _is_staff(
            uow.directory, owner_person_id, review.reviewed_urn
        ):
            raise Invalid(
                f"owner_person_id: person {owner_person_id} is not on the staff of the "
                "reviewed school"
            )
        review.agree_action(
            text,
            agreed_on=agreed_on or date.today(),
            due_on=due_on,
            owner_person_id=owner_person_id,
        )

    return await _change(
        uow,
        principal,
        review_id,
        access.leads_reviewed_school,
        f"{REVIEWED_SCHOOL_LEAD} agree actions",
        agree,
    )


async def follow_up(
    uow: UnitOfWork,
    principal: Principal,
    review_id: str,
    action_id: str,
    *,
    note: str,
    on: date | None = None,
) -> SeenReview:
    day = on or date.today()
    return await _change(
        uow,
        principal,
        review_id,
        access.leads_reviewed_school,
        f"{REVIEWED_SCHOOL_LEAD} follow up its actions",
        _sync(
            lambda review: review.follow_up(
                action_id, on=day, note=note, by_person_id=principal.person_id
            )
        ),
    )


async def mark_done(
    uow: UnitOfWork, principal: Principal, review_id: str, action_id: str, on: date | None = None
) -> SeenReview:
    return await _change(
        uow,
        principal,
        review_id,
        access.leads_reviewed_school,
        f"{REVIEWED_SCHOOL_LEAD} mark its actions done",
        _sync(lambda review: review.mark_done(action_id, on or date.today())),
    )


async def share(
    uow: UnitOfWork, principal: Principal, review_id: str, sharing: PeerReviewSharing
) -> SeenReview:
    return await _change(
        uow,
        principal,
        review_id,
        access.leads_reviewed_school,
        f"{REVIEWED_SCHOOL_LEAD} decide what is shared",
        _sync(lambda review: review.share(sharing)),
    )


async def close(
    uow: UnitOfWork,
    principal: Principal,
    review_id: str,
    *,
    reasons: str | None = None,
    on: date | None = None,
) -> SeenReview:
    return await _change(
        uow,
        principal,
        review_id,
        access.leads_reviewed_school,
        f"{REVIEWED_SCHOOL_LEAD} close the review",
        _sync(lambda review: review.close(on or date.today(), reasons)),
    )


async def withdraw(
    uow: UnitOfWork, principal: Principal, review_id: str, reason: str | None = None
) -> SeenReview:
    return await _change(
        uow,
        principal,
        review_id,
        access.may_withdraw_review,
        "only a lead of the reviewed school or the partnership's coordinators may withdraw it",
        _sync(lambda review: review.withdraw(reason)),
    )
