"""The gate (security) list: who is expected at an establishment on a day.

For the gate: name, the time to be through the gate (the site's gate time for the
session), activity and location, keys or escort, and the reference and expiry of the
clearance for this establishment that is valid on the day, from the compliance engine.
No faith, address or date of birth: the query never reads them.

The forename-only variant is for lists prisoners may see: preferred forename, time,
activity and location, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from reportlab.lib.units import mm
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..compliance.engine import ComplianceData
from ..models import (
    Assignment,
    AssignmentStatus,
    Clearance,
    Post,
    Shift,
    ShiftStatus,
    Volunteer,
)
from ..settings import OrgSettings, load_settings
from ..validation import format_uk_date
from .data import ReportError, SiteInfo, long_date, site_info, times
from .table import table
from .template import Letterhead, column_widths, frame_width, para, rich, safe
from .template import render as render_pdf


@dataclass(frozen=True)
class GateEntry:
    volunteer_id: int
    forename: str  # the preferred forename: all the prisoner-facing list shows
    name: str  # preferred forename and surname
    arrive_by: time | None
    start: time
    end: time
    post: str
    location: str
    key_holder: bool
    needs_escort: bool
    confirmed: bool
    cleared: bool  # a clearance for this establishment is in force on the day
    clearance_ref: str
    clearance_expires: date | None
    clearance_note: str  # why not cleared, in words

    @property
    def keys_or_escort(self) -> str:
        """Whether they draw keys, and whether their activity needs an escort."""
        if self.key_holder:
            return "Keys; escort" if self.needs_escort else "Keys"
        return "Escort" if self.needs_escort else "No keys"


@dataclass(frozen=True)
class GateListData:
    site: SiteInfo
    day: date
    entries: tuple[GateEntry, ...]

    @property
    def not_cleared(self) -> int:
        return sum(1 for e in self.entries if not e.cleared)

    @property
    def people(self) -> int:
        return len({e.volunteer_id for e in self.entries})


def gate_list_data(
    session: Session, site_id: int, day: date, compliance: ComplianceData | None = None
) -> GateListData:
    site = site_info(session, site_id)
    rows = session.execute(
        select(
            Volunteer.id,
            Volunteer.first_name,
            Volunteer.badge_name,
            Volunteer.last_name,
            Volunteer.key_holder,
            Assignment.status,
            Shift.start_time,
            Shift.end_time,
            Post.name,
            Post.location,
            Post.needs_escort,
        )
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Post, Shift.post_id == Post.id)
        .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
        .where(
            Post.site_id == site_id,
            Shift.date == day,
            Shift.status == ShiftStatus.SCHEDULED,
            Assignment.status != AssignmentStatus.DECLINED,
        )
    ).all()
    data = compliance or ComplianceData.load(session)
    per_site = [r for r in data.clearance_types.values() if r.per_establishment]
    checks = {}
    for vid in {r[0] for r in rows}:
        found = [data.check(vid, req, day, site_id) for req in per_site]
        in_force = [c for c in found if c.state.in_force]
        checks[vid] = (in_force[0] if in_force else None, found)
    record_ids = [c.record_id for c, _all in checks.values() if c is not None]
    refs = (
        dict(
            session.execute(
                select(Clearance.id, Clearance.reference).where(Clearance.id.in_(record_ids))
            ).all()
        )
        if record_ids
        else {}
    )
    entries = []
    for vid, first, badge, last, keys, status, start, end, post, location, escort in rows:
        best, found = checks[vid]
        forename = badge or first
        note = ""
        if best is None:
            note = (
                "; ".join(c.reason for c in found) or "No clearance type is set per establishment"
            )
        entries.append(
            GateEntry(
                volunteer_id=vid,
                forename=forename,
                name=f"{forename} {last}".strip(),
                arrive_by=site.gate_time(start) or start,
                start=start,
                end=end,
                post=post,
                location=location or "",
                key_holder=bool(keys),
                needs_escort=bool(escort),
                confirmed=status != AssignmentStatus.PROPOSED,
                cleared=best is not None or not per_site,
                clearance_ref=refs.get(best.record_id, "") if best is not None else "",
                clearance_expires=best.expires_on if best is not None else None,
                clearance_note=note if per_site else "",
            )
        )
    entries.sort(key=lambda e: (e.arrive_by or e.start, e.start, e.post, e.name.casefold()))
    return GateListData(site, day, tuple(entries))


def _security_table(data: GateListData, width: float):
    header = [
        "Name",
        "Gate by",
        "Activity",
        "Location",
        "Keys or escort",
        "Clearance reference",
        "Expires",
        "In",
    ]
    rows = []
    for e in data.entries:
        if e.cleared:
            ref, expires = (
                e.clearance_ref or "—",
                format_uk_date(e.clearance_expires) or "No expiry",
            )
        else:
            ref = rich(f"<b>NOT CLEARED</b><br/>{safe(e.clearance_note)}", "cell")
            expires = "—"
        rows.append(
            [
                e.name + ("" if e.confirmed else " *"),
                f"{e.arrive_by:%H:%M}" if e.arrive_by else "",
                f"{e.post}\n{times(e.start, e.end)}",
                e.location,
                e.keys_or_escort,
                ref,
                expires,
                "",
            ]
        )
    widths = column_widths(width, [32, 12, 34, 22, 16, 31, 20, 9])
    return table(
        header,
        rows,
        widths,
        size=8.5,
        bold_columns=[0],
        grid=True,
        zebra=False,
        min_row_height=8 * mm,
    )


def _forename_table(data: GateListData, width: float):
    header = ["Forename", "Time", "Activity", "Where"]
    rows = [[e.forename, times(e.start, e.end), e.post, e.location] for e in data.entries]
    return table(header, rows, column_widths(width, [25, 18, 35, 22]), size=11, bold_columns=[0])


def build_gate_list(
    session: Session,
    site_id: int,
    day: date,
    *,
    forenames_only: bool = False,
    settings: OrgSettings | None = None,
    username: str,
    out_path: str | Path | None = None,
    printed_at: datetime | None = None,
    compliance: ComplianceData | None = None,
) -> Path | bytes:
    data = gate_list_data(session, site_id, day, compliance)
    settings = settings or load_settings(session)
    width = frame_width()
    if forenames_only:
        title = f"Chaplaincy volunteers visiting: {long_date(day)}"
        story = [para(title, "title"), para(data.site.name, "subtitle")]
        if data.entries:
            story.append(_forename_table(data, width))
        else:
            story.append(para("No volunteers are expected on this day.", "body"))
    else:
        if not data.site.is_prison:
            raise ReportError(
                f"{data.site.name} is not a prison: gate lists are for establishments."
            )
        title = f"Gate list: {data.site.name}, {long_date(day)}"
        summary = f"{data.people} volunteer{'s' if data.people != 1 else ''} expected"
        if data.not_cleared:
            summary += (
                f"; {data.not_cleared} visit{'s' if data.not_cleared != 1 else ''} without a "
                "clearance for this establishment valid today (marked NOT CLEARED)"
            )
        gates = [
            f"{label} sessions through the gate by {t:%H:%M}"
            for label, t in (
                ("Morning", data.site.morning_gate),
                ("Afternoon", data.site.afternoon_gate),
            )
            if t
        ]
        story = [para(title, "title"), para(summary + ".", "subtitle")]
        if gates:
            story.append(
                para("; ".join(gates) + ". Evening sessions: by their start time.", "small")
            )
        contact = data.site.security_name
        if contact:
            story.append(
                para(f"Security department: {contact} {data.site.security_phone}".strip(), "small")
            )
        if data.entries:
            story.append(_security_table(data, width))
            if any(not e.confirmed for e in data.entries):
                story.append(para("* proposed, not yet confirmed.", "small"))
        else:
            story.append(para("No volunteers are expected on this day.", "body"))
    return render_pdf(
        story,
        title=title if forenames_only else f"Gate list: {data.site.name}, {format_uk_date(day)}",
        letterhead=Letterhead.of(settings, username, printed_at),
        out_path=out_path,
    )
