"""Model constraints a user relies on, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm.exc import StaleDataError

from volunteerdesk.core.models import (
    Assignment,
    ClearanceType,
    Post,
    PostKind,
    PostRequirement,
    Shift,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)


def _site_with_post(s) -> Post:
    site = Site(name="HMP Testmoor", kind=SiteKind.PRISON)
    post = Post(
        site=site,
        name="Sunday service",
        kind=PostKind.SERVICE,
        start_time=time(9, 0),
        end_time=time(11, 0),
        min_volunteers=1,
        max_volunteers=3,
    )
    s.add(post)
    s.flush()
    return post


def _volunteer(s, first="Siân", last="Evans") -> Volunteer:
    v = Volunteer(first_name=first, last_name=last, status=VolunteerStatus.ACTIVE)
    s.add(v)
    s.flush()
    return v


def test_names_in_any_script_round_trip(database):
    names = [("Zoë", "Ó Briain"), ("Łukasz", "O'Neill"), ("محمد", "علي"), ("ਗੁਰਪ੍ਰੀਤ", "ਕੌਰ")]
    with database.uow() as s:
        for first, last in names:
            _volunteer(s, first, last)
    with database.uow() as s:
        stored = set(s.execute(select(Volunteer.first_name, Volunteer.last_name)).all())
    assert set(names) <= stored


def test_second_writer_with_a_stale_version_is_refused(database):
    with database.uow() as s:
        vid = _volunteer(s).id
    first, second = database._sessions(), database._sessions()
    try:
        a = first.get(Volunteer, vid)
        b = second.get(Volunteer, vid)
        a.phone = "07700 900001"
        first.commit()
        b.phone = "07700 900002"
        with pytest.raises(StaleDataError):
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    with database.uow() as s:
        v = s.get(Volunteer, vid)
        assert v.phone == "07700 900001"
        assert v.version == 2


def test_post_maximum_below_minimum_is_rejected(database):
    with pytest.raises(IntegrityError), database.uow() as s:
        post = _site_with_post(s)
        post.min_volunteers, post.max_volunteers = 3, 1


def test_post_ending_before_it_starts_is_rejected(database):
    with pytest.raises(IntegrityError), database.uow() as s:
        post = _site_with_post(s)
        post.end_time = time(8, 0)


def test_requirement_names_exactly_one_clearance_or_course(database):
    with pytest.raises(IntegrityError), database.uow() as s:
        post = _site_with_post(s)
        s.add(PostRequirement(post=post, mandatory=True))
    with pytest.raises(IntegrityError), database.uow() as s:
        post = _site_with_post(s)
        ctc = s.scalars(select(ClearanceType).filter_by(code="CTC")).one()
        keys = s.scalars(select(TrainingCourse).filter_by(code="KEYS")).one()
        s.add(PostRequirement(post=post, clearance_type=ctc, course=keys))


def test_the_same_session_cannot_be_generated_twice(database):
    with pytest.raises(IntegrityError), database.uow() as s:
        post = _site_with_post(s)
        for _ in range(2):
            s.add(
                Shift(post_id=post.id, date=date(2027, 1, 3), start_time=time(9), end_time=time(11))
            )
            s.flush()


def test_a_volunteer_cannot_be_booked_twice_on_one_shift(database):
    with pytest.raises(IntegrityError), database.uow() as s:
        post = _site_with_post(s)
        shift = Shift(post_id=post.id, date=date(2027, 1, 3), start_time=time(9), end_time=time(11))
        s.add(shift)
        v = _volunteer(s)
        s.add_all([Assignment(shift=shift, volunteer=v), Assignment(shift=shift, volunteer=v)])


def test_unknown_status_is_rejected_by_the_database(database):
    with pytest.raises(IntegrityError), database.uow() as s:
        s.execute(
            text(
                "INSERT INTO volunteers (first_name, last_name, badge_name, email, phone, "
                "address, postcode, emergency_contact_name, emergency_contact_phone, "
                "emergency_contact_relation, status, faith_consent, languages, key_holder, "
                "max_shifts_per_month, notes, version, updated_at) VALUES ('A', 'B', '', '', "
                "'', '', '', '', '', '', 'retired', false, '', false, 4, '', 1, "
                "CURRENT_TIMESTAMP)"
            )
        )


def test_unknown_status_is_rejected_before_the_database(database):
    with pytest.raises(StatementError), database.uow() as s:
        s.add(Volunteer(first_name="A", last_name="B", status="retired"))
        s.flush()


def test_deleting_a_volunteer_removes_their_records(database):
    with database.uow() as s:
        v = _volunteer(s)
        keys = s.scalars(select(TrainingCourse).filter_by(code="KEYS")).one()
        s.add(TrainingRecord(volunteer=v, course=keys, completed_on=date(2026, 1, 1)))
        vid = v.id
    with database.uow() as s:
        s.execute(text("DELETE FROM volunteers WHERE id = :id"), {"id": vid})
    with database.uow() as s:
        assert s.scalar(select(TrainingRecord).filter_by(volunteer_id=vid)) is None


def test_a_course_in_use_cannot_be_deleted(database):
    with database.uow() as s:
        v = _volunteer(s)
        keys = s.scalars(select(TrainingCourse).filter_by(code="KEYS")).one()
        s.add(TrainingRecord(volunteer=v, course=keys, completed_on=date(2026, 1, 1)))
        kid = keys.id
    with pytest.raises(IntegrityError), database.uow() as s:
        s.execute(text("DELETE FROM training_courses WHERE id = :id"), {"id": kid})
