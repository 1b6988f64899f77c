"""iCalendar (RFC 5545) files: one volunteer's shifts, or a site's rota.

Times are UK wall-clock times with ``TZID=Europe/London`` and the file carries its own
VTIMEZONE, so a calendar shows 09:30 as 09:30 either side of the clock changes. Each
event's UID is made from the shift's id (and the volunteer's) and a fixed domain, so
importing the file again updates the events instead of adding copies. SEQUENCE is the
export's time in minutes since 2020, so a later export always counts as newer (a count
of edits could fall when an assignment is deleted). A cancelled shift, or one the
volunteer declined, stays in the file as a cancelled event, so that it goes on re-import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import models
from ..models import Assignment, AssignmentStatus, Post, Shift, ShiftStatus, Site, Volunteer

LONDON = ZoneInfo("Europe/London")
TZID = "Europe/London"
UID_DOMAIN = "volunteerdesk.invalid"  # reserved: it can never clash with a real domain
PRODID = "-//VolunteerDesk//VolunteerDesk rota//EN"


def volunteer_uid(shift_id: int, volunteer_id: int) -> str:
    return f"shift-{shift_id}-volunteer-{volunteer_id}@{UID_DOMAIN}"


def shift_uid(shift_id: int) -> str:
    return f"shift-{shift_id}@{UID_DOMAIN}"


def london_timezone() -> Timezone:
    """Europe/London as RFC 5545 rules: BST from the last Sunday of March at 01:00 UTC,
    GMT from the last Sunday of October at 01:00 UTC (02:00 BST)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", _offset(0))
    summer.add("tzoffsetto", _offset(1))
    summer.add("dtstart", datetime(1981, 3, 29, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", _offset(1))
    winter.add("tzoffsetto", _offset(0))
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _offset(hours: int) -> timedelta:
    return timedelta(hours=hours)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    cal.add_component(london_timezone())
    return cal


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=LONDON)


@dataclass(frozen=True)
class _ShiftRow:
    shift_id: int
    day: date
    start: time
    end: time
    cancelled: bool
    post: str
    location: str
    site: str
    site_kind: models.SiteKind
    morning_gate: time | None
    afternoon_gate: time | None

    def gate(self) -> time | None:
        if self.site_kind is not models.SiteKind.PRISON:
            return None
        if self.start < time(12):
            return self.morning_gate
        return self.afternoon_gate if self.start < time(17) else None


_SHIFT_COLUMNS = (
    Shift.id,
    Shift.date,
    Shift.start_time,
    Shift.end_time,
    Shift.status,
    Post.name,
    Post.location,
    Site.name,
    Site.kind,
    Site.morning_gate_time,
    Site.afternoon_gate_time,
)


def _shift_row(row) -> _ShiftRow:
    sid, day, t0, t1, status, post, location, site, kind, gate_am, gate_pm = row
    return _ShiftRow(
        sid,
        day,
        t0,
        t1,
        status == ShiftStatus.CANCELLED,
        post,
        location or "",
        site,
        models.SiteKind(kind),
        gate_am,
        gate_pm,
    )


EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _event(row: _ShiftRow, uid: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", _local(row.day, row.start))
    event.add("dtend", _local(row.day, row.end))
    event.add("sequence", int((stamp - EPOCH).total_seconds() // 60))
    event.add("summary", f"{row.post}, {row.site}")
    event.add("location", ", ".join(x for x in (row.location, row.site) if x))
    return event


def volunteer_calendar(
    session: Session,
    volunteer_id: int,
    start: date,
    end: date,
    *,
    stamp: datetime | None = None,
) -> bytes:
    """One volunteer's shifts from ``start`` to ``end``, as an .ics file's bytes."""
    person = session.get(Volunteer, volunteer_id)
    if person is None:
        raise LookupError(f"No volunteer has id {volunteer_id}.")
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    rows = session.execute(
        select(*_SHIFT_COLUMNS, Assignment.status)
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Post, Shift.post_id == Post.id)
        .join(Site, Post.site_id == Site.id)
        .where(Assignment.volunteer_id == volunteer_id, Shift.date >= start, Shift.date <= end)
        .order_by(Shift.date, Shift.start_time)
    ).all()
    name = f"{person.badge_name or person.first_name} {person.last_name}".strip()
    cal = _calendar(f"Volunteering: {name}")
    for row in rows:
        shift, status = _shift_row(row[:-1]), row[-1]
        event = _event(shift, volunteer_uid(shift.shift_id, volunteer_id), stamp)
        notes = []
        if shift.cancelled:
            event.add("status", "CANCELLED")
            notes.append("This session is cancelled.")
        elif status == AssignmentStatus.DECLINED:
            event.add("status", "CANCELLED")
            notes.append("You declined this session.")
        elif status == AssignmentStatus.PROPOSED:
            event.add("status", "TENTATIVE")
            notes.append("Proposed: please confirm whether you can come.")
        else:
            event.add("status", "CONFIRMED")
        gate = shift.gate()
        if gate and not shift.cancelled:
            notes.append(f"Be through the gate by {gate:%H:%M}.")
        if notes:
            event.add("description", " ".join(notes))
        cal.add_component(event)
    return cal.to_ical()


def site_calendar(
    session: Session,
    site_id: int,
    start: date,
    end: date,
    *,
    stamp: datetime | None = None,
) -> bytes:
    """A site's rota from ``start`` to ``end``: an event per session, naming who is on
    it and how many places are still needed."""
    site = session.get(Site, site_id)
    if site is None:
        raise LookupError(f"No site has id {site_id}.")
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    rows = session.execute(
        select(*_SHIFT_COLUMNS, Shift.min_volunteers, Post.min_volunteers)
        .join(Post, Shift.post_id == Post.id)
        .join(Site, Post.site_id == Site.id)
        .where(Post.site_id == site_id, Shift.date >= start, Shift.date <= end)
        .order_by(Shift.date, Shift.start_time, Post.name)
    ).all()
    people: dict[int, list[str]] = defaultdict(list)
    ids = [r[0] for r in rows]
    for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900)):
        for shift_id, first, badge, last, status in session.execute(
            select(
                Assignment.shift_id,
                Volunteer.first_name,
                Volunteer.badge_name,
                Volunteer.last_name,
                Assignment.status,
            )
            .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
            .where(Assignment.shift_id.in_(chunk))
            .order_by(Volunteer.last_name, Volunteer.first_name)
        ):
            if status != AssignmentStatus.DECLINED:
                mark = " (proposed)" if status == AssignmentStatus.PROPOSED else ""
                people[shift_id].append(f"{badge or first} {last}".strip() + mark)
    cal = _calendar(f"Rota: {site.name}")
    for row in rows:
        shift = _shift_row(row[:-2])
        minimum = row[-2] if row[-2] is not None else row[-1]
        event = _event(shift, shift_uid(shift.shift_id), stamp)
        names = people[shift.shift_id]
        if shift.cancelled:
            event.add("status", "CANCELLED")
            lines = ["Cancelled."]
        else:
            event.add("status", "CONFIRMED")
            lines = [f"On the rota: {', '.join(names) if names else 'nobody yet'}."]
            needed = max(0, minimum - len(names))
            if needed:
                lines.append(f"VACANT: {needed} more needed.")
        event.add("description", " ".join(lines))
        cal.add_component(event)
    return cal.to_ical()


def write_ics(data: bytes, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(data)
    return path
