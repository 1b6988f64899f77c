"""Editing the catalogues and the organisation settings: checked, merged and audited.

On the ``database`` fixture, so these run on SQLite and (when configured) PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import select

from volunteerdesk.core.models import (
    AuditEntry,
    ClearanceType,
    Post,
    PostKind,
    PostRequirement,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
)
from volunteerdesk.core.services import catalogues as cat
from volunteerdesk.core.services.editing import ConflictError
from volunteerdesk.core.services.settings_edit import (
    SettingsInvalid,
    parse_reminder_days,
    save_org_settings,
)
from volunteerdesk.core.settings import OrgSettings, load_settings
from volunteerdesk.core.validation import InvalidValue


def _course(db, code):
    with db.uow() as s:
        return s.scalar(select(TrainingCourse).where(TrainingCourse.code == code))


def _last_audit(db):
    with db.uow() as s:
        return s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


def test_changing_a_validity_shows_as_set_locally_and_is_audited(database):
    keys = _course(database, "KEYS")
    with database.uow() as s:
        values, version, plain = cat.course_values(s, keys.id)
        saved = cat.update_course(
            s, "alice", keys.id, version, {"validity_months": 24}, opened=plain
        )
    assert saved.changes.touches("catalogues")
    with database.uow() as s:
        info = next(c for c in cat.training_courses(s) if c.id == keys.id)
    assert info.set_locally and info.validity_months == 24
    assert cat.validity_label(info) == "24 months (set locally; default 12)"
    entry = _last_audit(database)
    assert (entry.username, entry.entity, entry.action.value) == (
        "alice",
        "training_courses",
        "update",
    )
    assert json.loads(entry.changes) == {"validity_months": [12, 24]}
    with database.uow() as s:
        cat.update_course(s, "alice", keys.id, saved.version, {"validity_months": None})
        info = next(c for c in cat.training_courses(s) if c.id == keys.id)
    assert cat.validity_label(info) == "Does not expire (set locally; default 12)"
    with database.uow() as s:
        cat.update_course(s, "alice", keys.id, saved.version + 1, {"validity_months": 12})
        info = next(c for c in cat.training_courses(s) if c.id == keys.id)
    assert cat.validity_label(info) == "12 months"


def test_adding_a_course_and_a_clearance_type(database):
    with database.uow() as s:
        course = cat.add_course(
            s, "u", {"name": " Chapel  first aid ", "validity_months": 36, "active": True}
        )
        kind = cat.add_clearance_type(
            s,
            "u",
            {
                "name": "Escort clearance",
                "validity_months": None,
                "per_establishment": True,
                "levels": "Day, Night ,day",
            },
        )
    with database.uow() as s:
        new_course = s.get(TrainingCourse, course.record_id)
        assert (new_course.name, new_course.code) == ("Chapel first aid", "CHAPEL_FIRST_AID")
        new_kind = s.get(ClearanceType, kind.record_id)
        assert (new_kind.levels, new_kind.per_establishment) == ("Day,Night", True)
        info = next(c for c in cat.training_courses(s) if c.id == course.record_id)
    assert info.added_locally and cat.validity_label(info) == "36 months (added locally)"
    assert _last_audit(database).action.value == "create"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ""}, "Name is required"),
        ({"name": "data PROTECTION"}, "already one called"),
        ({"name": "X", "validity_months": 0}, None),  # 0 means never expires
        ({"name": "X", "validity_months": 5000}, "between 1 and 1200"),
        ({"name": "X", "within_months_of_start": 500}, "between 1 and 120"),
    ],
)
def test_course_values_are_checked(database, values, message):
    with database.uow() as s:
        if message is None:
            saved = cat.add_course(s, "u", values)
            assert s.get(TrainingCourse, saved.record_id).validity_months is None
        else:
            with pytest.raises(InvalidValue, match=message):
                cat.add_course(s, "u", values)


def test_a_course_in_use_is_deactivated_not_deleted(database):
    keys = _course(database, "KEYS")
    with database.uow() as s:
        v = Volunteer(first_name="Ann", last_name="Baker")
        s.add(v)
        s.flush()
        s.add(TrainingRecord(volunteer_id=v.id, course_id=keys.id, completed_on=date(2026, 1, 1)))
        spare = cat.add_course(s, "u", {"name": "Spare"})
    with database.uow() as s:
        removed = cat.remove_course(s, "u", keys.id)
        assert removed.deactivated and "deactivated rather than deleted" in removed.message
        gone = cat.remove_course(s, "u", spare.record_id)
        assert not gone.deactivated
    with database.uow() as s:
        assert s.get(TrainingCourse, keys.id).active is False
        assert s.get(TrainingCourse, spare.record_id) is None
    assert _last_audit(database).action.value == "delete"


def test_a_clearance_type_in_use_by_a_post_is_kept(database):
    with database.uow() as s:
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        site = Site(name="HMP X", kind=SiteKind.PRISON)
        post = Post(
            site=site, name="Mass", kind=PostKind.SERVICE, start_time=time(9), end_time=time(10)
        )
        post.requirements.append(PostRequirement(clearance_type=hmpps))
        s.add(site)
        s.flush()
        removed = cat.remove_clearance_type(s, "u", hmpps.id, hmpps.version)
    assert removed.deactivated and removed.uses == 1


def test_settings_save_checks_merges_and_audits(database):
    with database.uow() as s:
        opened = load_settings(s)
    mine = replace(opened, organisation_name="Westmoor Chaplaincy", reminder_days=[7, 30, 14, 7])
    with database.uow() as s:
        saved = save_org_settings(s, "alice", mine, opened=opened)
    assert saved.changed == ("organisation_name",)  # reminders tidy to the default
    assert saved.changes.touches("settings")
    entry = _last_audit(database)
    assert (entry.username, entry.entity, entry.action.value) == ("alice", "settings", "update")
    assert json.loads(entry.changes) == {
        "organisation_name": ["VolunteerDesk", "Westmoor Chaplaincy"]
    }
    # Someone else changes the marking; my later change of warning days merges with it.
    with database.uow() as s:
        save_org_settings(s, "bob", replace(opened, protective_marking="OFFICIAL"), opened=opened)
    with database.uow() as s:
        save_org_settings(s, "alice", replace(opened, warning_days=45), opened=opened)
        now = load_settings(s)
    assert (now.organisation_name, now.protective_marking, now.warning_days) == (
        "Westmoor Chaplaincy",
        "OFFICIAL",
        45,
    )
    assert now.set_locally() == {"organisation_name", "protective_marking", "warning_days"}
    # Both changed the marking: refused, naming it.
    with database.uow() as s, pytest.raises(ConflictError) as conflict:
        save_org_settings(s, "alice", replace(opened, protective_marking="SECRET"), opened=opened)
    assert [c.field for c in conflict.value.theirs] == ["protective_marking"]


def test_nothing_changed_writes_nothing(database):
    with database.uow() as s:
        saved = save_org_settings(s, "u", OrgSettings())
    assert saved.changed == () and not saved.changes.subjects
    assert _last_audit(database) is None


def test_settings_that_cannot_be_saved_say_which_and_why(database):
    bad = replace(
        OrgSettings(),
        organisation_name="  ",
        dbs_scan_retention_months=12,
        warning_days=0,
        logo_path="/tmp/logo.txt",
    )
    with database.uow() as s, pytest.raises(SettingsInvalid) as invalid:
        save_org_settings(s, "u", bad)
    assert set(invalid.value.errors) == {
        "organisation_name",
        "dbs_scan_retention_months",
        "warning_days",
        "logo_path",
    }
    assert "from 0 to 6" in invalid.value.errors["dbs_scan_retention_months"]
    assert parse_reminder_days("30; 14 7") == [30, 14, 7]
    with pytest.raises(InvalidValue, match="between 1 and 365"):
        parse_reminder_days("30, soon")
