"""The five partnerships of the source stories (`seeds/` beside DESIGN.md), as plain data.

`devstack.demo` loads them through the membership API. What the stories name is used as named:
the partnerships, King's Ely, Ely College, Littleport and East Cambridgeshire Academy, New Hall
School, Messing Primary School, Kesgrave High School, Springfield Junior School, and the people
Celia Etchegoyen, Jonathan Lewis, Nigel Burgoyne and Michael Lynch. Where a story speaks of schools
or people without naming them ("almost a dozen other schools", "representative headteachers and
governors"), a few made-up ones of that kind stand in for them, marked `plausible=True`.

Illustrative, not facts: every URN (the 99xxxx range, not the schools' real DfE URNs), every
pupil number, every email address (on `.example` domains) and every date the stories do not give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from contracts.vocabulary import (
    ActivityCategory,
    MembershipRole,
    OrganisationKind,
    PartnershipKind,
    Phase,
    RelationshipKind,
    Sector,
    StaffRole,
    SupportArea,
)

CAMBRIDGESHIRE, KENT, ESSEX, SUFFOLK, LINCOLNSHIRE = "873", "886", "881", "935", "925"
LA_NAMES = {
    CAMBRIDGESHIRE: "Cambridgeshire",
    KENT: "Kent",
    ESSEX: "Essex",
    SUFFOLK: "Suffolk",
    LINCOLNSHIRE: "Lincolnshire",
}


@dataclass(frozen=True)
class ExpertiseSeed:
    subjects: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    categories: tuple[ActivityCategory, ...] = ()
    summary: str | None = None


@dataclass(frozen=True)
class SchoolSeed:
    urn: str
    name: str
    phase: Phase
    sector: Sector
    establishment_type: str
    """As GIAS names it: Academy converter, Free schools, Other independent school, ..."""
    la_code: str
    pupils: int | None = None
    expertise: ExpertiseSeed | None = None
    plausible: bool = False
    """Not named in the story: a made-up school of the kind the story describes."""

    @property
    def la_name(self) -> str:
        return LA_NAMES[self.la_code]


class Entry(StrEnum):
    """How a school came into the partnership."""

    JOINED = "joined"
    """Added straight in at the launch (the head agreed outside the platform)."""
    INVITED = "invited"
    """Invited by the coordinator (or the county), then accepted by the school's lead."""
    INVITATION_OPEN = "invitation_open"
    """Invited; the school has not answered yet."""


@dataclass(frozen=True)
class MembershipSeed:
    school: SchoolSeed
    role: MembershipRole
    on: date
    entry: Entry = Entry.INVITED


@dataclass(frozen=True)
class RelationshipSeed:
    """A relationship between two of the partnership's schools, from the first to the second."""

    kind: RelationshipKind
    first: SchoolSeed
    second: SchoolSeed
    starts_on: date
    support: tuple[SupportArea, ...] = ()


@dataclass(frozen=True)
class OrganisationSeed:
    """A body outside the schools: a university, the council, a national college."""

    name: str
    kind: OrganisationKind
    website: str | None = None
    la_code: str | None = None


@dataclass(frozen=True)
class RoleSeed:
    role: StaffRole
    at_school: SchoolSeed | None = None
    """The school the role is held at; None means at the partnership the person is listed under."""
    starts_on: date = date(2015, 9, 1)
    over: tuple[str, ...] = ()
    """A county officer's: the local authorities they cover (not a school or partnership)."""
    organisation: OrganisationSeed | None = None
    """A contributor's (or a county officer's) organisation."""


@dataclass(frozen=True)
class PersonSeed:
    name: str
    email: str
    job_title: str
    roles: tuple[RoleSeed, ...]
    plausible: bool = False
    """Not named in the story: a made-up person in a role the story describes."""


