"""East Kent's programme and a Suffolk support request, as plain data for `devstack.demo_programme`.

East Kent Schools Together's story names its programme ("TeachMeets and cluster group meetings",
"two-way placement swaps for trainee teachers", "older pupils leading younger pupils in
debating") but no teachers: the staff below are made up, marked `plausible=True` as in
`devstack.demo_data`. Suffolk's story names Springfield Junior School and Kesgrave High School, a
teaching school; the subject of the request (maths) is illustrative.

Dates are relative to the day the loader first runs; titles identify the activities, so a later
run finds them instead of making new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from contracts.vocabulary import ActivityCategory, ActivityFormat, Phase, StaffRole
from devstack.demo_data import (
    CANTERBURY_DOWNS,
    KENT,
    ROMNEY_MARSH,
    STOUR_VALLEY,
    SUFFOLK,
    THANET_BAY,
    WANTSUM,
    PersonSeed,
    RoleSeed,
    SchoolSeed,
)

LOCAL = ZoneInfo("Europe/London")
STARTS_SOON = timedelta(hours=1)
"""The TeachMeet starts this long after the loader first runs: soon enough that attendance can be
recorded at once (from two hours before the start), late enough to book."""
REMINDER_DUE = timedelta(seconds=90)
"""The cluster meeting starts a day and this long after the loader first runs, so the reminder a
day before (the default lead time) falls due this long after it: while you look at the mail."""

# --- East Kent staff (made up) ---------------------------------------------------------------

PRIYA_SHAH = PersonSeed(
    "Priya Shah",
    "priya.shah@thanetbay.example",
    "Teacher of English, Thanet Bay Academy",
    roles=(RoleSeed(StaffRole.TEACHER, at_school=THANET_BAY),),
    plausible=True,
)
TOM_FAIRWEATHER = PersonSeed(
    "Tom Fairweather",
    "tom.fairweather@canterburydowns.example",
    "Head of Mathematics, Canterbury Downs Grammar School",
    roles=(RoleSeed(StaffRole.TEACHER, at_school=CANTERBURY_DOWNS),),
    plausible=True,
)
HANNAH_OKAFOR = PersonSeed(
    "Hannah Okafor",
    "hannah.okafor@wantsum.example",
    "Year 5 teacher, Wantsum Primary School",
    roles=(RoleSeed(StaffRole.TEACHER, at_school=WANTSUM),),
    plausible=True,
)
SAM_KAUR = PersonSeed(
    "Sam Kaur",
    "sam.kaur@stourvalley.example",
    "Trainee teacher, Stour Valley College",
    roles=(RoleSeed(StaffRole.TRAINEE, at_school=STOUR_VALLEY),),
    plausible=True,
)
GRACE_MENSAH = PersonSeed(
    "Grace Mensah",
    "grace.mensah@wantsum.example",
    "Deputy head and CPD lead, Wantsum Primary School",
    roles=(RoleSeed(StaffRole.CPD_APPROVER, at_school=WANTSUM),),
    plausible=True,
)
JACK_DOYLE = PersonSeed(
    "Jack Doyle",
    "jack.doyle@wantsum.example",
    "Trainee teacher, Wantsum Primary School",
    roles=(RoleSeed(StaffRole.TRAINEE, at_school=WANTSUM),),
    plausible=True,
)
TOM_HALE = PersonSeed(
    "Tom Hale",
    "tom.hale@thanetbay.example",
    "Trainee teacher, Thanet Bay Academy",
    roles=(RoleSeed(StaffRole.TRAINEE, at_school=THANET_BAY),),
    plausible=True,
)
LIAM_PRICE = PersonSeed(
    "Liam Price",
    "liam.price@romneymarsh.example",
    "Trainee teacher, Romney Marsh Junior School",
    roles=(RoleSeed(StaffRole.TRAINEE, at_school=ROMNEY_MARSH),),
    plausible=True,
)
EAST_KENT_STAFF: tuple[PersonSeed, ...] = (
    PRIYA_SHAH,
    TOM_FAIRWEATHER,
    HANNAH_OKAFOR,
    SAM_KAUR,
    JACK_DOYLE,
    GRACE_MENSAH,
    TOM_HALE,
    LIAM_PRICE,
)


# --- County officers (made up): council staff who quality-assure case studies ----------------

KENT_OFFICER = PersonSeed(
    "Ruth Marsden",
    "ruth.marsden@kent-council.example",
    "Schools partnership officer, Kent County Council",
    roles=(RoleSeed(StaffRole.COUNTY_OFFICER, over=(KENT,)),),
    plausible=True,
)
SUFFOLK_OFFICER = PersonSeed(
    "Daniel Okoye",
    "daniel.okoye@suffolk-council.example",
    "School improvement partner, Suffolk County Council",
    roles=(RoleSeed(StaffRole.COUNTY_OFFICER, over=(SUFFOLK,)),),
    plausible=True,
)
COUNTY_OFFICERS: tuple[PersonSeed, ...] = (KENT_OFFICER, SUFFOLK_OFFICER)


def school_of(person: PersonSeed) -> SchoolSeed:
    """The school a member of staff books for: where they hold their first role."""
    school = person.roles[0].at_school
    assert school is not None, f"{person.name} holds no role at a school"
    return school


# --- East Kent activities --------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSeed:
    days_ahead: int
    """Days after the loader first runs (with a local `starts` time)."""
    starts: time | timedelta
    """Local (UK) time on that day, or how long after the moment the loader first runs."""
    hours: float
    on: date | None = None
    """The day, when the story gives it (then `days_ahead` is not used)."""

    def body(self, now: datetime) -> dict[str, str]:
        if isinstance(self.starts, timedelta):
            start = (now + self.starts).astimezone(UTC).replace(microsecond=0)
        else:
            day = self.on or now.astimezone(LOCAL).date() + timedelta(days=self.days_ahead)
            start = datetime.combine(day, self.starts, tzinfo=LOCAL)
        end = start + timedelta(hours=self.hours)
        return {"starts_at": start.isoformat(), "ends_at": end.isoformat()}


@dataclass(frozen=True)
class ActivitySeed:
    title: str
    description: str
    category: ActivityCategory
    format: ActivityFormat
    host: SchoolSeed
    venue: str
    sessions: tuple[SessionSeed, ...]
    capacity: int
    per_school_cap: int | None = None
    pupils: bool = False
    """For pupils (schools book places as counts) rather than staff."""
    phases: tuple[Phase, ...] = ()

    def body(self, partnership_id: str, now: datetime) -> dict[str, Any]:
        """The POST /activities body."""
        return {
            "title": self.title,
            "description": self.description,
            "category": self.category,
            "format": self.format,
            "partnership_id": partnership_id,
            "host_urn": self.host.urn,
            "venue": self.venue,
            "sessions": [s.body(now) for s in self.sessions],
            "audience": {
                "staff": not self.pupils,
                "pupils": self.pupils,
                "phases": list(self.phases),
            },
            "capacity": self.capacity,
            "per_school_cap": self.per_school_cap,
        }


TEACHMEET = ActivitySeed(
    title="East Kent TeachMeet: questioning that stretches every learner",
    description="Two-minute and seven-minute talks from classroom teachers of all our schools, "
    "then time to talk. Bring one idea you have tried this term.",
    category=ActivityCategory.TEACHER_DEVELOPMENT,
    format=ActivityFormat.TEACHMEET,
    host=THANET_BAY,
    venue="Thanet Bay Academy, library",
    sessions=(SessionSeed(0, STARTS_SOON, 1.5),),
    capacity=2,  # small on purpose: the third to book waits for a place
)
PLACEMENT_SWAP = ActivitySeed(
    title="Trainee placement swap: independent and state, primary and secondary",
    description="Two-way placement swap for trainee teachers: a day in a school unlike your own, "
    "then your host's trainee spends a day in yours.",
    category=ActivityCategory.TEACHER_DEVELOPMENT,
    format=ActivityFormat.PLACEMENT_SWAP,
    host=STOUR_VALLEY,
    venue="Stour Valley College, then Wantsum Primary School",
    sessions=(SessionSeed(21, time(8, 30), 7), SessionSeed(28, time(8, 30), 7)),
    capacity=6,
)
DEBATING_DAY = ActivitySeed(
    title="Debating day: older pupils lead younger pupils",
    description="Sixth-formers and Year 10 debaters coach Year 5 and 6 pupils, then mixed teams "
    "from every school debate in the afternoon.",
    category=ActivityCategory.ACADEMIC,
    format=ActivityFormat.PUPIL_ACTIVITY,
    host=CANTERBURY_DOWNS,
    venue="Canterbury Downs Grammar School, main hall",
    sessions=(SessionSeed(35, time(9, 30), 5.5),),
    capacity=64,
    per_school_cap=16,
    pupils=True,
    phases=(Phase.PRIMARY, Phase.SECONDARY),
)
CLUSTER_MEETING = ActivitySeed(
    title="Maths cluster group meeting: reasoning in Key Stage 2",
    description="Maths leads and Year 5 and 6 teachers share what works in teaching reasoning, "
    "then plan a lesson together.",
    category=ActivityCategory.TEACHER_DEVELOPMENT,
    format=ActivityFormat.CLUSTER_MEETING,
    host=WANTSUM,
    venue="Wantsum Primary School, staff room",
    sessions=(SessionSeed(0, timedelta(days=1) + REMINDER_DUE, 1.5),),
    capacity=12,
)
EAST_KENT_ACTIVITIES: tuple[ActivitySeed, ...] = (
    TEACHMEET,
    PLACEMENT_SWAP,
    DEBATING_DAY,
    CLUSTER_MEETING,
)

TEACHMEET_BOOKINGS: tuple[PersonSeed, ...] = (PRIYA_SHAH, TOM_FAIRWEATHER, HANNAH_OKAFOR)
"""In this order: the first two take the two places, the third is waitlisted."""
TEACHMEET_CANCELS = TOM_FAIRWEATHER
"""Cannot come after all: the place passes to the waitlist."""
TEACHMEET_CHECKS_IN = PRIYA_SHAH
"""Checked in at the door by her booking's code; she then evaluates it and gets a certificate."""
CLUSTER_MEETING_BOOKS = HANNAH_OKAFOR
"""Books the cluster meeting once her school's staff bookings wait for approval."""
CLUSTER_MEETING_APPROVER = GRACE_MENSAH
"""Wantsum's CPD approver: asked by mail, approves the booking."""
PLACEMENT_SWAP_BOOKINGS: tuple[PersonSeed, ...] = (SAM_KAUR, JACK_DOYLE)
DEBATING_PUPILS: tuple[tuple[SchoolSeed, int], ...] = (
    (CANTERBURY_DOWNS, 14),
    (THANET_BAY, 12),
    (WANTSUM, 10),
    (ROMNEY_MARSH, 8),
)
"""School -> pupil places its lead books (a count: pupils are never named)."""

