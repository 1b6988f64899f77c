"""Backups and restores: consistent copies, the newest N kept, and checked restores."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from volunteerdesk.core.backup import (
    BackupError,
    backup_now,
    check_backup,
    list_backups,
    restore,
)
from volunteerdesk.core.db import NewerDatabaseError, NotVolunteerDeskDatabase, open_database
from volunteerdesk.core.models import Volunteer, VolunteerStatus


def _add(db, first: str) -> None:
    with db.uow() as s:
        s.add(Volunteer(first_name=first, last_name="Evans", status=VolunteerStatus.ACTIVE))


def test_backup_holds_every_committed_change_and_opens(sqlite_database, tmp_path):
    _add(sqlite_database, "Siân")
    path = backup_now(sqlite_database, tmp_path / "backups")
    _add(sqlite_database, "Zoë")  # after the backup: not in it
    assert check_backup(path)
    copy = open_database(path)
    try:
        with copy.uow() as s:
            assert [v.first_name for v in s.query(Volunteer)] == ["Siân"]
    finally:
        copy.dispose()


def test_only_the_newest_backups_are_kept(sqlite_database, tmp_path):
    start = datetime(2026, 11, 1, 9, 0)
    for day in range(5):
        backup_now(sqlite_database, tmp_path, keep=3, now=start + timedelta(days=day))
    kept = list_backups(tmp_path)
    assert [b.taken_at.day for b in kept] == [5, 4, 3]


def test_a_backup_folder_that_cannot_be_made_gives_a_clear_message(sqlite_database, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(BackupError, match="Cannot use"):
        backup_now(sqlite_database, blocker / "backups")


def test_restore_checks_first_and_keeps_the_replaced_database(sqlite_database, tmp_path):
    _add(sqlite_database, "Siân")
    good = backup_now(sqlite_database, tmp_path / "b")
    _add(sqlite_database, "Zoë")
    target = tmp_path / "live.db"
    live = open_database(target)
    _add(live, "Łukasz")
    live.dispose()
    safety = restore(good, target)
    restored = open_database(target)
    try:
        with restored.uow() as s:
            assert [v.first_name for v in s.query(Volunteer)] == ["Siân"]
    finally:
        restored.dispose()
    kept = open_database(safety)
    try:
        with kept.uow() as s:
            assert [v.first_name for v in s.query(Volunteer)] == ["Łukasz"]
    finally:
        kept.dispose()


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(tmp_path):
    target = tmp_path / "live.db"
    open_database(target).dispose()
    before = target.read_bytes()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(NotVolunteerDeskDatabase):
        restore(junk, target)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(NotVolunteerDeskDatabase):
        restore(other, target)
    assert target.read_bytes() == before


def test_restore_refuses_a_backup_from_a_newer_version(sqlite_database, tmp_path):
    path = backup_now(sqlite_database, tmp_path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(NewerDatabaseError):
        restore(path, tmp_path / "live.db")
    assert not (tmp_path / "live.db").exists()


def test_shared_server_backups_are_the_servers_job(database):
    if database.is_sqlite:
        pytest.skip("PostgreSQL only")
    with pytest.raises(BackupError, match="on the server"):
        backup_now(database)
