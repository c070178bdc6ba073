"""The rest of each seed story, as plain data for `devstack.demo_stories`.

- Cambridgeshire: the pupils' programme the partnership aims at (STEM, languages, arts, sport)
  and a teacher-development session, with pupil places booked by member schools;
- Lincolnshire: the launch conference "Towards Equity and Excellence for All" at the Epic Centre,
  Lincolnshire Showground, on Friday 22 April 2016, with its three guest speakers, and a peer
  review of Holland Fen by the heads of Witham Valley and Wolds Edge, and the board with its chair
  and vice chair, whose first meeting has minutes, decisions and actions;
- East Kent: two paired placement swaps (who hosts whom, both ways), a sponsored walk that
  raised money for a named charity, and the first issue of the pupils' magazine;
- Suffolk: the case-study library, one case study from each of more than 50 member schools,
  written by the school, quality-assured by the council's officer and published.

What the stories do not say (activities' titles, venues and dates but the conference's; pupil
numbers; amounts; the case studies' words) is illustrative, as in `devstack.demo_data`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from contracts.vocabulary import ActivityCategory, ActivityFormat, ContributorRole, Phase
from devstack.demo_data import (
    CANTERBURY_DOWNS,
    ELY_COLLEGE,
    FENSIDE,
    HOLLAND_FEN,
    KINGS_ELY,
    LINCOLNSHIRE_BOARD,
    LITTLEPORT,
    OUSE_MEADOWS,
    ROMNEY_MARSH,
    SOHAM_LODE,
    STOUR_VALLEY,
    SUFFOLK_PARTNERSHIP,
    THANET_BAY,
    WANTSUM,
    WITHAM_VALLEY,
    WOLDS_EDGE,
    PersonSeed,
    SchoolSeed,
)
from devstack.demo_programme_data import (
    HANNAH_OKAFOR,
    JACK_DOYLE,
    LIAM_PRICE,
    PRIYA_SHAH,
    SAM_KAUR,
    TOM_HALE,
    ActivitySeed,
    SessionSeed,
)

# --- Cambridgeshire: the pupils' programme and teacher development ---------------------------

STEM_DAY = ActivitySeed(
    title="Pupils' STEM day: engineers of the Fens",
    description="Year 8 pupils of every school build and test flood defences for a model Fen "
    "village with King's Ely's science staff and engineers who work on the Ouse Washes.",
    category=ActivityCategory.STEM,
    format=ActivityFormat.PUPIL_ACTIVITY,
    host=KINGS_ELY,
    venue="King's Ely, science centre",
    sessions=(SessionSeed(18, time(9, 15), 5.5),),
    capacity=90,
    per_school_cap=15,
    pupils=True,
    phases=(Phase.SECONDARY,),
)
LANGUAGES_DAY = ActivitySeed(
    title="Languages day: a taste of French, Spanish and Mandarin",
    description="Year 5 and 6 pupils try three languages in short workshops led by Ely College's "
    "linguists and sixth-formers, then perform a café scene.",
    category=ActivityCategory.LANGUAGES,
    format=ActivityFormat.PUPIL_ACTIVITY,
    host=ELY_COLLEGE,
    venue="Ely College, languages faculty",
    sessions=(SessionSeed(25, time(9, 30), 5),),
    capacity=80,
    per_school_cap=16,
    pupils=True,
    phases=(Phase.PRIMARY,),
)
ARTS_EVENING = ActivitySeed(
    title="Young artists' exhibition and concert",
    description="Work from every school's art rooms hung together, and a concert by pupils' "
    "ensembles, for families and the wider community.",
    category=ActivityCategory.MUSIC_AND_ARTS,
    format=ActivityFormat.PUPIL_ACTIVITY,
    host=KINGS_ELY,
    venue="King's Ely, Hayward Theatre",
    sessions=(SessionSeed(32, time(17, 30), 3),),
    capacity=120,
    pupils=True,
    phases=(Phase.PRIMARY, Phase.SECONDARY),
)
SPORT_FESTIVAL = ActivitySeed(
    title="Partnership sports festival: tag rugby and netball",
    description="Mixed teams from state and independent schools play tag rugby and netball, "
    "coached by Littleport's PE staff and sports leaders.",
    category=ActivityCategory.SPORT,
    format=ActivityFormat.PUPIL_ACTIVITY,
    host=LITTLEPORT,
    venue="Littleport and East Cambridgeshire Academy, playing fields",
    sessions=(SessionSeed(39, time(13, 0), 3),),
    capacity=100,
    per_school_cap=20,
    pupils=True,
    phases=(Phase.PRIMARY,),
)
TEACHER_DEVELOPMENT = ActivitySeed(
    title="Developing and retaining great teachers: early-career network",
    description="Early-career teachers of every school meet to share practice, with a session "
    "on workload and wellbeing led by senior leaders of the founding schools.",
    category=ActivityCategory.TEACHER_DEVELOPMENT,
    format=ActivityFormat.CPD_COURSE,
    host=ELY_COLLEGE,
    venue="Ely College, conference room",
    sessions=(SessionSeed(11, time(16, 0), 2),),
    capacity=30,
)
CAMBRIDGESHIRE_ACTIVITIES: tuple[ActivitySeed, ...] = (
    STEM_DAY,
    LANGUAGES_DAY,
    ARTS_EVENING,
    SPORT_FESTIVAL,
    TEACHER_DEVELOPMENT,
)
CAMBRIDGESHIRE_PUPILS: tuple[tuple[ActivitySeed, SchoolSeed, int], ...] = (
    (STEM_DAY, ELY_COLLEGE, 15),
    (STEM_DAY, LITTLEPORT, 12),
    (LANGUAGES_DAY, FENSIDE, 14),
    (LANGUAGES_DAY, OUSE_MEADOWS, 10),
    (LANGUAGES_DAY, SOHAM_LODE, 16),
    (ARTS_EVENING, KINGS_ELY, 24),
    (ARTS_EVENING, FENSIDE, 12),
    (SPORT_FESTIVAL, SOHAM_LODE, 20),
    (SPORT_FESTIVAL, OUSE_MEADOWS, 16),
)
"""Activity, school, pupil places its lead books (a count: pupils are never named)."""


# --- Lincolnshire: the launch conference ----------------------------------------------------

LAUNCH_CONFERENCE = ActivitySeed(
    title="Towards Equity and Excellence for All",
    description="The conference that launched the Lincolnshire Learning Partnership: a "
    "sector-led approach to school improvement, in which schools drive their own improvement "
    "and support each other.",
    category=ActivityCategory.SCHOOL_IMPROVEMENT,
    format=ActivityFormat.CONFERENCE,
    host=WITHAM_VALLEY,
    venue="Epic Centre, Lincolnshire Showground",
    sessions=(SessionSeed(0, time(9, 0), 7, on=date(2016, 4, 22)),),
    capacity=300,
)


def _person(partnership_people: tuple[PersonSeed, ...], name: str) -> PersonSeed:
    return next(p for p in partnership_people if p.name == name)


GUEST_SPEAKERS: tuple[tuple[PersonSeed, str], ...] = tuple(
    (_person(LINCOLNSHIRE_BOARD.people, name), talk)
    for name, talk in (
        ("Mel Ainscow", "Towards self-improving school systems"),
        ("Frankie Sulke CBE", "What a local authority learned from its schools leading"),
        ("Anton Florek", "Leadership for equity and excellence"),
    )
)
"""The story's guest speakers, each with a talk title (illustrative)."""
SPEAKER = ContributorRole.SPEAKER


