"""Opening databases: creation, pragmas, and refusing what is not ours without damage."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from volunteerdesk.core import migrations
from volunteerdesk.core.db import (
    DatabaseError,
    NewerDatabaseError,
    NotVolunteerDeskDatabase,
    normalise_url,
    open_database,
)
from volunteerdesk.core.models import ClearanceType, TrainingCourse


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_created_migrated_and_seeded(tmp_path):
    path = tmp_path / "sub" / "new.db"
    db = open_database(path)
    try:
        assert path.exists()
        with db.uow() as s:
            assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                migrations.head()
            )
            codes = set(s.scalars(text("SELECT code FROM training_courses")))
            assert {"SAFEGUARDING", "CONDUCT", "KEYS", "ACCT"} <= codes
    finally:
        db.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_database):
    with sqlite_database.uow() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_reopening_keeps_data_and_does_not_reseed(tmp_path):
    path = tmp_path / "again.db"
    db = open_database(path)
    with db.uow() as s:
        course = s.query(TrainingCourse).filter_by(code="KEYS").one()
        course.validity_months = 24
    db.dispose()
    db = open_database(path)
    try:
        with db.uow() as s:
            course = s.query(TrainingCourse).filter_by(code="KEYS").one()
            assert course.validity_months == 24 and course.set_locally
            assert s.query(ClearanceType).count() == 4
    finally:
        db.dispose()


def test_garbage_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"This is my shopping list, not a database.\n" * 50)
    before = _digest(path)
    with pytest.raises(NotVolunteerDeskDatabase, match="not a VolunteerDesk database"):
        open_database(path)
    assert _digest(path) == before
    assert not (tmp_path / "notes.db-wal").exists()


def test_other_programs_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO recipes (name) VALUES ('scones')")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(NotVolunteerDeskDatabase, match="not a VolunteerDesk one"):
        open_database(path)
    assert _digest(path) == before
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "future.db"
    open_database(path).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(NewerDatabaseError, match="newer version of VolunteerDesk"):
        open_database(path)
    assert _digest(path) == before
    assert _beside(path) == ["future.db"]  # no -wal or -shm left behind either


def _beside(path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def _make_newer(con) -> None:
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()


def test_encrypted_newer_database_is_refused_leaving_nothing_beside_it(tmp_path):
    from volunteerdesk.core.encryption import connect, resolve_key
    from volunteerdesk.core.secrets import MemoryStore

    path = tmp_path / "future.db"
    store = MemoryStore()
    open_database(path, encrypt=True, secrets=store).dispose()
    _make_newer(connect(path, resolve_key(path, secrets=store)))
    assert _beside(path) == ["future.db"]
    before = _digest(path)
    with pytest.raises(NewerDatabaseError, match="Nothing was changed"):
        open_database(path, secrets=store)
    assert _digest(path) == before
    assert _beside(path) == ["future.db"]


def test_a_refused_file_in_use_keeps_its_wal(tmp_path):
    """A newer version has the file open: its -wal and -shm are its own, and stay."""
    path = tmp_path / "future.db"
    open_database(path).dispose()
    _make_newer(sqlite3.connect(path))
    other = sqlite3.connect(path)  # the other program, with a change not yet checkpointed
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute("CREATE TABLE newer_things (id INTEGER PRIMARY KEY)")
    other.commit()
    try:
        with pytest.raises(NewerDatabaseError):
            open_database(path)
        assert _beside(path) == ["future.db", "future.db-shm", "future.db-wal"]
        assert (tmp_path / "future.db-wal").stat().st_size > 0
        assert other.execute("SELECT count(*) FROM newer_things").fetchone()[0] == 0
    finally:
        other.close()


def test_opening_a_current_file_cleans_up_after_itself(tmp_path):
    path = tmp_path / "mine.db"
    open_database(path).dispose()
    assert _beside(path) == ["mine.db"]
    db = open_database(path)
    with db.uow() as s:
        assert s.execute(text("SELECT count(*) FROM volunteers")).scalar() == 0
    db.dispose()
    assert _beside(path) == ["mine.db"]


def test_newer_database_on_server_is_refused(database):
    if database.is_sqlite:
        pytest.skip("the SQLite case is covered above")
    with database.uow() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(NewerDatabaseError):
        open_database(database.url)


def test_unreachable_server_gives_a_clear_message():
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    with pytest.raises(DatabaseError, match="Cannot reach the database server"):
        open_database(url)


def test_paths_and_urls_are_normalised(tmp_path, monkeypatch):
    assert normalise_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url(None).endswith("volunteerdesk.db")


def test_unit_of_work_rolls_back_on_error(database):
    with pytest.raises(RuntimeError), database.uow() as s:
        s.add(TrainingCourse(code="TMP", name="Temporary course", validity_months=6))
        s.flush()
        raise RuntimeError("boom")
    with database.uow() as s:
        assert s.query(TrainingCourse).filter_by(code="TMP").count() == 0


def test_alembic_check_works_on_a_clean_clone(tmp_path):
    """The README's schema workflow: the scratch database's folder does not exist yet."""
    repo = Path(__file__).resolve().parents[2]
    ini = tmp_path / "alembic.ini"
    ini.write_text(
        "[alembic]\n"
        f"script_location = {repo / 'src/volunteerdesk/core/migrations'}\n"
        "sqlalchemy.url = sqlite:///build/alembic-scratch.db\n"
    )
    for _ in range(2):  # first from nothing, then with the scratch database already at head
        result = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(ini), "check"],
            capture_output=True,
            text=True,
            cwd=repo / "src",  # the scratch path is taken from alembic.ini's folder
        )
        assert result.returncode == 0, result.stderr
        assert "No new upgrade operations detected" in result.stdout
    scratch = tmp_path / "build" / "alembic-scratch.db"
    con = sqlite3.connect(scratch)
    try:
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()
    assert revision == migrations.head()
