"""Events of the membership service, on topic `partnerships.membership.v1`.

Partnership and membership events are keyed by partnership id, school events by URN,
person events by person id; a board's by board id, a board meeting's (and its actions') by
meeting id.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, Field

from contracts.envelope import IntegrationEvent
from contracts.topics import MEMBERSHIP, Topic
from contracts.vocabulary import (
    ActivityCategory,
    BoardKind,
    BoardOffice,
    LaCode,
    MembershipRole,
    MembershipStatus,
    OrganisationKind,
    PartnershipKind,
    PartnershipStatus,
    Phase,
    RelationshipKind,
    Sector,
    StaffRole,
    SupportArea,
)


class _MembershipEvent(IntegrationEvent):
    topic: ClassVar[Topic] = MEMBERSHIP


class _PartnershipEvent(_MembershipEvent):
    partnership_id: str

    def aggregate_id(self) -> str:
        return self.partnership_id


class PartnershipCreated(_PartnershipEvent):
    type: ClassVar[str] = "membership.partnership_created.v1"
    name: str
    kind: PartnershipKind
    aims: list[ActivityCategory] = Field(default_factory=list)
    area: list[str] = Field(default_factory=list, description="Local authority codes")
    status: PartnershipStatus
    memorandum_of_understanding: str | None = None
    created_at: datetime


class PartnershipUpdated(_PartnershipEvent):
    """The partnership's details as they now stand (a full snapshot of the updatable fields)."""

    type: ClassVar[str] = "membership.partnership_updated.v1"
    name: str
    kind: PartnershipKind
    aims: list[ActivityCategory] = Field(default_factory=list)
    area: list[str] = Field(default_factory=list)
    status: PartnershipStatus
    memorandum_of_understanding: str | None = None


class CoordinatorAssigned(_PartnershipEvent):
    type: ClassVar[str] = "membership.coordinator_assigned.v1"
    person_id: str


class CoordinatorRemoved(_PartnershipEvent):
    type: ClassVar[str] = "membership.coordinator_removed.v1"
    person_id: str


class SchoolInvited(_PartnershipEvent):
    type: ClassVar[str] = "membership.school_invited.v1"
    urn: str
    role: MembershipRole
    invited_on: date


class SchoolJoined(_PartnershipEvent):
    type: ClassVar[str] = "membership.school_joined.v1"
    urn: str
    role: MembershipRole
    joined_on: date


class MembershipSuspended(_PartnershipEvent):
    type: ClassVar[str] = "membership.membership_suspended.v1"
    urn: str
    suspended_on: date
    reason: str | None = None


class MembershipReinstated(_PartnershipEvent):
    type: ClassVar[str] = "membership.membership_reinstated.v1"
    urn: str
    reinstated_on: date


class SchoolLeft(_PartnershipEvent):
    type: ClassVar[str] = "membership.school_left.v1"
    urn: str
    left_on: date


class _SchoolEvent(_MembershipEvent):
    urn: str = Field(description="The DfE Unique Reference Number")

    def aggregate_id(self) -> str:
        return self.urn


class _SchoolDetails(_SchoolEvent):
    name: str
    phase: Phase
    sector: Sector
    establishment_type: str | None = None
    la_code: str | None = None
    la_name: str | None = None
    pupils: int | None = None
    fsm_share: float | None = Field(
        None, description="Share of pupils eligible for free school meals, 0..1"
    )
    open: bool = True


class SchoolRegistered(_SchoolDetails):
    type: ClassVar[str] = "membership.school_registered.v1"


class SchoolUpdated(_SchoolDetails):
    """The school's details as they now stand."""

    type: ClassVar[str] = "membership.school_updated.v1"


class SchoolExpertiseUpdated(_SchoolEvent):
    """What a school offers other schools, as it now stands."""

    type: ClassVar[str] = "membership.school_expertise_updated.v1"
    subjects: list[str] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    facilities: list[str] = Field(default_factory=list)
    categories: list[ActivityCategory] = Field(default_factory=list)
    summary: str | None = None


class _PersonEvent(_MembershipEvent):
    person_id: str

    def aggregate_id(self) -> str:
        return self.person_id


class PersonAddedV1(_PersonEvent):
    """No longer published (it named the person on a topic kept forever): see PersonAdded.
    Kept so that logs written before v2 stay readable."""

    type: ClassVar[str] = "membership.person_added.v1"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"name", "email", "job_title"})
    name: str
    email: str
    job_title: str | None = None


