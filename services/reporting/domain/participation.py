"""Is the partnership working? What took place, term by term, from the events service's events.

Records are copies of what the events say (activities, bookings, evaluation ratings: no names,
pupils only as counts); the figures are derived from them when asked for, so they are right
whatever order the events arrived in and however often one was delivered.

An activity belongs to the term its first session starts in (in England: autumn September to
December, spring January to March, summer April to August; the academic year starts in
September). Places taken are those of bookings that hold a place; staff and pupils reached,
CPD hours and attendance count only bookings marked attended or no-show.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from contracts.activities import Session
from contracts.support import SupportOutcome
from contracts.vocabulary import (
    ActivityCategory,
    ActivityFormat,
    ActivityStatus,
    BookingStatus,
    Sector,
)
from services.reporting.domain.partnership_work import CHARITY, PartnershipWork, tally
from services.reporting.domain.records import SchoolRecord

ENGLAND = ZoneInfo("Europe/London")
ON_THE_DAY = "on_the_day"
TERM_KEY = r"^20[0-9]{2}-(autumn|spring|summer)$"
"""A term as the API takes it: `2026-autumn` (the academic year's first year, 2000 to 2099)."""


def academic_year(year: int) -> str:
    """2026 -> `2026/27`."""
    return f"{year}/{(year + 1) % 100:02d}"


class Season(StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


class Term(BaseModel, frozen=True):
    year: int = Field(description="The academic year's first calendar year: 2026 is 2026/27")
    season: Season

    @classmethod
    def of(cls, moment: datetime) -> "Term":
        local = moment.astimezone(ENGLAND)
        if local.month >= 9:
            return cls(year=local.year, season=Season.AUTUMN)
        season = Season.SPRING if local.month <= 3 else Season.SUMMER
        return cls(year=local.year - 1, season=season)

    @property
    def name(self) -> str:
        return f"{self.season.value.title()} {academic_year(self.year)}"

    @property
    def order(self) -> tuple[int, int]:
        return self.year, list(Season).index(self.season)

    @property
    def key(self) -> str:
        """As the API takes it: `2026-autumn`."""
        return f"{self.year}-{self.season.value}"

    def previous(self) -> "Term":
        seasons = list(Season)
        n = seasons.index(self.season)
        return Term(year=self.year - (n == 0), season=seasons[n - 1])


class ActivityRecord(BaseModel):
    activity_id: str
    partnership_id: str
    category: ActivityCategory
    format: ActivityFormat
    host_urn: str | None = None
    sessions: list[Session]
    capacity: int
    for_pupils: bool = False
    status: ActivityStatus

    @property
    def starts_at(self) -> datetime:
        return min(s.starts_at for s in self.sessions)

    @property
    def hours(self) -> float:
        return sum((s.ends_at - s.starts_at).total_seconds() for s in self.sessions) / 3600


class BookingRecord(BaseModel):
    booking_id: str
    activity_id: str
    urn: str
    person_id: str | None = None
    """An id only (no name): so that a person reached twice is counted once."""
    pupils: int = 0
    status: BookingStatus

    @property
    def places(self) -> int:
        return self.pupils or 1


class EvaluationRecord(BaseModel):
    booking_id: str
    activity_id: str
    stage: str
    ratings: dict[str, int]
    respondents: int = 1
    themes: list[str] = []
    """What the person will do differently, as practice themes (never their words)."""


class SupportRecord(BaseModel):
    """A school-to-school support engagement: when it was asked for, agreed and closed."""

    engagement_id: str
    partnership_id: str
    requesting_urn: str
    supporting_urn: str | None = None
    requested_at: datetime | None = None
    agreed_on: date | None = None
    closed_on: date | None = None
    outcome: SupportOutcome | None = None
    withdrawn: bool = False


class CaseStudyRecord(BaseModel):
    case_study_id: str
    partnership_id: str
    published_at: datetime | None = None
    withdrawn: bool = False


class MailRecord(BaseModel):
    """One email the notifications service sent, or could not send because the address refused
    it for good (held), and the record it was about; nobody's address or name."""

    mail_id: str
    subject_id: str | None = None
    category: str | None = None
    sent_at: datetime | None = None
    held_at: datetime | None = None


class TermFigures(BaseModel):
    term: str = Field(description="As people say it: `Autumn 2026/27`")
    key: str = Field(description="As the API takes it (`?term=`): `2026-autumn`")
    year: int
    season: Season
    activities: int = Field(description="Taking place (published or completed), not cancelled")
    cancelled: int
    by_category: dict[str, int]
    by_format: dict[str, int]
    places_offered: int
    places_taken: int
    schools_taking_part: int = Field(description="Hosting, or with a place on an activity")
    staff_reached: int = Field(description="Different people who attended")
    pupils_reached: int = Field(description="Pupil places attended (pupils are never named)")
    cpd_hours: float = Field(description="Hours of the sessions each member of staff attended")
    attended: int
    no_shows: int
    attendance_rate: float | None = Field(description="Attended of those marked; None if none")
    cross_sector_activities: int = Field(
        description="Activities where state and independent schools took part together"
    )
    evaluations: int = Field(
        description="Respondents on the day (a group evaluation counts its people)"
    )
    mean_ratings: dict[str, float] = Field(
        description="`stage.scale` (`on_the_day.overall`, `impact.confidence_after` ...) -> mean "
        "rating, 1 to 5: each stage asks its own questions"
    )
    practice_themes: dict[str, int] = Field(
        default_factory=dict,
        description="Practice theme -> evaluations whose 'What will you do differently?' names it",
    )
    support_requested: int = Field(0, description="Support engagements asked for")
    support_agreed: int = Field(0, description="Engagements whose agreed work starts in the term")
    support_closed: int = Field(0, description="Engagements closed in the term")
    support_outcomes: dict[str, int] = Field(
        default_factory=dict, description="Outcome -> engagements closed with it"
    )
    case_studies_published: int = 0
    mail_sent: int = Field(
        0, description="Emails sent about its activities, bookings, case studies and support"
    )
    mail_held: int = Field(0, description="Emails an address refused for good (then held)")
    contributors: dict[str, int] = Field(
        default_factory=dict,
        description="Role (speaker, facilitator, host) -> confirmed at its activities",
    )
    funds_raised_pence: int = Field(0, description="Money raised for charity, in pence")
    funds_by_charity: dict[str, int] = Field(
        default_factory=dict, description="Charity -> pence raised for it"
    )
    publication_issues: int = Field(0, description="Issues of its publications that came out")
    pupils_published: int = Field(
        0, description="Pupils who contributed to them (counted, never named)"
    )
    placement_swaps: int = Field(0, description="Two-way placement swaps agreed or completed")
    trainees_exchanged: int = Field(0, description="Trainees (or teachers) placed by them")
    peer_reviews: int = Field(
        0, description="Peer reviews whose visit took place (not withdrawn since)"
    )
    peer_review_actions_agreed: int = 0
    peer_review_actions_done: int = 0


TAKING_PLACE = frozenset({ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED})
MARKED = frozenset({BookingStatus.ATTENDED, BookingStatus.NO_SHOW})


def takes_part(booking: BookingRecord) -> bool:
    """Its school takes part through it: a place held, and not a no-show."""
    return booking.status.counted and booking.status != BookingStatus.NO_SHOW


def on_day(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=ENGLAND)


def term_figures(
    activities: Iterable[ActivityRecord],
    bookings: Iterable[BookingRecord],
    evaluations: Iterable[EvaluationRecord],
    schools: Mapping[str, SchoolRecord],
    support: Iterable[SupportRecord] = (),
    case_studies: Iterable[CaseStudyRecord] = (),
    mail: Iterable[MailRecord] = (),
    work: PartnershipWork | None = None,
) -> list[TermFigures]:
    """One entry per term with anything in it, earliest first."""
    by_activity: dict[str, list[BookingRecord]] = defaultdict(list)
    for booking in bookings:
        by_activity[booking.activity_id].append(booking)
    rated: dict[str, list[EvaluationRecord]] = defaultdict(list)
    for evaluation in evaluations:
        rated[evaluation.activity_id].append(evaluation)
    terms: dict[Term, list[ActivityRecord]] = defaultdict(list)
    for activity in activities:
        if activity.sessions and activity.status != ActivityStatus.DRAFT:
            terms[Term.of(activity.starts_at)].append(activity)
    happened: dict[Term, Counter[str]] = defaultdict(Counter)
    for engagement in support:
        if engagement.requested_at:
            happened[Term.of(engagement.requested_at)]["support_requested"] += 1
        if engagement.agreed_on:
            happened[Term.of(on_day(engagement.agreed_on))]["support_agreed"] += 1
        if engagement.closed_on:
            closed = happened[Term.of(on_day(engagement.closed_on))]
            closed["support_closed"] += 1
            if engagement.outcome:
                closed[f"outcome:{engagement.outcome.value}"] += 1
    for case_study in case_studies:
        if case_study.published_at and not case_study.withdrawn:
            happened[Term.of(case_study.published_at)]["case_studies_published"] += 1
    for message in mail:
        if message.sent_at:
            happened[Term.of(message.sent_at)]["mail_sent"] += 1
        if message.held_at:
            happened[Term.of(message.held_at)]["mail_held"] += 1
    taking_place = {
        a.activity_id: term
        for term, found in terms.items()
        for a in found
        if a.status in TAKING_PLACE
    }
    for term, counts in tally(work or PartnershipWork(), taking_place, _term_of_day).items():
        happened[term].update(counts)
    found = []
    for term in sorted(terms.keys() | happened.keys(), key=lambda t: t.order):
        figures = _figures(term, terms.get(term, []), by_activity, rated, schools)
        counts = happened.get(term, Counter())
        found.append(
            figures.model_copy(
                update={
                    "support_requested": counts["support_requested"],
                    "support_agreed": counts["support_agreed"],
                    "support_closed": counts["support_closed"],
                    "support_outcomes": {
                        o.value: counts[f"outcome:{o.value}"]
                        for o in SupportOutcome
                        if counts[f"outcome:{o.value}"]
                    },
                    "case_studies_published": counts["case_studies_published"],
                    "mail_sent": counts["mail_sent"],
                    "mail_held": counts["mail_held"],
                    **_work_figures(counts),
                }
            )
        )
    return found


def _term_of_day(day: date) -> Term:
    return Term.of(on_day(day))


WORK_COUNTS = (
    "funds_raised_pence",
    "publication_issues",
    "pupils_published",
    "placement_swaps",
    "trainees_exchanged",
    "peer_reviews",
    "peer_review_actions_agreed",
    "peer_review_actions_done",
)


def _work_figures(counts: Counter[str]) -> dict[str, object]:
    def under(prefix: str) -> dict[str, int]:
        return {
            k.removeprefix(prefix): v for k, v in sorted(counts.items()) if k.startswith(prefix)
        }

    return {
        **{name: counts[name] for name in WORK_COUNTS},
        "contributors": under("contributors:"),
        "funds_by_charity": under(CHARITY),
    }


def _figures(
    term: Term,
    activities: list[ActivityRecord],
    bookings: Mapping[str, list[BookingRecord]],
    evaluations: Mapping[str, list[EvaluationRecord]],
    schools: Mapping[str, SchoolRecord],
) -> TermFigures:
    running = [a for a in activities if a.status in TAKING_PLACE]
    held = [(a, b) for a in running for b in bookings.get(a.activity_id, [])]
    holding = [(a, b) for a, b in held if b.status.counted]
    marked = [(a, b) for a, b in held if b.status in MARKED]
    came = [(a, b) for a, b in marked if b.status == BookingStatus.ATTENDED]
    staff = [(a, b) for a, b in came if b.person_id]
    taking_part = {
        a.activity_id: {b.urn for b in bookings.get(a.activity_id, []) if takes_part(b)}
        | ({a.host_urn} if a.host_urn else set())
        for a in running
    }
    rated = [e for a in running for e in evaluations.get(a.activity_id, [])]
    return TermFigures(
        term=term.name,
        key=term.key,
        year=term.year,
        season=term.season,
        activities=len(running),
        cancelled=sum(1 for a in activities if a.status == ActivityStatus.CANCELLED),
        by_category=_tally((a.category.value for a in running), ActivityCategory),
        by_format=_tally((a.format.value for a in running), ActivityFormat),
        places_offered=sum(a.capacity for a in running),
        places_taken=sum(b.places for _, b in holding),
        schools_taking_part=len(set().union(*taking_part.values())),
        staff_reached=len({b.person_id for _, b in staff}),
        pupils_reached=sum(b.pupils for _, b in came),
        cpd_hours=round(sum(a.hours for a, _ in staff), 2),
        attended=len(came),
        no_shows=len(marked) - len(came),
        attendance_rate=round(len(came) / len(marked), 3) if marked else None,
        cross_sector_activities=sum(
            1 for urns in taking_part.values() if _both_sectors(urns, schools)
        ),
        evaluations=sum(e.respondents for e in rated if e.stage == ON_THE_DAY),
        mean_ratings=_means(rated),
        practice_themes=dict(sorted(Counter(t for e in rated for t in e.themes).items())),
    )


def empty_term(term: Term) -> TermFigures:
    """A term in which nothing took place."""
    return _figures(term, [], {}, {}, {})


def _tally(values: Iterable[str], known: Iterable[StrEnum]) -> dict[str, int]:
    counted = Counter(values)
    return {k.value: counted[k.value] for k in known if counted[k.value]}


def _both_sectors(urns: set[str], schools: Mapping[str, SchoolRecord]) -> bool:
    sectors = {schools[u].sector for u in urns if u in schools}
    return {Sector.STATE, Sector.INDEPENDENT} <= sectors


def _means(evaluations: list[EvaluationRecord]) -> dict[str, float]:
    totals: Counter[str] = Counter()
    people: Counter[str] = Counter()
    for e in evaluations:
        for scale, rating in e.ratings.items():
            totals[f"{e.stage}.{scale}"] += rating * e.respondents
            people[f"{e.stage}.{scale}"] += e.respondents
    return {scale: round(totals[scale] / people[scale], 2) for scale in sorted(totals)}


def term_named(key: str) -> Term:
    """`2026-autumn` (what the API takes) as a term."""
    year, _, season = key.partition("-")
    if (
        len(year) != 4
        or not year.isascii()
        or not year.isdigit()
        or not 2000 <= int(year) < 2100  # as TERM_KEY
        or season not in {s.value for s in Season}
    ):
        raise ValueError("a term is written like 2026-autumn (the academic year's first year)")
    return Term(year=int(year), season=Season(season))


class SchoolTerm(BaseModel):
    term: str
    key: str
    year: int
    season: Season
    took_part_in: int = Field(description="Activities it had places on")
    hosted: int = Field(description="Activities it hosted")
    staff_places: int
    pupil_places: int
    attended: int = Field(description="Its bookings marked attended")


def school_terms(
    urn: str, activities: Iterable[ActivityRecord], bookings: Iterable[BookingRecord]
) -> list[SchoolTerm]:
    """What one school took part in and what it offered (hosted), term by term."""
    running = {a.activity_id: a for a in activities if a.status in TAKING_PLACE and a.sessions}
    mine = [b for b in bookings if b.urn == urn and b.activity_id in running and takes_part(b)]
    terms: dict[Term, list[BookingRecord]] = defaultdict(list)
    hosted: Counter[Term] = Counter()
    for activity in running.values():
        if activity.host_urn == urn:
            hosted[Term.of(activity.starts_at)] += 1
            terms.setdefault(Term.of(activity.starts_at), [])
    for booking in mine:
        terms[Term.of(running[booking.activity_id].starts_at)].append(booking)
    return [
        SchoolTerm(
            term=term.name,
            key=term.key,
            year=term.year,
            season=term.season,
            took_part_in=len({b.activity_id for b in terms[term]}),
            hosted=hosted[term],
            staff_places=sum(1 for b in terms[term] if b.person_id),
            pupil_places=sum(b.pupils for b in terms[term]),
            attended=sum(1 for b in terms[term] if b.status == BookingStatus.ATTENDED),
        )
        for term in sorted(terms, key=lambda t: t.order)
    ]


def engaged_schools(
    term: Term, activities: Iterable[ActivityRecord], bookings: Iterable[BookingRecord]
) -> set[str]:
    """Schools that hosted an activity of the term or had a place on one."""
    running = {
        a.activity_id: a
        for a in activities
        if a.status in TAKING_PLACE and a.sessions and Term.of(a.starts_at) == term
    }
    hosts = {a.host_urn for a in running.values() if a.host_urn}
    return hosts | {b.urn for b in bookings if b.activity_id in running and takes_part(b)}