# --- East Kent: money raised for charity ----------------------------------------------------

SPONSORED_WALK = ActivitySeed(
    title="Sponsored walk along the Stour for Pilgrims Hospices",
    description="Pupils and staff of every school walk from Canterbury to Fordwich and back, "
    "sponsored by families and local businesses.",
    category=ActivityCategory.COMMUNITY,
    format=ActivityFormat.PUPIL_ACTIVITY,
    host=CANTERBURY_DOWNS,
    venue="Westgate Gardens, Canterbury",
    sessions=(SessionSeed(-24, time(9, 30), 4),),
    capacity=150,
    pupils=True,
    phases=(Phase.PRIMARY, Phase.SECONDARY),
)
WALK_DONATIONS: tuple[dict[str, Any], ...] = (
    {"charity": "Pilgrims Hospices", "charity_number": "1185010", "amount_pence": 184250},
    {"charity": "Pilgrims Hospices", "charity_number": "1185010", "amount_pence": 32000},
)
"""The sponsorship collected by the schools, then a local business's matching gift."""


# --- Suffolk: the case-study library --------------------------------------------------------


@dataclass(frozen=True)
class Practice:
    """A kind of project the Suffolk case studies tell of."""

    title: str
    categories: tuple[ActivityCategory, ...]
    aims: str
    impact: str


