"""Saving volunteers: create, update with their lists, archive, delete; audited and locked.

Runs on the ``database`` fixture: SQLite, and PostgreSQL when configured.
"""

from __future__ import annotations

import json
from datetime import date, time

import pytest
from sqlalchemy import select

from volunteerdesk.core import audit
from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    AuditEntry,
    Community,
    CommunityKind,
    Endorsement,
    Faith,
    Post,
    PostKind,
    Role,
    Shift,
    Site,
    SiteKind,
    Volunteer,
    VolunteerStatus,
    WeeklyAvailability,
)
from volunteerdesk.core.models import Session as DaySession
from volunteerdesk.core.services import volunteer_edit as edit
from volunteerdesk.core.services.editing import ConflictError, RecordGone
from volunteerdesk.core.services.volunteer_edit import Period, Slot
from volunteerdesk.core.services.volunteers import list_volunteers, upcoming_shifts
from volunteerdesk.core.validation import InvalidValue

TODAY = date(2026, 3, 11)
DEMO_TODAY = date(2026, 11, 23)  # as tests/conftest.py builds the small demo


@pytest.fixture
def world(database):
    """Two sites, a parish, the seeded roles and faiths; returns their ids by name."""
    with database.uow() as s:
        s.add_all(
            [
                Site(name="HMP Eastfield", kind=SiteKind.PRISON),
                Site(name="Northtown Magistrates' Court", kind=SiteKind.MAGISTRATES_COURT),
                Community(name="St Anne's Parish", kind=CommunityKind.FAITH_COMMUNITY),
                Community(name="Court Support Trust", kind=CommunityKind.PARTNER),
            ]
        )
        s.flush()
        ids = {n: i for i, n in s.execute(select(Site.id, Site.name))}
        ids |= {n: i for i, n in s.execute(select(Community.id, Community.name))}
        ids |= {n: i for i, n in s.execute(select(Role.id, Role.name))}
        ids |= {n: i for i, n in s.execute(select(Faith.id, Faith.name))}
    return ids


def _create(database, world, **extra):
    values = {
        "first_name": "Siân",
        "last_name": "Evans",
        "email": "sian@example.org",
        "phone": "07700900123",
        "status": "active",
        "started_on": date(2025, 5, 1),
        "community_id": world["St Anne's Parish"],
        "role_ids": (world["Official Prison Visitor"],),
        "site_ids": (world["HMP Eastfield"],),
        "availability": (Slot(2, "morning"), Slot(6, "evening", 2, date(2026, 1, 4))),
        "unavailability": (Period(date(2026, 4, 1), date(2026, 4, 14), "Holiday"),),
        "endorsed_by": "Fr Paul",
        "endorsed_on": date(2025, 4, 20),
    } | extra
    with database.uow() as s:
        return edit.create_volunteer(s, values, "alice", today=TODAY)


def _entries(database) -> list[AuditEntry]:
    with database.uow() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_create_writes_the_record_its_lists_and_the_audit(database, world):
    saved = _create(database, world)
    with database.uow() as s:
        record = edit.load_for_edit(s, saved.volunteer_id)
    v = record.values
    assert (v["first_name"], v["last_name"], v["status"]) == ("Siân", "Evans", "active")
    assert v["phone"] == "07700 900123"  # tidied by the same check the form uses
    assert v["status_since"] == TODAY
    assert v["role_ids"] == (world["Official Prison Visitor"],)
    assert v["site_ids"] == (world["HMP Eastfield"],)
    assert v["availability"] == (Slot(2, "morning"), Slot(6, "evening", 2, date(2026, 1, 4)))
    assert v["unavailability"] == (Period(date(2026, 4, 1), date(2026, 4, 14), "Holiday"),)
    assert (v["endorsed_by"], v["endorsed_on"]) == ("Fr Paul", date(2025, 4, 20))
    assert record.version == saved.version
    assert record.opened["role_ids"] == "Official Prison Visitor"
    assert "Sun evening fortnightly from 04/01/2026" in record.opened["availability"]
    assert saved.changes.touches("volunteers", "communities")
    entries = _entries(database)
    assert {(e.action.value, e.entity) for e in entries} >= {
        ("create", "volunteers"),
        ("create", "endorsements"),
    }
    lists = next(e for e in entries if e.summary == "Set lists")
    assert json.loads(lists.changes)["roles"] == ["", "Official Prison Visitor"]
    assert all(e.username == "alice" for e in entries)


