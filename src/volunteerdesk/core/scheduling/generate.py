"""Shifts from the posts' repeat patterns, for a date range: safe to run again and again.

Each active post of each active site gets a shift on every date its patterns give
(``recurrence.occurrences``) unless the site is closed that day: one of its closure
days (when the pattern skips closures) or, where the site closes on them, a bank
holiday of its jurisdiction; an exception day always runs. A shift takes the post's
times as UK wall-clock times (``Time`` columns, no time zone), so a 09:30 session is at
09:30 in the weeks after the March and October clock changes as before them;
``london_datetime`` gives the instant, in Europe/London, only where one is needed.

Running it again adds nothing twice: a post already has its session that day when a
shift made from a pattern exists for it on that date, whatever its time or status
(a cancelled shift stays cancelled, a moved one stays moved), or any shift exists at
the same start time. Existing shifts and their assignments are never touched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import (
    AuditAction,
    Post,
    RecurrencePattern,
    Shift,
    ShiftStatus,
    Site,
    SiteDay,
)
from ..models.base import utcnow
from ..validation import format_uk_date
from .calendar import SiteCalendar
from .recurrence import PatternError, occurrences

LONDON = ZoneInfo("Europe/London")


def london_datetime(day: date, wall_clock: time) -> datetime:
    """The instant a UK wall-clock time on a date happens (GMT in winter, BST in summer)."""
    return datetime.combine(day, wall_clock, tzinfo=LONDON)


@dataclass(frozen=True)
class Skipped:
    """A date a pattern gave that was left out, and why."""

    site: str
    post: str
    day: date
    reason: str


@dataclass(frozen=True)
class GenerationResult:
    start: date
    end: date
    sites: tuple[str, ...]
    created: int
    already_there: int
    skipped: tuple[Skipped, ...]
    problems: tuple[str, ...] = ()  # patterns that could not be read
    by_site: dict[str, int] = field(default_factory=dict)  # shifts created per site

    @property
    def changes(self) -> Changes:
        return Changes.of("shifts") if self.created else Changes()

    @property
    def summary(self) -> str:
        where = self.sites[0] if len(self.sites) == 1 else f"{len(self.sites)} sites"
        made = "1 shift" if self.created == 1 else f"{self.created} shifts"
        return (
            f"Generated {made} for {where} from {format_uk_date(self.start)} "
            f"to {format_uk_date(self.end)}"
        )


def generate_shifts(
    session: Session,
    start: date,
    end: date,
    site_id: int | None = None,
    *,
    username: str,
) -> GenerationResult:
    """Create the shifts of ``start`` to ``end`` (inclusive) for one site or all."""
    from ..access import Action, access_for

    access_for(session, username).require(Action.EDIT_ROTA, site_id)
    if end < start:
        raise ValueError("The end date is before the start date.")
    site_query = select(Site.id, Site.name, Site.jurisdiction, Site.closed_on_bank_holidays).where(
        Site.active.is_(True)
    )
    if site_id is not None:
        site_query = site_query.where(Site.id == site_id)
    sites = session.execute(site_query.order_by(Site.name)).all()
    site_ids = [s[0] for s in sites]
    posts = session.execute(
        select(Post.id, Post.site_id, Post.name, Post.start_time, Post.end_time)
        .where(Post.active.is_(True), Post.site_id.in_(site_ids))
        .order_by(Post.id)
    ).all()
    post_ids = [p[0] for p in posts]
    patterns: dict[int, list] = defaultdict(list)
    for row in session.execute(
        select(
            RecurrencePattern.id,
            RecurrencePattern.post_id,
            RecurrencePattern.rrule,
            RecurrencePattern.start_date,
            RecurrencePattern.end_date,
            RecurrencePattern.skip_closures,
        )
        .where(RecurrencePattern.post_id.in_(post_ids))
        .order_by(RecurrencePattern.id)
    ):
        patterns[row[1]].append(row)
    days: dict[int, list] = defaultdict(list)
    for sid, day, kind, reason in session.execute(
        select(SiteDay.site_id, SiteDay.day, SiteDay.kind, SiteDay.reason).where(
            SiteDay.site_id.in_(site_ids), SiteDay.day >= start, SiteDay.day <= end
        )
    ):
        days[sid].append((day, kind, reason))
    by_pattern: set[tuple[int, date]] = set()  # (post, date) with a pattern-made shift
    by_time: set[tuple[int, date, time]] = set()
    for post_id, day, begin, one_off in session.execute(
        select(Shift.post_id, Shift.date, Shift.start_time, Shift.one_off).where(
            Shift.post_id.in_(post_ids), Shift.date >= start, Shift.date <= end
        )
    ):
        by_time.add((post_id, day, begin))
        if not one_off:
            by_pattern.add((post_id, day))

    info = {s[0]: s for s in sites}
    calendars = {
        sid: SiteCalendar.build(jurisdiction, closes, days.get(sid, ()))
        for sid, _name, jurisdiction, closes in sites
    }
    rows, skipped, problems = [], [], []
    existing = 0
    created_by_site: dict[str, int] = defaultdict(int)
    stamp = utcnow()
    for post_id, sid, post_name, begin, finish in posts:
        site_name = info[sid][1]
        seen: set[date] = set()
        for pattern_id, _post, rule, first, last, skip_closures in patterns.get(post_id, ()):
            try:
                dates = occurrences(rule, first, start, end, end=last)
            except PatternError as exc:
                problems.append(f"{site_name}, {post_name}: {exc}")
                continue
            for day in dates:
                if day in seen:
                    continue
                seen.add(day)
                closed = calendars[sid].closed_reason(day, skip_closures=skip_closures)
                if closed:
                    skipped.append(Skipped(site_name, post_name, day, closed))
                    continue
                if (post_id, day) in by_pattern or (post_id, day, begin) in by_time:
                    existing += 1
                    continue
                rows.append(
                    {
                        "post_id": post_id,
                        "pattern_id": pattern_id,
                        "date": day,
                        "start_time": begin,
                        "end_time": finish,
                        "status": ShiftStatus.SCHEDULED,
                        "one_off": False,
                        "notes": "",
                        "version": 1,
                        "updated_at": stamp,
                    }
                )
                created_by_site[site_name] += 1
    if rows:
        session.execute(insert(Shift), rows)
    skipped.sort(key=lambda s: (s.day, s.site, s.post))
    result = GenerationResult(
        start,
        end,
        tuple(s[1] for s in sites),
        len(rows),
        existing,
        tuple(skipped),
        tuple(problems),
        dict(created_by_site),
    )
    if rows:
        audit.record(
            session,
            username,
            AuditAction.CREATE,
            Shift.__tablename__,
            None,
            result.summary,
            {
                "shifts created": [0, len(rows)],
                "dates": [None, f"{start.isoformat()} to {end.isoformat()}"],
                "sites": [None, ", ".join(sorted(created_by_site))],
            },
        )
    return result
