"""The access policy of the events service: who may see and change what.

Two parts:
- named predicates on the principal (and, where the token may be out of date, the directory):
  `leads_school`, `acts_for_person`, `coordinates`, `reviews_case_studies`, `may_approve`,
  `manages_booking`, `sees_activity`, `sees_case_study`, `sees_engagement`...;
- one load-and-authorise step per aggregate (`load_activity`, `load_booking`,
  `load_case_study`, `load_engagement`, `load_swap`, `load_publication`, `load_peer_review`):
  what the caller may not see is not found (404); what they see but may not do is forbidden
  (403, with the refusal given).
"""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

from contracts.peer_review import PeerReviewSharing
from contracts.vocabulary import ActivityStatus, StaffRole
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.events.domain.activity import Activity
from services.events.domain.booking import Booking
from services.events.domain.case_study import CaseStudy, CaseStudyContent, CaseStudyStatus
from services.events.domain.peer_review import PeerReview
from services.events.domain.placement_swap import PlacementSwap
from services.events.domain.publication import Publication
from services.events.domain.support import SupportEngagement
from services.events.service_layer.ports import Directory, UnitOfWork

COORDINATORS = "only the partnership's coordinators or a county officer may do this"
CASE_STUDY_WRITERS = (
    "only the partnership's coordinators, a lead of a school it is about or a county officer"
)

# -- predicates on the principal ---------------------------------------------------------------


def leads_school(principal: Principal, urn: str) -> bool:
    return principal.role == Role.SCHOOL_LEAD and urn in principal.schools


def leads_or_county(principal: Principal, urn: str) -> bool:
    return principal.county_wide or leads_school(principal, urn)


def acts_for_person(principal: Principal, person_id: str | None) -> bool:
    return person_id is not None and person_id == principal.person_id


def reviews_case_studies(principal: Principal) -> bool:
    return principal.role == Role.COUNTY_OFFICER


def overrides_deadlines(principal: Principal) -> bool:
    """County officers and coordinators may still cancel or substitute after the deadline."""
    return principal.county_wide or principal.role == Role.PARTNERSHIP_COORDINATOR


async def coordinates(directory: Directory, principal: Principal, partnership_id: str) -> bool:
    """A county officer, or a coordinator of the partnership (by token or by the directory)."""
    if principal.county_wide:
        return True
    if principal.role != Role.PARTNERSHIP_COORDINATOR:
        return False
    if partnership_id in principal.partnerships:
        return True
    copy = await directory.partnership(partnership_id)
    return bool(copy and principal.person_id and principal.person_id in copy.coordinators)


async def caller_partnerships(directory: Directory, principal: Principal) -> set[str]:
    """The partnerships the caller acts for, coordinates (as membership says) or whose member
    schools they belong to."""
    found = set(principal.partnerships)
    if principal.role == Role.PARTNERSHIP_COORDINATOR and principal.person_id:
        found |= await directory.coordinated_by(principal.person_id)
    for urn in principal.schools:
        found |= await directory.partnerships_of(urn)
    return found


async def may_approve(directory: Directory, principal: Principal, urn: str) -> bool:
    """The school's lead, or a CPD approver of that school."""
    if leads_or_county(principal, urn):
        return True
    if principal.person_id is None:
        return False
    person = await directory.person(principal.person_id)
    return bool(person and person.holds(StaffRole.CPD_APPROVER, urn=urn, today=date.today()))


# activities


async def sees_activity(directory: Directory, principal: Principal, activity: Activity) -> bool:
    if await coordinates(directory, principal, activity.details.partnership_id):
        return True
    if activity.status == ActivityStatus.DRAFT:
        return False
    if activity.details.county_wide:
        return True
    return bool(activity.details.partnerships() & await caller_partnerships(directory, principal))


async def coordinates_activity(
    directory: Directory, principal: Principal, activity: Activity
) -> bool:
    return await coordinates(directory, principal, activity.details.partnership_id)


# bookings


