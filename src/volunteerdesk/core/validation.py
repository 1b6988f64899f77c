"""Checks of what people type, with messages written for them. Shared by forms and imports."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_EXCEL_EPOCH = date(1899, 12, 30)


class InvalidValue(ValueError):
    """A value that cannot be accepted; ``str(exc)`` is the message for the user."""


def check_email(value: str) -> str:
    value = value.strip()
    if value and not _EMAIL.match(value):
        raise InvalidValue(f"{value} is not an email address (like name@example.org)")
    return value


def check_uk_phone(value: str) -> str:
    """A UK number (landline or mobile, or +44), returned with its spacing tidied."""
    value = value.strip()
    if not value:
        return value
    digits = re.sub(r"[\s\-()]", "", value)
    if digits.startswith("+44"):
        digits = "0" + digits[3:].lstrip("0")
    elif digits.startswith("0044"):
        digits = "0" + digits[4:].lstrip("0")
    if not re.fullmatch(r"0\d{9,10}", digits) or (digits.startswith("07") and len(digits) != 11):
        raise InvalidValue(f"{value} is not a UK phone number (like 07700 900123)")
    if digits.startswith("07") and len(digits) == 11:
        return f"{digits[:5]} {digits[5:]}"
    if digits.startswith("02") and len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


def parse_uk_date(value: str | int | float | date | datetime | None) -> date | None:
    """A date from dd/mm/yyyy, d Mon yyyy, ISO yyyy-mm-dd or an Excel serial number.

    Empty input gives None; anything else that is not a real date raises InvalidValue.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_excel_serial(float(value), str(value))
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.0+)?", text) and len(text.split(".")[0]) <= 5:
        return _from_excel_serial(float(text), text)
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000 if year < 50 else 1900
        return _make(year, month, day, text)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make(year, month, day, text)
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([A-Za-z]+)\.?[\s\-,]+(\d{4})", text)
    if match and match.group(2).lower() in _MONTHS:
        return _make(
            int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)), text
        )
    raise InvalidValue(f"{text} is not a date (use dd/mm/yyyy)")


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(f"{text} is not a date") from None


def _from_excel_serial(serial: float, text: str) -> date:
    if not 1 <= serial < 2958466:
        raise InvalidValue(f"{text} is not a date")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def format_uk_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def require(value: str, label: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidValue(f"{label} is required")
    return value
