"""Reading prisons and courts, their posts and desks, and the patterns those recur on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..models import Jurisdiction, Post, PostKind, PostRequirement, Site, SiteKind

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
    )


def site_detail(session: Session, site_id: int) -> SiteDetail | None:
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
    )
