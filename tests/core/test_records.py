"""Writing training records and clearances: expiry rules, renewals, bulk entry, the audit log.

On the ``database`` fixture, so these run on SQLite and (when configured) PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from volunteerdesk.core.models import (
    AuditEntry,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.core.services import compliance, editing
from volunteerdesk.core.services.clearance_records import (
    add_clearance,
    check_dbs_number,
    open_clearance,
    update_clearance,
)
from volunteerdesk.core.services.clearance_records import renewal_values as clearance_renewal
from volunteerdesk.core.services.records import computed_expiry, volunteer_choices
from volunteerdesk.core.services.training_records import (
    add_training,
    open_training,
    record_training_session,
    renewal_values,
    update_training,
)
from volunteerdesk.core.services.volunteers import volunteer_clearances, volunteer_detail
from volunteerdesk.core.validation import InvalidValue

TODAY = date(2026, 11, 23)


@pytest.fixture
def world(database):
    with database.uow() as s:
        prison = Site(name="HMP Eastfield", code="EFD", kind=SiteKind.PRISON)
        people = [
            Volunteer(
                first_name=f, last_name=surname, status=VolunteerStatus.ACTIVE, sites=[prison]
            )
            for f, surname in (("Ann", "Baker"), ("Bob", "Carter"), ("Cat", "Dunn"))
        ]
        gone = Volunteer(first_name="Dan", last_name="Evans", status=VolunteerStatus.LEFT)
        s.add_all([prison, *people, gone])
        s.flush()
        ids = {
            "site": prison.id,
            "people": [p.id for p in people],
            "gone": gone.id,
            **{
                c.code: c.id
                for c in s.scalars(select(TrainingCourse))
                if c.code in ("SAFEGUARDING", "KEYS", "SYCAMORE")
            },
            **{t.code: t.id for t in s.scalars(select(ClearanceType))},
        }
    return database, ids


def _audit(db, entity):
    with db.uow() as s:
        return s.scalars(
            select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
        ).all()


def test_expiry_is_whole_months_clamped_to_the_month_end():
    assert computed_expiry(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert computed_expiry(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert computed_expiry(date(2026, 3, 1), None) is None
    assert computed_expiry(None, 12) is None


def test_add_training_computes_the_expiry_and_is_audited(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        saved = add_training(
            s,
            "alice",
            ann,
            {
                "course_id": ids["SAFEGUARDING"],
                "completed_on": date(2026, 1, 14),
                "expires_on": date(2000, 1, 1),  # ignored: not overridden
                "provider": " Diocese ",
            },
            today=TODAY,
        )
    assert saved.changes.touches("training")
    with db.uow() as s:
        record = s.get(TrainingRecord, saved.record_id)
        assert record.expires_on == date(2029, 1, 14)
        assert (record.status, record.provider) == (TrainingStatus.COMPLETED, "Diocese")
    entry = _audit(db, "training_records")[-1]
    assert entry.username == "alice" and entry.action.value == "create"
    assert "Safeguarding (foundation) for Ann Baker" in entry.summary
    assert json.loads(entry.changes)["expires_on"] == [None, "2029-01-14"]


def test_overridden_expiry_is_kept_but_never_before_completion(world):
    db, ids = world
    ann = ids["people"][0]
    base = {"course_id": ids["KEYS"], "completed_on": date(2026, 5, 1), "expiry_overridden": True}
    with db.uow() as s:
        saved = add_training(s, "u", ann, {**base, "expires_on": date(2026, 8, 1)}, today=TODAY)
    with db.uow() as s:
        record = s.get(TrainingRecord, saved.record_id)
        assert (record.expires_on, record.expiry_overridden) == (date(2026, 8, 1), True)
    with db.uow() as s, pytest.raises(InvalidValue, match="before the completion"):
        add_training(s, "u", ann, {**base, "expires_on": date(2026, 4, 1)}, today=TODAY)
    with db.uow() as s, pytest.raises(InvalidValue, match="Enter the expiry date"):
        add_training(s, "u", ann, {**base, "expires_on": None}, today=TODAY)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"course_id": None, "completed_on": TODAY}, "Choose a course"),
        ({"completed_on": None}, "date the course was completed"),
        ({"completed_on": date(2026, 12, 1)}, "in the future"),
        ({"status": TrainingStatus.BOOKED, "completed_on": None}, "booked for"),
    ],
)
def test_training_that_cannot_be_saved_says_why(world, values, message):
    db, ids = world
    with db.uow() as s, pytest.raises(InvalidValue, match=message):
        add_training(s, "u", ids["people"][0], {"course_id": ids["KEYS"], **values}, today=TODAY)


def test_a_booked_renewal_has_no_expiry_and_never_expiring_courses_none_either(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        booked = add_training(
            s,
            "u",
            ann,
            {"course_id": ids["KEYS"], "status": "booked", "booked_for": date(2027, 1, 5)},
            today=TODAY,
        )
        sycamore = add_training(
            s, "u", ann, {"course_id": ids["SYCAMORE"], "completed_on": TODAY}, today=TODAY
        )
    with db.uow() as s:
        assert s.get(TrainingRecord, booked.record_id).expires_on is None
        assert s.get(TrainingRecord, booked.record_id).booked_for == date(2027, 1, 5)
        assert s.get(TrainingRecord, sycamore.record_id).expires_on is None


def test_renewal_is_prefilled_linked_and_replaces_the_old_record(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        old = add_training(
            s,
            "u",
            ann,
            {"course_id": ids["KEYS"], "completed_on": date(2025, 12, 1), "provider": "Gate"},
            today=TODAY,
        )
        values = renewal_values(s, old.record_id, today=TODAY)
    assert values["completed_on"] == TODAY and values["expires_on"] == date(2027, 11, 23)
    assert (values["provider"], values["renews_id"]) == ("Gate", old.record_id)
    renews = values.pop("renews_id")
    with db.uow() as s:
        new = add_training(s, "u", ann, values, renews_id=renews, today=TODAY)
    with db.uow() as s:
        assert s.get(TrainingRecord, new.record_id).renews_id == old.record_id
        items = compliance.compliance_items(s, today=TODAY, warning_days=30)
    assert [i.record_id for i in items if i.kind == "Training"] == [new.record_id]
    with db.uow() as s:  # the volunteers list's panel shows the renewal, not the old one
        detail = volunteer_detail(s, ann)
    assert [(t.course, t.completed_on) for t in detail.training] == [
        (detail.training[0].course, TODAY)
    ]
    with db.uow() as s, pytest.raises(InvalidValue, match="already been renewed"):
        add_training(s, "u", ann, values, renews_id=old.record_id, today=TODAY)


def test_a_new_record_replaces_the_current_one_of_the_same_course(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        first = add_training(
            s, "u", ann, {"course_id": ids["KEYS"], "completed_on": date(2024, 5, 1)}, today=TODAY
        )
        second = add_training(
            s, "u", ann, {"course_id": ids["KEYS"], "completed_on": date(2026, 5, 1)}, today=TODAY
        )
        older = add_training(
            s, "u", ann, {"course_id": ids["KEYS"], "completed_on": date(2020, 5, 1)}, today=TODAY
        )
    with db.uow() as s:
        assert s.get(TrainingRecord, second.record_id).renews_id == first.record_id
        assert s.get(TrainingRecord, older.record_id).renews_id is None  # history, links nothing


def test_update_training_rechecks_the_record_and_detects_conflicts(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        saved = add_training(
            s, "u", ann, {"course_id": ids["KEYS"], "completed_on": date(2026, 1, 10)}, today=TODAY
        )
    with db.uow() as s:
        opened = open_training(s, saved.record_id)
    assert opened.volunteer_name == "Ann Baker" and opened.course_name.startswith("Key")
    with db.uow() as s:
        update_training(
            s,
            "bob",
            saved.record_id,
            opened.version,
            {"completed_on": date(2026, 2, 10)},
            opened=opened.plain,
            today=TODAY,
        )
    with db.uow() as s:
        assert s.get(TrainingRecord, saved.record_id).expires_on == date(2027, 2, 10)
    entry = _audit(db, "training_records")[-1]
    assert entry.action.value == "update" and entry.username == "bob"
    assert json.loads(entry.changes)["expires_on"] == ["2027-01-10", "2027-02-10"]
    with db.uow() as s, pytest.raises(editing.ConflictError) as conflict:
        update_training(
            s,
            "carol",
            saved.record_id,
            opened.version,
            {"provider": "Mine"},
            opened=opened.plain,
            today=TODAY,
        )
    assert "completed_on" in {c.field for c in conflict.value.theirs}


def test_bulk_session_records_everyone_in_one_go_and_skips_doubles(world):
    db, ids = world
    ann, bob, cat = ids["people"]
    day = date(2026, 11, 12)
    with db.uow() as s:
        old = add_training(
            s, "u", bob, {"course_id": ids["KEYS"], "completed_on": date(2025, 11, 1)}, today=TODAY
        )
        add_training(s, "u", cat, {"course_id": ids["KEYS"], "completed_on": day}, today=TODAY)
    with db.uow() as s:
        result = record_training_session(
            s, "alice", ids["KEYS"], day, [ann, bob, cat, ann], provider="Security", today=TODAY
        )
    assert len(result.record_ids) == 2 and result.skipped == ("Cat Dunn",)
    assert result.summary.startswith(
        "Recorded Key and security training on 12/11/2026 for 2 volunteers"
    )
    with db.uow() as s:
        rows = s.scalars(select(TrainingRecord).where(TrainingRecord.id.in_(result.record_ids)))
        by_person = {r.volunteer_id: r for r in rows}
    assert by_person[bob].renews_id == old.record_id and by_person[ann].renews_id is None
    assert {r.expires_on for r in by_person.values()} == {date(2027, 11, 12)}
    assert {r.provider for r in by_person.values()} == {"Security"}
    entries = _audit(db, "training_records")
    assert entries[-1].summary == result.summary and entries[-1].username == "alice"
    assert sum(e.username == "alice" for e in entries) == 3  # two records and the session


def test_bulk_session_is_all_or_nothing(world):
    db, ids = world
    with db.uow() as s, pytest.raises(InvalidValue, match="no longer exist"):
        record_training_session(
            s, "u", ids["KEYS"], date(2026, 11, 1), [ids["people"][0], 99999], today=TODAY
        )
    with db.uow() as s:
        assert s.scalars(select(TrainingRecord)).all() == []
    for args, message in (
        (([],), "at least one"),
        (([ids["people"][0]], date(2027, 1, 1)), "in the future"),
    ):
        with db.uow() as s, pytest.raises(InvalidValue, match=message):
            day = args[1] if len(args) > 1 else TODAY
            record_training_session(s, "u", ids["KEYS"], day, args[0], today=TODAY)


def test_volunteer_choices_leave_out_people_who_have_left(world):
    db, ids = world
    with db.uow() as s:
        choices = volunteer_choices(s)
    assert [c.name for c in choices] == ["Ann Baker", "Bob Carter", "Cat Dunn"]
    assert choices[0].sites == "HMP Eastfield" and choices[0].site_ids == {ids["site"]}


def _hmpps(ids, **extra):
    return {
        "type_id": ids["HMPPS"],
        "site_id": ids["site"],
        "status": ClearanceStatus.GRANTED,
        "level": "Baseline",
        "applied_on": date(2026, 1, 5),
        "granted_on": date(2026, 3, 2),
        **extra,
    }


def test_per_establishment_clearance_needs_its_establishment_and_a_known_level(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        saved = add_clearance(s, "u", ann, _hmpps(ids), today=TODAY)
    with db.uow() as s:
        record = s.get(Clearance, saved.record_id)
        assert record.expires_on == date(2031, 3, 2) and record.site_id == ids["site"]
    for extra, message in (
        ({"site_id": None}, "choose the establishment"),
        ({"level": "Top secret"}, "not a level of HMPPS vetting"),
        ({"granted_on": None}, "date the clearance was granted"),
        ({"granted_on": date(2025, 12, 1)}, "before the application"),
        ({"type_id": None}, "type of clearance"),
    ):
        with db.uow() as s, pytest.raises(InvalidValue, match=message):
            add_clearance(s, "u", ann, _hmpps(ids, **extra), today=TODAY)


def test_portable_clearance_drops_the_establishment_and_pending_has_no_expiry(world):
    db, ids = world
    with db.uow() as s:
        saved = add_clearance(
            s,
            "u",
            ids["people"][0],
            {"type_id": ids["CTC"], "site_id": ids["site"], "status": "applied",
             "applied_on": date(2026, 10, 1), "dbs_certificate_number": "123456789012"},
            today=TODAY,
        )  # fmt: skip
    with db.uow() as s:
        record = s.get(Clearance, saved.record_id)
        assert (record.site_id, record.expires_on, record.dbs_certificate_number) == (
            None,
            None,
            "",
        )


def test_dbs_fields_are_checked_masked_in_the_log_and_viewing_is_logged(world):
    db, ids = world
    ann = ids["people"][0]
    dbs = {
        "type_id": ids["DBS"],
        "status": "granted",
        "level": "Enhanced",
        "granted_on": date(2025, 6, 1),
        "dbs_certificate_number": "0012 3456 7890",
        "dbs_barred_list_checked": True,
        "dbs_update_service": False,
        "dbs_update_service_checked_on": date(2025, 7, 1),  # dropped: not a member
    }
    assert check_dbs_number(" 001234567890 ") == "001234567890"
    with pytest.raises(InvalidValue, match="12 digits"):
        check_dbs_number("12345")
    with db.uow() as s:
        saved = add_clearance(s, "alice", ann, dbs, today=TODAY)
    with db.uow() as s:
        record = s.get(Clearance, saved.record_id)
        assert record.dbs_certificate_number == "001234567890"
        assert record.dbs_update_service_checked_on is None
        assert record.expires_on == date(2028, 6, 1)
    created = _audit(db, "clearances")[-1]
    assert json.loads(created.changes)["dbs_certificate_number"] == ["•••", "•••"]
    assert "001234567890" not in created.changes
    with db.uow() as s:
        opened = open_clearance(s, "bob", saved.record_id)
    assert opened.is_dbs and opened.values["dbs_certificate_number"] == "001234567890"
    viewed = _audit(db, "clearances")[-1]
    assert (viewed.action.value, viewed.username, viewed.entity_id) == (
        "view",
        "bob",
        saved.record_id,
    )
    assert "DBS details of Ann Baker" in viewed.summary
    with db.uow() as s:
        other = add_clearance(s, "u", ann, _hmpps(ids), today=TODAY)
    with db.uow() as s:
        open_clearance(s, "bob", other.record_id)
    assert _audit(db, "clearances")[-1].action.value == "create"  # no VIEW for non-DBS


def test_clearance_renewal_and_update(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        old = add_clearance(s, "u", ann, _hmpps(ids, level="Enhanced Level 1"), today=TODAY)
        values = clearance_renewal(s, old.record_id, today=TODAY)
    assert (values["site_id"], values["level"], values["granted_on"]) == (
        ids["site"],
        "Enhanced Level 1",
        TODAY,
    )
    assert values["expires_on"] == date(2031, 11, 23)
    renews = values.pop("renews_id")
    with db.uow() as s:
        new = add_clearance(s, "u", ann, values, renews_id=renews, today=TODAY)
    with db.uow() as s:
        opened = open_clearance(s, "u", new.record_id)
        assert opened.renews_id == old.record_id
        update_clearance(
            s,
            "u",
            new.record_id,
            opened.version,
            {"expiry_overridden": True, "expires_on": date(2027, 1, 1), "reference": "R1"},
            opened=opened.plain,
            today=TODAY,
        )
    with db.uow() as s:
        record = s.get(Clearance, new.record_id)
        assert (record.expires_on, record.reference) == (date(2027, 1, 1), "R1")
    update = _audit(db, "clearances")[-1]
    assert set(json.loads(update.changes)) == {"expires_on", "expiry_overridden", "reference"}


def test_a_pending_application_does_not_replace_the_clearance_in_force(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        old = add_clearance(s, "u", ann, _hmpps(ids), today=TODAY)
        pending = add_clearance(
            s, "u", ann, _hmpps(ids, status="applied", granted_on=None), today=TODAY
        )
        granted = add_clearance(s, "u", ann, _hmpps(ids, granted_on=TODAY), today=TODAY)
    with db.uow() as s:
        assert s.get(Clearance, pending.record_id).renews_id is None
        assert s.get(Clearance, granted.record_id).renews_id == old.record_id


def test_a_refused_renewal_leaves_the_old_clearance_showing_its_own_state(world):
    db, ids = world
    ann = ids["people"][0]
    with db.uow() as s:
        old = add_clearance(s, "u", ann, _hmpps(ids), today=TODAY)
        values = clearance_renewal(s, old.record_id, today=TODAY)
        renews = values.pop("renews_id")
        values.update(status=ClearanceStatus.APPLIED, granted_on=None, expires_on=None)
        renewal = add_clearance(s, "u", ann, values, renews_id=renews, today=TODAY)
    with db.uow() as s:
        states = {c.id: c.state for c in volunteer_clearances(s, ann, TODAY)}
    assert states[old.record_id] == "renewed"  # applied for: a renewal in progress
    with db.uow() as s:
        s.get(Clearance, renewal.record_id).status = ClearanceStatus.REFUSED
    with db.uow() as s:
        states = {c.id: c.state for c in volunteer_clearances(s, ann, TODAY)}
    assert states[old.record_id] != "renewed"  # refused: the old one is as it was
