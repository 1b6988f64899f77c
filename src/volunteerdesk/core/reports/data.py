"""What more than one document reads: periods, a site's contacts, sessions and gate times.

Each document module holds its own query, returning plain dataclasses; these are the
pieces they share. No ORM object leaves a function here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Post, Site, SiteKind
from ..validation import format_uk_date


class ReportError(ValueError):
    """A document cannot be made as asked; the message says why, for the user."""


SESSIONS = ("morning", "afternoon", "evening")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KIND_WORDS = {
    SiteKind.PRISON: "Prison",
    SiteKind.MAGISTRATES_COURT: "Magistrates' court",
    SiteKind.CROWN_COURT: "Crown Court",
}


def session_of(start: time) -> str:
    """The session a start time falls in: morning before noon, afternoon before 17:00."""
    if start < time(12, 0):
        return "morning"
    if start < time(17, 0):
        return "afternoon"
    return "evening"


@lru_cache(maxsize=8192)
def uk_date(day: date | None) -> str:
    """dd/mm/yyyy, remembered: a long report prints the same dates thousands of times."""
    return format_uk_date(day)


def long_date(day: date) -> str:
    """ "Monday 23/11/2026"."""
    return f"{WEEKDAYS[day.weekday()]} {format_uk_date(day)}"


def times(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def span_words(start: date, end: date) -> str:
    if start == end:
        return long_date(start)
    return f"{format_uk_date(start)} to {format_uk_date(end)}"


# ----- periods ----------------------------------------------------------------------------
def week_of(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def month_of(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def quarter_of(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = month_of(date(day.year, first_month + 2, 1))[1]
    return start, end


def previous_period(period: str, today: date) -> tuple[date, date]:
    """The last complete month or quarter before ``today``."""
    start = (month_of if period == "month" else quarter_of)(today)[0]
    before = start - timedelta(days=1)
    return (month_of if period == "month" else quarter_of)(before)


def period_of(period: str, day: date) -> tuple[date, date]:
    try:
        return {"week": week_of, "month": month_of, "quarter": quarter_of}[period](day)
    except KeyError:
        raise ReportError(f"{period!r} is not a period: use week, month or quarter.") from None


def period_name(start: date, end: date) -> str:
    """ "December 2026", "October to December 2026" or the two dates."""
    if start.day == 1 and end == month_of(end)[1]:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%B %Y}"
        if start.year == end.year:
            return f"{start:%B} to {end:%B %Y}"
        return f"{start:%B %Y} to {end:%B %Y}"
    return span_words(start, end)


# ----- sites ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteInfo:
    id: int
    name: str
    kind: SiteKind
    phone: str
    coordinator_name: str
    coordinator_phone: str
    safeguarding_name: str
    safeguarding_phone: str
    security_name: str
    security_phone: str
    morning_gate: time | None
    afternoon_gate: time | None

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, str(self.kind))

    @property
    def is_prison(self) -> bool:
        return self.kind is SiteKind.PRISON

    def gate_time(self, start: time) -> time | None:
        """The latest time to be through the gate for a session starting at ``start``."""
        session = session_of(start)
        if session == "morning":
            return self.morning_gate
        if session == "afternoon":
            return self.afternoon_gate
        return None


def site_info(session: Session, site_id: int) -> SiteInfo:
    site = session.get(Site, site_id)
    if site is None:
        raise ReportError(f"No site has id {site_id}.")
    return SiteInfo(
        site.id,
        site.name,
        SiteKind(site.kind),
        site.phone or "",
        site.coordinator_name or "",
        site.coordinator_phone or "",
        site.safeguarding_contact_name or "",
        site.safeguarding_contact_phone or "",
        site.security_contact_name or "",
        site.security_contact_phone or "",
        site.morning_gate_time,
        site.afternoon_gate_time,
    )


def sites_of_kind(session: Session, *kinds: SiteKind) -> list[tuple[int, str]]:
    query = select(Site.id, Site.name).where(Site.active.is_(True)).order_by(Site.name)
    if kinds:
        query = query.where(Site.kind.in_(kinds))
    return [(sid, name) for sid, name in session.execute(query)]


def post_of_site(session: Session, post_id: int, site_id: int | None = None) -> tuple[int, str]:
    row = session.execute(
        select(Post.id, Post.name, Post.site_id).where(Post.id == post_id)
    ).first()
    if row is None or (site_id is not None and row[2] != site_id):
        raise ReportError(f"No post with id {post_id} at this site.")
    return row[0], row[1]


def find_post(session: Session, site_id: int, text: str) -> tuple[int, str]:
    """A post of a site by id or by (part of) its name."""
    text = text.strip()
    if text.isdigit():
        return post_of_site(session, int(text), site_id)
    rows = session.execute(
        select(Post.id, Post.name).where(Post.site_id == site_id).order_by(Post.name)
    ).all()
    exact = [r for r in rows if r[1].lower() == text.lower()]
    like = exact or [r for r in rows if text.lower() in r[1].lower()]
    if len(like) == 1:
        return like[0][0], like[0][1]
    if not like:
        names = ", ".join(r[1] for r in rows) or "none"
        raise ReportError(f"No post at this site is called {text!r}. Its posts: {names}.")
    names = ", ".join(f"{r[1]} ({r[0]})" for r in like)
    raise ReportError(f"{text!r} matches {len(like)} posts: {names}. Use the post's id.")
