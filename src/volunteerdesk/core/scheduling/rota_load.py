"""The queries behind ``RotaData``: what the rota rules need for a date range, read once.

Plain Core queries returning tuples and small dataclasses. For one site only the
volunteers who serve it (and anyone already on its shifts) are read, with their
compliance records: filling a large prison's month then reads a few thousand rows
instead of the whole organisation's ninety thousand.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Assignment,
    AssignmentStatus,
    Post,
    Role,
    Shift,
    ShiftStatus,
    Site,
    Unavailability,
    Volunteer,
    WeeklyAvailability,
    volunteer_roles,
    volunteer_sites,
)


@dataclass(frozen=True, slots=True)
class ShiftInfo:
    id: int
    post_id: int
    post: str
    kind: str  # a PostKind value
    site_id: int
    site: str
    day: date
    start: time
    end: time
    minimum: int
    maximum: int
    cancelled: bool
    one_off: bool

    @property
    def label(self) -> str:
        return f"{self.post}, {self.site}"


@dataclass(frozen=True, slots=True)
class Booking:
    shift_id: int
    day: date
    start: time
    end: time
    label: str


@dataclass(frozen=True, slots=True)
class VolunteerInfo:
    id: int
    name: str
    status: str
    max_per_month: int
    roles: frozenset[str]  # role names, lower case


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return day.replace(year=year, month=month + 1, day=min(day.day, monthrange(year, month + 1)[1]))


def load_shifts(
    session: Session, start: date, end: date, site_id: int | None
) -> dict[int, ShiftInfo]:
    query = (
        select(
            Shift.id,
            Shift.post_id,
            Post.name,
            Post.kind,
            Site.id,
            Site.name,
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Shift.min_volunteers,
            Shift.max_volunteers,
            Post.min_volunteers,
            Post.max_volunteers,
            Shift.status,
            Shift.one_off,
        )
        .join(Post, Post.id == Shift.post_id)
        .join(Site, Site.id == Post.site_id)
        .where(Shift.date >= start, Shift.date <= end)
        .order_by(Shift.date, Shift.start_time, Site.name, Post.name, Shift.id)
    )
    if site_id is not None:
        query = query.where(Post.site_id == site_id)
    shifts = {}
    for (
        sid,
        pid,
        post,
        kind,
        site,
        site_name,
        day,
        t0,
        t1,
        smin,
        smax,
        pmin,
        pmax,
        status,
        one,
    ) in session.execute(query):
        minimum = smin if smin is not None else pmin
        maximum = smax if smax is not None else pmax
        shifts[sid] = ShiftInfo(
            sid,
            pid,
            post,
            str(kind),
            site,
            site_name,
            day,
            t0,
            t1,
            minimum,
            max(minimum, maximum),
            status == ShiftStatus.CANCELLED,
            bool(one),
        )
    return shifts


def volunteer_ids_for(
    session: Session, site_id: int | None, shift_ids: Collection[int], also: Collection[int] = ()
) -> list[int] | None:
    """Who the rules need to know about: a site's volunteers, anyone on its shifts and
    ``also`` (None: everyone)."""
    if site_id is None:
        return None
    ids = set(also)
    ids.update(
        session.scalars(
            select(volunteer_sites.c.volunteer_id).where(volunteer_sites.c.site_id == site_id)
        )
    )
    if shift_ids:
        ids.update(
            session.scalars(
                select(Assignment.volunteer_id).where(Assignment.shift_id.in_(list(shift_ids)))
            )
        )
    return sorted(ids)


def _where_volunteer(query, column, ids: list[int] | None):
    return query if ids is None else query.where(column.in_(ids))


def load_volunteers(session: Session, ids: list[int] | None, names) -> dict[int, VolunteerInfo]:
    roles: dict[int, set[str]] = defaultdict(set)
    for vid, role in session.execute(
        _where_volunteer(
            select(volunteer_roles.c.volunteer_id, Role.name).join(
                Role, Role.id == volunteer_roles.c.role_id
            ),
            volunteer_roles.c.volunteer_id,
            ids,
        )
    ):
        roles[vid].add(role.lower())
    found = {}
    for vid, status, cap in session.execute(
        _where_volunteer(
            select(Volunteer.id, Volunteer.status, Volunteer.max_shifts_per_month),
            Volunteer.id,
            ids,
        ).order_by(Volunteer.id)
    ):
        found[vid] = VolunteerInfo(
            vid, names.get(vid, str(vid)), str(status), cap, frozenset(roles.get(vid, ()))
        )
    return found


def load_availability(session: Session, ids: list[int] | None):
    weekly: dict[int, dict[tuple[int, str], tuple[int, date | None]]] = defaultdict(dict)
    for vid, weekday, part, every, anchor in session.execute(
        _where_volunteer(
            select(
                WeeklyAvailability.volunteer_id,
                WeeklyAvailability.weekday,
                WeeklyAvailability.session,
                WeeklyAvailability.every_n_weeks,
                WeeklyAvailability.anchor_date,
            ),
            WeeklyAvailability.volunteer_id,
            ids,
        )
    ):
        weekly[vid][(weekday, str(part))] = (every or 1, anchor)
    return dict(weekly)


def load_unavailability(session: Session, ids: list[int] | None, start: date, end: date):
    away: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
    for vid, first, last, why in session.execute(
        _where_volunteer(
            select(
                Unavailability.volunteer_id,
                Unavailability.start_date,
                Unavailability.end_date,
                Unavailability.reason,
            )
            .where(Unavailability.end_date >= start, Unavailability.start_date <= end)
            .order_by(Unavailability.start_date, Unavailability.id),
            Unavailability.volunteer_id,
            ids,
        )
    ):
        away[vid].append((first, last, why or ""))
    return dict(away)


def load_assignments(session: Session, ids: list[int] | None, first: date, last: date):
    """Rostered assignments (not declined, on sessions that run) between two dates:
    (volunteer, shift, date, start, end, post id, label)."""
    query = (
        select(
            Assignment.volunteer_id,
            Shift.id,
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Post.id,
            Post.name,
            Site.name,
        )
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Post, Post.id == Shift.post_id)
        .join(Site, Site.id == Post.site_id)
        .where(
            Shift.date >= first,
            Shift.date <= last,
            Shift.status == ShiftStatus.SCHEDULED,
            Assignment.status != AssignmentStatus.DECLINED,
        )
        .order_by(Shift.date, Shift.start_time, Shift.id)
    )
    return session.execute(_where_volunteer(query, Assignment.volunteer_id, ids)).all()


def load_on_shift(session: Session, shift_ids: Collection[int]):
    """Everyone on the given shifts, whatever their status: shift -> {volunteer: status}."""
    on: dict[int, dict[int, str]] = defaultdict(dict)
    ids = list(shift_ids)
    for chunk in range(0, len(ids), 5000):
        for shift_id, vid, status in session.execute(
            select(Assignment.shift_id, Assignment.volunteer_id, Assignment.status).where(
                Assignment.shift_id.in_(ids[chunk : chunk + 5000])
            )
        ):
            on[shift_id][vid] = str(status)
    return dict(on)
