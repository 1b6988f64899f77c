"""Start the desktop application: open the database, show the main window, run."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

STARTUP_MARK_ENV = "VOLUNTEERDESK_STARTUP_MARK"
QUIT_AFTER_ENV = "VOLUNTEERDESK_QUIT_AFTER_MS"


def _quit_after_ms() -> int | None:
    value = os.environ.get(QUIT_AFTER_ENV, "").strip()
    try:
        return max(0, int(value)) if value else None
    except ValueError:
        return None


def load_bundled_fonts() -> int:
    """Register the fonts shipped in resources/fonts, so names in Arabic, Gurmukhi and
    Devanagari script show on machines that lack such fonts. Returns how many loaded."""
    from PySide6.QtGui import QFontDatabase

    from ..core.paths import resources_dir

    loaded = 0
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(path)) != -1:
            loaded += 1
    return loaded


def run(db_target: str | None, argv: list[str] | None = None) -> int:
    """Run the GUI on ``db_target`` (a path, a URL, or None for the default database)."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("VolunteerDesk")
    app.setOrganizationName("VolunteerDesk")
    app.setApplicationDisplayName("VolunteerDesk")
    load_bundled_fonts()
    quit_after = _quit_after_ms()

    from ..core.db import DatabaseError, open_database

    try:
        db = open_database(db_target)
    except DatabaseError as exc:
        print(f"VolunteerDesk: {exc}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, "VolunteerDesk", str(exc))
        box.setAccessibleName("Cannot open the database")
        if quit_after is not None:
            QTimer.singleShot(quit_after, box.reject)
        box.exec()
        return 2

    from .main_window import MainWindow

    window = MainWindow(db)
    if os.environ.get(STARTUP_MARK_ENV):
        first = window.pages[0]

        def mark() -> None:
            first.data_shown.disconnect(mark)
            print(f"STARTUP-READY {time.perf_counter()}", flush=True)

        first.data_shown.connect(mark)
    window.show()
    if quit_after is not None:
        QTimer.singleShot(quit_after, app.quit)
    try:
        return app.exec()
    finally:
        window.close()
        window.ops.shutdown()
        db.dispose()
