"""The demo data: what a manager opening the small demo (as of 23 November 2026) will see."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from datetime import date, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from volunteerdesk.core.db import open_database
from volunteerdesk.core.demo import SIZES, DemoSummary, NationalPlan, build_demo, build_national
from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    Base,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    DeskOutcome,
    Endorsement,
    Faith,
    Jurisdiction,
    Post,
    PostKind,
    PostRequirement,
    RecurrencePattern,
    Shift,
    ShiftStatus,
    Signpost,
    Site,
    SiteDay,
    SiteDayKind,
    SiteKind,
    TrainingRecord,
    TrainingStatus,
    Unavailability,
    User,
    UserRole,
    Volunteer,
    VolunteerStatus,
    WeeklyAvailability,
    volunteer_sites,
)
from volunteerdesk.core.scheduling.calendar import bank_holidays
from volunteerdesk.core.settings import load_settings

TODAY = date(2026, 11, 23)  # DEMO_TODAY in conftest.py
FILLING = (AssignmentStatus.PROPOSED, AssignmentStatus.CONFIRMED)


def _count(session, *where) -> int:
    return session.scalar(select(func.count()).select_from(Volunteer).where(*where))


def _site(session, name: str) -> Site:
    return session.scalars(select(Site).where(Site.name == name)).one()


def _site_volunteers(session, site: Site) -> int:
    return session.scalar(
        select(func.count())
        .select_from(volunteer_sites)
        .where(volunteer_sites.c.site_id == site.id)
    )


def _script(text: str) -> set[str]:
    return {unicodedata.name(ch, "").split(" ")[0] for ch in text if not ch.isascii()}


# -- what is in it ---------------------------------------------------------------------------


def test_small_demo_has_westmoor_prison_and_two_courts(small_demo):
    with small_demo.uow() as s:
        prison = _site(s, "HMP Westmoor")
        assert prison.kind is SiteKind.PRISON
        assert (prison.morning_gate_time, prison.afternoon_gate_time) == (time(8), time(13))
        assert prison.security_contact_name and prison.security_contact_phone
        assert prison.coordinator_name and prison.safeguarding_contact_phone
        assert 75 <= _site_volunteers(s, prison) <= 85
        magistrates = _site(s, "Westmoor Magistrates' Court")
        crown = _site(s, "Westmoor Crown Court")
        assert magistrates.kind is SiteKind.MAGISTRATES_COURT
        assert crown.kind is SiteKind.CROWN_COURT
        assert magistrates.closed_on_bank_holidays and crown.closed_on_bank_holidays
        assert not prison.closed_on_bank_holidays
        assert 25 <= _site_volunteers(s, magistrates) + _site_volunteers(s, crown) <= 35
        kinds = Counter(s.scalars(select(Community.kind)))
        assert 13 <= sum(kinds.values()) <= 17
        assert kinds[CommunityKind.FAITH_COMMUNITY] and kinds[CommunityKind.PARTNER]
        assert s.scalar(select(func.count()).select_from(Site)) == 3


def test_prison_posts_patterns_and_requirements(small_demo):
    with small_demo.uow() as s:
        prison = _site(s, "HMP Westmoor")
        posts = {p.name: p for p in prison.posts}
        assert 8 <= len(posts) <= 10
        assert posts["Catholic Mass"].required_faith.name == "Roman Catholic"
        assert posts["Friday Jummah prayers"].required_faith.name.startswith("Islam")
        rules = {p.rrule for post in posts.values() for p in post.patterns}
        assert "FREQ=WEEKLY;COUNT=6" in rules  # Sycamore Tree blocks
        assert "FREQ=MONTHLY;BYDAY=1SU" in rules
        assert any("INTERVAL=2" in rule for rule in rules)  # fortnightly OPV visits
        needs = {
            (post.name, (r.clearance_type or r.course).code, r.mandatory)
            for post in posts.values()
            for r in post.requirements
        }
        assert ("Chapel administration", "KEYS", True) in needs
        assert ("Catholic Mass", "HMPPS", True) in needs
        assert ("Catholic Mass", "CTC", True) in needs
        assert any(not mandatory for _, _, mandatory in needs)  # some advisory
        blocks = posts["Sycamore Tree course"].patterns
        assert len(blocks) >= 2
        for block in blocks:
            sessions = s.scalars(select(Shift.date).where(Shift.pattern_id == block.id)).all()
            assert len(sessions) == 6 and {d.weekday() for d in sessions} == {0}
        for post in posts.values():
            times = s.execute(
                select(Shift.start_time, Shift.end_time).where(Shift.post_id == post.id).distinct()
            ).all()
            assert times == [(post.start_time, post.end_time)]
        for court in ("Westmoor Magistrates' Court", "Westmoor Crown Court"):
            desks = _site(s, court).posts
            assert sorted((d.start_time, d.end_time) for d in desks) == [
                (time(9, 30), time(13, 0)),
                (time(13, 0), time(16, 30)),
            ]
            for desk in desks:
                assert desk.kind is PostKind.DESK
                assert (desk.min_volunteers, desk.max_volunteers) == (2, 2)
                assert {p.rrule for p in desk.patterns} == {"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}
                codes = {(r.clearance_type or r.course).code for r in desk.requirements}
                assert {"DBS", "DESK_INDUCTION"} <= codes and "HMPPS" not in codes


def test_names_are_british_and_diverse(small_demo):
    with small_demo.uow() as s:
        people = s.execute(
            select(Volunteer.first_name, Volunteer.last_name, Volunteer.badge_name)
        ).all()
    firsts = {p.first_name for p in people}
    lasts = {p.last_name for p in people}
    assert {"Siân", "Zoë", "Łukasz", "Aoife", "Muhammad", "Gurpreet", "Chiamaka"} <= firsts
    assert {"Ó Briain", "O'Neill", "Kowalski", "Nguyen", "MacLeod", "Okonkwo"} <= lasts
    scripts = set().union(*(_script(p.first_name + p.last_name) for p in people))
    assert {"ARABIC", "GURMUKHI", "DEVANAGARI"} <= scripts
    assert ("William", "Bill") in {(p.first_name, p.badge_name) for p in people}


def test_people_have_full_records(small_demo):
    with small_demo.uow() as s:
        vols = s.scalars(select(Volunteer)).all()
        statuses = Counter(v.status for v in vols)
        assert set(statuses) == set(VolunteerStatus)
        assert statuses[VolunteerStatus.ACTIVE] > 0.7 * len(vols)
        for vol in vols:
            assert vol.phone and vol.postcode and vol.address and vol.date_of_birth
            assert vol.emergency_contact_name and vol.badge_name
            assert 2 <= vol.max_shifts_per_month <= 8
            assert vol.faith_id is None or vol.faith_consent  # faith only with consent
            assert (vol.left_on is not None) == (vol.status is VolunteerStatus.LEFT)
        assert any(v.faith_id is None and v.community.faith_id for v in vols)  # no consent
        assessed = [v for v in vols if v.risk_assessment_outcome]
        assert assessed and all(v.risk_assessment_on for v in assessed)
        assert s.scalar(select(func.count()).select_from(Endorsement)) > 0.8 * len(vols)
        fortnightly = s.scalars(
            select(WeeklyAvailability).where(WeeklyAvailability.every_n_weeks == 2)
        ).all()
        assert fortnightly and all(w.anchor_date for w in fortnightly)
        assert s.scalar(select(func.count()).select_from(Unavailability)) > 0
        overdue = s.scalars(select(Community).where(Community.review_due_on < TODAY)).all()
        assert overdue


# -- compliance ------------------------------------------------------------------------------


def _current_expiries(s) -> list[date | None]:
    newer_t, newer_c = aliased(TrainingRecord), aliased(Clearance)
    training = s.scalars(
        select(TrainingRecord.expires_on)
        .join(Volunteer)
        .where(
            Volunteer.status != VolunteerStatus.LEFT,
            TrainingRecord.status == TrainingStatus.COMPLETED,
            ~select(newer_t.id).where(newer_t.renews_id == TrainingRecord.id).exists(),
        )
    ).all()
    clearances = s.scalars(
        select(Clearance.expires_on)
        .join(Volunteer)
        .where(
            Volunteer.status != VolunteerStatus.LEFT,
            Clearance.status == ClearanceStatus.GRANTED,
            ~select(newer_c.id).where(newer_c.renews_id == Clearance.id).exists(),
        )
    ).all()
    return list(training) + list(clearances)


def test_expiry_dates_spread_around_today(small_demo):
    with small_demo.uow() as s:
        expiries = [day for day in _current_expiries(s) if day is not None]
    buckets = Counter()
    for day in expiries:
        days = (day - TODAY).days
        key = "expired" if days < 0 else next((n for n in (30, 60, 90) if days <= n), "later")
        buckets[key] += 1
    assert buckets["expired"] and buckets[30] and buckets[60] and buckets[90]
    assert buckets["later"] > 0.6 * len(expiries)  # most comfortably valid


def test_pending_and_closed_clearances(small_demo):
    with small_demo.uow() as s:
        rows = s.execute(select(Clearance.status, Clearance.applied_on)).all()
        pending = [applied for status, applied in rows if status in PENDING]
        assert len(pending) >= 5
        assert any(applied < TODAY - timedelta(days=90) for applied in pending)
        assert any(applied > TODAY - timedelta(days=30) for applied in pending)
        statuses = {status for status, _ in rows}
        assert {
            ClearanceStatus.REFUSED,
            ClearanceStatus.WITHDRAWN,
            ClearanceStatus.LAPSED,
        } <= statuses
        hmpps = s.scalars(
            select(Clearance).join(ClearanceType).where(ClearanceType.code == "HMPPS")
        ).all()
        prison = _site(s, "HMP Westmoor")
        assert all(c.site_id == prison.id for c in hmpps)
        granted = [c for c in hmpps if c.status is ClearanceStatus.GRANTED]
        assert all(c.reference.startswith("HMPPS/WMR/") and c.level for c in granted)
        dbs = s.scalars(
            select(Clearance)
            .join(ClearanceType)
            .where(ClearanceType.code == "DBS", Clearance.status == ClearanceStatus.GRANTED)
        ).all()
        assert dbs and all(len(c.dbs_certificate_number) == 12 for c in dbs)
        assert any(c.dbs_update_service for c in dbs)


PENDING = (ClearanceStatus.APPLIED, ClearanceStatus.IN_PROGRESS)


def _breaks(s, when) -> tuple[int, int]:
    """(assignments, of which break a mandatory requirement on the shift's date)."""
    needs = defaultdict(list)
    for req in s.scalars(select(PostRequirement).where(PostRequirement.mandatory)):
        needs[req.post_id].append(req)
    per_site = {t.id: t.per_establishment for t in s.scalars(select(ClearanceType))}
    held = defaultdict(list)
    for c in s.scalars(select(Clearance).where(Clearance.status == ClearanceStatus.GRANTED)):
        held[c.volunteer_id].append(("c", c.type_id, c.site_id, c.granted_on, c.expires_on))
    for t in s.scalars(select(TrainingRecord).where(TrainingRecord.completed_on.is_not(None))):
        held[t.volunteer_id].append(("t", t.course_id, None, t.completed_on, t.expires_on))
    rows = s.execute(
        select(Assignment.volunteer_id, Shift.date, Shift.post_id, Post.site_id)
        .select_from(Assignment)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Post, Post.id == Shift.post_id)
        .where(when, Assignment.status.in_(FILLING))
    ).all()
    broken = 0
    for vid, day, post_id, site_id in rows:
        for req in needs[post_id]:
            kind, item = (
                ("c", req.clearance_type_id) if req.clearance_type_id else ("t", req.course_id)
            )
            site = site_id if kind == "c" and per_site[item] else None
            ok = any(
                h[0] == kind and h[1] == item and (site is None or h[2] == site)
                and h[3] <= day and (h[4] is None or day <= h[4])
                for h in held[vid]
            )  # fmt: skip
            if not ok:
                broken += 1
                break
    return len(rows), broken


