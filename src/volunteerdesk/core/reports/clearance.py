"""The clearance report, for an establishment's security department.

For each volunteer serving the site: every clearance type the site's posts require or
the volunteer holds (type, level, reference, granted and expiry dates, state), key
holding, and the state of the training the site requires; then what expires within N
days and what is pending. Every state comes from the compliance engine, as of a date.

Built for size: the national demo's 7,000 volunteers make some 20,000 rows, so the
engine is loaded once, the records are read with one query, and only the cells that
need wrapping become Paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from reportlab.platypus import CondPageBreak, PageBreak
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..compliance.engine import CLEARANCE, TRAINING, ComplianceData
from ..compliance.rules import State
from ..models import Clearance, ClearanceType, Volunteer, VolunteerStatus, volunteer_sites
from ..settings import OrgSettings, load_settings
from .data import ReportError, site_info, sites_of_kind, uk_date
from .table import table
from .template import Letterhead, column_widths, frame_width, para
from .template import render as render_pdf


@dataclass(frozen=True)
class ClearanceLine:
    code: str
    type_name: str
    level: str
    reference: str
    granted_on: date | None
    applied_on: date | None
    expires_on: date | None
    state: State
    state_text: str


@dataclass(frozen=True)
class TrainingProblem:
    course: str
    state: State
    reason: str


@dataclass(frozen=True)
class VolunteerClearances:
    volunteer_id: int
    name: str
    sort_key: tuple[str, str]
    key_holder: bool
    training_text: str
    lines: tuple[ClearanceLine, ...]
    training_problems: tuple[TrainingProblem, ...] = ()


@dataclass(frozen=True)
class SiteClearances:
    site_id: int
    site_name: str
    volunteers: tuple[VolunteerClearances, ...]
    legend: tuple[tuple[str, str], ...]  # (code, name) of the types shown


@dataclass(frozen=True)
class ClearanceReportData:
    on: date
    within: int
    sites: tuple[SiteClearances, ...]


def _detail(check) -> str:
    """The engine's reason without the requirement's name: "Pending since 01/10/2026"."""
    if check.state is State.MISSING:
        return "None held"
    text = check.reason.removeprefix(check.requirement.name).strip()
    return text[:1].upper() + text[1:]


def _state_text(check) -> str:
    state = check.state
    if state is State.PENDING:
        return _detail(check)
    words = {
        State.VALID: "Valid",
        State.EXPIRING: "Expiring",
        State.EXPIRED: "Expired",
        State.REFUSED: "Refused",
        State.MISSING: "None held",
    }[state]
    if check.renewal_in_progress:
        words += "; renewal under way"
    return words


def _core(data: ComplianceData, site_id: int) -> set[tuple[str, int]]:
    """The mandatory requirements every active post at the site shares (safeguarding,
    say): what a volunteer there lacks is reported as missing. Other requirements differ
    by post and matter only on the shifts a volunteer takes."""
    shared: set[tuple[str, int]] | None = None
    for post in data.posts.values():
        if post.site_id != site_id:
            continue
        mandatory = {(r.kind, r.type_id) for r in post.requirements if r.mandatory}
        shared = mandatory if shared is None else shared & mandatory
    return shared or set()


def _training(
    data: ComplianceData, vid: int, core: set[tuple[str, int]], on: date
) -> tuple[str, tuple[TrainingProblem, ...]]:
    """A short summary of a volunteer's training (what they hold and what every post at
    the site requires) and the courses not in date."""
    held = {t for kind, t in data.by_volunteer.get(vid, {}) if kind == TRAINING}
    wanted = held | {t for kind, t in core if kind == TRAINING}
    if not wanted:
        return "None recorded", ()
    counts: dict[State, int] = {}
    problems = []
    for course_id in sorted(wanted):
        req = data.courses.get(course_id)
        if req is None:
            continue  # an inactive course
        check = data.check(vid, req, on)
        counts[check.state] = counts.get(check.state, 0) + 1
        if not check.state.in_force:
            problems.append(TrainingProblem(req.name, check.state, _detail(check)))
    bad = [f"{n} {state.value}" for state, n in counts.items() if not state.in_force]
    if bad:
        return ", ".join(bad), tuple(problems)
    expiring = counts.get(State.EXPIRING, 0)
    return (f"{expiring} expiring" if expiring else "All in date"), ()


def clearance_report_data(
    session: Session,
    site_id: int | None,
    on: date,
    within: int = 90,
    compliance: ComplianceData | None = None,
) -> ClearanceReportData:
    """One section per site (``site_id``, or every active site that has volunteers)."""
    if within < 0:
        raise ReportError("The number of days ahead cannot be negative.")
    data = compliance or ComplianceData.load(session)
    codes = dict(session.execute(select(ClearanceType.id, ClearanceType.code)).all())
    if site_id is None:
        sites = sites_of_kind(session)
    else:
        sites = [(site_id, site_info(session, site_id).name)]
    serving: dict[int, list[int]] = {}
    for vid, sid in session.execute(
        select(volunteer_sites.c.volunteer_id, volunteer_sites.c.site_id)
    ):
        serving.setdefault(sid, []).append(vid)
    people = {
        vid: (first, badge or "", last, bool(keys))
        for vid, first, badge, last, keys in session.execute(
            select(
                Volunteer.id,
                Volunteer.first_name,
                Volunteer.badge_name,
                Volunteer.last_name,
                Volunteer.key_holder,
            ).where(Volunteer.status != VolunteerStatus.LEFT)
        )
    }
    records = {
        rid: (level or "", ref or "", granted, applied)
        for rid, level, ref, granted, applied in session.execute(
            select(
                Clearance.id,
                Clearance.level,
                Clearance.reference,
                Clearance.granted_on,
                Clearance.applied_on,
            )
        )
    }
    sections = []
    for sid, name in sites:
        core = _core(data, sid)
        anywhere = {t for kind, t in data.site_requirements.get(sid, ()) if kind == CLEARANCE}
        required = {t for kind, t in core if kind == CLEARANCE} | {
            t for t in anywhere if data.clearance_types[t].per_establishment
        }
        volunteers = []
        shown: set[int] = set()
        for vid in serving.get(sid, ()):
            person = people.get(vid)
            if person is None:
                continue
            first, badge, last, keys = person
            held = data.by_volunteer.get(vid, {})
            lines = []
            for type_id, req in data.clearance_types.items():
                if type_id not in required and (CLEARANCE, type_id) not in held:
                    continue
                check = data.check(vid, req, on, sid)
                if check.state is State.MISSING and type_id not in required:
                    continue  # held only at another establishment
                level, ref, granted, applied = records.get(check.record_id, ("", "", None, None))
                lines.append(
                    ClearanceLine(
                        codes.get(type_id, req.name),
                        req.name,
                        level,
                        ref,
                        granted,
                        applied,
                        check.expires_on,
                        check.state,
                        _state_text(check),
                    )
                )
                shown.add(type_id)
            training, problems = _training(data, vid, core, on)
            volunteers.append(
                VolunteerClearances(
                    vid,
                    f"{badge or first} {last}".strip(),
                    (last.casefold(), (badge or first).casefold()),
                    keys,
                    training,
                    tuple(lines),
                    problems,
                )
            )
        if not volunteers and site_id is None:
            continue
        volunteers.sort(key=lambda v: v.sort_key)
        legend = tuple((codes.get(t, ""), data.clearance_types[t].name) for t in sorted(shown))
        sections.append(SiteClearances(sid, name, tuple(volunteers), legend))
    return ClearanceReportData(on, within, tuple(sections))


# ----- drawing ----------------------------------------------------------------------------
def _main_table(section: SiteClearances, width: float):
    header = [
        "Volunteer",
        "Keys",
        "Training",
        "Type",
        "Level",
        "Reference",
        "Granted",
        "Expires",
        "State",
    ]
    rows, starts = [], []
    for v in section.volunteers:
        starts.append(len(rows))
        lines = v.lines or (None,)
        for i, line in enumerate(lines):
            who = (
                [v.name, "Yes" if v.key_holder else "No", v.training_text]
                if i == 0
                else ["", "", ""]
            )
            if line is None:
                rows.append([*who, "None", "", "", "", "", ""])
                continue
            rows.append(
                [
                    *who,
                    line.code,
                    line.level,
                    line.reference,
                    uk_date(line.granted_on),
                    uk_date(line.expires_on),
                    line.state_text,
                ]
            )
    widths = column_widths(width, [29, 9.5, 26, 12, 18, 29, 18, 18, 22])
    return table(header, rows, widths, size=7.5, bold_columns=[0], zebra=False, group_starts=starts)


def _expiring_table(section: SiteClearances, on: date, within: int, width: float):
    until = on + timedelta(days=within)
    rows = []
    for v in section.volunteers:
        for line in v.lines:
            if line.state.in_force and line.expires_on is not None and line.expires_on <= until:
                rows.append((line.expires_on, v, line))
    rows.sort(key=lambda r: (r[0], r[1].sort_key))
    body = [
        [
            v.name,
            line.code,
            line.reference,
            uk_date(expires),
            str((expires - on).days),
            "Renewal under way" if "renewal" in line.state_text else "",
        ]
        for expires, v, line in rows
    ]
    widths = column_widths(width, [40, 16, 32, 20, 14, 36])
    return len(body), table(
        ["Volunteer", "Clearance", "Reference", "Expires", "Days left", "Note"],
        body,
        widths,
        size=8,
        right_columns=[4],
    )


def _pending_table(section: SiteClearances, on: date, width: float):
    rows = []
    for v in section.volunteers:
        for line in v.lines:
            if line.state is State.PENDING:
                rows.append((line.applied_on or date.max, v, line))
    rows.sort(key=lambda r: (r[0], r[1].sort_key))
    body = [
        [
            v.name,
            line.code,
            line.level,
            uk_date(line.applied_on) or "Not recorded",
            str((on - line.applied_on).days) if line.applied_on else "",
            line.state_text,
        ]
        for _applied, v, line in rows
    ]
    widths = column_widths(width, [40, 16, 26, 22, 16, 38])
    return len(body), table(
        ["Volunteer", "Clearance", "Level", "Applied", "Days waiting", "State"],
        body,
        widths,
        size=8,
        right_columns=[4],
    )


def _training_table(section: SiteClearances, width: float):
    body = [
        [v.name, p.course, p.state.label, p.reason]
        for v in section.volunteers
        for p in v.training_problems
    ]
    widths = column_widths(width, [45, 62, 20, 55])
    return len(body), table(["Volunteer", "Course", "State", "Detail"], body, widths, size=8)


def _section(section: SiteClearances, data: ClearanceReportData, width: float) -> list:
    count = len(section.volunteers)
    cleared = sum(
        1 for v in section.volunteers if v.lines and all(line.state.in_force for line in v.lines)
    )
    flow = [
        para(f"Clearance report: {section.site_name}", "title"),
        para(
            f"As of {uk_date(data.on)} · {count} volunteer{'s' if count != 1 else ''} "
            f"serving this site · {cleared} with every clearance in force",
            "subtitle",
        ),
    ]
    if section.legend:
        flow.append(para(" · ".join(f"{code}: {name}" for code, name in section.legend), "small"))
    if not section.volunteers:
        flow.append(para("No current volunteers serve this site.", "body"))
        return flow
    flow.append(_main_table(section, width))
    n, expiring = _expiring_table(section, data.on, data.within, width)
    flow += [CondPageBreak(40), para(f"Expiring within {data.within} days ({n})", "h2")]
    flow.append(expiring if n else para("Nothing expires in this period.", "body"))
    n, pending = _pending_table(section, data.on, width)
    flow += [CondPageBreak(40), para(f"Pending: applied for or in progress ({n})", "h2")]
    flow.append(pending if n else para("No clearance is pending.", "body"))
    n, training = _training_table(section, width)
    flow += [CondPageBreak(40), para(f"Training not in date ({n})", "h2")]
    flow.append(
        para(
            "Courses a volunteer holds that are not in date, and courses every post here "
            "requires that they lack.",
            "small",
        )
    )
    flow.append(training if n else para("All training is in date.", "body"))
    return flow


def build_clearance_report(
    session: Session,
    site_id: int | None,
    on: date,
    *,
    within: int = 90,
    settings: OrgSettings | None = None,
    username: str,
    out_path: str | Path | None = None,
    printed_at: datetime | None = None,
    compliance: ComplianceData | None = None,
) -> Path | bytes:
    data = clearance_report_data(session, site_id, on, within, compliance)
    settings = settings or load_settings(session)
    width = frame_width()
    story: list = []
    for i, section in enumerate(data.sites):
        if i:
            story.append(PageBreak())
        story += _section(section, data, width)
    if not story:
        story.append(para("No site has current volunteers.", "body"))
    where = data.sites[0].site_name if site_id is not None and data.sites else "every site"
    return render_pdf(
        story,
        title=f"Clearance report: {where}, {uk_date(on)}",
        letterhead=Letterhead.of(settings, username, printed_at),
        out_path=out_path,
    )