async def manages_booking(
    directory: Directory, principal: Principal, booking: Booking, activity: Activity
) -> bool:
    """The person booked, their school's lead, or the activity's coordinators."""
    if acts_for_person(principal, booking.person_id):
        return True
    if leads_school(principal, booking.urn):
        return True
    return await coordinates_activity(directory, principal, activity)


async def approves_booking(
    directory: Directory, principal: Principal, booking: Booking, activity: Activity
) -> bool:
    return await may_approve(directory, principal, booking.urn)


async def sees_booking(
    directory: Directory, principal: Principal, booking: Booking, activity: Activity
) -> bool:
    """Who manages it, and who may approve it."""
    return await manages_booking(directory, principal, booking, activity) or await approves_booking(
        directory, principal, booking, activity
    )


async def evaluates_booking(
    directory: Directory, principal: Principal, booking: Booking, activity: Activity
) -> bool:
    """The member of staff booked; for pupil places, a lead of the school."""
    if booking.person_id is not None:
        return acts_for_person(principal, booking.person_id)
    return leads_school(principal, booking.urn)


async def coordinates_booking(
    directory: Directory, principal: Principal, booking: Booking, activity: Activity
) -> bool:
    return await coordinates_activity(directory, principal, activity)


# case studies


async def may_write_case_study(
    directory: Directory, principal: Principal, partnership_id: str, content: CaseStudyContent
) -> bool:
    if await coordinates(directory, principal, partnership_id):
        return True
    return principal.role == Role.SCHOOL_LEAD and bool(set(content.urns) & principal.schools)


async def writes_case_study(
    directory: Directory, principal: Principal, case_study: CaseStudy
) -> bool:
    return await may_write_case_study(
        directory, principal, case_study.partnership_id, case_study.content
    )


async def case_study_insider(
    directory: Directory, principal: Principal, case_study: CaseStudy
) -> bool:
    """May see it before it is published, and the officers' notes on it."""
    if principal.county_wide:
        return True
    if principal.person_id is not None and principal.person_id in case_study.content.authors:
        return True
    return await writes_case_study(directory, principal, case_study)


async def sees_case_study(
    directory: Directory, principal: Principal, case_study: CaseStudy
) -> bool:
    return case_study.status == CaseStudyStatus.PUBLISHED or await case_study_insider(
        directory, principal, case_study
    )


async def publishes_case_study(
    directory: Directory, principal: Principal, case_study: CaseStudy
) -> bool:
    return await coordinates(directory, principal, case_study.partnership_id)


# support


async def sees_engagement(
    directory: Directory, principal: Principal, engagement: SupportEngagement
) -> bool:
    """Staff of the two schools and the partnership's coordinators."""
    if principal.schools & engagement.parties():
        return True
    return await coordinates(directory, principal, engagement.partnership_id)


async def coordinates_engagement(
    directory: Directory, principal: Principal, engagement: SupportEngagement
) -> bool:
    return await coordinates(directory, principal, engagement.partnership_id)


async def leads_a_party(
    directory: Directory, principal: Principal, engagement: SupportEngagement
) -> bool:
    return any(leads_school(principal, urn) for urn in engagement.parties())


async def staffs_supporting_school(
    directory: Directory, principal: Principal, engagement: SupportEngagement
) -> bool:
    supporting = engagement.supporting_urn
    return supporting is not None and principal.acts_for_school(supporting)


async def may_withdraw_engagement(
    directory: Directory, principal: Principal, engagement: SupportEngagement
) -> bool:
    return leads_school(principal, engagement.requesting_urn) or await coordinates(
        directory, principal, engagement.partnership_id
    )


# partnerships, placement swaps, publications


async def sees_partnership(directory: Directory, principal: Principal, partnership_id: str) -> bool:
    """Its coordinators, county officers and staff of its member schools."""
    if await directory.partnership(partnership_id) is None:
        return False
    return await coordinates(
        directory, principal, partnership_id
    ) or partnership_id in await caller_partnerships(directory, principal)


async def require_partnership(directory: Directory, principal: Principal, pid: str) -> None:
    """A partnership the caller does not see is not found, as one that does not exist."""
    if not await sees_partnership(directory, principal, pid):
        raise NotFound(f"no partnership {pid}")