def test_update_changes_fields_and_lists_and_audits_each(database, world):
    saved = _create(database, world)
    with database.uow() as s:
        result = edit.update_volunteer(
            s,
            saved.volunteer_id,
            saved.version,
            {
                "email": "sian.evans@example.org",
                "role_ids": (world["Official Prison Visitor"], world["Chapel administration"]),
                "site_ids": (),
                "availability": (Slot(2, "afternoon"),),
                "unavailability": (),
                "endorsed_by": "Revd Jane",
            },
            "bob",
            opened=saved.opened,
            today=TODAY,
        )
    assert result.version > saved.version
    with database.uow() as s:
        v = edit.load_for_edit(s, saved.volunteer_id).values
        endorsement = s.scalar(select(Endorsement))
    assert v["email"] == "sian.evans@example.org"
    assert len(v["role_ids"]) == 2 and v["site_ids"] == ()
    assert v["availability"] == (Slot(2, "afternoon"),) and v["unavailability"] == ()
    assert endorsement.endorsed_by == "Revd Jane"
    entries = [e for e in _entries(database) if e.username == "bob"]
    changes = {}
    for e in entries:
        changes.update(json.loads(e.changes))
    assert changes["email"] == ["sian@example.org", "sian.evans@example.org"]
    assert changes["roles"] == [
        "Official Prison Visitor",
        "Chapel administration, Official Prison Visitor",
    ]
    assert changes["sites"] == ["HMP Eastfield", ""]
    assert changes["availability"][1] == "Wed afternoon weekly"
    assert changes["unavailability"][1] == ""
    assert changes["endorsed_by"] == ["Fr Paul", "Revd Jane"]


def test_changing_only_a_list_bumps_the_version(database, world):
    saved = _create(database, world)
    with database.uow() as s:
        result = edit.update_volunteer(
            s, saved.volunteer_id, saved.version, {"site_ids": ()}, "bob", opened=saved.opened
        )
    assert result.version == saved.version + 1
    with database.uow() as s:  # and an unchanged list changes nothing
        same = edit.update_volunteer(
            s, saved.volunteer_id, result.version, {"site_ids": ()}, "bob", opened=result.opened
        )
    assert same.version == result.version


def test_second_save_from_a_stale_copy_names_their_list_changes(database, world):
    saved = _create(database, world)
    with database.uow() as s:  # Bob adds a role
        edit.update_volunteer(
            s,
            saved.volunteer_id,
            saved.version,
            {"role_ids": (world["Official Prison Visitor"], world["Chapel administration"])},
            "bob",
            opened=saved.opened,
        )
    with pytest.raises(ConflictError) as caught, database.uow() as s:  # Alice is stale
        edit.update_volunteer(
            s, saved.volunteer_id, saved.version, {"notes": "Drives"}, "alice", opened=saved.opened
        )
    conflict = caught.value
    assert [(c.field, c.now) for c in conflict.theirs] == [
        ("role_ids", "Chapel administration, Official Prison Visitor")
    ]
    with database.uow() as s:  # re-applying on top of theirs keeps both
        edit.update_volunteer(
            s,
            saved.volunteer_id,
            conflict.current_version,
            {"notes": "Drives"},
            "alice",
            opened=conflict.current,
        )
    with database.uow() as s:
        v = edit.load_for_edit(s, saved.volunteer_id).values
    assert v["notes"] == "Drives" and len(v["role_ids"]) == 2


def test_rules_are_enforced_by_the_service_too(database, world):
    with pytest.raises(InvalidValue, match="Last name is required"):
        _create(database, world, last_name=" ")
    with pytest.raises(InvalidValue, match="not an email"):
        _create(database, world, email="sian@")
    with pytest.raises(InvalidValue, match="not a UK phone"):
        _create(database, world, phone="12345")
    with pytest.raises(InvalidValue, match="before the start date"):
        _create(database, world, left_on=date(2025, 1, 1), status="left")
    with pytest.raises(InvalidValue, match="date they left"):
        _create(database, world, status="left")
    with pytest.raises(InvalidValue, match="fortnight"):
        _create(database, world, availability=(Slot(0, "morning", 2, None),))
    with database.uow() as s:
        assert s.scalar(select(Volunteer)) is None


def test_faith_is_kept_only_with_consent(database, world):
    saved = _create(database, world, faith_id=world["Roman Catholic"], faith_consent=False)
    with database.uow() as s:
        assert s.get(Volunteer, saved.volunteer_id).faith_id is None
        result = edit.update_volunteer(
            s,
            saved.volunteer_id,
            saved.version,
            {"faith_consent": True, "faith_id": world["Roman Catholic"]},
            "alice",
            today=TODAY,
        )
    with database.uow() as s:
        v = s.get(Volunteer, saved.volunteer_id)
        assert (v.faith_id, v.faith_consent_on) == (world["Roman Catholic"], TODAY)
        edit.update_volunteer(
            s, v.id, result.version, {"faith_consent": False}, "alice", today=TODAY
        )
    with database.uow() as s:
        v = s.get(Volunteer, saved.volunteer_id)
        assert (v.faith_consent, v.faith_id, v.faith_consent_on) == (False, None, None)
    faith_changes = [json.loads(e.changes).get("faith_id") for e in _entries(database)]
    assert [audit.MASK, audit.MASK] in faith_changes  # audited, but never the faith itself
    assert all("Roman" not in e.changes for e in _entries(database))


