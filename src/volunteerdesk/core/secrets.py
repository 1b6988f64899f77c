"""Secrets behind a small interface: the operating system's keyring in production, an
in-memory store in tests, and "no store" where the system has no usable keyring.

Plaintext keyring back ends (``keyrings.alt``: files that only base64-encode) count as no
keyring at all: a database key must never be written where anyone can read it.
"""

from __future__ import annotations

from typing import Protocol

SERVICE = "VolunteerDesk"


class SecretStoreUnavailable(Exception):
    """There is no safe place to keep a secret on this system."""


class SecretStore(Protocol):
    available: bool

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class MemoryStore:
    """Secrets in a dict: for tests, and for a session that must not keep anything."""

    available = True

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self.values: dict[str, str] = dict(values or {})

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


class NoStore:
    """What a system without a usable keyring gets: nothing kept, so a passphrase is asked."""

    available = False

    def get(self, name: str) -> str | None:
        return None

    def set(self, name: str, value: str) -> None:
        raise SecretStoreUnavailable("This system has no keyring to keep the key in.")

    def delete(self, name: str) -> None:
        return None


def _unsafe_backend(backend) -> bool:
    """True for keyrings that are missing or keep secrets in readable files."""
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyrings.alt", "keyring.backends.null")):
        return True
    inner = getattr(backend, "backends", None)  # a chainer: usable if any member is safe
    if inner is not None:
        return not any(not _unsafe_backend(b) for b in inner)
    priority = getattr(backend, "priority", 1)
    try:
        return float(priority) <= 0
    except (TypeError, ValueError):
        return False


class KeyringStore:
    """The operating system's keyring (Windows Credential Manager, macOS Keychain, Secret
    Service on Linux), through the ``keyring`` package."""

    def __init__(self, service: str = SERVICE) -> None:
        import keyring

        self.service = service
        self._keyring = keyring
        try:
            backend = keyring.get_keyring()
            self.available = not _unsafe_backend(backend)
        except Exception:  # noqa: BLE001 - any failure to find a keyring means none
            self.available = False

    def get(self, name: str) -> str | None:
        if not self.available:
            return None
        from keyring.errors import KeyringError

        try:
            return self._keyring.get_password(self.service, name)
        except KeyringError:
            return None

    def set(self, name: str, value: str) -> None:
        if not self.available:
            raise SecretStoreUnavailable("This system has no keyring to keep the key in.")
        from keyring.errors import KeyringError

        try:
            self._keyring.set_password(self.service, name, value)
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring refused to keep the key: {exc}") from exc

    def delete(self, name: str) -> None:
        if not self.available:
            return
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._keyring.delete_password(self.service, name)
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            raise SecretStoreUnavailable(f"The keyring refused to forget the key: {exc}") from exc


_override: SecretStore | None = None


def set_default_store(store: SecretStore | None) -> None:
    """Replace what ``default_store`` returns (tests use a MemoryStore); None restores it."""
    global _override
    _override = store


def default_store() -> SecretStore:
    """The keyring when the system has a safe one, else a store that keeps nothing."""
    if _override is not None:
        return _override
    store = KeyringStore()
    return store if store.available else NoStore()