@dataclass(frozen=True)
class PartnershipSeed:
    name: str
    kind: PartnershipKind
    aims: tuple[ActivityCategory, ...]
    area: tuple[str, ...]
    memorandum: str
    story: str
    """Which story in seeds/ it comes from."""
    memberships: tuple[MembershipSeed, ...]
    people: tuple[PersonSeed, ...] = field(default=())
    relationships: tuple[RelationshipSeed, ...] = field(default=())

    @property
    def coordinators(self) -> tuple[PersonSeed, ...]:
        return tuple(
            person
            for person in self.people
            if any(r.role == StaffRole.COORDINATOR and r.at_school is None for r in person.roles)
        )


# --- Cambridgeshire Educational Partnership -------------------------------------------------

KINGS_ELY = SchoolSeed(
    "990101", "King's Ely", Phase.ALL_THROUGH, Sector.INDEPENDENT,
    "Other independent school", CAMBRIDGESHIRE, pupils=1000,
)  # fmt: skip
ELY_COLLEGE = SchoolSeed(
    "990102", "Ely College", Phase.SECONDARY, Sector.STATE,
    "Academy converter", CAMBRIDGESHIRE, pupils=1500,
)  # fmt: skip
LITTLEPORT = SchoolSeed(
    "990103", "Littleport and East Cambridgeshire Academy", Phase.SECONDARY, Sector.STATE,
    "Free schools", CAMBRIDGESHIRE, pupils=600,
)  # fmt: skip
FENSIDE = SchoolSeed(
    "990104", "Fenside Primary School", Phase.PRIMARY, Sector.STATE,
    "Community school", CAMBRIDGESHIRE, pupils=210, plausible=True,
)  # fmt: skip
OUSE_MEADOWS = SchoolSeed(
    "990105", "Ouse Meadows Preparatory School", Phase.PRIMARY, Sector.INDEPENDENT,
    "Other independent school", CAMBRIDGESHIRE, pupils=180, plausible=True,
)  # fmt: skip
SOHAM_LODE = SchoolSeed(
    "990106", "Soham Lode Primary Academy", Phase.PRIMARY, Sector.STATE,
    "Academy converter", CAMBRIDGESHIRE, pupils=420, plausible=True,
)  # fmt: skip
STUNTNEY_CAUSEWAY = SchoolSeed(
    "990107", "Stuntney Causeway Church of England Primary School", Phase.PRIMARY, Sector.STATE,
    "Voluntary controlled school", CAMBRIDGESHIRE, pupils=120, plausible=True,
)  # fmt: skip

CAMBRIDGESHIRE_JOINERS = tuple(
    SchoolSeed(urn, name, phase, sector, kind, CAMBRIDGESHIRE, pupils=pupils, plausible=True)
    for urn, name, phase, sector, kind, pupils in (
        ("990108", "Prickwillow Primary School", Phase.PRIMARY, Sector.STATE,
         "Community school", 90),
        ("990109", "Witchford Village College", Phase.SECONDARY, Sector.STATE,
         "Academy converter", 800),
        ("990110", "St Etheldreda's Preparatory School", Phase.PRIMARY, Sector.INDEPENDENT,
         "Other independent school", 160),
        ("990111", "Sutton-in-the-Isle Primary Academy", Phase.PRIMARY, Sector.STATE,
         "Academy converter", 300),
        ("990112", "Haddenham Fen Edge Primary School", Phase.PRIMARY, Sector.STATE,
         "Community school", 240),
        ("990113", "Burwell Lode Primary School", Phase.PRIMARY, Sector.STATE,
         "Foundation school", 330),
        ("990114", "Isle of Ely Grammar School", Phase.SECONDARY, Sector.INDEPENDENT,
         "Other independent school", 420),
        ("990115", "Chatteris Fenland Academy", Phase.SECONDARY, Sector.STATE,
         "Academy sponsor led", 700),
    )
)  # fmt: skip
"""With Fenside, Ouse Meadows, Soham Lode and Stuntney Causeway: the dozen who joined."""
CAMBRIDGESHIRE_COUNCIL = OrganisationSeed(
    "Cambridgeshire County Council",
    OrganisationKind.COUNCIL,
    "https://www.cambridgeshire.gov.uk/",
    CAMBRIDGESHIRE,
)