PRACTICES: tuple[Practice, ...] = (
    Practice(
        "Bar models for reasoning in Years 5 and 6",
        (ActivityCategory.ACADEMIC, ActivityCategory.TEACHER_DEVELOPMENT),
        "Help pupils explain and apply what they can calculate.",
        "Pupils reaching the expected standard in reasoning papers rose from 58% to 74%.",
    ),
    Practice(
        "Phonics catch-up in Key Stage 1",
        (ActivityCategory.ACADEMIC, ActivityCategory.DISADVANTAGE),
        "Close the gap in early reading for disadvantaged pupils.",
        "The phonics screening pass rate rose from 71% to 86%, with the gap for disadvantaged "
        "pupils halved.",
    ),
    Practice(
        "Coaching newly qualified teachers",
        (ActivityCategory.TEACHER_DEVELOPMENT,),
        "Keep and grow new teachers through weekly coaching by a teaching school's staff.",
        "Every new teacher stayed into a second year; lesson observations moved from "
        "'requires improvement' to 'good'.",
    ),
    Practice(
        "Writing moderation across schools",
        (ActivityCategory.ACADEMIC, ActivityCategory.SCHOOL_IMPROVEMENT),
        "Agree standards in writing with neighbouring schools.",
        "Teacher assessments matched external moderation in every sample for two years.",
    ),
    Practice(
        "Middle leaders improving science",
        (ActivityCategory.STEM, ActivityCategory.LEADERSHIP),
        "Give science subject leaders the skills to lead change in their schools.",
        "Pupils working at the expected standard in science rose by 15 points.",
    ),
    Practice(
        "Emotional literacy support for vulnerable pupils",
        (ActivityCategory.MENTAL_HEALTH, ActivityCategory.SEND),
        "Support pupils whose worries stop them learning.",
        "Persistent absence of the pupils supported fell from 18% to 7%.",
    ),
    Practice(
        "Governors reviewing pupil premium spending",
        (ActivityCategory.GOVERNANCE, ActivityCategory.DISADVANTAGE),
        "Help governors ask the right questions of pupil premium spending.",
        "Governors now review each strategy termly against attainment of the pupils it funds.",
    ),
    Practice(
        "Transition from primary to high school",
        (ActivityCategory.ACADEMIC, ActivityCategory.MENTAL_HEALTH),
        "Make the move to Year 7 smoother with shared units of work.",
        "Year 7 pupils' reading ages held through the summer; anxiety surveys improved.",
    ),
)


def case_study(school: SchoolSeed, n: int) -> dict[str, Any]:
    """The POST /case-studies body (without the partnership) of a school's case study."""
    practice = PRACTICES[n % len(PRACTICES)]
    return {
        "title": f"{practice.title} at {school.name}",
        "categories": list(practice.categories),
        "summary": f"{school.name}: {practice.aims[0].lower()}{practice.aims[1:]}",
        "aims": practice.aims,
        "background": f"{school.name} worked with one of Suffolk's teaching schools for a year.",
        "resources": "Release time for two teachers, a teaching school's specialist leader of "
        "education for six visits, shared planning.",
        "impact": practice.impact,
        "urns": [school.urn],
    }


SUFFOLK_LIBRARY: tuple[tuple[SchoolSeed, dict[str, Any]], ...] = tuple(
    (m.school, case_study(m.school, n)) for n, m in enumerate(SUFFOLK_PARTNERSHIP.memberships)
)
"""One case study from each member school: more than 50, as the story's website had."""


# --- East Kent: paired placement swaps and the magazine --------------------------------------


@dataclass(frozen=True)
class LegSeed:
    host: SchoolSeed
    visitor: PersonSeed
    """A trainee of the other school."""
    mentor: PersonSeed | None
    """Staff of the host school, if one is named."""


@dataclass(frozen=True)
class SwapSeed:
    legs: tuple[LegSeed, LegSeed]
    agreed_by_leads: bool
    """Each school's lead agrees; else the coordinator agrees for both."""


SWAPS: tuple[SwapSeed, ...] = (
    SwapSeed(  # independent and state, secondary: Stour Valley and Thanet Bay
        (
            LegSeed(THANET_BAY, SAM_KAUR, PRIYA_SHAH),
            LegSeed(STOUR_VALLEY, TOM_HALE, None),
        ),
        agreed_by_leads=True,
    ),
    SwapSeed(  # two primaries: Wantsum and Romney Marsh
        (
            LegSeed(ROMNEY_MARSH, JACK_DOYLE, None),
            LegSeed(WANTSUM, LIAM_PRICE, HANNAH_OKAFOR),
        ),
        agreed_by_leads=False,
    ),
)
"""Grouped under East Kent's trainee placement swap activity: the first leg on its first day, the
second on its second."""

MAGAZINE: dict[str, Any] = {
    "title": "Together: the East Kent schools' magazine",
    "kind": "magazine",
}
MAGAZINE_ISSUE: dict[str, Any] = {
    "number": 1,
    "title": "Widening horizons",
    "link": "https://eastkent.example/together/issue-1",
}
MAGAZINE_PUPILS: tuple[tuple[SchoolSeed, int, tuple[int, ...]], ...] = (
    (STOUR_VALLEY, 12, (10, 12)),
    (THANET_BAY, 14, (9, 10)),
    (WANTSUM, 9, (6,)),
)
"""School, how many of its pupils made the issue, their year groups (pupils are never named)."""


# --- Lincolnshire: a peer review ---------------------------------------------------------------

