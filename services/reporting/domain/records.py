"""What the reporting service keeps from membership's events: local copies, no personal data.

Partnerships (coordinators only as a count), memberships (status and role per school) and schools
(name, sector, phase, local authority) are kept apart, each as its own events describe it, because
their events arrive on different partitions in no fixed order. Compositions are derived from them
when asked for.

A partnership's boards, their members (seats: an office and whom it represents, no person),
meetings and actions are kept the same way, each by its own id: an action may arrive before
its meeting or board is known, and counts once both are.
"""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel

from contracts.vocabulary import (
    BoardKind,
    BoardOffice,
    MembershipRole,
    MembershipStatus,
    PartnershipKind,
    PartnershipStatus,
    Phase,
    RelationshipKind,
    Sector,
    SupportArea,
)


class PartnershipRecord(BaseModel):
    partnership_id: str
    name: str
    kind: PartnershipKind
    status: PartnershipStatus
    area: list[str] = []
    coordinator_ids: list[str] = []
    """Person ids (no names): who coordinates it, as membership says."""

    @property
    def coordinators(self) -> int:
        return len(self.coordinator_ids)


class MembershipRecord(BaseModel):
    partnership_id: str
    urn: str
    status: MembershipStatus
    role: MembershipRole | None = None


class RelationshipRecord(BaseModel):
    """A relationship between schools (or a school and a trust), as membership describes it."""

    relationship_id: str
    kind: RelationshipKind
    first_urn: str | None = None
    first_trust: str | None = None
    second_urn: str | None = None
    second_trust: str | None = None
    starts_on: date
    ends_on: date | None = None
    partnership_id: str | None = None
    support: list[SupportArea] = []

    def current(self, today: date) -> bool:
        ends = self.ends_on or date.max
        return self.starts_on <= today < ends


class SchoolRecord(BaseModel):
    urn: str
    name: str
    sector: Sector
    phase: Phase
    la_code: str | None = None
    la_name: str | None = None


class GovernanceKind(StrEnum):
    """The governance records, each a collection of its own."""

    BOARDS = "boards"
    MEMBERS = "board_members"
    MEETINGS = "board_meetings"
    ACTIONS = "board_actions"


class BoardRecord(BaseModel):
    board_id: str
    partnership_id: str
    kind: BoardKind


class BoardMemberRecord(BaseModel):
    """A seat on a board for a term (`starts_on` up to, not including, the earlier of `ends_on`
    and `stood_down_on`)."""

    member_id: str
    board_id: str
    partnership_id: str
    office: BoardOffice
    represents_urn: str | None = None
    represents_body: bool = False
    starts_on: date
    ends_on: date | None = None
    stood_down_on: date | None = None

    def current(self, today: date) -> bool:
        ends = min(d for d in (self.ends_on, self.stood_down_on, date.max) if d is not None)
        return self.starts_on <= today < ends


class BoardMeetingRecord(BaseModel):
    meeting_id: str
    board_id: str
    partnership_id: str
    starts_at: datetime
    agenda_items: int = 0
    minutes_revision: int | None = None
    decisions: int = 0
    actions: int = 0
    approved_revision: int | None = None


class BoardActionRecord(BaseModel):
    action_id: str
    meeting_id: str
    board_id: str
    partnership_id: str
    due_on: date
    done_on: date | None = None
    withdrawn: bool = False


class GovernanceRecords(BaseModel):
    """What is kept of some partnerships' boards: each record as its events described it."""

    boards: list[BoardRecord] = []
    members: list[BoardMemberRecord] = []
    meetings: list[BoardMeetingRecord] = []
    actions: list[BoardActionRecord] = []
