"""Start-up on a shared server: a kept password is used; a refused login asks again."""

from __future__ import annotations

import pytest

from volunteerdesk.core import secrets
from volunteerdesk.core.credentials import load_password, store_password
from volunteerdesk.core.db import DatabaseError
from volunteerdesk.ui import startup
from volunteerdesk.ui.main_window import MainWindow

URL = "postgresql+psycopg://pat@db.example.org:5432/volunteers"


@pytest.fixture
def store():
    kept = secrets.MemoryStore()
    secrets.set_default_store(kept)
    yield kept
    secrets.set_default_store(None)


def test_a_kept_password_goes_into_the_server_url(store):
    assert startup.with_kept_password(URL) == URL  # nothing kept: as given
    store_password(URL, "pat", "s3cret pass")
    from sqlalchemy.engine import make_url

    filled = make_url(startup.with_kept_password(URL))
    assert (filled.username, filled.password, filled.host) == (
        "pat",
        "s3cret pass",
        "db.example.org",
    )
    assert startup.with_kept_password("/home/pat/volunteers.db") == "/home/pat/volunteers.db"


def test_a_refused_login_asks_then_keeps_the_password_the_server_took(
    qtbot, store, small_demo, monkeypatch
):
    tried = []

    def fake_open(target, passphrase=None):
        tried.append(target)
        if ":right@" not in target:
            raise DatabaseError('password authentication failed for user "pat"')
        return small_demo

    asked = []
    answers = iter([("pat", "wrong"), ("pat", "right")])
    monkeypatch.setattr(startup, "_open", fake_open)
    monkeypatch.setattr(
        "volunteerdesk.ui.dialogs.sign_in.ask_credentials",
        lambda parent, where, login, message: (
            asked.append((where, login, message)) or next(answers)
        ),
    )
    window = MainWindow(None, offer_demo=False)
    qtbot.addWidget(window)
    starter = startup.Starter(window, URL)
    starter.start()
    qtbot.waitUntil(lambda: window.db is small_demo)
    assert asked[0] == ("volunteers on db.example.org", "pat", "")
    assert asked[1][2] == "The server did not accept that login."  # said why it asks again
    assert load_password(URL, "pat") == "right"  # kept only once the server accepted it
    assert len(tried) == 3
