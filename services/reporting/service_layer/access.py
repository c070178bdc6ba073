"""Who sees which partnership's composition. County officers (and services) all; coordinators
the partnerships in their token; school staff the partnerships their school belongs to or is
invited to. What a caller may not see is reported as not found, so existence does not leak."""

from collections.abc import Iterable

from contracts.vocabulary import MembershipStatus
from eventkit.auth import Principal
from eventkit.errors import Forbidden
from services.reporting.domain.records import MembershipRecord


def through_schools(principal: Principal, memberships: Iterable[MembershipRecord]) -> set[str]:
    """The partnerships the caller's schools belong to or are invited to."""
    return {
        m.partnership_id
        for m in memberships
        if m.urn in principal.schools and m.status != MembershipStatus.LEFT
    }


def sees(
    principal: Principal, partnership_id: str, memberships: Iterable[MembershipRecord]
) -> bool:
    return principal.acts_for_partnership(partnership_id) or partnership_id in through_schools(
        principal, memberships
    )


def require_county_officer(principal: Principal) -> None:
    if not principal.county_wide:
        raise Forbidden("only a county officer may see the county roll-up")
