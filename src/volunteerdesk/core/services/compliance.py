"""Compliance as the screens show it, on the one rule engine (``core.compliance``).

Two views:

- ``compliance_items``: every *current* training record and clearance of current
  volunteers, each with its state. An item is current unless another record renews it
  (``renews_id`` points at it). Each item's state comes from ``rules.evaluate``, so a
  record reads the same here as in the matrix, the dashboard, the rota and the CLI.
- ``compliance_matrix`` / ``narrow``: volunteers by requirement types (the engine's
  matrix), with the choices to filter it by site, post, community and state; a site or
  post re-checks per-establishment clearances at that establishment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session, aliased

from ..compliance.engine import CLEARANCE, TRAINING, ComplianceData
from ..compliance.rules import SEVERITY, Check, Holding, Requirement, State, evaluate, is_alarm
from ..fetching import fetch_all
from ..models import (
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    Post,
    Site,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
    Volunteer,
    VolunteerStatus,
)
from ..settings import load_settings

EXPIRED = "expired"
EXPIRING = "expiring"
PENDING = "pending"
VALID = "valid"
BOOKED = "booked"  # a training course booked: no alarm while it is
NOT_IN_FORCE = "not in force"  # a clearance refused or withdrawn

PENDING_STATUSES = (ClearanceStatus.APPLIED, ClearanceStatus.IN_PROGRESS)
NOT_IN_FORCE_STATUSES = (ClearanceStatus.REFUSED, ClearanceStatus.WITHDRAWN)


@dataclass(frozen=True)
class ComplianceItem:
    kind: str  # "Training" or "Clearance"
    record_id: int
    volunteer_id: int
    volunteer_name: str
    item: str  # the course or clearance type name
    level: str
    site: str  # for per-establishment clearances
    status: str  # the record's own status, in words
    expires_on: date | None
    state: str  # one of EXPIRED, EXPIRING, PENDING, VALID, BOOKED, NOT_IN_FORCE


_REQUIREMENT = {
    "Clearance": Requirement(CLEARANCE, 0, ""),
    "Training": Requirement(TRAINING, 0, ""),
}


def label_of(check: Check, status: str) -> str:
    """An engine state in the words of a single record (``compliance_items``)."""
    state = check.state
    if state is State.PENDING:
        return BOOKED if status == TrainingStatus.BOOKED else PENDING
    if state in (State.REFUSED, State.MISSING):  # refused, or withdrawn (nothing in force)
        return NOT_IN_FORCE
    return state.value  # valid, expiring, expired


def state_label(
    *,
    kind: str,
    status: str,
    expires_on: date | None,
    today: date,
    warning_days: int,
    start: date | None = None,
) -> str:
    """The state of one record as of ``today``, by the engine's rules (``rules.evaluate``)."""
    holding = Holding(0, 0, 0, None, str(status), start, None, expires_on)
    check = evaluate(_REQUIREMENT[kind], (holding,), today, warning_days)
    return label_of(check, status)


def current_volunteer() -> ColumnElement[bool]:
    return Volunteer.status != VolunteerStatus.LEFT


# An uncorrelated NOT IN: renews_id has no index, and a correlated NOT EXISTS would scan
# the table once per row (minutes on the national demo); this builds the set once.
def current_training() -> ColumnElement[bool]:
    """Training records not replaced by a renewal (for use with TrainingRecord in FROM)."""
    newer = aliased(TrainingRecord)
    renewed = select(newer.renews_id).where(newer.renews_id.is_not(None))
    return TrainingRecord.id.not_in(renewed)


def current_clearance() -> ColumnElement[bool]:
    newer = aliased(Clearance)
    renewed = select(newer.renews_id).where(newer.renews_id.is_not(None))
    return Clearance.id.not_in(renewed)


def in_force_training() -> ColumnElement[bool]:
    """Completed training that can expire (the ones that count as expired or expiring)."""
    return and_(
        TrainingRecord.status == TrainingStatus.COMPLETED, TrainingRecord.expires_on.is_not(None)
    )


def in_force_clearance() -> ColumnElement[bool]:
    return and_(Clearance.status == ClearanceStatus.GRANTED, Clearance.expires_on.is_not(None))


STATUS_WORDS = {
    status: str(status).replace("_", " ").capitalize()
    for status in (*ClearanceStatus, *TrainingStatus)
}


