"""The passphrase dialog, asking at start, and Settings > Security on the small demo."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from volunteerdesk.core import secrets as secrets_module
from volunteerdesk.core.db import WrongKeyError, open_database
from volunteerdesk.core.encryption import PASSPHRASE_ENV, account, is_encrypted
from volunteerdesk.core.models import Volunteer
from volunteerdesk.core.secrets import MemoryStore, NoStore
from volunteerdesk.ui import app
from volunteerdesk.ui.dialogs.passphrase import PassphraseDialog, ask_passphrase
from volunteerdesk.ui.ops import Ops
from volunteerdesk.ui.security_panel import SecurityPanel

SHOTS = os.environ.get("VD_SHOTS")  # a folder: save screenshots there to look at


def shot(widget, name: str) -> None:
    if SHOTS:
        from volunteerdesk.ui.style import STYLE_SHEET

        widget.setStyleSheet(STYLE_SHEET)
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture(autouse=True)
def store(monkeypatch):
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    memory = MemoryStore()
    secrets_module.set_default_store(memory)
    yield memory
    secrets_module.set_default_store(None)


def test_new_passphrase_must_be_long_enough_and_typed_twice(qtbot):
    dialog = PassphraseDialog("volunteerdesk.db", new=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.passphrase, "short")
    assert "Too short" in dialog.hint.text()
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, "heron kettle quarry lamp")
    assert dialog.hint.text() == "Strong."
    qtbot.keyClicks(dialog.again, "heron kettle")
    assert "differ" in dialog.hint.text() and not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.again, " quarry lamp")
    assert dialog.ok.isEnabled()
    shot(dialog, "passphrase-new")
    names = {w.accessibleName() for w in (dialog.passphrase, dialog.again, dialog.show_text)}
    assert "" not in names
    qtbot.keyClick(dialog.show_text, Qt.Key.Key_Space)
    assert dialog.passphrase.echoMode() == dialog.passphrase.EchoMode.Normal


def test_ask_passphrase_returns_what_was_typed_or_none(qtbot):
    def answer(text: str | None):
        def go():
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, PassphraseDialog) and widget.isVisible():
                    if text is None:
                        qtbot.keyClick(widget.passphrase, Qt.Key.Key_Escape)
                    else:
                        shot(widget, "passphrase-open")
                        qtbot.keyClicks(widget.passphrase, text)
                        qtbot.keyClick(widget.passphrase, Qt.Key.Key_Return)
                    return
            QTimer.singleShot(20, go)

        QTimer.singleShot(20, go)

    answer("open sesame")
    assert ask_passphrase(None, "court.db", error="That passphrase is not right.") == "open sesame"
    answer(None)
    assert ask_passphrase(None, "court.db") is None


def test_start_asks_up_to_three_times_and_says_each_was_wrong(tmp_path):
    path = tmp_path / "enc.db"
    open_database(path, encrypt=True, passphrase="the right one").dispose()
    asked = []

    def ask(parent, name, *, new, error):
        asked.append(error)
        return ["nope", "still no", "the right one"][len(asked) - 1]

    db = app.open_with_passphrase(str(path), ask=ask)
    db.dispose()
    assert asked[0] is None and "not right. 2 tries left" in asked[1] and "1 try left" in asked[2]
    asked.clear()
    with pytest.raises(WrongKeyError):
        app.open_with_passphrase(str(path), ask=lambda *a, **k: asked.append(1) or "wrong")
    assert len(asked) == 3
    with pytest.raises(app.Cancelled):
        app.open_with_passphrase(str(path), ask=lambda *a, **k: None)


def test_start_without_keyring_asks_for_a_new_passphrase(tmp_path, monkeypatch):
    secrets_module.set_default_store(NoStore())
    seen = {}

    def ask(parent, name, *, new, error):
        seen["new"] = new
        return "a brand new passphrase"

    monkeypatch.setattr("volunteerdesk.core.db.default_database_path", lambda: tmp_path / "d.db")
    db = app.open_with_passphrase(None, ask=ask)
    db.dispose()
    assert seen["new"] and is_encrypted(tmp_path / "d.db")


@pytest.fixture
def demo_path(small_demo_template, tmp_path) -> Path:
    path = tmp_path / "demo.db"
    shutil.copyfile(small_demo_template, path)
    return path


@pytest.fixture
def panel(qtbot, demo_path):
    db = open_database(demo_path, username="tester")
    ops = Ops()
    widget = SecurityPanel(db, ops)
    widget.confirm = lambda *args: True
    qtbot.addWidget(widget)
    widget.resize(760, 200)
    widget.show()
    yield widget
    ops.shutdown()
    widget.db.dispose()


def _volunteers(db) -> int:
    with db.uow() as s:
        return s.scalar(select(func.count()).select_from(Volunteer))


def test_encrypt_then_export_recovery_key_then_change_passphrase(qtbot, panel, demo_path, store):
    before = _volunteers(panel.db)
    assert "Not encrypted" in panel.state.text()
    assert panel.encrypt_button.isVisible() and not panel.recovery_button.isVisible()
    shot(panel, "security-plain")
    with qtbot.waitSignal(panel.finished):
        qtbot.mouseClick(panel.encrypt_button, Qt.MouseButton.LeftButton)
    assert panel.message.text().startswith("Encrypted."), panel.message.text()
    assert is_encrypted(demo_path) and panel.db.encrypted
    assert _volunteers(panel.db) == before  # the open window carries on
    assert "keyring" in panel.state.text() and panel.recovery_button.isVisible()
    shot(panel, "security-encrypted")

    target = demo_path.parent / "recovery.txt"
    panel.choose_file = lambda parent, suggested: str(target)
    with qtbot.waitSignal(panel.finished):
        qtbot.mouseClick(panel.recovery_button, Qt.MouseButton.LeftButton)
    assert "saved to" in panel.message.text()
    recovery = " ".join(target.read_text().splitlines()[1:5])
    copy = demo_path.parent / "moved.db"
    shutil.copyfile(demo_path, copy)
    moved = open_database(copy, passphrase=recovery, secrets=NoStore())
    assert _volunteers(moved) == before
    moved.dispose()

    panel.ask = lambda parent, name, *, new: "our new passphrase"
    with qtbot.waitSignal(panel.finished):
        qtbot.mouseClick(panel.change_button, Qt.MouseButton.LeftButton)
    assert "Passphrase changed" in panel.message.text()
    assert store.get(account(demo_path)) is None
    assert "passphrase" in panel.state.text() and panel.keyring_button.isVisible()
    assert _volunteers(panel.db) == before
    shot(panel, "security-passphrase")
    panel.db.dispose()
    again = open_database(demo_path, passphrase="our new passphrase")
    assert _volunteers(again) == before
    again.dispose()


def test_encrypt_without_keyring_cancelled_changes_nothing(qtbot, panel, demo_path):
    secrets_module.set_default_store(NoStore())
    panel.refresh()
    panel.ask = lambda parent, name, *, new: None
    before = demo_path.read_bytes()
    qtbot.mouseClick(panel.encrypt_button, Qt.MouseButton.LeftButton)
    assert not panel.db.encrypted and demo_path.read_bytes()[:16] == before[:16]


def test_every_control_is_named(qtbot, panel):
    from test_accessibility import unnamed_controls

    for new in (True, False):
        dialog = PassphraseDialog("volunteerdesk.db", new=new)
        qtbot.addWidget(dialog)
        dialog.show()
        assert unnamed_controls(dialog) == []
    assert unnamed_controls(panel) == []
