"""Automatic and manual backups from the window: daily, on close, and "Back up now"."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core.backup import BackupError, backup_now, latest_backup_time
from ..core.db import Database
from ..core.settings import load_settings
from .ops import Ops

DAY = timedelta(days=1)


class Backups(QObject):
    """Takes backups of a file database off the GUI thread; a shared server is skipped."""

    def __init__(self, db: Database, ops: Ops, window: QWidget):
        super().__init__(window)
        self.db, self.ops, self.window = db, ops, window
        self.last_message = ""
        self._timer = QTimer(self)
        self._timer.setInterval(60 * 60 * 1000)  # look once an hour
        self._timer.timeout.connect(self.daily)

    @property
    def enabled(self) -> bool:
        return self.db.is_sqlite

    def start(self) -> None:
        if self.enabled:
            QTimer.singleShot(10_000, self.daily)
            self._timer.start()

    def _settings(self):
        with self.db.uow() as session:
            s = load_settings(session)
        return (s.backup_folder or None), s.backups_to_keep

    def _take(self):
        folder, keep = self._settings()
        return backup_now(self.db, folder, keep)

    def daily(self) -> None:
        """Back up if the newest backup is more than a day old."""
        if not self.enabled:
            return

        def maybe():
            folder, keep = self._settings()
            last = latest_backup_time(folder)
            if last is not None and datetime.now() - last < DAY:
                return None
            return backup_now(self.db, folder, keep)

        self.ops.run(maybe, self._done, self._failed)

    def now(self) -> None:
        """The Back up now action."""
        if not self.enabled:
            QMessageBox.information(
                self.window,
                "Back up",
                "This is a shared server database: its backups are made on the server.",
            )
            return
        self.ops.run(self._take, self._done, self._failed)

    def on_close(self) -> str:
        """A backup as the window closes (quick: SQLite's online backup of one file)."""
        if not self.enabled:
            return ""
        try:
            path = self._take()
        except BackupError as exc:
            self.last_message = str(exc)
            return self.last_message
        self.last_message = f"Backed up to {path}"
        return self.last_message

    def _done(self, path) -> None:
        if path is not None:
            self.last_message = f"Backed up to {path}"
            self.window.statusBar().showMessage(self.last_message, 8000)

    def _failed(self, error: BaseException) -> None:
        self.last_message = str(error)
        QMessageBox.warning(self.window, "Backup failed", str(error))
