"""The rota page as a manager uses it: assign from the suitability list, a refusal and an
override with its reason in the audit log, lock and unlock, a move by dropping a name,
the month view and today's column (on the small demo)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from sqlalchemy import select
from window_helpers import DEMO_TODAY, open_window, visit

from volunteerdesk.core.models import AuditAction, AuditEntry
from volunteerdesk.ui.dialogs.assign import AssignDialog
from volunteerdesk.ui.dialogs.override import OverrideDialog
from volunteerdesk.ui.pages.rota import RotaPage
from volunteerdesk.ui.rota_grid import ASSIGNMENT_MIME, LOCKED_MARK, Line, person_text


@pytest.fixture
def page(qtbot, small_demo):
    win = open_window(qtbot, small_demo, today=DEMO_TODAY)
    found = visit(qtbot, win, RotaPage)
    qtbot.waitUntil(lambda: found.period is not None)
    return found


def _reloaded(qtbot, page, before):
    qtbot.waitUntil(lambda: page.period is not before and not page.ops.pending)


def _cell_of(page, shift):
    return page.grid.cell_position(shift.post_id, shift.date)


def _open_assign(qtbot, page, shift) -> AssignDialog:
    row, column = _cell_of(page, shift)
    page.grid.setFocus()
    page.grid.setCurrentCell(row, column)
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    dialog = page.dialog
    assert isinstance(dialog, AssignDialog) and dialog.shift_id == shift.id
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    return dialog


def _post_name(page, shift):
    return page.period.post(shift.post_id).name


def test_assign_an_eligible_volunteer_from_the_dialog(qtbot, page):
    shift = next(s for s in page.period.shifts if s.needed and not s.cancelled)
    before_text = page.cell_text(_post_name(page, shift), shift.date)
    dialog = _open_assign(qtbot, page, shift)
    first = dialog.model.row_at(0)
    assert first.eligible and first.verdict == "Yes"  # the most suitable first
    verdicts = [dialog.model.row_at(r).eligible for r in range(dialog.model.rowCount())]
    assert verdicts == sorted(verdicts, reverse=True)  # eligible people before the others
    # Search narrows the list by name.
    qtbot.keyClicks(dialog.search, first.name.split()[0])
    assert all(
        first.name.split()[0].lower() in dialog.model.row_at(r).name.lower()
        for r in range(dialog.model.rowCount())
    )
    assert dialog.select_volunteer(first.volunteer_id)
    before = page.period
    qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
    _reloaded(qtbot, page, before)
    qtbot.waitUntil(lambda: first.name in page.cell_text(_post_name(page, shift), shift.date))
    after = page.period.shift(shift.id)
    assert after.needed == shift.needed - 1
    text = page.cell_text(_post_name(page, shift), shift.date)
    assert text != before_text and (after.gap_text in text)
    assert "VACANT" not in text or after.needed > 0


def test_an_ineligible_volunteer_is_refused_then_overridden_with_a_reason(qtbot, page, small_demo):
    shift = next(s for s in page.period.shifts if s.needed and not s.cancelled)
    dialog = _open_assign(qtbot, page, shift)
    rows = [dialog.model.row_at(r) for r in range(dialog.model.rowCount())]
    bad = next(c for c in rows if not c.eligible and not c.assigned)
    row = rows.index(bad)
    assert dialog.model.index(row, 2).data() == "No"
    assert dialog.model.index(row, 5).data() == bad.why_not != ""  # the reasons, in words
    dialog.select_volunteer(bad.volunteer_id)
    qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(page.dialog, OverrideDialog))
    override = page.dialog
    assert bad.name in override.findChildren(type(override.rules))[0].text()
    assert not override.ok_button.isEnabled()  # no reason yet
    override.reject()
    qtbot.waitUntil(lambda: page.message_box is not None)
    assert page.message_box.text().startswith(f"Not done: {bad.name} cannot take")
    assert bad.name not in page.cell_text(_post_name(page, shift), shift.date)

    dialog = _open_assign(qtbot, page, shift)
    dialog.select_volunteer(bad.volunteer_id)
    dialog.choose_selected()
    qtbot.waitUntil(lambda: isinstance(page.dialog, OverrideDialog) and page.dialog is not override)
    override = page.dialog
    qtbot.keyClicks(override.reason, "Security agreed an escort")
    assert override.ok_button.isEnabled()
    before = page.period
    qtbot.mouseClick(override.ok_button, Qt.MouseButton.LeftButton)
    _reloaded(qtbot, page, before)
    qtbot.waitUntil(lambda: bad.name in page.cell_text(_post_name(page, shift), shift.date))
    assert "⚠ rule broken" in page.cell_text(_post_name(page, shift), shift.date)
    assert "rule broken" in page.summary.text()
    with small_demo.uow() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.OVERRIDE)).one()
        changes = json.loads(entry.changes)
    assert changes["override_reason"] == [None, "Security agreed an escort"]
    assert entry.username == "tester"


def _person_on(page):
    for shift in page.period.shifts:
        if not shift.cancelled:
            for person in shift.people:
                if not person.locked and person.status in ("confirmed", "proposed"):
                    return shift, person
    raise AssertionError("no one to lock")


def _trigger(menu, prefix):
    action = next(a for a in menu.actions() if a.text().startswith(prefix))
    action.trigger()


def test_lock_and_unlock_from_the_context_menu(qtbot, page):
    shift, person = _person_on(page)
    row, column = _cell_of(page, shift)
    line = Line(person.name, shift.id, person.assignment_id)
    menu = page.build_menu(row, column, line)
    texts = [a.text() for a in menu.actions()]
    assert "Unassign" in texts and "Open volunteer record" in texts
    before = page.period
    _trigger(menu, "Lock")
    _reloaded(qtbot, page, before)
    post = _post_name(page, shift)
    qtbot.waitUntil(lambda: page.period.person(person.assignment_id)[1].locked)
    shown = person_text(page.period.person(person.assignment_id)[1])
    assert shown.startswith(person.name) and shown.endswith(LOCKED_MARK)
    assert shown in page.cell_text(post, shift.date)
    menu = page.build_menu(row, column, line)
    before = page.period
    _trigger(menu, "Unlock")
    _reloaded(qtbot, page, before)
    qtbot.waitUntil(lambda: not page.period.person(person.assignment_id)[1].locked)
    assert shown not in page.cell_text(post, shift.date)
    assert person_text(page.period.person(person.assignment_id)[1]) in page.cell_text(
        post, shift.date
    )


def test_open_volunteer_record_from_the_menu(qtbot, page):
    shift, person = _person_on(page)
    row, column = _cell_of(page, shift)
    menu = page.build_menu(row, column, Line(person.name, shift.id, person.assignment_id))
    with qtbot.waitSignal(page.open_record) as signal:
        _trigger(menu, "Open volunteer record")
    assert signal.args == ["volunteer", person.volunteer_id]


def test_a_name_dropped_on_another_session_moves_it(qtbot, page):
    shift, person = _person_on(page)
    target = next(
        s
        for s in page.period.shifts
        if s.id != shift.id and not s.cancelled and not s.full and s.date != shift.date
    )
    row, column = _cell_of(page, target)
    before = page.period
    assert page.grid.drop_on(person.assignment_id, row, column, None)
    qtbot.waitUntil(lambda: page.period is not before or isinstance(page.dialog, OverrideDialog))
    if isinstance(page.dialog, OverrideDialog):  # the move breaks a rule: say why
        qtbot.keyClicks(page.dialog.reason, "Swapped days by phone")
        page.dialog.ok_button.click()
    qtbot.waitUntil(lambda: page.period.person(person.assignment_id)[0].id == target.id)
    assert person.name in page.cell_text(_post_name(page, target), target.date)


def test_month_view_shows_the_month_and_today(qtbot, page):
    today_column = (DEMO_TODAY - page.period.start).days + 1
    assert "Today" in page.grid.horizontalHeaderItem(today_column).text()
    assert "Today" not in page.grid.horizontalHeaderItem(today_column + 1).text()
    page.view_box.setCurrentIndex(page.view_box.findData("month"))
    qtbot.waitUntil(lambda: page.period.end - page.period.start == timedelta(days=29))
    assert page.period.start == DEMO_TODAY.replace(day=1)
    assert page.grid.columnCount() == 31  # the post and 30 days
    assert page.next_button.text() == "Next month ▶"
    assert "November 2026" in page.week_label.text()
    assert "this month" in page.summary.text()
    header = page.grid.horizontalHeaderItem(DEMO_TODAY.day).text()
    assert header.endswith("Today") and f"{DEMO_TODAY.day}" in header
    shift = next(s for s in page.period.shifts if s.people)
    assert shift.people[0].name in page.cell_text(_post_name(page, shift), shift.date)
    page.next_button.click()
    qtbot.waitUntil(lambda: page.period.start.month == 12)
    assert page.grid.columnCount() == 32
    assert not any(
        "Today" in page.grid.horizontalHeaderItem(c).text()
        for c in range(1, page.grid.columnCount())
    )


def _answer_override(qtbot, page, before):
    qtbot.waitUntil(lambda: page.period is not before or isinstance(page.dialog, OverrideDialog))
    if isinstance(page.dialog, OverrideDialog) and page.dialog.isVisible():
        qtbot.keyClicks(page.dialog.reason, "Agreed with both")
        page.dialog.ok_button.click()


def test_a_real_drop_event_moves_the_name(qtbot, page):
    shift, person = _person_on(page)
    target = next(
        s
        for s in page.period.shifts
        if s.id != shift.id and not s.cancelled and not s.full and s.date != shift.date
    )
    row, column = _cell_of(page, target)
    page.grid.scrollToItem(page.grid.item(row, column))
    rect = page.grid.visualRect(page.grid.model().index(row, column))
    mime = QMimeData()
    mime.setData(ASSIGNMENT_MIME, QByteArray(str(person.assignment_id).encode()))
    where = QPointF(rect.center().x(), rect.bottom() - 2)  # below the names: the cell
    event = QDropEvent(
        where, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    before = page.period
    page.grid.dropEvent(event)
    assert event.isAccepted()
    _answer_override(qtbot, page, before)
    qtbot.waitUntil(lambda: page.period.person(person.assignment_id)[0].id == target.id)


def test_a_name_dropped_on_another_name_swaps_them(qtbot, page):
    pairs = [
        (s, p)
        for s in page.period.shifts
        if not s.cancelled
        for p in s.people
        if p.status in ("confirmed", "proposed")
    ]
    (s1, p1), (s2, p2) = next(
        (a, b)
        for a in pairs
        for b in pairs
        if a[0].id != b[0].id and a[1].volunteer_id != b[1].volunteer_id
    )
    row, column = _cell_of(page, s2)
    before = page.period
    assert page.grid.drop_on(p1.assignment_id, row, column, Line(p2.name, s2.id, p2.assignment_id))
    _answer_override(qtbot, page, before)
    qtbot.waitUntil(
        lambda: (
            page.period.person(p1.assignment_id)[0].id == s2.id
            and page.period.person(p2.assignment_id)[0].id == s1.id
        )
    )
