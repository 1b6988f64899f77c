"""The dashboard: what needs action, each number with the list behind it, from the engine.

Everything about compliance comes from ``core.compliance`` (one set of rules): the
engine's matrix gives the expired, expiring and pending items, the expiries per month
and each site's share of compliant volunteers; ``breaches`` the rostered assignments
that will break a rule on their date. ``ComplianceData.load`` takes ~0.6 s on the
national demo: call this off the GUI thread.

Tiles count what needs action: an item whose renewal is in progress is listed (its
date stays in view) but not counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..compliance.breaches import Breach, ExpiryItem, breaches
from ..compliance.engine import CLEARANCE, ComplianceData, Matrix
from ..compliance.rules import State
from ..fetching import fetch_all
from ..models import (
    Assignment,
    AssignmentStatus,
    Community,
    Post,
    Shift,
    ShiftStatus,
    Site,
    VolunteerStatus,
)
from ..validation import format_uk_date

UNFILLED_HORIZON_DAYS = 14
WEEK_DAYS = 7
CHART_MONTHS = 12
ACTIVE = str(VolunteerStatus.ACTIVE)


@dataclass(frozen=True)
class VolunteerLine:
    volunteer_id: int
    name: str
    sites: str
    community: str


@dataclass(frozen=True)
class UnfilledShift:
    shift_id: int
    day: date
    start: time
    end: time
    site: str
    post: str
    minimum: int
    taken: int  # assignments not declined

    @property
    def needed(self) -> int:
        return max(self.minimum - self.taken, 0)


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first of the month
    count: int


@dataclass(frozen=True)
class SiteShare:
    site_id: int
    site: str
    active: int  # active volunteers serving the site
    compliant: int  # of them, with nothing expired or refused

    @property
    def share(self) -> float | None:
        return self.compliant / self.active if self.active else None


@dataclass(frozen=True)
class WeekSummary:
    """What needs action in the coming week, in a sentence for the start-up summary."""

    start: date
    end: date
    expiring: int  # needing action, lapsing within the week
    expired: int  # needing action, already expired or refused
    breaches: int  # rostered assignments in the week that break a rule
    unfilled: int  # places unfilled in the week
    pending: int  # clearances pending (the chase list)
    overdue_reviews: int

    @property
    def needs_action(self) -> bool:
        return bool(self.expiring or self.expired or self.breaches or self.unfilled)

    def lines(self) -> list[tuple[str, str]]:
        """(dashboard list key, sentence) for each thing to do, most urgent first; "overdue"
        (community reviews) has no list on the dashboard."""

        def n(count: int, one: str, many: str) -> str:
            return f"{count:,} {one if count == 1 else many}"

        found = [
            (
                "breaches",
                self.breaches,
                n(self.breaches, "rostered assignment breaks", "rostered assignments break")
                + " a rule",
            ),
            (
                "expiring_items",
                self.expiring,
                n(
                    self.expiring,
                    "clearance or training record expires",
                    "clearances and training records expire",
                ),
            ),
            (
                "unfilled_places",
                self.unfilled,
                n(self.unfilled, "place is", "places are") + " unfilled",
            ),
            (
                "expired_items",
                self.expired,
                n(self.expired, "item has", "items have") + " already expired or been refused",
            ),
            (
                "pending_clearances",
                self.pending,
                n(self.pending, "clearance is", "clearances are") + " still pending",
            ),
            (
                "overdue",  # not a dashboard list: see the Communities page
                self.overdue_reviews,
                n(self.overdue_reviews, "community review is", "community reviews are")
                + " overdue",
            ),
        ]
        return [(key, text) for key, count, text in found if count]

    @property
    def text(self) -> str:
        parts = [text for _key, text in self.lines()]
        return "This week: " + ("; ".join(parts) if parts else "nothing needs action") + "."


@dataclass(frozen=True)
class Dashboard:
    today: date
    warning_days: int
    active: list[VolunteerLine]
    expired: list[ExpiryItem]  # expired or refused, worst first
    expiring: list[ExpiryItem]  # within the warning window, soonest first
    pending: list[ExpiryItem]  # pending clearances, oldest first
    unfilled: list[UnfilledShift]  # the next UNFILLED_HORIZON_DAYS days
    breaches: list[Breach] | None  # None: not computed (see ``future_breaches``)
    week: WeekSummary
    expiries_by_month: list[MonthCount]
    sites: list[SiteShare]  # worst share first
    overdue_reviews: int
    last_shift_day: date | None  # how far ``future_breaches`` has to look
    data: ComplianceData | None = field(default=None, repr=False, compare=False)

    @property
    def counts(self) -> DashboardCounts:
        return DashboardCounts(
            today=self.today,
            warning_days=self.warning_days,
            active_volunteers=len(self.active),
            expired_items=sum(1 for i in self.expired if not i.renewal_in_progress),
            expiring_items=sum(1 for i in self.expiring if not i.renewal_in_progress),
            pending_clearances=len(self.pending),
            unfilled_places=sum(s.needed for s in self.unfilled),
            breaches=None if self.breaches is None else len(self.breaches),
            overdue_reviews=self.overdue_reviews,
        )


@dataclass(frozen=True)
class DashboardCounts:
    today: date
    warning_days: int
    active_volunteers: int
    expired_items: int  # needing action: no renewal in progress
    expiring_items: int  # needing action: no renewal in progress
    pending_clearances: int
    unfilled_places: int
    breaches: int | None
    overdue_reviews: int


def items_of(matrix: Matrix) -> list[ExpiryItem]:
    """``breaches.expiries`` from a matrix already made (the dashboard makes one anyway)."""
    items = []
    for row in matrix.rows:
        for req, cell in zip(matrix.columns, row.cells, strict=True):
            if cell is None or cell.state in (State.VALID, State.MISSING):
                continue
            items.append(
                ExpiryItem(
                    row.volunteer_id,
                    row.name,
                    req.name,
                    req.kind,
                    cell.state,
                    cell.expires_on,
                    cell.since,
                    cell.renewal_in_progress,
                    cell.record_id,
                    cell.reason,
                )
            )
    return items


def unfilled_shifts(session: Session, first: date, last: date) -> list[UnfilledShift]:
    """Scheduled shifts between two dates (inclusive) below their minimum, by date.

    The minimum is the shift's own, else the post's; assignments declined do not count.
    """
    taken = (
        select(func.count())
        .where(Assignment.shift_id == Shift.id, Assignment.status != AssignmentStatus.DECLINED)
        .correlate(Shift)
        .scalar_subquery()
    )
    minimum = func.coalesce(Shift.min_volunteers, Post.min_volunteers)
    rows = fetch_all(
        session,
        select(
            Shift.id,
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Site.name,
            Post.name,
            minimum,
            taken,
        )
        .join(Post, Shift.post_id == Post.id)
        .join(Site, Post.site_id == Site.id)
        .where(
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= first,
            Shift.date <= last,
            minimum > taken,
        )
        .order_by(Shift.date, Shift.start_time, Site.name, Post.name),
    )
    return [UnfilledShift(*row) for row in rows]


def unfilled_places(session: Session, first: date, last: date) -> int:
    """Places still needed on scheduled shifts between two dates (inclusive)."""
    need = func.coalesce(Shift.min_volunteers, Post.min_volunteers) - (
        select(func.count())
        .where(Assignment.shift_id == Shift.id, Assignment.status != AssignmentStatus.DECLINED)
        .correlate(Shift)
        .scalar_subquery()
    )
    total = session.scalar(
        select(func.coalesce(func.sum(case((need > 0, need), else_=0)), 0))
        .select_from(Shift)
        .join(Post, Shift.post_id == Post.id)
        .where(Shift.status == ShiftStatus.SCHEDULED, Shift.date >= first, Shift.date <= last)
    )
    return int(total or 0)


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(CHART_MONTHS):
        months.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return months


def expiries_by_month(matrix: Matrix, today: date) -> list[MonthCount]:
    """Requirements in force today that lapse in each of the next twelve months (from
    today on), one per volunteer and requirement type, as the matrix shows them."""
    months = _months(today)
    end = (months[-1] + timedelta(days=32)).replace(day=1)
    counts: Counter[date] = Counter()
    in_force = (State.VALID, State.EXPIRING)
    for row in matrix.rows:
        for cell in row.cells:
            if cell is not None and cell.state in in_force:
                expires = cell.expires_on
                if expires is not None and today <= expires < end:
                    counts[expires.replace(day=1)] += 1
    return [MonthCount(m, counts.get(m, 0)) for m in months]


def _at_site(data: ComplianceData, vid: int, req, cell, today: date, site_id: int) -> State:
    """A per-establishment requirement's state at one site: the matrix's own cell when
    every record of it is at that site (the common case), else checked there."""
    held = data.holdings.get((req.kind, vid, req.type_id), ())
    if all(h.site_id == site_id for h in held):
        return cell.state
    return data.check(vid, req, today, site_id).state


def site_shares(
    data: ComplianceData, matrix: Matrix, sites: dict[int, str], today: date
) -> list[SiteShare]:
    """For each site, its active volunteers and how many have nothing expired or refused,
    per-establishment clearances being checked at that site. Worst share first."""
    bad = (State.EXPIRED, State.REFUSED)
    per_site = [i for i, req in enumerate(matrix.columns) if req.per_establishment]
    active = {site_id: 0 for site_id in sites}
    compliant = dict(active)
    for row in matrix.rows:
        if data.volunteers[row.volunteer_id].status != ACTIVE:
            continue
        general = not any(
            c is not None and c.state in bad for i, c in enumerate(row.cells) if i not in per_site
        )
        for site_id in row.site_ids:
            if site_id not in active:
                continue
            active[site_id] += 1
            compliant[site_id] += general and not any(
                _at_site(data, row.volunteer_id, matrix.columns[i], row.cells[i], today, site_id)
                in bad
                for i in per_site
                if row.cells[i] is not None
            )
    shares = [SiteShare(sid, name, active[sid], compliant[sid]) for sid, name in sites.items()]
    shares.sort(key=lambda s: (s.share if s.share is not None else 2.0, s.site.casefold()))
    return shares


def future_breaches(
    session: Session, data: ComplianceData, start: date, end: date | None = None
) -> list[Breach]:
    """Rostered assignments from ``start`` (to ``end``) that will break a rule on their
    date. The dashboard asks month by month, so other work can run between the months."""
    return breaches(session, data, start, end)


def dashboard(
    session: Session,
    today: date | None = None,
    data: ComplianceData | None = None,
    *,
    with_breaches: bool = True,
) -> Dashboard:
    """Every tile with its list, the charts and this week's summary.

    ``with_breaches=False`` leaves the future breaches out (``breaches`` is None; those in
    the coming week are still counted for the summary): over a year of rota they take
    seconds on the national demo, and the dashboard page fetches them in steps.
    """
    today = today or date.today()
    data = data or ComplianceData.load(session)
    matrix = data.matrix(today)
    items = items_of(matrix)
    order = {State.EXPIRED: 0, State.REFUSED: 1}
    expired = sorted(
        (i for i in items if i.state in order),
        key=lambda i: (order[i.state], i.expires_on or date.max, i.volunteer),
    )
    expiring = sorted(
        (i for i in items if i.state is State.EXPIRING),
        key=lambda i: (i.expires_on or date.max, i.volunteer),
    )
    pending = sorted(
        (i for i in items if i.state is State.PENDING and i.kind == CLEARANCE),
        key=lambda i: (i.since or date.max, i.volunteer),
    )
    con = session.connection()
    sites = dict(
        con.execute(select(Site.id, Site.name).where(Site.active).order_by(Site.name)).all()
    )
    communities = dict(con.execute(select(Community.id, Community.name)).all())
    active = sorted(
        (
            VolunteerLine(
                v.volunteer_id,
                v.name,
                ", ".join(sorted(sites[s] for s in v.site_ids if s in sites)),
                communities.get(v.community_id, ""),
            )
            for v in data.volunteers.values()
            if v.status == ACTIVE
        ),
        key=lambda v: v.name.casefold(),
    )
    unfilled = unfilled_shifts(session, today, today + timedelta(days=UNFILLED_HORIZON_DAYS - 1))
    week_end = today + timedelta(days=WEEK_DAYS - 1)
    week_breaches = breaches(session, data, today, week_end)
    overdue = int(
        session.scalar(
            select(func.count()).select_from(Community).where(Community.review_due_on < today)
        )
        or 0
    )
    week = WeekSummary(
        today,
        week_end,
        expiring=sum(
            1
            for i in expiring
            if not i.renewal_in_progress and i.expires_on is not None and i.expires_on <= week_end
        ),
        expired=sum(1 for i in expired if not i.renewal_in_progress),
        breaches=len(week_breaches),
        unfilled=sum(s.needed for s in unfilled if s.day <= week_end),
        pending=len(pending),
        overdue_reviews=overdue,
    )
    last_day = session.scalar(
        select(func.max(Shift.date)).where(Shift.status == ShiftStatus.SCHEDULED)
    )
    return Dashboard(
        today=today,
        warning_days=data.warning_days,
        active=active,
        expired=expired,
        expiring=expiring,
        pending=pending,
        unfilled=unfilled,
        breaches=future_breaches(session, data, today) if with_breaches else None,
        week=week,
        expiries_by_month=expiries_by_month(matrix, today),
        sites=site_shares(data, matrix, sites, today),
        overdue_reviews=overdue,
        last_shift_day=last_day,
        data=data,
    )


def dashboard_counts(session: Session, today: date | None = None) -> DashboardCounts:
    """The numbers on the tiles (see ``Dashboard.counts``)."""
    return dashboard(session, today).counts


def describe_item(item: ExpiryItem) -> str:
    """An expiry item's date in words for a list: "Expires on 05/12/2026", "Since ..."."""
    if item.state is State.PENDING:
        return f"Pending since {format_uk_date(item.since)}" if item.since else "Pending"
    if item.expires_on is None:
        return item.state.label
    verb = "Expires on" if item.state is State.EXPIRING else "Expired on"
    return f"{verb} {format_uk_date(item.expires_on)}"
