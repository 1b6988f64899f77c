"""Any list as CSV or XLSX, and the two lists the command line exports: a site's rota and
the volunteers.

``columns`` are anything with a ``title`` and a ``value(row)`` (the window's table
columns qualify), or ``(title, key)`` pairs where ``key`` names an attribute or a dict
key, or is a function of the row. Values keep their type in XLSX (dates are dates,
shown dd/mm/yyyy); in CSV dates are written dd/mm/yyyy and times HH:MM.

A cell that a spreadsheet would run as a formula (text starting with =, +, -, @) is
written as text: in XLSX by its cell type, in CSV behind an apostrophe, unless it is a
plain number or phone number such as +44 7700 900123.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Assignment, AssignmentStatus, Post, Shift, ShiftStatus, Site, Volunteer
from ..validation import format_uk_date

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[\d\s().]+$")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what XLSX cannot hold


@dataclass(frozen=True)
class ExportColumn:
    title: str
    value: Callable[[Any], Any]


def as_columns(columns: Sequence[Any]) -> list[ExportColumn]:
    result = []
    for column in columns:
        if hasattr(column, "title") and hasattr(column, "value"):
            result.append(ExportColumn(column.title, column.value))
            continue
        title, key = column
        if callable(key):
            result.append(ExportColumn(title, key))
        else:
            result.append(ExportColumn(title, _getter(key)))
    return result


def _getter(key: str) -> Callable[[Any], Any]:
    def get(row: Any) -> Any:
        if isinstance(row, dict):
            return row.get(key)
        return getattr(row, key)

    return get


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{format_uk_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return format_uk_date(value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, (set, frozenset, list, tuple)):
        return ", ".join(sorted(_text(v) for v in value))
    return str(value)


def _defuse(text: str) -> str:
    """Text a spreadsheet would take for a formula, made plain text."""
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def write_csv(rows: Iterable[Any], columns: Sequence[Any], path: str | Path) -> Path:
    """A CSV file (UTF-8 with a byte-order mark, so Excel reads accents) of ``rows``."""
    cols = as_columns(columns)
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.title for c in cols])
        for row in rows:
            writer.writerow([_defuse(_text(c.value(row))) for c in cols])
    return path


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, time, int, float)):
        return value
    return _ILLEGAL.sub("", _text(value))


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip() or "Sheet"
    return cleaned[:31]


def write_xlsx(
    rows: Iterable[Any], columns: Sequence[Any], path: str | Path, sheet_title: str = "Export"
) -> Path:
    """An XLSX workbook of ``rows``: a bold, frozen header with filters, typed cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    cols = as_columns(columns)
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(sheet_title)
    sheet.append([c.title for c in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(c.title) for c in cols]
    for r, row in enumerate(rows, start=2):
        for i, column in enumerate(cols):
            value = _cell_value(column.value(row))
            cell = sheet.cell(row=r, column=i + 1, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
                widths[i] = max(widths[i], min(60, len(value)))
            elif isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
                widths[i] = max(widths[i], 16)
            elif isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
                widths[i] = max(widths[i], 10)
            elif isinstance(value, time):
                cell.number_format = "hh:mm"
            elif value is not None:
                widths[i] = max(widths[i], len(str(value)))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    sheet.freeze_panes = "A2"
    if cols:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, sheet.max_row)}"
    path = Path(path)
    book.save(path)
    return path


def write_table(
    rows: Iterable[Any], columns: Sequence[Any], path: str | Path, sheet_title: str = "Export"
) -> Path:
    """CSV or XLSX by the file's extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(rows, columns, path, sheet_title)
    if suffix == ".csv":
        return write_csv(rows, columns, path)
    raise ValueError(f"{Path(path).name}: choose a .csv or .xlsx file.")


# ----- the rota and the volunteers --------------------------------------------------------
@dataclass(frozen=True)
class RotaRow:
    """One place on the rota: a volunteer on a shift, or a place still VACANT."""

    date: date
    start: time
    end: time
    site: str
    post: str
    location: str
    volunteer: str
    status: str  # the assignment's status, "vacant", or "cancelled"

    @property
    def weekday(self) -> str:
        return f"{self.date:%A}"


ROTA_COLUMNS = [
    ("Date", "date"),
    ("Day", "weekday"),
    ("Start", "start"),
    ("End", "end"),
    ("Site", "site"),
    ("Post", "post"),
    ("Location", "location"),
    ("Volunteer", "volunteer"),
    ("Status", "status"),
]


def rota_rows(session: Session, site_id: int, start: date, end: date) -> list[RotaRow]:
    """A site's rota from ``start`` to ``end``: a row per volunteer placed (declined ones
    left out) and one per place still needed to reach a session's minimum."""
    shifts = session.execute(
        select(
            Shift.id,
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Shift.status,
            Shift.min_volunteers,
            Post.min_volunteers,
            Post.name,
            Post.location,
            Site.name,
        )
        .join(Post, Shift.post_id == Post.id)
        .join(Site, Post.site_id == Site.id)
        .where(Post.site_id == site_id, Shift.date >= start, Shift.date <= end)
        .order_by(Shift.date, Shift.start_time, Post.name)
    ).all()
    people: dict[int, list[tuple[str, str]]] = {}
    ids = [s[0] for s in shifts]
    for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900)):
        for shift_id, first, badge, last, status in session.execute(
            select(
                Assignment.shift_id,
                Volunteer.first_name,
                Volunteer.badge_name,
                Volunteer.last_name,
                Assignment.status,
            )
            .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
            .where(Assignment.shift_id.in_(chunk), Assignment.status != AssignmentStatus.DECLINED)
            .order_by(Volunteer.last_name, Volunteer.first_name)
        ):
            name = f"{badge or first} {last}".strip()
            people.setdefault(shift_id, []).append((name, str(status).replace("_", " ")))
    rows = []
    for sid, day, t0, t1, status, smin, pmin, post, location, site in shifts:
        base = (day, t0, t1, site, post, location or "")
        if status == ShiftStatus.CANCELLED:
            rows.append(RotaRow(*base, "", "cancelled"))
            continue
        placed = people.get(sid, [])
        rows += [RotaRow(*base, name, st) for name, st in placed]
        minimum = smin if smin is not None else pmin
        rows += [RotaRow(*base, "VACANT", "vacant")] * max(0, minimum - len(placed))
    return rows


VOLUNTEER_COLUMNS = [
    ("Id", "id"),
    ("Forename", "first_name"),
    ("Preferred name", "badge_name"),
    ("Surname", "last_name"),
    ("Status", "status"),
    ("Community", "community"),
    ("Sites", "sites"),
    ("Phone", "phone"),
    ("Email", "email"),
    ("Key holder", "key_holder"),
    ("Compliance", lambda row: row.compliance_text),
]


def volunteer_rows(session: Session, today: date) -> list:
    """The volunteer list as the window shows it (no faith, no date of birth)."""
    from ..services.volunteers import list_volunteers

    return list_volunteers(session, compliance_as_of=today)
