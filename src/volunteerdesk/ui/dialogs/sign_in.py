"""Sign in to a shared (PostgreSQL) database: a login name and password, asked once.

``ask_credentials`` returns ``(username, password)`` or None when the person cancels.
Keeping the password in the keyring is ``core.credentials``' job; the caller does it
after the server accepted the login.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)


class SignInDialog(QDialog):
    def __init__(
        self, server_description: str, username_default: str = "", message: str = "", parent=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in - VolunteerDesk")
        self.setAccessibleName("Sign in")
        intro = QLabel(f"Sign in to the shared database <b>{_escape(server_description)}</b>.")
        intro.setWordWrap(True)
        intro.setAccessibleName(f"Sign in to {server_description}")
        self.message = QLabel(message)
        self.message.setObjectName("errorText")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sign-in problem")
        self.message.setVisible(bool(message))
        self.username = QLineEdit(username_default)
        self.username.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        form = QFormLayout()
        form.addRow("&User name", self.username)
        form.addRow("&Password", self.password)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            label.setBuddy(form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget())
        hint = QLabel(
            "Your database administrator gives you this login. The password is kept in "
            "this computer's keyring, so you are asked only once."
        )
        hint.setObjectName("note")
        hint.setWordWrap(True)
        hint.setAccessibleName("About signing in")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Sign in")
        self.ok.setAccessibleName("Sign in")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.username.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        (self.password if username_default else self.username).setFocus()
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.username.text().strip()))

    def credentials(self) -> tuple[str, str]:
        return self.username.text().strip(), self.password.text()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ask_credentials(
    parent, server_description: str, username_default: str = "", message: str = ""
) -> tuple[str, str] | None:
    """Ask for a login and password (``message``: why asked again, e.g. a refused
    password); None when cancelled."""
    dialog = SignInDialog(server_description, username_default, message, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.credentials()
