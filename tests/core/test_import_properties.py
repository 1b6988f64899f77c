"""Property tests: whatever is in the cells, the importer never crashes and reports every bad row."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteerdesk.core.importing import Outcome, Table, build_plan, read_table
from volunteerdesk.core.importing.mapping import suggest_mapping
from volunteerdesk.core.importing.targets import TARGETS
from volunteerdesk.core.models import Volunteer, VolunteerStatus
from volunteerdesk.core.services import editing

TODAY = date(2026, 11, 23)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

cells = st.one_of(
    st.none(),
    st.text(max_size=25),
    st.sampled_from(["", " ", "yes", "no", "31/02/2026", "01/01/1970", "07700 900123", "a@b.co"]),
    st.sampled_from([float("inf"), float("nan"), -1.0, 1e300, 7700900123, 0, "\u00a0"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2200, 1, 1)),
    st.booleans(),
)


@pytest.fixture
def db(sqlite_database):
    with sqlite_database.uow() as s:
        for first, last, born in [("William", "Smith", date(1960, 5, 1)), ("Siân", "Evans", None)]:
            editing.create(
                s,
                Volunteer,
                {
                    "first_name": first,
                    "last_name": last,
                    "date_of_birth": born,
                    "status": VolunteerStatus.ACTIVE,
                },
                "setup",
            )
    return sqlite_database


def _headers(target: str) -> list[str]:
    return [spec.label for spec in TARGETS[target].fields]


@settings(SETTINGS, max_examples=200)
@given(target=st.sampled_from(list(TARGETS)), data=st.data())
def test_random_cells_never_crash_the_preview(db, target, data):
    headers = _headers(target)
    width = st.integers(min_value=0, max_value=len(headers) + 2)
    rows = data.draw(
        st.lists(width.flatmap(lambda n: st.lists(cells, min_size=n, max_size=n)), max_size=12)
    )
    numbered = [
        (n, row)
        for n, row in enumerate(rows, start=2)
        if any(c is not None and str(c).strip() for c in row)
    ]
    table = Table("random.xlsx", headers, numbered, sheet="Sheet1")
    with db.uow() as s:
        plan = build_plan(
            s, target, table, suggest_mapping(TARGETS[target].fields, headers), today=TODAY
        )
    numbers = {n for n, _row in numbered}
    planned = {r.row for r in plan.rows}
    assert planned <= numbers
    assert len(planned) + plan.blank_rows == len(numbers)
    for r in plan.rows:
        assert (r.outcome is Outcome.ERROR) == bool(r.errors)
        for e in r.errors:
            assert e.row == r.row and e.message
            assert e.column in headers or e.column == ""


ODD_VALUES = [
    float("inf"),
    float("-inf"),
    float("nan"),
    1e300,
    -1,
    0,
    0.5,
    True,
    False,
    datetime(1, 1, 1),
    date(9999, 12, 31),
    timedelta(hours=2),
    "\u00a0",
    "💥",
    "1e5",
    "-0",
    "99999999999999999999",
    "00/00/0000",
    10**20,
]


@pytest.mark.parametrize("target", list(TARGETS))
def test_odd_values_in_any_field_give_a_message_never_a_crash(target):
    from volunteerdesk.core.importing.validate import parse_cell
    from volunteerdesk.core.validation import InvalidValue

    for spec in TARGETS[target].fields:
        for value in ODD_VALUES:
            try:
                parse_cell(spec, value)
            except InvalidValue as exc:
                assert str(exc)


GOOD_FORMATS = ["%d/%m/%Y", "%d %b %Y", "%d %B %Y", "%Y-%m-%d"]
names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÀÉÎÕÜçñøłßSZ' -"), min_size=1, max_size=12
).filter(lambda t: any(ch.isalpha() for ch in t))
good_dob = st.tuples(
    st.dates(min_value=date(1920, 1, 1), max_value=date(2008, 12, 31)),
    st.sampled_from(GOOD_FORMATS + ["serial"]),
).map(lambda p: (p[0] - date(1899, 12, 30)).days if p[1] == "serial" else p[0].strftime(p[1]))
bad_dob = st.sampled_from(
    ["31/02/2026", "30/02/1990", "00/01/1980", "13/13/1980", "yesterday", "1/2"]
)
good_phone = st.integers(min_value=0, max_value=999999).map(lambda n: f"07700 {n:06d}")
bad_phone = st.sampled_from(["12345", "0800", "+1 555 0100", "phone me"])
good_email = st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.org", fullmatch=True)
bad_email = st.sampled_from(["no-at-sign.org", "two@@signs.org", "a@b", "x y@z.org"])
COLUMNS = ["First name", "Surname", "DOB", "Mobile", "E-mail"]


@st.composite
def row_with_faults(draw):
    """A row and the columns in it that are wrong."""
    faults = draw(st.sets(st.sampled_from(["Surname", "DOB", "Mobile", "E-mail"])))
    row = [
        draw(names),
        "" if "Surname" in faults else draw(names),
        draw(bad_dob if "DOB" in faults else st.one_of(st.just(""), good_dob)),
        draw(bad_phone if "Mobile" in faults else st.one_of(st.just(""), good_phone)),
        draw(bad_email if "E-mail" in faults else st.one_of(st.just(""), good_email)),
    ]
    pad = draw(st.sampled_from(["", " ", "  "]))
    return [f"{pad}{c}{pad}" if isinstance(c, str) and c else c for c in row], faults


@SETTINGS
@given(rows=st.lists(row_with_faults(), min_size=1, max_size=20))
def test_every_bad_row_is_reported_with_its_columns(db, rows):
    table = Table("people.xlsx", COLUMNS, [(n, r) for n, (r, _f) in enumerate(rows, start=2)])
    with db.uow() as s:
        plan = build_plan(s, "volunteers", table, today=TODAY)
    reported: dict[int, set[str]] = {}
    for e in plan.errors:
        reported.setdefault(e.row, set()).add(e.column)
    expected = {n: faults for n, (_r, faults) in enumerate(rows, start=2) if faults}
    assert reported == expected
    for r in plan.rows:
        if r.row not in expected:
            assert r.outcome in (Outcome.NEW, Outcome.DUPLICATE, Outcome.UPDATE, Outcome.UNCHANGED)
            assert r.values["first_name"] == r.values["first_name"].strip()


CP1252 = "abcXYZ 019 £€éèàçñöüÆ-_'\"\n,;\t"
UNICODE = CP1252 + "łŁőžΩЖ中文ع🙂ŵŷ"


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    data=st.data(),
)
def test_csv_cells_come_back_as_written(tmp_path_factory, encoding, delimiter, data):
    alphabet = CP1252 if encoding == "cp1252" else UNICODE
    cell = st.text(alphabet=st.sampled_from(alphabet), max_size=10)
    rows = data.draw(st.lists(st.lists(cell, min_size=3, max_size=3), max_size=8))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([["Name", "Notes", "Phone"], *rows])
    path = tmp_path_factory.mktemp("csv") / "file.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    table = read_table(path)
    assert table.headers == ["Name", "Notes", "Phone"]
    expected = []
    for row in rows:
        while row and not row[-1].strip():
            row = row[:-1]
        if row:
            expected.append(row)
    assert [cells for _n, cells in table.rows] == expected


def test_an_excel_serial_and_the_date_it_stands_for_are_the_same_day():
    from volunteerdesk.core.validation import parse_uk_date

    for days in (1, 25631, 45000, 60000):
        assert parse_uk_date(days) == date(1899, 12, 30) + timedelta(days=days)
