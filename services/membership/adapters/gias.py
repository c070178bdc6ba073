"""Reading schools from a GIAS establishment CSV (`edubasealldata*.csv` from Get Information
about Schools): each data row becomes a URN with its `SchoolDetails`, or a `RowError` saying why
the row cannot be taken.

GIAS files are usually cp1252 (Windows) encoded; `decode` also takes UTF-8, with or without a
byte-order mark. Rows are read one at a time, so a national file of 50,000 rows is never held
as parsed rows all at once. Line numbers are physical lines of the file (the header is line 1).
"""

import codecs
import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from contracts.vocabulary import URN_PATTERN, Phase, Sector
from eventkit.errors import Invalid
from services.membership.domain.school import SchoolDetails

URN = "URN"
NAME = "EstablishmentName"
TYPE = "TypeOfEstablishment (name)"
TYPE_GROUP = "EstablishmentTypeGroup (name)"
PHASE = "PhaseOfEducation (name)"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
PUPILS = "NumberOfPupils"
FSM = "PercentageFSM"
STATUS = "EstablishmentStatus (name)"

REQUIRED_COLUMNS = (URN, NAME, TYPE, PHASE, LA_CODE, LA_NAME, PUPILS, FSM, STATUS)
"""Columns every file must have; `EstablishmentTypeGroup (name)` is used when present."""

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
"""Tried in this order; latin-1 decodes any bytes, so one of them always fits."""

PHASES: dict[str, Phase] = {
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE,
    "middle deemed secondary": Phase.MIDDLE,
    "secondary": Phase.SECONDARY,
    "all-through": Phase.ALL_THROUGH,
    "16 plus": Phase.SIXTEEN_PLUS,
    "not applicable": Phase.NOT_APPLICABLE,
}

INDEPENDENT_TYPES = frozenset({"other independent school", "other independent special school"})
INDEPENDENT_GROUP = "independent schools"
FSM_NOT_GIVEN = frozenset({"", "supp", "na", "n/a"})
"""PercentageFSM values that mean "not known": blank, suppressed, not applicable."""

COLUMN_OF_FIELD = {
    "name": NAME,
    "phase": PHASE,
    "sector": TYPE,
    "establishment_type": TYPE,
    "la_code": LA_CODE,
    "la_name": LA_NAME,
    "pupils": PUPILS,
    "fsm_share": FSM,
    "open": STATUS,
}


class GiasFileError(Invalid):
    """The file as a whole cannot be read as a GIAS establishment CSV (422)."""


@dataclass(frozen=True)
class SchoolRow:
    """A row that reads as a school."""

    line: int
    urn: str
    details: SchoolDetails


@dataclass(frozen=True)
class RowError:
    """A row that cannot be taken, and why."""

    line: int
    urn: str | None
    message: str


def detect_encoding(blocks: Iterable[bytes]) -> str:
    """The first of ENCODINGS that decodes every block, read in one pass."""
    decoders = {name: codecs.getincrementaldecoder(name)() for name in ENCODINGS}
    for block in (*blocks, b""):
        for name, decoder in list(decoders.items()):
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError:
                del decoders[name]
    return next(name for name in ENCODINGS if name in decoders)


