"""The engine factory, the unit of work and the start-up checks and migrations.

One code path serves SQLite (a file, the default) and PostgreSQL (a shared server).
Opening never damages a file it refuses: an SQLite file is inspected read-only before
anything writes to it.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .paths import default_database_path
from .schema import HEAD


class DatabaseError(Exception):
    """A database that cannot be opened; the message is written for the user."""


class NotVolunteerDeskDatabase(DatabaseError):
    pass


class NewerDatabaseError(DatabaseError):
    pass


class WrongKeyError(DatabaseError):
    """The passphrase, recovery key or stored key does not open an encrypted file."""

    def __init__(self, path: Path | str, message: str | None = None) -> None:
        self.path = Path(path)
        super().__init__(message or f"The passphrase for {path} is not right. Nothing was changed.")


class PassphraseRequired(DatabaseError):
    """An encrypted file (or a new one to encrypt) and no key: ask the user for one.

    ``new`` is True when the user must choose a passphrase (no keyring to keep a key)."""

    def __init__(self, path: Path | str, message: str | None = None, *, new: bool = False):
        self.path = Path(path)
        self.new = new
        if message is None:
            message = (
                f"{path} is to be encrypted and this computer has no keyring to keep its "
                "key: choose a passphrase (or set VOLUNTEERDESK_PASSPHRASE)."
                if new
                else f"{path} is encrypted: give its passphrase or recovery key "
                "(or set VOLUNTEERDESK_PASSPHRASE)."
            )
        super().__init__(message)


def normalise_url(target: str | Path | None) -> str:
    """A URL for SQLAlchemy from a path, a URL, or None (the default database)."""
    if target is None or str(target) == "":
        target = default_database_path()
    text_target = str(target)
    if "://" in text_target:
        return text_target
    path = Path(text_target).expanduser().resolve()
    return f"sqlite:///{path}"


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")  # a saved change survives a power cut too
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def make_engine(url: str, key=None) -> Engine:
    """An engine for ``url``; ``key`` (an encryption.Key) opens an SQLCipher file, keyed
    before any other pragma."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and key is not None:
        import sqlcipher3

        from .encryption import connect

        path = _sqlite_path(url)
        engine = create_engine(
            url, module=sqlcipher3, creator=lambda: connect(path, key, check=False)
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return create_engine(url, pool_pre_ping=True)


def describe(url: str) -> str:
    """A short name for the database for titles and status bars (no password)."""
    parsed = make_url(url)
    path = _sqlite_path(url)
    if path is not None:
        return str(path)
    if parsed.get_backend_name() == "sqlite":
        return "in-memory database"
    return f"{parsed.database} on {parsed.host or 'localhost'}"


def _inspect_sqlite_file(path: Path, key=None) -> None:
    """Refuse, without writing a byte, a file that is not ours or is from a newer version."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        if key is not None:
            from .encryption import connect

            con = connect(path, key, readonly=True)
        else:
            con = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            con.close()
    except (sqlite3.DatabaseError, _cipher_error()) as exc:
        raise NotVolunteerDeskDatabase(
            f"{path} is not a VolunteerDesk database (SQLite says: {exc}). "
            "Nothing was changed. Choose another file."
        ) from exc
    _check_revision(str(path), tables, revision)


def read_only_uri(path: Path) -> str:
    """A read-only URI for ``path``. Reading a WAL-mode file read-only makes SQLite create
    -wal and -shm files it cannot remove afterwards, so a file without a -wal (nobody has
    it open, nothing to recover) is read as immutable: SQLite creates nothing beside it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return uri if Path(f"{path}-wal").exists() else f"{uri}&immutable=1"


@contextmanager
def _no_new_sidecars(path: Path) -> Iterator[None]:
    """On an error (a refused file), remove the -wal and -shm files that looking at
    ``path`` read-only created beside it (an encrypted WAL-mode file, read through
    SQLCipher), so a refused file is left as it was found. Only when neither was there
    before and the -wal is empty: one that another program is writing is never touched."""
    sidecars = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    if any(p.exists() for p in sidecars):
        yield
        return
    try:
        yield
    except BaseException:
        wal = sidecars[0]
        if not wal.exists() or wal.stat().st_size == 0:
            for sidecar in sidecars:
                sidecar.unlink(missing_ok=True)
        raise


def _cipher_error() -> type[Exception]:
    try:
        import sqlcipher3
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency
        return sqlite3.DatabaseError
    return sqlcipher3.DatabaseError


def _check_revision(name: str, tables: set[str], revision: str | None) -> None:
    user_tables = {t for t in tables if not t.startswith("sqlite_")}
    if not user_tables:
        return
    if "alembic_version" not in user_tables or "volunteers" not in user_tables:
        raise NotVolunteerDeskDatabase(
            f"{name} is a database, but not a VolunteerDesk one. Nothing was changed."
        )
    if revision is not None and revision != HEAD and not _is_known_revision(revision):
        raise NewerDatabaseError(
            f"{name} was written by a newer version of VolunteerDesk (schema {revision}). "
            "Nothing was changed. Please install the latest version to open it."
        )


def _is_known_revision(revision: str) -> bool:
    from . import migrations  # Alembic is loaded only when the schema is not current

    return migrations.is_known_revision(revision)


def _current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as con:
            if not inspect(con).has_table("alembic_version"):
                return None
            return con.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError:
        return None


def _migrate(engine: Engine) -> None:
    if _current_revision(engine) == HEAD:
        return
    from . import migrations

    migrations.upgrade(engine)


def _inspect_server(engine: Engine) -> None:
    try:
        with engine.connect() as con:
            tables = set(inspect(con).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = con.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:
        raise DatabaseError(
            f"Cannot reach the database server {describe(str(engine.url))}: "
            f"{exc.orig or exc}. Check the address and that the server is running."
        ) from exc
    _check_revision(describe(str(engine.url)), tables, revision)


@dataclass
class Database:
    """An open VolunteerDesk database: its engine, sessions and who is using it."""

    url: str
    engine: Engine
    username: str
    key: object | None = field(default=None, repr=False)  # an encryption.Key when encrypted

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @property
    def path(self) -> Path | None:
        return _sqlite_path(self.url)

    def reopen(self, key) -> None:
        """Close every connection and reconnect with ``key`` (after the file was
        converted or re-keyed); units of work begun later use the new engine."""
        self.engine.dispose()
        self.key = key
        self.engine = make_engine(self.url, key)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def name(self) -> str:
        return describe(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def uow(self) -> Iterator[Session]:
        """One unit of work: a short session, committed on success, rolled back on error."""
        session = self._sessions()
        session.info["volunteerdesk.username"] = self.username  # core/access.py reads it
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    target: str | Path | None = None,
    *,
    username: str | None = None,
    passphrase: str | None = None,
    secrets=None,
    encrypt: bool | None = None,
) -> Database:
    """Open (creating if new) and migrate a database; refuse with a clear message otherwise.

    An encrypted SQLite file is opened with ``passphrase`` (a passphrase or recovery key),
    else $VOLUNTEERDESK_PASSPHRASE, else the key in ``secrets`` (default: the keyring).
    A new file is encrypted when ``encrypt`` is True, or when it is the default database
    (no ``target``) and ``encrypt`` is not False. Raises PassphraseRequired when a key is
    needed and none was given, WrongKeyError when the one given does not open the file.
    """
    url = normalise_url(target)
    path = _sqlite_path(url)
    key = None
    if path is not None:
        default = target is None or str(target) == ""
        with _no_new_sidecars(path):
            key = _sqlite_key(path, passphrase, secrets, encrypt, default=default)
            _inspect_sqlite_file(path, key)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, key)
    if path is None:
        _inspect_server(engine)
    _migrate(engine)
    user = username or make_url(url).username or _os_user()
    database = Database(url=url, engine=engine, username=user, key=key)
    from .catalogue import seed_defaults  # local import: catalogue needs models only

    with database.uow() as session:
        seed_defaults(session)
    return database


def _sqlite_key(path: Path, passphrase, secrets, encrypt, *, default: bool):
    """The key for ``path``, or None for a plain file. Only encrypted files and new files
    to encrypt load the encryption module (and look in the keyring)."""
    size = path.stat().st_size if path.exists() else 0
    if size > 0:
        try:
            with path.open("rb") as handle:
                if handle.read(16) == b"SQLite format 3\x00":
                    return None  # a plain database: nothing more to load
        except OSError:
            return None  # unreadable: the inspection says so in the user's words
        from .encryption import is_encrypted, resolve_key

        if not is_encrypted(path):
            return None  # plain, or not a database: the inspection says which
        return resolve_key(path, passphrase=passphrase, secrets=secrets)
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:  # a crash before the first checkpoint
        from .encryption import account, resolve_key
        from .secrets import default_store

        store = secrets if secrets is not None else default_store()
        if passphrase or store.get(account(path)):
            return resolve_key(path, passphrase=passphrase, secrets=store)
    if encrypt or (encrypt is None and default):
        from .encryption import new_key

        path.parent.mkdir(parents=True, exist_ok=True)
        return new_key(path, passphrase=passphrase, secrets=secrets)
    return None


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "user"
