"""The volunteers list and the volunteer record editor, driven like a user on the small demo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QWidget,
)
from sqlalchemy import select
from window_helpers import DEMO_TODAY, open_window, visit

from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    Faith,
    Role,
    Site,
    Unavailability,
    Volunteer,
    VolunteerStatus,
    WeeklyAvailability,
)
from volunteerdesk.core.services import volunteer_edit
from volunteerdesk.core.services.volunteers import list_volunteers
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs.conflict import ConflictDialog
from volunteerdesk.ui.editors.volunteer_editor import VolunteerEditor
from volunteerdesk.ui.pages.volunteers import VolunteersPage


@pytest.fixture
def window(qtbot, small_demo):
    win = open_window(qtbot, small_demo, DEMO_TODAY)
    yield win
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, VolunteerEditor):
            widget.form.undo_stack.setClean()
            widget.close()
    win.close()


@pytest.fixture
def page(qtbot, window) -> VolunteersPage:
    return visit(qtbot, window, VolunteersPage)


def _answer(find_type, act):
    """Answer the next modal dialog of ``find_type`` (it blocks, so reply from a timer)."""

    def answer():
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, find_type):
                act(widget)
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def _field(editor: VolunteerEditor, key: str) -> QWidget:
    return editor.form.fields[key].widget


def _type(qtbot, editor: VolunteerEditor, key: str, text: str) -> None:
    box = _field(editor, key)
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Delete)
    qtbot.keyClicks(box, text)


def _choose(box: QComboBox, text: str) -> None:
    """Pick an entry as a user does (``activated`` fires, unlike setCurrentIndex)."""
    index = box.findText(text)
    assert index >= 0, text
    box.setCurrentIndex(index)
    box.activated.emit(index)


def _check_item(box: QListWidget, text: str) -> None:
    item = box.findItems(text, Qt.MatchFlag.MatchExactly)[0]
    item.setCheckState(
        Qt.CheckState.Unchecked
        if item.checkState() == Qt.CheckState.Checked
        else Qt.CheckState.Checked
    )


def _activate(qtbot, editor: VolunteerEditor) -> VolunteerEditor:
    """Make the editor the active window, as it is on a desktop, so its shortcuts work."""
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def _open_editor(qtbot, page: VolunteersPage, row: int = 0) -> VolunteerEditor:
    page.table.setFocus()
    page.table.selectRow(row)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    return _activate(qtbot, page.editors[page.model.row_at(row).id])


def _shown_ids(page) -> set[int]:
    return {r.id for r in page.model.shown_rows()}


def _demo_rows(db):
    with db.uow() as s:
        return list_volunteers(s, compliance_as_of=DEMO_TODAY)


# ----- the list ------------------------------------------------------------------------------
def test_left_people_are_hidden_until_asked_for(qtbot, page, small_demo):
    rows = _demo_rows(small_demo)
    current = [r for r in rows if r.status != "left"]
    assert len(current) < len(rows), "the demo has people who left"
    assert page.model.rowCount() == len(current)
    assert page.count_label.text() == f"{len(current)} of {len(rows)} shown"
    page.show_left.click()
    assert page.model.rowCount() == len(rows)
    left = next(r for r in page.model.shown_rows() if r.status == "left")
    row = page.model.shown_rows().index(left)
    assert page.model.index(row, 1).data().startswith("Left ")  # with the date, in words


def test_search_by_name_badge_phone_and_email(qtbot, page):
    total = page.model.rowCount()
    target = next(r for r in page.model.shown_rows() if r.email and r.badge_name)
    page.search.setFocus()
    qtbot.keyClicks(page.search, target.email[:6])
    assert target.id in _shown_ids(page)
    assert 0 < page.model.rowCount() < total
    assert page.count_label.text().startswith(f"{page.model.rowCount()} of ")
    page.search.clear()
    qtbot.keyClicks(page.search, target.badge_name.lower())
    assert target.id in _shown_ids(page)
    page.search.clear()
    qtbot.keyClicks(page.search, "".join(c for c in target.phone if c.isdigit()))
    assert _shown_ids(page) == {target.id}
    page.search.clear()
    assert page.model.rowCount() == total


def test_ctrl_f_focuses_the_search_box(qtbot, page):
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()


def test_filters_by_status_site_community_role_and_compliance(qtbot, page, small_demo):
    rows = {r.id: r for r in _demo_rows(small_demo)}
    _choose(page.status_box, "Paused")
    shown = page.model.shown_rows()
    assert shown and all(r.status == "paused" for r in shown)
    assert len(shown) == sum(r.status == "paused" for r in rows.values())
    _choose(page.status_box, "Any status")

    _choose(page.site_box, "Westmoor Crown Court")
    with small_demo.uow() as s:
        court = s.scalar(select(Site.id).where(Site.name == "Westmoor Crown Court"))
    assert _shown_ids(page) == {
        i for i, r in rows.items() if court in r.site_ids and r.status != "left"
    }
    assert "Westmoor Crown Court" in page.model.index(0, 4).data()

    community = next(r.community for r in page.model.shown_rows() if r.community)
    _choose(page.community_box, community)
    assert page.model.rowCount() > 0
    assert all(r.community == community for r in page.model.shown_rows())
    _choose(page.site_box, "Any site")
    _choose(page.community_box, "Any community")

    _choose(page.role_box, "Official Prison Visitor")
    with small_demo.uow() as s:
        opv = s.scalar(select(Role.id).where(Role.name == "Official Prison Visitor"))
    assert page.model.rowCount() > 0
    assert all(opv in r.role_ids for r in page.model.shown_rows())
    _choose(page.role_box, "Any role")

    _choose(page.compliance_box, "Something expired")
    expired = page.model.shown_rows()
    assert expired and all(r.expired > 0 for r in expired)
    assert all("expired" in page.model.index(i, 2).data() for i in range(len(expired)))
    _choose(page.compliance_box, "Expiring within 30 days")
    assert all(r.expiring > 0 for r in page.model.shown_rows())
    _choose(page.compliance_box, "Clearance pending")
    assert page.model.rowCount() > 0
    assert all(r.pending > 0 for r in page.model.shown_rows())
    _choose(page.compliance_box, "All in date")
    assert all(not r.expired and not r.pending and r.items for r in page.model.shown_rows())
    assert page.count_label.text().startswith(f"{page.model.rowCount()} of ")


def test_columns_sort_and_the_keyboard_moves_through_rows(qtbot, page):
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    statuses = [page.model.row_at(r).status for r in range(page.model.rowCount())]
    assert statuses == sorted(statuses)
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.selected_row() == page.model.row_at(1)


# ----- creating and editing -------------------------------------------------------------------
def test_create_a_volunteer(qtbot, page, small_demo):
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = next(w for w in QApplication.topLevelWidgets() if isinstance(w, VolunteerEditor))
    _activate(qtbot, editor)
    assert editor.windowTitle().startswith("New volunteer")
    assert not editor.save_button.isEnabled()
    _type(qtbot, editor, "first_name", "Ffion")
    _type(qtbot, editor, "last_name", "Zedwards")
    _type(qtbot, editor, "email", "ffion@example.org")
    _type(qtbot, editor, "phone", "07700900999")
    _check_item(_field(editor, "role_ids"), "Chapel administration")
    _check_item(_field(editor, "site_ids"), "HMP Westmoor")
    assert editor.save_button.isEnabled()
    with qtbot.waitSignal(page.data_shown):
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.windowTitle().startswith("Ffion Zedwards")
    assert editor.status.text() == "Saved."
    created = next(r for r in page.model.shown_rows() if r.last_name == "Zedwards")
    assert (created.phone, created.sites) == ("07700 900999", "HMP Westmoor")
    assert page.selected_row() == created  # the new record is selected in the list
    with small_demo.uow() as s:
        v = s.get(Volunteer, created.id)
        assert [r.name for r in v.roles] == ["Chapel administration"]
        assert v.status is VolunteerStatus.ENQUIRY and v.status_since == DEMO_TODAY


def test_edit_a_volunteer_and_the_list_follows(qtbot, page, small_demo):
    editor = _open_editor(qtbot, page, 2)
    vid = editor.record_id
    assert not editor.save_button.isEnabled()
    _type(qtbot, editor, "phone", "01632 960555")
    _type(qtbot, editor, "languages", "English, Welsh")
    assert editor.save_button.isEnabled() and editor.windowTitle().endswith("*")
    with qtbot.waitSignal(page.data_shown):
        editor.save_button.click()
    assert not editor.form.is_dirty and not editor.save_button.isEnabled()
    assert next(r for r in page.model.shown_rows() if r.id == vid).phone == "01632 960555"
    with small_demo.uow() as s:
        assert s.get(Volunteer, vid).languages == "English, Welsh"
    # Opening the same person again raises the window already open.
    page.select_volunteer(vid)
    assert page.open_selected() is editor


def test_validation_messages_beside_the_fields(qtbot, page):
    editor = _open_editor(qtbot, page)
    errors = editor.form.fields
    _type(qtbot, editor, "email", "someone@example")
    assert errors["email"].error.isVisible()
    assert "not an email address" in errors["email"].error.text()
    _type(qtbot, editor, "phone", "12345")
    assert "not a UK phone number" in errors["phone"].error.text()
    _type(qtbot, editor, "started_on", "31/02/2026")
    assert errors["started_on"].error.text() == "31/02/2026 is not a date"
    assert not editor.save_button.isEnabled()
    assert "3 fields to correct" in editor.status.text()
    _type(qtbot, editor, "email", "someone@example.org")
    _type(qtbot, editor, "phone", "07700 900001")
    _type(qtbot, editor, "started_on", "01/03/2026")
    _type(qtbot, editor, "left_on", "01/02/2026")
    assert "cannot be before the start date" in errors["left_on"].error.text()
    _field(editor, "left_on").clear()
    _choose(_field(editor, "status"), "Left")
    assert errors["left_on"].error.text() == "Give the date they left (the status is Left)"
    assert _field(editor, "status_since").text() == "23/11/2026"  # follows the change
    _type(qtbot, editor, "left_on", "20/11/2026")
    assert editor.form.is_valid and editor.save_button.isEnabled()
    _type(qtbot, editor, "first_name", "")
    assert errors["first_name"].error.text() == "First name is required"
    assert not editor.save_button.isEnabled()
    assert editor.tabs.tabText(0).endswith("⚠ 1")  # the tab says where, in words
    editor.form.undo_stack.setClean()  # closing the main window would ask about changes


def test_undo_restores_fields_lists_and_consent(qtbot, page, small_demo):
    editor = _open_editor(qtbot, page)
    original = _field(editor, "first_name").text()
    _type(qtbot, editor, "first_name", "Changed")
    qtbot.keyClick(_field(editor, "first_name"), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _field(editor, "first_name").text() == original
    roles = _field(editor, "role_ids")
    before = editor.form.values()["role_ids"]
    _check_item(roles, "Sycamore Tree facilitator")
    assert editor.form.is_dirty and editor.form.values()["role_ids"] != before
    editor.undo_action.trigger()
    assert editor.form.values()["role_ids"] == before
    assert not editor.form.is_dirty
    editor.redo_action.trigger()
    assert editor.form.values()["role_ids"] != before
    editor.undo_action.trigger()

    # Consent: the faith can be chosen only with it; withdrawing it clears the faith,
    # and one undo brings both back.
    consent = _field(editor, "faith_consent")
    faith = _field(editor, "faith_id")
    if not consent.isChecked():
        consent.click()
    assert faith.isEnabled()
    _choose(faith, "Quaker")
    consent.click()
    assert not consent.isChecked() and not faith.isEnabled()
    assert faith.currentText() == "(not recorded)" and editor.form.values()["faith_id"] is None
    editor.undo_action.trigger()
    assert consent.isChecked() and faith.isEnabled() and faith.currentText() == "Quaker"
    consent.click()
    editor.save_record()
    with small_demo.uow() as s:
        v = s.get(Volunteer, editor.record_id)
        assert (v.faith_consent, v.faith_id) == (False, None)


def test_availability_and_unavailability(qtbot, page, small_demo):
    editor = _open_editor(qtbot, page)
    vid = editor.record_id
    cells = editor.grid.cells
    for box in cells.values():  # clear the grid
        if box.currentIndex():
            box.setCurrentIndex(0)
            box.activated.emit(0)
    _choose(cells[(1, "morning")], "Weekly")
    _choose(cells[(3, "afternoon")], "Fortnightly, week 2")
    start = editor.form.fields["fortnight_start"]
    if not start.widget.text():
        assert "week 1" in start.error.text()
    _type(qtbot, editor, "fortnight_start", "04/01/2026")  # a Sunday: the week from Monday 29th
    periods = editor.periods
    qtbot.keyClicks(periods.start, "24/12/2026")
    qtbot.keyClicks(periods.end, "02/01/2027")
    qtbot.keyClicks(periods.reason, "Christmas")
    periods.add_button.click()
    assert periods.table.rowCount() >= 1
    editor.undo_action.trigger()  # adding a period is undoable too
    assert all(p.reason != "Christmas" or p.start_date.year != 2026 for p in periods.periods)
    editor.redo_action.trigger()
    assert editor.save_record()
    with small_demo.uow() as s:
        slots = s.scalars(
            select(WeeklyAvailability).where(WeeklyAvailability.volunteer_id == vid)
        ).all()
        away = s.scalars(select(Unavailability).where(Unavailability.volunteer_id == vid)).all()
    assert sorted((a.weekday, a.session.value, a.every_n_weeks, a.anchor_date) for a in slots) == [
        (1, "morning", 1, None),
        (3, "afternoon", 2, date(2026, 1, 8)),  # week 2 starts Monday 5 January
    ]
    assert (date(2026, 12, 24), date(2027, 1, 2), "Christmas") in {
        (u.start_date, u.end_date, u.reason) for u in away
    }


def test_two_editors_on_one_volunteer_meet_the_conflict_dialog(qtbot, small_demo):
    with small_demo.uow() as s:
        vid = s.scalar(select(Volunteer.id).where(Volunteer.status == VolunteerStatus.ACTIVE))
    first = VolunteerEditor(small_demo, ChangeBus(), vid, today=DEMO_TODAY)
    second = VolunteerEditor(small_demo, ChangeBus(), vid, today=DEMO_TODAY)
    for editor in (first, second):
        qtbot.addWidget(editor)
        editor.show()
    _type(qtbot, first, "phone", "07700 900444")
    _check_item(_field(first, "role_ids"), "Chapel administration")
    assert first.save_record()
    _type(qtbot, second, "notes", "Prefers mornings")
    seen = {}

    def reapply(dialog):
        table = dialog.findChild(QWidget, "conflict_table")
        seen["rows"] = [
            [table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())
        ]
        dialog.reapply_button.click()

    _answer(ConflictDialog, reapply)
    assert second.save_record()
    labels = {row[0]: row for row in seen["rows"]}
    assert labels["Phone"][2] == "07700 900444"
    assert "Roles" in labels  # their change to the list is named too
    assert labels["Notes"][3] == "Prefers mornings"
    with small_demo.uow() as s:
        v = s.get(Volunteer, vid)
        assert (v.phone, v.notes) == ("07700 900444", "Prefers mornings")


# ----- archiving and deleting ----------------------------------------------------------------
def test_archive_hides_them_from_the_list(qtbot, page, small_demo):
    target = page.model.row_at(0)
    page.select_volunteer(target.id)

    def answer(dialog: QInputDialog):
        assert target.display_name in dialog.labelText()
        dialog.setTextValue("20/11/2026")
        dialog.accept()

    _answer(QInputDialog, answer)
    with qtbot.waitSignal(page.data_shown):
        assert page.archive_selected()
    assert target.id not in _shown_ids(page)
    with small_demo.uow() as s:
        v = s.get(Volunteer, target.id)
        assert (v.status, v.left_on) == (VolunteerStatus.LEFT, date(2026, 11, 20))
    page.show_left.click()
    assert target.id in _shown_ids(page)


def _new_volunteer(db) -> int:
    with db.uow() as s:
        return volunteer_edit.create_volunteer(
            s, {"first_name": "Erin", "last_name": "Mistake"}, "tester"
        ).volunteer_id


def test_delete_asks_first_naming_the_person(qtbot, page, small_demo):
    vid = _new_volunteer(small_demo)
    page.reload()
    qtbot.waitUntil(lambda: vid in _shown_ids(page))
    page.select_volunteer(vid)
    seen = {}

    def cancel(box: QMessageBox):
        seen["text"] = box.text()
        box.button(QMessageBox.StandardButton.Cancel).click()

    _answer(QMessageBox, cancel)
    assert not page.delete_selected()
    assert "Delete Erin Mistake?" in seen["text"]
    with small_demo.uow() as s:
        assert s.get(Volunteer, vid) is not None

    def delete(box: QMessageBox):
        next(b for b in box.buttons() if b.text() == "Delete Erin Mistake").click()

    _answer(QMessageBox, delete)
    with qtbot.waitSignal(page.data_shown):
        assert page.delete_selected()
    assert vid not in _shown_ids(page)
    with small_demo.uow() as s:
        assert s.get(Volunteer, vid) is None


def test_delete_is_refused_for_someone_who_attended(qtbot, page, small_demo):
    with small_demo.uow() as s:
        vid = s.scalar(
            select(Assignment.volunteer_id).where(Assignment.status == AssignmentStatus.ATTENDED)
        )
    page.select_volunteer(vid)
    seen = {}

    def decline(box: QMessageBox):
        seen["text"] = box.text()
        box.button(QMessageBox.StandardButton.No).click()

    _answer(QMessageBox, decline)
    assert not page.delete_selected()
    assert "cannot be deleted" in seen["text"] and "Archive them instead" in seen["text"]
    with small_demo.uow() as s:
        assert s.get(Volunteer, vid) is not None


# ----- the record's other tabs and accessibility ------------------------------------------------
def test_records_tabs_list_training_clearances_and_shifts(qtbot, small_demo):
    with small_demo.uow() as s:
        vid = s.scalar(
            select(Assignment.volunteer_id).where(Assignment.status == AssignmentStatus.CONFIRMED)
        )
    editor = VolunteerEditor(small_demo, ChangeBus(), vid, today=DEMO_TODAY)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.training.model.rowCount() > 0
    assert editor.clearances.model.rowCount() > 0
    states = {
        editor.clearances.model.index(r, 1).data()
        for r in range(editor.clearances.model.rowCount())
    }
    assert states <= {
        "Valid",
        "Expired",
        "Expiring soon",
        "Pending",
        "Not in force",
        "Replaced by a renewal",
    }
    assert editor.shifts.model.rowCount() > 0
    first_date = editor.shifts.model.index(0, 0).data()
    assert len(first_date) == 10 and first_date[2] == "/"  # dd/mm/yyyy
    assert editor.training.buttons["Add"].isEnabled()
    assert not editor.training.buttons["Edit"].isEnabled()  # nothing selected yet
    editor.training.table.selectRow(0)
    assert editor.training.buttons["Renew"].isEnabled()


def test_new_volunteer_has_no_records_yet(qtbot, small_demo):
    editor = VolunteerEditor(small_demo, ChangeBus(), None, today=DEMO_TODAY)
    qtbot.addWidget(editor)
    assert not editor.training.buttons["Add"].isEnabled()
    assert "Save the new volunteer first" in editor.training.empty.text()


def test_every_control_has_an_accessible_name(qtbot, page):
    editor = _open_editor(qtbot, page)
    kinds = (
        QLineEdit,
        QComboBox,
        QCheckBox,
        QSpinBox,
        QPlainTextEdit,
        QListWidget,
        QTableView,
        QAbstractButton,
    )
    for host in (page, editor):
        for widget in host.findChildren(QWidget):
            if not isinstance(widget, kinds) or widget.objectName().startswith("qt_"):
                continue
            if isinstance(widget.parent(), QComboBox | QTableView | QLineEdit):
                continue  # Qt's own inner parts (a line edit's clear button)
            if widget.inherits("QTabBar"):
                continue
            if type(widget).__name__ in {"QToolButton"} and widget.parent().inherits("QTabBar"):
                continue
            assert widget.accessibleName(), f"{widget!r} in {widget.parent()!r} has no name"
    from test_accessibility import unnamed_controls  # the lead's check, tab by tab

    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        assert unnamed_controls(editor) == [], editor.tabs.tabText(index)


def test_faith_names_never_reach_the_audit_log(qtbot, page, small_demo):
    editor = _open_editor(qtbot, page)
    consent = _field(editor, "faith_consent")
    if not consent.isChecked():
        consent.click()
    _choose(_field(editor, "faith_id"), "Quaker")
    assert editor.save_record()
    from volunteerdesk.core.models import AuditEntry

    with small_demo.uow() as s:
        quaker = s.scalar(select(Faith.id).where(Faith.name == "Quaker"))
        assert s.get(Volunteer, editor.record_id).faith_id == quaker
        logged = s.scalars(select(AuditEntry.changes)).all()
    assert not any("Quaker" in text for text in logged)


def test_editor_keyboard_new_and_tab_order(qtbot, page):
    editor = _open_editor(qtbot, page)
    title = _field(editor, "title")
    assert title.hasFocus()  # the first field of the first tab
    order = [title]
    for _ in range(3):
        order.append(order[-1].nextInFocusChain())
    assert order[1:] == [_field(editor, k) for k in ("first_name", "last_name", "badge_name")]
    assert _field(editor, "emergency_contact_relation").nextInFocusChain() is _field(
        editor, "status"
    )
    before = {w for w in QApplication.topLevelWidgets() if isinstance(w, VolunteerEditor)}
    qtbot.keyClick(title, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    opened = {w for w in QApplication.topLevelWidgets() if isinstance(w, VolunteerEditor)} - before
    assert len(opened) == 1 and opened.pop().windowTitle().startswith("New volunteer")


def test_endorsement_follows_the_community_chosen(qtbot, page):
    editor = _open_editor(qtbot, page)
    community = _field(editor, "community_id")
    by = _field(editor, "endorsed_by")
    endorsed_by = by.text()
    original = community.currentText()
    other = next(
        community.itemText(i)
        for i in range(1, community.count())
        if community.itemText(i) != original
    )
    _choose(community, other)
    assert by.text() == ""  # no endorsement by that community yet
    editor.undo_action.trigger()  # one step undoes the community and its endorsement
    assert (community.currentText(), by.text()) == (original, endorsed_by)
    assert not editor.form.is_dirty


def test_print_and_export_the_list_as_filtered(qtbot, page, tmp_path, monkeypatch):
    """What is printed and exported is the list as shown: filtered, in its order."""
    import subprocess

    import openpyxl

    from volunteerdesk.ui import exporting

    page.search.setText("ob")  # O'Brien, Ó Briain, Bob... whatever the demo has
    qtbot.waitUntil(lambda: page.model.shown_count < page.model.total_count)
    shown = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert shown

    dialog = page.print_shown()
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(dialog.pdf)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True).stdout.split())  # fmt: skip
    assert 'matching "ob"' in text
    assert f"{len(shown)} of" in text
    dialog.close()

    target = tmp_path / "volunteers.xlsx"
    monkeypatch.setattr(exporting, "ask_save_path", lambda *a: (str(target), "Excel (*.xlsx)"))
    monkeypatch.setattr(exporting, "show_message", lambda *a, **k: None)
    page.export_shown()
    sheet = openpyxl.load_workbook(target).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == shown  # the same people, in the same order


def test_a_save_the_role_forbids_is_refused_in_words_and_keeps_the_changes(qtbot, small_demo):
    from volunteerdesk.core.lookup import find_site
    from volunteerdesk.core.models import UserRole, Volunteer, volunteer_sites
    from volunteerdesk.core.services.users import create_user

    with small_demo.uow() as s:
        court = find_site(s, "Westmoor Magistrates' Court")[0]
        prison = find_site(s, "HMP Westmoor")[0]
        create_user(s, "tester", {"username": "pat", "role": UserRole.COORDINATOR}, [court])
        only_prison = select(volunteer_sites.c.volunteer_id).where(
            volunteer_sites.c.site_id != prison
        )
        vid = s.scalars(
            select(Volunteer.id)
            .join(volunteer_sites, volunteer_sites.c.volunteer_id == Volunteer.id)
            .where(volunteer_sites.c.site_id == prison, Volunteer.id.not_in(only_prison))
        ).first()
    small_demo.username = "pat"  # a coordinator at the court, not at the prison
    editor = VolunteerEditor(small_demo, ChangeBus(), vid, today=DEMO_TODAY)
    qtbot.addWidget(editor)
    editor.show()
    _field(editor, "notes").setPlainText("Prefers mornings")
    assert editor.save_record() is False
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox))
    assert box.isVisible()  # told, without blocking the editor
    assert "only at your own sites" in box.text() and "Your changes are still here." in box.text()
    box.accept()
    assert _field(editor, "notes").toPlainText() == "Prefers mornings"
    assert editor.form.is_dirty
    editor.form.undo_stack.setClean()
