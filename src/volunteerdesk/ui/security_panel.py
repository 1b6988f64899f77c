"""Settings > Security: whether the database file is encrypted, and the actions on it:
encrypt it, change its passphrase (or move its key to the keyring), export its recovery
key. The work runs on the database worker, which closes and reopens the connections."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import encryption
from ..core.db import Database
from ..core.secrets import default_store
from .dialogs.passphrase import ask_passphrase
from .ops import Ops


def _confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setAccessibleName(title)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go


def _choose_file(parent: QWidget, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save the recovery key", suggested, "Text files (*.txt)"
    )
    return path


class SecurityPanel(QWidget):
    """Encryption at rest for the open database. ``ask``, ``confirm`` and ``choose_file``
    are the dialogs it uses (replaceable, e.g. in tests)."""

    finished = Signal(str)  # the message shown after an action (or an error)

    def __init__(self, db: Database, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.ops = db, ops
        self.ask = ask_passphrase
        self.confirm = _confirm
        self.choose_file = _choose_file
        self.setAccessibleName("Security")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Security")
        title.setObjectName("sectionHeading")
        title.setAccessibleName("Security")
        layout.addWidget(title)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Encryption status")
        layout.addWidget(self.state)
        buttons = QHBoxLayout()
        self.encrypt_button = self._button("&Encrypt this database…", self.encrypt)
        self.change_button = self._button("Change &passphrase…", self.change_passphrase)
        self.keyring_button = self._button("Keep the key in the &keyring", self.use_keyring)
        self.recovery_button = self._button("Export &recovery key…", self.export_recovery)
        for button in (
            self.encrypt_button,
            self.change_button,
            self.keyring_button,
            self.recovery_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Result")
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.refresh()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    # -- state ---------------------------------------------------------------------

    def refresh(self) -> None:
        path = self.db.path if self.db.is_sqlite else None
        store = default_store()
        self._keyring = bool(getattr(store, "available", False))
        if path is None:
            text = (
                "This is a shared server database: the server protects its data (disk "
                "encryption and TLS are set up by whoever runs it)."
            )
            encrypted = in_keyring = False
        else:
            encrypted = self.db.encrypted
            in_keyring = encrypted and bool(store.get(encryption.account(path)))
            if not encrypted:
                text = (
                    "Not encrypted: anyone who can copy this file can read it. Encrypt it "
                    "to protect faith, vetting and contact details at rest."
                )
            elif in_keyring:
                text = (
                    "Encrypted. Its key is kept in this computer's keyring, so nothing is "
                    "asked at start. Export the recovery key to open it on another computer."
                )
            else:
                text = (
                    "Encrypted with a passphrase, which is asked for each time VolunteerDesk "
                    "starts."
                )
        self.state.setText(text)
        sqlite = path is not None
        self.encrypt_button.setVisible(sqlite and not encrypted)
        self.change_button.setVisible(encrypted)
        self.keyring_button.setVisible(encrypted and not in_keyring and self._keyring)
        self.recovery_button.setVisible(encrypted)

    def _busy(self, on: bool) -> None:
        for button in (
            self.encrypt_button,
            self.change_button,
            self.keyring_button,
            self.recovery_button,
        ):
            button.setEnabled(not on)
        if on:
            self.message.setText("Working… the database is closed and reopened.")

    def _done(self, text: str) -> None:
        self._busy(False)
        self.refresh()
        self.message.setText(text)
        self.finished.emit(text)

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.refresh()
        text = f"Not done: {error}"
        self.message.setText(text)
        self.finished.emit(text)

    # -- actions -------------------------------------------------------------------

    def encrypt(self) -> None:
        path = self.db.path
        if path is None or self.db.encrypted:
            return
        how = (
            "Its key will be kept in this computer's keyring."
            if self._keyring
            else "This computer has no keyring: you will choose a passphrase next."
        )
        if not self.confirm(
            self,
            "Encrypt this database",
            f"Encrypt {path.name}? Every record is kept. {how} Other windows of "
            "VolunteerDesk on this file must be closed first.",
            "Encrypt",
        ):
            return
        passphrase = None
        if not self._keyring:
            passphrase = self.ask(self, path.name, new=True)
            if passphrase is None:
                return
        db = self.db

        def work():
            from ..core.settings import load_settings

            with db.uow() as session:
                folder = load_settings(session).backup_folder or None
            db.engine.dispose()
            try:
                result = encryption.convert_to_encrypted(
                    path, default_store(), passphrase, backups_folder=folder
                )
            except BaseException:
                db.reopen(None)
                raise
            db.reopen(result.key)
            return result

        self._busy(True)
        self.ops.run(work, self._encrypted, self._failed)

    def _encrypted(self, result) -> None:
        text = "Encrypted. Export the recovery key now and keep it somewhere safe."
        if result.plain_backups:
            text += (
                f" {len(result.plain_backups)} older backups are not encrypted: delete them "
                f"after the next backup (in {result.plain_backups[0].parent})."
            )
        self._done(text)

    def change_passphrase(self) -> None:
        path = self.db.path
        if path is None or not self.db.encrypted:
            return
        new = self.ask(self, path.name, new=True)
        if new is None:
            return
        self._rekey(new, "Passphrase changed. It is asked for each time VolunteerDesk starts.")

    def use_keyring(self) -> None:
        self._rekey(None, "The key is now kept in this computer's keyring.")

    def _rekey(self, new: str | None, done_text: str) -> None:
        db, path = self.db, self.db.path

        def work():
            current = db.key
            db.engine.dispose()
            try:
                key = encryption.change_passphrase(path, new, current=current)
            except BaseException:
                db.reopen(current)
                raise
            db.reopen(key)

        self._busy(True)
        self.ops.run(work, lambda _: self._done(done_text), self._failed)

    def export_recovery(self) -> None:
        path = self.db.path
        if path is None or not self.db.encrypted:
            return
        suggested = str(Path.home() / f"{path.stem}-recovery-key.txt")
        target = self.choose_file(self, suggested)
        if not target:
            return
        key = self.db.key

        def work():
            text = encryption.export_recovery_key(path, key=key)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(
                    f"VolunteerDesk recovery key for {path}\n{text}\n"
                    "It opens the database wherever the file goes: type it where the "
                    "passphrase is asked for. Anyone holding it can read the database.\n"
                )
            return target

        self._busy(True)
        self.ops.run(
            work,
            lambda saved: self._done(
                f"Recovery key saved to {saved}. Print it or copy it somewhere safe, then "
                "delete the file."
            ),
            self._failed,
        )
