"""Reading real files (CSV in each encoding and delimiter, XLSX) and matching their columns."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pytest

from volunteerdesk.core.importing import (
    ReadError,
    fields_for,
    read_table,
    recall_mapping,
    remember_mapping,
    sheet_names,
    suggest_mapping,
)
from volunteerdesk.core.importing.folding import fold, same_first_name
from volunteerdesk.core.importing.mapping import (
    MappingError,
    apply_overrides,
    check_mapping,
    initial_mapping,
    parse_mapping_text,
    refused,
)
from volunteerdesk.core.importing.targets import TARGETS
from volunteerdesk.core.models import Setting

ROWS = [
    ["First name", "Surname", "Notes"],
    ["Renée", "Dupré", "Gave £20 to the chapel fund"],
    ["Siân", "O'Neill", "Café; tea, and biscuits"],
]


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    import csv
    import io

    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path, sheets: dict[str, list[list]]):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("cp1252", "Windows-1252")],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_in_each_encoding_and_delimiter(tmp_path, encoding, label, delimiter):
    path = write_csv(tmp_path / "people.csv", ROWS, encoding, delimiter)
    table = read_table(path)
    assert table.headers == ["First name", "Surname", "Notes"]
    assert [cells for _n, cells in table.rows] == ROWS[1:]
    assert [n for n, _cells in table.rows] == [2, 3]
    assert table.encoding == label
    assert table.delimiter == delimiter


def test_blank_lines_are_skipped_and_rows_keep_their_numbers(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text('\n\nFirst name,Surname\n\nAnn,Lee\n , \n"Bob","Stone"\n', encoding="utf-8")
    table = read_table(path)
    assert table.header_row == 3
    assert table.rows == [(5, ["Ann", "Lee"]), (7, ["Bob", "Stone"])]


def test_a_quoted_cell_over_two_lines_is_numbered_by_its_first_line(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('Name,Notes\nAnn Lee,"line one\nline two"\nBob Stone,x\n', encoding="utf-8")
    table = read_table(path)
    assert table.rows == [(2, ["Ann Lee", "line one\nline two"]), (4, ["Bob Stone", "x"])]


def test_blank_and_repeated_headers_get_names(tmp_path):
    path = write_csv(tmp_path / "h.csv", [["Date", "", "Date"], ["1", "2", "3", "4"]])
    table = read_table(path)
    assert table.headers == ["Date", "Column B", "Date (2)", "Column D"]


def test_xlsx_first_sheet_or_a_chosen_one(tmp_path):
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Volunteers": [["First name", "DOB"], ["Ann", datetime(1970, 3, 4)], [None, None]],
            "Courts": [["Name"], ["Bob Stone"]],
        },
    )
    assert sheet_names(path) == ["Volunteers", "Courts"]
    first = read_table(path)
    assert first.sheet == "Volunteers"
    assert first.rows == [(2, ["Ann", datetime(1970, 3, 4)])]
    assert first.description == "book.xlsx, sheet Volunteers"
    assert read_table(path, "Courts").rows == [(2, ["Bob Stone"])]
    with pytest.raises(ReadError, match="no sheet called 'Staff'.*Volunteers, Courts"):
        read_table(path, "Staff")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n , \n\n", "empty"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "older Excel file"),
        ("broken.xlsx", b"not a zip", "cannot be opened as an Excel workbook"),
        ("binary.csv", b"\x00\x01\x02PK", "not a text"),
    ],
)
def test_files_that_cannot_be_read_say_why(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message):
        read_table(path)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(ReadError, match="There is no file"):
        read_table(tmp_path / "nowhere.csv")


# ----- names ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siân", "Sian"),
        ("Zoë", "Zoe"),
        ("Ó Briain", "O Briain"),
        ("O'Neill", "ONeill"),
        ("Łukasz", "Lukasz"),
        ("Smith-Jones", "Smith Jones"),
    ],
)
def test_accents_and_punctuation_fold_away(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Bill", "William"),
        ("Billy", "William"),
        ("Bob", "Robert"),
        ("Liz", "Elizabeth"),
        ("Betty", "Elizabeth"),
        ("Jim", "James"),
        ("Kate", "Catherine"),
        ("Katie", "Katherine"),
        ("Tom", "Thomas"),
        ("Dave", "David"),
        ("Mike", "Michael"),
        ("Sue", "Susan"),
        ("Maggie", "Margaret"),
        ("Jack", "John"),
        ("Ted", "Edward"),
        ("Tony", "Anthony"),
        ("Jenny", "Jennifer"),
        ("Dan", "Daniel"),
        ("Mary Anne", "Mary"),
        ("Jonathon", "Jonathan"),
        ("Mohammed", "Muhammad"),
    ],
)
def test_nicknames_meet_their_names(a, b):
    assert same_first_name(a, b)
    assert same_first_name(b, a)


@pytest.mark.parametrize(
    ("a", "b"), [("Christine", "Christopher"), ("Bill", "Robert"), ("Ann", "Jan")]
)
def test_different_names_stay_different(a, b):
    assert not same_first_name(a, b)


# ----- mapping ----------------------------------------------------------------------------
def test_common_headers_match_their_fields():
    headers = [
        "Forename",
        "Family name",
        "D.O.B.",
        "E-mail",
        "Tel",
        "Church",
        "Known as",
        "Key holder?",
        "POST CODE",
    ]
    mapping = suggest_mapping(TARGETS["volunteers"].fields, headers)
    assert mapping == {
        "first_name": "Forename",
        "last_name": "Family name",
        "date_of_birth": "D.O.B.",
        "email": "E-mail",
        "phone": "Tel",
        "community": "Church",
        "badge_name": "Known as",
        "key_holder": "Key holder?",
        "postcode": "POST CODE",
    }


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("First name", "first_name"),
        ("Given name", "first_name"),
        ("Surname", "last_name"),
        ("Last name", "last_name"),
        ("Mobile", "phone"),
        ("Phone", "phone"),
        ("Date of birth", "date_of_birth"),
        ("DOB", "date_of_birth"),
        ("Volunteer surname", "last_name"),
    ],
)
def test_volunteer_headers(header, field):
    assert suggest_mapping(TARGETS["volunteers"].fields, [header]) == {field: header}


def test_training_and_clearance_headers(database):
    with database.uow() as s:
        training = fields_for(s, "training")
    mapping = suggest_mapping(
        training, ["Name", "Key training date", "Safeguarding date", "ACCT", "Notes"]
    )
    assert mapping == {
        "full_name": "Name",
        "course:KEYS": "Key training date",
        "course:SAFEGUARDING": "Safeguarding date",
        "course:ACCT": "ACCT",
        "notes": "Notes",
    }
    clearances = suggest_mapping(
        TARGETS["clearances"].fields,
        ["Surname", "Forename", "DBS No.", "DBS certificate number", "Issue date", "Prison"],
    )
    assert clearances == {
        "last_name": "Surname",
        "first_name": "Forename",
        "dbs_certificate_number": "DBS No.",
        "granted_on": "Issue date",
        "site": "Prison",
    }


@pytest.mark.parametrize(
    "header",
    [
        "Convictions",
        "Offences",
        "Cautions",
        "Certificate content",
        "Disclosure details",
        "Other relevant information",
        "Police information",
        "Criminal record",
    ],
)
def test_certificate_content_is_never_matched(header):
    assert refused(header)
    assert suggest_mapping(TARGETS["clearances"].fields, [header, "Notes"]) == {"notes": "Notes"}
    problems = check_mapping(
        "clearances",
        TARGETS["clearances"].fields,
        [header, "Email"],
        {"notes": header, "email": "Email", "dbs_certificate_number": "Email"},
    )
    assert any("never keeps" in p for p in problems)


@pytest.mark.parametrize("header", ["DBS No.", "DBS certificate number", "Notes", "DBS details"])
def test_ordinary_columns_are_not_refused(header):
    assert not refused(header)


def test_a_mapping_without_the_required_fields_says_what_is_missing():
    fields = TARGETS["volunteers"].fields
    problems = check_mapping("volunteers", fields, ["Forename"], {"first_name": "Forename"})
    assert problems == ["Choose the columns for First name and Last name (or one for Full name)"]
    assert check_mapping("volunteers", fields, ["Name"], {"full_name": "Name"}) == []


def test_mapping_text_and_overrides():
    fields = TARGETS["volunteers"].fields
    headers = ["Forename", "Surname", "Phone (home)", "Mobile"]
    base = suggest_mapping(fields, headers)
    assert base["phone"] == "Mobile"
    changed = apply_overrides(fields, headers, base, parse_mapping_text("phone=phone (HOME)"))
    assert changed["phone"] == "Phone (home)"
    json_text = json.dumps({"First name": "Surname", "last_name": "Forename"})
    swapped = apply_overrides(fields, headers, base, parse_mapping_text(json_text))
    assert swapped["first_name"] == "Surname" and swapped["last_name"] == "Forename"
    assert "phone" not in apply_overrides(fields, headers, base, {"phone": ""})
    with pytest.raises(MappingError, match="not a field"):
        apply_overrides(fields, headers, base, {"shoe_size": "Mobile"})
    with pytest.raises(MappingError, match="no column 'Fax'"):
        apply_overrides(fields, headers, base, {"phone": "Fax"})
    with pytest.raises(MappingError, match="not field=Header"):
        parse_mapping_text("phone")


def test_the_last_mapping_is_remembered_per_target_and_headers(database):
    headers = ["Forename", "Surname", "Col X"]
    fields = TARGETS["volunteers"].fields
    with database.uow() as s:
        assert recall_mapping(s, "volunteers", headers) is None
        assert initial_mapping(s, "volunteers", fields, headers) == (
            {"first_name": "Forename", "last_name": "Surname"},
            False,
        )
        remember_mapping(
            s,
            "volunteers",
            headers,
            {"first_name": "Forename", "last_name": "Surname", "notes": "Col X"},
        )
    with database.uow() as s:
        mapping, remembered = initial_mapping(s, "volunteers", fields, list(reversed(headers)))
        assert remembered and mapping["notes"] == "Col X"
        assert recall_mapping(s, "communities", headers) is None
        assert recall_mapping(s, "volunteers", ["Forename", "Surname"]) is None
        assert s.get(Setting, "import_mapping:volunteers") is not None


# ----- the fast XLSX reader ------------------------------------------------------------------
def _openpyxl_rows(path, sheet=None):
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = [
        list(r) for r in (book[sheet] if sheet else book.worksheets[0]).iter_rows(values_only=True)
    ]
    book.close()
    return [[c for c in r] for r in rows]


def _trimmed(rows):
    """Rows without their trailing empty cells (the two readers pad differently)."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    return out