CAMBRIDGESHIRE_LAUNCH = date(2017, 10, 5)
CAMBRIDGESHIRE_PARTNERSHIP = PartnershipSeed(
    name="Cambridgeshire Educational Partnership",
    kind=PartnershipKind.FORMAL_PARTNERSHIP,
    aims=(
        ActivityCategory.TEACHER_DEVELOPMENT,
        ActivityCategory.ACADEMIC,
        ActivityCategory.CAREERS,
        ActivityCategory.STEM,
        ActivityCategory.LANGUAGES,
        ActivityCategory.MUSIC_AND_ARTS,
        ActivityCategory.SPORT,
    ),
    area=(CAMBRIDGESHIRE,),
    memorandum=(
        "State and independent schools of Cambridgeshire working together to: create "
        "opportunities for collaboration and dissemination of good practice within the teaching "
        "community; develop, support and retain the best teachers; raise the aspirations and "
        "accelerate the progress of young people; give students access to activities including "
        "STEM, modern foreign languages, arts and sport."
    ),
    story="000_9164d396df2d6b87.txt",
    memberships=(
        MembershipSeed(KINGS_ELY, MembershipRole.FOUNDER, CAMBRIDGESHIRE_LAUNCH, Entry.JOINED),
        MembershipSeed(ELY_COLLEGE, MembershipRole.FOUNDER, CAMBRIDGESHIRE_LAUNCH, Entry.JOINED),
        MembershipSeed(LITTLEPORT, MembershipRole.FOUNDER, CAMBRIDGESHIRE_LAUNCH, Entry.JOINED),
        MembershipSeed(FENSIDE, MembershipRole.MEMBER, date(2018, 1, 15)),
        MembershipSeed(OUSE_MEADOWS, MembershipRole.MEMBER, date(2018, 1, 15)),
        MembershipSeed(SOHAM_LODE, MembershipRole.MEMBER, date(2018, 2, 1)),
        MembershipSeed(
            STUNTNEY_CAUSEWAY, MembershipRole.MEMBER, date(2018, 3, 1), Entry.INVITATION_OPEN
        ),
        *(
            MembershipSeed(school, MembershipRole.MEMBER, date(2018, 4, 16))
            for school in CAMBRIDGESHIRE_JOINERS
        ),
    ),
    people=(
        PersonSeed(
            "Celia Etchegoyen",
            "celia.etchegoyen@kingsely.example",
            "Director of Outreach, King's Ely",
            roles=(
                RoleSeed(StaffRole.COORDINATOR, starts_on=CAMBRIDGESHIRE_LAUNCH),
                RoleSeed(StaffRole.SENIOR_LEADER, at_school=KINGS_ELY),
            ),
        ),
        PersonSeed(
            "Jonathan Lewis",
            "jonathan.lewis@cambridgeshire.example",
            "Service Director for Education, Cambridgeshire County Council",
            roles=(
                RoleSeed(
                    StaffRole.COUNTY_OFFICER,
                    starts_on=CAMBRIDGESHIRE_LAUNCH,
                    over=(CAMBRIDGESHIRE,),
                    organisation=CAMBRIDGESHIRE_COUNCIL,
                ),
            ),
        ),
    ),
)

# --- East Kent Schools Together -------------------------------------------------------------