def test_some_future_assignments_break_a_rule_on_their_date(small_demo):
    with small_demo.uow() as s:
        total, broken = _breaks(s, Shift.date >= TODAY)
        assert total > 500
        assert 0 < broken < 0.05 * total  # a few, for the conflict checks to find
        away = s.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(Shift)
            .join(Unavailability, Unavailability.volunteer_id == Assignment.volunteer_id)
            .where(
                Shift.date >= TODAY,
                Shift.date.between(Unavailability.start_date, Unavailability.end_date),
                Assignment.status.in_(FILLING),
            )
        )
        assert away > 0  # somebody rostered during their holiday
        vetting = s.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(Volunteer)
            .where(Volunteer.status == VolunteerStatus.VETTING)
        )
        assert vetting > 0  # pending clearance: cannot be rostered yet


def test_faith_posts_staffed_by_consenting_endorsed_volunteers(small_demo):
    with small_demo.uow() as s:
        rows = s.execute(
            select(Volunteer, Post.required_faith_id)
            .join(Assignment, Assignment.volunteer_id == Volunteer.id)
            .join(Shift, Shift.id == Assignment.shift_id)
            .join(Post, Post.id == Shift.post_id)
            .where(Post.required_faith_id.is_not(None), Post.faith_mandatory)
        ).all()
        assert rows
        for vol, faith_id in rows:
            assert vol.faith_consent and vol.faith_id == faith_id
            assert any(e.community.faith_id == faith_id for e in vol.endorsements)


