"""Strict input types every service's request bodies and domain models use.

- `Moment`: a datetime with its time zone, between the years 2000 and 2100 (a naive one, or one
  in year 1, cannot be compared with the others or shifted without overflow); `Day`: a date in
  those years; `HappenedOn`: the day something happened, so not later than tomorrow (a step
  dated 9999-12-31 would be recorded as done).
- `Count`: a whole number given as one (not `true`, not `"10"`, not `1e2`), bounded.
- `Name` and `Line`: one line of text, stripped, not blank, with no control or invisible
  formatting characters (NUL, CR/LF, zero-width spaces, right-to-left overrides); `Text`: the
  same, but line breaks and tabs are allowed; `WebLink`: an http(s) link, kept as written.
"""

import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, HttpUrl, StrictInt, TypeAdapter

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
LINE_BREAKS = frozenset("\n\t")


def _within_window(value: datetime) -> datetime:
    if not EARLIEST <= value < LATEST:
        raise ValueError(f"must be between {EARLIEST.year} and {LATEST.year - 1}")
    return value


def _a_sane_day(value: date) -> date:
    if not EARLIEST.date() <= value < LATEST.date():
        raise ValueError(f"must be between {EARLIEST.year} and {LATEST.year - 1}")
    return value


def _not_ahead(value: date) -> date:
    if value > date.today() + timedelta(days=1):  # a day's slack for time zones
        raise ValueError("is the day it happened: it cannot be in the future")
    return _a_sane_day(value)


def moment_problem(value: datetime) -> str | None:
    """Why the datetime is not an acceptable moment (None if it is)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return "must include a time zone"
    try:
        _within_window(value)
    except ValueError as exc:
        return str(exc)
    return None


def _clean(value: str, *, allowed: frozenset[str]) -> str:
    for character in value:
        if character not in allowed and unicodedata.category(character) in ("Cc", "Cf"):
            name = unicodedata.name(character, f"U+{ord(character):04X}")
            raise ValueError(f"must not contain control or invisible characters ({name})")
    stripped = value.strip()
    if not stripped:
        raise ValueError("must not be blank")
    return stripped


def _one_line(value: str) -> str:
    return _clean(value, allowed=frozenset())


def _lines(value: str) -> str:
    return _clean(value, allowed=LINE_BREAKS)


_HTTP_URL = TypeAdapter(HttpUrl)


def _web_link(value: str) -> str:
    """An http(s) link, kept as written: a URL library's normal form of an odd one (a very long
    or international host) may not read back as the same URL."""
    link = _one_line(value)
    _HTTP_URL.validate_python(link)
    if not link.lower().startswith(("http://", "https://")):
        raise ValueError("must be an http or https link")
    return link


Moment = Annotated[AwareDatetime, AfterValidator(_within_window)]
Day = Annotated[date, AfterValidator(_a_sane_day)]
HappenedOn = Annotated[date, AfterValidator(_not_ahead)]
Count = Annotated[StrictInt, Field(ge=0, le=100_000)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
Line = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_one_line)]
Text = Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(_lines)]
WebLink = Annotated[str, Field(min_length=10, max_length=500), AfterValidator(_web_link)]
