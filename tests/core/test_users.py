"""Users and roles: administrators add, change and deactivate users; every change audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from volunteerdesk.core.access import NotAllowed, access_for
from volunteerdesk.core.models import AuditEntry, Site, SiteKind, User, UserRole
from volunteerdesk.core.services import editing, users
from volunteerdesk.core.validation import InvalidValue


def _site(db, name="HMP Westmoor") -> int:
    with db.uow() as s:
        return editing.create(s, Site, {"name": name, "kind": SiteKind.PRISON}, "tester").id


def test_adding_the_first_user_adds_me_as_administrator_too(database):
    site = _site(database)
    with database.uow() as s:
        row = users.create_user(
            s, "tester", {"username": "cora", "display_name": "Cora Lee",
                          "role": UserRole.COORDINATOR}, [site],
        )  # fmt: skip
        assert row.sites == "HMP Westmoor" and row.role_label == "Coordinator"
    with database.uow() as s:
        listed = users.list_users(s, "tester")
        assert [(u.username, u.role) for u in listed] == [
            ("cora", UserRole.COORDINATOR),
            ("tester", UserRole.ADMINISTRATOR),
        ]
        assert access_for(s, "tester").is_administrator
        assert access_for(s, "cora").site_ids == {site}
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "users")).all()
        summaries = [e.summary for e in entries]
        assert "Added tester as the first administrator" in summaries
        assert "Added user cora" in summaries
        sites_entry = next(e for e in entries if e.summary == "Sites of user cora")
        assert json.loads(sites_entry.changes) == {"sites": ["", "HMP Westmoor"]}
        assert all(e.username == "tester" for e in entries)


def test_the_first_user_cannot_be_me_without_administrator_rights(database):
    with pytest.raises(InvalidValue, match="must be an active administrator"), database.uow() as s:
        users.create_user(s, "tester", {"username": "tester", "role": UserRole.READ_ONLY})


def test_changing_role_and_sites_is_audited(database):
    a, b = _site(database), _site(database, "Eastgate Court")
    with database.uow() as s:
        cora = users.create_user(
            s, "tester", {"username": "cora", "role": UserRole.COORDINATOR}, [a]
        )
    with database.uow() as s:
        row = users.update_user(s, "tester", cora.id, cora.version, {}, [a, b])
        assert row.sites == "Eastgate Court, HMP Westmoor"
        row = users.update_user(s, "tester", cora.id, row.version, {"role": UserRole.READ_ONLY})
        assert row.role is UserRole.READ_ONLY and row.site_ids == frozenset()  # sites dropped
    with database.uow() as s:
        changes = [
            json.loads(e.changes)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == cora.id,
                                         AuditEntry.entity == "users").order_by(AuditEntry.id)
            )
        ]  # fmt: skip
        assert {"role": ["coordinator", "read_only"]} in changes
        assert {"sites": ["HMP Westmoor", "Eastgate Court, HMP Westmoor"]} in changes


def test_the_last_administrator_cannot_be_demoted_or_deactivated(database):
    with database.uow() as s:
        users.create_user(s, "tester", {"username": "rita"})
        me = s.scalar(select(User).where(User.username == "tester"))
    for values in ({"role": UserRole.READ_ONLY}, {"active": False}):
        with pytest.raises(InvalidValue, match="last active administrator"), database.uow() as s:
            users.update_user(s, "tester", me.id, me.version, values, [])


def test_user_names_are_unique_ignoring_case_and_need_no_spaces(database):
    with database.uow() as s:
        users.create_user(s, "tester", {"username": "rita"})
    with pytest.raises(InvalidValue, match="already a user called"), database.uow() as s:
        users.create_user(s, "tester", {"username": "RITA"})
    with pytest.raises(InvalidValue, match="no spaces"), database.uow() as s:
        users.create_user(s, "tester", {"username": "rita smith"})
    with pytest.raises(InvalidValue, match="at least one site"), database.uow() as s:
        users.create_user(s, "tester", {"username": "col", "role": UserRole.COORDINATOR})


def test_only_administrators_manage_users(database):
    with database.uow() as s:
        rita = users.create_user(s, "tester", {"username": "rita"})
    with pytest.raises(NotAllowed), database.uow() as s:
        users.list_users(s, "rita")
    with pytest.raises(NotAllowed), database.uow() as s:
        users.update_user(s, "rita", rita.id, rita.version, {"role": UserRole.ADMINISTRATOR})
    with database.uow() as s:
        assert s.get(User, rita.id).role is UserRole.READ_ONLY


def test_server_passwords_are_kept_per_login_in_the_secret_store():
    from volunteerdesk.core import credentials
    from volunteerdesk.core.secrets import MemoryStore, NoStore

    url = "postgresql+psycopg://db.example:5433/volunteers"
    store = MemoryStore()
    assert credentials.needs_credentials(url)
    assert not credentials.needs_credentials("sqlite:////tmp/x.db")
    assert credentials.load_password(url, "cora", store) is None
    assert credentials.store_password(url, "cora", "p@ss:/word", store)
    assert credentials.load_password(url, "cora", store) == "p@ss:/word"
    assert credentials.load_password(url, "rita", store) is None
    assert list(store.values) == ["postgresql:cora@db.example:5433/volunteers"]
    credentials.forget_password(url, "cora", store)
    assert credentials.load_password(url, "cora", store) is None
    assert not credentials.store_password(url, "cora", "x", NoStore())  # no keyring: not kept
    full = credentials.connect_url_with_credentials(url, "cora", "p@ss:/word")
    from sqlalchemy.engine import make_url

    parsed = make_url(full)
    assert (parsed.username, parsed.password, parsed.host, parsed.port, parsed.database) == (
        "cora", "p@ss:/word", "db.example", 5433, "volunteers"
    )  # fmt: skip
