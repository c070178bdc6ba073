"""A term report as a one-page PDF a board or governors' meeting can read: the term's figures
beside the term before, and what the activities were about (fpdf2, its built-in Helvetica)."""

from datetime import date

from fpdf import FPDF

from eventkit.pdf_text import printable
from services.reporting.adapters.charts import number
from services.reporting.domain.participation import TermFigures

FIGURES: tuple[tuple[str, str], ...] = (
    ("activities", "Activities"),
    ("cancelled", "Activities cancelled"),
    ("places_offered", "Places offered"),
    ("places_taken", "Places taken"),
    ("schools_taking_part", "Schools taking part"),
    ("staff_reached", "Staff reached"),
    ("pupils_reached", "Pupils reached"),
    ("cpd_hours", "CPD hours"),
    ("attendance_rate", "Attendance"),
    ("cross_sector_activities", "Activities across state and independent schools"),
    ("evaluations", "Evaluations returned"),
    ("support_agreed", "School-to-school support agreed"),
    ("support_closed", "School-to-school support closed"),
    ("case_studies_published", "Case studies published"),
)


def _scale(key: str) -> str:
    """`on_the_day.confidence_after` as people say it: On the day, confidence after."""
    stage, _, scale = key.partition(".")
    return f"{stage.replace('_', ' ').capitalize()}, {scale.replace('_', ' ')}"


def _value(figures: TermFigures | None, field: str) -> str:
    if figures is None:
        return "-"
    value = getattr(figures, field)
    if value is None:
        return "-"
    if field == "attendance_rate":
        return f"{value:.0%}"
    return number(value)


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}".replace(".00", "")


def beyond_the_programme(term: TermFigures) -> str:
    """The term's other work in a sentence: money raised, publications, swaps, peer reviews,
    outside contributors; empty if none."""
    said = []
    if term.funds_raised_pence:
        each = ", ".join(f"{c} {_pounds(p)}" for c, p in term.funds_by_charity.items())
        said.append(f"{_pounds(term.funds_raised_pence)} raised for charity ({each})")
    if term.publication_issues:
        said.append(
            f"{term.publication_issues} publication issue(s) by {term.pupils_published} pupils"
        )
    if term.placement_swaps:
        said.append(
            f"{term.placement_swaps} placement swap(s), {term.trainees_exchanged} trainees placed"
        )
    if term.peer_reviews:
        said.append(
            f"{term.peer_reviews} peer review(s), {term.peer_review_actions_done} of "
            f"{term.peer_review_actions_agreed} actions done"
        )
    if term.contributors:
        each = ", ".join(f"{n} {role}(s)" for role, n in term.contributors.items())
        said.append(f"confirmed to speak, facilitate or host: {each}")
    return "; ".join(said)


def render(name: str, term: TermFigures, before: TermFigures | None, *, produced: date) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_title(printable(f"{name}: {term.term}"))
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 9, printable(name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 9, printable(f"Term report: {term.term}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.set_text_color(80, 90, 95)
    pdf.cell(0, 6, f"Produced on {produced:%d %B %Y}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(11, 12, 12)
    pdf.ln(4)

    widths = (100, 35, 35)
    pdf.set_font("Helvetica", "B", 11)
    for width, heading in zip(widths, ("", "This term", "Term before"), strict=True):
        pdf.cell(width, 8, heading, border="B", align="R" if heading else "L")
    pdf.ln()
    pdf.set_font("Helvetica", "", 11)
    for field, label in FIGURES:
        pdf.cell(widths[0], 7, printable(label), border="B")
        pdf.cell(widths[1], 7, _value(term, field), border="B", align="R")
        pdf.cell(widths[2], 7, _value(before, field), border="B", align="R")
        pdf.ln()
    if term.mean_ratings:
        said = "; ".join(f"{_scale(key)} {mean:g}" for key, mean in term.mean_ratings.items())
        pdf.ln(3)
        pdf.multi_cell(
            0, 6, printable(f"Mean ratings (1 to 5): {said}."), new_x="LMARGIN", new_y="NEXT"
        )

    if also := beyond_the_programme(term):
        pdf.ln(3)
        pdf.multi_cell(0, 6, printable(f"Also this term: {also}."), new_x="LMARGIN", new_y="NEXT")

    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "What the activities were about", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    rows = sorted(term.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    for category, count in rows or [("none this term", 0)]:
        words = category.replace("_", " ")
        pdf.cell(
            0,
            6,
            printable(f"{words[:1].upper()}{words[1:]}: {count}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )

    pdf.set_y(-30)
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(80, 90, 95)
    pdf.multi_cell(
        0,
        5,
        "From the partnership platform's reporting, built from what happened: bookings, "
        "attendance and evaluations. Pupils are counted, never named.",
    )
    return bytes(pdf.output())
