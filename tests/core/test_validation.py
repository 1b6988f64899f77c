"""What people type: UK dates, phone numbers and email addresses."""

from __future__ import annotations

from datetime import date

import pytest

from volunteerdesk.core.audit import MASK, diff
from volunteerdesk.core.validation import (
    InvalidValue,
    check_email,
    check_uk_phone,
    format_uk_date,
    parse_uk_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/12/2026", date(2026, 12, 31)),
        (" 1/3/2027 ", date(2027, 3, 1)),
        ("01.03.27", date(2027, 3, 1)),
        ("1 Mar 2027", date(2027, 3, 1)),
        ("3rd September 2026", date(2026, 9, 3)),
        ("2026-02-03", date(2026, 2, 3)),
        ("46023", date(2026, 1, 1)),
        (46023, date(2026, 1, 1)),
        ("", None),
    ],
)
def test_uk_dates(text, expected):
    assert parse_uk_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2026", "13/13/2026", "next Tuesday", "2026-13-01", "0"])
def test_impossible_dates_are_refused_with_the_value_in_the_message(text):
    with pytest.raises(InvalidValue, match="is not a date"):
        parse_uk_date(text)


def test_dates_print_the_uk_way():
    assert format_uk_date(date(2027, 1, 3)) == "03/01/2027"
    assert format_uk_date(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07700900123", "07700 900123"),
        ("+44 7700 900123", "07700 900123"),
        ("0044 (0)7700-900123", "07700 900123"),
        ("020 7946 0000", "020 7946 0000"),
        ("01632 960123", "01632 960123"),
        ("", ""),
    ],
)
def test_uk_phone_numbers_are_tidied(text, expected):
    assert check_uk_phone(text) == expected


@pytest.mark.parametrize("text", ["12345", "07700 90012", "+1 202 555 0100", "phone me"])
def test_non_uk_phone_numbers_are_refused(text):
    with pytest.raises(InvalidValue, match="not a UK phone number"):
        check_uk_phone(text)


def test_email():
    assert check_email(" zoe@example.org ") == "zoe@example.org"
    with pytest.raises(InvalidValue, match="not an email address"):
        check_email("zoe@example")


def test_audit_diff_masks_sensitive_fields():
    before = {"phone": "07700 900001", "faith_id": 3, "version": 1, "date_of_birth": "1970-01-01"}
    after = {"phone": "07700 900002", "faith_id": 4, "version": 2, "date_of_birth": "1970-01-01"}
    assert diff(before, after) == {
        "faith_id": [MASK, MASK],
        "phone": ["07700 900001", "07700 900002"],
    }
