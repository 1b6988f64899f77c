"""The desk sheet: one session of one desk, to fill in by hand on the day.

Who is on duty (with phone numbers), the coordinator and safeguarding contacts, sign-in
and sign-out columns with room to write, a grid to tally contacts and signposting by
the nine resettlement pathways, and lines for notes. One A4 page, portrait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    PATHWAY_LABELS,
    Assignment,
    AssignmentStatus,
    Post,
    PostKind,
    Shift,
    ShiftStatus,
    Volunteer,
)
from ..services.volunteers import display_name
from ..settings import OrgSettings, load_settings
from .data import ReportError, SiteInfo, long_date, session_of, site_info, times
from .table import table
from .template import (
    Letterhead,
    RuledLines,
    cell_style,
    column_widths,
    frame_width,
    para,
    rich,
    safe,
)
from .template import render as render_pdf


@dataclass(frozen=True)
class OnDuty:
    name: str
    phone: str
    confirmed: bool


@dataclass(frozen=True)
class DeskSheetData:
    site: SiteInfo
    post_name: str
    location: str
    day: date
    start: time
    end: time
    volunteers: tuple[OnDuty, ...]
    needed: int  # places short of the minimum
    cancelled: bool
    notes: str

    @property
    def session(self) -> str:
        return session_of(self.start)


def find_desk_shift(
    session: Session,
    site_id: int,
    day: date,
    session_name: str | None = None,
    post_id: int | None = None,
) -> int:
    """The shift of a desk at a site on a day (and session): its id, or a clear error."""
    rows = session.execute(
        select(Shift.id, Shift.start_time, Post.id, Post.name, Post.kind)
        .join(Post, Shift.post_id == Post.id)
        .where(Post.site_id == site_id, Shift.date == day, Shift.status == ShiftStatus.SCHEDULED)
        .order_by(Shift.start_time, Post.name)
    ).all()
    if post_id is not None:
        rows = [r for r in rows if r[2] == post_id]
    if session_name:
        rows = [r for r in rows if session_of(r[1]) == session_name]
    desks = [r for r in rows if r[4] == PostKind.DESK]
    found = desks or rows
    when = long_date(day) + (f", {session_name}" if session_name else "")
    if not found:
        raise ReportError(f"No session is on the rota there on {when}.")
    if len(found) > 1:
        listed = "; ".join(f"{r[3]} at {r[1]:%H:%M} (post {r[2]})" for r in found)
        raise ReportError(
            f"{len(found)} sessions run there on {when}: {listed}. "
            "Choose one with the session (morning or afternoon) or the post."
        )
    return found[0][0]


def desk_sheet_data(session: Session, shift_id: int) -> DeskSheetData:
    row = session.execute(
        select(
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Shift.status,
            Shift.min_volunteers,
            Shift.notes,
            Post.name,
            Post.location,
            Post.min_volunteers,
            Post.site_id,
        )
        .join(Post, Shift.post_id == Post.id)
        .where(Shift.id == shift_id)
    ).first()
    if row is None:
        raise ReportError(f"No shift has id {shift_id}.")
    day, start, end, status, smin, notes, post, location, pmin, site_id = row
    people = session.execute(
        select(
            Volunteer.first_name,
            Volunteer.badge_name,
            Volunteer.last_name,
            Volunteer.phone,
            Assignment.status,
        )
        .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
        .where(Assignment.shift_id == shift_id, Assignment.status != AssignmentStatus.DECLINED)
        .order_by(Volunteer.last_name, Volunteer.first_name)
    ).all()
    volunteers = tuple(
        OnDuty(display_name(first, badge or "", last), phone or "", st != AssignmentStatus.PROPOSED)
        for first, badge, last, phone, st in people
    )
    minimum = smin if smin is not None else pmin
    return DeskSheetData(
        site=site_info(session, site_id),
        post_name=post,
        location=location or "",
        day=day,
        start=start,
        end=end,
        volunteers=volunteers,
        needed=max(0, minimum - len(volunteers)),
        cancelled=status == ShiftStatus.CANCELLED,
        notes=notes or "",
    )


def _contacts(data: DeskSheetData, width: float) -> list:
    site = data.site
    coordinator = "Coordinator" if not site.is_prison else "Chaplaincy / coordinator"
    rows = [
        [coordinator, site.coordinator_name or "Not recorded", site.coordinator_phone],
        ["Safeguarding contact", site.safeguarding_name or "Not recorded", site.safeguarding_phone],
    ]
    if site.phone:
        rows.append([site.kind_words, site.name, site.phone])
    return [
        para("Contacts", "h3"),
        table(
            None,
            rows,
            column_widths(width, [30, 50, 20]),
            size=9,
            bold_columns=[0],
            zebra=False,
            grid=True,
        ),
    ]


def _on_duty(data: DeskSheetData, width: float) -> list:
    header = ["Volunteer", "Phone", "Time in", "Signature", "Time out", "Signature"]
    rows = [
        [v.name + ("" if v.confirmed else " *"), v.phone, "", "", "", ""] for v in data.volunteers
    ]
    rows += [["", "", "", "", "", ""] for _ in range(max(2, data.needed))]
    widths = column_widths(width, [29, 18, 11, 20, 11, 20])
    flow = [
        para("Volunteers on duty: sign in and out", "h3"),
        table(header, rows, widths, size=9, grid=True, zebra=False, min_row_height=10 * mm),
    ]
    if data.needed:
        flow.append(
            para(
                f"VACANT: {data.needed} more volunteer{'s' if data.needed > 1 else ''} "
                "needed for this session. Blank rows are for whoever steps in.",
                "small",
            )
        )
    if any(not v.confirmed for v in data.volunteers):
        flow.append(para("* proposed, not yet confirmed.", "small"))
    return flow


def _tally(width: float) -> list:
    header = ["", "Tally (one stroke each)", "Total"]
    rows = [[rich("<b>People seen at the desk</b>", cell_style(9)), "", ""]]
    rows += [[label, "", ""] for label in PATHWAY_LABELS.values()]
    widths = column_widths(width, [36, 52, 12])
    grid = table(
        header,
        rows,
        widths,
        size=9,
        grid=True,
        zebra=False,
        min_row_height=8.5 * mm,
        group_starts=[1],
    )
    return [
        KeepTogether(
            [
                para("Contacts and signposting", "h3"),
                para(
                    "Signposted to, by resettlement pathway: one stroke for each person.", "small"
                ),
                grid,
            ]
        )
    ]


def build_desk_sheet(
    session: Session,
    shift_id: int,
    *,
    settings: OrgSettings | None = None,
    username: str,
    out_path: str | Path | None = None,
    printed_at: datetime | None = None,
) -> Path | bytes:
    data = desk_sheet_data(session, shift_id)
    settings = settings or load_settings(session)
    width = frame_width()
    title = f"Desk sheet: {data.post_name}"
    where = f" · {data.location}" if data.location else ""
    story = [
        para(title, "title"),
        rich(
            f"<b>{safe(data.site.name, bold=True)}</b> ({data.site.kind_words}) · "
            f"{long_date(data.day)} · {data.session.capitalize()} session, "
            f"{times(data.start, data.end)}{safe(where)}",
            "subtitle",
        ),
    ]
    if data.cancelled:
        story.append(para("THIS SESSION IS CANCELLED.", "h2"))
    if data.notes:
        story.append(para(f"Note: {data.notes}", "body"))
    story += _contacts(data, width)
    story += _on_duty(data, width)
    story += _tally(width)
    story += [
        Spacer(1, 2 * mm),
        para("Notes (no names of the people you helped)", "h3"),
        RuledLines(),
    ]
    return render_pdf(
        story,
        title=f"{title}, {data.site.name}, {long_date(data.day)}",
        letterhead=Letterhead.of(settings, username, printed_at),
        out_path=out_path,
    )
