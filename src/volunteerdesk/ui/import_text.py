"""Words the import wizard shows: cell values, row outcomes, errors and the confirm sentence."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..core.importing import (
    Choice,
    ImportCancelled,
    ImportPlan,
    ImportRefused,
    MappingError,
    Outcome,
    PlanRow,
    ReadError,
    Table,
)
from ..core.validation import format_uk_date
from .widgets import plural

OUTCOME_WORDS = {
    Outcome.NEW: "New",
    Outcome.UPDATE: "Update",
    Outcome.UNCHANGED: "Unchanged",
    Outcome.DUPLICATE: "Possible duplicate",
    Outcome.ERROR: "Error",
}
CHOICE_WORDS = {Choice.MERGE: "merge", Choice.CREATE: "create new", Choice.SKIP: "skip"}
NOUNS = {
    "volunteers": ("volunteer", "volunteers"),
    "communities": ("community or partner", "communities and partners"),
    "training": ("training record", "training records"),
    "clearances": ("clearance", "clearances"),
}
SAMPLES = 3


def cell_text(value: Any) -> str:
    """A value as the wizard shows it: dates dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_uk_date(value.date())
    if isinstance(value, date):
        return format_uk_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "value") and hasattr(value, "name"):  # an enum
        return str(value.value).replace("_", " ")
    return str(value)


def error_text(row: PlanRow) -> str:
    return "; ".join(
        f"row {e.row}" + (f", column {e.column}" if e.column else "") + f": {e.message}"
        for e in row.errors
    )


def outcome_text(row: PlanRow) -> str:
    text = OUTCOME_WORDS[row.outcome]
    if row.outcome is Outcome.DUPLICATE:
        text += f": {CHOICE_WORDS[row.choice]}" if row.choice else ": choose"
    return text


def details_text(row: PlanRow) -> str:
    if row.outcome is Outcome.ERROR:
        return error_text(row)
    parts: list[str] = []
    if row.outcome is Outcome.UPDATE and row.changes:
        parts.append(
            "changes "
            + ", ".join(
                f"{k.replace('_', ' ')}: {cell_text(new)}" for k, (_o, new) in row.changes.items()
            )
        )
    if row.outcome is Outcome.DUPLICATE:
        parts.append("may be " + "; or ".join(c.text for c in row.candidates))
    if row.note:
        parts.append(row.note)
    parts += row.warnings
    return "; ".join(parts)


def sample_values(table: Table, limit: int = SAMPLES) -> dict[str, list[str]]:
    """The first few values of each column that are not blank."""
    found: dict[str, list[str]] = {h: [] for h in table.headers}
    wanting = set(table.headers)
    for _number, cells in table.rows:
        for header, cell in zip(table.headers, cells, strict=False):
            text = cell_text(cell).strip()
            if text and header in wanting:
                found[header].append(text[:40])
                if len(found[header]) >= limit:
                    wanting.discard(header)
        if not wanting:
            break
    return found


def confirm_sentence(plan: ImportPlan) -> str:
    """ "Import 123 new volunteers, update 4, skip 2"."""
    new = update = skip = 0
    for r in plan.rows:
        if r.outcome is Outcome.NEW or r.choice is Choice.CREATE:
            new += 1
        elif r.outcome is Outcome.UPDATE or r.choice is Choice.MERGE:
            update += 1
        else:
            skip += 1
    one, many = NOUNS[plan.target]
    text = f"Import {new:,} new {one if new == 1 else many}, update {update:,}, skip {skip:,}"
    return text + (f" ({plural(plan.blank_rows, 'blank row')} left out)" if plan.blank_rows else "")


def problem_text(exc: BaseException) -> str:
    if isinstance(exc, ImportCancelled):
        return "Stopped: nothing was written."
    if isinstance(exc, ReadError | MappingError | ImportRefused):
        return str(exc)
    return f"Something went wrong: {exc}"
