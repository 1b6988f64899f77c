"""Recording one training session attended by many volunteers, in one dialog and one save.

Choose the course, the date and the provider, tick who attended (search by name, filter
by site; the list shows when each person last did the course), and Record: every record
is created in one transaction, each one renewing the person's previous record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.services.catalogues import training_courses, validity_text
from ...core.services.records import VolunteerChoice, site_choices, volunteer_choices
from ...core.services.training_records import latest_by_volunteer, record_training_session
from ...core.validation import InvalidValue, format_uk_date
from ..editors.base import fit_to_screen
from ..forms import Form
from ..widgets import heading, note, plural, search_box
from .training import DATE_WIDTH, add_check, add_row, new_form_layout, require_choice, value_of

HEADERS = ("Volunteer", "Sites", "Status", "Last did this course")


class AttendeeModel(QAbstractTableModel):
    """Volunteers with a tick box each; filtered by text and site in Python."""

    checked_changed = Signal()

    def __init__(self, rows: list[VolunteerChoice], parent=None):
        super().__init__(parent)
        self.rows = rows
        self.shown = list(rows)
        self.checked: set[int] = set()
        self.last_done: dict[int, tuple[date, date | None]] = {}

    def set_filter(self, text: str, site_id: int | None) -> None:
        words = text.casefold().split()
        self.beginResetModel()
        self.shown = [
            r
            for r in self.rows
            if (site_id is None or site_id in r.site_ids)
            and all(w in f"{r.name} {r.sort_key}".casefold() for w in words)
        ]
        self.endResetModel()

    def set_last_done(self, last_done: dict[int, tuple[date, date | None]]) -> None:
        self.beginResetModel()
        self.last_done = last_done
        self.endResetModel()

    def set_checked(self, ids: set[int]) -> None:
        self.beginResetModel()
        self.checked = set(ids)
        self.endResetModel()
        self.checked_changed.emit()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def _last_text(self, volunteer_id: int) -> str:
        done = self.last_done.get(volunteer_id)
        if done is None:
            return "Never recorded"
        expires = f" (expires {format_uk_date(done[1])})" if done[1] else ""
        return format_uk_date(done[0]) + expires

    def data(self, index, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.shown[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, row.sites, row.status, self._last_text(row.id))[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            ticked = row.id in self.checked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == 0:
            return f"{row.name}, {'attended' if row.id in self.checked else 'not chosen'}"
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        row = self.shown[index.row()]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(row.id)
        else:
            self.checked.discard(row.id)
        self.dataChanged.emit(index, index)
        self.checked_changed.emit()
        return True

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class _EnterTicks(QObject):
    """Enter on a row ticks or unticks it (rather than pressing the dialog's Record)."""

    def __init__(self, table: QTableView):
        super().__init__(table)
        self.table = table

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            index = self.table.currentIndex()
            if index.isValid():
                cell = index.siblingAtColumn(0)
                ticked = cell.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
                state = Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked
                self.table.model().setData(cell, state.value, Qt.ItemDataRole.CheckStateRole)
            return True
        return False


class BulkTrainingDialog(QDialog):
    recorded = Signal(str)  # the summary of what was recorded

    def __init__(self, db, bus, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(parent)
        self.db, self.bus = db, bus
        self.today = today or date.today()  # the window's date: "not in the future"
        self.summary = ""
        self.setWindowTitle("Record a training session")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        with db.uow() as session:
            self.courses = [c for c in training_courses(session) if c.active]
            sites = site_choices(session)
            people = volunteer_choices(session)
        self.form = Form(self)
        self.form.combo(
            "course_id",
            "Course *",
            [(None, "Choose a course…")]
            + [
                (c.id, f"{c.name} ({validity_text(c.validity_months).lower()})")
                for c in self.courses
            ],
        )
        require_choice(self.form, "course_id", "Choose the course")
        self.form.date("completed_on", "Date", required=True)
        self.form.fields["completed_on"].widget.setMaximumWidth(DATE_WIDTH)
        add_check(self.form, "completed_on", self._check_date)
        self.form.line("provider", "Provider", placeholder="Who ran it")
        self.form.line("notes", "Notes", placeholder="Added to every record")
        self.search = search_box("Search by name (Ctrl+F)", "Search volunteers")
        self.site_box = QComboBox()
        self.site_box.setAccessibleName("Show volunteers at")
        self.site_box.addItem("All sites", None)
        for site in sites:
            self.site_box.addItem(site.name, site.id)
        self.model = AttendeeModel(people, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Who attended")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.table.setAlternatingRowColors(True)
        self.table.installEventFilter(_EnterTicks(self.table))
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(2, 80)
        self.table.setColumnWidth(3, 220)
        self.all_button = QPushButton("Tick all shown")
        self.all_button.setAccessibleName("Tick all shown")
        self.none_button = QPushButton("Untick all")
        self.none_button.setAccessibleName("Untick all")
        self.count = QLabel()
        self.count.setAccessibleName("How many chosen")
        self.status = QLabel()
        self.status.setObjectName("sectionHeading")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Result")
        self.save_button = QPushButton("&Record")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Record")
        self.save_button.setToolTip("Record the session for everyone ticked (Ctrl+S)")
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        self._lay_out(buttons)
        chain = [self.search, self.site_box, self.all_button, self.none_button, self.table]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for text, keys, slot in (
            ("Record", QKeySequence.StandardKey.Save, self.save),
            ("Search", QKeySequence.StandardKey.Find, self.search.setFocus),
        ):
            action = QAction(text, self)
            action.setShortcut(keys)
            action.triggered.connect(slot)
            self.addAction(action)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.close)
        self.all_button.clicked.connect(self._tick_shown)
        self.none_button.clicked.connect(lambda: self.model.set_checked(set()))
        self.search.textChanged.connect(self._filter)
        self.site_box.currentIndexChanged.connect(self._filter)
        self.model.checked_changed.connect(self._update)
        self.form.validity_changed.connect(self._update)
        self.form.edited.connect(self._edited)
        self.form.set_values({"course_id": None, "completed_on": self.today})
        self._update()
        fit_to_screen(self, 820, 640)

    def _lay_out(self, buttons: QDialogButtonBox) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Record a training session"))
        layout.addWidget(
            note(
                "One session attended by many volunteers: each person ticked gets a completed "
                "record, with the expiry computed from the course, renewing their previous one.",
                "About recording a session",
            )
        )
        fields = new_form_layout()
        for key in ("course_id", "completed_on", "provider", "notes"):
            add_row(fields, self.form, key)
        layout.addLayout(fields)
        layout.addWidget(QLabel("<b>Who attended</b>"))
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(QLabel("Site:"))
        tools.addWidget(self.site_box)
        tools.addWidget(self.all_button)
        tools.addWidget(self.none_button)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    # ----- choosing -------------------------------------------------------------------------
    def _filter(self) -> None:
        self.model.set_filter(self.search.text(), self.site_box.currentData())

    def _tick_shown(self) -> None:
        self.model.set_checked(self.model.checked | {r.id for r in self.model.shown})

    def _check_date(self, value: date | None) -> None:
        if value is not None and value > self.today:
            raise InvalidValue("The session can't be in the future")

    def _edited(self, key: str) -> None:
        if key == "course_id":
            course_id = value_of(self.form, "course_id")
            last = {}
            if course_id is not None:
                with self.db.uow() as session:
                    last = latest_by_volunteer(session, course_id)
            self.model.set_last_done(last)
        self._update()

    def _update(self, *_args) -> None:
        n = len(self.model.checked)
        self.count.setText(
            f"{plural(n, 'volunteer')} ticked; {self.model.rowCount()} of "
            f"{len(self.model.rows)} shown."
        )
        self.save_button.setEnabled(self.form.is_valid and n > 0)
        self.save_button.setText(f"&Record for {plural(n, 'volunteer')}" if n else "&Record")

    # ----- saving and leaving -----------------------------------------------------------------
    def save(self) -> bool:
        if not self.save_button.isEnabled():
            return False
        values = self.form.values()
        try:
            with self.db.uow() as session:
                result = record_training_session(
                    session,
                    self.db.username,
                    values["course_id"],
                    values["completed_on"],
                    sorted(self.model.checked),
                    provider=values.get("provider", ""),
                    notes=values.get("notes", ""),
                    today=self.today,
                )
        except InvalidValue as exc:
            QMessageBox.warning(self, "Cannot record the session", str(exc))
            return False
        self.summary = result.summary + "."
        self.status.setText(self.summary)
        self.bus.announce(result.changes)
        self.model.set_checked(set())
        self._edited("course_id")  # the list now shows the new dates
        self.form.mark_saved(values)
        self.recorded.emit(self.summary)
        return True

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.model.checked and not self._may_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Not recorded yet",
            f"{plural(len(self.model.checked), 'volunteer')} ticked but not recorded. "
            "Record the session before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard


def open_bulk_training(
    db, bus, parent: QWidget | None = None, *, today: date | None = None
) -> BulkTrainingDialog:
    """Open the bulk training entry as a window of its own (not modal); returns it."""
    dialog = BulkTrainingDialog(db, bus, parent, today=today)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
