"""Importing the spreadsheets people already have: volunteers, communities, training, clearances.

The steps, each plain code a test (or the command line, or the window's wizard) can drive:

1. ``read_table(path, sheet)`` reads a CSV or XLSX file (``sheet_names`` lists sheets);
2. ``initial_mapping`` / ``suggest_mapping`` match its headers to fields (remembered);
3. ``build_plan`` checks every row and previews it: new, update, duplicate or error;
4. the person decides each possible duplicate (``PlanRow.decide``, ``ImportPlan.decide_all``);
5. ``commit_plan`` writes it in one transaction, audited; ``undo_import`` takes it back.

``flow.import_flow`` strings them together as a generator of steps.
"""

from .commit import ImportRefused, ImportResult, commit_plan
from .mapping import (
    MappingError,
    check_mapping,
    fields_for,
    initial_mapping,
    recall_mapping,
    remember_mapping,
    suggest_mapping,
)
from .plan import Candidate, Choice, ImportPlan, Outcome, PlanRow, build_plan
from .readers import ImportCancelled, ReadError, Table, read_table, sheet_names
from .targets import TARGETS
from .undo import UndoResult, undo_import
from .validate import CellError

__all__ = [
    "TARGETS",
    "Candidate",
    "CellError",
    "Choice",
    "ImportCancelled",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "MappingError",
    "Outcome",
    "PlanRow",
    "ReadError",
    "Table",
    "UndoResult",
    "build_plan",
    "check_mapping",
    "commit_plan",
    "fields_for",
    "initial_mapping",
    "read_table",
    "recall_mapping",
    "remember_mapping",
    "sheet_names",
    "suggest_mapping",
    "undo_import",
]
