"""The audit viewer: who changed what, when, filtered and a page at a time. Read-only.

A non-modal window. Filters (free text, user, record type, action, a date range) run the
search in the background; the table shows one page (``PAGE`` entries, newest first) with
Newer/Older buttons, never the whole log; the pane below shows the selected entry's field
changes, old -> new, masked values still masked. Only administrators see entries: for
anyone else the search is refused and the window says so.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import audit
from ...core.access import NotAllowed
from ...core.models import AuditAction
from ...core.services.audit_log import (
    ACTION_LABELS,
    AuditRow,
    FieldChange,
    audit_filters,
    record_label,
    search_audit,
)
from ...core.validation import InvalidValue, parse_uk_date
from ..table_model import ROW_ROLE, Column, RowTableModel
from ..widgets import fit_columns, heading, search_box, table_view

PAGE = 200
LONDON = ZoneInfo("Europe/London")


def local_time(at: datetime) -> datetime:
    """A stored (naive UTC) instant as UK wall-clock time."""
    return at.replace(tzinfo=ZoneInfo("UTC")).astimezone(LONDON)


def utc_midnight(day: date) -> datetime:
    """The UK midnight that starts ``day``, as a naive UTC instant (how ``at`` is stored)."""
    start = datetime.combine(day, time.min, tzinfo=LONDON)
    return start.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def field_label(name: str) -> str:
    words = name.removesuffix("_id").replace("_", " ")
    return words[:1].upper() + words[1:]


def value_text(value) -> str:
    if value == audit.MASK:
        return f"{audit.MASK} (hidden)"
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


ENTRY_COLUMNS = [
    Column("When", lambda r: r.at, lambda r: f"{local_time(r.at):%d/%m/%Y %H:%M}"),
    Column("Who", lambda r: r.username),
    Column("Action", lambda r: r.action_label),
    Column("Record", lambda r: r.record),
    Column("Summary", lambda r: r.summary),
]
CHANGE_COLUMNS = [
    Column("Field", lambda c: field_label(c.field)),
    Column("Before", lambda c: value_text(c.old)),
    Column("After", lambda c: value_text(c.new)),
]


class AuditViewer(QDialog):
    def __init__(self, db, ops, parent=None) -> None:
        super().__init__(parent)
        self.db, self.ops = db, ops
        self.offset = 0
        self.total = 0
        self._request = 0
        self.setWindowTitle("Audit log")
        self.setAccessibleName("Audit log")
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        if parent is None:
            from ..style import STYLE_SHEET

            self.setStyleSheet(STYLE_SHEET)
        self.resize(1100, 720)
        self._build()
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.search)
        self.ops.run(self._load_filters, self._filters_loaded, self._failed)
        self.search()

    # --- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.text = search_box("Search summaries, users and changed values", "Search the log")
        self.user = self._combo("User")
        self.entity = self._combo("Record type")
        self.action = self._combo("Action")
        for value, label in ACTION_LABELS.items():
            self.action.addItem(label, value.value)
        self.start = self._date("From date")
        self.end = self._date("To date")
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setAccessibleName("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.date_error = QLabel()
        self.date_error.setObjectName("errorText")
        self.date_error.setAccessibleName("Date error")
        self.date_error.hide()

        rows = [
            [("&Search", self.text, 3), ("&User", self.user, 1)],
            [
                ("&Record type", self.entity, 1),
                ("&Action", self.action, 1),
                ("F&rom", self.start, 0),
                ("&To", self.end, 0),
            ],
        ]
        filters = QVBoxLayout()
        filters.setSpacing(6)
        for cells in rows:
            line = QHBoxLayout()
            line.setSpacing(8)
            for text, widget, stretch in cells:
                label = QLabel(text)
                label.setBuddy(widget)
                line.addSpacing(6)
                line.addWidget(label)
                line.addWidget(widget, stretch)
            filters.addLayout(line)
        rows_last = filters.itemAt(1).layout()
        rows_last.addStretch(1)
        rows_last.addWidget(self.clear_button)

        self.model = RowTableModel(ENTRY_COLUMNS)
        self.table = table_view(self.model, "Audit entries", sort_column=None, stretch_column=4)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.changes = RowTableModel(CHANGE_COLUMNS)
        self.change_table = table_view(
            self.changes, "Field changes of the selected entry", sort_column=None
        )
        self.change_table.setWordWrap(True)
        self.detail_title = QLabel("Select an entry to see what changed.")
        self.detail_title.setObjectName("sectionHeading")
        self.detail_title.setWordWrap(True)
        self.detail_title.setAccessibleName("Selected entry")
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.change_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setSizes([430, 220])
        splitter.setChildrenCollapsible(False)

        self.status = QLabel("Loading...")
        self.status.setAccessibleName("Entries shown")
        self.newer = QPushButton("< &Newer")
        self.newer.setAccessibleName("Newer entries")
        self.older = QPushButton("&Older >")
        self.older.setAccessibleName("Older entries")
        self.newer.clicked.connect(lambda: self._page(-PAGE))
        self.older.clicked.connect(lambda: self._page(PAGE))
        paging = QHBoxLayout()
        paging.addWidget(self.status, 1)
        paging.addWidget(self.newer)
        paging.addWidget(self.older)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        note = QLabel("Entries are a record of what happened: nothing here can be edited.")
        note.setObjectName("note")
        note.setAccessibleName("Read-only note")
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Audit log"))
        layout.addLayout(filters)
        layout.addWidget(self.date_error)
        layout.addLayout(paging)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.text.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.user, self.entity, self.action):
            combo.currentIndexChanged.connect(lambda _i: self._refilter())
        for box in (self.start, self.end):
            box.editingFinished.connect(self._refilter)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        order = [self.text, self.user, self.clear_button, self.entity, self.action]
        order += [self.start, self.end, self.newer, self.older, self.table, self.change_table]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem("Any", None)
        combo.setMinimumWidth(150)
        return combo

    def _date(self, name: str) -> QLineEdit:
        box = QLineEdit()
        box.setPlaceholderText("dd/mm/yyyy")
        box.setAccessibleName(name)
        box.setMaximumWidth(120)
        return box

    def _focus_search(self) -> None:
        self.text.setFocus()
        self.text.selectAll()

    # --- filters -------------------------------------------------------------------------
    def _load_filters(self):
        with self.db.uow() as session:
            return audit_filters(session, self.db.username)

    def _filters_loaded(self, filters) -> None:
        for combo, values, label in (
            (self.user, filters.usernames, str),
            (self.entity, filters.entities, record_label),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(label(value), value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def clear_filters(self) -> None:
        for widget in (self.text, self.start, self.end):
            widget.blockSignals(True)
            widget.clear()
            widget.blockSignals(False)
        for combo in (self.user, self.entity, self.action):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._refilter()

    def _dates(self) -> tuple[datetime | None, datetime | None] | None:
        bounds: list[datetime | None] = []
        for box, name, extra in ((self.start, "From", 0), (self.end, "To", 1)):
            text = box.text().strip()
            if not text:
                bounds.append(None)
                continue
            try:
                day = parse_uk_date(text)
            except InvalidValue as exc:
                self.date_error.setText(f"{name} date: {exc}")
                self.date_error.show()
                return None
            bounds.append(utc_midnight(day + timedelta(days=extra)))
        self.date_error.hide()
        return bounds[0], bounds[1]

    def _refilter(self) -> None:
        self.offset = 0
        self.search()

    def _page(self, step: int) -> None:
        self.offset = max(0, self.offset + step)
        self.search()

    # --- searching -----------------------------------------------------------------------
    def search(self) -> None:
        dates = self._dates()
        if dates is None:
            return
        self._request += 1
        request = self._request
        criteria = {
            "text": self.text.text().strip() or None,
            "username": self.user.currentData(),
            "entity": self.entity.currentData(),
            "action": self.action.currentData(),
            "start": dates[0],
            "end": dates[1] - timedelta(microseconds=1) if dates[1] else None,
            "limit": PAGE,
            "offset": self.offset,
        }
        self.status.setText("Searching...")

        def fetch():
            with self.db.uow() as session:
                return search_audit(session, acting=self.db.username, **criteria)

        self.ops.run(fetch, lambda found: self._shown(request, found), self._failed)

    def _shown(self, request: int, found: tuple[list[AuditRow], int]) -> None:
        if request != self._request:
            return  # a newer search is on its way
        rows, self.total = found
        self.model.set_rows(rows)
        if rows:
            fit_columns(self.table, {0: 140, 1: 140, 2: 110, 3: 200})
            self.table.selectRow(0)
        else:
            self._show_detail()
        first = self.offset + 1 if rows else 0
        last = self.offset + len(rows)
        self.status.setText(
            f"Showing {first:,}-{last:,} of {self.total:,} entries, newest first"
            if rows
            else "No entries match these filters."
        )
        self.newer.setEnabled(self.offset > 0)
        self.older.setEnabled(last < self.total)

    def _failed(self, error: BaseException) -> None:
        self.model.set_rows([])
        self._show_detail()
        self.newer.setEnabled(False)
        self.older.setEnabled(False)
        message = (
            str(error) if isinstance(error, NotAllowed) else f"Could not read the log: {error}"
        )
        self.status.setText(message)

    def selected(self) -> AuditRow | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _show_detail(self) -> None:
        row = self.selected()
        if row is None:
            self.detail_title.setText("Select an entry to see what changed.")
            self.changes.set_rows([])
            return
        when = f"{local_time(row.at):%d/%m/%Y %H:%M}"
        self.detail_title.setText(
            f"{row.action_label}: {row.record} by {row.username} on {when}"
            + (f" - {row.summary}" if row.summary else "")
        )
        changes: list[FieldChange] = list(row.changes)
        self.changes.set_rows(changes)
        if changes:
            fit_columns(self.change_table, {0: 200, 1: 380})
        elif row.action == AuditAction.VIEW:
            self.detail_title.setText(self.detail_title.text() + " (no fields changed)")
