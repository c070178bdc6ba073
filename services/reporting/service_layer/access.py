"""Who sees which partnership's composition. County officers (and services) all; coordinators
the partnerships in their token and those membership names them coordinator of (as membership
and events decide); school staff the partnerships their school belongs to or is invited to.
What a caller may not see is reported as not found, so existence does not leak."""

from collections.abc import Iterable

from contracts.vocabulary import MembershipStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden
from services.reporting.domain.records import MembershipRecord, PartnershipRecord


def through_schools(principal: Principal, memberships: Iterable[MembershipRecord]) -> set[str]:
    """The partnerships the caller's schools belong to or are invited to."""
    return {
        m.partnership_id
        for m in memberships
        if m.urn in principal.schools and m.status != MembershipStatus.LEFT
    }


def coordinates(principal: Principal, partnership: PartnershipRecord) -> bool:
    if principal.acts_for_partnership(partnership.partnership_id):
        return True
    return (
        principal.role == Role.PARTNERSHIP_COORDINATOR
        and principal.person_id is not None
        and principal.person_id in partnership.coordinator_ids
    )


def sees(
    principal: Principal, partnership: PartnershipRecord, memberships: Iterable[MembershipRecord]
) -> bool:
    return coordinates(principal, partnership) or partnership.partnership_id in through_schools(
        principal, memberships
    )


def require_county_officer(principal: Principal) -> None:
    if not principal.county_wide:
        raise Forbidden("only a county officer may see the county roll-up")
