"""The rota as the page edits it: a site's shifts over a week or a month, each person
with what the page needs to change them (assignment id, version, lock, status) and the
rules their assignment breaks today, in short words for the cell.

``rota_week`` (``services.rota``) stays the read for reports; this one carries ids.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Assignment,
    AssignmentStatus,
    Post,
    PostKind,
    Shift,
    ShiftStatus,
    Site,
    SiteDay,
    Volunteer,
)
from .rota import RotaDay, gap_words
from .volunteers import display_name

ROSTERED = (AssignmentStatus.PROPOSED, AssignmentStatus.CONFIRMED)

# What a cell says about a rule an assignment breaks ("⚠ rule broken: <short>").
SHORT_RULE = {
    "inactive": "not active",
    "other_site": "not at this site",
    "faith": "faith requirement",
    "clearance_lapsed": "clearance lapses",
    "clearance_pending": "clearance pending",
    "clearance_missing": "no clearance",
    "training_lapsed": "training lapses",
    "training_pending": "training not done",
    "training_missing": "no training",
    "unavailable": "unavailable",
    "not_available": "not available then",
    "booked": "double booked",
    "monthly_max": "over monthly maximum",
}


@dataclass(frozen=True)
class CellPerson:
    assignment_id: int
    volunteer_id: int
    name: str
    status: str  # an AssignmentStatus value
    version: int
    locked: bool
    override_reason: str
    broken: tuple[str, ...]  # the rules the assignment breaks now, in short words

    @property
    def confirmed(self) -> bool:
        return self.status != AssignmentStatus.PROPOSED

    @property
    def proposed(self) -> bool:
        return self.status == AssignmentStatus.PROPOSED


@dataclass(frozen=True)
class CellShift:
    id: int
    post_id: int
    date: date
    start_time: time
    end_time: time
    cancelled: bool
    min_volunteers: int
    max_volunteers: int
    people: tuple[CellPerson, ...]  # everyone on it except those who declined
    needed: int  # places still needed to reach the minimum (0 when cancelled)
    version: int
    notes: str
    one_off: bool

    @property
    def volunteers(self) -> tuple[str, ...]:
        return tuple(person.name for person in self.people)

    @property
    def gap_text(self) -> str:
        return gap_words(self.needed, bool(self.people))

    @property
    def full(self) -> bool:
        return len(self.people) >= self.max_volunteers


@dataclass(frozen=True)
class CellPost:
    id: int
    name: str
    start_time: time
    end_time: time
    kind: str  # a PostKind value

    @property
    def is_desk(self) -> bool:
        return self.kind == PostKind.DESK


@dataclass(frozen=True)
class RotaPeriod:
    site_id: int
    site_name: str
    start: date
    end: date
    days: tuple[RotaDay, ...]
    posts: tuple[CellPost, ...]
    shifts: tuple[CellShift, ...]

    @property
    def week_start(self) -> date:
        return self.start

    def cell(self, post_id: int, day: date) -> list[CellShift]:
        return [s for s in self.shifts if s.post_id == post_id and s.date == day]

    def shift(self, shift_id: int) -> CellShift | None:
        return next((s for s in self.shifts if s.id == shift_id), None)

    def post(self, post_id: int) -> CellPost | None:
        return next((p for p in self.posts if p.id == post_id), None)

    def person(self, assignment_id: int) -> tuple[CellShift, CellPerson] | None:
        for s in self.shifts:
            for p in s.people:
                if p.assignment_id == assignment_id:
                    return s, p
        return None

    @property
    def places_needed(self) -> int:
        return sum(s.needed for s in self.shifts)

    @property
    def rules_broken(self) -> int:
        return sum(1 for s in self.shifts for p in s.people if p.broken)


def month_span(day: date) -> tuple[date, date]:
    """The first and last day of the month holding ``day``."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _people(session: Session, shift_ids: list[int]) -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = defaultdict(list)
    if not shift_ids:
        return found
    rows = session.execute(
        select(
            Assignment.shift_id,
            Assignment.id,
            Assignment.volunteer_id,
            Assignment.status,
            Assignment.version,
            Assignment.locked,
            Assignment.override_reason,
            Volunteer.first_name,
            Volunteer.badge_name,
            Volunteer.last_name,
        )
        .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
        .where(
            Assignment.shift_id.in_(shift_ids),
            Assignment.status != AssignmentStatus.DECLINED,
        )
        .order_by(Volunteer.last_name, Volunteer.first_name, Assignment.id)
    )
    for sid, aid, vid, status, version, locked, reason, first, badge, last in rows:
        name = display_name(first, badge or "", last)
        found[sid].append((aid, vid, name, status, version, bool(locked), reason or ""))
    return found


