"""What needs action: expired and expiring records, pending clearances, and rostered
assignments that will break a rule on their date. Shared by the CLI ``check``, the
dashboard and the reports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..fetching import fetch_all
from ..models import (
    Assignment,
    AssignmentStatus,
    Post,
    Shift,
    ShiftStatus,
    Site,
    Unavailability,
)
from ..validation import format_uk_date
from .engine import ComplianceData
from .rules import State, is_alarm

ROSTERED = (AssignmentStatus.PROPOSED, AssignmentStatus.CONFIRMED)


@dataclass(frozen=True)
class ExpiryItem:
    volunteer_id: int
    volunteer: str
    requirement: str
    kind: str  # "clearance" or "training"
    state: State
    expires_on: date | None
    since: date | None  # pending since
    renewal_in_progress: bool
    record_id: int | None
    reason: str


@dataclass(frozen=True)
class Breach:
    assignment_id: int
    volunteer_id: int
    volunteer: str
    site: str
    post: str
    day: date
    start: time
    reasons: tuple[str, ...]

    @property
    def summary(self) -> str:
        return (
            f"{format_uk_date(self.day)} {self.start:%H:%M} {self.site}, {self.post}: "
            f"{self.volunteer} — {'; '.join(self.reasons)}"
        )


def expiries(data: ComplianceData, on: date, site_id: int | None = None) -> list[ExpiryItem]:
    """Expired, refused, expiring and pending items of current volunteers as of ``on``.

    Expired and expiring first by date; pending oldest first (the chase list). With
    ``site_id`` only volunteers serving that site, and per-establishment clearances there.
    """
    matrix = data.matrix(on)
    items = []
    for row in matrix.rows:
        if site_id is not None and site_id not in row.site_ids:
            continue
        for req, cell in zip(matrix.columns, row.cells, strict=True):
            # Missing is left out: a site's posts need different things, and what one
            # volunteer lacks matters only on the shifts they take (see ``breaches``).
            if cell is None or cell.state in (State.VALID, State.MISSING):
                continue
            items.append(
                ExpiryItem(
                    row.volunteer_id,
                    row.name,
                    req.name,
                    req.kind,
                    cell.state,
                    cell.expires_on,
                    cell.since,
                    cell.renewal_in_progress,
                    cell.record_id,
                    cell.reason,
                )
            )
    order = {
        State.EXPIRED: 0,
        State.REFUSED: 1,
        State.EXPIRING: 2,
        State.MISSING: 3,
        State.PENDING: 4,
    }
    items.sort(key=lambda i: (order[i.state], i.expires_on or i.since or date.max, i.volunteer))
    return items


def needs_action(item: ExpiryItem) -> bool:
    return item.state is not State.PENDING and not item.renewal_in_progress


def breaches(
    session: Session,
    data: ComplianceData,
    start: date,
    end: date | None = None,
    site_id: int | None = None,
) -> list[Breach]:
    """Rostered assignments from ``start`` (to ``end``) that break a rule on their date:
    a requirement not valid then, the faith requirement, unavailability, double booking."""
    query = (
        select(
            Assignment.id,
            Assignment.volunteer_id,
            Shift.id,
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Post.id,
            Post.name,
            Site.name,
            Site.id,
        )
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Post, Post.id == Shift.post_id)
        .join(Site, Site.id == Post.site_id)
        .where(
            Assignment.status.in_(ROSTERED),
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= start,
        )
        .order_by(Shift.date, Shift.start_time, Site.name, Post.name)
    )
    if end is not None:
        query = query.where(Shift.date <= end)
    rows = fetch_all(session, query)
    wanted = {r[1] for r in rows if site_id is None or r[9] == site_id}
    away: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
    if wanted:
        for vid, first, last, why in fetch_all(
            session,
            select(
                Unavailability.volunteer_id,
                Unavailability.start_date,
                Unavailability.end_date,
                Unavailability.reason,
            ).where(Unavailability.end_date >= start),
        ):
            away[vid].append((first, last, why))
    booked: dict[tuple[int, date], list[tuple[time, time, int]]] = defaultdict(list)
    for _aid, vid, shift_id, day, t0, t1, *_ in rows:
        booked[(vid, day)].append((t0, t1, shift_id))

    found = []
    for aid, vid, shift_id, day, t0, t1, post_id, post, site, sid in rows:
        if site_id is not None and sid != site_id:
            continue
        reasons: list[str] = []
        if post_id in data.posts:
            reasons += data.verdict(vid, post_id, day).blocking
        for first, last, why in away.get(vid, ()):
            if first <= day <= last:
                reasons.append("Unavailable" + (f" ({why})" if why else ""))
        for o0, o1, other in booked[(vid, day)]:
            if other != shift_id and o0 < t1 and t0 < o1:
                reasons.append(f"Double booked {o0:%H:%M}–{o1:%H:%M}")
                break
        if reasons:
            facts = data.volunteers.get(vid)
            found.append(
                Breach(
                    aid, vid, facts.name if facts else str(vid), site, post, day, t0, tuple(reasons)
                )
            )
    return found


__all__ = ["Breach", "ExpiryItem", "breaches", "expiries", "is_alarm", "needs_action"]
