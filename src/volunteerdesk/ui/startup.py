"""Start-up: the window first, then the database, opened while the window is on screen.

Importing SQLAlchemy, checking the file, running migrations and reading the first page
take most of a start. The window does not wait for them: it shows at once ("Opening the
database…"), the opening runs on the window's worker, and the window takes the database
when it is open. A passphrase, a wrong passphrase, or a database that cannot be opened
are handled here, with the window as the parent of every question.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

TRIES = 3
# Imported on the worker while the database opens, so the GUI thread does not have to.
PREFETCH = ("volunteerdesk.ui.pages.dashboard", "volunteerdesk.core.services.dashboard")


def with_kept_password(target):
    """A server URL with no password gets the one kept in the keyring for its login."""
    if not target or "://" not in str(target):
        return target
    from sqlalchemy.engine import make_url

    from ..core.credentials import connect_url_with_credentials, load_password, needs_credentials
    from ..core.db import _os_user

    url = make_url(str(target))
    if not needs_credentials(str(target)) or url.password:
        return target
    login = url.username or _os_user()
    password = load_password(str(target), login)
    return connect_url_with_credentials(str(target), login, password) if password else target


def _refused_login(error: BaseException) -> bool:
    text = str(error).lower()
    return "password" in text or "authentication" in text


def _open(target, passphrase: str | None = None):
    from ..core.db import open_database

    target = with_kept_password(target)
    db = open_database(target, passphrase=passphrase) if passphrase else open_database(target)
    for module in PREFETCH:
        importlib.import_module(module)
    return db


class Starter(QObject):
    """Opens ``target`` for ``window``; ``failed(status)`` when the program should end."""

    failed = Signal(int)

    def __init__(self, window, target, ask: Callable | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.target = target
        self.tries = 0
        self.sign_ins = 0
        self._ask = ask
        self._signed_in: tuple[str, str] | None = None  # kept once the server accepts it
        self.error_box: QMessageBox | None = None

    def start(self, passphrase: str | None = None) -> None:
        target = self.target
        if self._signed_in is not None:
            from ..core.credentials import connect_url_with_credentials

            target = connect_url_with_credentials(str(self.target), *self._signed_in)
        self.window.ops.run(lambda: _open(target, passphrase), self._opened, self._failed)

    def _opened(self, db) -> None:
        if self._signed_in is not None:  # the server took it: keep it in the keyring
            from ..core.credentials import store_password

            store_password(str(self.target), *self._signed_in)
        self.window.attach(db)

    def _failed(self, error: BaseException) -> None:
        from ..core.db import DatabaseError, PassphraseRequired, WrongKeyError

        server = self.target and "://" in str(self.target) and "sqlite" not in str(self.target)
        if server and _refused_login(error) and self.sign_ins < TRIES:
            self._sign_in(error)
        elif isinstance(error, PassphraseRequired):
            self._ask_passphrase(error, None)
        elif isinstance(error, WrongKeyError) and self.tries and self.tries < TRIES:
            left = TRIES - self.tries
            again = PassphraseRequired(error.path)
            self._ask_passphrase(
                again,
                f"That passphrase is not right. {left} {'try' if left == 1 else 'tries'} "
                "left; nothing was changed.",
            )
        elif isinstance(error, DatabaseError):
            self._cannot_open(str(error))
        else:
            self._cannot_open(f"VolunteerDesk could not open the database: {error}")

    def _sign_in(self, error: BaseException) -> None:
        """A shared server refused (or needs) a password: ask for the login, and try again."""
        from sqlalchemy.engine import make_url

        from ..core.credentials import forget_password
        from .dialogs.sign_in import ask_credentials

        url = make_url(str(self.target))
        login = self._signed_in[0] if self._signed_in else (url.username or "")
        if self.sign_ins == 0 and login:
            forget_password(str(self.target), login)  # a kept password that no longer works
        message = "" if self.sign_ins == 0 else "The server did not accept that login."
        where = f"{url.database} on {url.host or 'localhost'}"
        given = ask_credentials(self.window, where, login, message)
        if given is None:
            self.failed.emit(0)
            return
        self.sign_ins += 1
        self._signed_in = given
        self.start()

    def _ask_passphrase(self, needed, error: str | None) -> None:
        ask = self._ask
        if ask is None:
            from .dialogs.passphrase import ask_passphrase as ask
        if error is None and "keyring does not open" in str(needed):
            error = "The key kept in this computer's keyring does not open it."
        given = ask(self.window, str(needed.path), new=needed.new, error=error)
        if given is None:
            self.failed.emit(0)  # the person chose not to open it: a quiet end
            return
        self.tries += 1
        self.start(given)

    def _cannot_open(self, message: str) -> None:
        print(f"VolunteerDesk: {message}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, "VolunteerDesk", message)
        box.setAccessibleName("Cannot open the database")
        box.setParent(self.window, box.windowFlags())
        box.finished.connect(lambda _r: self.failed.emit(2))
        self.error_box = box
        box.open()


def quit_with(app: QApplication, status: int) -> None:
    app.exit(status)
