"""Encryption at rest with SQLCipher: keys, opening, converting, re-keying, recovery keys.

A database is keyed either by a random 256-bit key kept in the keyring (the default
database on a system with a keyring) or by a passphrase the user sets. The recovery key
is the raw 256-bit key written out in groups: it opens the file anywhere, and is accepted
wherever a passphrase is asked for.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets as random
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .db import DatabaseError, PassphraseRequired, WrongKeyError, read_only_uri
from .paths import backups_dir
from .secrets import SecretStore, SecretStoreUnavailable, default_store

PASSPHRASE_ENV = "VOLUNTEERDESK_PASSPHRASE"
HEADER = b"SQLite format 3\x00"
KDF_ITERATIONS = 256_000  # SQLCipher 4 defaults: PBKDF2-HMAC-SHA512, 16-byte salt
_HEX_KEY = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Key:
    """A database key: a passphrase (stretched by SQLCipher) or a raw 256-bit key (hex)."""

    secret: str = field(repr=False)
    raw: bool = False

    @property
    def pragma(self) -> str:
        if self.raw:
            return f"\"x'{self.secret}'\""
        return "'" + self.secret.replace("'", "''") + "'"


def account(path: Path | str) -> str:
    """The keyring entry name for a database file: its resolved path."""
    return str(Path(path).expanduser().resolve())


def is_encrypted(path: Path | str) -> bool:
    """True for a file that looks like an SQLCipher database: whole pages, no plain header."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    if size < 512 or size % 512 or head == HEADER:
        return False
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in head)
    return printable < len(head)  # a random salt, not the start of a text file


def is_plain_sqlite(path: Path | str) -> bool:
    try:
        with Path(path).open("rb") as handle:
            return handle.read(16) == HEADER
    except OSError:
        return False


def new_raw_key() -> Key:
    return Key(random.token_hex(32), raw=True)


def _normalised_recovery(text: str) -> str | None:
    cleaned = re.sub(r"[\s\-]", "", text.strip()).lower()
    if cleaned.startswith("x'") and cleaned.endswith("'"):
        cleaned = cleaned[2:-1]
    return cleaned if _HEX_KEY.match(cleaned) else None


def keys_from_text(text: str) -> list[Key]:
    """What a typed passphrase may be: a recovery key (tried first) or a passphrase."""
    recovery = _normalised_recovery(text)
    keys = [Key(recovery, raw=True)] if recovery else []
    return keys + [Key(text)]


def format_recovery_key(hex_key: str) -> str:
    """64 hex digits as 16 groups of 4, four groups to a line, for writing down."""
    groups = [hex_key[i : i + 4].upper() for i in range(0, len(hex_key), 4)]
    lines = ["-".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
    return "\n".join(lines)


def connect(path: Path | str, key: Key, *, readonly: bool = False, check: bool = True):
    """An SQLCipher connection keyed with ``key``; WrongKeyError if it does not open."""
    import sqlcipher3

    path = Path(path)
    target = read_only_uri(path) if readonly else path.resolve().as_uri()
    con = sqlcipher3.connect(target, uri=True, timeout=5, check_same_thread=False)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")  # our message, not SQLCipher's log
        con.execute(f"PRAGMA key = {key.pragma}")
        if check:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        con.close()
        raise WrongKeyError(path) from exc
    return con


def _opens(path: Path, key: Key) -> bool:
    try:
        connect(path, key, readonly=True).close()
    except WrongKeyError:
        return False
    return True


def resolve_key(
    path: Path | str, *, passphrase: str | None = None, secrets: SecretStore | None = None
) -> Key:
    """The key that opens the existing encrypted ``path``: from ``passphrase``, else the
    VOLUNTEERDESK_PASSPHRASE variable, else the keyring."""
    path = Path(path)
    given = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV) or None
    if given is not None:
        for key in keys_from_text(given):
            if _opens(path, key):
                return key
        raise WrongKeyError(path)
    store = secrets if secrets is not None else default_store()
    stored = store.get(account(path))
    if stored:
        key = Key(stored, raw=True) if _HEX_KEY.match(stored) else Key(stored)
        if _opens(path, key):
            return key
        raise PassphraseRequired(
            path,
            f"{path} is encrypted and the key kept in this computer's keyring does not open "
            "it. Give its passphrase or recovery key.",
        )
    raise PassphraseRequired(path)


def new_key(
    path: Path | str, *, passphrase: str | None = None, secrets: SecretStore | None = None
) -> Key:
    """A key for a database about to be encrypted: the passphrase given (or in the
    environment), else a random key kept in the keyring; PassphraseRequired(new=True)
    when there is neither."""
    given = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV) or None
    if given:
        return Key(given)
    store = secrets if secrets is not None else default_store()
    key = new_raw_key()
    try:
        store.set(account(path), key.secret)
    except SecretStoreUnavailable:
        raise PassphraseRequired(path, new=True) from None
    return key


@dataclass(frozen=True)
class Status:
    path: Path
    encrypted: bool
    key_in_keyring: bool
    keyring_available: bool


def status(path: Path | str, secrets: SecretStore | None = None) -> Status:
    store = secrets if secrets is not None else default_store()
    path = Path(path)
    return Status(
        path,
        is_encrypted(path),
        bool(store.get(account(path))),
        bool(getattr(store, "available", False)),
    )