class PersonUpdatedV1(_PersonEvent):
    """No longer published: see PersonUpdated. Kept so that older logs stay readable."""

    type: ClassVar[str] = "membership.person_updated.v1"
    personal_fields: ClassVar[frozenset[str]] = frozenset({"name", "email", "job_title"})
    name: str
    email: str
    job_title: str | None = None


class PersonAdded(_PersonEvent):
    """A person was added; their details are on the people topic (`contracts.people`)."""

    type: ClassVar[str] = "membership.person_added.v2"


class PersonUpdated(_PersonEvent):
    """A person's details changed (`fields`, by name); the new ones are on the people topic."""

    type: ClassVar[str] = "membership.person_updated.v2"
    fields: list[str] = Field(default_factory=list)


class HeldRole(BaseModel):
    """A dated role at a school (`urn`), at a partnership (`partnership_id`), or, for a county
    officer, over the local authorities they cover (`local_authorities`)."""

    role_id: str
    role: StaffRole
    urn: str | None = None
    partnership_id: str | None = None
    local_authorities: list[LaCode] = Field(default_factory=list)
    organisation_id: str | None = Field(None, description="A contributor's organisation")
    starts_on: date
    ends_on: date | None = None

    def current(self, today: date) -> bool:
        return self.starts_on <= today and (self.ends_on is None or self.ends_on > today)

    def areas(self, today: date) -> set[str]:
        """The local authorities a county officer's role covers today (none for other roles)."""
        if self.role != StaffRole.COUNTY_OFFICER or not self.current(today):
            return set()
        return set(self.local_authorities)


def county_of(roles: Iterable[HeldRole], today: date) -> set[str]:
    """The local authorities a person covers today as a county officer, all roles together:
    their county (empty for one who is none)."""
    return set().union(*(r.areas(today) for r in roles))


class RoleAssigned(_PersonEvent, HeldRole):
    type: ClassVar[str] = "membership.role_assigned.v1"

    def held(self) -> HeldRole:
        return HeldRole.model_validate(self.model_dump(include=set(HeldRole.model_fields)))


class RoleEnded(_PersonEvent):
    type: ClassVar[str] = "membership.role_ended.v1"
    role_id: str
    ended_on: date


class PersonErased(_PersonEvent):
    """Every service must remove or anonymise this person, keeping aggregate counts (a
    tombstone on the people topic goes with it)."""

    type: ClassVar[str] = "membership.person_erased.v1"
    erased_at: datetime


class RelationshipParty(BaseModel):
    """A school (by URN) or an academy trust (by its DfE group UID, and its name)."""

    school_urn: str | None = Field(None, pattern=r"^\d{6,7}$")
    trust_uid: str | None = Field(None, pattern=r"^\d{1,8}$")
    trust_name: str | None = Field(None, min_length=2, max_length=200)


class _RelationshipEvent(_MembershipEvent):
    relationship_id: str

    def aggregate_id(self) -> str:
        return self.relationship_id


class SchoolRelationshipStarted(_RelationshipEvent):
    """A dated, typed relationship between two schools, or a school and an academy trust."""

    type: ClassVar[str] = "membership.school_relationship_started.v1"
    kind: RelationshipKind
    first: RelationshipParty = Field(description="The sponsor, the trust, the teaching school")
    second: RelationshipParty = Field(description="The school (or trust) it stands for")
    starts_on: date
    ends_on: date | None = None
    partnership_id: str | None = Field(None, description="The partnership it is part of")
    support: list[SupportArea] = Field(default_factory=list, description="What is given")


class SchoolRelationshipEnded(_RelationshipEvent):
    type: ClassVar[str] = "membership.school_relationship_ended.v1"
    ended_on: date


class _OrganisationEvent(_MembershipEvent):
    organisation_id: str

    def aggregate_id(self) -> str:
        return self.organisation_id


class OrganisationRegistered(_OrganisationEvent):
    """A body outside the schools (a university, a trainee provider, the council, a charity) as
    it now stands; sent again when its details change."""

    type: ClassVar[str] = "membership.organisation_registered.v1"
    name: str
    kind: OrganisationKind
    website: str | None = None
    la_code: str | None = None


class _BoardEvent(_MembershipEvent):
    board_id: str
    partnership_id: str

    def aggregate_id(self) -> str:
        return self.board_id