STOUR_VALLEY = SchoolSeed(
    "990201", "Stour Valley College", Phase.ALL_THROUGH, Sector.INDEPENDENT,
    "Other independent school", KENT, pupils=750, plausible=True,
)  # fmt: skip
THANET_BAY = SchoolSeed(
    "990202", "Thanet Bay Academy", Phase.SECONDARY, Sector.STATE,
    "Academy sponsor led", KENT, pupils=1100, plausible=True,
)  # fmt: skip
WANTSUM = SchoolSeed(
    "990203", "Wantsum Primary School", Phase.PRIMARY, Sector.STATE,
    "Community school", KENT, pupils=400, plausible=True,
)  # fmt: skip
CANTERBURY_DOWNS = SchoolSeed(
    "990204", "Canterbury Downs Grammar School", Phase.SECONDARY, Sector.STATE,
    "Academy converter", KENT, pupils=950, plausible=True,
)  # fmt: skip
ROMNEY_MARSH = SchoolSeed(
    "990205", "Romney Marsh Junior School", Phase.PRIMARY, Sector.STATE,
    "Foundation school", KENT, pupils=240, plausible=True,
)  # fmt: skip

EAST_KENT_START = date(2016, 9, 1)
EAST_KENT_PARTNERSHIP = PartnershipSeed(
    name="East Kent Schools Together",
    kind=PartnershipKind.CLUSTER,
    aims=(
        ActivityCategory.TEACHER_DEVELOPMENT,
        ActivityCategory.ACADEMIC,
        ActivityCategory.LEADERSHIP,
        ActivityCategory.COMMUNITY,
        ActivityCategory.SPORT,
        ActivityCategory.MUSIC_AND_ARTS,
        ActivityCategory.MENTAL_HEALTH,
    ),
    area=(KENT,),
    memorandum=(
        "Two aims. Raising aspirations: enrich teaching and learning by forging strong "
        "relationships and sharing professional practice (TeachMeets, cluster group meetings, "
        "two-way placement swaps for trainee teachers, shared professional development). "
        "Widening horizons: bring children together for cultural, sporting, academic and "
        "volunteering experiences so they become confident, resilient learners."
    ),
    story="001_d4b0a397bbda00b3.txt",
    memberships=(
        MembershipSeed(STOUR_VALLEY, MembershipRole.LEAD, EAST_KENT_START, Entry.JOINED),
        MembershipSeed(THANET_BAY, MembershipRole.FOUNDER, EAST_KENT_START, Entry.JOINED),
        MembershipSeed(WANTSUM, MembershipRole.MEMBER, date(2016, 10, 3)),
        MembershipSeed(CANTERBURY_DOWNS, MembershipRole.MEMBER, date(2016, 10, 3)),
        MembershipSeed(ROMNEY_MARSH, MembershipRole.MEMBER, date(2017, 1, 9)),
    ),
    people=(
        PersonSeed(
            # The story's author chairs the partnership but does not give a name.
            "Claire Ashby",
            "claire.ashby@stourvalley.example",
            "Head, Stour Valley College; Chair of East Kent Schools Together",
            roles=(
                RoleSeed(StaffRole.COORDINATOR, starts_on=EAST_KENT_START),
                RoleSeed(StaffRole.HEAD, at_school=STOUR_VALLEY),
            ),
            plausible=True,
        ),
    ),
)

# --- An ISC partnership: New Hall School sponsors Messing Primary School --------------------

NEW_HALL = SchoolSeed(
    "990301", "New Hall School", Phase.ALL_THROUGH, Sector.INDEPENDENT,
    "Other independent school", ESSEX, pupils=1200,
    expertise=ExpertiseSeed(
        subjects=("leadership and management", "school improvement"),
        phases=(Phase.PRIMARY,),
        categories=(ActivityCategory.SCHOOL_IMPROVEMENT, ActivityCategory.LEADERSHIP,
                    ActivityCategory.GOVERNANCE),
        summary="The first independent school to sponsor a primary school, through its own "
        "academy trust.",
    ),
)  # fmt: skip
MESSING_PRIMARY = SchoolSeed(
    "990302", "Messing Primary School", Phase.PRIMARY, Sector.STATE,
    "Academy sponsor led", ESSEX, pupils=100,
)  # fmt: skip

