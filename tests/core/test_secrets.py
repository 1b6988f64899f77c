"""The secret stores: memory for tests, the keyring only when it is a safe one."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from volunteerdesk.core import secrets as secrets_module
from volunteerdesk.core.secrets import (
    KeyringStore,
    MemoryStore,
    NoStore,
    SecretStoreUnavailable,
    default_store,
    set_default_store,
)


def test_memory_store_gets_sets_and_deletes():
    store = MemoryStore()
    assert store.get("a") is None
    store.set("a", "1")
    assert store.get("a") == "1"
    store.delete("a")
    store.delete("a")  # forgetting twice is fine
    assert store.get("a") is None


def test_no_store_keeps_nothing():
    store = NoStore()
    assert not store.available and store.get("a") is None
    with pytest.raises(SecretStoreUnavailable):
        store.set("a", "1")


def test_a_failing_keyring_counts_as_none(monkeypatch):
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    store = KeyringStore()
    assert not store.available
    assert store.get("x") is None
    with pytest.raises(SecretStoreUnavailable):
        store.set("x", "y")
    set_default_store(None)
    assert isinstance(default_store(), NoStore)


def test_plaintext_keyrings_are_never_used(monkeypatch):
    class PlaintextKeyring:  # what keyrings.alt offers: base64 in a file
        priority = 0.5

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    monkeypatch.setattr(keyring, "get_keyring", PlaintextKeyring)
    assert not KeyringStore().available


def test_a_real_keyring_is_used(monkeypatch):
    kept: dict = {}

    class SafeKeyring:
        priority = 5

    monkeypatch.setattr(keyring, "get_keyring", SafeKeyring)
    monkeypatch.setattr(keyring, "set_password", lambda s, n, v: kept.__setitem__((s, n), v))
    monkeypatch.setattr(keyring, "get_password", lambda s, n: kept.get((s, n)))
    store = KeyringStore()
    assert store.available
    store.set("/data/volunteerdesk.db", "abc")
    assert kept == {("VolunteerDesk", "/data/volunteerdesk.db"): "abc"}
    assert store.get("/data/volunteerdesk.db") == "abc"


def test_the_default_can_be_replaced_for_tests():
    memory = MemoryStore()
    set_default_store(memory)
    try:
        assert secrets_module.default_store() is memory
    finally:
        set_default_store(None)
