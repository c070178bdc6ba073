"""The county dashboard: the reporting service's figures for the officer's county, term by term
(optionally from one term to another), the year's headline, and which charts and downloads
there are. The figures are the reporting service's own; the web only sets them out."""

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import Field

from services.web import words
from services.web.adapters.platform_api import PlatformApi
from services.web.models import Answer


class TermFigures(Answer):
    term: str
    key: str
    activities: int
    cancelled: int
    by_category: dict[str, int] = Field(default_factory=dict)
    places_offered: int
    places_taken: int
    schools_taking_part: int
    staff_reached: int
    pupils_reached: int
    cpd_hours: float
    attendance_rate: float | None = None
    cross_sector_activities: int
    support_requested: int = 0
    support_agreed: int = 0
    support_closed: int = 0
    case_studies_published: int = 0
    mail_held: int = 0


class Participation(Answer):
    name: str
    partnerships: int
    terms: list[TermFigures]


class Headline(Answer):
    year: str
    state_schools_benefited: int
    independent_schools_involved: int
    pupils_benefited: int
    staff_reached: int
    partnerships: int
    independent_state_partnerships: int


def count(value: int) -> str:
    return f"{value:,}"


def hours(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


def share(rate: float | None) -> str:
    return "No registers taken" if rate is None else f"{round(rate * 100)}%"


@dataclass(frozen=True)
class Column:
    heading: str
    shown: Callable[[TermFigures], str]


REACH = (
    Column("Activities", lambda t: count(t.activities)),
    Column("Places taken", lambda t: f"{count(t.places_taken)} of {count(t.places_offered)}"),
    Column("Schools taking part", lambda t: count(t.schools_taking_part)),
    Column("Staff reached", lambda t: count(t.staff_reached)),
    Column("Pupils reached", lambda t: count(t.pupils_reached)),
    Column("CPD hours", lambda t: hours(t.cpd_hours)),
    Column("Attendance", lambda t: share(t.attendance_rate)),
)
"""The first table: what took place and whom it reached."""

OUTCOMES = (
    Column("Cancelled activities", lambda t: count(t.cancelled)),
    Column("State and independent together", lambda t: count(t.cross_sector_activities)),
    Column("Support asked for", lambda t: count(t.support_requested)),
    Column("Support agreed", lambda t: count(t.support_agreed)),
    Column("Support closed", lambda t: count(t.support_closed)),
    Column("Case studies published", lambda t: count(t.case_studies_published)),
    Column("Emails held", lambda t: count(t.mail_held)),
)
"""The second table: partnership across sectors, support, case studies and mail."""


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    alt: str


CHARTS = (
    Chart(
        "reach",
        "Reach by term",
        "Bar chart of the staff reached, pupils reached and schools taking part in each term. "
        "The same figures are in the table of reach by term.",
    ),
    Chart(
        "attendance",
        "Attendance by term",
        "Line chart of the share of places attended, of those whose register was taken, in "
        "each term. The same figures are in the Attendance column of the table.",
    ),
    Chart(
        "categories",
        "Activities by kind of work",
        "Bar chart of the activities of each kind of work, every term together. The same "
        "figures are in the table of activities by kind of work.",
    ),
    Chart(
        "support",
        "Support and case studies by term",
        "Bar chart of school-to-school support asked for, agreed and closed, and case studies "
        "published, in each term. The same figures are in the second table.",
    ),
)
CHART_NAMES = frozenset(c.name for c in CHARTS)

HEADLINE_TABLES = {
    "local_authorities": "Reach by local authority",
    "categories": "Reach by kind of work",
}


@dataclass(frozen=True)
class TermRange:
    first: str | None = None
    last: str | None = None

    @property
    def whole(self) -> bool:
        return self.first is None and self.last is None

    @property
    def params(self) -> dict[str, str | int | None]:
        return {"term_from": self.first, "term_to": self.last}


@dataclass(frozen=True)
class CategoryCount:
    name: str
    activities: int


@dataclass(frozen=True)
class Dashboard:
    shown: Participation
    """The figures of the terms asked for."""
    headline: Headline

    @property
    def by_category(self) -> list[CategoryCount]:
        """Activities of each kind of work, the terms shown together, the most first."""
        totals: dict[str, int] = {}
        for term in self.shown.terms:
            for code, n in term.by_category.items():
                totals[code] = totals.get(code, 0) + n
        found = [CategoryCount(words.word(words.CATEGORIES, c), n) for c, n in totals.items() if n]
        return sorted(found, key=lambda c: (-c.activities, c.name))


async def participation(
    api: PlatformApi, token: str, wanted: TermRange | None = None
) -> Participation:
    found = await api.reporting.get(
        "/county/participation", token, wanted.params if wanted else None
    )
    return Participation.model_validate(found)


async def headline(api: PlatformApi, token: str) -> Headline:
    """Of the academic year now."""
    return Headline.model_validate(await api.reporting.get("/county/headline", token))