# -- the rota --------------------------------------------------------------------------------


def test_shifts_span_three_months_back_to_nine_ahead(small_demo):
    with small_demo.uow() as s:
        first, last = s.execute(select(func.min(Shift.date), func.max(Shift.date))).one()
        assert (
            TODAY - relativedelta(months=3)
            <= first
            <= TODAY - relativedelta(months=3) + timedelta(days=7)
        )
        assert (
            TODAY + relativedelta(months=9) - timedelta(days=7)
            <= last
            <= TODAY + relativedelta(months=9)
        )
        assert s.scalar(select(func.count()).where(Shift.pattern_id.is_(None))) >= 1  # one-offs


def test_no_court_shift_on_a_bank_holiday_or_closure(small_demo):
    holidays = bank_holidays(Jurisdiction.ENGLAND_WALES, date(2026, 1, 1), date(2027, 12, 31))
    with small_demo.uow() as s:
        rows = s.execute(
            select(Shift.date, Site.id).join(Post, Post.id == Shift.post_id).join(Site)
            .where(Site.kind != SiteKind.PRISON)
        ).all()  # fmt: skip
        days = {(d.site_id, d.day): d.kind for d in s.scalars(select(SiteDay))}
    assert rows
    assert {date(2026, 12, 25), date(2026, 12, 28)} <= set(holidays)
    for day, site_id in rows:
        assert day not in holidays or days.get((site_id, day)) is SiteDayKind.EXCEPTION
        assert days.get((site_id, day)) is not SiteDayKind.CLOSURE
    with small_demo.uow() as s:
        prison = _site(s, "HMP Westmoor")
        shut = [day for (site_id, day), kind in days.items() if site_id == prison.id]
        held = s.scalars(select(Shift.date).join(Post).where(Post.site_id == prison.id)).all()
    assert shut and not set(shut) & set(held)  # the chapel's closure day has no sessions
    closures = [key for key, kind in days.items() if kind is SiteDayKind.CLOSURE]
    exceptions = [key for key, kind in days.items() if kind is SiteDayKind.EXCEPTION]
    assert len(closures) >= 2 and len(exceptions) == 1
    assert exceptions[0][1].weekday() == 5  # the remand-only Saturday sitting...
    assert exceptions[0][1] in {day for day, _ in rows}  # ...has its desk session


