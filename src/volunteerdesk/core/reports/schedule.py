"""A volunteer's own schedule for a period: a letter addressed to them, or a compact card.

It lists their sessions (date, time, place, post and where to go, and for a prison the
time to be through the gate) and who to tell if they cannot come. Cancelled sessions
and those they declined are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer
from reportlab.platypus import Table as _Frame
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Assignment, AssignmentStatus, Post, Shift, ShiftStatus, Site, Volunteer
from ..settings import OrgSettings, load_settings
from ..validation import format_uk_date
from .data import WEEKDAYS, ReportError, SiteInfo, period_name, site_info, times
from .table import table
from .template import Letterhead, column_widths, frame_width, para, rich, safe
from .template import render as render_pdf

FORMATS = ("letter", "card")


@dataclass(frozen=True)
class ScheduledSession:
    day: date
    start: time
    end: time
    site: str
    post: str
    location: str
    arrive_by: time | None  # the gate time, at a prison
    confirmed: bool


@dataclass(frozen=True)
class ScheduleData:
    volunteer_id: int
    forename: str  # preferred
    name: str  # preferred forename and surname
    title: str  # Mr, Revd...
    address: str
    postcode: str
    start: date
    end: date
    sessions: tuple[ScheduledSession, ...]
    contacts: tuple[tuple[str, str, str], ...]  # (site, coordinator, phone)


def schedule_data(session: Session, volunteer_id: int, start: date, end: date) -> ScheduleData:
    if end < start:
        raise ReportError("The schedule's last day is before its first.")
    person = session.get(Volunteer, volunteer_id)
    if person is None:
        raise ReportError(f"No volunteer has id {volunteer_id}.")
    rows = session.execute(
        select(
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Site.id,
            Post.name,
            Post.location,
            Assignment.status,
        )
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Post, Shift.post_id == Post.id)
        .join(Site, Post.site_id == Site.id)
        .where(
            Assignment.volunteer_id == volunteer_id,
            Assignment.status != AssignmentStatus.DECLINED,
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= start,
            Shift.date <= end,
        )
        .order_by(Shift.date, Shift.start_time)
    ).all()
    sites: dict[int, SiteInfo] = {}
    sessions = []
    for day, begin, finish, site_id, post, location, status in rows:
        site = sites.get(site_id) or sites.setdefault(site_id, site_info(session, site_id))
        sessions.append(
            ScheduledSession(
                day,
                begin,
                finish,
                site.name,
                post,
                location or "",
                site.gate_time(begin) if site.is_prison else None,
                status != AssignmentStatus.PROPOSED,
            )
        )
    contacts = tuple(
        (s.name, s.coordinator_name, s.coordinator_phone)
        for s in sites.values()
        if s.coordinator_name or s.coordinator_phone
    )
    forename = person.badge_name or person.first_name
    return ScheduleData(
        volunteer_id=person.id,
        forename=forename,
        name=f"{forename} {person.last_name}".strip(),
        title=person.title or "",
        address=person.address or "",
        postcode=person.postcode or "",
        start=start,
        end=end,
        sessions=tuple(sessions),
        contacts=contacts,
    )


def _rows(data: ScheduleData, compact: bool) -> list[list[str]]:
    rows = []
    for s in data.sessions:
        when = f"{WEEKDAYS[s.day.weekday()][:3]} {format_uk_date(s.day)}"
        place = s.post if compact else f"{s.post}\n{s.site}"
        if not compact and s.location:
            place += f" · {s.location}"
        gate = f"{s.arrive_by:%H:%M}" if s.arrive_by else ""
        star = "" if s.confirmed else " *"
        rows.append([when, times(s.start, s.end) + star, place, gate])
    return rows


def _contact_lines(data: ScheduleData) -> str:
    if not data.contacts:
        return "If you cannot come to a session, please tell your coordinator as early as you can."
    people = "; ".join(
        f"{safe(who) or 'the coordinator'}"
        + (f" on {safe(phone)}" if phone else "")
        + (f" ({safe(site)})" if len(data.contacts) > 1 else "")
        for site, who, phone in data.contacts
    )
    return f"If you cannot come to a session, please tell {people} as early as you can."


def _letter(data: ScheduleData, organisation: str, today: date, width: float) -> list:
    address = "\n".join(
        x for x in (f"{data.title} {data.name}".strip(), data.address, data.postcode) if x
    )
    story = [
        para(address, "body"),
        Spacer(1, 4 * mm),
        para(format_uk_date(today), "body"),
        Spacer(1, 4 * mm),
        para(f"Dear {data.forename},", "body"),
    ]
    period = period_name(data.start, data.end)
    story.insert(4, para(f"Your volunteering sessions: {period}", "h3"))
    if data.sessions:
        n = len(data.sessions)
        story.append(
            para(
                f"Thank you for volunteering with us. Here {'are' if n > 1 else 'is'} the "
                f"{n} session{'s' if n > 1 else ''} you are on the rota for.",
                "body",
            )
        )
        header = ["Date", "Time", "Where", "Through the gate by"]
        story.append(
            table(header, _rows(data, False), column_widths(width, [24, 18, 46, 16]), size=9.5)
        )
        if any(not s.confirmed for s in data.sessions):
            story.append(para("* proposed: please let us know whether you can come.", "small"))
        if any(s.arrive_by for s in data.sessions):
            story.append(
                para(
                    "At a prison, please bring your photo identification and be "
                    "through the gate by the time shown.",
                    "body",
                )
            )
    else:
        story.append(para("You are not on the rota for any session in this period.", "body"))
    story += [
        Spacer(1, 2 * mm),
        rich(_contact_lines(data), "body"),
        Spacer(1, 6 * mm),
        para("With thanks and best wishes,", "body"),
        Spacer(1, 10 * mm),
        para(organisation, "h3"),
    ]
    return story


def _card(data: ScheduleData, width: float) -> list:
    inner = 120 * mm
    body = [
        para(data.name, "h2"),
        para(f"Rota card · {period_name(data.start, data.end)}", "small"),
    ]
    if data.sessions:
        body.append(
            table(
                ["Date", "Time", "Post", "Gate"],
                _rows(data, True),
                column_widths(inner - 8 * mm, [30, 24, 46, 12]),
                size=8.5,
            )
        )
    else:
        body.append(para("No sessions in this period.", "body"))
    sites = sorted({s.site for s in data.sessions})
    if sites:
        body.append(para("At " + ", ".join(sites), "small"))
    body.append(rich(_contact_lines(data), "small"))
    frame = _Frame([[body]], colWidths=[inner])
    frame.setStyle(
        [
            ("BOX", (0, 0), (-1, -1), 1, "#1F2933"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        ]
    )
    frame.hAlign = "LEFT"
    return [
        KeepTogether([frame]),
        Spacer(1, 3 * mm),
        para("Cut out along the border and keep it with your diary.", "small"),
    ]


def build_schedule(
    session: Session,
    volunteer_id: int,
    start: date,
    end: date,
    *,
    format: str = "letter",
    settings: OrgSettings | None = None,
    username: str,
    out_path: str | Path | None = None,
    printed_at: datetime | None = None,
) -> Path | bytes:
    if format not in FORMATS:
        raise ReportError(f"{format!r} is not a schedule format: use letter or card.")
    data = schedule_data(session, volunteer_id, start, end)
    settings = settings or load_settings(session)
    letterhead = Letterhead.of(settings, username, printed_at)
    width = frame_width()
    if format == "letter":
        story = _letter(data, letterhead.organisation, letterhead.printed_at.date(), width)
    else:
        story = _card(data, width)
    return render_pdf(
        story,
        title=f"Schedule: {data.name}, {period_name(start, end)}",
        letterhead=letterhead,
        out_path=out_path,
    )


__all__ = ["FORMATS", "ScheduleData", "build_schedule", "schedule_data"]
