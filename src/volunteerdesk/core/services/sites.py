"""Reading prisons and courts, their posts and desks, and the patterns those recur on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..models import (
    ClearanceType,
    Faith,
    Jurisdiction,
    Post,
    PostKind,
    PostRequirement,
    RecurrencePattern,
    Site,
    SiteDay,
    SiteDayKind,
    SiteKind,
    TrainingCourse,
)
from .community_edit import EditableRecord
from .editing import RecordGone

if TYPE_CHECKING:  # the bank-holiday tables load only when a calendar is wanted
    from ..scheduling.calendar import SiteCalendar

SITE_KIND_LABELS = {
    SiteKind.PRISON: "Prison",
    SiteKind.MAGISTRATES_COURT: "Magistrates' court",
    SiteKind.CROWN_COURT: "Crown court",
}
JURISDICTION_LABELS = {
    Jurisdiction.ENGLAND_WALES: "England and Wales",
    Jurisdiction.SCOTLAND: "Scotland",
    Jurisdiction.NORTHERN_IRELAND: "Northern Ireland",
}
POST_KIND_LABELS = {
    PostKind.SERVICE: "Service",
    PostKind.GROUP: "Group",
    PostKind.VISITING: "Visiting",
    PostKind.COURSE: "Course",
    PostKind.ADMIN: "Administration",
    PostKind.DESK: "Desk",
}
_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


@dataclass(frozen=True)
class SiteRow:
    id: int
    name: str
    code: str
    kind: str  # in words
    is_court: bool
    jurisdiction: str  # in words
    active: bool
    posts: int


@dataclass(frozen=True)
class PostInfo:
    id: int
    name: str
    kind: str
    location: str
    start_time: time
    end_time: time
    min_volunteers: int
    max_volunteers: int
    requirements: tuple[str, ...]  # e.g. ("HMPPS vetting", "Safeguarding (foundation) (advisory)")
    faith: str
    needs_escort: bool
    active: bool
    patterns: tuple[str, ...]  # each pattern in words, with its dates
    # The same as the recurrence editor says it, with UK dates ("... (from 04/01/2026)").
    repeats: tuple[str, ...] = ()

    @property
    def requirements_text(self) -> str:
        return "; ".join(self.requirements)

    @property
    def patterns_text(self) -> str:
        return "; ".join(self.patterns)


@dataclass(frozen=True)
class SiteDetail:
    id: int
    name: str
    code: str
    kind: str
    jurisdiction: str
    address: str
    postcode: str
    phone: str
    morning_gate_time: time | None
    afternoon_gate_time: time | None
    coordinator: str
    security_contact: str
    safeguarding_contact: str
    closed_on_bank_holidays: bool
    active: bool
    posts: tuple[PostInfo, ...]
    # The next closure and exception days, in words ("Thu 07/01/2027: closed (reason)").
    days_ahead: tuple[str, ...] = ()


def describe_rule(rule: str) -> str:
    """An RRULE body in words ("Weekly on Sunday", "Monthly on the first Sunday").

    Falls back to the rule itself for anything it does not recognise.
    """
    try:
        parts = dict(part.split("=", 1) for part in rule.upper().split(";") if part)
    except ValueError:
        return rule
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1") or 1)
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    count = parts.get("COUNT")
    if freq == "WEEKLY":
        names = [_DAY_NAMES.get(d[-2:], d) for d in days]
        when = f" on {', '.join(names)}" if names else ""
        text = ("Weekly" if interval == 1 else f"Every {interval} weeks") + when
    elif freq == "MONTHLY" and len(days) == 1 and days[0][:-2].lstrip("+-").isdigit():
        nth = int(days[0][:-2])
        text = f"Monthly on the {_ORDINALS.get(nth, str(nth))} {_DAY_NAMES.get(days[0][-2:], '')}"
        if interval > 1:
            text = text.replace("Monthly", f"Every {interval} months", 1)
    elif freq == "DAILY":
        text = "Daily" if interval == 1 else f"Every {interval} days"
    else:
        return rule
    if count:
        text += f", {count} sessions"
    return text


def _pattern_text(rule: str, description: str, start: date, end: date | None) -> str:
    """The rule in our own words (the description only when the rule is not understood)."""
    text = describe_rule(rule)
    if text == rule and description:
        text = description
    if end is not None:
        return f"{text} ({start:%d %b %Y} to {end:%d %b %Y})"
    return f"{text} (from {start:%d %b %Y})"


def _requirement_text(req: PostRequirement) -> str:
    name = (
        req.clearance_type.name if req.clearance_type else (req.course.name if req.course else "")
    )
    return name if req.mandatory else f"{name} (advisory)"


def _contact(name: str, phone: str) -> str:
    return ", ".join(part for part in (name, phone) if part)


def list_sites(session: Session) -> list[SiteRow]:
    counts = (
        select(Post.site_id.label("sid"), func.count().label("n")).group_by(Post.site_id).subquery()
    )
    rows = session.execute(
        select(
            Site.id,
            Site.name,
            Site.code,
            Site.kind,
            Site.jurisdiction,
            Site.active,
            func.coalesce(counts.c.n, 0),
        )
        .outerjoin(counts, counts.c.sid == Site.id)
        .order_by(Site.name)
    )
    return [
        SiteRow(
            id=sid,
            name=name,
            code=code or "",
            kind=SITE_KIND_LABELS.get(kind, str(kind)),
            is_court=SiteKind(kind).is_court,
            jurisdiction=JURISDICTION_LABELS.get(jurisdiction, str(jurisdiction)),
            active=bool(active),
            posts=int(n),
        )
        for sid, name, code, kind, jurisdiction, active, n in rows
    ]


def _post_info(post: Post) -> PostInfo:
    requirements = sorted(post.requirements, key=lambda r: (not r.mandatory, _requirement_text(r)))
    return PostInfo(
        id=post.id,
        name=post.name,
        kind=POST_KIND_LABELS.get(post.kind, str(post.kind)),
        location=post.location,
        start_time=post.start_time,
        end_time=post.end_time,
        min_volunteers=post.min_volunteers,
        max_volunteers=post.max_volunteers,
        requirements=tuple(_requirement_text(r) for r in requirements),
        faith=post.required_faith.name if post.required_faith else "",
        needs_escort=post.needs_escort,
        active=post.active,
        patterns=tuple(
            _pattern_text(p.rrule, p.description, p.start_date, p.end_date)
            for p in sorted(post.patterns, key=lambda p: p.start_date)
        ),
        repeats=tuple(_repeat_text(p) for p in sorted(post.patterns, key=lambda p: p.start_date)),
    )


def _repeat_text(p: RecurrencePattern) -> str:
    from ..scheduling.patterns import RepeatKind, describe, from_rule

    choice = from_rule(p.rrule, p.start_date, p.end_date, p.skip_closures)
    text = describe(choice) if choice.kind is not RepeatKind.CUSTOM else p.description or p.rrule
    if p.end_date is not None:
        return f"{text} ({p.start_date:%d/%m/%Y} to {p.end_date:%d/%m/%Y})"
    return f"{text} (from {p.start_date:%d/%m/%Y})"


def _days_ahead(site: Site, today: date, limit: int = 3) -> tuple[str, ...]:
    found = []
    for day in sorted(site.days, key=lambda d: d.day):
        if day.day < today:
            continue
        what = "runs (exception)" if day.kind == SiteDayKind.EXCEPTION else "closed"
        reason = f" ({day.reason})" if day.reason else ""
        found.append(f"{day.day:%a %d/%m/%Y}: {what}{reason}")
        if len(found) == limit:
            break
    return tuple(found)


def site_detail(session: Session, site_id: int, today: date | None = None) -> SiteDetail | None:
    site = session.scalar(
        select(Site)
        .where(Site.id == site_id)
        .options(
            selectinload(Site.posts).selectinload(Post.required_faith),
            selectinload(Site.posts).selectinload(Post.patterns),
            selectinload(Site.posts)
            .selectinload(Post.requirements)
            .selectinload(PostRequirement.clearance_type),
            selectinload(Site.posts)
            .selectinload(Post.requirements)
            .selectinload(PostRequirement.course),
            selectinload(Site.days),
        )
    )
    if site is None:
        return None
    return SiteDetail(
        id=site.id,
        name=site.name,
        code=site.code,
        kind=SITE_KIND_LABELS.get(site.kind, str(site.kind)),
        jurisdiction=JURISDICTION_LABELS.get(site.jurisdiction, str(site.jurisdiction)),
        address=site.address,
        postcode=site.postcode,
        phone=site.phone,
        morning_gate_time=site.morning_gate_time,
        afternoon_gate_time=site.afternoon_gate_time,
        coordinator=_contact(site.coordinator_name, site.coordinator_phone),
        security_contact=_contact(site.security_contact_name, site.security_contact_phone),
        safeguarding_contact=_contact(
            site.safeguarding_contact_name, site.safeguarding_contact_phone
        ),
        closed_on_bank_holidays=site.closed_on_bank_holidays,
        active=site.active,
        posts=tuple(_post_info(p) for p in site.posts),
        days_ahead=_days_ahead(site, today or date.today()),
    )


# ----- what the site and post editors open -------------------------------------------------
SITE_FIELDS = (
    "name", "code", "kind", "jurisdiction", "address", "postcode", "phone",
    "security_contact_name", "security_contact_phone", "security_contact_email",
    "coordinator_name", "coordinator_phone", "safeguarding_contact_name",
    "safeguarding_contact_phone", "morning_gate_time", "afternoon_gate_time",
    "closed_on_bank_holidays", "active", "notes",
)  # fmt: skip
POST_FIELDS = (
    "name", "kind", "location", "start_time", "end_time", "min_volunteers", "max_volunteers",
    "required_faith_id", "faith_mandatory", "needs_escort", "active", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class SiteDayValue:
    """A closure day, or an exception day when the site runs although it would not."""

    day: date
    kind: str  # a SiteDayKind value
    reason: str = ""


@dataclass(frozen=True)
class RequirementValue:
    """A clearance type or a course a post requires; advisory when not ``mandatory``."""

    clearance_type_id: int | None
    course_id: int | None
    mandatory: bool = True

    @property
    def key(self) -> tuple[int, int]:
        return (self.clearance_type_id or 0, self.course_id or 0)


@dataclass(frozen=True)
class PostChoices:
    """What a post editor offers: the site's calendar and the catalogues, as (id, name)."""

    site_id: int
    site_name: str
    site_is_court: bool
    calendar: SiteCalendar
    clearance_types: tuple[tuple[int, str], ...]
    courses: tuple[tuple[int, str], ...]
    faiths: tuple[tuple[int, str], ...]


