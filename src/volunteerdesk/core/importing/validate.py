"""Checking each row of a file: every bad cell reported with its row, its column and a plain
message ("31/02/2026 is not a date"), using the same checks as the forms (core.validation).

Stray spaces are trimmed, blank rows skipped. What is checked here needs no database;
names of communities, courses and sites are looked up when the preview is built (plan).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..models import ClearanceStatus, VolunteerStatus
from ..validation import InvalidValue, check_email, check_uk_phone, format_uk_date, parse_uk_date
from .folding import tidy
from .readers import Cancelled, ImportCancelled, Progress, Table
from .targets import COURSE_PREFIX, FieldSpec, Kind
from .words import YES_NO, word_key

_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le", "bin", "ibn"}


@dataclass(frozen=True)
class CellError:
    """One problem: the row as numbered in the file, the column's header, and what is wrong."""

    row: int
    column: str  # the header; "" when the problem is not about one column
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class RowValues:
    """A row's values by field (blank cells left out), or what is wrong with it."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # field key -> header
    errors: list[CellError] = field(default_factory=list)

    def fail(self, key: str | None, message: str) -> None:
        column = self.columns.get(key, "") if key else ""
        self.errors.append(CellError(self.row, column, message))

    def has_error(self, *keys: str) -> bool:
        columns = {self.columns[k] for k in keys if k in self.columns}
        return any(e.column in columns for e in self.errors)

    def first_column(self, *keys: str) -> str | None:
        """The first of ``keys`` that is mapped (to point an error at a real column)."""
        return next((k for k in keys if k in self.columns), None)


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return format_uk_date(raw.date())
    if isinstance(raw, date):
        return format_uk_date(raw)
    return tidy(str(raw))


def _number(raw: Any) -> bool:
    """A spreadsheet number (not a yes/no), finite, that fits in a whole number."""
    return (
        isinstance(raw, int | float)
        and not isinstance(raw, bool)
        and math.isfinite(raw)
        and 0 <= raw < 10**15
    )


def _phone(raw: Any) -> str:
    if _number(raw):
        digits = str(int(raw))  # a spreadsheet that took the number as a number lost the 0
        return check_uk_phone("0" + digits if len(digits) in (9, 10) else digits)
    return check_uk_phone(_text(raw))


def _dbs_number(raw: Any) -> str:
    if _number(raw):
        digits = str(int(raw)).zfill(12)  # leading zeros lost by the spreadsheet
    else:
        digits = re.sub(r"[\s\-]", "", _text(raw))
        if digits.isdigit() and len(digits) in (10, 11):
            digits = digits.zfill(12)  # a CSV saved by a spreadsheet loses leading zeros too
    if not re.fullmatch(r"\d{12}", digits):
        raise InvalidValue(f"{_text(raw)} is not a DBS certificate number (12 digits)")
    return digits


def _date(raw: Any) -> date | None:
    if isinstance(raw, str):
        raw = tidy(raw)
    return parse_uk_date(raw)


def parse_cell(spec: FieldSpec, raw: Any) -> Any:
    """The value of one non-blank cell for a field; raises InvalidValue with the message."""
    kind = spec.kind
    if kind is Kind.DATE:
        return _date(raw)
    if kind is Kind.PHONE:
        return _phone(raw)
    if kind is Kind.DBS_NUMBER:
        return _dbs_number(raw)
    text = _text(raw)
    if kind is Kind.EMAIL:
        return check_email(text)
    if kind is Kind.BOOL:
        found = YES_NO.get(word_key(text))
        if found is None:
            raise InvalidValue(f"{text} is not yes or no")
        return found == "yes"
    if kind in (Kind.INT, Kind.ID):
        number = text.replace(",", "")
        if not re.fullmatch(r"\d+(\.0+)?", number):
            raise InvalidValue(f"{text} is not a whole number")
        value = int(float(number))
        if kind is Kind.ID and value < 1:
            raise InvalidValue(f"{text} is not an id")
        if kind is Kind.INT and value > 31:
            raise InvalidValue(f"{text} is more than 31")
        return value
    if kind is Kind.WORD:
        found = (spec.words or {}).get(word_key(text))
        if found is None:
            raise InvalidValue(f"{text} is not one of: {spec.choices()}")
        return found
    if spec.max_length is not None and len(text) > spec.max_length:
        raise InvalidValue(f"{spec.label} is longer than {spec.max_length} characters")
    if kind is Kind.TEXT and spec.max_length is None and isinstance(raw, str):
        return raw.replace("\u00a0", " ").strip()  # keep line breaks in notes and addresses
    return text


def blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not tidy(raw))


def split_full_name(text: str) -> tuple[str, str]:
    """ "Smith, Jane" or "Jane Smith" or "Anna van der Berg" -> (first, last)."""
    if "," in text:
        last, _, first = text.partition(",")
        first, last = tidy(first), tidy(last)
        if first and last:
            return first, last
        raise InvalidValue(f"{text} is not a full name (like Jane Smith)")
    words = text.split()
    if len(words) < 2:
        raise InvalidValue(f"{text} is not a full name: give both first and last name")
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].casefold() in _PARTICLES:
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def _check_volunteer(rv: RowValues, today: date) -> None:
    v = rv.values
    if "volunteer_id" not in v:
        for key, label in (("first_name", "First name"), ("last_name", "Last name")):
            if key not in v and not rv.has_error(key, "full_name"):
                rv.fail(rv.first_column(key, "full_name"), f"{label} is required")
    born = v.get("date_of_birth")
    if born is not None and born > today:
        rv.fail("date_of_birth", f"{format_uk_date(born)} is in the future")
    started, left = v.get("started_on"), v.get("left_on")
    if started and left and left < started:
        rv.fail("left_on", f"The left date is before the start date ({format_uk_date(started)})")
    if v.get("status") == VolunteerStatus.LEFT and left is None:
        rv.fail("status", "Give the date they left (the status is Left)")


def _check_dates(rv: RowValues, today: date, keys: Sequence[tuple[str, str]]) -> None:
    for key, label in keys:
        day = rv.values.get(key)
        if day is not None and day > today:
            rv.fail(key, f"The {label} date {format_uk_date(day)} is in the future")


def _check_training(rv: RowValues, today: date) -> None:
    v = rv.values
    courses = [k for k in v if k.startswith(COURSE_PREFIX)]
    _check_dates(rv, today, [("completed_on", "completion")] + [(k, "completion") for k in courses])
    if "course" in v and not v.keys() & {"completed_on", "booked_for"}:
        rv.fail(
            rv.first_column("completed_on", "booked_for", "course"),
            "Give the date the course was completed (or the date it is booked for)",
        )
    elif "course" not in v and not courses and v.keys() & {"completed_on", "booked_for"}:
        rv.fail(rv.first_column("course"), "Give the course (its name or code)")


def _check_clearance(rv: RowValues, today: date) -> None:
    v = rv.values
    _check_dates(
        rv,
        today,
        [("applied_on", "application"), ("granted_on", "grant"), ("decision_on", "decision")],
    )
    applied, granted = v.get("applied_on"), v.get("granted_on")
    if applied and granted and granted < applied:
        rv.fail(
            "granted_on",
            f"The grant date {format_uk_date(granted)} is before the application date "
            f"{format_uk_date(applied)}",
        )
    if v.get("status") == ClearanceStatus.GRANTED and granted is None:
        rv.fail(rv.first_column("granted_on", "status"), "Give the date it was granted")
    expires = v.get("expires_on")
    if expires and granted and expires < granted:
        rv.fail("expires_on", f"The expiry date is before the grant date {format_uk_date(granted)}")


def _check_community(rv: RowValues, _today: date) -> None:
    v = rv.values
    if "name" not in v and not rv.has_error("name"):
        rv.fail(rv.first_column("name"), "Name is required")
    signed, review = v.get("agreement_signed_on"), v.get("review_due_on")
    if signed and review and review < signed:
        rv.fail(
            "review_due_on",
            f"The review is due before the agreement was signed ({signed:%d/%m/%Y})",
        )


ROW_CHECKS = {
    "volunteers": _check_volunteer,
    "communities": _check_community,
    "training": _check_training,
    "clearances": _check_clearance,
}


def validate_row(
    target: str,
    fields: Mapping[str, FieldSpec],
    positions: Mapping[str, tuple[int, str]],
    number: int,
    cells: Sequence[Any],
    today: date,
) -> RowValues | None:
    """One row checked; None when every mapped cell is blank (nothing to import)."""
    rv = RowValues(number, columns={key: header for key, (_i, header) in positions.items()})
    anything = False
    for key, (index, _header) in positions.items():
        raw = cells[index] if index < len(cells) else None
        if blank(raw):
            continue
        anything = True
        try:
            value = parse_cell(fields[key], raw)
        except InvalidValue as exc:
            rv.fail(key, str(exc))
            continue
        if value is not None and value != "":
            rv.values[key] = value
    if not anything:
        return None
    if "full_name" in rv.values and not rv.values.keys() & {"first_name", "last_name"}:
        try:
            rv.values["first_name"], rv.values["last_name"] = split_full_name(
                rv.values["full_name"]
            )
        except InvalidValue as exc:
            rv.fail("full_name", str(exc))
    ROW_CHECKS[target](rv, today)
    return rv


def validate_table(
    table: Table,
    target: str,
    fields: Sequence[FieldSpec],
    mapping: Mapping[str, str],
    today: date,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> tuple[list[RowValues], int]:
    """Every row checked, and how many were skipped as blank."""
    by_key = {spec.key: spec for spec in fields}
    positions = {
        key: (table.headers.index(header), header)
        for key, header in mapping.items()
        if key in by_key and header in table.headers
    }
    checked: list[RowValues] = []
    skipped = 0
    total = len(table.rows) or 1
    for done, (number, cells) in enumerate(table.rows):
        if done % 500 == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("Checking was cancelled")
            if progress is not None:
                progress(f"Checking row {done + 1:,} of {total:,}", done / total)
        rv = validate_row(target, by_key, positions, number, cells, today)
        if rv is None:
            skipped += 1
        else:
            checked.append(rv)
    return checked, skipped