def test_no_double_bookings(small_demo):
    with small_demo.uow() as s:
        a, b = aliased(Assignment), aliased(Assignment)
        x, y = aliased(Shift), aliased(Shift)
        clashes = s.scalar(
            select(func.count())
            .select_from(a)
            .join(x, x.id == a.shift_id)
            .join(b, (b.volunteer_id == a.volunteer_id) & (b.id < a.id))
            .join(y, y.id == b.shift_id)
            .where(x.date == y.date, x.start_time < y.end_time, y.start_time < x.end_time)
        )
        assert clashes == 0


def test_assignments_only_for_volunteers_linked_to_the_site(small_demo):
    with small_demo.uow() as s:
        unlinked = s.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(Shift)
            .join(Post)
            .where(
                ~select(volunteer_sites.c.volunteer_id)
                .where(
                    volunteer_sites.c.volunteer_id == Assignment.volunteer_id,
                    volunteer_sites.c.site_id == Post.site_id,
                )
                .exists()
            )
        )
        assert unlinked == 0


def test_past_attended_future_planned_with_gaps(small_demo):
    with small_demo.uow() as s:
        rows = s.execute(
            select(Shift, Post.min_volunteers, Post.max_volunteers).join(Post)
            .where(Shift.status == ShiftStatus.SCHEDULED)
        ).all()  # fmt: skip
        filled = Counter()
        statuses = defaultdict(Counter)
        for shift_id, day, status, hours in s.execute(
            select(Assignment.shift_id, Shift.date, Assignment.status, Assignment.hours).join(
                Shift, Shift.id == Assignment.shift_id
            )
        ):
            statuses[day < TODAY][status] += 1
            if status is AssignmentStatus.ATTENDED:
                assert hours and hours > 0
            if status is not AssignmentStatus.DECLINED:
                filled[shift_id] += 1
    past, future = statuses[True], statuses[False]
    assert set(past) <= {AssignmentStatus.ATTENDED, AssignmentStatus.NO_SHOW}
    assert past[AssignmentStatus.ATTENDED] > 10 * past[AssignmentStatus.NO_SHOW] > 0
    assert future[AssignmentStatus.CONFIRMED] and future[AssignmentStatus.PROPOSED]
    assert not future[AssignmentStatus.ATTENDED]
    upcoming = [(sh, lo, hi) for sh, lo, hi in rows if sh.date >= TODAY]
    assert sum(hi - filled[sh.id] for sh, lo, hi in upcoming) > 0  # unfilled places
    fortnight = [(sh, lo) for sh, lo, _ in upcoming if sh.date <= TODAY + timedelta(days=14)]
    short = [sh for sh, lo in fortnight if filled[sh.id] < lo]
    assert short and len(short) < len(fortnight)  # gaps to fill before the day