class BoardFormed(_BoardEvent):
    """A partnership formed a board or steering group (its name stays in membership)."""

    type: ClassVar[str] = "membership.board_formed.v1"
    kind: BoardKind


class BoardMemberAppointed(_BoardEvent):
    """A person was appointed to an office on a board, for a term (from `starts_on` up to, not
    including, `ends_on`; open-ended without one), representing a member school or a body."""

    type: ClassVar[str] = "membership.board_member_appointed.v1"
    member_id: str
    person_id: str
    office: BoardOffice
    represents_urn: str | None = Field(None, description="The member school they represent")
    represents_body: str | None = Field(
        None, description="The outside body they represent, by its name (an organisation's)"
    )
    starts_on: date
    ends_on: date | None = None


class BoardMemberStoodDown(_BoardEvent):
    """A member's term ends on `stood_down_on` (the first day they are no longer a member)."""

    type: ClassVar[str] = "membership.board_member_stood_down.v1"
    member_id: str
    person_id: str
    office: BoardOffice
    stood_down_on: date


class _BoardMeetingEvent(_MembershipEvent):
    meeting_id: str
    board_id: str
    partnership_id: str

    def aggregate_id(self) -> str:
        return self.meeting_id


class BoardMeetingScheduled(_BoardMeetingEvent):
    type: ClassVar[str] = "membership.board_meeting_scheduled.v1"
    starts_at: datetime
    agenda_items: int = Field(description="How many items its agenda has (their text stays)")


class BoardMeetingMinuted(_BoardMeetingEvent):
    """A meeting's minutes were recorded (revision 1) or corrected; counts only, their text
    stays in membership."""

    type: ClassVar[str] = "membership.board_meeting_minuted.v1"
    revision: int
    decisions: int
    actions: int


class BoardMinutesApproved(_BoardMeetingEvent):
    """The minutes (of this revision) were approved: they can no longer be corrected."""

    type: ClassVar[str] = "membership.board_minutes_approved.v1"
    revision: int
    approved_at: datetime


class _BoardActionEvent(_BoardMeetingEvent):
    action_id: str
    person_id: str = Field(description="Who owns the action: a member of the board")
    due_on: date


class BoardActionAssigned(_BoardActionEvent):
    """An action of a meeting's minutes as it now stands: sent again when a correction of the
    minutes changes its owner or due date."""

    type: ClassVar[str] = "membership.board_action_assigned.v1"


class BoardActionDone(_BoardActionEvent):
    type: ClassVar[str] = "membership.board_action_done.v1"
    done_on: date


class BoardActionWithdrawn(_BoardActionEvent):
    """A correction of the minutes took the action out."""

    type: ClassVar[str] = "membership.board_action_withdrawn.v1"


EVENTS: tuple[type[IntegrationEvent], ...] = (
    PartnershipCreated,
    PartnershipUpdated,
    CoordinatorAssigned,
    CoordinatorRemoved,
    SchoolInvited,
    SchoolJoined,
    MembershipSuspended,
    MembershipReinstated,
    SchoolLeft,
    SchoolRegistered,
    SchoolUpdated,
    SchoolExpertiseUpdated,
    PersonAddedV1,
    PersonUpdatedV1,
    PersonAdded,
    PersonUpdated,
    RoleAssigned,
    RoleEnded,
    PersonErased,
    SchoolRelationshipStarted,
    SchoolRelationshipEnded,
    OrganisationRegistered,
    BoardFormed,
    BoardMemberAppointed,
    BoardMemberStoodDown,
    BoardMeetingScheduled,
    BoardMeetingMinuted,
    BoardMinutesApproved,
    BoardActionAssigned,
    BoardActionDone,
    BoardActionWithdrawn,
)

MembershipChanged = (
    SchoolInvited | SchoolJoined | MembershipSuspended | MembershipReinstated | SchoolLeft
)

STATUS_AFTER: dict[type[IntegrationEvent], MembershipStatus] = {
    SchoolInvited: MembershipStatus.INVITED,
    SchoolJoined: MembershipStatus.ACTIVE,
    MembershipSuspended: MembershipStatus.SUSPENDED,
    MembershipReinstated: MembershipStatus.ACTIVE,
    SchoolLeft: MembershipStatus.LEFT,
}
"""The status a school's membership has after each of these events."""
