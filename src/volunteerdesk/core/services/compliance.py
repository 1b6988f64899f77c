"""Training and clearance items with a state label (a simple read; the rule engine comes later).

What counts: the *current* items of volunteers who have not left. An item is current unless
another record renews it (``renews_id`` points at it): a renewal, even one only booked,
replaces the older record, which stops its alarm. The dashboard counts with the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session, aliased

from ..models import (
    Clearance,
    ClearanceStatus,
    ClearanceType,
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


def state_label(
    *,
    kind: str,
    status: str,
    expires_on: date | None,
    today: date,
    warning_days: int,
) -> str:
    """The state of one item as of ``today``: the plain rule the compliance page shows."""
    if kind == "Clearance":
        if status in PENDING_STATUSES:
            return PENDING
        if status in NOT_IN_FORCE_STATUSES:
            return NOT_IN_FORCE
        if status == ClearanceStatus.LAPSED:
            return EXPIRED
    elif status == TrainingStatus.BOOKED:
        return BOOKED
    if expires_on is None:
        return VALID
    if expires_on < today:
        return EXPIRED
    if expires_on <= today + timedelta(days=warning_days):
        return EXPIRING
    return VALID


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

    def item(kind, record_id, vid, name, level, site, status, expires) -> ComplianceItem:
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
            state=state_label(
                kind=kind,
                status=status,
                expires_on=expires,
                today=today,
                warning_days=warning_days,
            ),
        )

    training = connection.execute(
        select(
            TrainingRecord.id,
            TrainingRecord.volunteer_id,
            TrainingRecord.course_id,
            TrainingRecord.status,
            TrainingRecord.expires_on,
        )
        .join(Volunteer, TrainingRecord.volunteer_id == Volunteer.id)
        .where(current_volunteer(), current_training())
    ).all()
    clearances = connection.execute(
        select(
            Clearance.id,
            Clearance.volunteer_id,
            Clearance.type_id,
            Clearance.level,
            Clearance.site_id,
            Clearance.status,
            Clearance.expires_on,
        )
        .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
        .where(current_volunteer(), current_clearance())
    ).all()
    items = [
        item("Training", rid, vid, courses[cid], "", "", status, expires)
        for rid, vid, cid, status, expires in training
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
            expires,
        )
        for rid, vid, tid, level, site_id, status, expires in clearances
    )
    return items