def test_past_desk_sessions_record_outcomes(small_demo):
    with small_demo.uow() as s:
        outcomes = s.scalars(select(DeskOutcome)).all()
        assert len(outcomes) > 50
        assert all(o.shift.date < TODAY and o.shift.post.kind is PostKind.DESK for o in outcomes)
        pathways = Counter(p.pathway for p in s.scalars(select(Signpost)))
        assert len(pathways) >= 6
        assert sum(o.contacts_seen for o in outcomes) > sum(pathways.values())


# -- building --------------------------------------------------------------------------------


def _table_rows(db) -> dict[str, list[tuple]]:
    """Every row the demo wrote; the catalogues seeded on opening are compared sans timestamp."""
    skip = {"users", "settings", "audit_log"}
    seeded = {"faiths", "roles", "training_courses", "clearance_types"}
    found = {}
    with db.engine.connect() as con:
        for name, table in Base.metadata.tables.items():
            if name in skip:
                continue
            columns = [c for c in table.columns if not (name in seeded and c.name == "updated_at")]
            query = select(*columns).order_by(*table.primary_key.columns)
            found[name] = [tuple(row) for row in con.execute(query)]
    return found


def test_same_seed_same_data_and_another_seed_differs(small_demo, tmp_path):
    again = open_database(tmp_path / "again.db", username="someone")
    other = open_database(tmp_path / "other.db", username="someone")
    try:
        build_demo(again, size="small", seed=1, today=TODAY)
        build_demo(other, size="small", seed=2, today=TODAY)
        assert _table_rows(again) == _table_rows(small_demo)
        assert _table_rows(other)["volunteers"] != _table_rows(small_demo)["volunteers"]
    finally:
        again.dispose()
        other.dispose()


