"""Fetching large results in batches, so that a worker thread does not freeze the window.

``Result.all()`` and ``fetchall()`` turn every row into Python objects inside one C call
(the SQLite driver's ``fetchall``, or the ORM's ``chunks``, which calls it). CPython only
hands the interpreter lock to a waiting thread between bytecodes, so for the whole of
that call the GUI thread could not run a single Python slot: loading the dashboard on the
national demo stalled the window for 60-90 ms at a time (bench/run.py, "longest
GUI-thread stall"). Fetched ``BATCH`` rows at a time, the worker returns to the
interpreter between batches and the window gets its turn.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Executable, Row
from sqlalchemy.orm import Session

BATCH = 2000


def fetch_all(
    executor: Session | Connection,
    statement: Executable,
    params: dict[str, Any] | None = None,
    *,
    batch: int = BATCH,
) -> list[Row]:
    """Every row of ``statement``, fetched ``batch`` rows at a time."""
    result = executor.execute(statement, params or {}, execution_options={"yield_per": batch})
    rows: list[Row] = []
    for part in result.partitions():
        rows.extend(part)
    return rows
