"""Privacy rights: subject access, erasure (and its proof in the file's bytes), retention.

On the ``database`` fixture (SQLite and, when configured, PostgreSQL), except the bytes
test, which reads an SQLite file.
"""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from volunteerdesk.core import audit
from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    AuditAction,
    AuditEntry,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Post,
    PostKind,
    Shift,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    Unavailability,
    Volunteer,
    VolunteerStatus,
    WeeklyAvailability,
)
from volunteerdesk.core.models import Session as Sitting
from volunteerdesk.core.privacy.erasure import (
    AlreadyErased,
    erase_volunteer,
    erasure_preview,
    vacuum,
)
from volunteerdesk.core.privacy.retention import add_months, clear_dbs_details, retention_review
from volunteerdesk.core.privacy.subject_access import (
    build_subject_access_pdf,
    subject_access,
    write_subject_access_json,
)
from volunteerdesk.core.services import editing
from volunteerdesk.core.settings import OrgSettings

TODAY = date(2026, 11, 23)
SECRETS = {
    "first": "Zebedee",
    "last": "Quixotic-Tennant",
    "email": "zebedee.qt@example.org",
    "phone": "07700 912345",
    "dbs": "001122334455",
    "reference": "HMPPS/ZQT/99911",
    "old_email": "zq.old@example.org",
}


def _create(s, model, **values):
    return editing.create(s, model, values, "tester")


@pytest.fixture
def person(database):
    return database, build_person(database)


def build_person(db) -> dict[str, int]:
    """A volunteer with a record of every kind, edited so that the log holds old values."""
    with db.uow() as s:
        site = _create(s, Site, name="HMP Eastfield", code="EFD", kind=SiteKind.PRISON)
        post = _create(
            s, Post, site_id=site.id, name="Chapel", kind=PostKind.SERVICE,
            start_time=time(9), end_time=time(11),
        )  # fmt: skip
        past = _create(s, Shift, post_id=post.id, date=date(2026, 10, 4), start_time=time(9),
                       end_time=time(11))  # fmt: skip
        future = _create(s, Shift, post_id=post.id, date=date(2027, 1, 3), start_time=time(9),
                         end_time=time(11), notes=f"Ask {SECRETS['first']} {SECRETS['last']}")  # fmt: skip
        v = _create(
            s, Volunteer, first_name=SECRETS["first"], last_name=SECRETS["last"],
            email=SECRETS["old_email"], phone=SECRETS["phone"], address="1 Secret Lane",
            postcode="ZZ1 9ZZ", date_of_birth=date(1960, 5, 6), languages="Welsh, Punjabi",
            emergency_contact_name="Mabel Quixotic", emergency_contact_phone="07700 955555",
            status=VolunteerStatus.ACTIVE, started_on=date(2015, 1, 1), notes="Likes hymns",
        )  # fmt: skip
        editing.update(s, Volunteer, v.id, v.version, {"email": SECRETS["email"]}, "tester")
        dbs = s.scalars(select(ClearanceType).where(ClearanceType.is_dbs)).first()
        _create(
            s, Clearance, volunteer_id=v.id, type_id=dbs.id, status=ClearanceStatus.GRANTED,
            granted_on=date(2024, 1, 10), reference=SECRETS["reference"],
            dbs_certificate_number=SECRETS["dbs"], decision="Cleared",
        )  # fmt: skip
        course = s.scalars(select(TrainingCourse)).first()
        _create(s, TrainingRecord, volunteer_id=v.id, course_id=course.id,
                completed_on=date(2025, 3, 1), certificate_ref="SAFE-ZQT-1", notes="Passed")  # fmt: skip
        away = _create(s, Unavailability, volunteer_id=v.id, start_date=date(2026, 12, 1),
                       end_date=date(2026, 12, 9), reason="Knee operation")  # fmt: skip
        editing.update(s, Unavailability, away.id, away.version, {"reason": "Hospital"}, "tester")
        gone = _create(s, Unavailability, volunteer_id=v.id, start_date=date(2026, 8, 1),
                       end_date=date(2026, 8, 2), reason="Wedding of Mabel")  # fmt: skip
        editing.delete(s, Unavailability, gone.id, None, "tester")
        _create(s, WeeklyAvailability, volunteer_id=v.id, weekday=6, session=Sitting.MORNING)
        _create(s, Assignment, shift_id=past.id, volunteer_id=v.id,
                status=AssignmentStatus.ATTENDED, hours=Decimal("2.00"))  # fmt: skip
        _create(s, Assignment, shift_id=future.id, volunteer_id=v.id)
        audit.record(s, "tester", AuditAction.IMPORT, "volunteers", None, "Imported 1 person",
                     {"emails": [None, [SECRETS["email"], "other@example.org"]]})  # fmt: skip
        ids = {"volunteer": v.id, "past": past.id, "future": future.id}
    return ids


