"""The read services on a small hand-built database (SQLite and, when configured, PostgreSQL)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    Faith,
    Post,
    PostKind,
    PostRequirement,
    RecurrencePattern,
    Shift,
    ShiftStatus,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.core.services import compliance as compliance_service
from volunteerdesk.core.services.catalogues import catalogues, validity_text
from volunteerdesk.core.services.communities import list_communities
from volunteerdesk.core.services.compliance import compliance_items
from volunteerdesk.core.services.dashboard import dashboard_counts
from volunteerdesk.core.services.report_scope import report_scope
from volunteerdesk.core.services.rota import VACANT, rota_week, week_start_of
from volunteerdesk.core.services.sites import describe_rule, list_sites, site_detail
from volunteerdesk.core.services.volunteers import (
    count_volunteers,
    list_volunteers,
    volunteer_detail,
)

TODAY = date(2026, 3, 11)  # a Wednesday


@pytest.fixture
def filled(database):
    """A prison with two posts, three volunteers and known compliance dates."""
    with database.uow() as s:
        catholic = s.scalar(select(Faith).where(Faith.name == "Roman Catholic"))
        safeguarding = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "SAFEGUARDING"))
        conduct = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "CONDUCT"))
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        parish = Community(
            name="St Anne's Parish",
            kind=CommunityKind.FAITH_COMMUNITY,
            faith=catholic,
            contact_name="Fr Paul",
            contact_phone="01632 960000",
            review_due_on=TODAY - timedelta(days=1),
        )
        trust = Community(
            name="Court Support Trust",
            kind=CommunityKind.PARTNER,
            review_due_on=TODAY + timedelta(days=100),
        )
        prison = Site(name="HMP Eastfield", code="EFD", kind=SiteKind.PRISON)
        mass = Post(
            site=prison,
            name="Sunday Mass",
            kind=PostKind.SERVICE,
            start_time=time(9, 30),
            end_time=time(11, 0),
            min_volunteers=2,
            max_volunteers=3,
            required_faith=catholic,
        )
        mass.requirements.append(PostRequirement(clearance_type=hmpps))
        mass.requirements.append(PostRequirement(course=safeguarding, mandatory=False))
        mass.patterns.append(
            RecurrencePattern(rrule="FREQ=WEEKLY;BYDAY=SU", start_date=date(2026, 1, 4))
        )
        visits = Post(
            site=prison,
            name="Wing visits",
            kind=PostKind.VISITING,
            start_time=time(14, 0),
            end_time=time(16, 0),
            min_volunteers=1,
            max_volunteers=1,
        )
        ann = Volunteer(
            first_name="Annabel",
            badge_name="Ann",
            last_name="Baker",
            status=VolunteerStatus.ACTIVE,
            community=parish,
            phone="07700 900123",
            email="ann@example.org",
            key_holder=True,
            sites=[prison],
        )
        bob = Volunteer(
            first_name="Bob",
            last_name="Carter",
            status=VolunteerStatus.ACTIVE,
            community=parish,
            sites=[prison],
        )
        cat = Volunteer(
            first_name="Cat",
            last_name="Adams",
            status=VolunteerStatus.VETTING,
            community=trust,
        )
        gone = Volunteer(first_name="Dan", last_name="Gone", status=VolunteerStatus.LEFT)
        s.add_all([parish, trust, prison, ann, bob, cat, gone])
        s.flush()
        # Ann: one expired course, one expiring in 10 days, one valid; a granted clearance.
        s.add_all(
            [
                TrainingRecord(
                    volunteer=ann,
                    course=safeguarding,
                    completed_on=TODAY - timedelta(days=1200),
                    expires_on=TODAY - timedelta(days=5),
                ),
                TrainingRecord(
                    volunteer=ann,
                    course=conduct,
                    completed_on=TODAY - timedelta(days=355),
                    expires_on=TODAY + timedelta(days=10),
                ),
                TrainingRecord(
                    volunteer=bob,
                    course=conduct,
                    completed_on=TODAY - timedelta(days=30),
                    expires_on=TODAY + timedelta(days=335),
                ),
                # Bob's old expired record, renewed by the one above: no longer counted.
                TrainingRecord(
                    volunteer=bob,
                    course=safeguarding,
                    completed_on=TODAY - timedelta(days=1500),
                    expires_on=TODAY - timedelta(days=400),
                ),
                # A volunteer who left: never counted.
                TrainingRecord(
                    volunteer=gone,
                    course=conduct,
                    completed_on=TODAY - timedelta(days=900),
                    expires_on=TODAY - timedelta(days=500),
                ),
                Clearance(
                    volunteer=ann,
                    type=hmpps,
                    site=prison,
                    status=ClearanceStatus.GRANTED,
                    level="Enhanced Level 1",
                    granted_on=TODAY - timedelta(days=100),
                    expires_on=TODAY + timedelta(days=1000),
                ),
                Clearance(
                    volunteer=cat,
                    type=hmpps,
                    site=prison,
                    status=ClearanceStatus.IN_PROGRESS,
                    applied_on=TODAY - timedelta(days=40),
                ),
            ]
        )
        s.flush()
        old = s.scalar(
            select(TrainingRecord).where(
                TrainingRecord.volunteer_id == bob.id, TrainingRecord.course_id == safeguarding.id
            )
        )
        s.add(
            TrainingRecord(
                volunteer=bob,
                course=safeguarding,
                status=TrainingStatus.BOOKED,
                booked_for=TODAY + timedelta(days=20),
                renews_id=old.id,
            )
        )
        # This week: Sunday Mass needs 2 and has 1 (+1 declined); visits on Thursday: vacant.
        sunday = week_start_of(TODAY) + timedelta(days=6)
        thursday = week_start_of(TODAY) + timedelta(days=3)
        mass_shift = Shift(post=mass, date=sunday, start_time=time(9, 30), end_time=time(11, 0))
        mass_shift.assignments.append(Assignment(volunteer=ann))
        mass_shift.assignments.append(Assignment(volunteer=bob, status=AssignmentStatus.DECLINED))
        visit_shift = Shift(
            post=visits, date=thursday, start_time=time(14, 0), end_time=time(16, 0)
        )
        cancelled = Shift(
            post=visits,
            date=thursday + timedelta(days=1),
            start_time=time(14, 0),
            end_time=time(16, 0),
            status=ShiftStatus.CANCELLED,
        )
        # Outside the 14-day horizon: not counted on the dashboard.
        later = Shift(
            post=visits,
            date=TODAY + timedelta(days=20),
            start_time=time(14, 0),
            end_time=time(16, 0),
        )
        s.add_all([mass_shift, visit_shift, cancelled, later])
    return database


def test_dashboard_counts_known_rows(filled):
    with filled.uow() as s:
        counts = dashboard_counts(s, today=TODAY)
    assert counts.active_volunteers == 2
    assert counts.expired_items == 1  # Ann's safeguarding; Bob's is renewed, Dan has left
    assert counts.expiring_items == 1  # Ann's code of conduct, in 10 days
    assert counts.pending_clearances == 1  # Cat's vetting
    assert counts.unfilled_places == 2  # Mass 2 - 1 (declined does not count) + visits 1
    assert counts.overdue_reviews == 1
    assert counts.warning_days == 30


def test_dashboard_counts_match_compliance_states(filled):
    with filled.uow() as s:
        counts = dashboard_counts(s, today=TODAY)
        items = compliance_items(s, today=TODAY)
    states = [item.state for item in items]
    assert states.count(compliance_service.EXPIRED) == counts.expired_items
    assert states.count(compliance_service.EXPIRING) == counts.expiring_items
    assert states.count(compliance_service.PENDING) == counts.pending_clearances


def test_compliance_items_states(filled):
    with filled.uow() as s:
        items = compliance_items(s, today=TODAY)
    by_key = {(i.volunteer_name, i.item): i for i in items}
    assert by_key[("Ann Baker", "Safeguarding (foundation)")].state == "expired"
    assert by_key[("Ann Baker", "Code of conduct and confidentiality")].state == "expiring"
    assert by_key[("Bob Carter", "Code of conduct and confidentiality")].state == "valid"
    assert by_key[("Bob Carter", "Safeguarding (foundation)")].state == "booked"
    vetting = by_key[("Cat Adams", "HMPPS vetting")]
    assert (vetting.state, vetting.kind, vetting.site) == ("pending", "Clearance", "HMP Eastfield")
    granted = by_key[("Ann Baker", "HMPPS vetting")]
    assert (granted.state, granted.level) == ("valid", "Enhanced Level 1")
    assert not [i for i in items if i.volunteer_name == "Dan Gone"]
    assert len(items) == 6


def test_state_label_rules():
    kw = {"today": TODAY, "warning_days": 30}
    label = compliance_service.state_label
    assert label(kind="Training", status="completed", expires_on=None, **kw) == "valid"
    assert label(kind="Training", status="completed", expires_on=TODAY, **kw) == "expiring"
    assert (
        label(kind="Training", status="completed", expires_on=TODAY + timedelta(31), **kw)
        == "valid"
    )
    assert label(kind="Clearance", status="applied", expires_on=None, **kw) == "pending"
    assert label(kind="Clearance", status="lapsed", expires_on=None, **kw) == "expired"
    assert label(kind="Clearance", status="refused", expires_on=None, **kw) == "not in force"


def test_volunteer_rows(filled):
    with filled.uow() as s:
        rows = list_volunteers(s)
        assert count_volunteers(s) == 4
    assert [r.last_name for r in rows] == ["Adams", "Baker", "Carter", "Gone"]
    ann = rows[1]
    assert ann.display_name == "Ann Baker"
    assert (ann.first_name, ann.badge_name) == ("Annabel", "Ann")
    assert ann.status == "active"
    assert ann.community == "St Anne's Parish"
    assert ann.sites == "HMP Eastfield"
    assert (ann.phone, ann.email, ann.key_holder) == ("07700 900123", "ann@example.org", True)
    assert rows[0].sites == "" and rows[0].community == "Court Support Trust"
    with pytest.raises(FrozenInstanceError):
        ann.last_name = "X"  # type: ignore[misc]


def test_volunteer_detail(filled):
    with filled.uow() as s:
        ann_id = next(r.id for r in list_volunteers(s) if r.last_name == "Baker")
        detail = volunteer_detail(s, ann_id)
        assert volunteer_detail(s, 999_999) is None
    assert detail.display_name == "Ann Baker"
    assert detail.sites == ("HMP Eastfield",)
    assert [t.course for t in detail.training] == [
        "Code of conduct and confidentiality",
        "Safeguarding (foundation)",
    ]
    assert detail.clearances[0].type == "HMPPS vetting"
    assert detail.faith == ""  # no consent recorded


def test_communities(filled):
    with filled.uow() as s:
        rows = list_communities(s, today=TODAY)
    assert [r.name for r in rows] == ["Court Support Trust", "St Anne's Parish"]
    trust, parish = rows
    assert (parish.kind, parish.faith, parish.volunteers, parish.overdue) == (
        "Faith community",
        "Roman Catholic",
        2,
        True,
    )
    assert parish.contact == "Fr Paul, 01632 960000"
    assert (trust.kind, trust.volunteers, trust.overdue) == ("Partner organisation", 1, False)


def test_sites_and_posts(filled):
    with filled.uow() as s:
        sites = list_sites(s)
        detail = site_detail(s, sites[0].id)
    assert [(x.name, x.kind, x.posts) for x in sites] == [("HMP Eastfield", "Prison", 2)]
    mass = next(p for p in detail.posts if p.name == "Sunday Mass")
    assert (mass.min_volunteers, mass.max_volunteers) == (2, 3)
    assert mass.requirements == ("HMPPS vetting", "Safeguarding (foundation) (advisory)")
    assert mass.requirements_text == "HMPPS vetting; Safeguarding (foundation) (advisory)"
    assert mass.faith == "Roman Catholic"
    assert mass.patterns == ("Weekly on Sunday (from 04 Jan 2026)",)


def test_describe_rule():
    assert describe_rule("FREQ=WEEKLY;BYDAY=SU") == "Weekly on Sunday"
    assert describe_rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU") == "Every 2 weeks on Tuesday"
    assert describe_rule("FREQ=MONTHLY;BYDAY=1SU") == "Monthly on the first Sunday"
    assert describe_rule("FREQ=WEEKLY;BYDAY=WE;COUNT=6") == "Weekly on Wednesday, 6 sessions"
    assert describe_rule("FREQ=YEARLY") == "FREQ=YEARLY"


def test_rota_week_grid(filled):
    with filled.uow() as s:
        site_id = list_sites(s)[0].id
        week = rota_week(s, site_id, TODAY)
    assert week.week_start == date(2026, 3, 9)
    assert [d.date.weekday() for d in week.days] == list(range(7))
    assert [p.name for p in week.posts] == ["Sunday Mass", "Wing visits"]
    mass_id, visits_id = (p.id for p in week.posts)
    (mass,) = week.cell(mass_id, date(2026, 3, 15))
    assert mass.volunteers == ("Ann Baker",)
    assert mass.people[0].confirmed
    assert (mass.needed, mass.gap_text) == (1, "1 needed")
    (visit,) = week.cell(visits_id, date(2026, 3, 12))
    assert (visit.volunteers, visit.gap_text) == ((), VACANT)
    (cancelled,) = week.cell(visits_id, date(2026, 3, 13))
    assert cancelled.cancelled and cancelled.needed == 0
    assert week.cell(mass_id, date(2026, 3, 9)) == []
    assert week.places_needed == 2


def test_rota_week_marks_bank_holidays(filled):
    with filled.uow() as s:
        site = s.scalar(select(Site))
        site.closed_on_bank_holidays = True
    with filled.uow() as s:
        week = rota_week(s, site.id, date(2026, 4, 6))  # Easter Monday
    assert "Easter Monday" in week.days[0].closed_reason
    assert week.days[1].closed_reason == ""


def test_catalogues(filled):
    with filled.uow() as s:
        course = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "CONDUCT"))
        course.validity_months = 24
    with filled.uow() as s:
        cats = catalogues(s)
    by_code = {c.code: c for c in cats.courses}
    assert by_code["CONDUCT"].set_locally and by_code["CONDUCT"].validity_months == 24
    assert not by_code["SAFEGUARDING"].set_locally
    assert by_code["SYCAMORE"].validity_months is None
    dbs = next(t for t in cats.clearance_types if t.code == "DBS")
    assert dbs.is_dbs and "Enhanced" in dbs.levels
    assert any(r.name == "Official Prison Visitor" for r in cats.roles)
    assert any(f.name == "Sikh" for f in cats.faiths)
    assert validity_text(None) == "Does not expire"
    assert validity_text(1) == "1 month"


def test_report_scope(filled):
    with filled.uow() as s:
        scope = report_scope(s, today=TODAY)
    assert (scope.prisons, scope.courts, scope.posts) == (1, 0, 2)
    assert scope.shifts_next_weeks == 3  # Thursday visits, Sunday Mass, the later visits
    assert scope.gate_visits_next_days == 1  # Ann on Sunday
    assert scope.pending_clearances == 1
    assert scope.active_volunteers == 2


def test_empty_database(database):
    with database.uow() as s:
        counts = dashboard_counts(s, today=TODAY)
        assert list_volunteers(s) == []
        assert compliance_items(s, today=TODAY) == []
        assert list_sites(s) == []
        assert count_volunteers(s) == 0
    assert counts.active_volunteers == counts.unfilled_places == counts.expired_items == 0
