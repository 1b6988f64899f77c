"""The main window's wiring: opening records asked for by pages, backups, closing safely."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select
from window_helpers import DEMO_TODAY, open_window

from volunteerdesk.core.backup import list_backups
from volunteerdesk.core.models import Shift, Volunteer
from volunteerdesk.ui.editors.base import RecordEditor
from volunteerdesk.ui.pages.rota import RotaPage


def test_a_page_can_open_a_volunteer_and_a_shift(qtbot, small_demo):
    win = open_window(qtbot, small_demo, today=DEMO_TODAY)
    with small_demo.uow() as s:
        vid = s.scalars(select(Volunteer.id).where(Volunteer.last_name == "Evans")).first()
        shift = s.scalars(select(Shift).order_by(Shift.date.desc())).first()
        shift_id, shift_date = shift.id, shift.date
    win.pages[0].open_record.emit("volunteer", vid)
    editors = [e for e in win.findChildren(RecordEditor) if e.isVisible()]
    assert len(editors) == 1 and editors[0].record_id == vid
    editors[0].close()
    win.pages[0].open_record.emit("shift", shift_id)
    rota = win.page(RotaPage)
    assert win.stack.currentWidget() is rota
    assert rota.week_start <= shift_date


def test_closing_the_window_asks_about_an_unsaved_editor(qtbot, small_demo):
    win = open_window(qtbot, small_demo, today=DEMO_TODAY)
    with small_demo.uow() as s:
        vid = s.scalars(select(Volunteer.id)).first()
    win.pages[0].open_record.emit("volunteer", vid)
    editor = next(e for e in win.findChildren(RecordEditor) if e.isVisible())
    qtbot.keyClicks(editor.form.fields["notes"].widget, "Prefers mornings.")
    assert editor.form.is_dirty

    def cancel():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            QTimer.singleShot(20, cancel)

    QTimer.singleShot(20, cancel)
    win.close()
    assert win.isVisible() and editor.isVisible(), "Cancel keeps the window and the editor"
    editor.form.mark_saved()  # let the test's teardown close without asking


def test_back_up_now_from_the_window(qtbot, small_demo):
    win = open_window(qtbot, small_demo, today=DEMO_TODAY)
    before = len(list_backups())
    win.backups.now()
    qtbot.waitUntil(lambda: len(list_backups()) == before + 1)
    qtbot.waitUntil(lambda: "Backed up to" in win.backups.last_message)


def test_file_import_then_edit_undo_takes_it_back(qtbot, small_demo, tmp_path, monkeypatch):
    """The wizard opens from the File menu; Edit > Undo the last import removes the people."""
    from sqlalchemy import func, select

    from volunteerdesk.core.models import Volunteer
    from volunteerdesk.ui import import_wizard

    path = tmp_path / "people.csv"
    path.write_text("First name,Surname,Email\nImogen,Quayle,imogen@example.org\n")
    monkeypatch.setattr(import_wizard, "ask_open_path", lambda _parent: str(path))

    def people() -> int:
        with small_demo.uow() as s:
            return s.scalar(select(func.count()).select_from(Volunteer))

    before = people()
    win = open_window(qtbot, small_demo)
    assert not win.undo_import_action.isEnabled()
    wizard = win.open_import()
    qtbot.mouseClick(wizard.file_page.choose, Qt.MouseButton.LeftButton)
    for page in (1, 2, 3, 4):  # columns, preview, confirm, report
        qtbot.waitUntil(lambda: wizard.next_button.isEnabled())
        qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda page=page: wizard.page == page)
    qtbot.waitUntil(lambda: people() == before + 1)
    qtbot.waitUntil(lambda: win.undo_import_action.isEnabled())
    assert "people.csv" in win.undo_import_action.text()
    wizard.close()

    win.undo_last_import(confirm=False)
    qtbot.waitUntil(lambda: "undone" in win.statusBar().currentMessage())
    assert people() == before
    assert not win.undo_import_action.isEnabled()  # never twice
