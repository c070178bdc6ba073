"""Who may do what in the notifications service. What a caller may not see is not found, so
existence does not leak; what they see but may not do is forbidden."""

from datetime import date

from contracts.vocabulary import StaffRole
from eventkit.auth import Principal, Role
from eventkit.errors import Forbidden, NotFound
from services.notifications.service_layer.ports import UnitOfWork


def require_county_officer(principal: Principal, doing: str = "do this") -> None:
    if not principal.county_wide:
        raise Forbidden(f"only a county officer may {doing}")


def require_self_or_officer(principal: Principal, person_id: str) -> None:
    """Someone else's mail is theirs alone: to anyone but them and an officer, not there."""
    if not (principal.county_wide or principal.person_id == person_id):
        raise NotFound(f"no person {person_id[:64]}")


async def require_coordinator(uow: UnitOfWork, principal: Principal, partnership_id: str) -> None:
    """The partnership's coordinators (by token or by membership's records) and officers; to
    anyone else the partnership is not there."""
    if principal.acts_for_partnership(partnership_id):
        return
    if principal.role == Role.PARTNERSHIP_COORDINATOR and principal.person_id:
        me = await uow.recipients.get(principal.person_id)
        if me and me.holds(StaffRole.COORDINATOR, date.today(), partnership_id=partnership_id):
            return
    raise NotFound(f"no partnership {partnership_id[:64]}")
