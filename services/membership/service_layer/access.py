"""Who may see and change what. County officers everything; coordinators only their partnerships;
school leads only their school. What a caller may not see is reported as not found."""

from contracts.vocabulary import MembershipStatus
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.membership.domain.partnership import Partnership


def coordinates(principal: Principal, partnership: Partnership) -> bool:
    if principal.county_wide:
        return True
    return principal.role == Role.PARTNERSHIP_COORDINATOR and (
        partnership.id in principal.partnerships
        or (principal.person_id is not None and principal.person_id in partnership.coordinators)
    )


def sees(principal: Principal, partnership: Partnership) -> bool:
    """Coordinators see their partnerships; staff see the partnerships their school belongs to."""
    if coordinates(principal, partnership):
        return True
    return any(
        m.urn in principal.schools and m.status != MembershipStatus.LEFT
        for m in partnership.memberships.values()
    )


def require_visible(principal: Principal, partnership: Partnership | None, pid: str) -> Partnership:
    if partnership is None or not sees(principal, partnership):
        raise NotFound(f"no partnership {pid}")
    return partnership


def require_coordinator(principal: Principal, partnership: Partnership) -> None:
    if not coordinates(principal, partnership):
        raise Forbidden("only the partnership's coordinators or a county officer may do this")


def leads(principal: Principal, urn: str) -> bool:
    """A county officer, or a lead of the school."""
    return principal.county_wide or (
        principal.role == Role.SCHOOL_LEAD and urn in principal.schools
    )


def require_school_lead(principal: Principal, urn: str) -> None:
    if not leads(principal, urn):
        raise Forbidden(f"only a lead of school {urn} or a county officer may do this")


def require_county_officer(principal: Principal) -> None:
    if not principal.county_wide:
        raise Forbidden("only a county officer may do this")