def decode(data: bytes, charset: str | None = None) -> str:
    """The text of a file: in `charset` when the sender names one, else in the first of
    ENCODINGS that fits."""
    if charset:
        try:
            return data.decode(charset)
        except LookupError:
            raise GiasFileError(f"unknown charset {charset!r}") from None
        except UnicodeDecodeError as exc:
            raise GiasFileError(
                f"the file is not valid {charset}: byte {exc.start} cannot be decoded"
            ) from None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def parse(text: str, *, first_line: int = 2) -> Iterator[SchoolRow | RowError]:
    """Each data row of a GIAS CSV, in order.

    `first_line` is the line number the first line after the header has in the original file,
    so that a file sent in pieces (the header repeated on each) reports the original lines.
    Raises GiasFileError, on first use, for an empty file, a file without the columns we need,
    or one with a header and no rows.
    """
    if not text.strip():
        raise GiasFileError(
            "the file is empty: expected a GIAS establishment CSV with a header row"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _header(reader)
    columns = {name: index for index, name in enumerate(header)}
    offset = first_line - reader.line_num - 1
    line_after = reader.line_num
    rows = 0
    for fields in reader:
        line, line_after = line_after + 1 + offset, reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue  # a blank line
        rows += 1
        yield _row(line, fields, columns, len(header))
    if rows == 0:
        raise GiasFileError("the file has a header but no rows of schools")


def _header(reader: Iterator[list[str]]) -> list[str]:
    try:
        header = next(reader)
    except csv.Error as exc:
        raise GiasFileError(f"the header row is not valid CSV: {exc}") from None
    header = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise GiasFileError(
            "not a GIAS establishment CSV: missing column(s) "
            + ", ".join(repr(name) for name in missing)
        )
    return header


def _row(line: int, fields: list[str], columns: dict[str, int], width: int) -> SchoolRow | RowError:
    raw_urn = fields[columns[URN]].strip() if len(fields) > columns[URN] else ""
    urn = raw_urn or None
    if len(fields) != width:
        return RowError(line, urn, f"the row has {len(fields)} fields, the header has {width}")

    def value(column: str) -> str:
        index = columns.get(column)
        return fields[index].strip() if index is not None else ""

    try:
        if not _is_urn(raw_urn):
            raise _Unreadable(f"{URN} {raw_urn!r} is not a DfE URN (6 or 7 digits)")
        establishment_type = value(TYPE) or None
        candidate = {
            "name": value(NAME),
            "phase": _phase(value(PHASE)),
            "sector": _sector(establishment_type, value(TYPE_GROUP)),
            "establishment_type": establishment_type,
            "la_code": value(LA_CODE) or None,
            "la_name": value(LA_NAME) or None,
            "pupils": _pupils(value(PUPILS)),
            "fsm_share": _fsm_share(value(FSM)),
            "open": not value(STATUS).lower().startswith("closed"),
        }
    except _Unreadable as exc:
        return RowError(line, urn, str(exc))
    try:
        details = SchoolDetails.model_validate(candidate)
    except ValidationError as exc:
        return RowError(line, urn, describe(exc))
    return SchoolRow(line, raw_urn, details)


class _Unreadable(ValueError):
    """A value of a row that does not mean what its column says."""


def describe(exc: ValidationError) -> str:
    """What is wrong with a row's details, naming the GIAS column and our field."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        column = COLUMN_OF_FIELD.get(field)
        where = f"{column} ({field})" if column else field or "row"
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)


def _is_urn(text: str) -> bool:
    return re.fullmatch(URN_PATTERN, text) is not None


def _phase(text: str) -> Phase:
    phase = PHASES.get(" ".join(text.lower().split()))
    if phase is None:
        known = ", ".join(repr(name.capitalize()) for name in PHASES)
        shown = repr(text) if text else "blank"
        raise _Unreadable(f"{PHASE} is {shown}, not a phase we know; expected one of {known}")
    return phase


def _sector(establishment_type: str | None, type_group: str) -> Sector:
    kind = (establishment_type or "").lower()
    if (
        kind in INDEPENDENT_TYPES
        or "independent" in kind
        or type_group.lower() == INDEPENDENT_GROUP
    ):
        return Sector.INDEPENDENT
    return Sector.STATE


def _pupils(text: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise _Unreadable(f"{PUPILS} {text!r} is not a whole number") from None


def _fsm_share(text: str) -> float | None:
    """PercentageFSM "23.4" is a share of 0.234; blank, "SUPP" or "NA" is not known."""
    if text.lower() in FSM_NOT_GIVEN:
        return None
    try:
        percent = float(text.removesuffix("%"))
    except ValueError:
        percent = math.nan
    if not math.isfinite(percent):
        raise _Unreadable(f"{FSM} {text!r} is not a percentage")
    return round(percent / 100, 6)