def _names_in_use(session: Session, query, except_id: int | None, column) -> set[str]:
    if except_id is not None:
        query = query.where(column != except_id)
    return {name.casefold() for name in session.scalars(query)}


def site_names(session: Session, except_id: int | None = None) -> set[str]:
    """Site names in use (case-folded), so an editor can refuse a duplicate as it is typed."""
    return _names_in_use(session, select(Site.name), except_id, Site.id)


def post_names(session: Session, site_id: int, except_id: int | None = None) -> set[str]:
    return _names_in_use(
        session, select(Post.name).where(Post.site_id == site_id), except_id, Post.id
    )


def new_site_values(kind: SiteKind | str = SiteKind.PRISON) -> dict[str, Any]:
    """A new site's values: courts close on bank holidays, prisons run through them."""
    values: dict[str, Any] = {key: "" for key in SITE_FIELDS}
    values.update(
        kind=SiteKind(kind).value,
        jurisdiction=Jurisdiction.ENGLAND_WALES.value,
        morning_gate_time=None,
        afternoon_gate_time=None,
        closed_on_bank_holidays=SiteKind(kind).is_court,
        active=True,
        days=(),
    )
    return values


def new_post_values(site_kind: SiteKind | str) -> dict[str, Any]:
    """A new post: at a court a morning desk of two volunteers, else a chapel service."""
    court = SiteKind(site_kind).is_court
    values: dict[str, Any] = {key: "" for key in POST_FIELDS}
    values.update(
        kind=(PostKind.DESK if court else PostKind.SERVICE).value,
        start_time=time(9, 30) if court else time(9, 0),
        end_time=time(13, 0) if court else time(10, 30),
        min_volunteers=2 if court else 1,
        max_volunteers=2,
        required_faith_id=None,
        faith_mandatory=True,
        needs_escort=False,
        active=True,
        requirements=(),
        patterns=(),
    )
    return values


