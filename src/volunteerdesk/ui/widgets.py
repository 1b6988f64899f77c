"""Small widget helpers the pages share: headings, read-only tables, search boxes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QLineEdit, QTableView

from .table_model import RowTableModel


def plural(n: int, word: str, words: str | None = None) -> str:
    """ "1 place", "3 places" (``words`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def heading(text: str, accessible_name: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageHeading")
    label.setAccessibleName(accessible_name or text)
    return label


def note(text: str, accessible_name: str) -> QLabel:
    """A paragraph of explanatory text that wraps."""
    label = QLabel(text)
    label.setObjectName("note")
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def search_box(placeholder: str, accessible_name: str) -> QLineEdit:
    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    box.setAccessibleName(accessible_name)
    box.setMinimumWidth(320)
    return box


def table_view(
    model: RowTableModel,
    accessible_name: str,
    *,
    sort_column: int | None = 0,
    sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
    stretch_column: int | None = None,
    wrap: bool = False,
) -> QTableView:
    """A read-only, row-selecting table over ``model``, sorted by ``sort_column``."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(accessible_name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(wrap)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_column is None)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    if sort_column is not None:
        # setSortingEnabled sorts column 0 descending at once: sort as wanted after it.
        view.setSortingEnabled(True)
        view.sortByColumn(sort_column, sort_order)
    return view


def fit_columns(view: QTableView, widths: dict[int, int] | None = None, sample: int = 40) -> None:
    """Size columns to their header and the text of the first ``sample`` rows, then fix them.

    Measured in Python with the view's font metrics: Qt's resizeColumnsToContents also
    measures every visible row and each role, which took 400 ms of the GUI thread for the
    7,000-volunteer list; this takes a few milliseconds.
    """
    model = view.model()
    header = view.horizontalHeader()
    if model is None:
        return
    metrics = view.fontMetrics()
    bold = QFont(header.font())
    bold.setBold(True)
    header_metrics = QFontMetrics(bold)
    rows = min(model.rowCount(), sample)
    last = header.count() - 1
    for column in range(header.count()):
        if column == last and header.stretchLastSection():
            continue  # it takes whatever room is left
        title = model.headerData(column, Qt.Orientation.Horizontal) or ""
        width = header_metrics.horizontalAdvance(str(title)) + 24  # room for the sort arrow
        for row in range(rows):
            text = model.index(row, column).data()
            if text:
                longest = max(str(text).split("\n"), key=len)
                width = max(width, metrics.horizontalAdvance(longest) + 16)
        cap = (widths or {}).get(column, 320)
        header.resizeSection(column, min(max(width, 60), cap))
