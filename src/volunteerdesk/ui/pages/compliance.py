"""Compliance matrix: volunteers by requirement types, each cell's state in words and colour.

Filters by site, post, community and state; sorting by name or soonest expiry happens in
the model (6,800 rows on the national demo). Enter or a double-click on a cell renews the
record, opens a pending one, or records a missing one; the context menu also opens the
volunteer.
"""

from __future__ import annotations

import textwrap
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.compliance.rules import SEVERITY, Check, Requirement, State, is_alarm
from ...core.services.compliance import (
    STATE_FILTERS,
    MatrixLine,
    MatrixView,
    compliance_matrix,
    narrow,
)
from ...core.validation import format_uk_date
from ..widgets import heading, note, search_box, table_view
from .base import Page

NAME_COLUMN, SOONEST_COLUMN, FIXED = 0, 1, 2
# What this page and the dashboard show: a change to any of these reloads them.
WATCHES = frozenset(
    {"training", "clearances", "volunteers", "assignments", "shifts", "settings", "catalogues"}
    | {"sites", "posts", "communities"}
)
LINE_ROLE = Qt.ItemDataRole.UserRole + 1
CHECK_ROLE = Qt.ItemDataRole.UserRole + 2
# Tints under the words (never the only sign): translucent, so they suit a dark palette.
TINT = {
    State.VALID: QColor(40, 150, 70, 45),
    State.EXPIRING: QColor(230, 150, 0, 80),
    State.EXPIRED: QColor(210, 40, 40, 85),
    State.REFUSED: QColor(210, 40, 40, 85),
    State.PENDING: QColor(60, 110, 200, 55),
    State.MISSING: QColor(128, 128, 128, 55),
}
LEGEND = (
    "✓ valid until the date shown · Expiring: lapses within the warning period · "
    "EXPIRED · Pending: applied for or booked · Missing: required at the volunteer's site "
    "but not held · blank: not required · (renewing): a renewal is in progress. "
    "Enter or double-click on a cell renews or records it; right-click for more."
)


def cell_text(check: Check | None) -> str:
    """A cell in words: the state and its date, readable without the colour."""
    if check is None:
        return ""
    when = format_uk_date(check.expires_on) if check.expires_on else ""
    renewing = " (renewing)" if check.renewal_in_progress else ""
    state = check.state
    if state is State.VALID:
        return f"✓ {when}" if when else "✓ No expiry"
    if state is State.EXPIRING:
        return f"Expiring {when}{renewing}"
    if state is State.EXPIRED:
        return f"EXPIRED {when}".strip() + renewing
    if state is State.PENDING:
        since = format_uk_date(check.since) if check.since else ""
        if check.requirement.kind == "training":
            return f"Booked {since}".strip()
        return f"Pending since {since}" if since else "Pending"
    return state.label  # Refused, Missing


def _cell_key(check: Check) -> tuple:
    """Worst first, then by date: the problems of a column at the top."""
    return (SEVERITY[check.state], check.expires_on or check.since or date.max)


