"""Backups with SQLite's online backup API, and restores that check what they restore.

A backup is a consistent copy taken while the program runs (other connections may keep
writing). The newest N are kept. A restore first checks that the file is a VolunteerDesk
database of a version this program can open, keeps a safety copy of the database it
replaces, and only then copies the backup into place.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from .db import (
    Database,
    DatabaseError,
    NotVolunteerDeskDatabase,
    PassphraseRequired,
    _check_revision,
    read_only_uri,
)
from .paths import backups_dir

PREFIX = "volunteerdesk-"
SUFFIX = ".db"


class BackupError(DatabaseError):
    """A backup or restore that could not be done; the message is for the user."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    size: int


def _sqlite_file(db: Database) -> Path:
    if not db.is_sqlite:
        raise BackupError(
            "This is a shared PostgreSQL database: its backups are made on the server "
            "(for example with pg_dump) by whoever runs it, not by VolunteerDesk."
        )
    return Path(make_url(db.url).database or "")


def _copy(source, target_path: Path, key=None) -> None:
    """Copy with the online backup API; an encrypted source goes to a target keyed alike,
    so the backup is encrypted too (SQLCipher refuses to copy between different keys)."""
    if key is not None:
        from .encryption import connect

        target = connect(target_path, key, check=False)
    else:
        target = sqlite3.connect(target_path)
    try:
        source.backup(target, pages=1024)
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        target.commit()
    finally:
        target.close()


def backup_now(
    db: Database,
    folder: Path | str | None = None,
    keep: int = 10,
    *,
    now: datetime | None = None,
    to_file: Path | str | None = None,
) -> Path:
    """Copy the open database into ``folder`` (default: the backups folder), keeping the
    newest ``keep``; or, with ``to_file``, to exactly that file."""
    _sqlite_file(db)
    if to_file is not None:
        target = Path(to_file).expanduser().resolve()
        target_dir = target.parent
    else:
        target_dir = Path(folder) if folder else backups_dir()
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        target = target_dir / f"{PREFIX}{stamp}{SUFFIX}"
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Cannot use {target_dir} for backups: {exc.strerror}.") from exc
    partial = target.with_suffix(".partial")
    raw = db.engine.raw_connection()
    try:
        _copy(raw.driver_connection, partial, db.key)
        partial.replace(target)
    except (OSError, sqlite3.Error, _cipher_error()) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BackupError(
            f"The backup to {target_dir} failed ({reason}). Your database is unchanged; "
            "check there is space on that disk and try again."
        ) from exc
    finally:
        raw.close()
    if to_file is None:
        prune(target_dir, keep)
    return target


def list_backups(folder: Path | str | None = None) -> list[BackupInfo]:
    target_dir = Path(folder) if folder else backups_dir()
    found = []
    for path in target_dir.glob(f"{PREFIX}*{SUFFIX}"):
        stamp = path.name[len(PREFIX) : -len(SUFFIX)]
        try:
            taken = datetime.strptime(stamp, "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append(BackupInfo(path, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def prune(folder: Path, keep: int) -> list[Path]:
    removed = []
    for old in list_backups(folder)[max(keep, 1) :]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def latest_backup_time(folder: Path | str | None = None) -> datetime | None:
    backups = list_backups(folder)
    return backups[0].taken_at if backups else None


def _cipher_error() -> type[Exception]:
    import sqlcipher3

    return sqlcipher3.DatabaseError


def check_backup(path: Path | str, key=None) -> str:
    """Raise unless ``path`` is a VolunteerDesk database this program can open; return its
    schema revision. An encrypted backup needs its ``key`` (an encryption.Key)."""
    from .encryption import connect, is_encrypted

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    if is_encrypted(path) and key is None:
        raise PassphraseRequired(path, f"{path} is an encrypted backup: give its passphrase.")
    try:
        if is_encrypted(path):
            con = connect(path, key, readonly=True)
        else:
            con = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (its integrity check failed).")
        finally:
            con.close()
    except (sqlite3.DatabaseError, _cipher_error()) as exc:
        raise NotVolunteerDeskDatabase(f"{path} is not a VolunteerDesk backup ({exc}).") from exc
    if not tables:
        raise NotVolunteerDeskDatabase(f"{path} is empty, not a VolunteerDesk backup.")
    _check_revision(str(path), tables, revision)
    if revision is None:
        raise NotVolunteerDeskDatabase(f"{path} is not a VolunteerDesk backup.")
    return revision


def _backup_key(backup: Path, target: Path, passphrase: str | None, store):
    """The key that opens the encrypted ``backup``: the passphrase or recovery key given
    (or in the environment), else the key the database ``target`` uses."""
    from .encryption import PASSPHRASE_ENV, Key, WrongKeyError, account, connect, keys_from_text

    given = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV) or None
    if given is not None:
        candidates = keys_from_text(given)
    else:
        stored = store.get(account(target))
        candidates = [Key(stored, raw=True)] if stored else []
    for key in candidates:
        try:
            connect(backup, key, readonly=True).close()
        except WrongKeyError:
            continue
        return key
    if given is not None:
        raise WrongKeyError(backup)
    raise PassphraseRequired(
        backup, f"{backup} is an encrypted backup: give its passphrase or recovery key."
    )


def _safety_copy(target: Path, safety: Path, passphrase: str | None, store) -> None:
    from .encryption import is_encrypted, resolve_key

    if not is_encrypted(target):
        current = sqlite3.connect(target)
        try:
            _copy(current, safety)
        finally:
            current.close()
        return
    try:
        key = resolve_key(target, passphrase=passphrase, secrets=store)
    except DatabaseError:  # its key is not at hand: copy the encrypted bytes as they are
        shutil.copyfile(target, safety)
        wal = Path(f"{target}-wal")
        if wal.exists():
            shutil.copyfile(wal, f"{safety}-wal")
        return
    from .encryption import connect

    current = connect(target, key)
    try:
        _copy(current, safety, key)
    finally:
        current.close()


def restore(
    backup: Path | str,
    target: Path | str,
    *,
    passphrase: str | None = None,
    secrets=None,
) -> Path | None:
    """Replace the database file ``target`` with ``backup`` after checking it.

    The program must not have ``target`` open. Returns the safety copy of the replaced
    database (None when there was none). An encrypted backup is opened with
    ``passphrase`` (or $VOLUNTEERDESK_PASSPHRASE), else the key of ``target``; when its
    key differs from the one kept for ``target``, the keyring follows the restored file
    and the old key is kept under the safety copy's name.
    """
    from .encryption import account, is_encrypted
    from .secrets import default_store

    backup, target = Path(backup), Path(target)
    store = secrets if secrets is not None else default_store()
    key = _backup_key(backup, target, passphrase, store) if is_encrypted(backup) else None
    check_backup(backup, key)
    safety = None
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        safety = target.with_name(f"{target.stem}-before-restore-{stamp}{target.suffix}")
        _safety_copy(target, safety, passphrase, store)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(backup, partial)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial.replace(target)
    old = store.get(account(target))
    if key is not None and old != (key.secret if key.raw else None):
        if old and safety is not None:
            store.set(account(safety), old)
        if key.raw and getattr(store, "available", False):
            store.set(account(target), key.secret)
        else:
            store.delete(account(target))
    return safety
