"""``volunteerdesk encryption`` and passphrases on the command line: never a prompt
without a terminal, the environment variable for scripts, exit status 2 when it cannot
open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from volunteerdesk import cli, cli_security
from volunteerdesk.core import secrets as secrets_module
from volunteerdesk.core.db import open_database
from volunteerdesk.core.encryption import PASSPHRASE_ENV, account, is_encrypted
from volunteerdesk.core.models import Volunteer, VolunteerStatus
from volunteerdesk.core.secrets import MemoryStore, NoStore


@pytest.fixture(autouse=True)
def store(monkeypatch):
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(cli_security.NEW_PASSPHRASE_ENV, raising=False)
    memory = MemoryStore()
    secrets_module.set_default_store(memory)
    yield memory
    secrets_module.set_default_store(None)


def isolated_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A per-user data folder inside tmp_path and no keyring at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOLUNTEERDESK_")}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "home" / ".local" / "share"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        QT_QPA_PLATFORM="offscreen",
        **extra,
    )
    return env


def run_cli(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "volunteerdesk.cli", *args],
        env=isolated_env(tmp_path, **extra),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_keyring_no_passphrase_no_terminal_stops_with_exit_2(tmp_path):
    done = run_cli(tmp_path, "info")
    assert done.returncode == 2
    assert "choose a passphrase" in done.stderr
    assert "VOLUNTEERDESK_PASSPHRASE" in done.stderr
    assert "Passphrase" not in done.stdout  # no prompt was shown
    assert not list((tmp_path / "home").rglob("volunteerdesk.db"))


def test_passphrase_from_the_environment_creates_and_opens_the_default(tmp_path):
    made = run_cli(tmp_path, "info", "--json", VOLUNTEERDESK_PASSPHRASE="scripted secret")
    assert made.returncode == 0, made.stderr
    path = Path(json.loads(made.stdout)["database"])
    assert path.is_relative_to(tmp_path / "home") and is_encrypted(path)
    again = run_cli(tmp_path, "info", VOLUNTEERDESK_PASSPHRASE="scripted secret")
    assert again.returncode == 0, again.stderr
    wrong = run_cli(tmp_path, "info", VOLUNTEERDESK_PASSPHRASE="not the secret")
    assert wrong.returncode == 2
    assert f"The passphrase for {path} is not right. Nothing was changed." in wrong.stderr
    assert "ERROR CORE" not in wrong.stderr and "hmac" not in wrong.stderr
    missing = run_cli(tmp_path, "info")
    assert missing.returncode == 2 and "is encrypted" in missing.stderr


def _plain_db(tmp_path: Path) -> Path:
    path = tmp_path / "db.db"
    db = open_database(path)
    with db.uow() as s:
        s.add(
            Volunteer(first_name="Ottoline", last_name="Brackenbury", status=VolunteerStatus.ACTIVE)
        )
    db.dispose()
    return path


def test_status_convert_and_recovery_key(tmp_path, store, capsys):
    path = _plain_db(tmp_path)
    assert cli.main(["--db", str(path), "encryption", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["encrypted"] is False
    assert cli.main(["--db", str(path), "encryption", "convert"]) == 0
    assert "keyring" in capsys.readouterr().out
    assert is_encrypted(path) and b"Brackenbury" not in path.read_bytes()
    assert store.get(account(path))
    assert cli.main(["--db", str(path), "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["database"] == str(path)
    out = tmp_path / "recovery.txt"
    assert cli.main(["--db", str(path), "encryption", "recovery-key", "-o", str(out)]) == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    recovery = out.read_text().splitlines()[1:5]
    secrets_module.set_default_store(MemoryStore())  # another computer: no key kept
    capsys.readouterr()
    assert cli.main(["--db", str(path), "info"]) == 2
    os.environ[PASSPHRASE_ENV] = " ".join(recovery)
    try:
        assert cli.main(["--db", str(path), "info"]) == 0
    finally:
        del os.environ[PASSPHRASE_ENV]


def test_convert_without_keyring_or_terminal_changes_nothing(tmp_path, capsys):
    path = _plain_db(tmp_path)
    secrets_module.set_default_store(NoStore())
    before = path.read_bytes()
    assert cli.main(["--db", str(path), "encryption", "convert"]) == 2
    assert "needs a passphrase" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_change_passphrase_from_the_environment(tmp_path, store, monkeypatch, capsys):
    path = _plain_db(tmp_path)
    assert cli.main(["--db", str(path), "encryption", "convert"]) == 0
    monkeypatch.setenv(cli_security.NEW_PASSPHRASE_ENV, "brand new passphrase")
    assert cli.main(["--db", str(path), "encryption", "change-passphrase"]) == 0
    assert store.get(account(path)) is None
    assert cli.main(["--db", str(path), "info"]) == 2
    monkeypatch.setenv(PASSPHRASE_ENV, "brand new passphrase")
    assert cli.main(["--db", str(path), "info"]) == 0


def test_terminal_prompt_gives_three_tries(tmp_path, monkeypatch, capsys):
    path = tmp_path / "p.db"
    open_database(path, encrypt=True, passphrase="the right one").dispose()
    answers = iter(["wrong 1", "wrong 2", "the right one"])
    monkeypatch.setattr(cli_security, "_interactive", lambda: True)
    monkeypatch.setattr(cli_security.getpass, "getpass", lambda prompt: next(answers))
    assert cli.main(["--db", str(path), "info"]) == 0
    assert capsys.readouterr().err.count("is not right") == 2
    answers = iter(["a", "b", "c"])
    assert cli.main(["--db", str(path), "info"]) == 2


def test_encryption_is_refused_for_a_server(capsys):
    assert cli.main(["--db", "postgresql+psycopg://u@h/db", "encryption", "status"]) == 2
    assert "database files" in capsys.readouterr().err


def test_restore_an_encrypted_backup_asks_on_a_terminal_only(tmp_path, monkeypatch, capsys):
    path = tmp_path / "p.db"
    db = open_database(path, encrypt=True, passphrase="the right one")
    db.dispose()
    backup = tmp_path / "backup.db"
    assert cli.main(["--db", str(path), "backup", "-o", str(backup)]) == 2  # no passphrase
    monkeypatch.setenv(PASSPHRASE_ENV, "the right one")
    assert cli.main(["--db", str(path), "backup", "-o", str(backup)]) == 0
    assert is_encrypted(backup)
    monkeypatch.delenv(PASSPHRASE_ENV)
    capsys.readouterr()
    assert cli.main(["--db", str(path), "restore", str(backup)]) == 2
    assert "No terminal to ask on" in capsys.readouterr().err
    monkeypatch.setattr(cli_security, "_interactive", lambda: True)
    monkeypatch.setattr(cli_security.getpass, "getpass", lambda prompt: "the right one")
    assert cli.main(["--db", str(path), "restore", str(backup)]) == 0
    assert "Restored" in capsys.readouterr().out