class MatrixModel(QAbstractTableModel):
    """The shown lines and columns; sorts itself in Python (no proxy model)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: list[Requirement] = []
        self.lines: list[MatrixLine] = []
        self._sort: tuple[int, Qt.SortOrder] = (SOONEST_COLUMN, Qt.SortOrder.AscendingOrder)

    def set_view(self, columns: list[Requirement], lines: list[MatrixLine]) -> None:
        self.beginResetModel()
        self.columns, self.lines = columns, self._sorted(lines)
        self.endResetModel()

    def line_at(self, row: int) -> MatrixLine:
        return self.lines[row]

    def check_at(self, index: QModelIndex) -> Check | None:
        if not index.isValid() or index.column() < FIXED:
            return None
        return self.lines[index.row()].cells[index.column() - FIXED]

    def requirement_at(self, column: int) -> Requirement | None:
        return self.columns[column - FIXED] if column >= FIXED else None

    # ----- sorting ---------------------------------------------------------------------
    def _key(self, column: int):
        if column == NAME_COLUMN:
            return lambda ln: ln.sort_name
        if column == SOONEST_COLUMN:
            return lambda ln: ln.soonest
        i = column - FIXED
        return lambda ln: None if ln.cells[i] is None else _cell_key(ln.cells[i])

    def _sorted(self, lines: list[MatrixLine]) -> list[MatrixLine]:
        column, order = self._sort
        if column >= FIXED + len(self.columns):
            column = SOONEST_COLUMN
        key = self._key(column)
        keyed = [(key(ln), ln) for ln in lines]
        present = [(k, ln) for k, ln in keyed if k is not None]
        present.sort(key=lambda p: p[0], reverse=order == Qt.SortOrder.DescendingOrder)
        return [ln for _k, ln in present] + [ln for k, ln in keyed if k is None]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._sort == (column, order) or column >= FIXED + len(self.columns) and self.columns:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self.lines = self._sorted(self.lines)
        self.layoutChanged.emit()

    # ----- the Qt model interface ------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else FIXED + len(self.columns)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == LINE_ROLE:
            return line
        if column == NAME_COLUMN:
            return line.name if role == Qt.ItemDataRole.DisplayRole else None
        if column == SOONEST_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return format_uk_date(line.soonest) if line.soonest else ""
            return None
        check = line.cells[column - FIXED]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(check)
        if role == CHECK_ROLE:
            return check
        if check is None:
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return check.reason
        if role == Qt.ItemDataRole.BackgroundRole:
            return TINT.get(check.state)
        if role == Qt.ItemDataRole.FontRole and is_alarm(check):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section == NAME_COLUMN:
            title, tip = "Volunteer", "Sort by surname"
        elif section == SOONEST_COLUMN:
            title, tip = "Soonest\nexpiry", "The first date any of the volunteer's records lapses"
        elif section - FIXED < len(self.columns):
            req = self.columns[section - FIXED]
            advisory = "" if req.mandatory else " (advisory)"
            title = "\n".join(textwrap.wrap(req.name + advisory, 18)[:3])
            tip = f"{req.name}{advisory}: sort with problems first"
        else:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None


def open_record_dialog(
    parent: QWidget,
    db,
    bus,
    kind: str,
    volunteer_id: int,
    record_id: int | None,
    *,
    renew: bool = False,
    type_id: int | None = None,
) -> None:
    """Open the training or clearance dialog (modal) for a record, its renewal or a new one
    of ``type_id``; it saves and announces the change itself."""
    try:
        if kind == "training":
            from ..dialogs.training import TrainingDialog as Dialog
        else:
            from ..dialogs.clearance import ClearanceDialog as Dialog
    except ImportError:
        QMessageBox.information(parent, "Not available", "Records cannot be edited here yet.")
        return
    dialog = Dialog(db, bus, volunteer_id, record_id=record_id, renew=renew, parent=parent)
    if record_id is None and type_id is not None:  # a missing record: choose its type
        field = dialog.form.fields.get("course_id" if kind == "training" else "type_id")
        box = field.widget if field is not None else None
        if isinstance(box, QComboBox) and (i := box.findData(type_id)) >= 0:
            box.setCurrentIndex(i)
            box.activated.emit(i)  # as if chosen: the dialog fills in what follows from it
    dialog.exec()


class CompliancePage(Page):
    title = "Compliance"
    watches = WATCHES

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.view: MatrixView | None = None
        self.site_box = self._combo("Filter by site", "All sites")
        self.post_box = self._combo("Filter by post", "All posts")
        self.community_box = self._combo("Filter by community", "All communities")
        self.state_box = self._combo("Filter by state", "Any state")
        for key, (label, _test) in STATE_FILTERS.items():
            self.state_box.addItem(label, key)
        self.search = search_box("Search by name (Ctrl+F)", "Search volunteers by name")
        self.search.setMinimumWidth(240)
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of volunteers shown")
        self.model = MatrixModel(self)
        self.table = self._table()
        self.renew_button = self._button("&Renew or record…", self.activate_current)
        self.volunteer_button = self._button("Open &volunteer", self.open_volunteer)
        self.legend = note(LEGEND, "What the cells mean")

        top = QHBoxLayout()
        top.addWidget(heading("Compliance"))
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.search)
        filters = QHBoxLayout()
        for label, box, stretch in (
            ("&Site:", self.site_box, 3),
            ("&Post:", self.post_box, 4),
            ("Co&mmunity:", self.community_box, 3),
            ("S&how:", self.state_box, 2),
        ):
            caption = QLabel(label)
            caption.setBuddy(box)
            filters.addWidget(caption)
            filters.addWidget(box, stretch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.renew_button)
        buttons.addWidget(self.volunteer_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.legend)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        chain = [self.search, self.site_box, self.post_box, self.community_box, self.state_box]
        chain += [self.table, self.renew_button, self.volunteer_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)  # as laid out: search, filters, table, buttons
        self.site_box.currentIndexChanged.connect(self._site_changed)
        for box in (self.post_box, self.community_box, self.state_box):
            box.currentIndexChanged.connect(self.apply_filters)
        self.search.textChanged.connect(self.apply_filters)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.table, self.activate_current,
                      context=Qt.ShortcutContext.WidgetShortcut)  # fmt: skip
        self._update_buttons()

    # ----- building --------------------------------------------------------------------
    def _combo(self, name: str, everything: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItem(everything, None)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(12)
        return box

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _table(self) -> QTableView:
        view = table_view(self.model, "Compliance matrix", sort_column=SOONEST_COLUMN)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setAlternatingRowColors(False)  # the tints say enough
        view.doubleClicked.connect(lambda _index: self.activate_current())
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        return view

    # ----- loading ---------------------------------------------------------------------
    def reload(self) -> None:
        if self.view is None:
            self.count_label.setText("Loading…")
        super().reload()

    def fetch(self) -> MatrixView:
        with self.db.uow() as session:
            return compliance_matrix(session, self.today)

    def show_data(self, view: MatrixView) -> None:
        self.view = view
        self._fill(self.site_box, [(c.id, c.name) for c in view.sites])
        self._fill(self.community_box, [(c.id, c.name) for c in view.communities])
        self._fill_posts()
        self.apply_filters()

    def _size_columns(self) -> None:
        """Names fitted to the first rows; each requirement as wide as its longest text."""
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(300)
        self.table.resizeColumnToContents(NAME_COLUMN)
        header.resizeSection(NAME_COLUMN, min(max(header.sectionSize(NAME_COLUMN), 170), 260))
        bold = QFont(self.table.font())
        bold.setBold(True)
        longest = max(
            self.table.fontMetrics().horizontalAdvance("Expiring 30/11/2026 (renewing)"),
            QFontMetrics(bold).horizontalAdvance("EXPIRED 30/11/2026"),
        )
        header.resizeSection(
            SOONEST_COLUMN, self.table.fontMetrics().horizontalAdvance("30/11/2026") + 40
        )
        for column in range(FIXED, self.model.columnCount()):
            header.resizeSection(column, max(longest, header.sectionSizeHint(column)) + 14)

    def _fill(self, box: QComboBox, choices: list[tuple[int, str]]) -> None:
        chosen = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value, text in choices:
            box.addItem(text, value)
        box.setCurrentIndex(max(box.findData(chosen), 0))
        box.blockSignals(False)

    def _fill_posts(self) -> None:
        if self.view is None:
            return
        site = self.site_box.currentData()
        self._fill(
            self.post_box,
            [
                (p.id, p.name if site is None else p.post)
                for p in self.view.posts
                if site is None or p.site_id == site
            ],
        )

    def _site_changed(self, *_args) -> None:
        if self.site_box.currentData() is None:  # all sites: any post, too
            self.post_box.setCurrentIndex(0)
        self._fill_posts()
        self.apply_filters()

    def apply_filters(self, *_args) -> None:
        if self.view is None:
            return
        columns, lines = narrow(
            self.view,
            site_id=self.site_box.currentData(),
            post_id=self.post_box.currentData(),
            community_id=self.community_box.currentData(),
            state=self.state_box.currentData(),
            needle=self.search.text().strip(),
        )
        resize = columns != self.model.columns
        self.model.set_view(columns, lines)
        if resize:
            self._size_columns()
        if self.table.horizontalHeader().sortIndicatorSection() >= self.model.columnCount():
            self.table.sortByColumn(SOONEST_COLUMN, Qt.SortOrder.AscendingOrder)
        total = len(self.view.lines)
        self.count_label.setText(
            f"{len(lines):,} of {total:,} volunteers shown, as of {format_uk_date(self.view.on)}"
        )
        self._update_buttons()

    # ----- acting on a cell --------------------------------------------------------------
    def _current(self) -> tuple[MatrixLine | None, Requirement | None, Check | None]:
        index = self.table.currentIndex()
        if not index.isValid():
            return None, None, None
        line = self.model.line_at(index.row())
        return line, self.model.requirement_at(index.column()), self.model.check_at(index)

    def _update_buttons(self) -> None:
        line, req, check = self._current()
        self.volunteer_button.setEnabled(line is not None)
        label, _action = self._action_for(req, check)
        self.renew_button.setEnabled(label is not None)
        self.renew_button.setText(f"&{label}…" if label else "&Renew or record…")
        self.renew_button.setAccessibleName(label or "Renew or record")

    @staticmethod
    def _action_for(req: Requirement | None, check: Check | None):
        """What Enter does on a cell: (button label, (record id, renew)) or (None, None)."""
        if req is None or check is None:
            return None, None
        if check.state in (State.VALID, State.EXPIRING, State.EXPIRED) and check.record_id:
            return "Renew", (check.record_id, True)
        if check.state is State.PENDING and check.record_id:
            return "Open record", (check.record_id, False)
        return f"Record {req.name}", (None, False)  # refused or missing: a new record

    def activate_current(self) -> None:
        line, req, check = self._current()
        if line is None:
            return
        label, action = self._action_for(req, check)
        if action is None:
            if req is None:
                self.open_record.emit("volunteer", line.volunteer_id)
            return
        record_id, renew = action
        open_record_dialog(
            self, self.db, self.bus, req.kind, line.volunteer_id, record_id,
            renew=renew, type_id=req.type_id,
        )  # fmt: skip

    def open_volunteer(self) -> None:
        line, _req, _check = self._current()
        if line is not None:
            self.open_record.emit("volunteer", line.volunteer_id)

    def _context_menu(self, point) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        line, req, check = self._current()
        menu = QMenu(self)
        label, _action = self._action_for(req, check)
        if label:
            menu.addAction(f"{label}…", self.activate_current)
        if check is not None and check.record_id and label == "Renew":
            record = check.record_id
            menu.addAction(
                "Open record…",
                lambda: open_record_dialog(
                    self, self.db, self.bus, req.kind, line.volunteer_id, record
                ),
            )
        menu.addAction("Open volunteer", self.open_volunteer)
        self.context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(point))


__all__ = ["CompliancePage", "MatrixModel", "cell_text", "open_record_dialog"]
