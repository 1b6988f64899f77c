"""The rota, for the wall: a week or a month at one site (posts by days), or one post's
month as a calendar. A4 landscape. Every place shows its names (preferred forename and
surname) or, when short, VACANT in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer
from sqlalchemy.orm import Session

from ..services.rota import RotaDay, RotaPost, RotaShift, rota_week
from ..settings import OrgSettings, load_settings
from ..validation import format_uk_date
from .data import ReportError, period_name, post_of_site, site_info, times
from .table import table
from .template import (
    Letterhead,
    cell_style,
    frame_width,
    para,
    rich,
    safe,
)
from .template import render as render_pdf

CELL = cell_style(9)
DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_DAYS = 366


@dataclass(frozen=True)
class RotaWeekData:
    week_start: date
    days: tuple[RotaDay, ...]
    posts: tuple[RotaPost, ...]
    shifts: tuple[RotaShift, ...]

    def cell(self, post_id: int, day: date) -> list[RotaShift]:
        return [s for s in self.shifts if s.post_id == post_id and s.date == day]


@dataclass(frozen=True)
class RotaData:
    site_name: str
    post_name: str  # "" for the whole site
    start: date
    end: date
    weeks: tuple[RotaWeekData, ...]

    @property
    def places_needed(self) -> int:
        return sum(
            s.needed for w in self.weeks for s in w.shifts if self.start <= s.date <= self.end
        )

    @property
    def any_proposed(self) -> bool:
        return any(not p.confirmed for w in self.weeks for s in w.shifts for p in s.people)


def rota_data(
    session: Session, site_id: int, start: date, end: date, post_id: int | None = None
) -> RotaData:
    if end < start:
        raise ReportError("The rota's last day is before its first.")
    if (end - start).days >= MAX_DAYS:
        raise ReportError("A rota covers at most a year; choose a shorter period.")
    site = site_info(session, site_id)
    post_name = post_of_site(session, post_id, site_id)[1] if post_id is not None else ""
    read = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        week = rota_week(session, site_id, monday)
        assert week is not None
        shifts = tuple(
            s
            for s in week.shifts
            if start <= s.date <= end and (post_id is None or s.post_id == post_id)
        )
        read.append((monday, week, shifts))
        monday += timedelta(days=7)
    # Posts that run in the period (all of them when none does), in the same rows each week.
    running = {s.post_id for _m, _w, shifts in read for s in shifts}
    weeks = []
    for monday, week, shifts in read:
        posts = tuple(
            p
            for p in week.posts
            if (post_id is None or p.id == post_id) and (not running or p.id in running)
        )
        weeks.append(RotaWeekData(monday, week.days, posts, shifts))
    return RotaData(site.name, post_name, start, end, tuple(weeks))


# ----- drawing ----------------------------------------------------------------------------
def _shift_markup(shift: RotaShift, show_time: bool) -> str:
    lines = []
    if show_time:
        lines.append(
            f'<font size="7.5" color="#52606D">{times(shift.start_time, shift.end_time)}</font>'
        )
    if shift.cancelled:
        lines.append("<b>Cancelled</b>")
        return "<br/>".join(lines)
    for person in shift.people:
        lines.append(safe(person.name) + ("" if person.confirmed else " *"))
    if shift.gap_text:
        lines.append(f"<b>{shift.gap_text}</b>")
    return "<br/>".join(lines)


def _cell_markup(shifts: list[RotaShift], post: RotaPost | None, closed: str) -> str:
    if not shifts:
        return "Closed" if closed else ""
    parts = []
    for shift in shifts:
        differs = post is None or (shift.start_time, shift.end_time) != (
            post.start_time,
            post.end_time,
        )
        parts.append(_shift_markup(shift, differs or len(shifts) > 1))
    return "<br/>".join(parts)


def _day_head(day: date, info: RotaDay | None, inside: bool) -> Paragraph:
    text = f"{DAY_ABBR[day.weekday()]} {day:%d/%m}"
    if not inside:
        return rich(f'<font color="#9AA5B1">{text}</font>', "head")
    if info is not None and info.closed_reason:
        text += f'<br/><font size="7">Closed: {safe(info.closed_reason)}</font>'
    return rich(text, "head")


def _site_week(data: RotaData, week: RotaWeekData) -> list:
    width = frame_width(wide=True)
    first = 52 * mm
    widths = [first] + [(width - first) / 7] * 7
    days = [week.week_start + timedelta(days=i) for i in range(7)]
    info = {d.date: d for d in week.days}
    header = [rich("Post", "head")] + [
        _day_head(d, info.get(d), data.start <= d <= data.end) for d in days
    ]
    rows = []
    for post in week.posts:
        label = rich(
            f"<b>{safe(post.name, bold=True)}</b><br/>"
            f'<font size="7.5" color="#52606D">{times(post.start_time, post.end_time)}</font>',
            CELL,
        )
        cells = []
        for d in days:
            inside = data.start <= d <= data.end
            closed = info[d].closed_reason if d in info else ""
            text = _cell_markup(week.cell(post.id, d), post, closed) if inside else ""
            cells.append(rich(text, CELL) if text else "")
        rows.append([label, *cells])
    if not rows:
        rows.append(["No posts at this site", *[""] * 7])
    shaded = [
        i + 1
        for i, d in enumerate(days)
        if not data.start <= d <= data.end or (d in info and info[d].closed_reason)
    ]
    grid = table(header, rows, widths, size=9, grid=True, shade_columns=shaded)
    heading = para(f"Week beginning {format_uk_date(week.week_start)}", "h3")
    return [KeepTogether([heading, grid]), Spacer(1, 3 * mm)]


def _post_calendar(data: RotaData) -> list:
    width = frame_width(wide=True)
    widths = [width / 7] * 7
    header = [
        rich(name, "head")
        for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    ]
    rows = []
    for week in data.weeks:
        info = {d.date: d for d in week.days}
        post = week.posts[0] if week.posts else None
        row = []
        for i in range(7):
            d = week.week_start + timedelta(days=i)
            if not data.start <= d <= data.end:
                row.append("")
                continue
            shifts = [s for s in week.shifts if s.date == d]
            closed = info[d].closed_reason if d in info else ""
            text = _cell_markup(shifts, post, closed)
            if closed and not shifts:
                text = f"Closed: {safe(closed)}"
            row.append(rich(f"<b>{d:%d/%m}</b><br/>{text}", CELL))
        rows.append(row)
    return [table(header, rows, widths, size=9, grid=True, min_row_height=22 * mm)]


def build_rota(
    session: Session,
    site_id: int,
    start: date,
    end: date,
    *,
    post_id: int | None = None,
    settings: OrgSettings | None = None,
    username: str,
    out_path: str | Path | None = None,
    printed_at: datetime | None = None,
) -> Path | bytes:
    """The rota of a site (or one of its posts) from ``start`` to ``end`` inclusive."""
    data = rota_data(session, site_id, start, end, post_id)
    settings = settings or load_settings(session)
    where = f"{data.post_name}, {data.site_name}" if data.post_name else data.site_name
    title = f"Rota: {where}"
    story = [
        para(title, "title"),
        para(
            f"{period_name(data.start, data.end)} · {_needed_words(data.places_needed)}",
            "subtitle",
        ),
    ]
    if data.post_name:
        story += _post_calendar(data)
    else:
        for week in data.weeks:
            story += _site_week(data, week)
    notes = ["VACANT: nobody is on the rota yet; “n needed”: places still to fill."]
    if data.any_proposed:
        notes.insert(0, "* proposed, not yet confirmed.")
    story.append(para("  ".join(notes), "small"))
    table_title = f"Rota: {where}, {period_name(data.start, data.end)}"
    return render_pdf(
        story,
        title=table_title,
        letterhead=Letterhead.of(settings, username, printed_at),
        out_path=out_path,
        wide=True,
    )


def _needed_words(n: int) -> str:
    if n == 0:
        return "every place filled"
    return f"{n} place{'s' if n != 1 else ''} still to fill"


__all__ = ["RotaData", "build_rota", "rota_data"]
