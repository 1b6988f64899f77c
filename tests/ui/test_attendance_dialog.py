"""Recording attendance and a desk session's outcome, as a user would, on the small demo."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid
from sqlalchemy import func, select

from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    AuditEntry,
    DeskOutcome,
    Pathway,
    Post,
    PostKind,
    Shift,
    ShiftStatus,
)
from volunteerdesk.core.services.rota_edit import record_outcome, set_status
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs.attendance import AttendanceDialog, DeskOutcomeDialog
from volunteerdesk.ui.ops import Ops
from volunteerdesk.ui.style import STYLE_SHEET

TODAY = date(2026, 11, 23)  # the day the small demo is built as of


@pytest.fixture
def bus():
    bus = ChangeBus()
    bus.heard = []
    bus.changed.connect(bus.heard.append)
    return bus


@pytest.fixture
def ops():
    ops = Ops()
    yield ops
    ops.shutdown()


def shot(widget, name: str) -> None:
    """Screenshots for a human to look at, when R2_SHOTS names a folder."""
    folder = os.environ.get("R2_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        widget.grab().save(os.path.join(folder, f"{name}.png"))


def _open(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.setStyleSheet(STYLE_SHEET)  # as it is under the main window
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # Ctrl+S is a window shortcut
    return dialog


def _answer_next_message(pick):
    """Answer the next QMessageBox that opens, with the button ``pick`` chooses."""

    def answer():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                pick(widget).click()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def _button(text: str):
    def pick(box: QMessageBox):
        return next(b for b in box.buttons() if b.text().replace("&", "") == text)

    return pick


def _choose(qtbot, radio) -> None:
    """Click a radio button on its circle, as a user does."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))


def _a_booked_assignment(db) -> int:
    """The latest past session's place, put back to booked (attendance not recorded)."""
    with db.uow() as s:
        a = s.scalars(
            select(Assignment)
            .join(Shift)
            .where(
                Assignment.status == AssignmentStatus.ATTENDED,
                Shift.date < TODAY,
                Shift.status == ShiftStatus.SCHEDULED,
            )
            .order_by(Shift.date.desc(), Assignment.id)
            .limit(1)
        ).one()
        set_status(s, a.id, a.version, AssignmentStatus.CONFIRMED, "tester", hours=None)
        return a.id


def _a_desk_session_without_outcome(db) -> int:
    with db.uow() as s:
        recorded = select(DeskOutcome.shift_id)
        return s.scalar(
            select(Shift.id)
            .join(Post)
            .where(Post.kind == PostKind.DESK, Shift.date < TODAY, Shift.id.not_in(recorded))
            .order_by(Shift.date.desc(), Shift.id)
            .limit(1)
        )


def test_record_attendance_and_see_it_when_reopened(qtbot, small_demo, ops, bus):
    aid = _a_booked_assignment(small_demo)
    dialog = _open(qtbot, AttendanceDialog(small_demo, ops, bus, aid))
    assert "Booked (confirmed)" in dialog.current.text()
    assert "/" in dialog.where.text()  # the date, dd/mm/yyyy
    assert not dialog.save_button.isEnabled()  # nothing chosen yet
    assert not dialog.hours.isEnabled()
    shot(dialog, "attendance")
    _choose(qtbot, dialog.radios[AssignmentStatus.ATTENDED])
    assert dialog.hours.isEnabled() and dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with small_demo.uow() as s:
        a = s.get(Assignment, aid)
        assert a.status == AssignmentStatus.ATTENDED
        assert a.hours is not None and a.hours > 0
        logged = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == "assignments", AuditEntry.entity_id == aid)
        )
        assert logged >= 1
    assert bus.heard and bus.heard[-1].touches("assignments")

    again = _open(qtbot, AttendanceDialog(small_demo, ops, bus, aid))
    assert again.current.text() == "Now recorded as: Attended"
    assert again.radios[AssignmentStatus.ATTENDED].isChecked()
    _choose(qtbot, again.radios[AssignmentStatus.NO_SHOW])
    assert not again.hours.isEnabled()
    with qtbot.waitSignal(again.accepted):
        qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    with small_demo.uow() as s:
        a = s.get(Assignment, aid)
        assert (a.status, a.hours) == (AssignmentStatus.NO_SHOW, None)


def test_attendance_hours_can_be_changed(qtbot, small_demo, ops, bus):
    aid = _a_booked_assignment(small_demo)
    dialog = _open(qtbot, AttendanceDialog(small_demo, ops, bus, aid))
    _choose(qtbot, dialog.radios[AssignmentStatus.ATTENDED])
    dialog.hours.setValue(1.5)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with small_demo.uow() as s:
        assert s.get(Assignment, aid).hours == Decimal("1.50")


def test_attendance_saved_by_someone_else_first_is_said_in_words(qtbot, small_demo, ops, bus):
    aid = _a_booked_assignment(small_demo)
    dialog = _open(qtbot, AttendanceDialog(small_demo, ops, bus, aid))
    with small_demo.uow() as s:  # another manager records it meanwhile
        version = s.get(Assignment, aid).version
        set_status(s, aid, version, AssignmentStatus.ATTENDED, "tester")
    _choose(qtbot, dialog.radios[AssignmentStatus.NO_SHOW])
    seen = {}

    def ok(box):
        seen["text"] = box.text()
        return box.buttons()[0]

    _answer_next_message(ok)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "text" in seen)
    assert "Someone else changed this assignment" in seen["text"]
    assert "Attended" in seen["text"]
    assert dialog.isVisible() and dialog.current.text() == "Now recorded as: Attended"
    assert dialog.radios[AssignmentStatus.NO_SHOW].isChecked()  # my choice is kept
    with qtbot.waitSignal(dialog.accepted):  # saving again records mine over theirs
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with small_demo.uow() as s:
        assert s.get(Assignment, aid).status == AssignmentStatus.NO_SHOW