async def sees_swap(directory: Directory, principal: Principal, swap: PlacementSwap) -> bool:
    """The visitors and mentors, both schools' leads and the partnership's coordinators."""
    if principal.person_id is not None and principal.person_id in swap.people():
        return True
    return await party_to_swap(directory, principal, swap)


async def party_to_swap(directory: Directory, principal: Principal, swap: PlacementSwap) -> bool:
    """A lead of either school, or a coordinator of the partnership."""
    if any(leads_school(principal, urn) for urn in swap.schools()):
        return True
    return await coordinates(directory, principal, swap.partnership_id)


async def sees_publication(
    directory: Directory, principal: Principal, publication: Publication
) -> bool:
    return await sees_partnership(directory, principal, publication.partnership_id)


async def coordinates_publication(
    directory: Directory, principal: Principal, publication: Publication
) -> bool:
    return await coordinates(directory, principal, publication.partnership_id)


# peer review


def reviews(principal: Principal, review: PeerReview) -> bool:
    return principal.person_id is not None and principal.person_id in review.reviewer_ids


async def coordinates_partnership(
    directory: Directory, principal: Principal, partnership_id: str
) -> bool:
    """A coordinator of the partnership; not a county officer (what is sector-led is the
    schools' own)."""
    return principal.role == Role.PARTNERSHIP_COORDINATOR and await coordinates(
        directory, principal, partnership_id
    )


async def knows_of_review(directory: Directory, principal: Principal, review: PeerReview) -> bool:
    """County-wide callers, its reviewers, and the partnership's own people: its coordinators
    and the staff of its member schools."""
    if principal.county_wide or reviews(principal, review):
        return True
    return review.partnership_id in await caller_partnerships(directory, principal)


async def reads_review_findings(
    directory: Directory, principal: Principal, review: PeerReview
) -> bool:
    """The reviewed school's leads and the reviewers; beyond them, whom its `sharing` names."""
    if leads_school(principal, review.reviewed_urn) or reviews(principal, review):
        return True
    if review.sharing == PeerReviewSharing.SCHOOL_AND_REVIEWERS:
        return False
    if review.sharing == PeerReviewSharing.COUNTY and principal.role == Role.COUNTY_OFFICER:
        return True
    if await coordinates_partnership(directory, principal, review.partnership_id):
        return True
    partnership = await directory.partnership(review.partnership_id)
    members = partnership.active_members() if partnership else set()
    return principal.role == Role.SCHOOL_LEAD and bool(principal.schools & members)


async def reports_review(directory: Directory, principal: Principal, review: PeerReview) -> bool:
    """Records the visit and the findings: a reviewer or a coordinator of the partnership."""
    return reviews(principal, review) or await coordinates_partnership(
        directory, principal, review.partnership_id
    )


async def leads_reviewed_school(
    directory: Directory, principal: Principal, review: PeerReview
) -> bool:
    return leads_school(principal, review.reviewed_urn)


async def may_withdraw_review(
    directory: Directory, principal: Principal, review: PeerReview
) -> bool:
    return leads_school(principal, review.reviewed_urn) or await coordinates_partnership(
        directory, principal, review.partnership_id
    )


# -- load and authorise, one per aggregate ------------------------------------------------------

BookingCheck = Callable[[Directory, Principal, Booking, Activity], Awaitable[bool]]
ActivityCheck = Callable[[Directory, Principal, Activity], Awaitable[bool]]
CaseStudyCheck = Callable[[Directory, Principal, CaseStudy], Awaitable[bool]]
EngagementCheck = Callable[[Directory, Principal, SupportEngagement], Awaitable[bool]]
PeerReviewCheck = Callable[[Directory, Principal, PeerReview], Awaitable[bool]]


T = TypeVar("T")
Check = Callable[[Directory, Principal, T], Awaitable[bool]]


async def _authorised(
    directory: Directory,
    principal: Principal,
    found: T | None,
    *,
    sees: Check[T],
    may: Check[T] | None,
    not_found: str,
    refusal: str,
) -> T:
    """What the caller may not see is not found (404); what they see but may not do, 403."""
    if found is None or not await sees(directory, principal, found):
        raise NotFound(not_found)
    if may is not None and not await may(directory, principal, found):
        raise Forbidden(refusal)
    return found


