"""Shifts from patterns: idempotent, bank holidays by jurisdiction, closures and exception
days, and wall-clock times across the clock changes (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import UTC, date, time, timedelta

from sqlalchemy import func, select
from test_eligibility import Build

from volunteerdesk.core.models import (
    AssignmentStatus,
    AuditEntry,
    Jurisdiction,
    PostKind,
    RecurrencePattern,
    Shift,
    ShiftStatus,
    SiteDay,
    SiteDayKind,
    SiteKind,
)
from volunteerdesk.core.scheduling.generate import generate_shifts, london_datetime

WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def _site_with_pattern(s, rule, *, start=date(2025, 12, 1), name="HMP Testford", **site):
    b = Build(s)
    kind = site.pop("kind", SiteKind.PRISON)
    place = b.site(name, kind, **site)
    post = b.post(place, "Desk", PostKind.DESK, time(9, 30), time(13), needs=())
    s.add(RecurrencePattern(post=post, rrule=rule, start_date=start))
    s.flush()
    return place, post


def _dates(s, post_id) -> list[date]:
    return list(s.scalars(select(Shift.date).where(Shift.post_id == post_id).order_by(Shift.date)))


def _generate(database, start, end, site_id=None):
    with database.uow() as s:
        return generate_shifts(s, start, end, site_id, username="alice")


def test_generation_creates_the_pattern_dates_with_the_post_times(database):
    with database.uow() as s:
        site, post = _site_with_pattern(s, "FREQ=WEEKLY;BYDAY=SU")
        ids = site.id, post.id
    result = _generate(database, date(2027, 1, 1), date(2027, 1, 31), ids[0])
    assert result.created == 5 and result.already_there == 0
    assert result.summary == "Generated 5 shifts for HMP Testford from 01/01/2027 to 31/01/2027"
    assert result.changes.touches("shifts")
    with database.uow() as s:
        shifts = s.scalars(select(Shift).where(Shift.post_id == ids[1])).all()
        assert [sh.date.day for sh in sorted(shifts, key=lambda x: x.date)] == [3, 10, 17, 24, 31]
        assert {(sh.start_time, sh.end_time) for sh in shifts} == {(time(9, 30), time(13))}
        assert all(not sh.one_off and sh.pattern_id and sh.version == 1 for sh in shifts)


def test_generating_twice_creates_nothing_new_and_keeps_what_was_made(database):
    with database.uow() as s:
        site, post = _site_with_pattern(s, "FREQ=WEEKLY;BYDAY=SU")
        ids = site.id, post.id
    _generate(database, date(2027, 1, 1), date(2027, 1, 31))
    with database.uow() as s:
        b = Build(s)
        first, second = s.scalars(
            select(Shift).where(Shift.post_id == ids[1]).order_by(Shift.date).limit(2)
        ).all()
        b.assign(first, b.volunteer("Siân", "Evans", [first.post.site]))
        second.status = ShiftStatus.CANCELLED
        second.notes = "Chapel closed for repairs"
        s.get(type(first.post), ids[1]).start_time = time(10)  # the post's time changes
    again = _generate(database, date(2027, 1, 1), date(2027, 2, 14))
    assert again.created == 2 and again.already_there == 5  # only February's two are new
    with database.uow() as s:
        assert _dates(s, ids[1]).count(date(2027, 1, 10)) == 1
        first = s.scalars(select(Shift).where(Shift.date == date(2027, 1, 3))).one()
        assert [a.volunteer.first_name for a in first.assignments] == ["Siân"]
        second = s.scalars(select(Shift).where(Shift.date == date(2027, 1, 10))).one()
        assert second.status == ShiftStatus.CANCELLED  # not brought back
        assert s.scalar(select(func.count()).select_from(Shift)) == 7


def test_one_audit_entry_summarises_each_generation_that_made_something(database):
    with database.uow() as s:
        _site_with_pattern(s, WEEKDAYS)
    _generate(database, date(2027, 2, 1), date(2027, 2, 28))
    _generate(database, date(2027, 2, 1), date(2027, 2, 28))
    with database.uow() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "shifts")).all()
    assert len(entries) == 1
    (entry,) = entries
    assert entry.username == "alice" and entry.action.value == "create"
    assert entry.summary == "Generated 20 shifts for HMP Testford from 01/02/2027 to 28/02/2027"
    assert json.loads(entry.changes)["shifts created"] == [0, 20]


def test_a_weekly_session_stays_at_its_wall_clock_time_across_the_clock_changes(database):
    with database.uow() as s:
        _site, post = _site_with_pattern(s, "FREQ=WEEKLY;BYDAY=SU")
        post_id = post.id
    _generate(database, date(2026, 3, 15), date(2026, 4, 12))  # clocks go forward 29/03
    _generate(database, date(2026, 10, 11), date(2026, 11, 8))  # and back 25/10
    with database.uow() as s:
        shifts = s.scalars(select(Shift).where(Shift.post_id == post_id).order_by(Shift.date))
        rows = [(sh.date, sh.start_time, sh.end_time) for sh in shifts]
    assert [d for d, *_ in rows] == [
        date(2026, 3, 15), date(2026, 3, 22), date(2026, 3, 29), date(2026, 4, 5),
        date(2026, 4, 12), date(2026, 10, 11), date(2026, 10, 18), date(2026, 10, 25),
        date(2026, 11, 1), date(2026, 11, 8),
    ]  # fmt: skip
    assert {(t0, t1) for _, t0, t1 in rows} == {(time(9, 30), time(13))}
    # The instant moves with British Summer Time; the wall-clock time does not.
    utc = [london_datetime(d, t0).astimezone(UTC).time() for d, t0, _ in rows]
    assert utc[:2] == [time(9, 30)] * 2 and utc[2:7] == [time(8, 30)] * 5
    assert utc[7:] == [time(9, 30)] * 3


def _court(s, name, jurisdiction):
    return _site_with_pattern(
        s,
        WEEKDAYS,
        name=name,
        kind=SiteKind.MAGISTRATES_COURT,
        jurisdiction=jurisdiction,
        closed_on_bank_holidays=True,
    )


def test_courts_skip_their_own_jurisdictions_bank_holidays(database):
    with database.uow() as s:
        _, england = _court(s, "Westmoor Magistrates' Court", Jurisdiction.ENGLAND_WALES)
        _, scotland = _court(s, "Glasgow Sheriff Court", Jurisdiction.SCOTLAND)
        _, prison = _site_with_pattern(s, WEEKDAYS, name="HMP Westmoor")
        ids = england.id, scotland.id, prison.id
    result = _generate(database, date(2025, 12, 22), date(2026, 12, 4))
    with database.uow() as s:
        eng, sct, hmp = (set(_dates(s, i)) for i in ids)
    new_year_holiday = date(2026, 1, 2)  # Friday 2 January: Scotland only
    easter_monday = date(2026, 4, 6)  # England and Wales, not Scotland
    st_andrews = date(2026, 11, 30)  # a Monday: Scotland only
    assert new_year_holiday in eng and new_year_holiday not in sct
    assert easter_monday not in eng and easter_monday in sct
    assert st_andrews in eng and st_andrews not in sct
    for shared in (date(2025, 12, 25), date(2026, 1, 1), date(2026, 4, 3)):
        assert shared not in eng and shared not in sct
    assert {date(2025, 12, 25), easter_monday, st_andrews} <= hmp  # a chaplaincy runs on
    reasons = {(s.site, s.day): s.reason for s in result.skipped}
    assert reasons[("Glasgow Sheriff Court", st_andrews)] == "Bank holiday: Saint Andrew's Day"
    assert reasons[("Westmoor Magistrates' Court", easter_monday)] == "Bank holiday: Easter Monday"


def test_closure_days_are_skipped_and_exception_days_run(database):
    with database.uow() as s:
        site, post = _court(s, "Westmoor Magistrates' Court", Jurisdiction.ENGLAND_WALES)
        s.add_all(
            [
                SiteDay(site=site, day=date(2027, 3, 3), kind=SiteDayKind.CLOSURE, reason="Refurbishment"),
                SiteDay(site=site, day=date(2027, 3, 29), kind=SiteDayKind.EXCEPTION, reason="Remand court sits"),
            ]
        )  # fmt: skip
        post_id = post.id
    result = _generate(database, date(2027, 3, 1), date(2027, 3, 31))
    with database.uow() as s:
        days = _dates(s, post_id)
    assert date(2027, 3, 3) not in days  # closed
    assert date(2027, 3, 26) not in days  # Good Friday
    assert date(2027, 3, 29) in days  # Easter Monday, but the court sits
    assert ("Refurbishment" in {sk.reason for sk in result.skipped}) and result.created == 21


def test_a_pattern_can_run_through_closures_but_not_bank_holidays(database):
    with database.uow() as s:
        site, post = _court(s, "Westmoor Crown Court", Jurisdiction.ENGLAND_WALES)
        post.patterns[0].skip_closures = False
        s.add(SiteDay(site=site, day=date(2027, 3, 3), kind=SiteDayKind.CLOSURE))
        post_id = post.id
    _generate(database, date(2027, 3, 1), date(2027, 3, 31))
    with database.uow() as s:
        days = _dates(s, post_id)
    assert date(2027, 3, 3) in days and date(2027, 3, 26) not in days


def test_only_active_sites_and_posts_and_the_chosen_site(database):
    with database.uow() as s:
        one, post_one = _site_with_pattern(s, "FREQ=WEEKLY;BYDAY=MO", name="HMP One")
        closed, post_closed = _site_with_pattern(s, "FREQ=WEEKLY;BYDAY=MO", name="HMP Closed")
        closed.active = False
        other, post_other = _site_with_pattern(s, "FREQ=WEEKLY;BYDAY=MO", name="HMP Other")
        post_other.active = False
        ids = one.id, post_one.id, post_closed.id, post_other.id
    result = _generate(database, date(2027, 1, 1), date(2027, 1, 31))
    assert result.sites == ("HMP One", "HMP Other") and result.created == 4
    assert _generate(database, date(2027, 2, 1), date(2027, 2, 28), ids[0]).created == 4
    with database.uow() as s:
        assert len(_dates(s, ids[1])) == 8
        assert _dates(s, ids[2]) == [] and _dates(s, ids[3]) == []


def test_pattern_end_dates_counts_and_overlapping_patterns(database):
    with database.uow() as s:
        _site, post = _site_with_pattern(s, "FREQ=WEEKLY;COUNT=6;BYDAY=MO", start=date(2027, 1, 4))
        s.add(
            RecurrencePattern(
                post=post, rrule="FREQ=WEEKLY;BYDAY=MO,WE", start_date=date(2027, 1, 1),
                end_date=date(2027, 1, 20),
            )
        )  # fmt: skip
        post_id = post.id
    result = _generate(database, date(2027, 1, 1), date(2027, 3, 31))
    with database.uow() as s:
        days = _dates(s, post_id)
    mondays = [date(2027, 1, 4) + timedelta(weeks=i) for i in range(6)]
    wednesdays = [date(2027, 1, 6), date(2027, 1, 13), date(2027, 1, 20)]
    assert days == sorted(mondays + wednesdays)
    assert result.created == 9  # the Mondays both patterns give are made once


def test_a_pattern_that_cannot_be_read_is_reported_not_fatal(database):
    with database.uow() as s:
        _site, post = _site_with_pattern(s, "FREQ=SOMETIMES")
        _site2, good = _site_with_pattern(s, "FREQ=WEEKLY;BYDAY=TU", name="HMP Fine")
        good_id = good.id
    result = _generate(database, date(2027, 1, 1), date(2027, 1, 31))
    assert result.created == 4 and len(result.problems) == 1
    assert "HMP Testford, Desk" in result.problems[0]
    with database.uow() as s:
        assert len(_dates(s, good_id)) == 4


def test_assignments_survive_and_declined_stays_declined(database):
    with database.uow() as s:
        _site_with_pattern(s, "FREQ=WEEKLY;BYDAY=SU")
    _generate(database, date(2027, 1, 1), date(2027, 1, 10))
    with database.uow() as s:
        b = Build(s)
        shift = s.scalars(select(Shift).where(Shift.date == date(2027, 1, 3))).one()
        b.assign(
            shift, b.volunteer("Tomasz", "Nowak", [shift.post.site]), AssignmentStatus.DECLINED
        )
    _generate(database, date(2027, 1, 1), date(2027, 1, 31))
    with database.uow() as s:
        shift = s.scalars(select(Shift).where(Shift.date == date(2027, 1, 3))).one()
        assert [a.status for a in shift.assignments] == [AssignmentStatus.DECLINED]
