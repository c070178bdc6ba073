"""A partnership's schools as its coordinator sees them: members, invitations waiting for an
answer, and those suspended or gone; and inviting a school by its URN."""

import re
from dataclasses import dataclass

from contracts.vocabulary import URN_PATTERN, MembershipRole, MembershipStatus
from services.web.adapters.platform_api import ApiProblem, PlatformApi
from services.web.forms import Form
from services.web.service_layer.coordinate_models import Membership, Partnership
from services.web.service_layer.coordinate_partnerships import school_names

URN = re.compile(URN_PATTERN)
ROLES = tuple(MembershipRole)


@dataclass(frozen=True)
class School:
    membership: Membership
    name: str


@dataclass(frozen=True)
class Schools:
    partnership: Partnership
    members: list[School]
    invited: list[School]
    suspended: list[School]
    gone: list[School]
    """Left, or whose membership lapsed."""


async def schools_of(api: PlatformApi, token: str, partnership: Partnership) -> Schools:
    names = await school_names(api, token, partnership.memberships)

    def listed(*statuses: str) -> list[School]:
        found = [School(m, names[m.urn]) for m in partnership.with_status(*statuses)]
        return sorted(found, key=lambda s: s.name.casefold())

    return Schools(
        partnership,
        members=listed(MembershipStatus.ACTIVE),
        invited=listed(MembershipStatus.INVITED),
        suspended=listed(MembershipStatus.SUSPENDED),
        gone=listed(MembershipStatus.LEFT, MembershipStatus.LAPSED),
    )


def read_invitation(form: Form) -> None:
    urn = form.value("urn").replace(" ", "")
    form.values["urn"] = urn
    if not urn:
        form.refuse("urn", "Enter the school's URN")
    elif not URN.match(urn):
        form.refuse("urn", "Enter the URN as 6 or 7 numbers, like 118734")
    if form.value("role") not in ROLES:
        form.refuse("role", "Select the part the school will play")


async def invite(api: PlatformApi, token: str, partnership_id: str, form: Form) -> None:
    """Raises ApiProblem for an invitation the membership service refuses: the form says why."""
    body = {"urn": form.value("urn"), "role": form.value("role")}
    await api.membership.post(f"/partnerships/{partnership_id}/invitations", token, body)


def refuse_invitation(form: Form, problem: ApiProblem) -> bool:
    """The membership service's refusal next to the URN; False for one this form cannot answer."""
    urn = form.value("urn")
    if "no school with URN" in problem.detail:
        form.refuse(
            "urn",
            f"There is no school with URN {urn} on the platform. Check the URN, or ask the "
            "county to add the school",
        )
    elif "already" in problem.detail:
        status = problem.detail.rsplit("already ", 1)[-1].split(" ", 1)[0]
        part = "invited to" if status == MembershipStatus.INVITED else "a member of"
        form.refuse("urn", f"That school is already {part} this partnership")
    elif "urn" in problem.fields:
        form.refuse("urn", "Enter the URN as 6 or 7 numbers, like 118734")
    elif "role" in problem.fields:
        form.refuse("role", "Select the part the school will play")
    else:
        return False
    return True


async def withdraw(api: PlatformApi, token: str, partnership_id: str, urn: str) -> None:
    """An invitation taken back: the school is recorded as gone before it joined."""
    await api.membership.post(f"/partnerships/{partnership_id}/members/{urn}/leave", token)
