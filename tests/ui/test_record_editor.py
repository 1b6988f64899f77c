"""The record editor base: Save only when valid and changed, prompts, undo and conflicts.

Driven through a tiny editor of a community's name and phone, built on the same base
as every real editor.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from sqlalchemy import func, select
from window_helpers import DEMO_TODAY

from volunteerdesk.core import audit
from volunteerdesk.core.changes import Changes
from volunteerdesk.core.db import open_database
from volunteerdesk.core.models import (
    AuditEntry,
    Clearance,
    ClearanceType,
    Community,
    CommunityKind,
    TrainingRecord,
    TrainingStatus,
)
from volunteerdesk.core.services import editing
from volunteerdesk.core.validation import check_uk_phone
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs.audit_viewer import local_time
from volunteerdesk.ui.dialogs.conflict import ConflictDialog
from volunteerdesk.ui.dialogs.training import TrainingDialog
from volunteerdesk.ui.editors.base import Loaded, RecordEditor, Saved
from volunteerdesk.ui.editors.volunteer_editor import VolunteerEditor


class TinyEditor(RecordEditor):
    entity_label = "community"

    def __init__(self, db, bus, record_id=None):
        super().__init__(db, bus, record_id)
        self.form.line("name", "Name", required=True)
        self.form.line("contact_phone", "Phone", validator=check_uk_phone)
        self.open_record()

    def body(self):
        w = QWidget()
        w.setLayout(self.form.layout_for(["name", "contact_phone"]))
        return w

    def load(self, session):
        c = session.get(Community, self.record_id)
        plain = audit.column_values(c)
        return Loaded({"name": c.name, "contact_phone": c.contact_phone}, c.version, c.name, plain)

    def store(self, session, values, changed, version, opened):
        c = editing.update(
            session, Community, self.record_id, version, changed, self.db.username, opened=opened
        )
        return Saved(c.id, c.version, Changes.of("communities"), audit.column_values(c))


def _community(db) -> int:
    with db.uow() as s:
        return editing.create(
            s, Community, {"name": "St Mary's", "kind": CommunityKind.FAITH_COMMUNITY}, "t"
        ).id


def _answer_next_dialog(choose):
    def answer():
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, ConflictDialog | QMessageBox):
                choose(widget)
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def test_save_is_enabled_only_for_a_valid_change(qtbot, sqlite_database):
    cid = _community(sqlite_database)
    editor = TinyEditor(sqlite_database, ChangeBus(), cid)
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.save_button.isEnabled()
    phone = editor.form.fields["contact_phone"].widget
    qtbot.keyClicks(phone, "0123")
    assert not editor.save_button.isEnabled()
    assert "1 field to correct" in editor.status.text()
    phone.clear()
    qtbot.keyClicks(phone, "01632 960123")
    assert editor.save_button.isEnabled()
    assert editor.windowTitle().endswith("*")
    with qtbot.waitSignal(editor.saved):
        editor.save_button.click()
    with sqlite_database.uow() as s:
        assert s.get(Community, cid).contact_phone == "01632 960123"
    assert not editor.save_button.isEnabled() and editor.status.text() == "Saved."


def test_second_window_saving_the_same_record_gets_the_conflict_dialog(qtbot, sqlite_database):
    cid = _community(sqlite_database)
    first = TinyEditor(sqlite_database, ChangeBus(), cid)
    second = TinyEditor(sqlite_database, ChangeBus(), cid)
    for e in (first, second):
        qtbot.addWidget(e)
        e.show()
    qtbot.keyClicks(first.form.fields["contact_phone"].widget, "01632 960001")
    assert first.save_record()
    qtbot.keyClicks(second.form.fields["name"].widget, " (Westmoor)")
    seen = {}

    def reapply(dialog):
        table = dialog.findChild(QWidget, "conflict_table")
        seen["rows"] = [
            [table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())
        ]
        dialog.reapply_button.click()

    _answer_next_dialog(reapply)
    assert second.save_record()
    assert ["Phone", "(empty)", "01632 960001", "(unchanged)"] in seen["rows"]
    with sqlite_database.uow() as s:
        c = s.get(Community, cid)
        assert (c.name, c.contact_phone) == ("St Mary's (Westmoor)", "01632 960001")


def test_reload_discards_mine_and_shows_theirs(qtbot, sqlite_database):
    cid = _community(sqlite_database)
    first = TinyEditor(sqlite_database, ChangeBus(), cid)
    second = TinyEditor(sqlite_database, ChangeBus(), cid)
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    qtbot.keyClicks(first.form.fields["name"].widget, " North")
    assert first.save_record()
    qtbot.keyClicks(second.form.fields["name"].widget, " South")
    _answer_next_dialog(lambda d: d.reload_button.click())
    assert not second.save_record()
    assert second.form.fields["name"].widget.text() == "St Mary's North"
    assert not second.form.is_dirty


def test_closing_with_unsaved_changes_asks_first(qtbot, sqlite_database):
    cid = _community(sqlite_database)
    editor = TinyEditor(sqlite_database, ChangeBus(), cid)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.form.fields["name"].widget, "!")
    _answer_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Cancel).click())
    editor.close()
    assert editor.isVisible(), "Cancel keeps the editor open"
    _answer_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Save).click())
    editor.close()
    with sqlite_database.uow() as s:
        assert s.get(Community, cid).name == "St Mary's!"


# ----- who saved it, and when -------------------------------------------------------------------
def _last_entry(db, table: str, record_id: int) -> AuditEntry:
    with db.uow() as s:
        return s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == table, AuditEntry.entity_id == record_id)
            .order_by(AuditEntry.id.desc())
        ).first()


def _conflict_text(qtbot, editor) -> dict:
    seen = {}

    def read(dialog):
        seen["title"] = dialog.windowTitle()
        seen["intro"] = dialog.findChild(QLabel, "conflict_intro").text()
        table = dialog.findChild(QWidget, "conflict_table")
        seen["header"] = table.horizontalHeaderItem(2).text()
        dialog.reload_button.click()

    _answer_next_dialog(read)
    assert not editor.save_record()
    return seen


def test_the_conflict_names_who_saved_and_when(qtbot, tmp_path):
    alice_db = open_database(tmp_path / "shared.db", username="alice")
    bob_db = open_database(tmp_path / "shared.db", username="bob")  # another computer
    try:
        cid = _community(alice_db)
        alice = TinyEditor(alice_db, ChangeBus(), cid)
        bob = TinyEditor(bob_db, ChangeBus(), cid)
        for e in (alice, bob):
            qtbot.addWidget(e)
        qtbot.keyClicks(bob.form.fields["contact_phone"].widget, "01632 960001")
        assert bob.save_record()
        entry = _last_entry(alice_db, "communities", cid)
        assert entry.username == "bob"
        qtbot.keyClicks(alice.form.fields["name"].widget, " (Westmoor)")
        seen = _conflict_text(qtbot, alice)
        when = f"{local_time(entry.at):%H:%M on %d/%m/%Y}"
        assert seen["intro"].startswith(f"Saved by bob at {when}, after you opened this community.")
        assert seen["title"] == "bob saved this record" and seen["header"] == "Saved by bob"
        assert alice.form.fields["contact_phone"].widget.text() == "01632 960001"
    finally:
        alice_db.dispose()
        bob_db.dispose()


def test_a_volunteer_conflict_names_who_saved_it(qtbot, small_demo, tmp_path):
    bob_db = open_database(tmp_path / "demo.db", username="bob")  # the small demo's file
    try:
        mine = VolunteerEditor(small_demo, ChangeBus(), 1, today=DEMO_TODAY)
        theirs = VolunteerEditor(bob_db, ChangeBus(), 1, today=DEMO_TODAY)
        for e in (mine, theirs):
            qtbot.addWidget(e)
        qtbot.keyClicks(theirs.form.fields["languages"].widget, ", Welsh")
        assert theirs.save_record()
        entry = _last_entry(small_demo, "volunteers", 1)
        assert entry.username == "bob"
        qtbot.keyClicks(mine.form.fields["badge_name"].widget, "x")
        seen = _conflict_text(qtbot, mine)
        when = f"{local_time(entry.at):%H:%M on %d/%m/%Y}"
        assert seen["intro"].startswith(f"Saved by bob at {when}, after you opened this volunteer.")
        assert mine.form.fields["languages"].widget.text().endswith(", Welsh")
    finally:
        bob_db.dispose()


# ----- the volunteer's training and clearances tabs --------------------------------------------
def _most_renewed(db) -> int:
    """The volunteer with the most training records replaced by a completed renewal."""
    with db.uow() as s:
        renewals = (
            select(TrainingRecord.volunteer_id, func.count().label("n"))
            .where(
                TrainingRecord.renews_id.is_not(None),
                TrainingRecord.status == TrainingStatus.COMPLETED,
            )
            .group_by(TrainingRecord.volunteer_id)
            .order_by(func.count().desc(), TrainingRecord.volunteer_id)
        )
        return s.execute(renewals).first()[0]


def _column(tab, title: str) -> int:
    model = tab.model
    return next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )


def _shown(tab, title: str) -> list[str]:
    column = _column(tab, title)
    return [tab.model.index(r, column).data() for r in range(tab.model.rowCount())]


def test_training_shows_current_records_until_asked_for_replaced_ones(qtbot, small_demo):
    vid = _most_renewed(small_demo)
    with small_demo.uow() as s:
        total = s.scalar(select(func.count()).where(TrainingRecord.volunteer_id == vid))
    editor = VolunteerEditor(small_demo, ChangeBus(), vid, today=DEMO_TODAY)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentWidget(editor.training)
    tab = editor.training
    current = tab.model.rowCount()
    assert 0 < current < total
    assert "Replaced by a renewal" not in _shown(tab, "State")
    assert f"{current} current records" in tab.empty.text()
    assert f"{total - current} replaced by a renewal, hidden" in tab.empty.text()
    assert tab.show_replaced.isVisible() and not tab.show_replaced.isChecked()
    tab.show_replaced.click()
    assert tab.model.rowCount() == total
    assert _shown(tab, "State").count("Replaced by a renewal") == total - current
    tab.show_replaced.click()
    assert tab.model.rowCount() == current


def test_clearances_show_state_and_dates_first_and_dbs_is_re_checked(qtbot, small_demo):
    with small_demo.uow() as s:
        vid = s.scalar(
            select(Clearance.volunteer_id)
            .join(ClearanceType)
            .where(ClearanceType.is_dbs, Clearance.expires_on.is_not(None))
            .order_by(Clearance.volunteer_id)
        )
    editor = VolunteerEditor(small_demo, ChangeBus(), vid, today=DEMO_TODAY)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentWidget(editor.clearances)
    tab = editor.clearances
    table = tab.table
    titles = [
        tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())
    ]
    assert titles[:4] == ["Clearance", "State", "Expires", "Granted"]
    assert titles.index("Reference") > titles.index("Granted")
    assert titles.index("Establishment") > titles.index("Granted")
    width = table.viewport().width()
    for title in ("Clearance", "State", "Expires", "Granted"):
        column = _column(tab, title)
        right = table.columnViewportPosition(column) + table.columnWidth(column)
        assert table.columnViewportPosition(column) >= 0 and right <= width, title
    types, expires = _shown(tab, "Clearance"), _shown(tab, "Expires")
    dbs = [e for t, e in zip(types, expires, strict=True) if t.startswith("DBS") and e]
    others = [e for t, e in zip(types, expires, strict=True) if not t.startswith("DBS") and e]
    assert dbs and all(e.startswith("Re-check due ") for e in dbs)
    assert all(e[:2].isdigit() for e in others)


def test_add_training_opens_the_dialog_with_the_editors_date(qtbot, small_demo):
    later = date(2027, 3, 1)
    editor = VolunteerEditor(small_demo, ChangeBus(), 1, today=later)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentWidget(editor.training)
    seen = {}

    def look():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, TrainingDialog) and widget.isVisible():
                seen["today"] = widget.today
                widget.close()
                return
        QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)
    editor.training.buttons["Add"].click()
    assert seen["today"] == later


# ----- the window fits the screen ------------------------------------------------------------------
def test_the_editor_fits_a_small_screen(qtbot, small_demo, monkeypatch):
    # 1920x1080 at 200% scaling: 960x540 logical pixels
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 960, 540))
    editor = VolunteerEditor(small_demo, ChangeBus(), 1, today=DEMO_TODAY)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.width() <= 940 and editor.height() <= 500
    hint = editor.minimumSizeHint()
    assert hint.width() <= 940 and hint.height() <= 500
    assert editor.save_button.isVisible()
