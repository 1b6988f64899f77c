"""The printed documents in one place: what each is, which options it takes, and
``build(session, name, options, username, today) -> bytes``.

The window (Reports page) and the command line (``volunteerdesk report ...``) both turn
their options into a ``ReportOptions`` of resolved ids and dates and call ``build``, so
the same options always make the same document. ``report_choices`` lists the sites,
posts and volunteers a person can choose from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Post, PostKind, Site, SiteKind, Volunteer, VolunteerStatus
from . import data as periods
from .data import ReportError, site_info

SCHEDULE_DAYS = 28  # a schedule (and a calendar) without an end date: four weeks
WITHIN_CHOICES = (30, 60, 90)


@dataclass(frozen=True)
class Document:
    """A printed document: its command-line name, title, description and options.

    ``options`` names the fields of ``ReportOptions`` it reads: ``site`` (required),
    ``any_site`` (optional: every site when empty), ``post``, ``volunteer``, ``day``,
    ``period``, ``range``, ``session``, ``forenames_only``, ``within``, ``format``.
    """

    key: str
    title: str
    description: str
    options: tuple[str, ...]
    periods: tuple[str, ...] = ()
    prisons_only: bool = False
    desks_only: bool = False


DOCUMENTS: tuple[Document, ...] = (
    Document(
        "rota",
        "Rota",
        "A month or a week of shifts, per site or per post, on A4 landscape.",
        ("site", "post", "day", "period"),
        periods=("week", "month"),
    ),
    Document(
        "desk-sheet",
        "Desk sheet",
        "One session of one court desk: volunteers on duty with phone numbers, contacts, "
        "and a grid to fill in by hand.",
        ("site", "post", "day", "session"),
        desks_only=True,
    ),
    Document(
        "gate-list",
        "Gate list",
        "For a prison's gate: who is expected on a day, by when, keys or escort, and "
        "clearance reference and expiry. No faith, address or date of birth.",
        ("site", "day", "forenames_only"),
        prisons_only=True,
    ),
    Document(
        "clearance",
        "Clearance report",
        "For a security department: every volunteer's clearances, key holding and training, "
        "with what is expiring and what is pending.",
        ("any_site", "day", "within"),
    ),
    Document(
        "expiry",
        "Expiry report",
        "What lapses in the next 30, 60 or 90 days, by volunteer.",
        ("any_site", "day", "within"),
    ),
    Document(
        "schedule",
        "Volunteer schedule",
        "A volunteer's own rota card or letter, with a calendar file.",
        ("volunteer", "range", "format"),
    ),
    Document(
        "activity",
        "Activity summary",
        "For funders and partners: sessions staffed, volunteer hours, contacts and "
        "signposting by pathway.",
        ("any_site", "day", "period"),
        periods=("month", "quarter"),
    ),
)
BY_KEY = {d.key: d for d in DOCUMENTS}


def document(name: str) -> Document:
    try:
        return BY_KEY[name]
    except KeyError:
        raise ReportError(
            f"{name!r} is not a document; choose one of {', '.join(BY_KEY)}."
        ) from None


@dataclass(frozen=True)
class ReportOptions:
    """Resolved options: ids and dates. What a document does not use, it ignores.

    ``day`` is the day of a desk sheet, gate list, clearance or expiry report, and a day
    inside the rota's or activity summary's ``period``; ``start``/``end`` give an exact
    span instead (a schedule always uses them). Empty ``day`` means today (for the
    activity summary: the last complete period).
    """

    site_id: int | None = None
    post_id: int | None = None
    volunteer_id: int | None = None
    day: date | None = None
    period: str = ""
    start: date | None = None
    end: date | None = None
    session_name: str | None = None
    forenames_only: bool = False
    within: int = 90
    format: str = "letter"


def span(name: str, options: ReportOptions, today: date) -> tuple[date, date]:
    """The first and last day a rota, schedule or activity summary covers."""
    doc = document(name)
    if options.start or options.end:
        if name == "activity" and not (options.start and options.end):
            raise ReportError("Give both the first and the last day, or neither.")
        start = options.start or today
        default = 7 if name == "rota" else SCHEDULE_DAYS
        end = options.end or start + timedelta(days=default - 1)
        if end < start:
            raise ReportError("The last day is before the first.")
        return start, end
    if name == "schedule":
        return today, today + timedelta(days=SCHEDULE_DAYS - 1)
    period = options.period or (doc.periods[0] if doc.periods else "")
    if period not in doc.periods:
        raise ReportError(f"A {doc.title.lower()} covers a {' or a '.join(doc.periods)}.")
    if name == "activity" and options.day is None:
        return periods.previous_period(period, today)
    return periods.period_of(period, options.day or today)


def title_of(session: Session, name: str, options: ReportOptions, today: date) -> str:
    """A short title naming the document and whom or where it is for (for file names)."""
    doc = document(name)
    words = [doc.title]
    if name == "schedule" and options.volunteer_id is not None:
        volunteer = session.get(Volunteer, options.volunteer_id)
        if volunteer is not None:
            words.append(volunteer.display_name)
    elif options.site_id is not None and ("site" in doc.options or "any_site" in doc.options):
        words.append(site_info(session, options.site_id).name)
    if name == "gate-list" and options.forenames_only:
        words.append("forenames")
    return " ".join(words)


# Documents that show clearance references (vetting data): each one made is audited,
# as opening DBS details is (DOMAIN.md). The forename-only gate list shows none.
AUDITED = {"gate-list": "gate list", "clearance": "clearance report"}


def build(
    session: Session,
    name: str,
    options: ReportOptions,
    username: str,
    today: date,
    printed_at: datetime | None = None,
) -> bytes:
    """The PDF of document ``name`` with ``options``; ``ReportError`` says what is wrong.

    Making a document that shows clearance references writes an audit entry (in the
    caller's unit of work): who, when, which document and site."""
    pdf = _build(session, name, options, username, today, printed_at)
    if name in AUDITED and not (name == "gate-list" and options.forenames_only):
        from ..audit import record
        from ..models import AuditAction

        site = session.get(Site, options.site_id) if options.site_id else None
        where = f" for {site.name}" if site is not None else ""
        record(session, username, AuditAction.VIEW, "sites", options.site_id,
               f"Printed the {AUDITED[name]}{where} (clearance references)")  # fmt: skip
    return pdf


def _build(
    session: Session,
    name: str,
    options: ReportOptions,
    username: str,
    today: date,
    printed_at: datetime | None = None,
) -> bytes:
    doc = document(name)
    common = {"username": username, "printed_at": printed_at}
    if "site" in doc.options and options.site_id is None:
        raise ReportError(f"Choose a site for the {doc.title.lower()}.")
    day = options.day or today
    if name == "rota":
        from .rota import build_rota

        start, end = span(name, options, today)
        return build_rota(session, options.site_id, start, end, post_id=options.post_id, **common)
    if name == "desk-sheet":
        from .desk_sheet import build_desk_sheet, find_desk_shift

        shift = find_desk_shift(
            session, options.site_id, day, options.session_name, options.post_id
        )
        return build_desk_sheet(session, shift, **common)
    if name == "gate-list":
        from .gate_list import build_gate_list

        return build_gate_list(
            session, options.site_id, day, forenames_only=options.forenames_only, **common
        )
    if name == "clearance":
        from .clearance import build_clearance_report

        return build_clearance_report(
            session, options.site_id, day, within=options.within, **common
        )
    if name == "expiry":
        from .expiry import build_expiry_report

        return build_expiry_report(
            session, day, within=options.within, site_id=options.site_id, **common
        )
    if name == "schedule":
        from .schedule import build_schedule

        if options.volunteer_id is None:
            raise ReportError("Choose a volunteer for the schedule.")
        start, end = span(name, options, today)
        return build_schedule(
            session, options.volunteer_id, start, end, format=options.format, **common
        )
    from .activity import build_activity_summary  # the last: "activity"

    start, end = span(name, options, today)
    return build_activity_summary(session, start, end, site_id=options.site_id, **common)


# ----- what a person can choose from ------------------------------------------------------
@dataclass(frozen=True)
class SiteChoice:
    id: int
    name: str
    kind: SiteKind

    @property
    def is_prison(self) -> bool:
        return self.kind == SiteKind.PRISON


@dataclass(frozen=True)
class PostChoice:
    id: int
    site_id: int
    name: str
    is_desk: bool


@dataclass(frozen=True)
class VolunteerChoice:
    id: int
    name: str  # "Bob Cooper"
    status: VolunteerStatus


@dataclass(frozen=True)
class ReportChoices:
    sites: list[SiteChoice] = field(default_factory=list)
    posts: list[PostChoice] = field(default_factory=list)
    volunteers: list[VolunteerChoice] = field(default_factory=list)

    def posts_of(self, site_id: int | None) -> list[PostChoice]:
        return [p for p in self.posts if p.site_id == site_id]


def report_choices(session: Session) -> ReportChoices:
    """Active sites and posts by name; volunteers (active first) by surname."""
    sites = [
        SiteChoice(i, n, k)
        for i, n, k in session.execute(
            select(Site.id, Site.name, Site.kind).where(Site.active).order_by(Site.name)
        )
    ]
    posts = [
        PostChoice(i, s, n, k == PostKind.DESK)
        for i, s, n, k in session.execute(
            select(Post.id, Post.site_id, Post.name, Post.kind)
            .where(Post.active)
            .order_by(Post.name)
        )
    ]
    rows = session.execute(
        select(
            Volunteer.id,
            Volunteer.first_name,
            Volunteer.badge_name,
            Volunteer.last_name,
            Volunteer.status,
        ).where(Volunteer.status != VolunteerStatus.LEFT)
    ).all()
    rank = {VolunteerStatus.ACTIVE: 0, VolunteerStatus.PAUSED: 1}
    rows.sort(key=lambda r: (rank.get(r[4], 2), r[3].casefold(), (r[2] or r[1]).casefold()))
    volunteers = [VolunteerChoice(i, f"{b or f} {last}".strip(), st) for i, f, b, last, st in rows]
    return ReportChoices(sites, posts, volunteers)


def with_defaults(name: str, options: ReportOptions, choices: ReportChoices) -> ReportOptions:
    """Fill a missing required site with the first that fits the document."""
    doc = document(name)
    if "site" in doc.options and options.site_id is None:
        fits = [s for s in choices.sites if s.is_prison or not doc.prisons_only]
        if doc.desks_only:
            desk_sites = {p.site_id for p in choices.posts if p.is_desk}
            fits = [s for s in fits if s.id in desk_sites] or fits
        if fits:
            return replace(options, site_id=fits[0].id)
    return options
