"""The training, clearance and bulk training dialogs, driven as a user would on the small demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionButton
from shiboken6 import isValid
from sqlalchemy import func, select

from volunteerdesk.core.models import (
    AuditEntry,
    Clearance,
    ClearanceType,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.core.services.records import computed_expiry
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs.bulk_training import BulkTrainingDialog, open_bulk_training
from volunteerdesk.ui.dialogs.clearance import ClearanceDialog
from volunteerdesk.ui.dialogs.training import TrainingDialog

TODAY = date.today()  # the dialogs date renewals and checks by the real calendar


@pytest.fixture
def bus():
    bus = ChangeBus()
    bus.heard = []
    bus.changed.connect(bus.heard.append)
    return bus


def _choose(box: QComboBox, text: str) -> None:
    """Pick an entry the way a user does (the form listens for ``activated``)."""
    index = next(i for i in range(box.count()) if box.itemText(i).startswith(text))
    box.setCurrentIndex(index)
    box.activated.emit(index)


def _tick(qtbot, check) -> None:
    option = QStyleOptionButton()
    option.initFrom(check)
    box = check.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, check)
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=box.center())


def _type(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _forget_changes(dialog) -> None:
    """Before pytest-qt closes it: a failed test must not leave a "save changes?" prompt."""
    if not isValid(dialog):
        return
    if hasattr(dialog, "form"):
        dialog.form.undo_stack.setClean()
    if isinstance(dialog, BulkTrainingDialog):
        dialog.model.checked.clear()


def _open(qtbot, dialog):
    qtbot.addWidget(dialog, before_close_func=_forget_changes)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # window shortcuts (Ctrl+S) need it active
    return dialog


def _a_prison_volunteer(db) -> int:
    with db.uow() as s:
        return s.scalar(
            select(Volunteer.id)
            .where(
                Volunteer.status == VolunteerStatus.ACTIVE,
                Volunteer.sites.any(Site.kind == SiteKind.PRISON),
            )
            .order_by(Volunteer.id)
        )


def test_add_training_computes_the_expiry_then_takes_an_override(qtbot, small_demo, bus):
    vid = _a_prison_volunteer(small_demo)
    dialog = _open(qtbot, TrainingDialog(small_demo, bus, vid))
    fields = dialog.form.fields
    assert dialog.windowTitle().startswith("New training record")
    assert not dialog.save_button.isEnabled()
    _choose(fields["course_id"].widget, "Key and security training")
    _type(qtbot, fields["completed_on"].widget, "01/10/2026")
    expiry = fields["expires_on"].widget
    assert expiry.text() == "01/10/2027" and expiry.isReadOnly()
    assert "12 months after completion" in dialog.expiry_hint.text()
    assert dialog.save_button.isEnabled()

    _tick(qtbot, dialog.override)
    assert not expiry.isReadOnly()
    _type(qtbot, expiry, "01/09/2026")
    assert "before the completion" in fields["expires_on"].error.text()
    assert fields["expires_on"].error.isVisible() and not dialog.save_button.isEnabled()
    _type(qtbot, expiry, "15/12/2027")
    assert "Entered by hand" in dialog.expiry_hint.text()
    qtbot.keyClicks(fields["provider"].widget, "Westmoor security")
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with small_demo.uow() as s:
        record = s.get(TrainingRecord, dialog.record_id)
        assert (record.completed_on, record.expires_on) == (date(2026, 10, 1), date(2027, 12, 15))
        assert record.expiry_overridden and record.provider == "Westmoor security"
        assert record.course.code == "KEYS" and record.volunteer_id == vid
    assert bus.heard and bus.heard[-1].touches("training")


def test_undo_steps_back_through_the_override(qtbot, small_demo, bus):
    dialog = _open(qtbot, TrainingDialog(small_demo, bus, _a_prison_volunteer(small_demo)))
    fields = dialog.form.fields
    _choose(fields["course_id"].widget, "Safeguarding")
    _type(qtbot, fields["completed_on"].widget, "05/01/2026")
    assert fields["expires_on"].widget.text() == "05/01/2029"
    _tick(qtbot, dialog.override)
    _type(qtbot, fields["expires_on"].widget, "05/01/2028")
    dialog.form.undo_stack.undo()  # the typed date
    dialog.form.undo_stack.undo()  # the tick
    assert not dialog.override.isChecked()
    assert fields["expires_on"].widget.text() == "05/01/2029"
    dialog.form.undo_stack.undo()  # the completion date: no date, no expiry
    assert fields["expires_on"].widget.text() == ""
    assert "date the course was completed" in fields["completed_on"].error.text()


def test_renewing_prefills_a_new_linked_record(qtbot, small_demo, bus):
    with small_demo.uow() as s:
        renewed = select(TrainingRecord.renews_id).where(TrainingRecord.renews_id.is_not(None))
        old = s.scalar(
            select(TrainingRecord)
            .join(TrainingCourse)
            .where(TrainingCourse.code == "CONDUCT", TrainingRecord.id.not_in(renewed))
            .order_by(TrainingRecord.id)
        )
        old_id, vid, provider = old.id, old.volunteer_id, old.provider
        before = s.scalar(select(func.count()).select_from(TrainingRecord))
    dialog = _open(qtbot, TrainingDialog(small_demo, bus, vid, old_id, renew=True))
    fields = dialog.form.fields
    assert dialog.windowTitle().startswith("Renew Code of conduct")
    assert fields["course_id"].widget.currentText().startswith("Code of conduct")
    assert fields["completed_on"].widget.text() == TODAY.strftime("%d/%m/%Y")
    assert fields["expires_on"].widget.text() == computed_expiry(TODAY, 12).strftime("%d/%m/%Y")
    assert fields["provider"].widget.text() == provider
    assert dialog.renews_note.text().startswith("Renews Code of conduct")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    with small_demo.uow() as s:
        new = s.get(TrainingRecord, dialog.record_id)
        assert new.id != old_id and new.renews_id == old_id and new.volunteer_id == vid
        assert s.scalar(select(func.count()).select_from(TrainingRecord)) == before + 1


def test_a_clearance_asks_for_the_establishment_only_when_the_type_needs_one(
    qtbot, small_demo, bus
):
    vid = _a_prison_volunteer(small_demo)
    dialog = _open(qtbot, ClearanceDialog(small_demo, bus, vid))
    fields = dialog.form.fields
    site_row = dialog.rows["site_id"]
    _choose(fields["type_id"].widget, "HMPPS vetting")
    assert site_row.isVisible() and not dialog.dbs_group.isVisible()
    assert fields["site_id"].widget.currentText() == "HMP Westmoor"  # the volunteer's prison
    _choose(fields["site_id"].widget, "Choose the establishment")
    assert "per establishment" in fields["site_id"].error.text()
    assert not dialog.save_button.isEnabled()
    _choose(fields["site_id"].widget, "HMP Westmoor")
    levels = [fields["level"].widget.itemText(i) for i in range(fields["level"].widget.count())]
    assert levels == ["Not recorded", "Baseline", "Enhanced Level 1", "Enhanced Level 2",
                      "Standard Plus"]  # fmt: skip
    _choose(fields["level"].widget, "Enhanced Level 1")
    _choose(fields["status"].widget, "Granted")
    assert "date the clearance was granted" in fields["granted_on"].error.text()
    _type(qtbot, fields["applied_on"].widget, "01/06/2026")
    _type(qtbot, fields["granted_on"].widget, "02/09/2026")
    assert fields["expires_on"].widget.text() == "02/09/2031"

    _choose(fields["type_id"].widget, "DBS check")  # portable, with DBS details
    assert not site_row.isVisible() and dialog.dbs_group.isVisible()
    assert "never record what the certificate says" in dialog.dbs_note.text().lower()
    assert fields["expires_on"].widget.text() == "02/09/2029"
    qtbot.keyClicks(fields["dbs_certificate_number"].widget, "12345")
    assert "12 digits" in fields["dbs_certificate_number"].error.text()
    _choose(fields["type_id"].widget, "HMPPS vetting")
    assert not dialog.dbs_group.isVisible() and dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    with small_demo.uow() as s:
        saved = s.get(Clearance, dialog.record_id)
        assert (saved.type.code, saved.site.name, saved.level) == (
            "HMPPS",
            "HMP Westmoor",
            "Enhanced Level 1",
        )
        assert saved.expires_on == date(2031, 9, 2) and saved.dbs_certificate_number == ""
    assert bus.heard[-1].touches("clearances")


def test_opening_a_dbs_clearance_is_logged_and_shows_only_permitted_fields(qtbot, small_demo, bus):
    with small_demo.uow() as s:
        record = s.scalar(
            select(Clearance)
            .join(ClearanceType)
            .where(ClearanceType.is_dbs, Clearance.dbs_certificate_number != "")
            .order_by(Clearance.id)
        )
        rid, vid, number = record.id, record.volunteer_id, record.dbs_certificate_number
    dialog = _open(qtbot, ClearanceDialog(small_demo, bus, vid, rid))
    assert dialog.dbs_group.isVisible() and not dialog.rows["site_id"].isVisible()
    assert dialog.form.fields["dbs_certificate_number"].widget.text() == number
    with small_demo.uow() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action.value, entry.entity, entry.entity_id) == ("view", "clearances", rid)
    assert entry.username == "tester" and "DBS details" in entry.summary
    with small_demo.uow() as s:
        other = s.scalar(select(Clearance.id).join(ClearanceType).where(~ClearanceType.is_dbs))
        count = s.scalar(select(func.count()).select_from(AuditEntry))
    _open(qtbot, ClearanceDialog(small_demo, bus, vid, other))
    with small_demo.uow() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == count


def test_bulk_training_records_a_session_for_several_volunteers(qtbot, small_demo, bus):
    with small_demo.uow() as s:
        before = s.scalar(select(func.count()).select_from(TrainingRecord))
    dialog = open_bulk_training(small_demo, bus)
    qtbot.addWidget(dialog, before_close_func=_forget_changes)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert isinstance(dialog, BulkTrainingDialog) and dialog.isVisible()
    assert not dialog.save_button.isEnabled()
    _choose(dialog.form.fields["course_id"].widget, "Key and security training")
    date_box = dialog.form.fields["completed_on"].widget
    assert date_box.text() == TODAY.strftime("%d/%m/%Y")
    _type(qtbot, date_box, "12/11/2026")
    qtbot.keyClicks(dialog.form.fields["provider"].widget, "Gate team")
    _choose(dialog.site_box, "HMP Westmoor")
    at_prison = dialog.model.rowCount()
    assert 0 < at_prison < len(dialog.model.rows)
    qtbot.keyClick(dialog, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert dialog.search.hasFocus()
    first = dialog.model.shown[0].name.split()[-1]
    qtbot.keyClicks(dialog.search, first)
    assert all(first in row.name for row in dialog.model.shown)
    table = dialog.table
    table.setFocus()
    for row in range(min(2, dialog.model.rowCount())):
        table.setCurrentIndex(dialog.model.index(row, 0))
        qtbot.keyClick(table, Qt.Key.Key_Space)
    dialog.search.clear()
    table.setCurrentIndex(dialog.model.index(at_prison - 1, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter ticks too
    chosen = len(dialog.model.checked)
    assert chosen >= 2 and f"Record for {chosen} volunteers" in dialog.save_button.text()
    assert dialog.isVisible()  # Enter in the list did not press Record
    with qtbot.waitSignal(dialog.recorded) as recorded:
        dialog.save_button.click()
    assert recorded.args[0] == (
        f"Recorded Key and security training on 12/11/2026 for {chosen} volunteers."
    )
    assert dialog.status.text() == recorded.args[0] and not dialog.model.checked
    with small_demo.uow() as s:
        assert s.scalar(select(func.count()).select_from(TrainingRecord)) == before + chosen
        providers = s.scalars(
            select(TrainingRecord.provider).where(TrainingRecord.completed_on == date(2026, 11, 12))
        ).all()
    assert providers.count("Gate team") == chosen
    assert bus.heard[-1].touches("training")


def test_bulk_training_asks_before_dropping_ticked_people(qtbot, small_demo, bus):
    from PySide6.QtWidgets import QMessageBox
    from test_record_editor import _answer_next_dialog

    dialog = BulkTrainingDialog(small_demo, bus)  # deletes itself on closing: not given to qtbot
    try:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.model.setData(dialog.model.index(0, 0), Qt.CheckState.Checked.value,
                             Qt.ItemDataRole.CheckStateRole)  # fmt: skip
        _answer_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Cancel).click())
        dialog.close()
        assert dialog.isVisible()
        _answer_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Discard).click())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
    finally:
        if isValid(dialog):
            _forget_changes(dialog)
            dialog.close()


def test_dialog_controls_have_accessible_names(qtbot, small_demo, bus):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QLineEdit, QWidget

    vid = _a_prison_volunteer(small_demo)
    for dialog in (
        TrainingDialog(small_demo, bus, vid),
        ClearanceDialog(small_demo, bus, vid),
        BulkTrainingDialog(small_demo, bus),
    ):
        _open(qtbot, dialog)
        for widget in dialog.findChildren(QWidget):
            kinds = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView)
            if not isinstance(widget, kinds) or widget.objectName().startswith("qt_"):
                continue
            if not widget.isVisibleTo(dialog):  # a closed drop-down's list
                continue
            if isinstance(widget.parent(), QAbstractItemView | QComboBox):
                continue
            assert widget.accessibleName(), f"{widget!r} in {dialog.windowTitle()}"


# ----- the window's date, not the computer's ------------------------------------------------
AHEAD = TODAY + timedelta(days=400)  # a window opened "as of" a later date (demo, tests)
BEHIND = TODAY - timedelta(days=400)


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def test_training_dialog_judges_the_future_by_the_windows_date(qtbot, small_demo, bus):
    vid = _a_prison_volunteer(small_demo)
    later = _open(qtbot, TrainingDialog(small_demo, bus, vid, today=AHEAD))
    _choose(later.form.fields["course_id"].widget, "Safeguarding")
    done = later.form.fields["completed_on"].widget
    _type(qtbot, done, _uk(TODAY + timedelta(days=200)))  # future by the clock, past here
    assert later.form.fields["completed_on"].error.text() == ""
    assert later.save_button.isEnabled()
    earlier = _open(qtbot, TrainingDialog(small_demo, bus, vid, today=BEHIND))
    _choose(earlier.form.fields["course_id"].widget, "Safeguarding")
    _type(qtbot, earlier.form.fields["completed_on"].widget, _uk(TODAY - timedelta(days=100)))
    assert "can't be in the future" in earlier.form.fields["completed_on"].error.text()
    assert not earlier.save_button.isEnabled()


def test_a_renewal_is_dated_by_the_windows_date(qtbot, small_demo, bus):
    with small_demo.uow() as s:
        old = s.scalar(select(TrainingRecord).order_by(TrainingRecord.id))
        old_id, vid = old.id, old.volunteer_id
        months = old.course.validity_months
    dialog = _open(qtbot, TrainingDialog(small_demo, bus, vid, old_id, renew=True, today=AHEAD))
    fields = dialog.form.fields
    assert fields["completed_on"].widget.text() == _uk(AHEAD)
    assert fields["expires_on"].widget.text() == _uk(computed_expiry(AHEAD, months))


def test_clearance_and_bulk_dialogs_judge_the_future_by_the_windows_date(qtbot, small_demo, bus):
    vid = _a_prison_volunteer(small_demo)
    clearance = _open(qtbot, ClearanceDialog(small_demo, bus, vid, today=BEHIND))
    _choose(clearance.form.fields["type_id"].widget, "Counter Terrorist")
    _type(qtbot, clearance.form.fields["applied_on"].widget, _uk(TODAY - timedelta(days=10)))
    assert "can't be in the future" in clearance.form.fields["applied_on"].error.text()
    bulk = open_bulk_training(small_demo, bus, today=AHEAD)
    qtbot.addWidget(bulk, before_close_func=_forget_changes)
    date_box = bulk.form.fields["completed_on"].widget
    assert date_box.text() == _uk(AHEAD)  # the session defaults to the window's day
    _type(qtbot, date_box, _uk(TODAY + timedelta(days=30)))
    assert bulk.form.fields["completed_on"].error.text() == ""
    _type(qtbot, date_box, _uk(AHEAD + timedelta(days=1)))
    assert "can't be in the future" in bulk.form.fields["completed_on"].error.text()


# ----- a DBS certificate has no expiry: its date is when to re-check ---------------------------
def _label_of(dialog, key: str) -> str:
    return dialog.layout_.labelForField(dialog.rows[key]).text()


def test_a_dbs_check_shows_a_re_check_date_not_an_expiry(qtbot, small_demo, bus):
    vid = _a_prison_volunteer(small_demo)
    dialog = _open(qtbot, ClearanceDialog(small_demo, bus, vid, today=TODAY))
    _choose(dialog.form.fields["type_id"].widget, "HMPPS vetting")
    assert _label_of(dialog, "expires_on") == "Expires on"
    _choose(dialog.form.fields["type_id"].widget, "DBS")
    assert "re-check every" in dialog.form.fields["type_id"].widget.currentText()
    assert _label_of(dialog, "expires_on") == "Re-check due"
    assert dialog.form.fields["expires_on"].widget.accessibleName() == "Re-check due"
    _choose(dialog.form.fields["status"].widget, "Granted")
    _type(qtbot, dialog.form.fields["granted_on"].widget, "10/04/2026")
    hint = dialog.expiry_hint.text()
    assert hint.startswith("A DBS certificate has no expiry.") and "Re-check due" in hint
    assert dialog.form.fields["expires_on"].widget.text() == "10/04/2029"
    _tick(qtbot, dialog.override)
    _type(qtbot, dialog.form.fields["expires_on"].widget, "01/01/2026")
    error = dialog.form.fields["expires_on"].error.text()
    assert error == "The re-check date can't be before the grant date"
    _choose(dialog.form.fields["type_id"].widget, "Counter Terrorist")
    assert _label_of(dialog, "expires_on") == "Expires on"


def test_a_dbs_type_without_a_re_check_interval_says_so(qtbot, small_demo, bus):
    with small_demo.uow() as s:
        for kind in s.scalars(select(ClearanceType).where(ClearanceType.is_dbs)):
            kind.validity_months = None
    vid = _a_prison_volunteer(small_demo)
    dialog = _open(qtbot, ClearanceDialog(small_demo, bus, vid, today=TODAY))
    _choose(dialog.form.fields["type_id"].widget, "DBS")
    assert "no re-check interval" in dialog.form.fields["type_id"].widget.currentText()
    _choose(dialog.form.fields["status"].widget, "Granted")
    _type(qtbot, dialog.form.fields["granted_on"].widget, "10/04/2026")
    hint = dialog.expiry_hint.text()
    assert "No re-check interval is set for this type." in hint
    assert "does not expire" not in hint.lower()
