"""The dashboard and the compliance matrix on the engine, over a hand-built database where
every number is known (SQLite and, when configured, PostgreSQL)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from volunteerdesk.core.compliance.breaches import expiries
from volunteerdesk.core.compliance.engine import ComplianceData
from volunteerdesk.core.compliance.rules import State
from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    Post,
    PostKind,
    PostRequirement,
    Shift,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.core.services import compliance as service
from volunteerdesk.core.services.dashboard import (
    dashboard,
    dashboard_counts,
    future_breaches,
    items_of,
)

TODAY = date(2026, 3, 11)  # a Wednesday
DAY = timedelta(days=1)


@pytest.fixture
def world(database):
    """A prison whose chapel post needs HMPPS vetting, a court with nobody, and six people:

    Amy   safeguarding expired 5 days ago (and no HMPPS: missing, not counted)
    Ben   HMPPS expiring in 10 days; on Friday's chapel shift (min 2: 1 place unfilled)
    Cara  code of conduct expiring in 20 days, renewal booked: listed, not counted
    Dev   HMPPS applied for 40 days ago: pending
    Eve   HMPPS valid today, lapses in 40 days; rostered in 50 days: a breach
    Finn  has left, with an expired record: never counted
    """
    with database.uow() as s:
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        safeguarding = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "SAFEGUARDING"))
        conduct = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "CONDUCT"))
        parish = Community(name="St Anne's", kind=CommunityKind.FAITH_COMMUNITY)
        prison = Site(name="HMP Eastfield", kind=SiteKind.PRISON)
        court = Site(name="Riverside Magistrates' Court", kind=SiteKind.MAGISTRATES_COURT)
        chapel = Post(
            site=prison,
            name="Chapel",
            kind=PostKind.SERVICE,
            start_time=time(9, 30),
            end_time=time(11),
            min_volunteers=2,
            max_volunteers=3,
        )
        chapel.requirements.append(PostRequirement(clearance_type=hmpps))
        s.add_all([parish, prison, court, chapel])
        people = {}
        for name in ["Amy", "Ben", "Cara", "Dev", "Eve", "Finn"]:
            people[name] = Volunteer(
                first_name=name,
                last_name="Test",
                status=VolunteerStatus.LEFT if name == "Finn" else VolunteerStatus.ACTIVE,
                community=parish,
                sites=[prison],
            )
        s.add_all(people.values())
        s.flush()

        def granted(who, expires):
            return Clearance(
                volunteer=people[who],
                type=hmpps,
                site=prison,
                status=ClearanceStatus.GRANTED,
                granted_on=TODAY - 300 * DAY,
                expires_on=expires,
            )

        cara_conduct = TrainingRecord(
            volunteer=people["Cara"],
            course=conduct,
            completed_on=TODAY - 345 * DAY,
            expires_on=TODAY + 20 * DAY,
        )
        s.add_all(
            [
                TrainingRecord(
                    volunteer=people["Amy"],
                    course=safeguarding,
                    completed_on=TODAY - 1100 * DAY,
                    expires_on=TODAY - 5 * DAY,
                ),
                granted("Ben", TODAY + 10 * DAY),
                cara_conduct,
                Clearance(
                    volunteer=people["Dev"],
                    type=hmpps,
                    site=prison,
                    status=ClearanceStatus.APPLIED,
                    applied_on=TODAY - 40 * DAY,
                ),
                granted("Eve", TODAY + 40 * DAY),
                TrainingRecord(
                    volunteer=people["Finn"],
                    course=conduct,
                    completed_on=TODAY - 900 * DAY,
                    expires_on=TODAY - 500 * DAY,
                ),
            ]
        )
        s.flush()
        s.add(
            TrainingRecord(
                volunteer=people["Cara"],
                course=conduct,
                status=TrainingStatus.BOOKED,
                booked_for=TODAY + 15 * DAY,
                renews_id=cara_conduct.id,
            )
        )
        friday = Shift(post=chapel, date=TODAY + 2 * DAY, start_time=time(9, 30), end_time=time(11))
        friday.assignments.append(Assignment(volunteer=people["Ben"]))
        friday.assignments.append(
            Assignment(volunteer=people["Dev"], status=AssignmentStatus.DECLINED)
        )
        later = Shift(post=chapel, date=TODAY + 50 * DAY, start_time=time(9, 30), end_time=time(11))
        later.assignments.append(Assignment(volunteer=people["Eve"]))
        later.assignments.append(Assignment(volunteer=people["Ben"]))  # lapsed by then too
        later_two = Shift(
            post=chapel, date=TODAY + 57 * DAY, start_time=time(9, 30), end_time=time(11)
        )
        later_two.assignments.append(Assignment(volunteer=people["Eve"], locked=True))
        s.add_all([friday, later, later_two])
        s.flush()
        ids = {name: v.id for name, v in people.items()}
        ids["prison"], ids["court"], ids["chapel"], ids["friday"] = (
            prison.id,
            court.id,
            chapel.id,
            friday.id,
        )
    return database, ids


def test_each_tile_counts_what_needs_action(world):
    db, ids = world
    with db.uow() as s:
        board = dashboard(s, TODAY)
        counts = dashboard_counts(s, TODAY)
    assert counts == board.counts
    assert counts.active_volunteers == 5  # Finn has left
    assert counts.expired_items == 1  # Amy's safeguarding
    assert counts.expiring_items == 1  # Ben's vetting; Cara's renewal is booked
    assert counts.pending_clearances == 1  # Dev
    assert counts.unfilled_places == 1  # Friday: 2 needed, Ben on it, Dev declined
    assert counts.breaches == 3  # Eve (twice) and Ben, after their vetting lapses
    assert counts.warning_days == 30 and counts.overdue_reviews == 0


def test_the_lists_behind_the_tiles(world):
    db, ids = world
    with db.uow() as s:
        board = dashboard(s, TODAY)
    assert [v.name for v in board.active] == [
        "Amy Test",
        "Ben Test",
        "Cara Test",
        "Dev Test",
        "Eve Test",
    ]
    assert board.active[0].sites == "HMP Eastfield" and board.active[0].community == "St Anne's"
    (amy,) = board.expired
    assert (amy.volunteer, amy.requirement, amy.state) == (
        "Amy Test",
        "Safeguarding (foundation)",
        State.EXPIRED,
    )
    assert amy.reason == "Safeguarding (foundation) expired on 06/03/2026"
    # The renewal in progress stays in the list with its date, marked, after Ben's.
    assert [(i.volunteer, i.renewal_in_progress) for i in board.expiring] == [
        ("Ben Test", False),
        ("Cara Test", True),
    ]
    assert board.expiring[1].expires_on == TODAY + 20 * DAY
    assert "(renewal in progress)" in board.expiring[1].reason
    assert board.expiring[0].record_id is not None and board.expiring[0].kind == "clearance"
    (dev,) = board.pending
    assert dev.since == TODAY - 40 * DAY and dev.volunteer_id == ids["Dev"]
    (friday,) = board.unfilled
    assert (friday.shift_id, friday.needed, friday.minimum, friday.taken) == (
        ids["friday"],
        1,
        2,
        1,
    )
    assert (friday.site, friday.post) == ("HMP Eastfield", "Chapel")
    assert sorted((b.volunteer, b.day) for b in board.breaches) == [
        ("Ben Test", TODAY + 50 * DAY),
        ("Eve Test", TODAY + 50 * DAY),
        ("Eve Test", TODAY + 57 * DAY),
    ]
    eve = next(b for b in board.breaches if b.volunteer == "Eve Test")
    assert eve.reasons == ("HMPPS vetting expired on 20/04/2026",)


def test_the_week_summary_in_words(world):
    db, _ids = world
    with db.uow() as s:
        week = dashboard(s, TODAY).week
    assert (week.expiring, week.expired, week.breaches, week.unfilled, week.pending) == (
        0,
        1,
        0,
        1,
        1,
    )
    assert week.needs_action
    assert week.text == (
        "This week: 1 place is unfilled; 1 item has already expired or been refused; "
        "1 clearance is still pending."
    )
    assert [key for key, _text in week.lines()] == [
        "unfilled_places",
        "expired_items",
        "pending_clearances",
    ]
    with db.uow() as s:  # a week later Ben's vetting lapses within the week
        later = dashboard(s, TODAY + 5 * DAY).week
    assert later.expiring == 1 and "1 clearance or training record expires" in later.text


def test_the_charts(world):
    db, ids = world
    with db.uow() as s:
        board = dashboard(s, TODAY)
    months = board.expiries_by_month
    assert len(months) == 12 and months[0].month == date(2026, 3, 1)
    assert months[-1].month == date(2027, 2, 1)
    # Ben 21/03 and Cara 31/03 (still in force, renewal booked); Eve 20/04.
    assert [m.count for m in months] == [2, 1] + [0] * 10
    by_site = {s.site: s for s in board.sites}
    prison = by_site["HMP Eastfield"]
    assert (prison.active, prison.compliant) == (5, 4)  # Amy has an expired course
    assert prison.share == pytest.approx(0.8)
    court = by_site["Riverside Magistrates' Court"]
    assert (court.active, court.share) == (0, None)
    assert board.sites[0].site == "HMP Eastfield"  # worst share first; no share last


def test_site_compliance_checks_clearances_at_that_site(world):
    db, ids = world
    with db.uow() as s:
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        second = Site(name="HMP Westgate", kind=SiteKind.PRISON)
        eve = s.get(Volunteer, ids["Eve"])
        eve.sites.append(second)
        s.add(
            Clearance(
                volunteer=eve,
                type=hmpps,
                site=second,
                status=ClearanceStatus.LAPSED,
                expires_on=TODAY - 30 * DAY,
            )
        )
    with db.uow() as s:
        by_site = {x.site: x for x in dashboard(s, TODAY, with_breaches=False).sites}
    assert (by_site["HMP Westgate"].active, by_site["HMP Westgate"].compliant) == (1, 0)
    assert by_site["HMP Eastfield"].compliant == 4  # Eve's vetting there is valid


def test_refused_counts_as_expired_and_a_renewal_in_progress_stops_the_alarm(world):
    db, ids = world
    with db.uow() as s:
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        dev_application = s.scalar(select(Clearance).where(Clearance.volunteer_id == ids["Dev"]))
        dev_application.status = ClearanceStatus.REFUSED
        ben = s.scalar(select(Clearance).where(Clearance.volunteer_id == ids["Ben"]))
        s.add(
            Clearance(
                volunteer_id=ids["Ben"],
                type=hmpps,
                site_id=ids["prison"],
                status=ClearanceStatus.IN_PROGRESS,
                applied_on=TODAY - DAY,
                renews_id=ben.id,
            )
        )
    with db.uow() as s:
        board = dashboard(s, TODAY)
    assert [(i.volunteer, i.state) for i in board.expired] == [
        ("Amy Test", State.EXPIRED),
        ("Dev Test", State.REFUSED),
    ]
    assert board.counts.expired_items == 2
    assert board.counts.expiring_items == 0  # Ben and Cara both renewing
    assert all(i.renewal_in_progress for i in board.expiring)
    assert board.counts.pending_clearances == 0  # Ben's renewal is not on the chase list


def test_lists_agree_with_the_engine(world):
    db, _ids = world
    with db.uow() as s:
        data = ComplianceData.load(s)
        whole = future_breaches(s, data, TODAY)
        in_steps = [
            b
            for start in range(0, 90, 28)
            for b in future_breaches(s, data, TODAY + start * DAY, TODAY + (start + 27) * DAY)
        ]
    assert whole == in_steps and len(whole) == 3
    assert sorted(items_of(data.matrix(TODAY)), key=repr) == sorted(expiries(data, TODAY), key=repr)


def test_an_empty_database(database):
    with database.uow() as s:
        board = dashboard(s, TODAY)
    assert board.counts.active_volunteers == board.counts.breaches == 0
    assert board.sites == [] and sum(m.count for m in board.expiries_by_month) == 0
    assert not board.week.needs_action and board.week.text == "This week: nothing needs action."
    assert board.last_shift_day is None


# ----- the matrix service ---------------------------------------------------------------
def test_matrix_lines_and_choices(world):
    db, ids = world
    with db.uow() as s:
        view = service.compliance_matrix(s, TODAY)
    names = [c.name for c in view.columns]
    assert "HMPPS vetting" in names and "Safeguarding (foundation)" in names
    lines = {ln.name: ln for ln in view.lines}
    assert "Finn Test" not in lines
    hmpps = names.index("HMPPS vetting")
    assert lines["Ben Test"].cells[hmpps].state is State.EXPIRING
    assert lines["Amy Test"].cells[hmpps].state is State.MISSING  # required at her site
    assert lines["Ben Test"].soonest == TODAY + 10 * DAY
    assert lines["Amy Test"].soonest == TODAY - 5 * DAY
    assert [c.name for c in view.sites] == ["HMP Eastfield", "Riverside Magistrates' Court"]
    assert [p.name for p in view.posts] == ["HMP Eastfield: Chapel"]
    assert [c.name for c in view.communities] == ["St Anne's"]


def test_narrowing_the_matrix(world):
    db, ids = world
    with db.uow() as s:
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        other = Site(name="HMP Westgate", kind=SiteKind.PRISON)
        eve = s.get(Volunteer, ids["Eve"])
        eve.sites.append(other)
    with db.uow() as s:
        view = service.compliance_matrix(s, TODAY)
    columns, lines = service.narrow(view, post_id=ids["chapel"])
    assert [c.name for c in columns] == ["HMPPS vetting"]
    assert {ln.name: ln.cells[0].state for ln in lines} == {
        "Amy Test": State.MISSING,
        "Ben Test": State.EXPIRING,
        "Cara Test": State.MISSING,
        "Dev Test": State.PENDING,
        "Eve Test": State.VALID,
    }
    # At the other prison Eve's vetting (granted at Eastfield) does not count.
    westgate = next(c.id for c in view.sites if c.name == "HMP Westgate")
    _columns, lines = service.narrow(view, site_id=westgate)
    (eve_line,) = lines
    cell = eve_line.cells[[c.name for c in view.columns].index("HMPPS vetting")]
    assert cell.state is State.MISSING and cell.reason == "No HMPPS vetting at this establishment"
    assert hmpps.per_establishment
    # By state, community and name.
    names = lambda found: sorted(ln.name for ln in found[1])  # noqa: E731
    assert names(service.narrow(view, state="expired")) == ["Amy Test"]
    assert names(service.narrow(view, state="expiring")) == ["Ben Test", "Cara Test"]
    assert names(service.narrow(view, state="pending")) == ["Dev Test"]
    assert names(service.narrow(view, state="renewing")) == ["Cara Test"]
    assert "Eve Test" not in names(service.narrow(view, state="action"))
    assert names(service.narrow(view, post_id=ids["chapel"], state="missing")) == [
        "Amy Test",
        "Cara Test",
    ]
    assert names(service.narrow(view, community_id=view.communities[0].id)) == names(
        service.narrow(view)
    )
    assert names(service.narrow(view, needle="ev")) == ["Dev Test", "Eve Test"]


def test_record_states_follow_the_engine():
    label = service.state_label
    kw = {"today": TODAY, "warning_days": 30}
    assert label(kind="Training", status="completed", expires_on=None, **kw) == service.VALID
    assert label(kind="Training", status="completed", expires_on=TODAY, **kw) == service.EXPIRING
    assert label(kind="Training", status="completed", expires_on=TODAY - DAY, **kw) == "expired"
    assert label(kind="Training", status="booked", expires_on=None, **kw) == service.BOOKED
    assert label(kind="Clearance", status="in_progress", expires_on=None, **kw) == "pending"
    assert label(kind="Clearance", status="lapsed", expires_on=None, **kw) == "expired"
    assert label(kind="Clearance", status="withdrawn", expires_on=None, **kw) == "not in force"
    # Granted, but only from a later date: not yet in force.
    later = {"start": TODAY + DAY, "expires_on": TODAY + 400 * DAY}
    assert label(kind="Clearance", status="granted", **later, **kw) == "pending"
