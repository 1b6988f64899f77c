"""Small widget helpers the pages share: headings, read-only tables, search boxes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QTableView,
    QWidget,
)

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


SEARCH_KEYS_HELP = (
    "Down arrow moves to the list, Enter opens the selected or only match, "
    "Escape clears the search."
)


class SearchBox(QLineEdit):
    """A search box that, once it ``leads_to`` a list, hands the keyboard over to it.

    Down moves to the list (selecting its first row unless the selected one is still
    shown), Enter opens the selected row or the only one shown, Escape clears the text
    (with nothing typed, Escape goes on to the window as before).
    """

    def __init__(self) -> None:
        super().__init__()
        self._view: QTableView | QListView | None = None
        self._open: Callable[[], object] | None = None

    def leads_to(self, view: QTableView | QListView, open_selected: Callable[[], object]) -> None:
        """Send Down to ``view`` and Enter to ``open_selected`` (what Enter in the view does)."""
        self._view = view
        self._open = open_selected
        self.setAccessibleDescription(SEARCH_KEYS_HELP)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self._view is not None and plain:
            if key == Qt.Key.Key_Down and self._go_to_list():
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._open_match():
                return
            if key == Qt.Key.Key_Escape and self.text():
                self.clear()
                return
        super().keyPressEvent(event)

    def _shown_rows(self, limit: int) -> list[int]:
        """The first ``limit`` rows of the list that are not hidden by a filter."""
        view = self._view
        assert view is not None and view.model() is not None
        found: list[int] = []
        for row in range(view.model().rowCount()):
            if not view.isRowHidden(row):
                found.append(row)
                if len(found) == limit:
                    break
        return found

    def _selected_shown_row(self) -> int | None:
        view = self._view
        assert view is not None
        selected = view.selectionModel().selectedRows() if view.selectionModel() else []
        if selected and not view.isRowHidden(selected[0].row()):
            return selected[0].row()
        return None

    def _select(self, row: int) -> None:
        view = self._view
        assert view is not None
        index = view.model().index(row, 0)
        view.setCurrentIndex(index)
        view.scrollTo(index)

    def _go_to_list(self) -> bool:
        if self._view is None or self._view.model() is None:
            return False
        row = self._selected_shown_row()
        if row is None:
            first = self._shown_rows(1)
            if not first:
                return False  # nothing to go to: stay in the box
            row = first[0]
        self._select(row)
        self._view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _open_match(self) -> bool:
        if self._view is None or self._view.model() is None or self._open is None:
            return False
        row = self._selected_shown_row()
        if row is None:
            shown = self._shown_rows(2)
            if len(shown) != 1:
                return False
            row = shown[0]
        self._select(row)
        self._open()
        return True


def search_box(placeholder: str, accessible_name: str) -> SearchBox:
    box = SearchBox()
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
    bold_metrics = QFontMetrics(_bolder(view.font()))
    rows = min(model.rowCount(), sample)
    last = header.count() - 1
    for column in range(header.count()):
        if column == last and header.stretchLastSection():
            continue  # it takes whatever room is left
        title = model.headerData(column, Qt.Orientation.Horizontal) or ""
        width = header_metrics.horizontalAdvance(str(title)) + 24  # room for the sort arrow
        for row in _rows_to_measure(model, column, rows, sample):
            index = model.index(row, column)
            text = index.data()
            if text:
                longest = max(str(text).split("\n"), key=len)
                used = bold_metrics if index.data(Qt.ItemDataRole.FontRole) else metrics
                width = max(width, used.horizontalAdvance(longest) + 16)
        cap = (widths or {}).get(column, 320)
        header.resizeSection(column, min(max(width, 60), cap))


def _bolder(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def _rows_to_measure(model, column: int, rows: int, sample: int) -> list[int]:
    """The first ``rows`` rows, and the first ``sample`` shown in bold in this column
    (an overdue date far down the list must still fit its bold text)."""
    measured = list(range(rows))
    if isinstance(model, RowTableModel):
        bold = model.columns[column].bold
        if bold is not None:
            shown = model.shown_rows()
            measured += [i for i in range(rows, len(shown)) if bold(shown[i])][:sample]
    return measured


def add_shortcut(keys, owner: QWidget, slot, context: Qt.ShortcutContext) -> QShortcut:
    """A shortcut on ``owner`` in ``context``. The context is set apart from the slot:
    PySide6 ignores a ``context=`` passed with a slot, leaving a window-wide shortcut
    (Enter on one table then fired from every control in the window)."""
    made = QShortcut(keys, owner)
    made.setContext(context)
    made.activated.connect(slot)
    return made