def load_site(session: Session, site_id: int) -> EditableRecord:
    """A site as its editor shows it, closure and exception days included."""
    site = session.get(Site, site_id)
    if site is None:
        raise RecordGone("This site has been deleted by someone else.")
    values = {key: getattr(site, key) for key in SITE_FIELDS}
    values["kind"] = SiteKind(site.kind).value
    values["jurisdiction"] = Jurisdiction(site.jurisdiction).value
    values["days"] = tuple(
        SiteDayValue(d.day, SiteDayKind(d.kind).value, d.reason)
        for d in sorted(site.days, key=lambda d: d.day)
    )
    return EditableRecord(site.id, site.version, site.name, values, audit.column_values(site))


def load_post(session: Session, post_id: int) -> EditableRecord:
    """A post as its editor shows it, with its requirements and repeat patterns."""
    from ..scheduling.patterns import from_rule

    post = session.get(Post, post_id)
    if post is None:
        raise RecordGone("This post has been deleted by someone else.")
    values = {key: getattr(post, key) for key in POST_FIELDS}
    values["kind"] = PostKind(post.kind).value
    values["requirements"] = tuple(
        sorted(
            (
                RequirementValue(r.clearance_type_id, r.course_id, r.mandatory)
                for r in post.requirements
            ),
            key=lambda r: r.key,
        )
    )
    values["patterns"] = tuple(
        from_rule(p.rrule, p.start_date, p.end_date, p.skip_closures, p.id)
        for p in sorted(post.patterns, key=lambda p: (p.start_date, p.id))
    )
    title = f"{post.name} ({post.site.name})"
    return EditableRecord(post.id, post.version, title, values, audit.column_values(post))


