"""Who may take a shift: each rule on its own, the suitability list, and that the
answers come from one load (SQLite and, when configured, PostgreSQL).

``Build`` makes the small worlds the rota tests need; test_autofill and test_rota_edit
use it too.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import event, select

from volunteerdesk.core.compliance.engine import ComplianceData
from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    Endorsement,
    Faith,
    Post,
    PostKind,
    PostRequirement,
    Role,
    Session,
    Shift,
    ShiftStatus,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
    Unavailability,
    Volunteer,
    VolunteerStatus,
    WeeklyAvailability,
)
from volunteerdesk.core.scheduling.compliance_subset import load_compliance
from volunteerdesk.core.scheduling.eligibility import RotaData, Rule

DAY = date(2027, 1, 12)  # a Tuesday
LONG_AGO = date(2020, 1, 1)


class Build:
    """Small rota worlds, written through one session."""

    def __init__(self, session):
        self.s = session

    def site(self, name="HMP Testford", kind=SiteKind.PRISON, **kw) -> Site:
        site = Site(name=name, kind=kind, **kw)
        self.s.add(site)
        self.s.flush()
        return site

    def post(
        self,
        site,
        name="Chapel administration",
        kind=PostKind.ADMIN,
        start=time(9),
        end=time(12),
        *,
        low=1,
        high=2,
        needs=("HMPPS",),
        advised=(),
        faith=None,
    ) -> Post:
        post = Post(
            site=site,
            name=name,
            kind=kind,
            start_time=start,
            end_time=end,
            min_volunteers=low,
            max_volunteers=high,
        )
        self.s.add(post)
        if faith:
            post.required_faith = self.faith(faith)
        self.s.flush()
        for code, mandatory in [(c, True) for c in needs] + [(c, False) for c in advised]:
            ctype = self.s.scalar(select(ClearanceType).filter_by(code=code))
            if ctype is not None:
                self.s.add(PostRequirement(post=post, clearance_type=ctype, mandatory=mandatory))
            else:
                course = self.s.scalars(select(TrainingCourse).filter_by(code=code)).one()
                self.s.add(PostRequirement(post=post, course=course, mandatory=mandatory))
        self.s.flush()
        return post

    def faith(self, name: str) -> Faith:
        return self.s.scalars(select(Faith).filter_by(name=name)).one()

    def volunteer(
        self,
        first,
        last="Tester",
        sites=(),
        *,
        status=VolunteerStatus.ACTIVE,
        cap=4,
        roles=(),
        cleared=True,
    ) -> Volunteer:
        v = Volunteer(
            first_name=first,
            last_name=last,
            status=status,
            max_shifts_per_month=cap,
            sites=list(sites),
            roles=[self.s.scalars(select(Role).filter_by(name=r)).one() for r in roles],
        )
        self.s.add(v)
        self.s.flush()
        if cleared:
            for site in sites:
                self.clear(v, "HMPPS", site)
        return v

    def clear(self, v, code, site=None, *, granted=LONG_AGO, expires=None, status=None):
        ctype = self.s.scalars(select(ClearanceType).filter_by(code=code)).one()
        c = Clearance(
            volunteer=v,
            type=ctype,
            site=site if ctype.per_establishment else None,
            status=status or ClearanceStatus.GRANTED,
            applied_on=granted,
            granted_on=None if status in (ClearanceStatus.APPLIED,) else granted,
            expires_on=expires,
        )
        self.s.add(c)
        self.s.flush()
        return c

    def train(self, v, code, *, done=LONG_AGO, expires=None, status=TrainingStatus.COMPLETED):
        course = self.s.scalars(select(TrainingCourse).filter_by(code=code)).one()
        t = TrainingRecord(
            volunteer=v,
            course=course,
            status=status,
            completed_on=done if status == TrainingStatus.COMPLETED else None,
            booked_for=done if status == TrainingStatus.BOOKED else None,
            expires_on=expires,
        )
        self.s.add(t)
        self.s.flush()
        return t

    def endorse(self, v, faith: str, consent=True) -> None:
        community = Community(
            name=f"{faith} community {v.id}",
            kind=CommunityKind.FAITH_COMMUNITY,
            faith=self.faith(faith),
        )
        self.s.add(community)
        self.s.flush()
        self.s.add(Endorsement(volunteer=v, community=community))
        v.faith = self.faith(faith)
        v.faith_consent = consent
        self.s.flush()

    def shift(self, post, day=DAY, start=None, end=None, **kw) -> Shift:
        shift = Shift(
            post=post,
            date=day,
            start_time=start or post.start_time,
            end_time=end or post.end_time,
            **kw,
        )
        self.s.add(shift)
        self.s.flush()
        return shift

    def assign(self, shift, v, status=AssignmentStatus.CONFIRMED, **kw) -> Assignment:
        a = Assignment(shift=shift, volunteer=v, status=status, **kw)
        self.s.add(a)
        self.s.flush()
        return a

    def away(self, v, first, last, reason="Holiday") -> None:
        self.s.add(Unavailability(volunteer=v, start_date=first, end_date=last, reason=reason))
        self.s.flush()

    def slot(self, v, weekday, session, every=1, anchor=None) -> None:
        self.s.add(
            WeeklyAvailability(
                volunteer=v,
                weekday=weekday,
                session=Session(session),
                every_n_weeks=every,
                anchor_date=anchor,
            )
        )
        self.s.flush()


def rules_of(database, vid, shift_id, site_id=None):
    """The rules stopping a volunteer, from a fresh load; also checks the fast paths agree."""
    with database.uow() as s:
        shift = s.get(Shift, shift_id)
        data = RotaData.load(s, shift.date, shift.date, site_id, also=[vid])
        info = data.shifts[shift_id]
        reasons = data.reasons(vid, info)
        assert data.rules(vid, info) == [r.rule for r in reasons]
        assert data.can_take(vid, info) == (
            not [r for r in reasons if r.rule is not Rule.MONTHLY_MAX]
        )
        return reasons


@pytest.fixture
def prison(database):
    """A prison with a chapel admin post (needs HMPPS vetting there and key training)
    and one cleared, trained volunteer; returns ids."""
    with database.uow() as s:
        b = Build(s)
        site = b.site()
        post = b.post(site, needs=("HMPPS", "KEYS"), advised=("CONDUCT",))
        v = b.volunteer("Siân", "Evans", [site])
        b.train(v, "KEYS", expires=date(2028, 1, 1))
        shift = b.shift(post)
        return {"site": site.id, "post": post.id, "v": v.id, "shift": shift.id}


def _one(reasons):
    assert len(reasons) == 1, reasons
    return reasons[0]


def test_a_cleared_trained_available_volunteer_can_take_it(database, prison):
    assert rules_of(database, prison["v"], prison["shift"]) == []


def test_not_active(database, prison):
    with database.uow() as s:
        s.get(Volunteer, prison["v"]).status = VolunteerStatus.PAUSED
    reason = _one(rules_of(database, prison["v"], prison["shift"]))
    assert reason.rule is Rule.INACTIVE and "paused" in reason.text


def test_not_serving_the_site(database, prison):
    with database.uow() as s:
        b = Build(s)
        other = b.site("HMP Elsewhere")
        vid = b.volunteer("Tomasz", "Nowak", [other]).id
        b.train(s.get(Volunteer, vid), "KEYS")
        b.clear(s.get(Volunteer, vid), "HMPPS", s.get(Site, prison["site"]))
    reason = _one(rules_of(database, vid, prison["shift"], prison["site"]))
    assert reason.rule is Rule.OTHER_SITE and reason.rule.category == "site"


def test_clearance_that_lapses_before_the_shift_is_a_conflict_now(database, prison):
    with database.uow() as s:
        for c in s.get(Volunteer, prison["v"]).clearances:
            c.expires_on = date(2027, 1, 3)  # valid today, lapsed by the shift
    reason = _one(rules_of(database, prison["v"], prison["shift"]))
    assert reason.rule is Rule.CLEARANCE_LAPSED and reason.rule.category == "clearance"
    assert "expired on 03/01/2027" in reason.text
    assert reason.fix == "renew Siân Evans's HMPPS vetting"
    assert Rule.CLEARANCE_LAPSED.counted(4, DAY) == "4 clearance lapses before 12/01/2027"


def test_pending_clearance_cannot_be_rostered_yet(database, prison):
    with database.uow() as s:
        b = Build(s)
        vid = b.volunteer("Ada", "New", [s.get(Site, prison["site"])], cleared=False).id
        v = s.get(Volunteer, vid)
        b.clear(v, "HMPPS", s.get(Site, prison["site"]), status=ClearanceStatus.APPLIED)
        b.train(v, "KEYS")
    reason = _one(rules_of(database, vid, prison["shift"]))
    assert reason.rule is Rule.CLEARANCE_PENDING and "pending" in reason.text


def test_clearance_for_another_establishment_does_not_count(database, prison):
    with database.uow() as s:
        b = Build(s)
        here = s.get(Site, prison["site"])
        vid = b.volunteer("Ben", "Moved", [here], cleared=False).id
        b.clear(s.get(Volunteer, vid), "HMPPS", b.site("HMP Other"))
        b.train(s.get(Volunteer, vid), "KEYS")
    reason = _one(rules_of(database, vid, prison["shift"]))
    assert reason.rule is Rule.CLEARANCE_MISSING and "at this establishment" in reason.text


def test_training_that_lapses_before_the_shift(database, prison):
    with database.uow() as s:
        s.get(Volunteer, prison["v"]).training[0].expires_on = date(2027, 1, 11)
    reason = _one(rules_of(database, prison["v"], prison["shift"]))
    assert reason.rule is Rule.TRAINING_LAPSED and reason.rule.category == "training"
    assert reason.fix == "renew Siân Evans's Key and security training"


def test_advisory_training_only_warns(database, prison):
    with database.uow() as s:
        data = RotaData.load(s, DAY, DAY, prison["site"])
        (line,) = data.suitability(prison["shift"])
    assert line.eligible and not line.reasons
    assert line.warnings == ("No Code of conduct and confidentiality",)


def test_faith_requirement_needs_an_endorsement_with_consent(database, prison):
    with database.uow() as s:
        b = Build(s)
        site = s.get(Site, prison["site"])
        mass = b.post(
            site,
            "Catholic Mass",
            PostKind.SERVICE,
            time(9),
            time(10),
            needs=(),
            faith="Roman Catholic",
        )
        shift = b.shift(mass, date(2027, 1, 16)).id
        endorsed = b.volunteer("Aoife", "Ó Briain", [site])
        b.endorse(endorsed, "Roman Catholic")
        private = b.volunteer("Ciarán", "O'Neill", [site])
        b.endorse(private, "Roman Catholic", consent=False)
        ids = endorsed.id, private.id
    assert rules_of(database, ids[0], shift) == []
    reason = _one(rules_of(database, ids[1], shift))
    assert reason.rule is Rule.FAITH and reason.text == "Not endorsed for Roman Catholic"
    assert _one(rules_of(database, prison["v"], shift)).rule is Rule.FAITH


def test_unavailable_period(database, prison):
    with database.uow() as s:
        Build(s).away(s.get(Volunteer, prison["v"]), date(2027, 1, 10), date(2027, 1, 12))
    reason = _one(rules_of(database, prison["v"], prison["shift"]))
    assert reason.rule is Rule.UNAVAILABLE
    assert reason.text == "Unavailable 10/01/2027 to 12/01/2027 (Holiday)"


def test_weekly_availability_by_weekday_and_session(database, prison):
    with database.uow() as s:
        b = Build(s)
        v = s.get(Volunteer, prison["v"])
        b.slot(v, 1, "morning")  # Tuesday mornings only
        post = s.get(Post, prison["post"])
        wednesday = b.shift(post, date(2027, 1, 13)).id
        noon = b.shift(post, DAY, time(12), time(13)).id  # 12:00 is the afternoon
        late_morning = b.shift(post, DAY, time(11, 59), time(12, 30)).id
    assert rules_of(database, prison["v"], prison["shift"]) == []
    assert rules_of(database, prison["v"], late_morning) == []
    reason = _one(rules_of(database, prison["v"], wednesday))
    assert reason.rule is Rule.NOT_AVAILABLE
    assert reason.text == "Not usually available on Wednesday mornings"
    assert reason.fix == "ask Siân Evans, who does not usually come on Wednesday mornings"
    assert _one(rules_of(database, prison["v"], noon)).rule is Rule.NOT_AVAILABLE


def test_evening_starts_at_five(database, prison):
    with database.uow() as s:
        b = Build(s)
        b.slot(s.get(Volunteer, prison["v"]), 1, "evening")
        post = s.get(Post, prison["post"])
        five = b.shift(post, DAY, time(17), time(18)).id
        before = b.shift(post, DAY, time(16, 59), time(18)).id
    assert rules_of(database, prison["v"], five) == []
    assert _one(rules_of(database, prison["v"], before)).rule is Rule.NOT_AVAILABLE


def test_fortnightly_availability_counts_from_the_anchor_week(database, prison):
    with database.uow() as s:
        b = Build(s)
        # Every other Tuesday morning, from the week of Thursday 07/01/2027.
        b.slot(s.get(Volunteer, prison["v"]), 1, "morning", every=2, anchor=date(2027, 1, 7))
        post = s.get(Post, prison["post"])
        shifts = [b.shift(post, date(2027, 1, d)).id for d in (5, 19, 26)]
    assert rules_of(database, prison["v"], shifts[0]) == []  # the anchor's week
    assert _one(rules_of(database, prison["v"], prison["shift"])).rule is Rule.NOT_AVAILABLE
    assert rules_of(database, prison["v"], shifts[1]) == []
    assert _one(rules_of(database, prison["v"], shifts[2])).rule is Rule.NOT_AVAILABLE


def test_no_weekly_availability_recorded_means_any_time(database, prison):
    with database.uow() as s:
        post = s.get(Post, prison["post"])
        sunday = Build(s).shift(post, date(2027, 1, 17), time(18), time(20)).id
    assert rules_of(database, prison["v"], sunday) == []


def test_double_booking_at_another_site(database, prison):
    with database.uow() as s:
        b = Build(s)
        court = b.site("Testford Magistrates' Court", SiteKind.MAGISTRATES_COURT)
        v = s.get(Volunteer, prison["v"])
        v.sites.append(court)
        desk = b.post(court, "Family support desk", PostKind.DESK, time(11, 30), time(13), needs=())
        b.assign(b.shift(desk), v)
        after = b.post(court, "Afternoon desk", PostKind.DESK, time(12), time(13), needs=())
        b.assign(b.shift(after, date(2027, 1, 19)), v, AssignmentStatus.DECLINED)
    reason = _one(rules_of(database, prison["v"], prison["shift"]))
    assert reason.rule is Rule.BOOKED
    assert reason.text == (
        "Already booked 11:30–13:00: Family support desk, Testford Magistrates' Court"
    )


def test_back_to_back_and_declined_are_not_double_booking(database, prison):
    with database.uow() as s:
        b = Build(s)
        v = s.get(Volunteer, prison["v"])
        post = s.get(Post, prison["post"])
        b.assign(b.shift(post, DAY, time(12), time(13)), v)  # starts as the other ends
        b.assign(b.shift(post, DAY, time(10), time(11)), v, AssignmentStatus.DECLINED)
        cancelled = b.shift(post, DAY, time(8), time(10), status=ShiftStatus.CANCELLED)
        b.assign(cancelled, v)
    assert rules_of(database, prison["v"], prison["shift"]) == []


def test_monthly_maximum_counts_rostered_shifts_of_that_month(database, prison):
    with database.uow() as s:
        b = Build(s)
        v = s.get(Volunteer, prison["v"])
        v.max_shifts_per_month = 2
        post = s.get(Post, prison["post"])
        b.assign(b.shift(post, date(2027, 1, 4)), v, AssignmentStatus.ATTENDED)
        b.assign(b.shift(post, date(2027, 1, 26)), v, AssignmentStatus.PROPOSED)
        b.assign(b.shift(post, date(2027, 1, 5)), v, AssignmentStatus.DECLINED)
        b.assign(b.shift(post, date(2026, 12, 29)), v)
        february = b.shift(post, date(2027, 2, 2)).id
    reason = _one(rules_of(database, prison["v"], prison["shift"]))
    assert reason.rule is Rule.MONTHLY_MAX
    assert reason.text == "At their monthly maximum (2 of 2 in January 2027)"
    assert reason.fix == "ask Siân Evans, who is at their maximum"
    assert rules_of(database, prison["v"], february) == []


def test_every_reason_is_listed_in_rule_order(database, prison):
    with database.uow() as s:
        b = Build(s)
        v = s.get(Volunteer, prison["v"])
        v.status = VolunteerStatus.PAUSED
        v.training[0].expires_on = date(2027, 1, 1)
        b.away(v, DAY, DAY)
    rules = [r.rule for r in rules_of(database, prison["v"], prison["shift"])]
    assert rules == [Rule.INACTIVE, Rule.TRAINING_LAPSED, Rule.UNAVAILABLE]


def test_suitability_puts_the_eligible_first_fairest_first(database, prison):
    with database.uow() as s:
        b = Build(s)
        site, post = s.get(Site, prison["site"]), s.get(Post, prison["post"])
        people = {}
        for first in ("Busy", "Quiet", "Fresh", "Lapsed"):
            people[first] = b.volunteer(first, "Person", [site])
            b.train(people[first], "KEYS", expires=None if first != "Lapsed" else date(2026, 1, 1))
        b.assign(b.shift(post, date(2027, 1, 5)), people["Busy"])  # this month
        b.assign(b.shift(post, date(2026, 11, 3)), people["Quiet"])  # three months before
        b.assign(b.shift(post, date(2026, 11, 10)), s.get(Volunteer, prison["v"]))
        b.assign(b.shift(post, date(2026, 11, 17)), s.get(Volunteer, prison["v"]))
        on_it = b.volunteer("Already", "There", [site])
        b.assign(s.get(Shift, prison["shift"]), on_it)
    with database.uow() as s:
        lines = RotaData.load(s, DAY, DAY, prison["site"]).suitability(prison["shift"])
    names = [line.name for line in lines]
    assert names == [
        "Fresh Person",
        "Quiet Person",
        "Siân Evans",
        "Busy Person",
        "Lapsed Person",
        "Already There",
    ]
    assert [line.this_month for line in lines[:4]] == [0, 0, 0, 1]
    assert [line.previous_three_months for line in lines[:4]] == [0, 1, 2, 0]
    assert not lines[4].eligible and lines[4].reasons[0].rule is Rule.TRAINING_LAPSED
    assert lines[5].assigned and not lines[5].eligible


def test_rules_come_from_one_load_not_a_query_per_pair(small_demo):
    """Reasons for every volunteer and every shift of a month, with no further SQL."""
    with small_demo.uow() as s:
        data = RotaData.load(s, date(2026, 12, 1), date(2026, 12, 31))
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(small_demo.engine, "before_cursor_execute", listener)
        try:
            pairs = 0
            for shift in data.shifts.values():
                if shift.post_id not in data.compliance.posts:
                    continue
                free = set(data.candidates(shift))
                on = data.on_shift.get(shift.id, {})
                for vid in data.considered(shift):
                    if on.get(vid, "declined") != "declined":
                        assert not data.can_take(vid, shift)
                        continue
                    reasons = data.reasons(vid, shift)
                    assert data.rules(vid, shift) == [r.rule for r in reasons]
                    assert (vid in free) == data.can_take(vid, shift)
                    assert data.can_take(vid, shift) == (
                        not [r for r in reasons if r.rule is not Rule.MONTHLY_MAX]
                    )
                    pairs += 1
                data.suitability(shift.id)
        finally:
            event.remove(small_demo.engine, "before_cursor_execute", listener)
    assert pairs > 4000
    assert statements == []


def test_one_sites_compliance_is_the_engines_for_those_people(small_demo):
    """The narrow load gives the same verdicts as the whole organisation's."""
    with small_demo.uow() as s:
        full = ComplianceData.load(s)
        site_id = s.scalar(select(Site.id).where(Site.name == "HMP Westmoor"))
        ids = sorted(v for v, f in full.volunteers.items() if site_id in f.site_ids)
        narrow = load_compliance(s, ids, {site_id})
    posts = [p for p in full.posts.values() if p.site_id == site_id]
    assert set(narrow.posts) == {p.post_id for p in posts}
    for day in (date(2026, 11, 23), date(2027, 3, 1), date(2027, 8, 1)):
        for vid in ids:
            assert narrow.volunteers[vid] == full.volunteers[vid]
            for post in posts:
                a, b = full.verdict(vid, post.post_id, day), narrow.verdict(vid, post.post_id, day)
                assert (a.blocking, a.warnings) == (b.blocking, b.warnings)
