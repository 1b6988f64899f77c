"""The rota's small dialogs: the override reason, sessions added, moved, cancelled and
restored from the page, and failures said in words."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from window_helpers import DEMO_TODAY, open_window, visit

from volunteerdesk.core.scheduling.eligibility import Reason, Rule
from volunteerdesk.core.services.editing import ConflictError, RecordGone
from volunteerdesk.core.services.rota_edit import RotaError, RuleBroken
from volunteerdesk.ui.dialogs.override import OverrideDialog, error_text, refusal_text
from volunteerdesk.ui.dialogs.shift import CancelShiftDialog, ShiftDialog, parse_time
from volunteerdesk.ui.pages.rota import RotaPage


@pytest.fixture
def page(qtbot, small_demo):
    win = open_window(qtbot, small_demo, today=DEMO_TODAY)
    found = visit(qtbot, win, RotaPage)
    qtbot.waitUntil(lambda: found.period is not None)
    return found


def test_override_needs_a_reason(qtbot):
    dialog = OverrideDialog("Siân Evans", "Chapel choir on 24/11/2026", ["Away: holiday"])
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Away: holiday" in dialog.rules.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not dialog.ok_button.isEnabled()  # blanks are not a reason
    qtbot.keyClicks(dialog.reason, "Back early")
    assert dialog.ok_button.isEnabled() and dialog.reason_text() == "Back early"
    assert dialog.reason.accessibleName() == "Override reason"


def test_failures_are_said_in_words():
    broken = RuleBroken("Siân Evans", "Choir on 24/11/2026", [Reason(Rule.BOOKED, "Booked")])
    assert refusal_text(broken) == "Not done: Siân Evans cannot take Choir on 24/11/2026: Booked."
    conflict = ConflictError("assignment", 1, 3, [], {})
    assert "Someone else changed" in error_text(conflict)
    assert error_text(RecordGone("This session has been deleted.")) == (
        "This session has been deleted."
    )
    assert error_text(RotaError("Full.")) == "Full."
    assert "Traceback" not in error_text(ValueError("odd"))


def test_shift_dialog_checks_times(qtbot):
    dialog = ShiftDialog(
        "Add", date(2026, 11, 24), time(9), time(12), posts=[(1, "Choir"), (2, "Mass")],
        post_id=2, action="Add session",
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ok_button.isEnabled()
    end = dialog.form.fields["end"].widget
    end.selectAll()
    qtbot.keyClicks(end, "08:00")
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem.text() == "A session must end after it starts."
    end.selectAll()
    qtbot.keyClicks(end, "13:30")
    assert dialog.ok_button.isEnabled()
    v = dialog.values()
    assert (v["post_id"], v["day"], v["start"], v["end"]) == (
        2, date(2026, 11, 24), time(9), time(13, 30),
    )  # fmt: skip
    assert parse_time("0930") == time(9, 30)


def test_add_cancel_restore_and_move_a_session_from_the_page(qtbot, page):
    post = page.period.posts[0]
    day = DEMO_TODAY + timedelta(days=2)  # a Wednesday: no session of the first post
    assert page.cell_text(post.name, day) == ""
    page.grid.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, ShiftDialog)
    day_box = dialog.form.fields["day"].widget
    day_box.selectAll()
    qtbot.keyClicks(day_box, day.strftime("%d/%m/%Y"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "VACANT" in page.cell_text(post.name, day))
    (shift,) = page.period.cell(post.id, day)

    row, column = page.grid.cell_position(post.id, day)
    menu = page.build_menu(row, column)
    next(a for a in menu.actions() if a.text() == "Cancel session…").trigger()
    cancel = page.dialog
    assert isinstance(cancel, CancelShiftDialog)
    qtbot.keyClicks(cancel.reason, "Chapel repairs")
    cancel.ok_button.click()
    qtbot.waitUntil(lambda: page.cell_text(post.name, day) == "Cancelled: Chapel repairs")

    menu = page.build_menu(row, column)
    next(a for a in menu.actions() if a.text() == "Restore session").trigger()
    qtbot.waitUntil(lambda: "VACANT" in page.cell_text(post.name, day))

    menu = page.build_menu(row, column)
    next(a for a in menu.actions() if a.text() == "Move session…").trigger()
    move = page.dialog
    assert isinstance(move, ShiftDialog) and "post" not in move.form.fields
    new_day = day + timedelta(days=1)
    box = move.form.fields["day"].widget
    box.selectAll()
    qtbot.keyClicks(box, new_day.strftime("%d/%m/%Y"))
    move.ok_button.click()
    qtbot.waitUntil(lambda: "VACANT" in page.cell_text(post.name, new_day))
    assert page.cell_text(post.name, day) == ""


def test_shift_f10_opens_the_cell_menu(qtbot, page):
    shift = next(s for s in page.period.shifts if s.people and not s.cancelled)
    row, column = page.grid.cell_position(shift.post_id, shift.date)
    page.grid.setFocus()
    page.grid.setCurrentCell(row, column)
    qtbot.keyClick(page.grid, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(page.menu, QMenu) and page.menu.isVisible())
    texts = [a.text() for a in page.menu.actions()]
    assert any(t.startswith("Assign volunteer") for t in texts)
    assert "Move session…" in texts
    page.menu.close()


def test_auto_fill_and_print_open_their_dialogs(qtbot, page):
    from volunteerdesk.ui.dialogs.autofill import AutofillDialog
    from volunteerdesk.ui.documents import PreviewDialog

    qtbot.mouseClick(page.autofill_button, Qt.MouseButton.LeftButton)
    assert isinstance(page.dialog, AutofillDialog)
    qtbot.waitUntil(lambda: not page.ops.pending)
    page.dialog.reject()
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    previews = [w for w in page.findChildren(PreviewDialog)]
    assert previews
    qtbot.waitUntil(lambda: not page.ops.pending)
    previews[0].reject()
