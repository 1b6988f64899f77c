"""Recording what happened at a session: a volunteer's attendance, and a desk's outcome.

``AttendanceDialog`` marks one assignment attended, a no-show, or back to booked (with
the hours given when attended); ``DeskOutcomeDialog`` records a desk session's contacts
seen and how many were signposted to each resettlement pathway. Both are modal, write
through ``core.services.rota_edit`` on the background worker, announce the changes on
the bus, and say in words when someone else saved first or the record has gone.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from ...core.models import PATHWAY_LABELS, AssignmentStatus, Pathway
from ...core.services.editing import ConflictError, RecordGone
from ...core.services.rota_edit import (
    RotaError,
    RuleBroken,
    get_assignment,
    get_shift,
    record_outcome,
    set_status,
)
from ...core.validation import format_uk_date
from ..forms import ERROR_STYLE, Form

STATUS_WORDS = {
    AssignmentStatus.PROPOSED: "Proposed (not yet confirmed)",
    AssignmentStatus.CONFIRMED: "Booked (confirmed)",
    AssignmentStatus.DECLINED: "Declined",
    AssignmentStatus.ATTENDED: "Attended",
    AssignmentStatus.NO_SHOW: "Did not come (no-show)",
}
CHOICES = (AssignmentStatus.ATTENDED, AssignmentStatus.NO_SHOW, AssignmentStatus.CONFIRMED)
RADIO_TEXT = {
    AssignmentStatus.ATTENDED: "&Attended",
    AssignmentStatus.NO_SHOW: "Did &not come (no-show)",
    AssignmentStatus.CONFIRMED: "&Booked, attendance not recorded (confirmed)",
}


def session_text(shift) -> str:
    """ "Family support desk (morning), Westmoor Court" over "Wed 09/12/2026, 09:30–13:00"."""
    return (
        f"{shift.post.name}, {shift.post.site.name}\n"
        f"{shift.date:%A} {format_uk_date(shift.date)}, "
        f"{shift.start_time:%H:%M}–{shift.end_time:%H:%M}"
    )


def problem_text(error: BaseException) -> str:
    """A failure in words for the user."""
    if isinstance(error, RecordGone | RotaError | RuleBroken | PermissionError):
        return str(error)
    return f"It could not be saved: {error}"


def weak(method) -> Callable:
    """A callback for ``Ops`` that holds its widget weakly: the worker thread must never
    drop the last reference to a widget (Qt would destroy it off the GUI thread)."""
    ref = weakref.WeakMethod(method)

    def call(*args):
        bound = ref()
        if bound is not None:
            bound(*args)

    return call


def _label(text: str, name: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


class _WritingDialog(QDialog):
    """A modal dialog whose Save runs on the worker: Ctrl+S saves, Esc closes."""

    def __init__(self, db, ops, bus, parent=None):
        super().__init__(parent)
        self.db, self.ops, self.bus = db, ops, bus
        self.setModal(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.busy = False
        self.status = _label("", "Status", "note")
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName("Save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setAccessibleName("Cancel")
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        save_action = QAction("Save", self)
        save_action.setShortcut(QKeySequence.StandardKey.Save)
        save_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        save_action.triggered.connect(self.save)
        self.addAction(save_action)

    def save(self) -> None:
        if self.busy or not self.save_button.isEnabled():
            return
        self._write(self.version)

    def _write(self, version) -> None:
        job = self.job(version)
        self.status.setStyleSheet("")
        self.busy = True
        self.save_button.setEnabled(False)
        self.status.setText("Saving…")
        self.ops.run(job, weak(self._saved), weak(self._failed))

    def _saved(self, changes) -> None:
        self.busy = False
        self.bus.announce(changes)
        self.status.setText("Saved.")
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, ConflictError):
            self.conflict(error)
        else:  # said beside the buttons, where the user is looking; no blocking box
            self.status.setText(f"Not saved. {problem_text(error)}")
            self.status.setStyleSheet(ERROR_STYLE)
        self.update_buttons()

    def reject(self) -> None:
        if not self.busy:  # a write on its way still reports back here
            super().reject()

    # for subclasses
    version: int | None = None

    def job(self, version):
        raise NotImplementedError

    def conflict(self, error: ConflictError) -> None:
        raise NotImplementedError

    def update_buttons(self) -> None:
        raise NotImplementedError


# ----- attendance -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Attendance:
    volunteer: str
    session: str
    status: AssignmentStatus
    hours: Decimal | None
    length: float
    version: int


def _load_attendance(session, assignment_id: int) -> _Attendance:
    a = get_assignment(session, assignment_id)
    s = a.shift
    minutes = (s.end_time.hour * 60 + s.end_time.minute) - (
        s.start_time.hour * 60 + s.start_time.minute
    )
    return _Attendance(
        a.volunteer.display_name, session_text(s), a.status, a.hours, minutes / 60, a.version
    )


class AttendanceDialog(_WritingDialog):
    """Did they come? Attended (with the hours given), no-show, or back to booked."""

    def __init__(self, db, ops, bus, assignment_id: int, parent=None):
        super().__init__(db, ops, bus, parent)
        self.assignment_id = assignment_id
        self.info: _Attendance | None = None
        self.setWindowTitle("Record attendance")
        self.who = _label("", "Volunteer", "sectionHeading")
        self.where = _label("", "Session")
        self.current = _label("", "Current status")
        self.group = QButtonGroup(self)
        self.radios: dict[AssignmentStatus, QRadioButton] = {}
        box = QGroupBox("Attendance")
        box.setAccessibleName("Attendance")
        column = QVBoxLayout(box)
        for status in CHOICES:
            radio = QRadioButton(RADIO_TEXT[status])
            radio.setAccessibleName(STATUS_WORDS[status])
            self.group.addButton(radio)
            self.radios[status] = radio
            column.addWidget(radio)
            radio.toggled.connect(self.update_buttons)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 24)
        self.hours.setDecimals(2)
        self.hours.setSingleStep(0.25)
        self.hours.setSuffix(" hours")
        self.hours.setAccessibleName("Hours given")
        self.hours.setMaximumWidth(140)
        self.hours.valueChanged.connect(self.update_buttons)
        hours_row = QHBoxLayout()
        hours_label = QLabel("&Hours given:")
        hours_label.setBuddy(self.hours)
        hours_row.addSpacing(24)
        hours_row.addWidget(hours_label)
        hours_row.addWidget(self.hours)
        hours_row.addStretch(1)
        column.addLayout(hours_row)

        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.where)
        layout.addWidget(self.current)
        layout.addWidget(box)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.reload()
        self.resize(max(self.sizeHint().width(), 480), self.sizeHint().height())

    def reload(self) -> None:
        try:
            with self.db.uow() as session:
                self.info = _load_attendance(session, self.assignment_id)
        except RecordGone as gone:
            self.info = None
            self.who.setText("This assignment no longer exists")
            self.status.setText(str(gone))
            self.save_button.setEnabled(False)
            return
        info = self.info
        self.version = info.version
        self.who.setText(info.volunteer)
        self.where.setText(info.session)
        self.current.setText(f"Now recorded as: {STATUS_WORDS[info.status]}")
        radio = self.radios.get(info.status)
        self.group.setExclusive(False)
        for r in self.radios.values():
            r.setChecked(r is radio)
        self.group.setExclusive(True)
        hours = float(info.hours) if info.hours is not None else info.length
        self.hours.setValue(hours)
        self.update_buttons()

    def chosen(self) -> AssignmentStatus | None:
        return next((s for s, r in self.radios.items() if r.isChecked()), None)

    def update_buttons(self, *_args) -> None:
        if self.info is None:
            return
        chosen = self.chosen()
        attended = chosen is AssignmentStatus.ATTENDED
        self.hours.setEnabled(attended)
        was = float(self.info.hours) if self.info.hours is not None else None
        changed = chosen is not None and (
            chosen is not self.info.status or (attended and was != self.hours.value())
        )
        self.save_button.setEnabled(changed and not self.busy)

    def job(self, version):
        db, status, assignment_id = self.db, self.chosen(), self.assignment_id
        user = db.username
        extra: dict[str, Any] = {}
        if status is AssignmentStatus.ATTENDED:
            extra["hours"] = self.hours.value()

        def write():
            with db.uow() as session:
                return set_status(session, assignment_id, version, status, user, **extra)

        return write

    def conflict(self, error: ConflictError) -> None:
        chosen = self.chosen()
        self.reload()
        if chosen is not None and chosen in self.radios:
            self.radios[chosen].setChecked(True)
        message = (
            "Someone else changed this assignment after you opened it; nothing was "
            f"overwritten. It is now recorded as: {STATUS_WORDS[self.info.status]}. "
            "Save again to record your choice over theirs, or Cancel to keep theirs."
        )
        self.status.setText(message)
        QMessageBox.information(self, "Changed by someone else", message)


# ----- a desk session's outcome -----------------------------------------------------------
PATHWAYS = list(Pathway)


def _load_outcome(session, shift_id: int) -> tuple[str, str, dict[str, Any], int | None]:
    shift = get_shift(session, shift_id)
    outcome = shift.outcome
    values: dict[str, Any] = {"contacts_seen": 0, "notes": ""}
    values.update({p.value: 0 for p in PATHWAYS})
    if outcome is None:
        return session_text(shift), "Nothing recorded yet for this session.", values, None
    values["contacts_seen"] = outcome.contacts_seen
    values["notes"] = outcome.notes or ""
    for s in outcome.signposts:
        values[Pathway(s.pathway).value] = s.count
    who = f"Last recorded by {outcome.recorded_by}." if outcome.recorded_by else ""
    return session_text(shift), who, values, outcome.version


class DeskOutcomeDialog(_WritingDialog):
    """Contacts seen at a desk session and how many were signposted to each pathway."""

    def __init__(self, db, ops, bus, shift_id: int, parent=None):
        super().__init__(db, ops, bus, parent)
        self.shift_id = shift_id
        self.setWindowTitle("Desk session outcome")
        self.form = Form(self)
        form = self.form
        contacts = form.spin("contacts_seen", "Contacts seen", 0, 9999)
        contacts.setMaximumWidth(110)
        for p in PATHWAYS:
            form.spin(p.value, PATHWAY_LABELS[p], 0, 9999).setMaximumWidth(110)
        form.text("notes", "Notes").setMaximumHeight(80)
        self.where = _label("", "Session", "sectionHeading")
        self.where.setWordWrap(False)
        self.recorded = _label("", "Recorded by")
        self.total = _label("", "Signposted in all")
        undo = form.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence.StandardKey.Undo])
        redo = form.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
        form.edited.connect(self.update_buttons)
        form.dirty_changed.connect(self.update_buttons)

        top = form.layout_for(["contacts_seen"])
        box = QGroupBox("Signposted to")
        box.setAccessibleName("Signposted to")
        pathways = form.layout_for([p.value for p in PATHWAYS])
        inner = QVBoxLayout(box)
        inner.addLayout(pathways)
        inner.addWidget(self.total)
        notes = form.layout_for(["notes"])
        for sub in (top, pathways, notes):
            sub.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        notes.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.recorded)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addLayout(notes)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.reload()
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())

    def reload(self) -> bool:
        try:
            with self.db.uow() as session:
                where, who, values, version = _load_outcome(session, self.shift_id)
        except RecordGone as gone:
            self.where.setText("This session no longer exists")
            self.status.setText(str(gone))
            self.save_button.setEnabled(False)
            return False
        self.where.setText(where)
        self.recorded.setText(who)
        self.opened = values
        self.version = version
        self.form.set_values(values)
        self.update_buttons()
        return True

    def update_buttons(self, *_args) -> None:
        values = self.form.values()
        signposted = sum(values.get(p.value, 0) for p in PATHWAYS)
        self.total.setText(
            f"Signposted in all: {signposted} (one person may be signposted to more than "
            "one pathway)."
        )
        new = self.version is None
        ready = self.form.is_valid and (self.form.is_dirty or new)
        self.save_button.setEnabled(ready and not self.busy)
        if not self.busy and self.status.text() == "Saving…":
            self.status.setText("")

    def job(self, version):
        db, values, shift_id = self.db, self.form.values(), self.shift_id
        user = db.username
        counts = {p: values.get(p.value, 0) for p in PATHWAYS}
        # 0 for a new outcome: if someone else records one meanwhile, that is a conflict.
        expected = 0 if version is None else version

        def write():
            with db.uow() as session:
                return record_outcome(
                    session,
                    shift_id,
                    values.get("contacts_seen", 0),
                    counts,
                    user,
                    notes=values.get("notes", ""),
                    expected_version=expected,
                )

        return write

    def conflict(self, error: ConflictError) -> None:
        opened = self.opened
        with self.db.uow() as session:
            _where, who, theirs, version = _load_outcome(session, self.shift_id)
        labels = {k: f.label for k, f in self.form.fields.items()}
        differ = [
            f"{labels[k]}: {_shown(opened.get(k))} when you opened it, {_shown(theirs[k])} now"
            for k in theirs
            if theirs[k] != opened.get(k)
        ]
        message = (
            "Someone else saved this session's outcome after you opened it; nothing was "
            "overwritten. " + (who + " " if who else "")
        )
        if differ:
            message += "They changed: " + "; ".join(differ) + "."
        answer = QMessageBox(self)
        answer.setIcon(QMessageBox.Icon.Warning)
        answer.setWindowTitle("Changed by someone else")
        answer.setText(message)
        keep_mine = answer.addButton("Save &mine over theirs", QMessageBox.ButtonRole.AcceptRole)
        reload = answer.addButton("&Reload theirs", QMessageBox.ButtonRole.DestructiveRole)
        answer.addButton(QMessageBox.StandardButton.Cancel)
        answer.exec()
        if answer.clickedButton() is reload:
            self.reload()
            self.status.setText("Showing the figures the other person saved.")
        elif answer.clickedButton() is keep_mine:
            self.opened, self.version = theirs, version  # the form still holds mine
            self._write(version)
        else:
            self.status.setText(message)


def _shown(value: Any) -> str:
    return "(empty)" if value in ("", None) else str(value)


__all__ = ["AttendanceDialog", "DeskOutcomeDialog", "session_text"]
