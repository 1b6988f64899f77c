"""The activity summary, for funders and partnership boards: a month or a quarter of
sessions staffed and vacant, volunteer hours, and desk contacts and signposting by
resettlement pathway, with bar charts. Every chart has its figures in a table beside
it, so nothing depends on telling colours apart.

A session counts as staffed when at least its minimum of volunteers attended (or were
confirmed, where attendance was not marked), short when some but fewer did, vacant when
none did. Volunteer hours are the hours of attended assignments (the session's length
where no hours were recorded).
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import (
    PATHWAY_LABELS,
    Assignment,
    AssignmentStatus,
    DeskOutcome,
    Pathway,
    Post,
    Shift,
    ShiftStatus,
    Signpost,
    Site,
)
from ..settings import OrgSettings, load_settings
from .data import ReportError, period_name, site_info
from .fonts import BASE, font_name
from .table import table
from .template import STYLES, Letterhead, column_widths, frame_width, para, rich
from .template import render as render_pdf

COUNTED = (AssignmentStatus.ATTENDED, AssignmentStatus.CONFIRMED)
MAX_BARS = 10  # more sites or posts than this: their figures in a table, without a chart
FIGURE = ParagraphStyle("figure", parent=STYLES["big_cell"], fontSize=16, leading=19)
SERIES = (
    ("staffed", "Staffed", "#2F6690"),
    ("short", "Short", "#D9A441"),
    ("vacant", "Vacant", "#B23A48"),
)


@dataclass
class Tally:
    """The figures of one group (a site, a post or a month)."""

    sessions: int = 0
    staffed: int = 0
    short: int = 0
    vacant: int = 0
    cancelled: int = 0
    hours: Decimal = Decimal(0)
    contacts: int = 0
    outcomes: int = 0
    volunteers: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class ActivityData:
    start: date
    end: date
    scope: str  # a site's name or "every site"
    by_group: dict[str, Tally]  # by site (every site) or by post (one site)
    group_word: str  # "Site" or "Post"
    by_month: dict[str, Tally]
    total: Tally
    pathways: dict[Pathway, int]


def _hours(start, end) -> Decimal:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return Decimal(minutes) / 60


def activity_data(
    session: Session, start: date, end: date, site_id: int | None = None
) -> ActivityData:
    if end < start:
        raise ReportError("The period's last day is before its first.")
    if (end - start).days > 400:
        raise ReportError("An activity summary covers at most a year.")
    scope = site_info(session, site_id).name if site_id is not None else "every site"
    where = [Shift.date >= start, Shift.date <= end]
    if site_id is not None:
        where.append(Post.site_id == site_id)
    shifts = session.execute(
        select(
            Shift.id,
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Shift.status,
            func.coalesce(Shift.min_volunteers, Post.min_volunteers),
            Post.name,
            Site.name,
        )
        .join(Post, Shift.post_id == Post.id)
        .join(Site, Post.site_id == Site.id)
        .where(*where)
    ).all()
    people: dict[int, list[tuple[int, str, Decimal | None]]] = defaultdict(list)
    outcomes: dict[int, int] = {}
    pathways: dict[Pathway, int] = {p: 0 for p in PATHWAY_LABELS}
    ids = [row[0] for row in shifts]
    for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900)):
        for shift_id, vid, status, hours in session.execute(
            select(
                Assignment.shift_id, Assignment.volunteer_id, Assignment.status, Assignment.hours
            ).where(Assignment.shift_id.in_(chunk), Assignment.status.in_(COUNTED))
        ):
            people[shift_id].append((vid, str(status), hours))
        for shift_id, seen in session.execute(
            select(DeskOutcome.shift_id, DeskOutcome.contacts_seen).where(
                DeskOutcome.shift_id.in_(chunk)
            )
        ):
            outcomes[shift_id] = int(seen or 0)
        for pathway, count in session.execute(
            select(Signpost.pathway, func.sum(Signpost.count))
            .join(DeskOutcome, Signpost.outcome_id == DeskOutcome.id)
            .where(DeskOutcome.shift_id.in_(chunk))
            .group_by(Signpost.pathway)
        ):
            pathways[Pathway(pathway)] += int(count or 0)
    by_group: dict[str, Tally] = defaultdict(Tally)
    by_month: dict[str, Tally] = {}
    month = start.replace(day=1)
    while month <= end:  # every month of the period, in order, even an empty one
        by_month[f"{month:%b %Y}"] = Tally()
        month = (month + timedelta(days=32)).replace(day=1)
    total = Tally()
    for sid, day, t0, t1, status, minimum, post, site in sorted(shifts, key=lambda r: r[1]):
        group = post if site_id is not None else site
        tallies = (total, by_group[group], by_month[f"{day:%b %Y}"])
        if status == ShiftStatus.CANCELLED:
            for t in tallies:
                t.cancelled += 1
            continue
        came = people.get(sid, [])
        kind = "vacant" if not came else ("staffed" if len(came) >= (minimum or 1) else "short")
        hours = sum(
            (h if h is not None else _hours(t0, t1))
            for _v, st, h in came
            if st == AssignmentStatus.ATTENDED
        )
        for t in tallies:
            t.sessions += 1
            setattr(t, kind, getattr(t, kind) + 1)
            t.hours += Decimal(hours)
            t.volunteers.update(v for v, _s, _h in came)
            if sid in outcomes:
                t.outcomes += 1
                t.contacts += outcomes[sid]
    return ActivityData(
        start,
        end,
        scope,
        dict(sorted(by_group.items())),
        "Post" if site_id is not None else "Site",
        by_month,
        total,
        pathways,
    )


# ----- drawing ----------------------------------------------------------------------------
def _figures(data: ActivityData, width: float):
    t = data.total
    cells = [
        ("Sessions run", f"{t.sessions:,}"),
        ("Fully staffed", f"{t.staffed:,}"),
        ("Short-staffed", f"{t.short:,}"),
        ("Vacant", f"{t.vacant:,}"),
        ("Volunteer hours", f"{t.hours:,.0f}"),
        ("Volunteers", f"{len(t.volunteers):,}"),
        ("Desk contacts", f"{t.contacts:,}"),
    ]
    figures = [
        rich(f'<font size="8" color="#52606D">{label}</font><br/><b>{value}</b>', FIGURE)
        for label, value in cells
    ]
    return table(None, [figures], [width / len(cells)] * len(cells), zebra=False, grid=True)


def _sessions_chart(groups: dict[str, Tally], width: float, title: str) -> Drawing:
    names = list(groups)
    height = 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 16 * mm
    chart.width, chart.height = width - 50 * mm, height - 26 * mm
    chart.data = [[getattr(groups[n], key) for n in names] for key, _l, _c in SERIES]
    chart.categoryAxis.categoryNames = [_label(n, 24 if len(names) < 5 else 14) for n in names]
    chart.categoryAxis.labels.fontName = BASE
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.labels.fontName = BASE
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.barLabels.fontName = BASE
    chart.barLabels.fontSize = 6.5
    chart.barLabelFormat = "%d"
    chart.barLabels.nudge = 5
    chart.groupSpacing = 8
    for i, (_key, _name, colour) in enumerate(SERIES):
        chart.bars[i].fillColor = colors.HexColor(colour)
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    drawing.add(_legend(width - 34 * mm, height - 14 * mm))
    drawing.add(String(0, height - 6, title, fontName=font_name(BASE, True), fontSize=9))
    return drawing


def _legend(x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = BASE
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = [(colors.HexColor(c), label) for _k, label, c in SERIES]
    return legend


def _pathway_chart(pathways: dict[Pathway, int], width: float) -> Drawing:
    labels = [PATHWAY_LABELS[p] for p in pathways]
    height = 70 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 62 * mm, 4 * mm
    chart.width, chart.height = width - 76 * mm, height - 16 * mm
    chart.data = [list(reversed(list(pathways.values())))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = BASE
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = BASE
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#2F6690")
    chart.bars[0].strokeColor = None
    chart.barLabels.fontName = BASE
    chart.barLabels.fontSize = 7
    chart.barLabelFormat = "%d"
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(
        String(
            0,
            height - 6,
            "People signposted, by pathway",
            fontName=font_name(BASE, True),
            fontSize=9,
        )
    )
    return drawing


def _label(text: str, n: int) -> str:
    """A category label on up to three lines of about ``n`` characters."""
    lines = textwrap.wrap(text, n) or [""]
    if len(lines) > 3:
        lines = lines[:2] + [textwrap.shorten(" ".join(lines[2:]), n, placeholder="…")]
    return "\n".join(lines)


def _tally_table(groups: dict[str, Tally], word: str, width: float, total: Tally | None = None):
    header = [
        word,
        "Sessions",
        "Staffed",
        "Short",
        "Vacant",
        "Cancelled",
        "Volunteers",
        "Hours",
        "Desk contacts",
    ]
    rows = [_tally_row(name, t) for name, t in groups.items()]
    if total is not None:
        rows.append(_tally_row("Total", total))
    widths = column_widths(width, [38, 17, 16, 14, 15, 20, 21, 17, 24])
    return table(
        header,
        rows,
        widths,
        size=8.5,
        right_columns=range(1, 9),
        bold_columns=[0],
        group_starts=[len(rows) - 1] if total else (),
    )


def _tally_row(name: str, t: Tally) -> list[str]:
    return [
        name,
        f"{t.sessions:,}",
        f"{t.staffed:,}",
        f"{t.short:,}",
        f"{t.vacant:,}",
        f"{t.cancelled:,}",
        f"{len(t.volunteers):,}",
        f"{t.hours:,.1f}",
        f"{t.contacts:,}",
    ]


def build_activity_summary(
    session: Session,
    start: date,
    end: date,
    *,
    site_id: int | None = None,
    settings: OrgSettings | None = None,
    username: str,
    out_path: str | Path | None = None,
    printed_at: datetime | None = None,
) -> Path | bytes:
    data = activity_data(session, start, end, site_id)
    settings = settings or load_settings(session)
    width = frame_width()
    period = period_name(start, end)
    title = f"Activity summary: {data.scope}"
    t = data.total
    story = [
        para(title, "title"),
        para(
            f"{period} · {t.outcomes:,} desk session{'s' if t.outcomes != 1 else ''} "
            "with contacts recorded",
            "subtitle",
        ),
        _figures(data, width),
        Spacer(1, 5 * mm),
    ]
    group_title = f"Sessions by {data.group_word.lower()}"
    if len(data.by_group) > MAX_BARS:
        story.append(_tally_table(data.by_group, data.group_word, width, t))
    elif data.by_group:
        story.append(
            KeepTogether(
                [
                    _sessions_chart(data.by_group, width, group_title),
                    _tally_table(data.by_group, data.group_word, width, t),
                ]
            )
        )
    else:
        story.append(para("No sessions were on the rota in this period.", "body"))
    if len(data.by_month) > 1:
        story += [
            Spacer(1, 5 * mm),
            CondPageBreak(90 * mm),
            KeepTogether(
                [
                    _sessions_chart(data.by_month, width, "Sessions by month"),
                    _tally_table(data.by_month, "Month", width),
                ]
            ),
        ]
    rows = [[PATHWAY_LABELS[p], f"{n:,}"] for p, n in data.pathways.items()]
    rows.append(["Total signposted", f"{sum(data.pathways.values()):,}"])
    story += [
        Spacer(1, 5 * mm),
        CondPageBreak(110 * mm),
        KeepTogether(
            [
                _pathway_chart(data.pathways, width),
                table(
                    ["Resettlement pathway", "People signposted"],
                    rows,
                    column_widths(width, [70, 30]),
                    size=8.5,
                    right_columns=[1],
                    group_starts=[len(rows) - 1],
                ),
            ]
        ),
    ]
    return render_pdf(
        story,
        title=f"{title}, {period}",
        letterhead=Letterhead.of(settings, username, printed_at),
        out_path=out_path,
    )
