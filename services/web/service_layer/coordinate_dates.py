"""Dates and times as people type them into a form (a GOV.UK date input: day, month and year;
a time like `9:30am`, `14:00` or `midday`), read in England's time, with the GOV.UK Design
System's messages for what is wrong. Each field's message goes next to it."""

import re
from datetime import date, datetime, time

from services.web.forms import Form
from services.web.service_layer.coordinate_words import ENGLAND, clock, local

PARTS = ("day", "month", "year")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$")
SAID_TIMES = {"midday": time(12), "noon": time(12), "12 noon": time(12), "midnight": time(0)}
END_OF_DAY = time(23, 59)


def date_names(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}-{part}" for part in PARTS)


def date_key(prefix: str) -> str:
    """The error's key: the day's field, which the error summary links to."""
    return f"{prefix}-day"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def read_date(form: Form, prefix: str, label: str, *, required: bool) -> date | None:
    """The date typed in `prefix-day`, `-month`, `-year`; None (and a message) if there is none
    or it is not a real one. `label` names it in a sentence: 'the date of session 1'."""
    given = [form.value(name) for name in date_names(prefix)]
    key = date_key(prefix)
    if not any(given):
        if required:
            form.refuse(key, f"Enter {label}")
        return None
    missing = [part for part, value in zip(PARTS, given, strict=True) if not value]
    if missing:
        form.refuse(key, f"{_sentence(label)} must include a {missing[0]}")
        return None
    if not all(value.isdecimal() for value in given):
        form.refuse(key, f"{_sentence(label)} must be a real date, in numbers, like 27 3 2026")
        return None
    if len(given[2]) != 4:
        form.refuse(key, f"The year of {label} must include 4 numbers, like 2026")
        return None
    day, month, year = (int(value) for value in given)
    try:
        found = date(year, month, day)
    except ValueError:
        form.refuse(key, f"{_sentence(label)} must be a real date")
        return None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        form.refuse(key, f"{_sentence(label)} must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return None
    return found


def parse_time(text: str) -> time | None:
    """`9:30am`, `9.30 am`, `14:00`, `2pm`, `midday`; None if it is not a time."""
    said = " ".join(text.lower().split())
    if said in SAID_TIMES:
        return SAID_TIMES[said]
    match = TIME.match(said.replace(" ", ""))
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[3].startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def read_time(form: Form, name: str, label: str, *, required: bool) -> time | None:
    """`label` names it in a sentence: 'the time session 1 starts'."""
    given = form.value(name)
    if not given:
        if required:
            form.refuse(name, f"Enter {label}")
        return None
    found = parse_time(given)
    if found is None:
        form.refuse(name, f"Enter {label} as a time, like 9:30am or 14:00")
    return found


def at(day: date, moment: time) -> datetime:
    """That time on that day, in England."""
    return datetime.combine(day, moment, tzinfo=ENGLAND)


def date_values(prefix: str, moment: datetime | date | None) -> dict[str, str]:
    """A form's fields showing a date already set (England's day of a moment)."""
    if moment is None:
        return {}
    day = local(moment).date() if isinstance(moment, datetime) else moment
    return dict(zip(date_names(prefix), (str(day.day), str(day.month), str(day.year)), strict=True))


def time_value(moment: datetime | None, *, blank_at: time | None = None) -> str:
    """A time already set, as the form shows it ('' for one the form fills in itself)."""
    if moment is None or (
        blank_at is not None and local(moment).timetz().replace(tzinfo=None) == blank_at
    ):
        return ""
    return clock(moment)


# --- sessions: the days and times an activity runs --------------------------------------------

MOST_SESSIONS = 50


def session_names(n: int) -> tuple[str, ...]:
    return (*date_names(f"session-{n}-date"), f"session-{n}-starts", f"session-{n}-ends")


def session_values(n: int, starts_at: datetime, ends_at: datetime) -> dict[str, str]:
    return {
        **date_values(f"session-{n}-date", starts_at),
        f"session-{n}-starts": clock(starts_at),
        f"session-{n}-ends": clock(ends_at),
    }


def read_sessions(form: Form, count: int) -> list[dict[str, str]]:
    """The sessions typed (a row left empty is no session), as the events API takes them;
    at least one, each ending after it starts on its day."""
    sessions: list[dict[str, str]] = []
    for n in range(1, count + 1):
        names = session_names(n)
        if n > 1 and not any(form.value(name) for name in names):
            continue
        day = read_date(form, f"session-{n}-date", f"the date of session {n}", required=True)
        starts = read_time(form, names[3], f"the time session {n} starts", required=True)
        ends = read_time(form, names[4], f"the time session {n} ends", required=True)
        if day is None or starts is None or ends is None:
            continue
        if ends <= starts:
            form.refuse(names[4], f"Session {n} must end after it starts, on the same day")
            continue
        sessions.append(
            {"starts_at": at(day, starts).isoformat(), "ends_at": at(day, ends).isoformat()}
        )
    return sessions


def session_count(given: str | None, *, at_least: int = 1) -> int:
    """How many session rows the form shows (its hidden `sessions` field)."""
    if given and given.isdecimal() and len(given) < 3:
        return max(at_least, min(int(given), MOST_SESSIONS))
    return at_least


def end_of(day: date, moment: time | None) -> datetime:
    """A deadline typed as a day and perhaps a time: that time, or the end of the day."""
    return at(day, moment or END_OF_DAY)


def start_of(day: date) -> datetime:
    return at(day, time(0))
