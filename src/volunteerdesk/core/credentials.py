"""PostgreSQL sign-in: the password kept in the keyring, and the URL it goes into.

Passwords live behind ``core.secrets.SecretStore`` (the operating system's keyring in
production, ``MemoryStore`` in tests), one entry per server, database and login. Where
the system has no safe keyring (``NoStore``) nothing is kept and the person is asked
each time. A password never goes into settings, logs or the window title.
"""

from __future__ import annotations

import contextlib

from sqlalchemy.engine import make_url

from .secrets import SecretStore, SecretStoreUnavailable, default_store


def account(url: str, username: str | None = None) -> str:
    """The keyring entry name for a login on a server: "postgresql:bob@host:5432/db"."""
    parsed = make_url(url)
    user = username or parsed.username or ""
    host = parsed.host or "localhost"
    port = parsed.port or 5432
    return f"postgresql:{user}@{host}:{port}/{parsed.database or ''}"


def needs_credentials(url: str) -> bool:
    """True for a server database (not SQLite)."""
    return make_url(url).get_backend_name() != "sqlite"


def connect_url_with_credentials(url: str, username: str, password: str) -> str:
    """``url`` with this login and password (quoted as the URL needs)."""
    parsed = make_url(url).set(username=username or None, password=password or None)
    return parsed.render_as_string(hide_password=False)


def load_password(url: str, username: str, store: SecretStore | None = None) -> str | None:
    """The kept password for this login on this server, or None."""
    store = store if store is not None else default_store()
    try:
        return store.get(account(url, username))
    except SecretStoreUnavailable:
        return None


def store_password(
    url: str, username: str, password: str, store: SecretStore | None = None
) -> bool:
    """Keep the password; False when this system has nowhere safe to keep it."""
    store = store if store is not None else default_store()
    if not getattr(store, "available", True):
        return False
    try:
        store.set(account(url, username), password)
    except SecretStoreUnavailable:
        return False
    return True


def forget_password(url: str, username: str, store: SecretStore | None = None) -> None:
    """Drop a kept password (after the server refused it, or on sign-out)."""
    store = store if store is not None else default_store()
    with contextlib.suppress(SecretStoreUnavailable):
        store.delete(account(url, username))
