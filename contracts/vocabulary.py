"""Words the partnerships use, shared by every event that carries them."""

from enum import StrEnum
from typing import Annotated

from pydantic import Field

URN_PATTERN = r"^\d{6,7}$"
Urn = Annotated[str, Field(pattern=URN_PATTERN, description="DfE Unique Reference Number")]
"""A school, by the Department for Education's Unique Reference Number."""
LaCode = Annotated[str, Field(pattern=r"^\d{3}$", description="DfE local authority code")]
"""A local authority (a county council, a unitary or a London borough), by its DfE code."""


class ActivityCategory(StrEnum):
    """The Independent Schools Council's categories of partnership work."""

    ACADEMIC = "academic"
    STEM = "stem"
    CAREERS = "careers_and_higher_education"
    LANGUAGES = "languages"
    SEND = "send"
    MUSIC_AND_ARTS = "music_and_arts"
    SPORT = "sport"
    COMMUNITY = "community_and_volunteering"
    TEACHER_DEVELOPMENT = "teacher_development"
    LEADERSHIP = "leadership"
    GOVERNANCE = "governance"
    DISADVANTAGE = "disadvantage"
    MENTAL_HEALTH = "mental_health"
    SCHOOL_IMPROVEMENT = "school_improvement"


class PartnershipKind(StrEnum):
    FORMAL_PARTNERSHIP = "formal_partnership"
    CLUSTER = "cluster"
    BOARD = "board"
    HUB = "hub"


class PartnershipStatus(StrEnum):
    FORMING = "forming"
    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class Sector(StrEnum):
    STATE = "state"
    INDEPENDENT = "independent"


class Phase(StrEnum):
    NURSERY = "nursery"
    PRIMARY = "primary"
    MIDDLE = "middle"
    SECONDARY = "secondary"
    ALL_THROUGH = "all_through"
    SIXTEEN_PLUS = "16_plus"
    NOT_APPLICABLE = "not_applicable"


class MembershipRole(StrEnum):
    FOUNDER = "founder"
    LEAD = "lead"
    MEMBER = "member"
    TEACHING_SCHOOL = "teaching_school"
    HIGHER_EDUCATION_PARTNER = "higher_education_partner"


class MembershipStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    LAPSED = "lapsed"
    LEFT = "left"


class RelationshipKind(StrEnum):
    """How two schools (or a school and an academy trust) stand to each other, from the first
    party to the second."""

    SPONSORSHIP = "sponsorship"  # a school sponsors a school or a trust
    ACADEMY_TRUST_MEMBERSHIP = "academy_trust_membership"  # a trust has a school
    TEACHING_SCHOOL_ALLIANCE = "teaching_school_alliance"  # a teaching school leads a school


class SupportArea(StrEnum):
    """What one school gives another through a relationship."""

    ACADEMIC = "academic"
    SPORT = "sport"
    MUSIC = "music"
    ARTS = "arts"
    LEADERSHIP = "leadership"
    GOVERNANCE = "governance"
    TEACHER_TRAINING = "teacher_training"
    FACILITIES = "facilities"


class BoardKind(StrEnum):
    """A partnership's governing group."""

    BOARD = "board"
    STEERING_GROUP = "steering_group"


class BoardOffice(StrEnum):
    """What a member is on a board: one chair and one vice chair at a time."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"


class StaffRole(StrEnum):
    COORDINATOR = "coordinator"
    HEAD = "head"
    SENIOR_LEADER = "senior_leader"
    GOVERNOR = "governor"
    TEACHER = "teacher"
    TRAINEE = "trainee"
    CPD_APPROVER = "cpd_approver"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    COUNTY_OFFICER = "county_officer"
    """Council staff, over the local authorities they cover (not at a school or partnership)."""
    CONTRIBUTOR = "contributor"
    """Someone outside the member schools (a university, a trainee provider, a charity, the
    council) who speaks, facilitates or hosts for a partnership: held at the partnership, for
    their organisation."""


class OrganisationKind(StrEnum):
    """Bodies outside the schools that take part in partnerships."""

    UNIVERSITY = "university"
    TRAINEE_PROVIDER = "trainee_provider"
    COUNCIL = "council"
    CHARITY = "charity"
    PROFESSIONAL_BODY = "professional_body"
    BUSINESS = "business"
    OTHER = "other"


class ContributorRole(StrEnum):
    """What someone outside (or inside) the member schools does at an activity, besides
    attending it."""

    SPEAKER = "speaker"
    FACILITATOR = "facilitator"
    HOST = "host"


class ActivityFormat(StrEnum):
    TEACHMEET = "teachmeet"
    CLUSTER_MEETING = "cluster_meeting"
    CPD_COURSE = "cpd_course"
    PUPIL_ACTIVITY = "pupil_activity"
    PLACEMENT_SWAP = "trainee_placement_swap"
    CONFERENCE = "conference"
    PEER_REVIEW = "peer_review"
    BOARD_MEETING = "board_meeting"


class ActivityStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class BookingStatus(StrEnum):
    """After CiviCRM's participant statuses; `counted` says which hold a place."""

    AWAITING_APPROVAL = "awaiting_approval"
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"

    @property
    def counted(self) -> bool:
        return self in COUNTED_STATUSES


COUNTED_STATUSES = frozenset(
    {
        BookingStatus.AWAITING_APPROVAL,
        BookingStatus.REGISTERED,
        BookingStatus.OFFERED,
        BookingStatus.ATTENDED,
        BookingStatus.NO_SHOW,
    }
)
