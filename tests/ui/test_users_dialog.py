"""Users and roles window, the user editor and the sign-in dialog, driven as a person would."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from volunteerdesk.core.models import Site, User, UserRole
from volunteerdesk.core.services import users
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs.sign_in import SignInDialog, ask_credentials
from volunteerdesk.ui.dialogs.users import UserEditor, UsersDialog
from volunteerdesk.ui.ops import Ops


def _dialog(qtbot, db) -> UsersDialog:
    dialog = UsersDialog(db, Ops(), ChangeBus())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.status.text() != "Loading...")
    return dialog


def _answer_next(choose):
    def answer():
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, QMessageBox | SignInDialog):
                choose(widget)
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def _cells(dialog, column):
    return [dialog.model.index(r, column).data() for r in range(dialog.model.rowCount())]


def test_add_a_coordinator_for_one_site(qtbot, small_demo):
    dialog = _dialog(qtbot, small_demo)
    assert _cells(dialog, 0) == ["tester"]
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = dialog.editors[-1]
    assert isinstance(editor, UserEditor) and not editor.save_button.isEnabled()
    qtbot.keyClicks(editor.form.fields["username"].widget, "cora")
    qtbot.keyClicks(editor.form.fields["display_name"].widget, "Cora Lee")
    assert editor.sites.isEnabled()  # a coordinator (the default) has sites
    editor.sites.item(0).setCheckState(Qt.CheckState.Checked)
    site_name = editor.sites.item(0).text()
    assert editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.status.text() == "Saved."
    qtbot.waitUntil(lambda: "cora" in _cells(dialog, 0))
    row = _cells(dialog, 0).index("cora")
    assert dialog.model.index(row, 2).data() == "Coordinator"
    assert dialog.model.index(row, 3).data() == site_name
    with small_demo.uow() as s:
        cora = s.scalar(select(User).where(User.username == "cora"))
        assert [site.name for site in cora.sites] == [site_name]


def test_a_refused_save_says_why(qtbot, small_demo):
    dialog = _dialog(qtbot, small_demo)
    editor = dialog.open_editor(None)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.form.fields["username"].widget, "nosites")
    assert not editor.save_record()  # a coordinator with no site
    assert "at least one site" in editor.status.text()
    role = editor.form.fields["role"].widget
    role.setCurrentIndex(role.findData(UserRole.READ_ONLY))
    role.activated.emit(role.currentIndex())
    assert not editor.sites.isEnabled() and "rotas" in editor.role_help.text()
    assert editor.save_record()


def test_deactivate_after_confirming_and_reactivate(qtbot, small_demo):
    with small_demo.uow() as s:
        users.create_user(s, "tester", {"username": "rita", "role": UserRole.READ_ONLY})
    dialog = _dialog(qtbot, small_demo)
    dialog.table.selectRow(_cells(dialog, 0).index("rita"))
    assert dialog.active_button.text() == "&Deactivate"
    _answer_next(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Deactivated" in _cells(dialog, 4))
    dialog.table.selectRow(_cells(dialog, 4).index("Deactivated"))
    assert dialog.active_button.text() == "Re&activate"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Deactivated" not in _cells(dialog, 4))


def test_the_last_administrator_cannot_be_deactivated(qtbot, small_demo):
    dialog = _dialog(qtbot, small_demo)
    dialog.table.selectRow(0)
    _answer_next(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "last active administrator" in dialog.status.text())


def test_others_are_refused_and_see_why(qtbot, small_demo):
    with small_demo.uow() as s:
        site = s.scalars(select(Site.id)).first()
        users.create_user(s, "tester", {"username": "cora", "role": UserRole.COORDINATOR},
                          [site])  # fmt: skip
    small_demo.username = "cora"
    dialog = _dialog(qtbot, small_demo)
    assert "Only an administrator can manage users" in dialog.status.text()
    assert not dialog.add_button.isEnabled() and not dialog.edit_button.isEnabled()
    assert dialog.open_editor(None) is None


def test_sign_in_returns_what_was_typed_or_none(qtbot):
    def fill(dialog):
        dialog.password.setText("s3cret pass")
        dialog.ok.click()

    _answer_next(fill)
    assert ask_credentials(None, "volunteers on db.example", "cora") == ("cora", "s3cret pass")
    _answer_next(lambda dialog: dialog.reject())
    assert ask_credentials(None, "volunteers on db.example", "cora") is None
    dialog = SignInDialog("x", "", "The server refused that password.")
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled() and not dialog.message.isHidden()
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
