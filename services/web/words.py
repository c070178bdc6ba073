"""The words a page shows for the platform's codes."""

from contracts.vocabulary import (
    ActivityCategory,
    ActivityFormat,
    MembershipRole,
    PartnershipKind,
    PartnershipStatus,
    Phase,
    Sector,
)

CATEGORIES: dict[str, str] = {
    ActivityCategory.ACADEMIC: "Academic",
    ActivityCategory.STEM: "STEM",
    ActivityCategory.CAREERS: "Careers and higher education",
    ActivityCategory.LANGUAGES: "Languages",
    ActivityCategory.SEND: "SEND",
    ActivityCategory.MUSIC_AND_ARTS: "Music and arts",
    ActivityCategory.SPORT: "Sport",
    ActivityCategory.COMMUNITY: "Community and volunteering",
    ActivityCategory.TEACHER_DEVELOPMENT: "Teacher development",
    ActivityCategory.LEADERSHIP: "Leadership",
    ActivityCategory.GOVERNANCE: "Governance",
    ActivityCategory.DISADVANTAGE: "Disadvantage",
    ActivityCategory.MENTAL_HEALTH: "Mental health",
    ActivityCategory.SCHOOL_IMPROVEMENT: "School improvement",
}

FORMATS: dict[str, str] = {
    ActivityFormat.TEACHMEET: "TeachMeet",
    ActivityFormat.CLUSTER_MEETING: "Cluster meeting",
    ActivityFormat.CPD_COURSE: "CPD course",
    ActivityFormat.PUPIL_ACTIVITY: "Pupil activity",
    ActivityFormat.PLACEMENT_SWAP: "Trainee placement swap",
    ActivityFormat.CONFERENCE: "Conference",
    ActivityFormat.PEER_REVIEW: "Peer review",
    ActivityFormat.BOARD_MEETING: "Board meeting",
}
"""The kinds of activity, as every page names them."""

PHASES: dict[str, str] = {
    Phase.NURSERY: "Nursery",
    Phase.PRIMARY: "Primary",
    Phase.MIDDLE: "Middle",
    Phase.SECONDARY: "Secondary",
    Phase.ALL_THROUGH: "All-through",
    Phase.SIXTEEN_PLUS: "16 plus",
    Phase.NOT_APPLICABLE: "Not applicable",
}

SECTORS: dict[str, str] = {Sector.STATE: "State", Sector.INDEPENDENT: "Independent"}

PARTNERSHIP_KINDS: dict[str, str] = {
    PartnershipKind.FORMAL_PARTNERSHIP: "Formal partnership",
    PartnershipKind.CLUSTER: "Cluster",
    PartnershipKind.BOARD: "Board",
    PartnershipKind.HUB: "Hub",
}

PARTNERSHIP_STATUSES: dict[str, str] = {
    PartnershipStatus.FORMING: "Forming",
    PartnershipStatus.ACTIVE: "Active",
    PartnershipStatus.PAUSED: "Paused",
    PartnershipStatus.CLOSED: "Closed",
}

MEMBERSHIP_ROLES: dict[str, str] = {
    MembershipRole.FOUNDER: "Founder",
    MembershipRole.LEAD: "Lead school",
    MembershipRole.MEMBER: "Member",
    MembershipRole.TEACHING_SCHOOL: "Teaching school",
    MembershipRole.HIGHER_EDUCATION_PARTNER: "Higher education partner",
}


def word(words: dict[str, str], code: str | None) -> str:
    """The word for a code; a code we have no word for yet, readable as it is."""
    if code is None:
        return ""
    return words.get(code) or code.replace("_", " ").capitalize()
