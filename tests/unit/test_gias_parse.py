"""Reading a GIAS establishment CSV: columns, values, bad rows, encodings, line numbers."""

import csv
import io
from pathlib import Path

import pytest

from contracts.vocabulary import Phase, Sector
from devstack.gias_cli import _chunks, _records
from services.membership.adapters import gias
from services.membership.adapters.gias import GiasFileError, RowError, SchoolRow

SAMPLE = Path(__file__).parent.parent / "fixtures" / "gias_sample.csv"

GOOD = {
    "URN": "110815",
    "EstablishmentName": "King's Ely",
    "TypeOfEstablishment (name)": "Other independent school",
    "EstablishmentTypeGroup (name)": "Independent schools",
    "PhaseOfEducation (name)": "All-through",
    "LA (code)": "873",
    "LA (name)": "Cambridgeshire",
    "NumberOfPupils": "1123",
    "PercentageFSM": "",
    "EstablishmentStatus (name)": "Open",
    "Postcode": "CB7 4DB",
}


def csv_text(*rows: dict[str, str], columns: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(GOOD))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def one(**changes: str) -> SchoolRow | RowError:
    (row,) = gias.parse(csv_text({**GOOD, **changes}))
    return row


def details(**changes: str) -> gias.SchoolDetails:
    row = one(**changes)
    assert isinstance(row, SchoolRow), row
    return row.details


def error(**changes: str) -> RowError:
    row = one(**changes)
    assert isinstance(row, RowError), row
    return row


def test_a_good_row_becomes_a_school() -> None:
    row = one()
    assert row == SchoolRow(
        line=2,
        urn="110815",
        details=gias.SchoolDetails(
            name="King's Ely",
            phase=Phase.ALL_THROUGH,
            sector=Sector.INDEPENDENT,
            establishment_type="Other independent school",
            la_code="873",
            la_name="Cambridgeshire",
            pupils=1123,
            fsm_share=None,
            open=True,
        ),
    )


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("Primary", Phase.PRIMARY),
        ("Secondary", Phase.SECONDARY),
        ("Middle deemed primary", Phase.MIDDLE),
        ("Middle deemed secondary", Phase.MIDDLE),
        ("All-through", Phase.ALL_THROUGH),
        ("16 plus", Phase.SIXTEEN_PLUS),
        ("Nursery", Phase.NURSERY),
        ("Not applicable", Phase.NOT_APPLICABLE),
        (" middle  deemed PRIMARY ", Phase.MIDDLE),
    ],
)
def test_phases(text: str, phase: Phase) -> None:
    assert details(**{gias.PHASE: text}).phase == phase


@pytest.mark.parametrize("text", ["Tertiary", ""])
def test_an_unknown_or_blank_phase_is_a_row_error(text: str) -> None:
    problem = error(**{gias.PHASE: text})
    assert problem.urn == "110815"
    assert "PhaseOfEducation (name)" in problem.message
    assert "'16 plus'" in problem.message


@pytest.mark.parametrize(
    ("establishment_type", "group", "sector"),
    [
        ("Other independent school", "Independent schools", Sector.INDEPENDENT),
        ("Other independent special school", "Independent schools", Sector.INDEPENDENT),
        ("Other independent school", "", Sector.INDEPENDENT),
        ("Independent school approved for SEN pupils", "", Sector.INDEPENDENT),
        ("Special post 16 institution", "Independent schools", Sector.INDEPENDENT),
        ("Academy converter", "Academies", Sector.STATE),
        ("Community school", "Local authority maintained schools", Sector.STATE),
        ("Non-maintained special school", "Special schools", Sector.STATE),
        ("", "", Sector.STATE),
    ],
)
def test_sector(establishment_type: str, group: str, sector: Sector) -> None:
    found = details(**{gias.TYPE: establishment_type, gias.TYPE_GROUP: group})
    assert found.sector == sector
    assert found.establishment_type == (establishment_type or None)


def test_sector_without_the_type_group_column() -> None:
    columns = [c for c in GOOD if c != gias.TYPE_GROUP]
    rows = [
        {c: v for c, v in {**GOOD, gias.TYPE: t}.items() if c in columns}
        for t in ("Other independent school", "Foundation school")
    ]
    parsed = list(gias.parse(csv_text(*rows, columns=columns)))
    assert [r.details.sector for r in parsed if isinstance(r, SchoolRow)] == [
        Sector.INDEPENDENT,
        Sector.STATE,
    ]


@pytest.mark.parametrize(
    ("text", "share"),
    [("23.4", 0.234), ("0", 0.0), ("100", 1.0), ("", None), ("SUPP", None), ("NA", None)],
)
def test_fsm_share(text: str, share: float | None) -> None:
    assert details(PercentageFSM=text).fsm_share == share


@pytest.mark.parametrize("text", ["lots", "nan", "123.5"])
def test_a_bad_fsm_percentage_is_a_row_error(text: str) -> None:
    assert "PercentageFSM" in error(PercentageFSM=text).message


def test_blank_values_are_not_known() -> None:
    found = details(NumberOfPupils="", **{gias.LA_CODE: "", gias.LA_NAME: "", gias.TYPE: ""})
    assert (found.pupils, found.la_code, found.la_name, found.establishment_type) == (
        None,
        None,
        None,
        None,
    )


