"""The numbers on the dashboard, each computed by one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import (
    Assignment,
    AssignmentStatus,
    Clearance,
    ClearanceStatus,
    Community,
    Post,
    Shift,
    ShiftStatus,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)
from ..settings import load_settings
from .compliance import (
    PENDING_STATUSES,
    current_clearance,
    current_training,
    current_volunteer,
    in_force_clearance,
    in_force_training,
)

UNFILLED_HORIZON_DAYS = 14


@dataclass(frozen=True)
class DashboardCounts:
    today: date
    warning_days: int
    active_volunteers: int
    expired_items: int
    expiring_items: int
    pending_clearances: int
    unfilled_places: int
    overdue_reviews: int


def _count_items(session: Session, first: date | None, last: date | None) -> int:
    """Current training records and granted clearances expiring between two dates."""

    def window(column):
        conditions = []
        if first is not None:
            conditions.append(column >= first)
        if last is not None:
            conditions.append(column <= last)
        return conditions

    training = session.scalar(
        select(func.count())
        .select_from(TrainingRecord)
        .join(Volunteer, TrainingRecord.volunteer_id == Volunteer.id)
        .where(
            current_volunteer(),
            in_force_training(),
            current_training(),
            *window(TrainingRecord.expires_on),
        )
    )
    clearances = session.scalar(
        select(func.count())
        .select_from(Clearance)
        .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
        .where(
            current_volunteer(),
            in_force_clearance(),
            current_clearance(),
            *window(Clearance.expires_on),
        )
    )
    return int(training or 0) + int(clearances or 0)


def _lapsed_clearances(session: Session) -> int:
    """Clearances marked lapsed: the compliance page shows them as expired too."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Clearance)
            .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
            .where(
                current_volunteer(),
                current_clearance(),
                Clearance.status == ClearanceStatus.LAPSED,
            )
        )
        or 0
    )


def unfilled_places(session: Session, first: date, last: date) -> int:
    """Places still needed on scheduled shifts between two dates (inclusive).

    Per shift: the minimum (the shift's own, else the post's) less the assignments that
    were not declined, never below zero; summed.
    """
    taken = (
        select(func.count())
        .where(
            Assignment.shift_id == Shift.id,
            Assignment.status != AssignmentStatus.DECLINED,
        )
        .correlate(Shift)
        .scalar_subquery()
    )
    need = func.coalesce(Shift.min_volunteers, Post.min_volunteers) - taken
    total = session.scalar(
        select(func.coalesce(func.sum(case((need > 0, need), else_=0)), 0))
        .select_from(Shift)
        .join(Post, Shift.post_id == Post.id)
        .where(
            Shift.status == ShiftStatus.SCHEDULED,
            Shift.date >= first,
            Shift.date <= last,
        )
    )
    return int(total or 0)


def dashboard_counts(session: Session, today: date | None = None) -> DashboardCounts:
    today = today or date.today()
    warning_days = load_settings(session).warning_days
    active = session.scalar(
        select(func.count())
        .select_from(Volunteer)
        .where(Volunteer.status == VolunteerStatus.ACTIVE)
    )
    pending = session.scalar(
        select(func.count())
        .select_from(Clearance)
        .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
        .where(
            current_volunteer(),
            current_clearance(),
            Clearance.status.in_(PENDING_STATUSES),
        )
    )
    overdue = session.scalar(
        select(func.count()).select_from(Community).where(Community.review_due_on < today)
    )
    return DashboardCounts(
        today=today,
        warning_days=warning_days,
        active_volunteers=int(active or 0),
        expired_items=_count_items(session, None, today - timedelta(days=1))
        + _lapsed_clearances(session),
        expiring_items=_count_items(session, today, today + timedelta(days=warning_days)),
        pending_clearances=int(pending or 0),
        unfilled_places=unfilled_places(
            session, today, today + timedelta(days=UNFILLED_HORIZON_DAYS - 1)
        ),
        overdue_reviews=int(overdue or 0),
    )
