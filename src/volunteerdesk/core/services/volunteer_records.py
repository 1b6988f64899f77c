"""One volunteer's records as the editor's tabs list them: training, clearances (each with
its state on a date, and whether a renewal replaced it) and upcoming shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..access import require_personal
from ..models import (
    Assignment,
    AssignmentStatus,
    Clearance,
    ClearanceStatus,
    Post,
    Shift,
    ShiftStatus,
    Site,
    TrainingRecord,
)
from ..settings import load_settings
from . import compliance as rules


@dataclass(frozen=True)
class TrainingItem:
    id: int
    course: str
    status: str  # in words
    completed_on: date | None
    booked_for: date | None
    expires_on: date | None
    state: str  # compliance state (see services.compliance), or "renewed"


@dataclass(frozen=True)
class ClearanceItem:
    id: int
    type: str
    level: str
    site: str
    status: str  # in words
    reference: str
    applied_on: date | None
    granted_on: date | None
    expires_on: date | None
    state: str


@dataclass(frozen=True)
class ShiftItem:
    shift_id: int
    date: date
    start_time: time
    end_time: time
    site: str
    post: str
    status: str  # the assignment's status, in words


def _renewed(session: Session, model, volunteer_id: int) -> set[int]:
    """Ids of the volunteer's records that a renewal replaced or is replacing. A refused or
    withdrawn renewal leaves the old record as it was: its own state is shown."""
    query = select(model.renews_id).where(
        model.volunteer_id == volunteer_id, model.renews_id.is_not(None)
    )
    if model is Clearance:
        query = query.where(
            model.status.not_in((ClearanceStatus.REFUSED, ClearanceStatus.WITHDRAWN))
        )
    return set(session.scalars(query))


def volunteer_training(session: Session, volunteer_id: int, today: date) -> list[TrainingItem]:
    """A volunteer's training records, newest first, each with its state as of ``today``."""
    require_personal(session)
    warning = load_settings(session).warning_days
    renewed = _renewed(session, TrainingRecord, volunteer_id)
    records = session.scalars(
        select(TrainingRecord)
        .where(TrainingRecord.volunteer_id == volunteer_id)
        .options(selectinload(TrainingRecord.course))
    )
    items = [
        TrainingItem(
            t.id,
            t.course.name,
            rules.STATUS_WORDS.get(t.status, str(t.status)),
            t.completed_on,
            t.booked_for,
            t.expires_on,
            "renewed"
            if t.id in renewed
            else rules.state_label(
                kind="Training",
                status=t.status,
                expires_on=t.expires_on,
                today=today,
                warning_days=warning,
            ),
        )
        for t in records
    ]
    return sorted(items, key=lambda t: (t.course, -(t.completed_on or date.min).toordinal()))


def volunteer_clearances(session: Session, volunteer_id: int, today: date) -> list[ClearanceItem]:
    require_personal(session)
    warning = load_settings(session).warning_days
    renewed = _renewed(session, Clearance, volunteer_id)
    records = session.scalars(
        select(Clearance)
        .where(Clearance.volunteer_id == volunteer_id)
        .options(selectinload(Clearance.type), selectinload(Clearance.site))
    )
    items = [
        ClearanceItem(
            c.id,
            c.type.name,
            c.level,
            c.site.name if c.site else "",
            rules.STATUS_WORDS.get(c.status, str(c.status)),
            c.reference,
            c.applied_on,
            c.granted_on,
            c.expires_on,
            "renewed"
            if c.id in renewed
            else rules.state_label(
                kind="Clearance",
                status=c.status,
                expires_on=c.expires_on,
                today=today,
                warning_days=warning,
            ),
        )
        for c in records
    ]
    return sorted(items, key=lambda c: (c.type, c.site, -(c.granted_on or date.min).toordinal()))


def upcoming_shifts(
    session: Session, volunteer_id: int, today: date, days: int = 90
) -> list[ShiftItem]:
    """The shifts a volunteer is on (not declined) from ``today`` for ``days`` days."""
    rows = session.execute(
        select(
            Shift.id,
            Shift.date,
            Shift.start_time,
            Shift.end_time,
            Site.name,
            Post.name,
            Assignment.status,
        )
        .join(Assignment, Assignment.shift_id == Shift.id)
        .join(Post, Shift.post_id == Post.id)
        .join(Site, Post.site_id == Site.id)
        .where(
            Assignment.volunteer_id == volunteer_id,
            Assignment.status != AssignmentStatus.DECLINED,
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= today,
            Shift.date < today + timedelta(days=days),
        )
        .order_by(Shift.date, Shift.start_time)
    )
    return [
        ShiftItem(sid, day, start, end, site, post, str(status).replace("_", " ").capitalize())
        for sid, day, start, end, site, post, status in rows
    ]
