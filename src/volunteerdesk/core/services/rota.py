"""Reading the rota: one site's week as a grid of posts by days."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Assignment,
    AssignmentStatus,
    Post,
    Shift,
    ShiftStatus,
    Site,
    SiteDay,
    Volunteer,
)
from .volunteers import display_name

VACANT = "VACANT"


def gap_words(needed: int, anyone: bool) -> str:
    """Words for a gap, so that it never relies on colour: VACANT, "1 needed" or ""."""
    if needed <= 0:
        return ""
    if not anyone:
        return VACANT if needed == 1 else f"{VACANT}: {needed} needed"
    return f"{needed} needed"


@dataclass(frozen=True)
class RotaPerson:
    name: str
    confirmed: bool  # False: proposed, not yet confirmed


@dataclass(frozen=True)
class RotaShift:
    id: int
    post_id: int
    date: date
    start_time: time
    end_time: time
    cancelled: bool
    min_volunteers: int
    max_volunteers: int
    people: tuple[RotaPerson, ...]  # everyone assigned except those who declined
    needed: int  # places still needed to reach the minimum (0 when cancelled)

    @property
    def volunteers(self) -> tuple[str, ...]:
        return tuple(person.name for person in self.people)

    @property
    def gap_text(self) -> str:
        return gap_words(self.needed, bool(self.people))


@dataclass(frozen=True)
class RotaPost:
    id: int
    name: str
    start_time: time
    end_time: time


@dataclass(frozen=True)
class RotaDay:
    date: date
    closed_reason: str  # "" when the site runs that day


@dataclass(frozen=True)
class RotaWeek:
    site_id: int
    site_name: str
    week_start: date  # a Monday
    days: tuple[RotaDay, ...]
    posts: tuple[RotaPost, ...]
    shifts: tuple[RotaShift, ...]

    def cell(self, post_id: int, day: date) -> list[RotaShift]:
        return [s for s in self.shifts if s.post_id == post_id and s.date == day]

    @property
    def places_needed(self) -> int:
        return sum(s.needed for s in self.shifts)


def week_start_of(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def _assigned_people(session: Session, shift_ids: list[int]) -> dict[int, list[RotaPerson]]:
    people: dict[int, list[RotaPerson]] = defaultdict(list)
    if not shift_ids:
        return people
    rows = session.execute(
        select(
            Assignment.shift_id,
            Assignment.status,
            Volunteer.first_name,
            Volunteer.badge_name,
            Volunteer.last_name,
        )
        .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
        .where(
            Assignment.shift_id.in_(shift_ids),
            Assignment.status != AssignmentStatus.DECLINED,
        )
        .order_by(Volunteer.last_name, Volunteer.first_name)
    )
    for shift_id, status, first, badge, last in rows:
        name = display_name(first, badge or "", last)
        people[shift_id].append(RotaPerson(name, status != AssignmentStatus.PROPOSED))
    return people


def rota_week(
    session: Session, site_id: int, week_containing: date | None = None
) -> RotaWeek | None:
    """The week (Monday to Sunday) holding ``week_containing`` at one site, or None."""
    # Imported here: the bank-holiday tables cost ~0.2 s, which start-up need not pay.
    from ..scheduling.calendar import SiteCalendar

    site = session.get(Site, site_id)
    if site is None:
        return None
    start = week_start_of(week_containing or date.today())
    end = start + timedelta(days=6)
    site_days = session.execute(
        select(SiteDay.day, SiteDay.kind, SiteDay.reason).where(
            SiteDay.site_id == site_id, SiteDay.day >= start, SiteDay.day <= end
        )
    ).all()
    calendar = SiteCalendar.build(site.jurisdiction, site.closed_on_bank_holidays, site_days)
    days = tuple(
        RotaDay(day, calendar.closed_reason(day) or "")
        for day in (start + timedelta(days=i) for i in range(7))
    )
    shift_rows = session.execute(
        select(
            Shift.id,
            Shift.post_id,
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Shift.status,
            Shift.min_volunteers,
            Shift.max_volunteers,
            Post.min_volunteers,
            Post.max_volunteers,
        )
        .join(Post, Shift.post_id == Post.id)
        .where(Post.site_id == site_id, Shift.date >= start, Shift.date <= end)
        .order_by(Shift.date, Shift.start_time)
    ).all()
    assigned = _assigned_people(session, [row[0] for row in shift_rows])
    shifts = []
    for sid, post_id, day, begin, finish, status, smin, smax, pmin, pmax in shift_rows:
        cancelled = status == ShiftStatus.CANCELLED
        minimum = smin if smin is not None else pmin
        people = tuple(assigned.get(sid, ()))
        shifts.append(
            RotaShift(
                id=sid,
                post_id=post_id,
                date=day,
                start_time=begin,
                end_time=finish,
                cancelled=cancelled,
                min_volunteers=minimum,
                max_volunteers=smax if smax is not None else pmax,
                people=people,
                needed=0 if cancelled else max(0, minimum - len(people)),
            )
        )
    with_shifts = {s.post_id for s in shifts}
    posts = session.execute(
        select(Post.id, Post.name, Post.start_time, Post.end_time, Post.active)
        .where(Post.site_id == site_id)
        .order_by(Post.start_time, Post.name)
    ).all()
    return RotaWeek(
        site_id=site.id,
        site_name=site.name,
        week_start=start,
        days=days,
        posts=tuple(
            RotaPost(pid, name, begin, finish)
            for pid, name, begin, finish, active in posts
            if active or pid in with_shifts
        ),
        shifts=tuple(shifts),
    )


def shift_place(session: Session, shift_id: int) -> tuple[int, date] | None:
    """The site and date of a shift, to show it in the rota."""
    row = session.execute(
        select(Post.site_id, Shift.date)
        .join(Shift, Shift.post_id == Post.id)
        .where(Shift.id == shift_id)
    ).first()
    return (row[0], row[1]) if row else None