def _broken_rules(session, site_id, start, end, rostered) -> dict[tuple[int, int], tuple]:
    """(shift id, volunteer id) -> the short words of each rule the assignment breaks."""
    if not rostered:
        return {}
    from ..scheduling.eligibility import RotaData, Rule

    data = RotaData.load(session, start, end, site_id)
    found = {}
    for sid, vid in rostered:
        info = data.shifts.get(sid)
        if info is None:
            continue
        rules = [r for r in data.rules(vid, info) if r is not Rule.DECLINED]
        if rules:
            found[(sid, vid)] = tuple(dict.fromkeys(SHORT_RULE.get(r, r.value) for r in rules))
    return found


def rota_period(
    session: Session, site_id: int, start: date, end: date, *, check_rules: bool = True
) -> RotaPeriod | None:
    """A site's shifts from ``start`` to ``end`` inclusive (None: no such site), with
    every rostered assignment checked against the rules when ``check_rules``."""
    from ..scheduling.calendar import SiteCalendar  # the bank-holiday tables are slow

    site = session.get(Site, site_id)
    if site is None:
        return None
    site_days = session.execute(
        select(SiteDay.day, SiteDay.kind, SiteDay.reason).where(
            SiteDay.site_id == site_id, SiteDay.day >= start, SiteDay.day <= end
        )
    ).all()
    cal = SiteCalendar.build(site.jurisdiction, site.closed_on_bank_holidays, site_days)
    days = tuple(
        RotaDay(day, cal.closed_reason(day) or "")
        for day in (start + timedelta(days=i) for i in range((end - start).days + 1))
    )
    rows = session.execute(
        select(Shift, Post.min_volunteers, Post.max_volunteers)
        .join(Post, Shift.post_id == Post.id)
        .where(Post.site_id == site_id, Shift.date >= start, Shift.date <= end)
        .order_by(Shift.date, Shift.start_time, Shift.id)
    ).all()
    people = _people(session, [row[0].id for row in rows])
    rostered = [
        (shift.id, p[1])
        for shift, *_ in rows
        if shift.status != ShiftStatus.CANCELLED
        for p in people.get(shift.id, ())
        if p[3] in ROSTERED
    ]
    broken = _broken_rules(session, site_id, start, end, rostered) if check_rules else {}
    shifts = []
    for shift, pmin, pmax in rows:
        cancelled = shift.status == ShiftStatus.CANCELLED
        minimum = shift.min_volunteers if shift.min_volunteers is not None else pmin
        on = tuple(
            CellPerson(
                aid,
                vid,
                name,
                str(status),
                version,
                locked,
                reason,
                () if cancelled else broken.get((shift.id, vid), ()),
            )  # fmt: skip
            for aid, vid, name, status, version, locked, reason in people.get(shift.id, ())
        )
        shifts.append(
            CellShift(
                id=shift.id,
                post_id=shift.post_id,
                date=shift.date,
                start_time=shift.start_time,
                end_time=shift.end_time,
                cancelled=cancelled,
                min_volunteers=minimum,
                max_volunteers=shift.max_volunteers if shift.max_volunteers is not None else pmax,
                people=on,
                needed=0 if cancelled else max(0, minimum - len(on)),
                version=shift.version,
                notes=shift.notes or "",
                one_off=bool(shift.one_off),
            )
        )
    with_shifts = {s.post_id for s in shifts}
    posts = session.execute(
        select(Post.id, Post.name, Post.start_time, Post.end_time, Post.kind, Post.active)
        .where(Post.site_id == site_id)
        .order_by(Post.start_time, Post.name)
    ).all()
    return RotaPeriod(
        site_id=site.id,
        site_name=site.name,
        start=start,
        end=end,
        days=days,
        posts=tuple(
            CellPost(pid, name, begin, finish, str(kind))
            for pid, name, begin, finish, kind, active in posts
            if active or pid in with_shifts
        ),
        shifts=tuple(shifts),
    )
