"""The recurrence editor's choices, turned into an RFC 5545 rule and back, and its preview.

A manager thinks "every other Tuesday", "the first Sunday of the month" or "a block of
six weekly sessions"; ``RecurrencePattern.rrule`` stores the rule body without DTSTART
(``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU``, ``FREQ=MONTHLY;BYDAY=1SU``,
``FREQ=WEEKLY;COUNT=6;BYDAY=WE``). ``to_rule`` and ``from_rule`` convert between the two
(a rule the editor cannot show is kept as a custom rule, untouched), and ``preview``
lists the next dates a pattern gives at a site, and which it skips and why. The dates
come from ``recurrence.parse_rule`` and the site's ``SiteCalendar``, as the rota does.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from .calendar import SiteCalendar
from .recurrence import WEEKDAY_CODES, PatternError, parse_rule

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINAL_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
MAX_WEEK_INTERVAL = 8
MAX_SESSIONS = 52
_SEARCH_LIMIT = 2000  # occurrences examined at most when every date is skipped


class RepeatKind(enum.StrEnum):
    WEEKLY = "weekly"  # on chosen weekdays, every N weeks
    MONTHLY = "monthly"  # the Nth (or last) weekday of each month
    BLOCK = "block"  # a block of N weekly sessions, e.g. a six-week course
    CUSTOM = "custom"  # a rule the editor cannot show: kept as it is


@dataclass(frozen=True)
class PatternChoice:
    """What the recurrence editor shows for one pattern of a post."""

    kind: RepeatKind = RepeatKind.WEEKLY
    weekdays: tuple[int, ...] = ()  # Monday = 0 (weekly and block)
    every_n_weeks: int = 1  # weekly
    nth: int = 1  # monthly: 1 to 4, or -1 for the last
    weekday: int = 6  # monthly
    sessions: int = 6  # block
    start: date | None = None
    end: date | None = None
    skip_closures: bool = True
    custom_rule: str = ""  # only for CUSTOM
    id: int | None = None  # the stored RecurrencePattern, None for a new one

    def problems(self) -> list[str]:
        """What stops this pattern being saved, in words (empty when it can be)."""
        found = []
        if self.start is None:
            found.append("choose a start date")
        if self.kind in (RepeatKind.WEEKLY, RepeatKind.BLOCK) and not self.weekdays:
            found.append("choose at least one day of the week")
        if self.kind is RepeatKind.WEEKLY and not 1 <= self.every_n_weeks <= MAX_WEEK_INTERVAL:
            found.append(f"repeat every 1 to {MAX_WEEK_INTERVAL} weeks")
        if self.kind is RepeatKind.MONTHLY and (
            self.nth not in ORDINAL_NAMES or not 0 <= self.weekday <= 6
        ):
            found.append("choose which weekday of the month")
        if self.kind is RepeatKind.BLOCK and not 1 <= self.sessions <= MAX_SESSIONS:
            found.append(f"a block has 1 to {MAX_SESSIONS} sessions")
        if self.kind is RepeatKind.CUSTOM and not self.custom_rule.strip():
            found.append("the rule is empty")
        if self.start is not None and self.end is not None and self.end < self.start:
            found.append("the end date is before the start date")
        return found

    def check(self) -> None:
        """Raise ``PatternError`` with every problem, for the user."""
        found = self.problems()
        if found:
            text = "; ".join(found)
            raise PatternError(text[0].upper() + text[1:] + ".")


def _days(weekdays: tuple[int, ...]) -> str:
    return ",".join(WEEKDAY_CODES[d] for d in sorted(set(weekdays)))


def to_rule(choice: PatternChoice) -> str:
    """The rule body (no DTSTART) for ``choice``; raises ``PatternError`` when incomplete."""
    if choice.kind is RepeatKind.CUSTOM:
        rule = choice.custom_rule.strip().upper()
        if choice.start is not None:
            parse_rule(rule, choice.start)  # raises PatternError when not understood
        return rule
    found = [p for p in choice.problems() if "start" not in p and "end date" not in p]
    if found:
        text = "; ".join(found)
        raise PatternError(text[0].upper() + text[1:] + ".")
    if choice.kind is RepeatKind.MONTHLY:
        return f"FREQ=MONTHLY;BYDAY={choice.nth}{WEEKDAY_CODES[choice.weekday]}"
    if choice.kind is RepeatKind.BLOCK:
        return f"FREQ=WEEKLY;COUNT={choice.sessions};BYDAY={_days(choice.weekdays)}"
    if choice.every_n_weeks == 1:
        return f"FREQ=WEEKLY;BYDAY={_days(choice.weekdays)}"
    return f"FREQ=WEEKLY;INTERVAL={choice.every_n_weeks};BYDAY={_days(choice.weekdays)}"


def _parts(rule: str) -> dict[str, str]:
    try:
        return dict(part.split("=", 1) for part in rule.strip().upper().split(";") if part)
    except ValueError:
        return {}


def from_rule(
    rule: str,
    start: date,
    end: date | None = None,
    skip_closures: bool = True,
    pattern_id: int | None = None,
) -> PatternChoice:
    """The editor's choices for a stored rule; anything else comes back as CUSTOM.

    A weekly rule without BYDAY repeats on the start date's weekday (as dateutil reads it).
    """
    common = {"start": start, "end": end, "skip_closures": skip_closures, "id": pattern_id}
    custom = PatternChoice(kind=RepeatKind.CUSTOM, custom_rule=rule.strip(), **common)
    parts = _parts(rule)
    known = {"FREQ", "INTERVAL", "BYDAY", "COUNT", "WKST"}
    if not parts or set(parts) - known or parts.get("WKST", "MO") != "MO":
        return custom
    try:
        interval = int(parts.get("INTERVAL", "1"))
        count = int(parts["COUNT"]) if "COUNT" in parts else None
    except ValueError:
        return custom
    byday = [d for d in parts.get("BYDAY", "").split(",") if d]
    if parts.get("FREQ") == "WEEKLY":
        if any(d not in WEEKDAY_CODES for d in byday):
            return custom
        weekdays = tuple(sorted({WEEKDAY_CODES.index(d) for d in byday})) or (start.weekday(),)
        if count is not None:
            if interval != 1 or not 1 <= count <= MAX_SESSIONS:
                return custom
            return PatternChoice(kind=RepeatKind.BLOCK, weekdays=weekdays, sessions=count, **common)
        if not 1 <= interval <= MAX_WEEK_INTERVAL:
            return custom
        return PatternChoice(
            kind=RepeatKind.WEEKLY, weekdays=weekdays, every_n_weeks=interval, **common
        )
    if parts.get("FREQ") == "MONTHLY" and interval == 1 and count is None and len(byday) == 1:
        code, number = byday[0][-2:], byday[0][:-2].lstrip("+")
        if code in WEEKDAY_CODES and number.lstrip("-").isdigit() and int(number) in ORDINAL_NAMES:
            return PatternChoice(
                kind=RepeatKind.MONTHLY,
                nth=int(number),
                weekday=WEEKDAY_CODES.index(code),
                **common,
            )
    return custom


def _day_list(weekdays: tuple[int, ...]) -> str:
    if sorted(set(weekdays)) == [0, 1, 2, 3, 4]:
        return "Monday to Friday"
    names = [WEEKDAY_NAMES[d] for d in sorted(set(weekdays))]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def describe(choice: PatternChoice) -> str:
    """The pattern in words: "Every 2 weeks on Tuesday", "First Sunday of the month"."""
    if choice.kind is RepeatKind.MONTHLY:
        ordinal = ORDINAL_NAMES.get(choice.nth, str(choice.nth))
        return f"{ordinal.capitalize()} {WEEKDAY_NAMES[choice.weekday]} of the month"
    if choice.kind is RepeatKind.BLOCK:
        days = _day_list(choice.weekdays)
        return f"A block of {choice.sessions} weekly sessions" + (f" on {days}" if days else "")
    if choice.kind is RepeatKind.CUSTOM:
        return f"Custom rule {choice.custom_rule}"
    days = _day_list(choice.weekdays)
    when = f" on {days}" if days else ""
    if choice.every_n_weeks == 1:
        return "Every week" + when
    if choice.every_n_weeks == 2:
        return "Every other week (fortnightly)" + when
    return f"Every {choice.every_n_weeks} weeks" + when


def format_day(day: date) -> str:
    """ "Sun 07/12/2025": the weekday and the UK date."""
    return f"{day:%a} {day:%d/%m/%Y}"


@dataclass(frozen=True)
class PreviewDay:
    day: date
    skipped_because: str | None = None  # None: the session runs

    @property
    def text(self) -> str:
        if self.skipped_because is None:
            return format_day(self.day)
        return f"{format_day(self.day)}: skipped ({self.skipped_because})"


@dataclass(frozen=True)
class Preview:
    """The next dates a pattern gives at a site, and the ones it skips on the way."""

    days: tuple[PreviewDay, ...]
    rule: str = ""
    problem: str = ""  # why there is no preview (an incomplete pattern)

    @property
    def runs(self) -> tuple[date, ...]:
        return tuple(d.day for d in self.days if d.skipped_because is None)

    @property
    def skipped(self) -> tuple[PreviewDay, ...]:
        return tuple(d for d in self.days if d.skipped_because is not None)


def preview(
    choice: PatternChoice, calendar: SiteCalendar, from_day: date, count: int = 10
) -> Preview:
    """The next ``count`` dates the pattern runs on or after ``from_day`` (and its start).

    Dates the rule gives but the site does not run on (a closure when the pattern skips
    closures, a bank holiday when the site closes on them) are listed as skipped with
    the reason, in date order among the others.
    """
    try:
        choice.check()
        rule = to_rule(choice)
        parsed = parse_rule(rule, choice.start)  # type: ignore[arg-type]
    except PatternError as exc:
        return Preview((), problem=str(exc))
    first = max(from_day, choice.start)  # type: ignore[type-var]
    found: list[PreviewDay] = []
    runs = 0
    for examined, moment in enumerate(parsed):
        day = moment.date()
        if examined >= _SEARCH_LIMIT or (choice.end is not None and day > choice.end):
            break
        if day < first:
            continue
        reason = calendar.closed_reason(day, skip_closures=choice.skip_closures)
        found.append(PreviewDay(day, reason))
        if reason is None:
            runs += 1
            if runs >= count:
                break
    return Preview(tuple(found), rule)