def test_building_twice_is_refused(small_demo):
    with pytest.raises(ValueError, match="already holds"):
        build_demo(small_demo, size="small", seed=1, today=TODAY)
    with small_demo.uow() as s:
        assert s.scalar(select(func.count()).select_from(Site)) == 3


def test_unknown_size_is_refused(database):
    assert SIZES == ("small", "national")
    with pytest.raises(ValueError, match="Unknown demo size"):
        build_demo(database, size="huge")


def test_build_reports_progress_counts_and_sets_up_the_organisation(database):
    seen: list[tuple[str, float]] = []
    summary = build_demo(database, seed=3, today=TODAY, progress=lambda m, f: seen.append((m, f)))
    assert isinstance(summary, DemoSummary) and summary.seconds >= 0
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    with database.uow() as s:
        assert summary.volunteers == s.scalar(select(func.count()).select_from(Volunteer))
        assert summary.shifts == s.scalar(select(func.count()).select_from(Shift))
        assert summary.assignments == s.scalar(select(func.count()).select_from(Assignment))
        assert summary.clearances == s.scalar(select(func.count()).select_from(Clearance))
        assert summary.training_records == s.scalar(
            select(func.count()).select_from(TrainingRecord)
        )
        assert (summary.sites, summary.communities) == (3, 16)
        assert summary.posts == s.scalar(select(func.count()).select_from(Post))
        user = s.scalars(select(User).where(User.username == "tester")).one()
        assert user.role is UserRole.ADMINISTRATOR
        assert load_settings(s).organisation_name == "Westmoor Chaplaincy & Court Desks"
        # Ids were given by the builder: new rows must still get fresh ones (PostgreSQL).
        faith = s.scalars(select(Faith)).first()
        s.add(Community(name="New community", kind=CommunityKind.FAITH_COMMUNITY, faith=faith))
        s.add(Volunteer(first_name="New", last_name="Person"))
        post = s.scalars(select(Post)).first()
        s.add(RecurrencePattern(post_id=post.id, rrule="FREQ=WEEKLY", start_date=TODAY))


def test_national_code_path_on_a_small_plan(sqlite_database):
    plan = NationalPlan(
        large=1, medium=2, small=3, scotland=1, northern_ireland=1, wales=1, courts=4,
        volunteers=420, communities=40, large_volunteers=120, court_volunteers=15,
    )  # fmt: skip
    summary = build_national(sqlite_database, plan, seed=5, today=TODAY)
    assert (summary.volunteers, summary.communities, summary.sites) == (420, 40, 10)
    with sqlite_database.uow() as s:
        sites = s.scalars(select(Site)).all()
        assert {site.jurisdiction for site in sites} == set(Jurisdiction)
        assert Counter(site.kind for site in sites)[SiteKind.PRISON] == 6
        scottish = [site for site in sites if site.jurisdiction is Jurisdiction.SCOTLAND]
        holidays = bank_holidays(
            Jurisdiction.SCOTLAND, TODAY - timedelta(days=100), TODAY + timedelta(days=300)
        )
        for site in scottish:
            days = s.scalars(select(Shift.date).join(Post).where(Post.site_id == site.id)).all()
            if site.kind is not SiteKind.PRISON:
                assert days and not set(days) & set(holidays)
        assert s.scalar(select(func.count()).select_from(Assignment)) > 1000
        assert summary.training_records > 5 * summary.volunteers
        assert summary.clearances > 2 * summary.volunteers