def test_negative_pupils_is_a_row_error_naming_the_column() -> None:
    problem = error(NumberOfPupils="-5")
    assert problem.message.startswith("NumberOfPupils (pupils):")


def test_pupils_must_be_a_whole_number() -> None:
    assert error(NumberOfPupils="12a").message == "NumberOfPupils '12a' is not a whole number"


def test_la_code_must_have_three_digits() -> None:
    assert error(**{gias.LA_CODE: "87"}).message.startswith("LA (code) (la_code):")


def test_a_one_letter_name_is_a_row_error() -> None:
    assert error(EstablishmentName="X").message.startswith("EstablishmentName (name):")


@pytest.mark.parametrize(
    ("status", "is_open"),
    [
        ("Open", True),
        ("Open, but proposed to close", True),
        ("Proposed to open", True),
        ("Closed", False),
    ],
)
def test_open_unless_closed(status: str, is_open: bool) -> None:
    assert details(**{gias.STATUS: status}).open is is_open


@pytest.mark.parametrize("urn", ["ABC123", "12345", "", "12345678"])
def test_a_bad_urn_is_a_row_error(urn: str) -> None:
    problem = error(URN=urn)
    assert problem.urn == (urn or None)
    assert "is not a DfE URN" in problem.message


def test_a_row_with_too_few_fields_is_a_row_error() -> None:
    text = csv_text(GOOD) + "123456,Short Row\n"
    good, short = gias.parse(text)
    assert isinstance(good, SchoolRow)
    assert short == RowError(3, "123456", f"the row has 2 fields, the header has {len(GOOD)}")


def test_missing_columns_are_named_for_the_whole_file() -> None:
    columns = [c for c in GOOD if c not in ("NumberOfPupils", "LA (code)")]
    text = csv_text({c: GOOD[c] for c in columns}, columns=columns)
    with pytest.raises(GiasFileError) as raised:
        list(gias.parse(text))
    assert "'LA (code)'" in str(raised.value)
    assert "'NumberOfPupils'" in str(raised.value)
    assert raised.value.status_code == 422


@pytest.mark.parametrize(
    ("text", "says"), [("", "empty"), ("\r\n \n", "empty"), (csv_text(), "no rows")]
)
def test_a_file_without_rows_is_refused(text: str, says: str) -> None:
    with pytest.raises(GiasFileError, match=says):
        list(gias.parse(text))


def test_line_numbers_count_blank_lines_and_start_where_told() -> None:
    text = csv_text(GOOD, {**GOOD, "URN": "bad"}).replace("\r\n", "\n")
    header, first, second, _ = text.split("\n")
    text = f"{header}\n{first}\n\n{second}\n"
    assert [r.line for r in gias.parse(text)] == [2, 4]
    assert [r.line for r in gias.parse(text, first_line=100)] == [100, 102]


def test_cp1252_bytes_are_decoded() -> None:
    data = csv_text({**GOOD, "EstablishmentName": "King’s Ely"}).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (row,) = gias.parse(gias.decode(data))
    assert isinstance(row, SchoolRow)
    assert row.details.name == "King’s Ely"


def test_utf8_with_a_byte_order_mark_is_decoded() -> None:
    data = csv_text({**GOOD, "EstablishmentName": "King’s Ely"}).encode("utf-8-sig")
    text = gias.decode(data)
    assert text.startswith("URN,")
    assert next(gias.parse(text)).details.name == "King’s Ely"  # type: ignore[union-attr]


def test_a_named_charset_is_used_and_checked() -> None:
    assert gias.decode("King’s".encode("cp1252"), "cp1252") == "King’s"
    with pytest.raises(GiasFileError, match="not valid utf-8"):
        gias.decode("King’s".encode("cp1252"), "utf-8")
    with pytest.raises(GiasFileError, match="unknown charset"):
        gias.decode(b"URN", "klingon")


def test_detect_encoding_reads_blocks_split_inside_a_character() -> None:
    data = "King’s Ely".encode()
    assert gias.detect_encoding([data[:5], data[5:]]) == "utf-8-sig"
    assert gias.detect_encoding(["King’s".encode("cp1252")]) == "cp1252"
    assert gias.detect_encoding([b"\x81"]) == "latin-1"  # undefined in cp1252


def test_the_sample_file() -> None:
    rows = list(gias.parse(gias.decode(SAMPLE.read_bytes())))
    schools = [r for r in rows if isinstance(r, SchoolRow)]
    errors = [r for r in rows if isinstance(r, RowError)]
    assert len(schools) == 13
    assert [(e.line, e.urn) for e in errors] == [(13, "ABC123"), (15, "139999"), (17, "137456")]
    kings = next(s for s in schools if s.urn == "110815")
    assert kings.details.name == "King’s Ely"
    assert kings.details.sector == Sector.INDEPENDENT


def test_the_cli_sends_whole_records_with_their_lines() -> None:
    text = 'URN,Note\n1,"two\nlines"\n\n2,x\n3,y\n'
    header, *records = _records(io.StringIO(text, newline=""))
    assert header == ["URN,Note\n"]
    chunks = list(_chunks(records, 2, 2))
    assert chunks == [
        (2, 5, [['1,"two\n', 'lines"\n'], ["\n"]]),
        (5, 7, [["2,x\n"], ["3,y\n"]]),
    ]