def test_record_a_desk_outcome_and_reopen_it(qtbot, small_demo, ops, bus):
    sid = _a_desk_session_without_outcome(small_demo)
    dialog = _open(qtbot, DeskOutcomeDialog(small_demo, ops, bus, sid))
    assert "Nothing recorded yet" in dialog.recorded.text()
    fields = dialog.form.fields
    for key, field in fields.items():
        assert field.widget.accessibleName(), key
    assert fields[Pathway.ACCOMMODATION.value].widget.accessibleName() == "Accommodation"
    contacts = fields["contacts_seen"].widget
    contacts.selectAll()
    qtbot.keyClicks(contacts, "12")
    finance = fields[Pathway.FINANCE_DEBT.value].widget
    finance.selectAll()
    qtbot.keyClicks(finance, "3")
    housing = fields[Pathway.ACCOMMODATION.value].widget
    housing.selectAll()
    qtbot.keyClicks(housing, "2")
    qtbot.keyClicks(fields["notes"].widget, "Busy remand list")
    assert "Signposted in all: 5" in dialog.total.text()
    shot(dialog, "desk_outcome")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with small_demo.uow() as s:
        outcome = s.scalar(select(DeskOutcome).where(DeskOutcome.shift_id == sid))
        assert outcome.contacts_seen == 12 and outcome.notes == "Busy remand list"
        assert {p.pathway: p.count for p in outcome.signposts} == {
            Pathway.FINANCE_DEBT: 3,
            Pathway.ACCOMMODATION: 2,
        }
        assert outcome.recorded_by == "tester"
    assert bus.heard and bus.heard[-1].touches("shifts")

    again = _open(qtbot, DeskOutcomeDialog(small_demo, ops, bus, sid))
    values = again.form.values()
    assert values["contacts_seen"] == 12 and values["notes"] == "Busy remand list"
    assert values[Pathway.FINANCE_DEBT.value] == 3 and values[Pathway.HEALTH.value] == 0
    assert "tester" in again.recorded.text()
    assert not again.save_button.isEnabled()  # nothing changed yet
    health = again.form.fields[Pathway.HEALTH.value].widget
    health.selectAll()
    qtbot.keyClicks(health, "1")
    assert again.save_button.isEnabled()
    qtbot.keyClick(again, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
    assert again.form.values()[Pathway.HEALTH.value] == 0
    assert not again.save_button.isEnabled()


def test_desk_outcome_saved_by_someone_else_first(qtbot, small_demo, ops, bus):
    sid = _a_desk_session_without_outcome(small_demo)
    dialog = _open(qtbot, DeskOutcomeDialog(small_demo, ops, bus, sid))
    with small_demo.uow() as s:  # another coordinator records it meanwhile
        record_outcome(s, sid, 7, {Pathway.HEALTH: 2}, "tester")
    contacts = dialog.form.fields["contacts_seen"].widget
    contacts.selectAll()
    qtbot.keyClicks(contacts, "9")
    seen = {}

    def reload(box):
        seen["text"] = box.text()
        return _button("Reload theirs")(box)

    _answer_next_message(reload)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "text" in seen)
    assert "Someone else saved this session's outcome" in seen["text"]
    assert "Contacts seen: 0 when you opened it, 7 now" in seen["text"]
    qtbot.waitUntil(lambda: dialog.form.values()["contacts_seen"] == 7)
    assert dialog.form.values()[Pathway.HEALTH.value] == 2
    with small_demo.uow() as s:
        assert s.scalar(select(DeskOutcome.contacts_seen).where(DeskOutcome.shift_id == sid)) == 7

    contacts.selectAll()
    qtbot.keyClicks(contacts, "8")
    with small_demo.uow() as s:  # and again: this time keep mine
        record_outcome(s, sid, 10, {Pathway.HEALTH: 2}, "tester")
    _answer_next_message(_button("Save mine over theirs"))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with small_demo.uow() as s:
        assert s.scalar(select(DeskOutcome.contacts_seen).where(DeskOutcome.shift_id == sid)) == 8


def test_a_deleted_assignment_is_said_in_words(qtbot, small_demo, ops, bus):
    aid = _a_booked_assignment(small_demo)
    with small_demo.uow() as s:
        s.delete(s.get(Assignment, aid))
    dialog = _open(qtbot, AttendanceDialog(small_demo, ops, bus, aid))
    assert "removed by someone else" in dialog.status.text()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not isValid(dialog) or not dialog.isVisible()


def test_saving_after_the_assignment_was_removed_says_so(qtbot, small_demo, ops, bus):
    aid = _a_booked_assignment(small_demo)
    dialog = _open(qtbot, AttendanceDialog(small_demo, ops, bus, aid))
    with small_demo.uow() as s:  # removed by someone else while the dialog is open
        s.delete(s.get(Assignment, aid))
    _choose(qtbot, dialog.radios[AssignmentStatus.ATTENDED])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Not saved."))
    assert "removed by someone else" in dialog.status.text()
    assert dialog.isVisible() and not bus.heard
