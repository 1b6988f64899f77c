"""One table model for every list: rows of frozen dataclasses, columns described once.

The model owns its rows and does its own sorting and filtering in Python (sorting 7,000
rows this way takes milliseconds; a QSortFilterProxyModel took most of a second).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # data(index, ROW_ROLE) gives the row object

# Roles as plain ints: a view asks ``data`` about seven roles for every visible cell on
# every repaint, and comparing against Qt's enum members costs more than the answer.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ROW = int(ROW_ROLE)


def format_value(value: Any) -> str:
    """How a plain value reads in a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else ""
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


@dataclass(frozen=True)
class Column:
    """A column: its title, how to get the value from a row, and how to show it."""

    title: str
    value: Callable[[Any], Any]  # the value to sort by (and to show, unless ``text``)
    text: Callable[[Any], str] | None = None  # the display text, from the row
    align_right: bool = False
    tooltip: str = ""
    # Rows whose cell in this column is shown in bold (a warning that must not rely on colour).
    bold: Callable[[Any], bool] | None = None

    def display(self, row: Any) -> str:
        return self.text(row) if self.text else format_value(self.value(row))


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


@dataclass(frozen=True)
class PreparedRows:
    """Rows already sorted and keyed, made off the GUI thread by ``prepare_rows``."""

    rows: list
    keys: list[str]
    sort: tuple[int, Qt.SortOrder] | None


def sorted_order(values: list[Any], descending: bool) -> list[int]:
    """Row positions in sorted order: text without regard to case, missing values last."""
    keys = [v.casefold() if isinstance(v, str) else v for v in values]
    present = [i for i, v in enumerate(values) if not _is_missing(v)]
    missing = [i for i, v in enumerate(values) if _is_missing(v)]
    present.sort(key=keys.__getitem__, reverse=descending)
    return present + missing


class RowTableModel(QAbstractTableModel):
    """Rows of dataclasses shown through ``columns``; Python-side sort and text filter."""

    def __init__(
        self,
        columns: Sequence[Column],
        search_text: Callable[[Any], str] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._search_text = search_text
        self._all: list[Any] = []
        self._keys: list[str] = []
        self._shown: list[Any] = []
        self._needle = ""
        self._predicate: Callable[[Any], bool] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._set_alignments(Qt.AlignmentFlag.AlignVCenter)
        self._bold = [c.bold for c in self._columns]
        self._any_bold = any(b is not None for b in self._bold)
        self._bold_font = QFont()  # only the weight is set: the view's font supplies the rest
        self._bold_font.setBold(True)

    def align_top(self) -> None:
        """Align cells to the top (for tables whose rows wrap onto several lines)."""
        self._set_alignments(Qt.AlignmentFlag.AlignTop)

    def _set_alignments(self, vertical: Qt.AlignmentFlag) -> None:
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        self._alignments = [
            int((right if c.align_right else left) | vertical) for c in self._columns
        ]

    # --- feeding and reading -------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any] | PreparedRows) -> None:
        """Show these rows (sorted as the view asks); ``PreparedRows`` skips the work."""
        prepared = rows if isinstance(rows, PreparedRows) else self.prepare_rows(rows)
        self.beginResetModel()
        self._all, self._keys = prepared.rows, prepared.keys
        if prepared.sort != self._sort:  # the user re-sorted while the rows were on their way
            self._apply_sort()
        self._apply_filter()
        self.endResetModel()

    def prepare_rows(self, rows: Sequence[Any]) -> PreparedRows:
        """Sort and key rows for ``set_rows``. Touches no Qt object: safe on a worker thread."""
        rows = list(rows)
        keys = (
            [self._search_text(row).casefold() for row in rows]
            if self._search_text is not None
            else []
        )
        sort = self._sort
        if sort is not None and rows:
            get = self._columns[sort[0]].value
            order = sorted_order([get(r) for r in rows], sort[1] == Qt.SortOrder.DescendingOrder)
            rows = [rows[i] for i in order]
            keys = [keys[i] for i in order] if keys else keys
        return PreparedRows(rows, keys, sort)

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    def row_at(self, row: int) -> Any:
        return self._shown[row]

    @property
    def total_count(self) -> int:
        return len(self._all)

    @property
    def shown_count(self) -> int:
        return len(self._shown)

    def shown_rows(self) -> list[Any]:
        return list(self._shown)

    # --- filtering -----------------------------------------------------------------------
    def set_filter_text(self, text: str) -> None:
        """Show only rows whose search text holds every word typed (any order, any case)."""
        needle = " ".join(text.casefold().split())
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._apply_filter()
        self.endResetModel()

    def set_row_filter(self, predicate: Callable[[Any], bool] | None) -> None:
        """Show only rows for which ``predicate`` is true (None: all), with the text filter."""
        self.beginResetModel()
        self._predicate = predicate
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        rows = self._all
        if self._needle and self._search_text is not None:
            words = self._needle.split()
            if len(words) == 1:
                word = words[0]
                rows = [r for r, k in zip(self._all, self._keys, strict=True) if word in k]
            else:
                rows = [
                    r
                    for r, k in zip(self._all, self._keys, strict=True)
                    if all(w in k for w in words)
                ]
        if self._predicate is not None:
            rows = [r for r in rows if self._predicate(r)]
        self._shown = rows if rows is not self._all else list(rows)

    # --- sorting -------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or self._sort == (column, order):
            return  # QTableView.sortByColumn asks twice: sort once
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self._apply_filter()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        if self._sort is None or not self._all:
            return
        column, order = self._sort
        get = self._columns[column].value
        positions = sorted_order([get(r) for r in self._all], order == Qt.SortOrder.DescendingOrder)
        self._all = [self._all[i] for i in positions]
        if self._keys:
            self._keys = [self._keys[i] for i in positions]

    # --- the Qt model interface ----------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == _DISPLAY:
            return self._columns[index.column()].display(self._shown[index.row()])
        if role == _ALIGNMENT:
            return self._alignments[index.column()]
        if role == _ROW:
            return self._shown[index.row()]
        if role == _TOOLTIP:  # the whole text of a cell too narrow for it
            return self._columns[index.column()].display(self._shown[index.row()]) or None
        if role == _FONT and self._any_bold:
            bold = self._bold[index.column()]
            if bold is not None and bold(self._shown[index.row()]):
                return self._bold_font
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole and self._columns[section].tooltip:
            return self._columns[section].tooltip
        return None
