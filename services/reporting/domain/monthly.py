"""A county's month: what took part in its partnerships in one calendar month (UK time), for
the monthly report county officers are emailed."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from pydantic import BaseModel

from services.reporting.domain.participation import (
    ENGLAND,
    ActivityRecord,
    BookingRecord,
    CaseStudyRecord,
    EvaluationRecord,
    SupportRecord,
    term_figures,
)
from services.reporting.domain.records import SchoolRecord


def month_of(moment: datetime | date) -> str:
    """`2026-11`: the month a moment falls in, in England."""
    local = moment.astimezone(ENGLAND) if isinstance(moment, datetime) else moment
    return f"{local.year:04d}-{local.month:02d}"


def month_before(moment: datetime) -> str:
    local = moment.astimezone(ENGLAND)
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}"


class MonthFigures(BaseModel):
    month: str
    activities: int = 0
    schools_taking_part: int = 0
    staff_reached: int = 0
    pupils_reached: int = 0
    cpd_hours: float = 0
    case_studies_published: int = 0
    support_agreed: int = 0


def month_figures(
    month: str,
    activities: Iterable[ActivityRecord],
    bookings: Iterable[BookingRecord],
    evaluations: Iterable[EvaluationRecord],
    schools: Mapping[str, SchoolRecord],
    support: Iterable[SupportRecord],
    case_studies: Iterable[CaseStudyRecord],
) -> MonthFigures:
    """Activities that started in the month, with the places on them; support agreed and case
    studies published in it."""
    running = [a for a in activities if a.sessions and month_of(a.starts_at) == month]
    terms = term_figures(running, bookings, evaluations, schools)  # a month is in one term
    figures = MonthFigures(
        month=month,
        support_agreed=sum(1 for e in support if e.agreed_on and month_of(e.agreed_on) == month),
        case_studies_published=sum(
            1
            for c in case_studies
            if c.published_at and not c.withdrawn and month_of(c.published_at) == month
        ),
    )
    if terms:
        [term] = terms
        figures = figures.model_copy(
            update={
                "activities": term.activities,
                "schools_taking_part": term.schools_taking_part,
                "staff_reached": term.staff_reached,
                "pupils_reached": term.pupils_reached,
                "cpd_hours": term.cpd_hours,
            }
        )
    return figures