def compliance_items(
    session: Session, today: date | None = None, warning_days: int | None = None
) -> list[ComplianceItem]:
    """Every current training record and clearance of current volunteers, with its state.

    Names are looked up from small dictionaries and the rows run through Core, not the
    ORM: the national demo has some 77,000 items.
    """
    today = today or date.today()
    if warning_days is None:
        warning_days = load_settings(session).warning_days
    connection = session.connection()
    names = {
        vid: f"{badge or first} {last}".strip()
        for vid, first, badge, last in connection.execute(
            select(
                Volunteer.id, Volunteer.first_name, Volunteer.badge_name, Volunteer.last_name
            ).where(current_volunteer())
        )
    }
    courses = dict(connection.execute(select(TrainingCourse.id, TrainingCourse.name)).all())
    types = dict(connection.execute(select(ClearanceType.id, ClearanceType.name)).all())
    sites = dict(connection.execute(select(Site.id, Site.name)).all())

    warn_until = today + timedelta(days=warning_days)
    labels: dict[tuple, str] = {}  # the state depends on these four values only: reuse it

    def label(kind, status, start, expires) -> str:
        key = (kind, status, start, expires)
        found = labels.get(key)
        if found is None:
            holding = Holding(0, 0, 0, None, str(status), start, None, expires)
            check = evaluate(
                _REQUIREMENT[kind], (holding,), today, warning_days, warn_until=warn_until
            )
            found = labels[key] = label_of(check, status)
        return found

    def item(kind, record_id, vid, name, level, site, status, start, expires) -> ComplianceItem:
        return ComplianceItem(
            kind=kind,
            record_id=record_id,
            volunteer_id=vid,
            volunteer_name=names[vid],
            item=name,
            level=level,
            site=site,
            status=STATUS_WORDS.get(status, str(status)),
            expires_on=expires,
            state=label(kind, status, start, expires),
        )

    training = fetch_all(
        connection,
        select(
            TrainingRecord.id,
            TrainingRecord.volunteer_id,
            TrainingRecord.course_id,
            TrainingRecord.status,
            TrainingRecord.completed_on,
            TrainingRecord.expires_on,
        )
        .join(Volunteer, TrainingRecord.volunteer_id == Volunteer.id)
        .where(current_volunteer(), current_training()),
    )
    clearances = fetch_all(
        connection,
        select(
            Clearance.id,
            Clearance.volunteer_id,
            Clearance.type_id,
            Clearance.level,
            Clearance.site_id,
            Clearance.status,
            Clearance.granted_on,
            Clearance.expires_on,
        )
        .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
        .where(current_volunteer(), current_clearance()),
    )
    items = [
        item("Training", rid, vid, courses[cid], "", "", status, start, expires)
        for rid, vid, cid, status, start, expires in training
    ]
    items.extend(
        item(
            "Clearance",
            rid,
            vid,
            types[tid],
            level or "",
            sites.get(site_id, "") if site_id else "",
            status,
            start,
            expires,
        )
        for rid, vid, tid, level, site_id, status, start, expires in clearances
    )
    return items


# ----- the matrix ---------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class PostChoice:
    id: int
    site_id: int
    name: str  # "Site: post"
    post: str  # the post's own name
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class MatrixLine:
    """One volunteer's row: a cell per column (None where not required and not held)."""

    volunteer_id: int
    name: str
    sort_name: str  # surname first, casefolded: for sorting and searching by name
    site_ids: frozenset[int]
    community_id: int | None
    cells: tuple[Check | None, ...]
    soonest: date | None  # the soonest expiry date among the cells

    @property
    def worst(self) -> int:
        return min((SEVERITY[c.state] for c in self.cells if c is not None), default=99)


@dataclass
class MatrixView:
    on: date
    warning_days: int
    data: ComplianceData
    columns: list[Requirement]
    lines: list[MatrixLine]
    sites: list[Choice]
    posts: list[PostChoice]
    communities: list[Choice]


def _soonest(cells) -> date | None:
    dates = [c.expires_on for c in cells if c is not None and c.expires_on is not None]
    return min(dates) if dates else None


