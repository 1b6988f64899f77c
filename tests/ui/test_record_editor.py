"""The record editor base: Save only when valid and changed, prompts, undo and conflicts.

Driven through a tiny editor of a community's name and phone, built on the same base
as every real editor.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from volunteerdesk.core import audit
from volunteerdesk.core.changes import Changes
from volunteerdesk.core.models import Community, CommunityKind
from volunteerdesk.core.services import editing
from volunteerdesk.core.validation import check_uk_phone
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs.conflict import ConflictDialog
from volunteerdesk.ui.editors.base import Loaded, RecordEditor, Saved


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
            session, Community, self.record_id, version, changed, "tester", opened=opened
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
