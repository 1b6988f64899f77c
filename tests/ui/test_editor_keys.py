"""The volunteer editor's keys: Esc leaves (asking first when there are unsaved changes),
Ctrl+Z undoes, and both Ctrl+Y and Ctrl+Shift+Z redo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid
from window_helpers import DEMO_TODAY

from volunteerdesk.core.models import Volunteer
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.editors.volunteer_editor import VolunteerEditor

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def opened():
    """Editors the test opened; closed afterwards unless Esc already closed (deleted) them."""
    editors: list[VolunteerEditor] = []
    yield editors
    for editor in editors:
        if isValid(editor):
            editor.form.undo_stack.setClean()  # a failed test leaves no "save changes?" prompt
            editor.close()


def _editor(qtbot, db, opened) -> VolunteerEditor:
    editor = VolunteerEditor(db, ChangeBus(), 1, today=DEMO_TODAY)
    opened.append(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)  # window shortcuts need the window active
    return editor


def _answer_prompt(button: QMessageBox.StandardButton, seen: dict) -> None:
    def answer():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen["text"] = widget.text()
                widget.button(button).click()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def test_escape_closes_an_unchanged_record_at_once(qtbot, small_demo, opened):
    editor = _editor(qtbot, small_demo, opened)
    qtbot.keyClick(editor.form.fields["title"].widget, Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_escape_with_unsaved_changes_asks_first(qtbot, small_demo, opened):
    editor = _editor(qtbot, small_demo, opened)
    with small_demo.uow() as s:
        before = s.get(Volunteer, 1).languages
    box = editor.form.fields["languages"].widget
    box.setFocus()
    qtbot.keyClicks(box, ", Welsh")
    seen: dict = {}
    _answer_prompt(QMessageBox.StandardButton.Cancel, seen)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert seen["text"] == "Save your changes to this volunteer before closing?"
    assert editor.isVisible() and box.text() == before + ", Welsh"  # Cancel keeps them
    _answer_prompt(QMessageBox.StandardButton.Discard, seen)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    with small_demo.uow() as s:
        assert s.get(Volunteer, 1).languages == before  # discarded, nothing saved


def test_ctrl_z_undoes_and_ctrl_y_and_ctrl_shift_z_redo(qtbot, small_demo, opened):
    editor = _editor(qtbot, small_demo, opened)
    box = editor.form.fields["languages"].widget
    before = box.text()
    box.setFocus()
    qtbot.keyClicks(box, ", Welsh")
    assert editor.windowTitle().endswith(" *")
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    assert box.text() == before and not editor.windowTitle().endswith(" *")
    assert not editor.save_button.isEnabled()
    qtbot.keyClick(box, Qt.Key.Key_Y, CTRL)
    assert box.text() == before + ", Welsh" and editor.save_button.isEnabled()
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    assert box.text() == before
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL_SHIFT)
    assert box.text() == before + ", Welsh" and editor.windowTitle().endswith(" *")
