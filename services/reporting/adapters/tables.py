"""Tables as CSV a spreadsheet opens as it is: UTF-8 with a byte-order mark (which Excel needs to
read it as UTF-8), a header row, and no cell a spreadsheet would run as a formula."""

import csv
import io
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from contracts.attendance import PracticeTheme
from contracts.support import SupportOutcome
from contracts.vocabulary import ActivityCategory, ActivityFormat
from services.reporting.domain.participation import TermFigures

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIGURES = (
    "activities",
    "cancelled",
    "places_offered",
    "places_taken",
    "schools_taking_part",
    "staff_reached",
    "pupils_reached",
    "cpd_hours",
    "attended",
    "no_shows",
    "attendance_rate",
    "cross_sector_activities",
    "evaluations",
    "support_requested",
    "support_agreed",
    "support_closed",
    "case_studies_published",
    "mail_sent",
    "mail_held",
    "funds_raised_pence",
    "publication_issues",
    "pupils_published",
    "placement_swaps",
    "trainees_exchanged",
    "peer_reviews",
    "peer_review_actions_agreed",
    "peer_review_actions_done",
)


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return "" if value is None else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def records_csv(records: Sequence[BaseModel], fields: Sequence[str]) -> bytes:
    """One row per record, one column per field, headed by the fields' names."""
    return csv_bytes(fields, ([getattr(r, f) for f in fields] for r in records))


def participation_csv(terms: Sequence[TermFigures]) -> bytes:
    """One row per term: the figures, then activities by category and by format, then the
    mean of each rating scale any evaluation used, support outcomes and practice themes."""
    scales = sorted({s for t in terms for s in t.mean_ratings})
    header = [
        "term",
        *FIGURES,
        *(f"category: {c.value}" for c in ActivityCategory),
        *(f"format: {f.value}" for f in ActivityFormat),
        *(f"mean rating: {s}" for s in scales),
        *(f"support outcome: {o.value}" for o in SupportOutcome),
        *(f"practice theme: {p.value}" for p in PracticeTheme),
    ]
    rows = [
        [
            t.term,
            *(getattr(t, f) for f in FIGURES),
            *(t.by_category.get(c.value, 0) for c in ActivityCategory),
            *(t.by_format.get(f.value, 0) for f in ActivityFormat),
            *(t.mean_ratings.get(s) for s in scales),
            *(t.support_outcomes.get(o.value, 0) for o in SupportOutcome),
            *(t.practice_themes.get(p.value, 0) for p in PracticeTheme),
        ]
        for t in terms
    ]
    return csv_bytes(header, rows)
