"""Recurrence patterns as RFC 5545 rules, expanded with python-dateutil.

Patterns work in dates only: a post's session times are UK wall-clock times attached
to each date afterwards, so the March and October clock changes cannot move a session.
"""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil.rrule import rrulestr

from .calendar import SiteCalendar

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class PatternError(ValueError):
    """A recurrence rule that cannot be understood; the message is for the user."""


def parse_rule(rule: str, start: date):
    try:
        return rrulestr(rule, dtstart=datetime.combine(start, time()), forceset=False)
    except (ValueError, TypeError) as exc:
        raise PatternError(f"The repeat rule {rule!r} is not valid: {exc}") from exc


def occurrences(
    rule: str,
    start: date,
    window_start: date,
    window_end: date,
    *,
    end: date | None = None,
) -> list[date]:
    """The dates of a rule inside a window (inclusive), never after ``end``."""
    last = min(window_end, end) if end else window_end
    if last < window_start:
        return []
    parsed = parse_rule(rule, start)
    found = parsed.between(
        datetime.combine(window_start, time()), datetime.combine(last, time()), inc=True
    )
    return [moment.date() for moment in found]


def pattern_dates(
    rule: str,
    start: date,
    window_start: date,
    window_end: date,
    calendar: SiteCalendar,
    *,
    end: date | None = None,
    skip_closures: bool = True,
) -> list[date]:
    """The dates a pattern produces at a site: closures and bank holidays taken out."""
    return [
        day
        for day in occurrences(rule, start, window_start, window_end, end=end)
        if calendar.is_open(day, skip_closures=skip_closures)
    ]


def weekly_rule(weekdays: list[int], every_n_weeks: int = 1, count: int | None = None) -> str:
    """``FREQ=WEEKLY`` on the given weekdays (Monday = 0), optionally a block of ``count``."""
    days = ",".join(WEEKDAY_CODES[d] for d in sorted(set(weekdays)))
    rule = f"FREQ=WEEKLY;INTERVAL={every_n_weeks};BYDAY={days}"
    if count:
        rule += f";COUNT={count}"
    return rule


def monthly_nth_weekday_rule(nth: int, weekday: int) -> str:
    """The Nth weekday of each month (``nth`` -1 is the last)."""
    return f"FREQ=MONTHLY;BYDAY={nth}{WEEKDAY_CODES[weekday]}"
