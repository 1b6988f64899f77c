"""The read-only tabs of a volunteer's record: training, clearances and upcoming shifts.

Training and clearances open their own dialogs (Add, Edit, Renew); those dialogs save
on their own, and the tab reloads when they close.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core.db import Database
from ...core.services import compliance as rules
from ...core.services.volunteers import (
    ClearanceItem,
    ShiftItem,
    TrainingItem,
    upcoming_shifts,
    volunteer_clearances,
    volunteer_training,
)
from ...core.validation import format_uk_date
from ..table_model import Column, RowTableModel
from ..widgets import fit_columns, note, table_view

STATE_TEXT = {
    rules.EXPIRED: "Expired",
    rules.EXPIRING: "Expiring soon",
    rules.PENDING: "Pending",
    rules.VALID: "Valid",
    rules.BOOKED: "Renewal booked",
    rules.NOT_IN_FORCE: "Not in force",
    "renewed": "Replaced by a renewal",
}


def _dated(title: str, get: Callable) -> Column:
    return Column(title, get, text=lambda r: format_uk_date(get(r)))


def _state(r) -> str:
    return STATE_TEXT.get(r.state, r.state)


TRAINING_COLUMNS = [
    Column("Course", lambda r: r.course),
    Column("State", _state),
    Column("Status", lambda r: r.status),
    _dated("Completed", lambda r: r.completed_on),
    _dated("Booked for", lambda r: r.booked_for),
    _dated("Expires", lambda r: r.expires_on),
]
CLEARANCE_COLUMNS = [
    Column("Clearance", lambda r: r.type),
    Column("State", _state),
    Column("Status", lambda r: r.status),
    Column("Level", lambda r: r.level),
    Column("Establishment", lambda r: r.site),
    Column("Reference", lambda r: r.reference),
    _dated("Applied", lambda r: r.applied_on),
    _dated("Granted", lambda r: r.granted_on),
    _dated("Expires", lambda r: r.expires_on),
]
SHIFT_COLUMNS = [
    _dated("Date", lambda r: r.date),
    Column("Day", lambda r: r.date.weekday(), text=lambda r: f"{r.date:%A}"),
    Column(
        "Time", lambda r: r.start_time, text=lambda r: f"{r.start_time:%H:%M}–{r.end_time:%H:%M}"
    ),
    Column("Site", lambda r: r.site),
    Column("Post", lambda r: r.post),
    Column("Status", lambda r: r.status),
]


class RecordsTab(QWidget):
    """A table of one kind of record, reloaded on demand; optionally Add/Edit/Renew."""

    changed = Signal()  # a dialog saved something

    def __init__(
        self,
        what: str,
        columns: list[Column],
        load: Callable[[], list],
        explanation: str,
        dialog: Callable[[int | None, bool], None] | None = None,
    ) -> None:
        super().__init__()
        self.what = what
        self._load = load
        self._dialog = dialog
        self.model = RowTableModel(columns, parent=self)
        self.table = table_view(self.model, f"{what} of this volunteer", sort_column=None)
        self.empty = QLabel()
        self.empty.setAccessibleName(f"{what}: summary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(note(explanation, f"About {what.lower()}"))
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        self.buttons: dict[str, QPushButton] = {}
        if dialog is not None:
            row = QHBoxLayout()
            for name, tip in (
                ("Add…", f"Record new {what.lower()}"),
                ("Edit…", "Change the selected record"),
                ("Renew…", "Record the renewal of the selected record"),
            ):
                button = QPushButton(name)
                button.setAccessibleName(f"{name.rstrip('…')} {what.lower()}")
                button.setToolTip(tip)
                button.setAutoDefault(False)
                self.buttons[name.rstrip("…")] = button
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
            self.buttons["Add"].clicked.connect(lambda: self._open(None, False))
            self.buttons["Edit"].clicked.connect(lambda: self._open_selected(False))
            self.buttons["Renew"].clicked.connect(lambda: self._open_selected(True))
            self.table.selectionModel().selectionChanged.connect(self._update_buttons)
            self.table.doubleClicked.connect(lambda _i: self._open_selected(False))
        self.volunteer_saved = False
        self._sized = False

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).id if rows else None

    def _update_buttons(self, *_args) -> None:
        selected = self.selected_id() is not None
        if "Add" in self.buttons:
            self.buttons["Add"].setEnabled(self.volunteer_saved)
            self.buttons["Edit"].setEnabled(self.volunteer_saved and selected)
            self.buttons["Renew"].setEnabled(self.volunteer_saved and selected)

    def reload(self, volunteer_saved: bool) -> None:
        self.volunteer_saved = volunteer_saved
        rows = self._load() if volunteer_saved else []
        self.model.set_rows(rows)
        if not volunteer_saved:
            self.empty.setText(
                f"Save the new volunteer first; then {self.what.lower()} can be added."
            )
        else:
            count = len(rows)
            self.empty.setText(
                f"{count} record{'s' if count != 1 else ''}." if count else "None recorded."
            )
        if rows and not self._sized:
            fit_columns(self.table)
            self._sized = True
        self._update_buttons()

    def _open_selected(self, renew: bool) -> None:
        record_id = self.selected_id()
        if record_id is not None:
            self._open(record_id, renew)

    def _open(self, record_id: int | None, renew: bool) -> None:
        if self._dialog is None or not self.volunteer_saved:
            return
        self._dialog(record_id, renew)
        self.changed.emit()


def training_tab(
    db: Database, volunteer_id: Callable[[], int | None], today: date, dialog
) -> RecordsTab:
    def load() -> list[TrainingItem]:
        with db.uow() as session:
            return volunteer_training(session, volunteer_id(), today)

    return RecordsTab(
        "Training",
        TRAINING_COLUMNS,
        load,
        f"Every course this volunteer has done, with its state as of {today:%d/%m/%Y}.",
        dialog,
    )


def clearances_tab(
    db: Database, volunteer_id: Callable[[], int | None], today: date, dialog
) -> RecordsTab:
    def load() -> list[ClearanceItem]:
        with db.uow() as session:
            return volunteer_clearances(session, volunteer_id(), today)

    return RecordsTab(
        "Clearances",
        CLEARANCE_COLUMNS,
        load,
        "Vetting, counter-terrorist checks, DBS and PVG. Pending means applied for and "
        "not yet granted: they cannot be rostered where it is needed until it is.",
        dialog,
    )


def shifts_tab(db: Database, volunteer_id: Callable[[], int | None], today: date) -> RecordsTab:
    def load() -> list[ShiftItem]:
        with db.uow() as session:
            return upcoming_shifts(session, volunteer_id(), today, days=90)

    return RecordsTab(
        "Upcoming shifts",
        SHIFT_COLUMNS,
        load,
        f"The shifts they are on in the next 90 days, from {today:%d/%m/%Y}.",
    )
