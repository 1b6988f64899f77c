"""The read-only tabs of a volunteer's record: training, clearances and upcoming shifts.

Training and clearances open their own dialogs (Add, Edit, Renew); those dialogs save
on their own, and the tab reloads when they close. Records a renewal has replaced are
hidden until "Show replaced records" is ticked. A DBS certificate has no expiry
(DOMAIN.md): its date is when a re-check is due, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core.db import Database
from ...core.services import compliance as rules
from ...core.services.catalogues import clearance_types
from ...core.services.clearance_records import replaced_clearances
from ...core.services.training_records import replaced_training
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
RECHECK_TEXT = {rules.EXPIRED: "Re-check overdue", rules.EXPIRING: "Re-check due soon"}
IN_PROGRESS = "Renewal in progress"  # a renewal booked or applied for: the old one holds


@dataclass(frozen=True)
class TrainingRow(TrainingItem):
    replaced: bool = False  # a completed renewal took its place


@dataclass(frozen=True)
class ClearanceRow(ClearanceItem):
    replaced: bool = False  # a granted renewal took its place
    dbs: bool = False  # no expiry: the date is when a re-check is due


def _copy(item, row_type: type, **extra):
    return row_type(**{f.name: getattr(item, f.name) for f in fields(item)}, **extra)


def _dated(title: str, get: Callable, tooltip: str = "") -> Column:
    return Column(title, get, text=lambda r: format_uk_date(get(r)), tooltip=tooltip)


def _state(r) -> str:
    if r.state == "renewed" and not getattr(r, "replaced", True):
        return IN_PROGRESS
    if getattr(r, "dbs", False) and r.state in RECHECK_TEXT:
        return RECHECK_TEXT[r.state]
    return STATE_TEXT.get(r.state, r.state)


def _expires(r) -> str:
    day = format_uk_date(r.expires_on)
    return f"Re-check due {day}" if day and getattr(r, "dbs", False) else day


TRAINING_COLUMNS = [
    Column("Course", lambda r: r.course),
    Column("State", _state),
    _dated("Expires", lambda r: r.expires_on),
    _dated("Completed", lambda r: r.completed_on),
    _dated("Booked for", lambda r: r.booked_for),
    Column("Status", lambda r: r.status),
]
CLEARANCE_COLUMNS = [
    Column("Clearance", lambda r: r.type),
    Column("State", _state),
    Column(
        "Expires",
        lambda r: r.expires_on,
        text=_expires,
        tooltip="When it expires. A DBS certificate has no expiry: for DBS this is "
        "when a re-check is due.",
    ),
    _dated("Granted", lambda r: r.granted_on),
    Column("Level", lambda r: r.level),
    _dated("Applied", lambda r: r.applied_on),
    Column("Establishment", lambda r: r.site),
    Column("Reference", lambda r: r.reference),
    Column("Status", lambda r: r.status),
]
CLEARANCE_WIDTHS = {0: 200, 4: 170, 6: 150, 7: 150}  # type, level, establishment, reference
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


def _records(count: int, kind: str = "") -> str:
    return f"{count} {kind}record{'s' if count != 1 else ''}"


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
        *,
        widths: dict[int, int] | None = None,
        replaceable: bool = False,
    ) -> None:
        super().__init__()
        self.what = what
        self._load = load
        self._dialog = dialog
        self._widths = widths
        self._rows: list = []
        self.model = RowTableModel(columns, parent=self)
        self.table = table_view(self.model, f"{what} of this volunteer", sort_column=None)
        self.empty = QLabel()
        self.empty.setAccessibleName(f"{what}: summary")
        self.show_replaced: QCheckBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(note(explanation, f"About {what.lower()}"))
        summary = QHBoxLayout()
        summary.addWidget(self.empty, 1)
        if replaceable:
            self.show_replaced = QCheckBox("Sho&w replaced records")
            self.show_replaced.setAccessibleName(f"Show replaced {what.lower()} records")
            self.show_replaced.setToolTip("Also list the records that a renewal has replaced")
            self.show_replaced.toggled.connect(self._show_rows)
            summary.addWidget(self.show_replaced)
        layout.addLayout(summary)
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
        self._sized: bool | None = None  # columns fitted to: None, current rows, every row

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
        self._rows = self._load() if volunteer_saved else []
        self._show_rows()

    def _show_rows(self, *_args) -> None:
        everything = self.show_replaced is None or self.show_replaced.isChecked()
        replaced = sum(1 for r in self._rows if getattr(r, "replaced", False))
        rows = [r for r in self._rows if everything or not getattr(r, "replaced", False)]
        self.model.set_rows(rows)
        if self.show_replaced is not None:
            self.show_replaced.setEnabled(replaced > 0)
        if not self.volunteer_saved:
            text = f"Save the new volunteer first; then {self.what.lower()} can be added."
        elif not self._rows:
            text = "None recorded."
        elif not replaced:
            text = _records(len(rows)) + "."
        elif everything:
            text = f"{_records(len(rows))}, {replaced} of them replaced by a renewal."
        else:
            text = f"{_records(len(rows), 'current ')}; {replaced} replaced by a renewal, hidden."
        self.empty.setText(text)
        if rows and self._sized != everything:  # replaced rows have longer states
            fit_columns(self.table, self._widths)
            self._sized = everything
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
    def load() -> list[TrainingRow]:
        with db.uow() as session:
            items = volunteer_training(session, volunteer_id(), today)
            replaced = replaced_training(session, volunteer_id())
        return [_copy(t, TrainingRow, replaced=t.id in replaced) for t in items]

    return RecordsTab(
        "Training",
        TRAINING_COLUMNS,
        load,
        f"Every course this volunteer has done, with its state as of {today:%d/%m/%Y}.",
        dialog,
        replaceable=True,
    )


def clearances_tab(
    db: Database, volunteer_id: Callable[[], int | None], today: date, dialog
) -> RecordsTab:
    def load() -> list[ClearanceRow]:
        with db.uow() as session:
            items: list[ClearanceItem] = volunteer_clearances(session, volunteer_id(), today)
            replaced = replaced_clearances(session, volunteer_id())
            dbs = {t.name for t in clearance_types(session) if t.is_dbs}
        return [_copy(c, ClearanceRow, replaced=c.id in replaced, dbs=c.type in dbs) for c in items]

    return RecordsTab(
        "Clearances",
        CLEARANCE_COLUMNS,
        load,
        "Vetting, counter-terrorist checks, DBS and PVG. Pending means applied for and "
        "not yet granted: they cannot be rostered where it is needed until it is. A DBS "
        "certificate does not expire: its date is when a re-check is due.",
        dialog,
        widths=CLEARANCE_WIDTHS,
        replaceable=True,
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