def compliance_matrix(
    session: Session, today: date | None = None, data: ComplianceData | None = None
) -> MatrixView:
    """The whole matrix as of ``today`` with the filter choices (loads the engine's data
    unless given: ~0.6 s on the national demo, so call it off the GUI thread)."""
    today = today or date.today()
    data = data or ComplianceData.load(session)
    matrix = data.matrix(today)
    con = session.connection()
    surnames = {
        vid: f"{last} {badge or first}".casefold()
        for vid, first, badge, last in con.execute(
            select(Volunteer.id, Volunteer.first_name, Volunteer.badge_name, Volunteer.last_name)
        )
    }
    lines = [
        MatrixLine(
            row.volunteer_id,
            row.name,
            surnames.get(row.volunteer_id, row.name.casefold()),
            row.site_ids,
            row.community_id,
            tuple(row.cells),
            _soonest(row.cells),
        )
        for row in matrix.rows
    ]
    site_names = dict(con.execute(select(Site.id, Site.name).where(Site.active)).all())
    sites = sorted((Choice(i, n) for i, n in site_names.items()), key=lambda c: c.name.casefold())
    post_names = dict(con.execute(select(Post.id, Post.name)).all())
    posts = sorted(
        (
            PostChoice(
                p.post_id,
                p.site_id,
                f"{site_names[p.site_id]}: {post_names[p.post_id]}",
                post_names[p.post_id],
                p.requirements,
            )
            for p in data.posts.values()
            if p.site_id in site_names
        ),
        key=lambda p: p.name.casefold(),
    )
    communities = [
        Choice(i, n)
        for i, n in con.execute(select(Community.id, Community.name).order_by(Community.name))
    ]
    return MatrixView(
        today, data.warning_days, data, matrix.columns, lines, sites, posts, communities
    )


def _at_site(view: MatrixView, line: MatrixLine, site_id: int) -> MatrixLine:
    """The line with its per-establishment clearances checked at ``site_id``."""
    cells = list(line.cells)
    changed = False
    for i, req in enumerate(view.columns):
        if req.per_establishment and cells[i] is not None:
            cells[i] = view.data.check(line.volunteer_id, req, view.on, site_id)
            changed = True
    return replace(line, cells=tuple(cells), soonest=_soonest(cells)) if changed else line


STATE_FILTERS: dict[str, tuple[str, Callable[[Check], bool]]] = {
    "action": ("Needs action", is_alarm),
    "expired": ("Any expired or refused", lambda c: c.state in (State.EXPIRED, State.REFUSED)),
    "expiring": ("Any expiring", lambda c: c.state is State.EXPIRING),
    "pending": ("Any pending", lambda c: c.state is State.PENDING),
    "missing": ("Any missing", lambda c: c.state is State.MISSING),
    "renewing": ("Any renewal in progress", lambda c: c.renewal_in_progress),
}


def narrow(
    view: MatrixView,
    *,
    site_id: int | None = None,
    post_id: int | None = None,
    community_id: int | None = None,
    state: str | None = None,
    needle: str = "",
) -> tuple[list[Requirement], list[MatrixLine]]:
    """The columns and lines to show.

    A post shows only its requirements (as the post asks for them: mandatory or not) and
    the volunteers serving its site; a site, the volunteers serving it. Either way
    per-establishment clearances are checked at that site. ``state`` (a key of
    ``STATE_FILTERS``) keeps lines with at least one shown cell in that state.
    """
    columns, lines = view.columns, view.lines
    post = next((p for p in view.posts if p.id == post_id), None) if post_id else None
    if post is not None:
        site_id = post.site_id
    if community_id is not None:
        lines = [ln for ln in lines if ln.community_id == community_id]
    if needle:
        words = needle.casefold().split()
        if len(words) == 1:  # the common case, as one types: one test per line
            word = words[0]
            lines = [ln for ln in lines if word in ln.sort_name]
        else:
            lines = [ln for ln in lines if all(w in ln.sort_name for w in words)]
    if site_id is not None:
        lines = [ln for ln in lines if site_id in ln.site_ids]
    if post is not None:
        # Each cell checked as the post asks for it, at its site (missing, not blank).
        columns = list(post.requirements)
        lines = [
            replace(ln, cells=cells, soonest=_soonest(cells))
            for ln in lines
            for cells in [
                tuple(view.data.check(ln.volunteer_id, r, view.on, site_id) for r in columns)
            ]
        ]
    elif site_id is not None:
        lines = [_at_site(view, ln, site_id) for ln in lines]
    if state is not None:
        test = STATE_FILTERS[state][1]
        lines = [ln for ln in lines if any(c is not None and test(c) for c in ln.cells)]
    return list(columns), list(lines)