def test_subject_access_holds_everything_and_logs_the_dbs_export(person, tmp_path):
    db, ids = person
    with db.uow() as s:
        data = subject_access(s, ids["volunteer"], username="clerk")
    assert data["volunteer"]["last_name"] == SECRETS["last"]
    assert data["volunteer"]["date_of_birth"] == "1960-05-06"
    assert data["emergency_contact"]["name"] == "Mabel Quixotic"
    assert data["languages"] == ["Welsh", "Punjabi"]
    assert data["clearances"][0]["dbs"]["certificate_number"] == SECRETS["dbs"]
    assert data["training"][0]["certificate_ref"] == "SAFE-ZQT-1"
    assert data["unavailability"] == [
        {"from": "2026-12-01", "to": "2026-12-09", "reason": "Hospital"}
    ]
    assert [a["date"] for a in data["assignments"]] == ["2026-10-04", "2027-01-03"]
    assert data["assignments"][0]["hours"] == "2.00"
    trail = [(e["action"], e["record"]) for e in data["audit_trail"]]
    assert ("update", "volunteers") in trail
    assert ("delete", "unavailability") in trail  # a deleted record of theirs is still found
    assert ("view", "clearances") in trail  # the export of DBS details is itself logged
    json.loads(write_subject_access_json(data, tmp_path / "sa.json").read_text("utf-8"))
    with db.uow() as s:
        viewed = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == AuditAction.VIEW, AuditEntry.username == "clerk"
            )
        ).all()
    assert {e.entity for e in viewed} == {"clearances", "volunteers"}
    pdf = build_subject_access_pdf(data, OrgSettings(), "clerk", TODAY)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_erasure_anonymises_keeps_the_past_and_scrubs_the_log(person):
    db, ids = person
    vid = ids["volunteer"]
    with db.uow() as s:
        preview = erasure_preview(s, vid, TODAY)
    assert preview.name == f"{SECRETS['first']} {SECRETS['last']}"
    assert any("1 future session" in line for line in preview.removed)
    assert any("1 past session" in line for line in preview.kept)
    with db.uow() as s, pytest.raises(ValueError, match="reason"):
        erase_volunteer(s, vid, "clerk", "  ", today=TODAY)
    with db.uow() as s:
        changes = erase_volunteer(s, vid, "clerk", "The person asked", today=TODAY)
    assert changes.touches("volunteers", "assignments")
    with db.uow() as s:
        v = s.get(Volunteer, vid)
        assert v.display_name == f"Former volunteer {vid}"
        assert (v.email, v.phone, v.address, v.date_of_birth, v.languages, v.notes) == (
            "", "", "", None, "", "",
        )  # fmt: skip
        assert v.emergency_contact_name == "" and v.faith_id is None
        assert v.status == VolunteerStatus.LEFT and v.erased_on == TODAY
        assert not v.availability and not v.unavailability
        assert [c.reference + c.dbs_certificate_number for c in v.clearances] == [""]
        assert v.clearances[0].granted_on == date(2024, 1, 10)  # dates kept for the figures
        assert v.training[0].certificate_ref == "" and v.training[0].notes == ""
        kept = s.scalars(select(Assignment).where(Assignment.volunteer_id == vid)).all()
        assert [(a.shift_id, a.hours) for a in kept] == [(ids["past"], Decimal("2.00"))]
        assert s.get(Shift, ids["future"]).notes == f"Ask Former volunteer {vid}"
        log = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        text = "\n".join(f"{e.summary} {e.changes}" for e in log)
        for secret in (*SECRETS.values(), "Knee operation", "Wedding of Mabel", "Mabel Quixotic"):
            assert secret not in text, secret
        assert "other@example.org" in text  # someone else's data in a shared entry stays
        erased = [e for e in log if e.action == AuditAction.ERASE]
        assert len(erased) == 1 and erased[0].username == "clerk"
        assert json.loads(erased[0].changes)["reason"] == [None, "The person asked"]
    with db.uow() as s, pytest.raises(AlreadyErased):
        erase_volunteer(s, vid, "clerk", "again", today=TODAY)
    with db.uow() as s:  # a subject access of the erased record says nothing personal
        data = json.dumps(subject_access(s, vid, username="clerk"), ensure_ascii=False)
    assert SECRETS["last"] not in data and SECRETS["email"] not in data
    assert vacuum(db)  # runs on every back end and says what it did


