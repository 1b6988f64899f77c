"""The whole import as a conversation: read, choose the columns, preview, confirm, done.

``import_flow`` is a generator. It yields a step, and whoever drives it (the window's
wizard, the command line, a test) answers with ``send``:

    flow = import_flow(db, "volunteers.xlsx", "volunteers")
    step = next(flow)                    # ChooseColumns: the suggested mapping
    step = flow.send(None)               # None keeps the suggestion, or send a mapping
    step.plan.decide_all(Choice.SKIP)    # Preview: answer each possible duplicate...
    step = flow.send(True)               # ...and confirm (False stops, writing nothing)
    step.result                          # Finished: the ImportResult (None if stopped)

Each step runs its own short unit of work, so the window can run each ``send`` on its
background worker. ``progress`` and ``cancelled`` are passed to the slow parts.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..db import Database
from .commit import ImportResult, commit_plan
from .mapping import MappingError, check_mapping, fields_for, initial_mapping
from .plan import ImportPlan, build_plan
from .readers import Cancelled, Progress, Table, read_table
from .targets import FieldSpec


@dataclass
class ChooseColumns:
    """Which column goes into which field. Answer with a mapping, or None to keep it."""

    table: Table
    fields: list[FieldSpec]
    mapping: dict[str, str]
    remembered: bool  # the mapping confirmed last time for these headers
    problems: list[str] = field(default_factory=list)


@dataclass
class Preview:
    """Every row with its outcome. Decide the duplicates on ``plan``, then answer True to
    write or False to stop."""

    plan: ImportPlan


@dataclass
class Finished:
    result: ImportResult | None  # None when stopped before writing


Step = ChooseColumns | Preview | Finished


def import_flow(
    db: Database,
    path: str | Path,
    target: str,
    *,
    sheet: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Generator[Step, Any, None]:
    table = read_table(path, sheet, progress=progress, cancelled=cancelled)
    with db.uow() as session:
        fields = fields_for(session, target)
        mapping, remembered = initial_mapping(session, target, fields, table.headers)
    problems = check_mapping(target, fields, table.headers, mapping)
    while True:
        answer = yield ChooseColumns(table, fields, dict(mapping), remembered, problems)
        if answer is not None:
            mapping = dict(answer)
        problems = check_mapping(target, fields, table.headers, mapping)
        if problems:
            continue
        try:
            with db.uow() as session:
                plan = build_plan(
                    session,
                    target,
                    table,
                    mapping,
                    today=today,
                    progress=progress,
                    cancelled=cancelled,
                )
        except MappingError as exc:  # pragma: no cover - checked just above
            problems = [str(exc)]
            continue
        break
    confirmed = yield Preview(plan)
    if not confirmed:
        yield Finished(None)
        return
    with db.uow() as session:
        result = commit_plan(session, plan, db.username, progress=progress, cancelled=cancelled)
    yield Finished(result)
