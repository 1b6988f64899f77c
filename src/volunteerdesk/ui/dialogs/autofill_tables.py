"""The two tables of an auto-fill proposal: what it would add, and what it cannot fill."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from ...core.scheduling.autofill import Addition, Gap
from ...core.validation import format_uk_date
from ..table_model import Column, RowTableModel
from ..widgets import fit_columns, table_view


def _day(row) -> str:
    return f"{row.day:%a} {format_uk_date(row.day)}"


def _times(row) -> str:
    return f"{row.start:%H:%M}–{row.end:%H:%M}"


def _why_not(gap: Gap) -> str:
    text = gap.explanation
    if gap.free:
        text += f"\nFree to ask: {', '.join(gap.free)}."
    return text


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _places(gap: Gap) -> str:
    return "1 place" if gap.places == 1 else f"{gap.places} places"


ADDITION_COLUMNS = [
    Column("Date", lambda a: (a.day, a.start), text=_day),
    Column("Time", lambda a: a.start, text=_times),
    Column("Site", lambda a: a.site),
    Column("Post", lambda a: a.post),
    Column("Volunteer", lambda a: a.volunteer),
    Column("Why chosen", lambda a: a.why),
]

GAP_COLUMNS = [
    Column("Date", lambda g: (g.day, g.start), text=_day),
    Column("Time", lambda g: g.start, text=_times),
    Column("Site", lambda g: g.site),
    Column("Post", lambda g: g.post),
    Column("Unfilled", lambda g: g.places, text=_places, align_right=True),
    Column("Why it could not be filled", _why_not),
    Column("Smallest change that would fill it", lambda g: _first_up(g.suggestion) or "None found"),
]


def _search(row) -> str:
    return f"{row.volunteer if isinstance(row, Addition) else ''} {row.post} {row.site}"


def additions_model(parent) -> RowTableModel:
    return RowTableModel(ADDITION_COLUMNS, search_text=_search, parent=parent)


def gaps_model(parent) -> RowTableModel:
    model = RowTableModel(GAP_COLUMNS, search_text=_search, parent=parent)
    model.align_top()
    return model


def additions_view(model: RowTableModel) -> QTableView:
    view = table_view(model, "Proposed assignments", sort_column=0)
    view.setObjectName("additions_table")
    return view


def gaps_view(model: RowTableModel) -> QTableView:
    view = table_view(model, "Places it could not fill", sort_column=0, wrap=True)
    view.setObjectName("gaps_table")
    return view


def fit(view: QTableView, wide: dict[int, int]) -> None:
    """Size columns to their contents, the long text ones capped, rows to their text."""
    fit_columns(view, wide)
    view.resizeRowsToContents()
