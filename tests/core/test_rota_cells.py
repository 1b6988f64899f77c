"""The rota as the page edits it: ids, versions, locks and the rules broken, for a week
or a month (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, time, timedelta

from test_eligibility import DAY, Build

from volunteerdesk.core.models import AssignmentStatus, PostKind, ShiftStatus, Volunteer
from volunteerdesk.core.services.rota import week_start_of
from volunteerdesk.core.services.rota_cells import month_span, rota_period


def _world(database):
    with database.uow() as s:
        b = Build(s)
        site = b.site()
        post = b.post(site, needs=("HMPPS",), low=2, high=3)
        desk = b.post(site, "Advice desk", PostKind.DESK, time(13), time(16), needs=())
        shift = b.shift(post)
        later = b.shift(post, DAY + timedelta(days=14))
        b.shift(desk, DAY + timedelta(days=1), status=ShiftStatus.CANCELLED)
        sian = b.volunteer("Siân", "Evans", [site])
        away = b.volunteer("Agnieszka", "Nowak", [site])
        b.away(s.get(Volunteer, away.id), DAY, DAY)
        ok = b.assign(shift, sian, locked=True)
        bad = b.assign(shift, away, status=AssignmentStatus.PROPOSED, override_reason="Agreed")
        return {
            "site": site.id,
            "post": post.id,
            "desk": desk.id,
            "shift": shift.id,
            "later": later.id,
            "ok": ok.id,
            "bad": bad.id,
        }


def test_a_week_carries_ids_versions_locks_and_rules_broken(database):
    ids = _world(database)
    start = week_start_of(DAY)
    with database.uow() as s:
        period = rota_period(s, ids["site"], start, start + timedelta(days=6))
    assert period.week_start == start and len(period.days) == 7
    assert [p.name for p in period.posts] == ["Chapel administration", "Advice desk"]
    assert period.post(ids["desk"]).is_desk and not period.post(ids["post"]).is_desk
    (shift,) = period.cell(ids["post"], DAY)
    assert shift.needed == 0 and shift.gap_text == "" and shift.version >= 1
    by_name = {p.name: p for p in shift.people}
    sian, agnieszka = by_name["Siân Evans"], by_name["Agnieszka Nowak"]
    assert sian.assignment_id == ids["ok"] and sian.locked and sian.confirmed
    assert sian.broken == ()
    assert agnieszka.proposed and not agnieszka.locked
    assert agnieszka.broken == ("unavailable",) and agnieszka.override_reason == "Agreed"
    assert period.rules_broken == 1
    found_shift, found = period.person(ids["bad"])
    assert found_shift.id == ids["shift"] and found.volunteer_id == agnieszka.volunteer_id
    (cancelled,) = period.cell(ids["desk"], DAY + timedelta(days=1))
    assert cancelled.cancelled and cancelled.needed == 0
    assert ids["later"] not in {s.id for s in period.shifts}


def test_a_month_holds_every_day_and_counts_the_gaps(database):
    ids = _world(database)
    first, last = month_span(DAY)
    assert (first, last) == (date(2027, 1, 1), date(2027, 1, 31))
    with database.uow() as s:
        period = rota_period(s, ids["site"], first, last, check_rules=False)
    assert len(period.days) == 31
    later = period.shift(ids["later"])
    assert later is not None and later.people == () and later.gap_text == "VACANT: 2 needed"
    assert period.places_needed == 2
    assert period.rules_broken == 0  # not checked


def test_no_such_site(database):
    with database.uow() as s:
        assert rota_period(s, 999_999, DAY, DAY) is None
