"""Certificates of attendance as PDF documents (fpdf2, its built-in Helvetica)."""

from collections.abc import Sequence
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fpdf import FPDF

from contracts.activities import Session
from eventkit.pdf_text import ENCODING, printable
from services.events.domain.attendance import CertificateContent

__all__ = ["CertificateContent", "render"]


def _local_zone() -> tzinfo | None:
    try:
        return ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:  # no time zone database: show the times as given
        return None


LOCAL = _local_zone()


MAX_SESSIONS_LISTED = 4


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL) if LOCAL is not None and moment.tzinfo else moment


def _day(moment: datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B %Y}"


def _when(session: Session) -> str:
    starts, ends = _local(session.starts_at), _local(session.ends_at)
    if ends.date() == starts.date():
        return f"{_day(starts)}, {starts:%H:%M} to {ends:%H:%M}"
    return f"{_day(starts)} {starts:%H:%M} to {_day(ends)} {ends:%H:%M}"


def _dates(sessions: Sequence[Session]) -> list[str]:
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    if len(ordered) <= MAX_SESSIONS_LISTED:
        return [_when(s) for s in ordered]
    first, last = _local(ordered[0].starts_at), _local(ordered[-1].ends_at)
    return [f"{len(ordered)} sessions from {_day(first)} to {_day(last)}"]


def _hours(hours: float) -> str:
    return "1 hour" if hours == 1 else f"{hours:g} hours"


FOOTER_FROM_BOTTOM = 34.0
SCALES = (1.0, 0.85, 0.7, 0.55)
"""Text sizes tried in turn until the body fits above the footer."""


def render(content: CertificateContent) -> bytes:
    """The certificate as a one-page A4 landscape PDF."""
    for scale in SCALES:
        pdf, fits = _draw(content, scale)
        if fits:
            break
    return bytes(pdf.output())


def _draw(content: CertificateContent, scale: float) -> tuple[FPDF, bool]:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(printable(f"Certificate of attendance: {content.activity_title}"))
    pdf.set_author(printable(content.partnership_name))
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(25, 22, 25)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)

    def line(text: str, size: float, style: str = "", gap: float = 4) -> None:
        pdf.set_font("Helvetica", style=style, size=size * scale)
        pdf.multi_cell(width, size * scale * 0.5, printable(text), align="C")
        pdf.ln(gap * scale)

    pdf.set_text_color(40, 70, 120)
    line("Certificate of Attendance", 30, "B", gap=10)
    pdf.set_text_color(0, 0, 0)
    line("This is to certify that", 14)
    line(content.person_name or "(name not known)", 26, "B", gap=6)
    line("attended", 14)
    line(content.activity_title, 20, "B", gap=6)
    if content.partnership_name:
        line(f"run by {content.partnership_name}", 13, gap=2)
    if content.host:
        line(f"hosted by {content.host}", 13, gap=2)
    pdf.ln(4 * scale)
    for dates in _dates(content.sessions):
        line(dates, 12, gap=1)
    pdf.ln(4 * scale)
    line(f"{_hours(content.hours)} of professional development", 13, "B", gap=0)
    fits = pdf.get_y() <= pdf.h - FOOTER_FROM_BOTTOM

    pdf.set_y(pdf.h - FOOTER_FROM_BOTTOM)
    pdf.set_text_color(90, 90, 90)
    pdf.set_font("Helvetica", size=9)
    issued = f"{content.issued_on.day} {content.issued_on:%B %Y}"
    pdf.multi_cell(
        width, 4.5, printable(f"Issued on {issued}  |  Reference {content.reference}"), align="C"
    )
    return pdf, fits