ON_THE_DAY_EVALUATION: dict[str, Any] = {
    "ratings": {"overall": 5, "relevance": 5, "organisation": 4, "confidence_after": 4},
    "answers": {
        "best_thing": "Hinge questions on mini whiteboards: I will use them on Monday.",
        "improvements": "More time to talk between the talks.",
    },
}

DEBATING_CASE_STUDY: dict[str, Any] = {
    "title": "Older pupils lead younger pupils in debating",
    "categories": [ActivityCategory.ACADEMIC, ActivityCategory.COMMUNITY],
    "summary": "Secondary debaters coach primary pupils across East Kent; both grow in "
    "confidence, and the primary schools now run debating clubs of their own.",
    "aims": "Widen horizons: bring pupils of state and independent, primary and secondary "
    "schools together so that they become confident, resilient speakers.",
    "background": "Since 2017 the partnership has held a debating day each year. Older pupils "
    "from the secondary schools are trained as coaches and lead mixed teams of younger pupils.",
    "resources": "A host school's hall for a day, two staff per school, a debating coach's "
    "training session for the older pupils, motions written with the primary teachers.",
    "impact": "Primary teachers report that pupils who took part speak more readily in class; "
    "three primary schools started debating clubs led by their own staff; the older pupils "
    "count coaching towards their leadership awards.",
}

# --- Suffolk: a support request ---------------------------------------------------------------

SUPPORT_NEED: dict[str, Any] = {
    "subjects": ["maths"],
    "categories": [ActivityCategory.SCHOOL_IMPROVEMENT],
    "description": "Reasoning and problem solving in Years 5 and 6: our pupils calculate well "
    "but struggle to explain and apply it. We would like support for two teachers and our maths "
    "lead.",
}
SUPPORT_OBJECTIVES: tuple[str, ...] = (
    "Coach two Year 6 teachers in teaching reasoning with bar models",
    "Help the maths lead plan a whole-school approach to problem solving",
)
SUPPORT_WEEKS = 16
SUPPORT_VISITS = 4
