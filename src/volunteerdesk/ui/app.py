"""Start the desktop application: open the database, show the main window, run."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

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


TRIES = 3


class Cancelled(Exception):
    """The user chose not to give a passphrase: quit quietly."""


def open_with_passphrase(db_target: str | None, ask=None):
    """Open the database, asking for its passphrase when it needs one (up to three tries,
    each wrong one said so). Raises Cancelled when the user cancels, DatabaseError when it
    cannot be opened."""
    from ..core.db import PassphraseRequired, WrongKeyError, open_database

    try:
        return open_database(db_target)
    except PassphraseRequired as exc:
        needed = exc
    if ask is None:
        from .dialogs.passphrase import ask_passphrase as ask
    error = None
    if "keyring does not open" in str(needed):
        error = "The key kept in this computer's keyring does not open it."
    for attempt in range(TRIES):
        given = ask(None, str(needed.path), new=needed.new, error=error)
        if given is None:
            raise Cancelled
        try:
            return open_database(db_target, passphrase=given)
        except WrongKeyError:
            left = TRIES - attempt - 1
            if left == 0:
                raise
            error = (
                f"That passphrase is not right. {left} {'try' if left == 1 else 'tries'} "
                "left; nothing was changed."
            )
    raise Cancelled  # pragma: no cover - the loop returns or raises


def run(db_target: str | None, argv: list[str] | None = None) -> int:
    """Run the GUI on ``db_target`` (a path, a URL, or None for the default database).

    The window shows first; the database opens on its worker meanwhile (ui/startup.py),
    asking for a passphrase when it needs one. Exit status 2 when it cannot be opened.
    """
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("VolunteerDesk")
    app.setOrganizationName("VolunteerDesk")
    app.setApplicationDisplayName("VolunteerDesk")
    app.setDesktopFileName("volunteerdesk")  # the .desktop file and icon on Linux
    _set_icon(app)
    load_bundled_fonts()
    quit_after = _quit_after_ms()

    from .main_window import MainWindow
    from .startup import Starter

    window = MainWindow(None)
    starter = Starter(window, db_target)
    starter.failed.connect(app.exit)
    if os.environ.get(STARTUP_MARK_ENV):
        _mark_start(window)
    window.show()
    QTimer.singleShot(0, starter.start)
    if quit_after is not None:

        def stop() -> None:
            if starter.error_box is not None:  # tell the failure (exit 2), then go
                starter.error_box.done(0)
            elif window.db is None or not window.current_page.is_loaded:
                QTimer.singleShot(50, stop)  # still starting: quit once it has started
            else:
                app.quit()

        QTimer.singleShot(quit_after, stop)
    try:
        return app.exec()
    finally:
        window.close()
        window.ops.shutdown()
        if window.db is not None:
            window.db.dispose()


def _set_icon(app: QApplication) -> None:
    from PySide6.QtGui import QIcon

    from ..core.paths import resources_dir

    icon = resources_dir() / "icons" / "volunteerdesk.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def _mark_start(window) -> None:
    """For bench/run.py: when the window is on screen, and when its first page shows data."""

    def shown() -> None:
        print(f"WINDOW-SHOWN {time.perf_counter()}", flush=True)

    def attached() -> None:
        page = window.current_page

        def ready() -> None:
            page.data_shown.disconnect(ready)
            print(f"STARTUP-READY {time.perf_counter()}", flush=True)

        page.data_shown.connect(ready)

    QTimer.singleShot(0, shown)
    window.attached.connect(attached)
