"""Saving records: optimistic locking, conflicts that say what changed, and the audit log."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from volunteerdesk.core import audit
from volunteerdesk.core.models import AuditAction, AuditEntry, Volunteer, VolunteerStatus
from volunteerdesk.core.services import editing


def _new_volunteer(database) -> tuple[int, dict]:
    with database.uow() as s:
        v = editing.create(
            s,
            Volunteer,
            {"first_name": "Siân", "last_name": "Evans", "status": VolunteerStatus.ACTIVE},
            "alice",
        )
        return v.id, audit.column_values(v)


def test_update_writes_the_change_and_an_audit_entry(database):
    vid, opened = _new_volunteer(database)
    with database.uow() as s:
        editing.update(
            s, Volunteer, vid, opened["version"], {"phone": "07700 900123"}, "alice", opened=opened
        )
    with database.uow() as s:
        assert s.get(Volunteer, vid).phone == "07700 900123"
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action.value for e in entries] == ["create", "update"]
    assert json.loads(entries[1].changes) == {"phone": ["", "07700 900123"]}
    assert entries[1].username == "alice" and entries[1].entity_id == vid


def test_second_save_from_a_stale_copy_is_refused_and_says_what_changed(database):
    vid, opened = _new_volunteer(database)
    with database.uow() as s:  # Bob saves first
        editing.update(
            s, Volunteer, vid, opened["version"], {"phone": "07700 900001"}, "bob", opened=opened
        )
    with pytest.raises(editing.ConflictError) as caught, database.uow() as s:  # Alice is stale
        editing.update(
            s,
            Volunteer,
            vid,
            opened["version"],
            {"email": "sian@example.org"},
            "alice",
            opened=opened,
        )
    conflict = caught.value
    assert [(c.field, c.when_opened, c.now) for c in conflict.theirs] == [
        ("phone", "", "07700 900001")
    ]
    assert "phone" in str(conflict)
    # Re-apply on top of the current version: both changes are kept.
    with database.uow() as s:
        editing.update(
            s, Volunteer, vid, conflict.current_version, {"email": "sian@example.org"}, "alice"
        )
    with database.uow() as s:
        v = s.get(Volunteer, vid)
        assert (v.phone, v.email) == ("07700 900001", "sian@example.org")


def test_saving_a_deleted_record_says_so(database):
    vid, opened = _new_volunteer(database)
    with database.uow() as s:
        editing.delete(s, Volunteer, vid, opened["version"], "bob")
    with pytest.raises(editing.RecordGone, match="deleted"), database.uow() as s:
        editing.update(s, Volunteer, vid, opened["version"], {"phone": "07700 900001"}, "alice")


def test_sensitive_fields_are_masked_in_the_audit_log(database):
    vid, opened = _new_volunteer(database)
    with database.uow() as s:
        editing.update(
            s,
            Volunteer,
            vid,
            opened["version"],
            {"risk_assessment_on": __import__("datetime").date(2026, 1, 5)},
            "alice",
        )
    with database.uow() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert "2026" not in entry.changes
    assert json.loads(entry.changes) == {"risk_assessment_on": [audit.MASK, audit.MASK]}


def test_a_conflict_says_who_saved_the_record_and_when(database):
    vid, opened = _new_volunteer(database)  # created by alice
    with database.uow() as s:
        editing.update(
            s, Volunteer, vid, opened["version"], {"phone": "07700 900001"}, "bob", opened=opened
        )
    with database.uow() as s:
        bobs = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert editing.last_save(s, "volunteers", vid) == editing.LastSave("bob", bobs.at)
        s.add(  # opening a record (a DBS view) is not a save
            AuditEntry(
                username="carol", action=AuditAction.VIEW, entity="volunteers", entity_id=vid
            )
        )
    with database.uow() as s:
        assert editing.last_save(s, "volunteers", vid).username == "bob"
        assert editing.last_save(s, "volunteers", vid + 1000) is None
    with pytest.raises(editing.ConflictError) as caught, database.uow() as s:
        editing.update(s, Volunteer, vid, opened["version"], {"email": "s@example.org"}, "alice")
    assert caught.value.saved == editing.LastSave("bob", bobs.at)
    with pytest.raises(editing.ConflictError) as caught, database.uow() as s:
        editing.delete(s, Volunteer, vid, opened["version"], "alice")
    assert caught.value.saved.username == "bob"