def test_archive_keeps_the_record_and_marks_them_left(database, world):
    saved = _create(database, world)
    with database.uow() as s:
        result = edit.archive_volunteer(s, saved.volunteer_id, date(2026, 3, 1), "alice")
    with database.uow() as s:
        v = s.get(Volunteer, saved.volunteer_id)
        assert (v.status, v.left_on, v.status_since) == (
            VolunteerStatus.LEFT,
            date(2026, 3, 1),
            date(2026, 3, 1),
        )
        row = next(r for r in list_volunteers(s) if r.id == v.id)
    assert row.has_left and row.left_on == date(2026, 3, 1)
    assert result.changes.touches("volunteers")
    assert json.loads(_entries(database)[-1].changes)["status"] == ["active", "left"]
    with pytest.raises(InvalidValue), database.uow() as s:
        edit.archive_volunteer(s, saved.volunteer_id, date(2020, 1, 1), "alice")


def _shift(s, site_id: int, day: date) -> Shift:
    post = s.scalar(select(Post)) or Post(
        site_id=site_id,
        name="Chapel",
        kind=PostKind.SERVICE,
        start_time=time(9),
        end_time=time(11),
    )
    shift = Shift(post=post, date=day, start_time=time(9), end_time=time(11))
    s.add(shift)
    return shift


def test_delete_removes_a_record_made_in_error_and_audits_it(database, world):
    saved = _create(database, world)
    with database.uow() as s:
        s.add(
            Assignment(
                shift=_shift(s, world["HMP Eastfield"], date(2026, 3, 20)),
                volunteer_id=saved.volunteer_id,
            )
        )
    with database.uow() as s:
        check = edit.deletion_check(s, saved.volunteer_id, TODAY)
        assert (check.name, check.attended, check.upcoming, check.allowed) == (
            "Siân Evans",
            0,
            1,
            True,
        )
        assert len(upcoming_shifts(s, saved.volunteer_id, TODAY)) == 1
        changes = edit.delete_volunteer(s, saved.volunteer_id, "alice", today=TODAY)
    assert changes.touches("volunteers", "assignments")
    with database.uow() as s:
        assert s.get(Volunteer, saved.volunteer_id) is None
        assert s.scalar(select(Assignment)) is None
    last = _entries(database)[-1]
    assert (last.action.value, last.entity, last.username) == ("delete", "volunteers", "alice")
    assert "Siân Evans" in last.summary
    with pytest.raises(RecordGone), database.uow() as s:
        edit.delete_volunteer(s, saved.volunteer_id, "alice")


def test_delete_is_refused_for_someone_who_attended_shifts(database, world):
    saved = _create(database, world)
    with database.uow() as s:
        s.add(
            Assignment(
                shift=_shift(s, world["HMP Eastfield"], date(2026, 2, 1)),
                volunteer_id=saved.volunteer_id,
                status=AssignmentStatus.ATTENDED,
            )
        )
    with pytest.raises(edit.CannotDelete, match="Archive them instead"), database.uow() as s:
        edit.delete_volunteer(s, saved.volunteer_id, "alice", today=TODAY)
    with database.uow() as s:
        assert s.get(Volunteer, saved.volunteer_id) is not None


def test_saving_a_deleted_volunteer_says_so(database, world):
    saved = _create(database, world)
    with database.uow() as s:
        edit.delete_volunteer(s, saved.volunteer_id, "bob", today=TODAY)
    with pytest.raises(RecordGone), database.uow() as s:
        edit.update_volunteer(s, saved.volunteer_id, saved.version, {"notes": "x"}, "alice")


def test_an_unchanged_availability_is_not_rewritten(database, world):
    """Slots stored another way (a weekly slot with an anchor) read back as they are."""
    saved = _create(database, world, availability=())
    with database.uow() as s:
        v = s.get(Volunteer, saved.volunteer_id)
        v.availability.append(
            WeeklyAvailability(weekday=0, session=DaySession.MORNING, anchor_date=date(2026, 1, 5))
        )
        v.availability.append(
            WeeklyAvailability(
                weekday=3, session=DaySession.EVENING, every_n_weeks=2, anchor_date=date(2026, 1, 5)
            )
        )
    with database.uow() as s:
        record = edit.load_for_edit(s, saved.volunteer_id)
        assert record.values["availability"] == (
            Slot(0, "morning"),
            Slot(3, "evening", 2, date(2026, 1, 8)),  # the Thursday of the anchor's week
        )
        result = edit.update_volunteer(
            s,
            saved.volunteer_id,
            record.version,
            {"availability": record.values["availability"]},
            "alice",
            opened=record.opened,
        )
    assert result.version == record.version  # nothing changed, nothing written


def test_list_rows_count_compliance_as_the_compliance_page_does(small_demo):
    from collections import Counter

    from volunteerdesk.core.services.compliance import compliance_items

    with small_demo.uow() as s:
        rows = {r.id: r for r in list_volunteers(s, compliance_as_of=DEMO_TODAY)}
        items = compliance_items(s, today=DEMO_TODAY)
    expected = Counter((i.volunteer_id, i.state) for i in items)
    for vid, row in rows.items():
        assert (row.expired, row.expiring, row.pending) == (
            expected[(vid, "expired")],
            expected[(vid, "expiring")],
            expected[(vid, "pending")],
        )
    assert any(r.expired for r in rows.values()) and any(r.pending for r in rows.values())
    assert all(r.compliance_text == "" for r in rows.values() if r.has_left)