NEW_HALL_SPONSORSHIP = date(2013, 9, 1)
NEW_HALL_MESSING_PARTNERSHIP = PartnershipSeed(
    name="New Hall School and Messing Primary School",
    kind=PartnershipKind.FORMAL_PARTNERSHIP,
    aims=(
        ActivityCategory.SCHOOL_IMPROVEMENT,
        ActivityCategory.LEADERSHIP,
        ActivityCategory.GOVERNANCE,
        ActivityCategory.TEACHER_DEVELOPMENT,
    ),
    area=(ESSEX,),
    memorandum=(
        "One of the Independent Schools Council's partnerships between the independent and state "
        "sectors: New Hall School set up an academy trust to sponsor Messing Primary School, then "
        "in special measures, and supports its leadership, teaching and governance."
    ),
    story="002_b397ab33c70f15e1.txt",
    memberships=(
        MembershipSeed(NEW_HALL, MembershipRole.LEAD, NEW_HALL_SPONSORSHIP, Entry.JOINED),
        MembershipSeed(MESSING_PRIMARY, MembershipRole.MEMBER, NEW_HALL_SPONSORSHIP),
    ),
    relationships=(
        RelationshipSeed(
            RelationshipKind.SPONSORSHIP,
            NEW_HALL,
            MESSING_PRIMARY,
            NEW_HALL_SPONSORSHIP,
            support=(SupportArea.ACADEMIC, SupportArea.SPORT, SupportArea.MUSIC),
        ),
    ),
)

# --- Suffolk's School to School Support Partnership -----------------------------------------

KESGRAVE = SchoolSeed(
    "990401", "Kesgrave High School", Phase.SECONDARY, Sector.STATE,
    "Academy converter", SUFFOLK, pupils=1900,
    expertise=ExpertiseSeed(
        subjects=("initial teacher training", "maths", "science"),
        phases=(Phase.SECONDARY,),
        categories=(ActivityCategory.TEACHER_DEVELOPMENT, ActivityCategory.STEM,
                    ActivityCategory.SCHOOL_IMPROVEMENT),
        summary="A Suffolk teaching school: initial teacher training, development for staff and "
        "leaders, research and development.",
    ),
)  # fmt: skip
SPRINGFIELD_JUNIOR = SchoolSeed(
    "990402", "Springfield Junior School", Phase.PRIMARY, Sector.STATE,
    "Community school", SUFFOLK, pupils=360,
)  # fmt: skip
DEBEN_VALLEY = SchoolSeed(
    "990403", "Deben Valley High School", Phase.SECONDARY, Sector.STATE,
    "Academy converter", SUFFOLK, pupils=1300, plausible=True,
)  # fmt: skip
GIPPING_VALE = SchoolSeed(
    "990404", "Gipping Vale Primary School", Phase.PRIMARY, Sector.STATE,
    "Academy converter", SUFFOLK, pupils=420, plausible=True,
)  # fmt: skip
BRETT_MEADOW = SchoolSeed(
    "990405", "Brett Meadow Primary School", Phase.PRIMARY, Sector.STATE,
    "Voluntary aided school", SUFFOLK, pupils=150, plausible=True,
)  # fmt: skip

LARK_VALLEY = SchoolSeed(
    "990406", "Lark Valley Academy", Phase.SECONDARY, Sector.STATE,
    "Academy converter", SUFFOLK, pupils=1400, plausible=True,
)  # fmt: skip
WAVENEY_HEATH = SchoolSeed(
    "990407", "Waveney Heath Primary School", Phase.PRIMARY, Sector.STATE,
    "Academy converter", SUFFOLK, pupils=450, plausible=True,
)  # fmt: skip
STOUR_ESTUARY = SchoolSeed(
    "990408", "Stour Estuary Church of England Primary School", Phase.PRIMARY, Sector.STATE,
    "Voluntary aided school", SUFFOLK, pupils=210, plausible=True,
)  # fmt: skip
SUFFOLK_TEACHING_SCHOOLS = (KESGRAVE, DEBEN_VALLEY, GIPPING_VALE, LARK_VALLEY, WAVENEY_HEATH,
                            STOUR_ESTUARY)  # fmt: skip