def site_calendar(session: Session, site_id: int) -> SiteCalendar | None:
    """The days a site runs: its closures, exceptions and (if it closes) bank holidays."""
    from ..scheduling.calendar import SiteCalendar

    site = session.get(Site, site_id)
    if site is None:
        return None
    days = session.execute(
        select(SiteDay.day, SiteDay.kind, SiteDay.reason).where(SiteDay.site_id == site_id)
    ).all()
    return SiteCalendar.build(site.jurisdiction, site.closed_on_bank_holidays, days)


def post_choices(session: Session, site_id: int) -> PostChoices | None:
    site = session.get(Site, site_id)
    calendar = site_calendar(session, site_id)
    if site is None or calendar is None:
        return None
    types = session.execute(
        select(ClearanceType.id, ClearanceType.name)
        .where(ClearanceType.active.is_(True))
        .order_by(ClearanceType.name)
    ).all()
    courses = session.execute(
        select(TrainingCourse.id, TrainingCourse.name)
        .where(TrainingCourse.active.is_(True))
        .order_by(TrainingCourse.name)
    ).all()
    faiths = session.execute(select(Faith.id, Faith.name).order_by(Faith.family, Faith.name)).all()
    return PostChoices(
        site.id,
        site.name,
        SiteKind(site.kind).is_court,
        calendar,
        tuple((i, n) for i, n in types),
        tuple((i, n) for i, n in courses),
        tuple((i, n) for i, n in faiths),
    )