@dataclass(frozen=True)
class Converted:
    key: Key = field(repr=False)
    key_in_keyring: bool
    plain_backups: list[Path]  # older unencrypted backups the user should delete


def _tables_and_counts(con) -> dict[str, int]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _drop_sidecars(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def convert_to_encrypted(
    path: Path | str,
    secrets: SecretStore | None = None,
    passphrase: str | None = None,
    *,
    backups_folder: Path | str | None = None,
) -> Converted:
    """Encrypt the plain database ``path`` in place. Nothing may have it open.

    The encrypted copy is written beside it (sqlcipher_export), checked (integrity and
    every table's row count), then moved over the original in one atomic rename. The
    original is kept as ``<name>.plain-backup`` until the new file has opened, then
    deleted, so no unencrypted copy is left behind by the conversion itself. Older
    unencrypted backups in the backups folder are listed for the user to delete.
    """
    path = Path(path).expanduser().resolve()
    if not is_plain_sqlite(path):
        raise DatabaseError(f"{path} is not an unencrypted database. Nothing was changed.")
    store = secrets if secrets is not None else default_store()
    plain = sqlite3.connect(path)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _tables_and_counts(plain)
    finally:
        plain.close()
    key = new_key(path, passphrase=passphrase, secrets=store)
    partial = path.with_name(path.name + ".encrypting")
    for leftover in (partial, Path(f"{partial}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        import sqlcipher3

        source = sqlcipher3.connect(str(path))
        try:
            source.execute("PRAGMA cipher_log_level = NONE")
            quoted = str(partial).replace("'", "''")
            source.execute(f"ATTACH DATABASE '{quoted}' AS encrypted KEY {key.pragma}")
            source.execute("SELECT sqlcipher_export('encrypted')")
            version = source.execute("PRAGMA user_version").fetchone()[0]
            source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            source.commit()
            source.execute("DETACH DATABASE encrypted")
        finally:
            source.close()
        check = connect(partial, key)
        try:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseError("The encrypted copy failed its integrity check.")
            if _tables_and_counts(check) != before:
                raise DatabaseError("The encrypted copy does not hold every row.")
        finally:
            check.close()
    except Exception:
        partial.unlink(missing_ok=True)
        raise
    kept = path.with_name(path.name + ".plain-backup")
    kept.unlink(missing_ok=True)
    try:
        os.link(path, kept)  # the original stays reachable until the new file opens
    except OSError:
        shutil.copy2(path, kept)
    try:
        _drop_sidecars(path)
        os.replace(partial, path)
        connect(path, key, readonly=True).close()
    except Exception:
        if kept.exists():
            os.replace(kept, path)
        raise
    kept.unlink(missing_ok=True)
    folder = Path(backups_folder) if backups_folder else backups_dir()
    plain_backups = sorted(p for p in folder.glob("*.db") if is_plain_sqlite(p))
    return Converted(key, key.raw, plain_backups)


def change_passphrase(
    path: Path | str,
    new: str | None,
    *,
    old: str | None = None,
    secrets: SecretStore | None = None,
    current: Key | None = None,
) -> Key:
    """Re-key the encrypted ``path`` (PRAGMA rekey). ``new`` None means a fresh random key
    kept in the keyring. The current key is ``current`` (the open database's), else found
    from ``old`` as when opening. Nothing else may have the file open. Returns the new key."""
    path = Path(path).expanduser().resolve()
    store = secrets if secrets is not None else default_store()
    if current is None:
        current = resolve_key(path, passphrase=old, secrets=store)
    if new is None:
        key = new_raw_key()
        store.set(account(path), key.secret)  # SecretStoreUnavailable: no keyring
    else:
        if not new:
            raise DatabaseError("The new passphrase is empty. Nothing was changed.")
        key = Key(new)
    con = connect(path, current)
    try:
        con.execute(f"PRAGMA rekey = {key.pragma}")
    finally:
        con.close()
    if not key.raw:
        store.delete(account(path))  # from now on the passphrase is asked for
    return key


def raw_key_hex(path: Path | str, key: Key) -> str:
    """The raw 256-bit key of ``path``: the key itself, or the passphrase stretched as
    SQLCipher 4 does it (PBKDF2-HMAC-SHA512 with the file's salt)."""
    if key.raw:
        return key.secret
    with Path(path).open("rb") as handle:
        salt = handle.read(16)
    return hashlib.pbkdf2_hmac("sha512", key.secret.encode(), salt, KDF_ITERATIONS, 32).hex()


def export_recovery_key(
    path: Path | str,
    secrets: SecretStore | None = None,
    passphrase: str | None = None,
    *,
    key: Key | None = None,
) -> str:
    """The recovery key of the encrypted ``path``, checked to open it, in groups."""
    path = Path(path).expanduser().resolve()
    if key is None:
        key = resolve_key(path, passphrase=passphrase, secrets=secrets)
    hex_key = raw_key_hex(path, key)
    if not _opens(path, Key(hex_key, raw=True)):
        raise DatabaseError(
            f"{path} uses key settings this version cannot turn into a recovery key."
        )
    return format_recovery_key(hex_key)


def forget_key(path: Path | str, secrets: SecretStore | None = None) -> None:
    """Remove the key from the keyring (the passphrase or recovery key is then needed)."""
    store = secrets if secrets is not None else default_store()
    store.delete(account(path))