REVIEW_PLAN: dict[str, Any] = {
    "focus_areas": [
        "Reading in key stage 1",
        "Maths reasoning in upper key stage 2",
        "Governors' oversight of pupil premium spending",
    ],
    "categories": ["school_improvement", "academic", "governance", "disadvantage"],
    "visit_dates": ["2016-11-15", "2016-11-16"],
}
REVIEW_FINDINGS: dict[str, Any] = {
    "reported_on": "2016-11-25",
    "findings": [
        {
            "focus_area": "Reading in key stage 1",
            "kind": "strength",
            "text": "Systematic phonics is taught daily with pace; Year 1 pupils apply it "
            "confidently.",
        },
        {
            "focus_area": "Reading in key stage 1",
            "kind": "area_for_development",
            "text": "Reading books are not yet matched to the sounds pupils know.",
        },
        {
            "focus_area": "Maths reasoning in upper key stage 2",
            "kind": "strength",
            "text": "Pupils in Years 5 and 6 explain their reasoning with precise vocabulary.",
        },
        {
            "focus_area": "Governors' oversight of pupil premium spending",
            "kind": "area_for_development",
            "text": "Governors see what is spent but not its impact on attainment.",
        },
    ],
}
REVIEW_ACTIONS: tuple[dict[str, Any], ...] = (
    {
        "text": "Re-level the key stage 1 reading books to match the phonics programme",
        "agreed_on": "2016-11-30",
        "due_on": "2017-03-31",
    },
    {
        "text": "Report the impact of pupil premium spending at every full governors' meeting",
        "agreed_on": "2016-11-30",
        "due_on": "2017-07-14",
    },
)
FIRST_ACTION_FOLLOW_UP: dict[str, Any] = {
    "on": "2017-02-10",
    "note": "Year 1 books re-levelled; Year 2 under way.",
}
FIRST_ACTION_DONE: dict[str, Any] = {"on": "2017-03-24"}
REVIEWERS: tuple[PersonSeed, ...] = tuple(
    _person(LINCOLNSHIRE_BOARD.people, name)
    for name in ("Rachel Holt", "Mark Bennett", "Amanda Clarke")
)
"""The two reviewing heads (Witham Valley, Wolds Edge), then the reviewed school's head."""


# --- Lincolnshire: the board and its meeting -------------------------------------------------

BOARD: dict[str, Any] = {"name": "Lincolnshire Learning Partnership Board", "kind": "board"}
BOARD_TERM = {"starts_on": "2016-04-22", "ends_on": "2030-09-01"}
BOARD_MEMBERS: tuple[tuple[PersonSeed, str, dict[str, str]], ...] = tuple(
    (_person(LINCOLNSHIRE_BOARD.people, name), office, represents)
    for name, office, represents in (
        ("Rachel Holt", "chair", {"represents_urn": WITHAM_VALLEY.urn}),
        ("David Ingram", "vice_chair", {"represents_urn": WOLDS_EDGE.urn}),
        ("Amanda Clarke", "member", {"represents_urn": HOLLAND_FEN.urn}),
        ("Patricia Bradwell", "member", {"represents_body": "Lincolnshire County Council"}),
    )
)
"""Representative headteachers and governors, and the council; each with their office."""
BOARD_MEETING: dict[str, Any] = {
    "starts_at": "2016-04-22T16:30:00+01:00",
    "venue": "Epic Centre, Lincolnshire Showground",
    "agenda": [
        "Welcome and apologies",
        "Launch: Towards Equity and Excellence for All",
        "Replacing CfBT Education Trust's support services from 31 July",
        "Schools supporting each other's improvement",
        "Any other business",
    ],
}
BOARD_MINUTES: dict[str, Any] = {
    "minutes": "Present: the board. The chair welcomed members after the launch conference.\n"
    "The board agreed a sector-led approach to school improvement, replacing the support "
    "services CfBT Education Trust provides until 31 July.",
    "decisions": [
        "Schools lead their own improvement through the partnership from 1 August 2016",
        "Peer review between member schools begins in the autumn term",
    ],
}
BOARD_ACTIONS: tuple[tuple[PersonSeed, str, str], ...] = tuple(
    (_person(LINCOLNSHIRE_BOARD.people, name), text, due)
    for name, text, due in (
        ("Rachel Holt", "Write to every Lincolnshire school inviting it to join", "2016-05-20"),
        ("David Ingram", "Brief governing boards on the sector-led approach", "2016-06-30"),
        (
            "Patricia Bradwell",
            "Report the move from CfBT to the Children's Services committee",
            "2016-07-31",
        ),
    )
)
"""Owner, action, due day; the first is done on FIRST_BOARD_ACTION_DONE, the others overdue."""
FIRST_BOARD_ACTION_DONE = "2016-05-18"