async def load_activity(
    uow: UnitOfWork, principal: Principal, activity_id: str, *, may: ActivityCheck | None = None
) -> Activity:
    """The activity, if the caller sees it (404 otherwise) and, with `may`, coordinates it."""
    return await _authorised(
        uow.directory,
        principal,
        await uow.activities.get(activity_id),
        sees=sees_activity,
        may=may,
        not_found=f"no activity {activity_id}",
        refusal=COORDINATORS,
    )


async def load_booking(
    uow: UnitOfWork,
    principal: Principal,
    booking_id: str,
    *,
    seen_by: BookingCheck = sees_booking,
    may: BookingCheck | None = None,
    refusal: str = COORDINATORS,
) -> tuple[Booking, Activity]:
    """The booking and its activity, if `seen_by` admits the caller (404 otherwise), and if
    they pass `may` (403 with `refusal` otherwise)."""
    booking = await uow.bookings.get(booking_id)
    activity = await uow.activities.get(booking.activity_id) if booking else None
    if (
        booking is None
        or activity is None
        or not await seen_by(uow.directory, principal, booking, activity)
    ):
        raise NotFound(f"no booking {booking_id}")
    if may is not None and not await may(uow.directory, principal, booking, activity):
        raise Forbidden(refusal)
    return booking, activity


async def load_case_study(
    uow: UnitOfWork,
    principal: Principal,
    case_study_id: str,
    *,
    may: CaseStudyCheck | None = None,
    refusal: str = "",
) -> CaseStudy:
    """The case study, if the caller sees it (404 otherwise) and passes `may` (403)."""
    return await _authorised(
        uow.directory,
        principal,
        await uow.case_studies.get(case_study_id),
        sees=sees_case_study,
        may=may,
        not_found=f"no case study {case_study_id}",
        refusal=refusal,
    )


async def load_engagement(
    uow: UnitOfWork,
    principal: Principal,
    engagement_id: str,
    *,
    may: EngagementCheck | None = None,
    refusal: str = "",
) -> SupportEngagement:
    """The engagement, if the caller sees it (404 otherwise) and passes `may` (403)."""
    return await _authorised(
        uow.directory,
        principal,
        await uow.support.get(engagement_id),
        sees=sees_engagement,
        may=may,
        not_found=f"no support request {engagement_id}",
        refusal=refusal,
    )


async def load_swap(
    uow: UnitOfWork,
    principal: Principal,
    swap_id: str,
    *,
    may: Check[PlacementSwap] | None = None,
    refusal: str = "",
) -> PlacementSwap:
    """The placement swap, if the caller sees it (404 otherwise) and passes `may` (403)."""
    return await _authorised(
        uow.directory,
        principal,
        await uow.placement_swaps.get(swap_id),
        sees=sees_swap,
        may=may,
        not_found=f"no placement swap {swap_id}",
        refusal=refusal,
    )


async def load_publication(
    uow: UnitOfWork,
    principal: Principal,
    publication_id: str,
    *,
    may: Check[Publication] | None = None,
    refusal: str = "",
) -> Publication:
    """The publication, if the caller sees it (404 otherwise) and passes `may` (403)."""
    return await _authorised(
        uow.directory,
        principal,
        await uow.publications.get(publication_id),
        sees=sees_publication,
        may=may,
        not_found=f"no publication {publication_id}",
        refusal=refusal,
    )


async def load_peer_review(
    uow: UnitOfWork,
    principal: Principal,
    review_id: str,
    *,
    may: PeerReviewCheck | None = None,
    refusal: str = "",
) -> PeerReview:
    """The review, if the caller may know of it (404 otherwise) and passes `may` (403)."""
    return await _authorised(
        uow.directory,
        principal,
        await uow.peer_reviews.get(review_id),
        sees=knows_of_review,
        may=may,
        not_found=f"no peer review {review_id}",
        refusal=refusal,
    )