@pytest.mark.parametrize("epoch", ["1900", "1904"])
def test_the_fast_xlsx_reader_agrees_with_openpyxl(tmp_path, epoch):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    from volunteerdesk.core.importing import xlsx

    book = openpyxl.Workbook()
    if epoch == "1904":
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "People"
    sheet.append(["Name", "DOB", "Count", "Ratio", "Keys", "Serial", "Notes"])
    sheet.append(["Siân O'Neill", datetime(1970, 3, 4), 3, 0.25, True, 25631, "café £5"])
    sheet.append(
        [
            None,
            None,
            None,
            None,
            False,
            None,
            CellRichText("bold ", TextBlock(InlineFont(b=True), "part")),
        ]
    )
    sheet["B4"] = datetime(2026, 2, 28, 9, 30)
    sheet["B4"].number_format = "dd/mm/yyyy hh:mm"
    sheet["C4"] = 45000
    sheet["C4"].number_format = "d mmm yyyy"
    sheet["H5"] = "far right"
    book.create_sheet("Second").append(["Other"])
    path = tmp_path / "agree.xlsx"
    book.save(path)
    fast = xlsx.Workbook(path)
    assert list(fast.sheets) == ["People", "Second"]
    rows = [cells for _n, cells in fast.rows("People")]
    fast.close()
    expected = _openpyxl_rows(path)
    assert _trimmed(rows) == _trimmed(expected)
    assert rows[1][6] == "café £5" and rows[2][6] == "bold part"
    assert rows[3][2] == (datetime(2023, 3, 15) if epoch == "1900" else datetime(2027, 3, 16))


def test_an_xlsx_the_fast_reader_cannot_follow_is_read_by_openpyxl(tmp_path, monkeypatch):
    from volunteerdesk.core.importing import xlsx

    path = write_xlsx(tmp_path / "b.xlsx", {"S": [["Name"], ["Ann Lee"]]})

    def broken(*_args):
        raise KeyError("something unusual")

    monkeypatch.setattr(xlsx.Workbook, "__init__", broken)
    assert read_table(path).rows == [(2, ["Ann Lee"])]
    assert sheet_names(path) == ["S"]
