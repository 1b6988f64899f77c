"""Ask for a database passphrase, or have the user choose a new one (typed twice)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

MIN_LENGTH = 8


def strength(passphrase: str) -> str:
    """A plain-words hint: a long passphrase of several words beats a short clever one."""
    length = len(passphrase)
    kinds = sum(
        any(test(c) for c in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    if length < MIN_LENGTH:
        return f"Too short: use at least {MIN_LENGTH} characters (12 or more is better)."
    if length < 12 and kinds < 3:
        return "Weak: make it longer, for example three or four unrelated words."
    if length < 16:
        return "Fair: a few more characters or another word would make it strong."
    return "Strong."


class PassphraseDialog(QDialog):
    """Enter the passphrase of ``database_name``; with ``new``, choose one (twice)."""

    def __init__(
        self,
        database_name: str,
        *,
        new: bool = False,
        error: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.new = new
        self.setWindowTitle("Choose a passphrase" if new else "Passphrase needed")
        self.setAccessibleName(self.windowTitle())
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        if new:
            intro = (
                f"<b>{database_name}</b> will be encrypted. This computer has no keyring to "
                "keep its key, so choose a passphrase: you will be asked for it each time "
                "VolunteerDesk starts."
            )
        else:
            intro = (
                f"<b>{database_name}</b> is encrypted. Type its passphrase, or its recovery "
                "key, to open it."
            )
        self.intro = self._label(intro, "About this passphrase")
        layout.addWidget(self.intro)
        self.error = self._label(error or "", "Problem")
        self.error.setObjectName("errorText")
        self.error.setVisible(bool(error))
        layout.addWidget(self.error)

        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        form.addRow("&Passphrase:", self.passphrase)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("The same passphrase again")
        self.hint = self._label("", "Passphrase strength")
        if new:
            form.addRow("&Again:", self.again)
            form.addRow("", self.hint)
        else:
            self.again.hide()
            self.hint.hide()
        layout.addLayout(form)
        self.show_text = QCheckBox("&Show what I type")
        self.show_text.setAccessibleName("Show what I type")
        self.show_text.toggled.connect(self._show)
        layout.addWidget(self.show_text)
        if new:
            layout.addWidget(
                self._label(
                    "<b>Write it down and keep it somewhere safe: without it the data "
                    "cannot be recovered.</b> Nobody, including VolunteerDesk's authors, "
                    "can reset it.",
                    "Warning",
                )
            )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Set passphrase" if new else "&Open")
        self.ok.setAccessibleName(self.ok.text().replace("&", ""))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.passphrase.textChanged.connect(self._check)
        self.again.textChanged.connect(self._check)
        self.setTabOrder(self.passphrase, self.again)
        self.setTabOrder(self.again, self.show_text)
        self.setTabOrder(self.show_text, self.ok)
        self.setTabOrder(self.ok, cancel)
        self.passphrase.setFocus()
        self._check()

    @staticmethod
    def _label(text: str, name: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setAccessibleName(name)
        return label

    def _show(self, on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.again.setEchoMode(mode)

    def _check(self) -> None:
        text = self.passphrase.text()
        if not self.new:
            self.ok.setEnabled(bool(text))
            return
        hint = strength(text) if text else f"At least {MIN_LENGTH} characters."
        if text and self.again.text() and self.again.text() != text:
            hint += " The two passphrases differ."
        self.hint.setText(hint)
        self.ok.setEnabled(len(text) >= MIN_LENGTH and self.again.text() == text)

    def value(self) -> str:
        return self.passphrase.text()


def ask_passphrase(
    parent: QWidget | None,
    database_name: str,
    *,
    new: bool = False,
    error: str | None = None,
) -> str | None:
    """The passphrase typed, or None when the user cancelled."""
    dialog = PassphraseDialog(database_name, new=new, error=error, parent=parent)
    try:
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
