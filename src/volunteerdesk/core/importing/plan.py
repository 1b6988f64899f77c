"""The preview: every row of the file with what importing it would do.

Each ``PlanRow`` is new, an update of an existing record, unchanged, a possible duplicate
(with the candidates, waiting for the person to choose merge, create new or skip), or an
error with its row, column and message. Nothing is written until ``commit.commit_plan``.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from .context import ImportContext
from .folding import email_key, fold, phone_key
from .mapping import MappingError, check_mapping, fields_for, refused, suggest_mapping
from .readers import Cancelled, Progress, Table
from .targets import TARGETS
from .validate import CellError, RowValues, validate_table


class Outcome(enum.StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    ERROR = "error"


class Choice(enum.StrEnum):
    MERGE = "merge"  # bring this row's values into the record it duplicates
    CREATE = "create"  # a different person after all: create a new record
    SKIP = "skip"  # leave this row out


@dataclass(frozen=True)
class Candidate:
    """Who a row may duplicate: an existing record, or an earlier row of the same file."""

    record_id: int | None
    row: int | None
    name: str
    reason: str
    version: int | None = None  # the existing record's version when the preview was built

    @property
    def text(self) -> str:
        where = f"row {self.row}" if self.row is not None else f"id {self.record_id}"
        return f"{self.name} ({where}): {self.reason}"


@dataclass
class PlanRow:
    row: int
    outcome: Outcome
    label: str
    values: dict[str, Any] = field(default_factory=dict)  # model values to write
    defaults: dict[str, Any] = field(default_factory=dict)  # added when a record is created
    record_id: int | None = None  # the record an update or unchanged row is about
    version: int | None = None  # its version when the preview was built
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field: (now, after)
    candidates: list[Candidate] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    no_create: str = ""  # why "create new" is not possible for this duplicate, if it is not
    choice: Choice | None = None
    merge_into: int = 0  # which candidate MERGE means

    def decide(self, choice: Choice | str, candidate: int = 0) -> None:
        """The person's answer for a possible duplicate."""
        if self.outcome is not Outcome.DUPLICATE:
            raise ValueError(f"Row {self.row} is not a possible duplicate")
        choice = Choice(choice)
        if not 0 <= candidate < len(self.candidates):
            raise ValueError(f"Row {self.row} has no candidate {candidate + 1}")
        if choice is Choice.CREATE and self.no_create:
            raise ValueError(f"Row {self.row}: {self.no_create}")
        self.choice, self.merge_into = choice, candidate

    @property
    def writes(self) -> bool:
        if self.outcome in (Outcome.NEW, Outcome.UPDATE):
            return True
        return self.outcome is Outcome.DUPLICATE and self.choice in (Choice.MERGE, Choice.CREATE)