"""The six teaching schools at the centre of the partnership."""

SUFFOLK_PLACES = (
    "Woodbridge", "Framlingham", "Halesworth", "Beccles", "Bungay", "Leiston", "Saxmundham",
    "Aldeburgh", "Southwold", "Eye", "Stowmarket", "Needham Market", "Hadleigh", "Sudbury",
    "Lavenham", "Long Melford", "Clare", "Haverhill", "Newmarket", "Mildenhall", "Brandon",
    "Ixworth", "Thurston", "Debenham", "Wickham Market", "Felixstowe", "Trimley", "Martlesham",
    "Rushmere", "Claydon", "Bramford", "Capel St Mary", "Holbrook", "Shotley", "Nayland",
    "Glemsford", "Cavendish", "Kedington", "Elmswell", "Botesdale", "Stradbroke", "Fressingfield",
    "Wrentham", "Kessingland", "Carlton Colville", "Oulton Broad", "Reydon", "Yoxford",
)  # fmt: skip
SUFFOLK_CASE_STUDY_SCHOOLS = tuple(
    SchoolSeed(
        f"9906{n:02d}",
        f"{place} {'High School' if n % 5 == 0 else 'Primary School'}",
        Phase.SECONDARY if n % 5 == 0 else Phase.PRIMARY,
        Sector.STATE,
        "Academy converter" if n % 3 else "Community school",
        SUFFOLK,
        pupils=900 if n % 5 == 0 else 120 + 15 * n,
        plausible=True,
    )
    for n, place in enumerate(SUFFOLK_PLACES)
)
"""Made-up schools (named after Suffolk towns and villages, not real schools) whose case studies,
with the members above, make the library of more than 50 schools."""

SUFFOLK_LAUNCH = date(2015, 12, 15)
SUFFOLK_PARTNERSHIP = PartnershipSeed(
    name="School to School Support Partnership",
    kind=PartnershipKind.HUB,
    aims=(
        ActivityCategory.SCHOOL_IMPROVEMENT,
        ActivityCategory.TEACHER_DEVELOPMENT,
        ActivityCategory.LEADERSHIP,
        ActivityCategory.ACADEMIC,
    ),
    area=(SUFFOLK,),
    memorandum=(
        "Suffolk's teaching schools and strong partnerships of schools promote school-led "
        "self-improvement, supported by Suffolk County Council: school leaders get support from "
        "schools with expertise in raising standards, and case studies of impact are "
        "quality-assured by the council's education officers."
    ),
    story="003_190e5f0fd1dd36bb.txt",
    memberships=(
        MembershipSeed(KESGRAVE, MembershipRole.TEACHING_SCHOOL, SUFFOLK_LAUNCH, Entry.JOINED),
        MembershipSeed(DEBEN_VALLEY, MembershipRole.TEACHING_SCHOOL, SUFFOLK_LAUNCH, Entry.JOINED),
        MembershipSeed(GIPPING_VALE, MembershipRole.TEACHING_SCHOOL, SUFFOLK_LAUNCH, Entry.JOINED),
        MembershipSeed(LARK_VALLEY, MembershipRole.TEACHING_SCHOOL, SUFFOLK_LAUNCH, Entry.JOINED),
        MembershipSeed(WAVENEY_HEATH, MembershipRole.TEACHING_SCHOOL, SUFFOLK_LAUNCH, Entry.JOINED),
        MembershipSeed(STOUR_ESTUARY, MembershipRole.TEACHING_SCHOOL, SUFFOLK_LAUNCH, Entry.JOINED),
        MembershipSeed(SPRINGFIELD_JUNIOR, MembershipRole.MEMBER, SUFFOLK_LAUNCH),
        MembershipSeed(BRETT_MEADOW, MembershipRole.MEMBER, date(2016, 1, 11)),
        *(
            MembershipSeed(school, MembershipRole.MEMBER, date(2016, 2, 1), Entry.JOINED)
            for school in SUFFOLK_CASE_STUDY_SCHOOLS
        ),
    ),
    people=(
        PersonSeed(
            "Helen Turner",
            "helen.turner@suffolk-council.example",
            "Coordinator, School to School Support Partnership",
            roles=(RoleSeed(StaffRole.COORDINATOR, starts_on=SUFFOLK_LAUNCH),),
            plausible=True,
        ),
        PersonSeed(
            "Nigel Burgoyne",
            "nigel.burgoyne@kesgrave.example",
            "Head Teacher, Kesgrave High School",
            roles=(RoleSeed(StaffRole.HEAD, at_school=KESGRAVE),),
        ),
        PersonSeed(
            "Michael Lynch",
            "michael.lynch@springfield-ipswich.example",
            "Head Teacher, Springfield Junior School, Ipswich",
            roles=(RoleSeed(StaffRole.HEAD, at_school=SPRINGFIELD_JUNIOR),),
        ),
    ),
)

