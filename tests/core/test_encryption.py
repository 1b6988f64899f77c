"""Encryption at rest: encrypted files open with the right key only, convert, re-key,
recover, and back up encrypted. Keys live in a MemoryStore, never the real keyring."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from volunteerdesk.core import secrets as secrets_module
from volunteerdesk.core.backup import backup_now, check_backup, restore
from volunteerdesk.core.db import (
    NotVolunteerDeskDatabase,
    PassphraseRequired,
    WrongKeyError,
    open_database,
)
from volunteerdesk.core.encryption import (
    PASSPHRASE_ENV,
    account,
    change_passphrase,
    convert_to_encrypted,
    export_recovery_key,
    forget_key,
    is_encrypted,
    status,
)
from volunteerdesk.core.models import Volunteer, VolunteerStatus
from volunteerdesk.core.secrets import MemoryStore, NoStore


@pytest.fixture(autouse=True)
def store(monkeypatch):
    """Every test here keeps keys in memory; nothing reaches the system keyring."""
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    memory = MemoryStore()
    secrets_module.set_default_store(memory)
    yield memory
    secrets_module.set_default_store(None)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add(db, first: str, last: str = "Quennell") -> None:
    with db.uow() as s:
        s.add(Volunteer(first_name=first, last_name=last, status=VolunteerStatus.ACTIVE))


def names(db) -> list[str]:
    with db.uow() as s:
        return sorted(s.scalars(select(Volunteer.first_name)))


def test_new_encrypted_database_reopens_with_the_stored_key(tmp_path, store):
    path = tmp_path / "enc.db"
    db = open_database(path, encrypt=True)
    add(db, "Marigold", "Thistlewood")
    db.dispose()
    assert is_encrypted(path)
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert b"Thistlewood" not in path.read_bytes()
    assert len(store.get(account(path))) == 64
    again = open_database(path)
    try:
        assert again.encrypted and names(again) == ["Marigold"]
    finally:
        again.dispose()


def test_default_database_is_encrypted_and_explicit_paths_stay_plain(tmp_path, store):
    db = open_database(None)
    try:
        assert db.encrypted
        assert is_encrypted(db.path)
        assert store.get(account(db.path))
    finally:
        db.dispose()
    plain = open_database(tmp_path / "plain.db")
    plain.dispose()
    assert (tmp_path / "plain.db").read_bytes().startswith(b"SQLite format 3\x00")


def test_no_keyring_and_no_passphrase_asks_for_one(tmp_path):
    with pytest.raises(PassphraseRequired) as info:
        open_database(tmp_path / "new.db", encrypt=True, secrets=NoStore())
    assert info.value.new
    assert not (tmp_path / "new.db").exists()


def test_wrong_passphrase_is_refused_and_the_file_is_unchanged(tmp_path):
    path = tmp_path / "pass.db"
    db = open_database(path, encrypt=True, passphrase="correct horse battery")
    add(db, "Marigold")
    db.dispose()
    before = sha(path)
    with pytest.raises(WrongKeyError, match=r"The passphrase for .*pass\.db is not right\. "):
        open_database(path, passphrase="wrong horse")
    assert sha(path) == before
    with pytest.raises(PassphraseRequired):
        open_database(path, secrets=MemoryStore())
    assert sha(path) == before
    good = open_database(path, passphrase="correct horse battery")
    assert names(good) == ["Marigold"]
    good.dispose()


def test_passphrase_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "env.db"
    monkeypatch.setenv(PASSPHRASE_ENV, "from the environment")
    open_database(path, encrypt=True).dispose()
    again = open_database(path, secrets=NoStore())
    assert again.encrypted
    again.dispose()
    monkeypatch.setenv(PASSPHRASE_ENV, "something else")
    with pytest.raises(WrongKeyError):
        open_database(path, secrets=NoStore())


def test_garbage_is_still_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"My shopping list, not a database.\n" * 64)
    with pytest.raises(NotVolunteerDeskDatabase):
        open_database(path)


def test_encrypted_demo_works_end_to_end(small_demo_template, tmp_path, store):
    path = tmp_path / "demo.db"
    shutil.copyfile(small_demo_template, path)
    plain = open_database(path)
    with plain.uow() as s:
        counts = s.scalar(select(func.count()).select_from(Volunteer))
        someone = s.scalars(select(Volunteer.last_name).order_by(Volunteer.id)).first()
    plain.dispose()
    assert someone.encode() in path.read_bytes()
    result = convert_to_encrypted(path, backups_folder=tmp_path / "nothing")
    assert result.key_in_keyring and result.plain_backups == []
    assert is_encrypted(path)
    assert not list(tmp_path.glob("*.plain-backup")) and not list(tmp_path.glob("*.encrypting"))
    data = path.read_bytes()
    assert someone.encode() not in data and b"SQLite format 3" not in data[:16]
    db = open_database(path)
    try:
        from volunteerdesk.core.services.volunteers import list_volunteers

        with db.uow() as s:
            assert s.scalar(select(func.count()).select_from(Volunteer)) == counts
            rows = list_volunteers(s)
        assert len(rows) == counts
        add(db, "Afterwards")
    finally:
        db.dispose()
    assert b"Afterwards" not in path.read_bytes()


def test_convert_lists_old_unencrypted_backups(tmp_path, store):
    path = tmp_path / "db.db"
    db = open_database(path)
    add(db, "Marigold")
    backup_now(db, tmp_path / "backups")
    db.dispose()
    result = convert_to_encrypted(path, backups_folder=tmp_path / "backups")
    assert len(result.plain_backups) == 1


def test_convert_with_a_passphrase_when_there_is_no_keyring(tmp_path):
    path = tmp_path / "db.db"
    db = open_database(path)
    add(db, "Marigold")
    db.dispose()
    with pytest.raises(PassphraseRequired):
        convert_to_encrypted(path, NoStore())
    assert path.read_bytes().startswith(b"SQLite format 3")
    result = convert_to_encrypted(path, NoStore(), passphrase="a long passphrase")
    assert not result.key_in_keyring
    db = open_database(path, passphrase="a long passphrase", secrets=NoStore())
    assert names(db) == ["Marigold"]
    db.dispose()


def test_change_passphrase_and_back_to_a_keyring_key(tmp_path, store):
    path = tmp_path / "db.db"
    db = open_database(path, encrypt=True)
    add(db, "Marigold")
    db.dispose()
    change_passphrase(path, "new passphrase here")
    assert store.get(account(path)) is None  # the passphrase is asked for from now on
    with pytest.raises(PassphraseRequired):
        open_database(path)
    db = open_database(path, passphrase="new passphrase here")
    assert names(db) == ["Marigold"]
    db.dispose()
    change_passphrase(path, None, old="new passphrase here")
    assert store.get(account(path))
    open_database(path).dispose()
    with pytest.raises(WrongKeyError):
        open_database(path, passphrase="new passphrase here")


def test_recovery_key_opens_the_file_elsewhere(tmp_path, store):
    path = tmp_path / "db.db"
    db = open_database(path, encrypt=True)
    add(db, "Marigold")
    db.dispose()
    recovery = export_recovery_key(path)
    assert len(recovery.replace("-", "").replace("\n", "")) == 64
    forget_key(path)
    assert status(path).encrypted and not status(path).key_in_keyring
    with pytest.raises(PassphraseRequired):
        open_database(path)
    moved = tmp_path / "other-computer.db"
    shutil.copyfile(path, moved)
    db = open_database(moved, passphrase=recovery.lower().replace("\n", " "))
    assert names(db) == ["Marigold"]
    db.dispose()


def test_recovery_key_of_a_passphrase_database(tmp_path):
    path = tmp_path / "db.db"
    open_database(path, encrypt=True, passphrase="pass phrase one").dispose()
    recovery = export_recovery_key(path, NoStore(), passphrase="pass phrase one")
    open_database(path, passphrase=recovery, secrets=NoStore()).dispose()


def test_backup_of_an_encrypted_database_is_encrypted_and_restores(tmp_path, store):
    path = tmp_path / "db.db"
    db = open_database(path, encrypt=True)
    add(db, "Marigold", "Thistlewood")
    backup = backup_now(db, tmp_path / "backups")
    add(db, "Later")
    db.dispose()
    data = backup.read_bytes()
    assert not data.startswith(b"SQLite format 3") and b"Thistlewood" not in data
    with pytest.raises(PassphraseRequired):
        check_backup(backup)
    safety = restore(backup, path)
    assert safety is not None and is_encrypted(safety)
    db = open_database(path)
    assert names(db) == ["Marigold"]
    db.dispose()
    copy = open_database(safety, passphrase=export_recovery_key(path))
    assert names(copy) == ["Later", "Marigold"]
    copy.dispose()


def test_restore_an_encrypted_backup_from_elsewhere_with_its_recovery_key(tmp_path, store):
    elsewhere = tmp_path / "elsewhere.db"
    db = open_database(elsewhere, encrypt=True)
    add(db, "Marigold")
    backup = backup_now(db, to_file=tmp_path / "from-elsewhere.db")
    db.dispose()
    recovery = export_recovery_key(elsewhere)
    here = tmp_path / "here.db"
    open_database(here, encrypt=True).dispose()
    before = sha(here)
    with pytest.raises(WrongKeyError):
        restore(backup, here, passphrase="not it")
    assert sha(here) == before
    safety = restore(backup, here, passphrase=recovery)
    db = open_database(here)  # the keyring now holds the restored file's key
    assert names(db) == ["Marigold"]
    db.dispose()
    open_database(safety).dispose()  # and the old key moved with the safety copy