@dataclass
class ImportPlan:
    target: str
    source: str  # the file name
    description: str  # file, sheet or encoding and delimiter
    headers: list[str]
    mapping: dict[str, str]
    today: date
    rows: list[PlanRow] = field(default_factory=list)
    blank_rows: int = 0
    ignored: list[str] = field(default_factory=list)  # columns not imported
    refused: list[str] = field(default_factory=list)  # columns that must never be imported
    hints: dict[str, str] = field(default_factory=dict)  # ignored column -> another target

    @property
    def errors(self) -> list[CellError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def has_errors(self) -> bool:
        return any(r.outcome is Outcome.ERROR for r in self.rows)

    def counts(self) -> dict[str, int]:
        found = Counter(r.outcome.value for r in self.rows)
        return {o.value: found.get(o.value, 0) for o in Outcome}

    def rows_at(self, number: int) -> list[PlanRow]:
        """The plan rows made from one row of the file (a training row may give several)."""
        return [r for r in self.rows if r.row == number]

    def duplicates(self) -> list[PlanRow]:
        return [r for r in self.rows if r.outcome is Outcome.DUPLICATE]

    def undecided(self) -> list[PlanRow]:
        return [r for r in self.duplicates() if r.choice is None]

    def decide_all(self, choice: Choice | str) -> None:
        """The same answer for every possible duplicate (create new falls back to skip
        where a new record cannot be made, as for a community with the same name)."""
        for r in self.duplicates():
            try:
                r.decide(choice)
            except ValueError:
                r.decide(Choice.SKIP)

    @property
    def ready(self) -> bool:
        return not self.has_errors and not self.undecided()

    def summary(self) -> str:
        """ "3 new, 1 to update, 2 possible duplicates, 1 in error, 1 blank"."""
        words = {
            "new": ("new", "new"),
            "update": ("to update", "to update"),
            "unchanged": ("unchanged", "unchanged"),
            "duplicate": ("possible duplicate", "possible duplicates"),
            "error": ("in error", "in error"),
        }
        parts = [f"{n} {words[name][n != 1]}" for name, n in self.counts().items() if n]
        if self.blank_rows:
            parts.append(f"{self.blank_rows} blank")
        return ", ".join(parts) or "nothing to import"


def same_text(key: str, old: Any, new: Any) -> bool:
    """Values that differ only in ways that do not matter (accents, case of an email)."""
    if isinstance(old, str) and isinstance(new, str):
        if key in ("email", "contact_email"):
            return email_key(old) == email_key(new)
        if "phone" in key:
            return phone_key(old) == phone_key(new) and bool(phone_key(old))
        if key in ("first_name", "last_name", "badge_name", "name"):
            return fold(old) == fold(new) and (new.isascii() or not old.isascii())
    return old == new


def differences(
    current: dict[str, Any], values: dict[str, Any], keep: frozenset[str] = frozenset()
) -> dict[str, tuple[Any, Any]]:
    """What writing ``values`` over ``current`` would change (fields in ``keep`` never)."""
    return {
        key: (current.get(key), new)
        for key, new in values.items()
        if key not in keep and not same_text(key, current.get(key), new)
    }


def error_row(rv: RowValues, label: str) -> PlanRow:
    return PlanRow(rv.row, Outcome.ERROR, label, errors=list(rv.errors))


def build_plan(
    session: Session,
    target: str,
    table: Table,
    mapping: dict[str, str] | None = None,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """The preview of importing ``table`` into ``target``; raises MappingError when the
    mapping cannot be used (a required field has no column)."""
    from .plan_people import plan_communities, plan_volunteers
    from .plan_records import plan_clearances, plan_training

    today = today or date.today()
    fields = fields_for(session, target)
    if mapping is None:
        mapping = suggest_mapping(fields, table.headers)
    problems = check_mapping(target, fields, table.headers, mapping)
    if problems:
        raise MappingError("; ".join(problems))
    if progress is not None:
        progress("Reading the database", 0.0)
    context = ImportContext(session, target, today)
    checked, blank = validate_table(
        table, target, fields, mapping, today, progress=progress, cancelled=cancelled
    )
    if progress is not None:
        progress("Looking for duplicates", 0.9)
    planner = {
        "volunteers": plan_volunteers,
        "communities": plan_communities,
        "training": plan_training,
        "clearances": plan_clearances,
    }[target]
    used = set(mapping.values())
    plan = ImportPlan(
        target,
        table.source,
        table.description,
        list(table.headers),
        dict(mapping),
        today,
        rows=planner(context, checked),
        blank_rows=blank + table.blank_lines,
        ignored=[h for h in table.headers if h not in used and not refused(h)],
        refused=[h for h in table.headers if refused(h)],
    )
    plan.hints = _hints(session, target, plan.ignored)
    if progress is not None:
        progress("Preview ready", 1.0)
    return plan


def _hints(session: Session, target: str, ignored: list[str]) -> dict[str, str]:
    """Ignored columns another kind of import would take ("Safeguarding date": training)."""
    hints: dict[str, str] = {}
    ours = set(suggest_mapping(fields_for(session, target), ignored).values())
    ignored = [h for h in ignored if h not in ours]  # left out on purpose: no hint
    for other in TARGETS.values():
        if other.name == target:
            continue
        for header in suggest_mapping(fields_for(session, other), ignored).values():
            hints.setdefault(header, other.name)
    return hints
