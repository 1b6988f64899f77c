"""Calendars and spreadsheets, read back by other parsers than the ones that wrote them:
the .ics files by a small line parser here, the CSV by the csv module, the XLSX by
openpyxl's reader."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from volunteerdesk.core.demo import build_demo
from volunteerdesk.core.exports import ics, tables
from volunteerdesk.core.lookup import find_site, find_volunteer
from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    Community,
    CommunityKind,
    Shift,
    ShiftStatus,
    Volunteer,
)
from volunteerdesk.core.services.rota import rota_week

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(database):
    """The small demo on each configured back end (SQLite, and PostgreSQL when set)."""
    build_demo(database, size="small", seed=1, today=TODAY)
    return database


# ----- a minimal RFC 5545 reader, independent of the icalendar package ----------------------
def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "every line ends CRLF"
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def components(lines: list[str], name: str) -> list[dict[str, str]]:
    """Each BEGIN:name ... END:name block as {property (with parameters): value}."""
    found, current = [], None
    for line in lines:
        if line == f"BEGIN:{name}":
            current = {}
        elif line == f"END:{name}":
            found.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current[key] = value
    return found


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def volunteer_with_summer_shifts(s):
    return (
        s.execute(
            select(Assignment.volunteer_id)
            .join(Shift, Assignment.shift_id == Shift.id)
            .where(Shift.date.between(date(2027, 4, 1), date(2027, 6, 30)))
            .group_by(Assignment.volunteer_id)
            .order_by(Assignment.volunteer_id)
        )
        .scalars()
        .first()
    )


def test_a_volunteers_calendar_keeps_wall_clock_times_across_the_clock_change(demo):
    stamp = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with demo.uow() as s:
        vid = volunteer_with_summer_shifts(s)
        shifts = s.execute(
            select(Shift.id, Shift.date, Shift.start_time, Shift.end_time)
            .join(Assignment, Assignment.shift_id == Shift.id)
            .where(Assignment.volunteer_id == vid, Shift.date.between(TODAY, date(2027, 6, 30)))
        ).all()
        data = ics.volunteer_calendar(s, vid, TODAY, date(2027, 6, 30), stamp=stamp)
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines
    assert all(len(line.encode()) <= 75 for line in data.decode().split("\r\n"))
    (zone,) = components(lines, "VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    events = components(lines, "VEVENT")
    assert len(events) == len(shifts) > 0
    by_uid = {e["UID"]: e for e in events}
    seasons = set()
    for shift_id, day, start, end in shifts:
        event = by_uid[f"shift-{shift_id}-volunteer-{vid}@volunteerdesk.invalid"]
        assert event["DTSTART;TZID=Europe/London"] == f"{day:%Y%m%d}T{start:%H%M%S}"
        assert event["DTEND;TZID=Europe/London"] == f"{day:%Y%m%d}T{end:%H%M%S}"
        assert event["DTSTAMP"] == "20261123T090000Z"
        seasons.add(date(2027, 3, 28) <= day < date(2027, 10, 31))
    assert seasons == {True, False}, "shifts in winter (GMT) and summer (BST) alike"


def test_uids_are_stable_so_a_second_import_updates(demo):
    with demo.uow() as s:
        vid = volunteer_with_summer_shifts(s)
        first = ics.volunteer_calendar(
            s, vid, TODAY, date(2027, 3, 31), stamp=datetime(2026, 11, 23, tzinfo=UTC)
        )
        second = ics.volunteer_calendar(
            s, vid, TODAY, date(2027, 3, 31), stamp=datetime(2026, 12, 1, tzinfo=UTC)
        )
    uids = [e["UID"] for e in components(unfold(first), "VEVENT")]
    again = [e["UID"] for e in components(unfold(second), "VEVENT")]
    assert uids == again and len(set(uids)) == len(uids)
    seq1 = [int(e["SEQUENCE"]) for e in components(unfold(first), "VEVENT")]
    seq2 = [int(e["SEQUENCE"]) for e in components(unfold(second), "VEVENT")]
    assert all(b > a for a, b in zip(seq1, seq2, strict=True)), "a later export is newer"


def test_declined_and_cancelled_sessions_stay_as_cancelled_events(demo):
    with demo.uow() as s:
        vid = volunteer_with_summer_shifts(s)
        a, b, c = s.scalars(
            select(Assignment)
            .join(Shift, Assignment.shift_id == Shift.id)
            .where(Assignment.volunteer_id == vid, Shift.date >= TODAY)
            .order_by(Shift.date)
        ).all()[:3]
        a.status = AssignmentStatus.DECLINED
        b.shift.status = ShiftStatus.CANCELLED
        c.status = AssignmentStatus.PROPOSED
        ids = (a.shift_id, b.shift_id, c.shift_id)
    with demo.uow() as s:
        events = components(
            unfold(ics.volunteer_calendar(s, vid, TODAY, date(2027, 8, 1))), "VEVENT"
        )
    by_shift = {int(e["UID"].split("-")[1]): e for e in events}
    assert by_shift[ids[0]]["STATUS"] == "CANCELLED"
    assert "declined" in unescape(by_shift[ids[0]]["DESCRIPTION"])
    assert by_shift[ids[1]]["STATUS"] == "CANCELLED"
    assert by_shift[ids[2]]["STATUS"] == "TENTATIVE"


def test_a_sites_calendar_names_who_is_on_and_what_is_vacant(demo):
    with demo.uow() as s:
        court = find_site(s, "Westmoor Magistrates' Court")[0]
        week = rota_week(s, court, date(2026, 12, 21))
        data = ics.site_calendar(s, court, date(2026, 12, 21), date(2026, 12, 27))
    events = {e["UID"]: e for e in components(unfold(data), "VEVENT")}
    assert len(events) == len(week.shifts)
    for shift in week.shifts:
        event = events[f"shift-{shift.id}@volunteerdesk.invalid"]
        description = unescape(event["DESCRIPTION"])
        assert all(p.name in description for p in shift.people)
        assert ("VACANT" in description) == (shift.needed > 0 and not shift.cancelled)
        assert "Westmoor Magistrates' Court" in unescape(event["LOCATION"])


def test_unknown_volunteer_or_site(demo):
    with demo.uow() as s, pytest.raises(LookupError):
        ics.volunteer_calendar(s, 10_000, TODAY, TODAY)
    with demo.uow() as s, pytest.raises(LookupError):
        ics.site_calendar(s, 10_000, TODAY, TODAY)


# ----- CSV and XLSX ---------------------------------------------------------------------------
ROWS = [
    {
        "name": "Bob <x",
        "community": "AT&T",
        "phone": "+44 7700 900123",
        "since": date(2026, 1, 2),
        "at": time(9, 30),
        "keys": True,
        "note": '=HYPERLINK("http://x")',
    },
    {
        "name": "Zoë",
        "community": "-cmd|' /C calc'!A0",
        "phone": "",
        "since": None,
        "at": None,
        "keys": False,
        "note": "@SUM(1)",
    },
]
COLUMNS = [
    ("Name", "name"),
    ("Community", "community"),
    ("Phone", "phone"),
    ("Since", "since"),
    ("At", "at"),
    ("Keys", "keys"),
    ("Note", "note"),
    ("Upper", lambda r: r["name"].upper()),
]


def test_csv_is_utf8_for_excel_and_defuses_formulas(tmp_path):
    path = tables.write_csv(ROWS, COLUMNS, tmp_path / "list.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Name", "Community", "Phone", "Since", "At", "Keys", "Note", "Upper"]
    assert rows[1][:6] == ["Bob <x", "AT&T", "+44 7700 900123", "02/01/2026", "09:30", "Yes"]
    assert rows[1][6] == '\'=HYPERLINK("http://x")'
    assert rows[2][:2] == ["Zoë", "'-cmd|' /C calc'!A0"] and rows[2][6] == "'@SUM(1)"
    assert rows[2][7] == "ZOË"


def test_xlsx_keeps_types_and_never_writes_a_formula(tmp_path):
    path = tables.write_xlsx(ROWS, COLUMNS, tmp_path / "list.xlsx", "Volunteers: [all]")
    book = load_workbook(path)
    sheet = book.active
    assert sheet.title == "Volunteers   all"
    assert [c.value for c in sheet[1]] == [t for t, _k in COLUMNS]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "Bob <x" and sheet["B2"].value == "AT&T"
    assert (
        sheet["D2"].value.date() == date(2026, 1, 2) and sheet["D2"].number_format == "dd/mm/yyyy"
    )
    assert sheet["F2"].value == "Yes"
    assert sheet["G2"].value == '=HYPERLINK("http://x")' and sheet["G2"].data_type == "s"
    assert sheet["B3"].data_type == "s"


def test_write_table_chooses_by_extension(tmp_path):
    assert tables.write_table(ROWS, COLUMNS, tmp_path / "a.xlsx").suffix == ".xlsx"
    assert tables.write_table(ROWS, COLUMNS, tmp_path / "a.csv").suffix == ".csv"
    with pytest.raises(ValueError, match="csv or .xlsx"):
        tables.write_table(ROWS, COLUMNS, tmp_path / "a.txt")


def test_rota_rows_have_a_row_per_volunteer_and_per_vacant_place(demo, tmp_path):
    with demo.uow() as s:
        court = find_site(s, "Westmoor Magistrates' Court")[0]
        week = rota_week(s, court, date(2026, 12, 21))
        rows = tables.rota_rows(s, court, date(2026, 12, 21), date(2026, 12, 27))
    assert sum(1 for r in rows if r.volunteer == "VACANT") == week.places_needed
    placed = sorted(p.name for shift in week.shifts for p in shift.people)
    assert sorted(r.volunteer for r in rows if r.status not in ("vacant", "cancelled")) == placed
    path = tables.write_xlsx(rows, tables.ROTA_COLUMNS, tmp_path / "rota.xlsx", "Rota")
    sheet = load_workbook(path).active
    assert sheet.max_row == len(rows) + 1
    assert sheet["B2"].value == "Monday" and sheet["C2"].value == time(9, 30)


def test_the_volunteer_list_exports_without_special_category_data(demo, tmp_path):
    with demo.uow() as s:
        vid = find_volunteer(s, "Bob Cooper")[0]
        s.get(Volunteer, vid).community = Community(
            name="AT&T <Partners>", kind=CommunityKind.PARTNER
        )
    with demo.uow() as s:
        rows = tables.volunteer_rows(s, TODAY)
    path = tables.write_csv(rows, tables.VOLUNTEER_COLUMNS, tmp_path / "v.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == len(rows) > 100
    bob = next(r for r in table if r["Id"] == str(vid))
    assert bob["Community"] == "AT&T <Partners>" and bob["Preferred name"] == "Bob"
    header = set(table[0])
    assert not header & {"Faith", "Date of birth", "Address", "Religion"}