def _file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_erased_data_is_gone_from_the_sqlite_file_after_vacuum(sqlite_database, tmp_path):
    db = sqlite_database
    db_ids = build_person(db)
    path = db.path
    secrets = [SECRETS["first"] + " ", SECRETS["last"], SECRETS["email"], SECRETS["old_email"],
               SECRETS["phone"], SECRETS["dbs"], SECRETS["reference"]]  # fmt: skip
    vacuum(db)  # checkpointed: everything is in the main file
    before = _file_bytes(path)
    for secret in (SECRETS["last"], SECRETS["email"], SECRETS["old_email"], SECRETS["phone"],
                   SECRETS["dbs"], SECRETS["reference"]):  # fmt: skip
        assert secret.encode() in before, secret  # the test can fail
    with db.uow() as s:
        erase_volunteer(s, db_ids["volunteer"], "clerk", "Asked", today=TODAY)
    assert "VACUUM" in vacuum(db)
    after = _file_bytes(path)
    for secret in secrets[1:]:
        assert secret.encode("utf-8") not in after, secret
    assert b"Former volunteer" in after


def test_retention_review_lists_leavers_and_old_dbs_details(database):
    db = database
    with db.uow() as s:
        dbs = s.scalars(select(ClearanceType).where(ClearanceType.is_dbs)).first()
        old = Volunteer(first_name="Olive", last_name="Old", status=VolunteerStatus.LEFT,
                        left_on=date(2020, 11, 22))  # fmt: skip
        recent = Volunteer(first_name="Rita", last_name="Recent", status=VolunteerStatus.LEFT,
                           left_on=date(2026, 3, 1))  # fmt: skip
        undated = Volunteer(first_name="Una", last_name="Known", status=VolunteerStatus.LEFT)
        here = Volunteer(first_name="Hana", last_name="Here", status=VolunteerStatus.ACTIVE)
        s.add_all([old, recent, undated, here])
        s.flush()
        first = Clearance(volunteer_id=here.id, type_id=dbs.id, status=ClearanceStatus.GRANTED,
                          granted_on=date(2021, 1, 5), dbs_certificate_number="111122223333")  # fmt: skip
        s.add(first)
        s.flush()
        s.add_all([
            Clearance(volunteer_id=here.id, type_id=dbs.id, status=ClearanceStatus.GRANTED,
                      granted_on=date(2024, 1, 5), dbs_certificate_number="444455556666",
                      renews_id=first.id),
            Clearance(volunteer_id=recent.id, type_id=dbs.id, status=ClearanceStatus.GRANTED,
                      granted_on=date(2023, 1, 5), dbs_certificate_number="777788889999"),
        ])  # fmt: skip
        s.flush()
        ids = {"old": old.id, "recent": recent.id, "first": first.id}
    with db.uow() as s:
        review = retention_review(s, TODAY, OrgSettings())
    assert [(x.volunteer_id, x.left_on, x.due_on) for x in review.leavers] == [
        (ids["old"], date(2020, 11, 22), date(2026, 11, 22))
    ]
    assert review.undated_leavers == 1
    flagged = {x.clearance_id: x for x in review.dbs}
    assert ids["first"] in flagged and "Replaced by a newer certificate on 05/01/2024" in (
        flagged[ids["first"]].rule
    )
    assert [x.volunteer_id for x in review.dbs if x.clearance_id != ids["first"]] == [ids["recent"]]
    assert any(x.rule.startswith("Left on 01/03/2026") for x in review.dbs)
    assert "6 years" in review.leaver_rule and "6 months" in review.dbs_rule
    with db.uow() as s:  # a longer setting lists fewer
        later = retention_review(s, TODAY, OrgSettings(retention_years_after_leaving=7))
    assert later.leavers == ()
    with db.uow() as s:
        clear_dbs_details(s, ids["first"], "clerk")
    with db.uow() as s:
        assert s.get(Clearance, ids["first"]).dbs_certificate_number == ""
        assert s.get(Clearance, ids["first"]).granted_on == date(2021, 1, 5)
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.ERASE)).one()
        assert entry.entity == "clearances" and entry.username == "clerk"
        review = retention_review(s, TODAY, OrgSettings())
    assert ids["first"] not in {x.clearance_id for x in review.dbs}


def test_add_months_clips_to_the_month_end():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), -2) == date(2025, 11, 15)
