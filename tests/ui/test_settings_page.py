"""The Settings page: editing the organisation settings and the catalogues, on the small demo."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid
from sqlalchemy import select
from test_record_editor import _answer_next_dialog
from window_helpers import DEMO_TODAY, cells, open_window, visit

from volunteerdesk.core.models import AuditEntry, TrainingCourse
from volunteerdesk.core.settings import load_settings
from volunteerdesk.ui.dialogs.bulk_training import BulkTrainingDialog
from volunteerdesk.ui.dialogs.catalogue_editors import CourseEditor
from volunteerdesk.ui.pages.settings import SettingsPage

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(qtbot, small_demo):
    window = open_window(qtbot, small_demo, today=DEMO_TODAY)
    page = visit(qtbot, window, SettingsPage)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield page
    for widget in QApplication.topLevelWidgets():  # no "save changes?" prompt on teardown
        if isValid(widget) and hasattr(widget, "form"):
            widget.form.undo_stack.setClean()
    if isValid(page):
        page.form.undo_stack.setClean()


def _retype(qtbot, edit, text):
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_change_the_organisation_name_and_marking_and_save(qtbot, page, small_demo):
    fields = page.form.fields
    with small_demo.uow() as s:
        before = load_settings(s)
    assert fields["organisation_name"].widget.text() == before.organisation_name
    assert page.markers["protective_marking"].text() == "Default"
    assert not page.save_button.isEnabled() and not page.revert_button.isEnabled()
    _retype(qtbot, fields["organisation_name"].widget, "VolunteerDesk")
    assert page.markers["organisation_name"].text() == "Default"
    _retype(qtbot, fields["organisation_name"].widget, "Westmoor Chaplaincy")
    _retype(qtbot, fields["protective_marking"].widget, "OFFICIAL")
    assert page.markers["organisation_name"].text() == "Set locally (default: VolunteerDesk)"
    assert page.markers["protective_marking"].text() == (
        "Set locally (default: OFFICIAL-SENSITIVE)"
    )
    assert page.save_button.isEnabled() and page.org_status.text() == "Unsaved changes."
    with qtbot.waitSignal(page.data_shown):  # the page reloads what it saved
        qtbot.keyClick(fields["protective_marking"].widget, Qt.Key.Key_S, CTRL)
    assert page.org_status.text().startswith("Saved (organisation name, protective marking")
    with small_demo.uow() as s:
        saved = load_settings(s)
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (saved.organisation_name, saved.protective_marking) == (
        "Westmoor Chaplaincy",
        "OFFICIAL",
    )
    assert (entry.entity, entry.username) == ("settings", "tester")
    assert json.loads(entry.changes)["protective_marking"] == ["OFFICIAL-SENSITIVE", "OFFICIAL"]
    assert not page.save_button.isEnabled()
    assert fields["organisation_name"].widget.text() == "Westmoor Chaplaincy"
    assert page.markers["organisation_name"].text().startswith("Set locally")


def test_someone_elses_save_is_kept_and_a_clash_is_asked_about(qtbot, page, small_demo):
    from dataclasses import replace

    from volunteerdesk.core.services.settings_edit import save_org_settings

    with small_demo.uow() as s:  # another computer saves while the page is open
        theirs = load_settings(s)
        save_org_settings(
            s, "bob", replace(theirs, organisation_name="Their name", protective_marking="THEIRS")
        )
    fields = page.form.fields
    _retype(qtbot, fields["protective_marking"].widget, "MINE")
    fields["warning_days"].widget.setValue(60)
    asked = {}

    def overwrite(box):
        asked["text"] = box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    _answer_next_dialog(overwrite)
    with qtbot.waitSignal(page.data_shown):
        page.save_button.click()
    assert "Protective marking on printouts is now THEIRS" in asked["text"]
    with small_demo.uow() as s:
        now = load_settings(s)
    assert (now.organisation_name, now.protective_marking, now.warning_days) == (
        "Their name",
        "MINE",
        60,
    )
    assert fields["organisation_name"].widget.text() == "Their name"


def test_invalid_values_block_saving_and_revert_puts_back_the_saved_ones(qtbot, page):
    fields = page.form.fields
    _retype(qtbot, fields["organisation_name"].widget, "")
    assert fields["organisation_name"].error.text() == "Organisation name is required"
    assert not page.save_button.isEnabled()
    _retype(qtbot, fields["organisation_name"].widget, "Court Desks")
    _retype(qtbot, fields["reminder_days"].widget, "30, soon")
    assert "between 1 and 365" in fields["reminder_days"].error.text()
    assert not page.save_button.isEnabled()
    _retype(qtbot, fields["reminder_days"].widget, "7 14 60")
    assert page.markers["reminder_days"].text() == "Set locally (default: 30, 14, 7)"
    _retype(qtbot, fields["logo_path"].widget, "/tmp/logo.txt")
    assert "is not an image" in fields["logo_path"].error.text()
    spin = fields["dbs_scan_retention_months"].widget
    assert spin.maximum() == 6  # DOMAIN.md: no DBS scans kept beyond 6 months
    with qtbot.waitSignal(page.data_shown):
        page.revert_button.click()
    assert (
        fields["organisation_name"].widget.text() == page.opened.organisation_name != "Court Desks"
    )
    assert fields["reminder_days"].widget.text() == "30, 14, 7"
    assert not page.form.is_dirty and page.form.is_valid


def test_choosing_a_logo_shows_a_preview(qtbot, page, tmp_path):
    from PySide6.QtGui import QColor, QImage

    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    path = tmp_path / "logo.png"
    image.save(str(path))
    page.set_path("logo_path", str(path))
    assert page.logo_preview.isVisible() and not page.logo_preview.pixmap().isNull()
    assert page.markers["logo_path"].text().startswith("Set locally")
    page.form.undo_stack.undo()
    assert page.form.fields["logo_path"].widget.text() == ""
    assert not page.logo_preview.isVisible()


def test_edit_a_course_validity_shows_it_as_set_locally(qtbot, page, small_demo):
    page.tabs.setCurrentWidget(page.courses)
    table = page.courses.view
    row = cells(page.course_model, 0).index("Key and security training")
    assert cells(page.course_model, 1)[row] == "12 months"
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the selected row
    editor = page.courses.editor
    assert isinstance(editor, CourseEditor) and editor.windowTitle().endswith(
        "Key and security training"
    )
    qtbot.addWidget(editor)
    editor.months.setFocus()
    editor.months.selectAll()
    qtbot.keyClicks(editor.months, "24")
    assert "Set locally; the shipped default is 12 months" in editor.validity_note.text()
    assert editor.default_button.isVisible()
    with qtbot.waitSignal(page.data_shown):
        editor.save_button.click()
    row = cells(page.course_model, 0).index("Key and security training")
    assert cells(page.course_model, 1)[row] == "24 months (set locally; default 12)"
    with small_demo.uow() as s:
        course = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "KEYS"))
        assert (course.validity_months, course.set_locally) == (24, True)
    editor.default_button.click()
    assert editor.months.value() == 12 and not editor.default_button.isVisible()
    editor.form.undo_stack.setClean()


def test_new_course_and_retiring_one_in_use(qtbot, page, small_demo):
    page.tabs.setCurrentWidget(page.courses)
    page.courses.view.setFocus()
    qtbot.keyClick(page.courses.view, Qt.Key.Key_N, CTRL)
    editor = page.courses.editor
    qtbot.addWidget(editor)
    assert editor.windowTitle() == "New training course"
    qtbot.keyClicks(editor.form.fields["name"].widget, "Chapel first aid")
    editor.never.click()
    assert not editor.months.isEnabled()
    with qtbot.waitSignal(page.data_shown):
        editor.save_button.click()
    names = cells(page.course_model, 0)
    assert "Chapel first aid" in names
    row = names.index("Chapel first aid")
    assert cells(page.course_model, 1)[row] == "Does not expire (added locally)"
    row = cells(page.course_model, 0).index("Fire and evacuation")
    page.courses.view.selectRow(row)
    _answer_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    with qtbot.waitSignal(page.data_shown):
        page.courses.remove_button.click()
    assert "deactivated rather than deleted" in page.courses.message.text()
    row = cells(page.course_model, 0).index("Fire and evacuation")
    assert cells(page.course_model, 3)[row] == "Retired"


def test_record_a_training_session_from_the_courses_tab(qtbot, page):
    page.tabs.setCurrentWidget(page.courses)
    page.bulk_button.click()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, BulkTrainingDialog)]
    assert dialogs and dialogs[-1].isVisible()
    dialogs[-1].close()