# --- Lincolnshire Learning Partnership Board ------------------------------------------------

WITHAM_VALLEY = SchoolSeed(
    "990501", "Witham Valley Academy", Phase.SECONDARY, Sector.STATE,
    "Academy converter", LINCOLNSHIRE, pupils=1200, plausible=True,
)  # fmt: skip
WOLDS_EDGE = SchoolSeed(
    "990502", "Wolds Edge Primary School", Phase.PRIMARY, Sector.STATE,
    "Community school", LINCOLNSHIRE, pupils=300, plausible=True,
)  # fmt: skip
HOLLAND_FEN = SchoolSeed(
    "990503", "Holland Fen Church of England Primary School", Phase.PRIMARY, Sector.STATE,
    "Voluntary controlled school", LINCOLNSHIRE, pupils=90, plausible=True,
)  # fmt: skip
LINDSEY_HEATH = SchoolSeed(
    "990504", "Lindsey Heath School", Phase.NOT_APPLICABLE, Sector.STATE,
    "Community special school", LINCOLNSHIRE, pupils=110, plausible=True,
)  # fmt: skip

LINCOLNSHIRE_COUNCIL = OrganisationSeed(
    "Lincolnshire County Council",
    OrganisationKind.COUNCIL,
    "https://www.lincolnshire.gov.uk/",
    LINCOLNSHIRE,
)
UNIVERSITY_OF_MANCHESTER = OrganisationSeed(
    "University of Manchester", OrganisationKind.UNIVERSITY, "https://www.manchester.ac.uk/"
)
LEWISHAM = OrganisationSeed("London Borough of Lewisham", OrganisationKind.COUNCIL)
VIRTUAL_STAFF_COLLEGE = OrganisationSeed(
    "Virtual Staff College", OrganisationKind.PROFESSIONAL_BODY
)

LINCOLNSHIRE_LAUNCH = date(2016, 4, 22)
LINCOLNSHIRE_BOARD = PartnershipSeed(
    name="Lincolnshire Learning Partnership Board",
    kind=PartnershipKind.BOARD,
    aims=(
        ActivityCategory.SCHOOL_IMPROVEMENT,
        ActivityCategory.LEADERSHIP,
        ActivityCategory.GOVERNANCE,
        ActivityCategory.TEACHER_DEVELOPMENT,
    ),
    area=(LINCOLNSHIRE,),
    memorandum=(
        "A sector-led approach to school improvement in Lincolnshire: representative headteachers "
        "and governors strengthen relationships between headteachers, governors and other "
        "stakeholders so that schools drive their own improvement and support each other."
    ),
    story="004_8e8ffb62288286a0.txt",
    memberships=(
        MembershipSeed(WITHAM_VALLEY, MembershipRole.FOUNDER, LINCOLNSHIRE_LAUNCH, Entry.JOINED),
        MembershipSeed(WOLDS_EDGE, MembershipRole.FOUNDER, LINCOLNSHIRE_LAUNCH, Entry.JOINED),
        MembershipSeed(HOLLAND_FEN, MembershipRole.MEMBER, date(2016, 6, 6)),
        MembershipSeed(LINDSEY_HEATH, MembershipRole.MEMBER, date(2016, 6, 6)),
    ),
    people=(
        PersonSeed(
            "Sarah Whitfield",
            "sarah.whitfield@lincolnshire-learning.example",
            "Partnership Manager, Lincolnshire Learning Partnership",
            roles=(RoleSeed(StaffRole.COORDINATOR, starts_on=LINCOLNSHIRE_LAUNCH),),
            plausible=True,
        ),
        PersonSeed(
            "Rachel Holt",
            "rachel.holt@withamvalley.example",
            "Headteacher, Witham Valley Academy; board member",
            roles=(
                RoleSeed(StaffRole.HEAD, at_school=WITHAM_VALLEY),
                RoleSeed(StaffRole.GOVERNOR, starts_on=LINCOLNSHIRE_LAUNCH),
            ),
            plausible=True,
        ),
        PersonSeed(
            "David Ingram",
            "david.ingram@woldsedge.example",
            "Chair of Governors, Wolds Edge Primary School; board member",
            roles=(
                RoleSeed(StaffRole.GOVERNOR, at_school=WOLDS_EDGE),
                RoleSeed(StaffRole.GOVERNOR, starts_on=LINCOLNSHIRE_LAUNCH),
            ),
            plausible=True,
        ),
        PersonSeed(
            "Mark Bennett",
            "mark.bennett@woldsedge.example",
            "Headteacher, Wolds Edge Primary School",
            roles=(RoleSeed(StaffRole.HEAD, at_school=WOLDS_EDGE),),
            plausible=True,
        ),
        PersonSeed(
            "Amanda Clarke",
            "amanda.clarke@hollandfen.example",
            "Headteacher, Holland Fen Church of England Primary School; board member",
            roles=(RoleSeed(StaffRole.HEAD, at_school=HOLLAND_FEN),),
            plausible=True,
        ),
        PersonSeed(
            "Patricia Bradwell",
            "patricia.bradwell@lincolnshire-council.example",
            "Councillor responsible for Children's Services, Lincolnshire County Council",
            roles=(
                RoleSeed(
                    StaffRole.CONTRIBUTOR,
                    starts_on=LINCOLNSHIRE_LAUNCH,
                    organisation=LINCOLNSHIRE_COUNCIL,
                ),
            ),
        ),
        # the launch conference's guest speakers
        PersonSeed(
            "Mel Ainscow",
            "mel.ainscow@manchester.example",
            "Professor of Education, University of Manchester",
            roles=(
                RoleSeed(
                    StaffRole.CONTRIBUTOR,
                    starts_on=date(2016, 3, 1),
                    organisation=UNIVERSITY_OF_MANCHESTER,
                ),
            ),
        ),
        PersonSeed(
            "Frankie Sulke CBE",
            "frankie.sulke@lewisham.example",
            "Former Director of Children's Services, Lewisham",
            roles=(
                RoleSeed(StaffRole.CONTRIBUTOR, starts_on=date(2016, 3, 1), organisation=LEWISHAM),
            ),
        ),
        PersonSeed(
            "Anton Florek",
            "anton.florek@virtualstaffcollege.example",
            "Chief Executive, Virtual Staff College",
            roles=(
                RoleSeed(
                    StaffRole.CONTRIBUTOR,
                    starts_on=date(2016, 3, 1),
                    organisation=VIRTUAL_STAFF_COLLEGE,
                ),
            ),
        ),
    ),
)

PARTNERSHIPS: tuple[PartnershipSeed, ...] = (
    CAMBRIDGESHIRE_PARTNERSHIP,
    EAST_KENT_PARTNERSHIP,
    NEW_HALL_MESSING_PARTNERSHIP,
    SUFFOLK_PARTNERSHIP,
    LINCOLNSHIRE_BOARD,
)
