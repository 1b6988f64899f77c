"""What each printed document would cover now: the numbers behind the Reports page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..models import (
    Assignment,
    AssignmentStatus,
    Clearance,
    DeskOutcome,
    Post,
    PostKind,
    Shift,
    ShiftStatus,
    Site,
    SiteKind,
    TrainingRecord,
    Volunteer,
    VolunteerStatus,
)
from .compliance import (
    PENDING_STATUSES,
    current_clearance,
    current_training,
    current_volunteer,
    in_force_clearance,
    in_force_training,
)

ROTA_WEEKS = 4
DESK_DAYS = 14
GATE_DAYS = 7
EXPIRY_DAYS = 90
ACTIVITY_DAYS = 91


@dataclass(frozen=True)
class ReportScope:
    today: date
    prisons: int
    courts: int
    posts: int
    shifts_next_weeks: int  # scheduled shifts in the next ROTA_WEEKS weeks
    desks: int  # desk posts at courts
    desk_sessions_next_days: int  # scheduled desk sessions in the next DESK_DAYS days
    gate_visits_next_days: int  # assignments at prisons in the next GATE_DAYS days
    clearances: int  # current clearances of current volunteers
    pending_clearances: int
    expiring_next_days: int  # training and clearances lapsing in the next EXPIRY_DAYS days
    active_volunteers: int
    volunteers_with_shifts: int  # volunteers with a shift in the next ROTA_WEEKS weeks
    outcomes_recorded: int  # desk sessions with an outcome in the last ACTIVITY_DAYS days
    contacts_seen: int


def _count(session: Session, statement) -> int:
    return int(session.scalar(statement) or 0)


def _expiring(session: Session, first: date, last: date) -> int:
    training = _count(
        session,
        select(func.count())
        .select_from(TrainingRecord)
        .join(Volunteer, TrainingRecord.volunteer_id == Volunteer.id)
        .where(
            current_volunteer(),
            current_training(),
            in_force_training(),
            TrainingRecord.expires_on.between(first, last),
        ),
    )
    clearances = _count(
        session,
        select(func.count())
        .select_from(Clearance)
        .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
        .where(
            current_volunteer(),
            current_clearance(),
            in_force_clearance(),
            Clearance.expires_on.between(first, last),
        ),
    )
    return training + clearances


def report_scope(session: Session, today: date | None = None) -> ReportScope:
    today = today or date.today()
    rota_end = today + timedelta(weeks=ROTA_WEEKS) - timedelta(days=1)
    live = (Shift.status == ShiftStatus.SCHEDULED, Shift.date >= today)
    sites = {
        kind: n
        for kind, n in session.execute(
            select(Site.kind, func.count()).where(Site.active).group_by(Site.kind)
        )
    }
    taken = Assignment.status != AssignmentStatus.DECLINED
    activity_start = today - timedelta(days=ACTIVITY_DAYS)
    outcomes = session.execute(
        select(func.count(), func.coalesce(func.sum(DeskOutcome.contacts_seen), 0))
        .select_from(DeskOutcome)
        .join(Shift, DeskOutcome.shift_id == Shift.id)
        .where(Shift.date >= activity_start, Shift.date < today)
    ).one()
    return ReportScope(
        today=today,
        prisons=int(sites.get(SiteKind.PRISON, 0)),
        courts=int(sites.get(SiteKind.MAGISTRATES_COURT, 0) + sites.get(SiteKind.CROWN_COURT, 0)),
        posts=_count(session, select(func.count()).select_from(Post).where(Post.active)),
        shifts_next_weeks=_count(
            session, select(func.count()).select_from(Shift).where(*live, Shift.date <= rota_end)
        ),
        desks=_count(
            session, select(func.count()).select_from(Post).where(Post.kind == PostKind.DESK)
        ),
        desk_sessions_next_days=_count(
            session,
            select(func.count())
            .select_from(Shift)
            .join(Post, Shift.post_id == Post.id)
            .where(
                *live,
                Post.kind == PostKind.DESK,
                Shift.date <= today + timedelta(days=DESK_DAYS - 1),
            ),
        ),
        gate_visits_next_days=_count(
            session,
            select(func.count())
            .select_from(Assignment)
            .join(Shift, Assignment.shift_id == Shift.id)
            .join(Post, Shift.post_id == Post.id)
            .join(Site, Post.site_id == Site.id)
            .where(
                *live,
                taken,
                Site.kind == SiteKind.PRISON,
                Shift.date <= today + timedelta(days=GATE_DAYS - 1),
            ),
        ),
        clearances=_count(
            session,
            select(func.count())
            .select_from(Clearance)
            .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
            .where(current_volunteer(), current_clearance()),
        ),
        pending_clearances=_count(
            session,
            select(func.count())
            .select_from(Clearance)
            .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
            .where(
                current_volunteer(), current_clearance(), Clearance.status.in_(PENDING_STATUSES)
            ),
        ),
        expiring_next_days=_expiring(session, today, today + timedelta(days=EXPIRY_DAYS)),
        active_volunteers=_count(
            session,
            select(func.count())
            .select_from(Volunteer)
            .where(Volunteer.status == VolunteerStatus.ACTIVE),
        ),
        volunteers_with_shifts=_count(
            session,
            select(func.count(distinct(Assignment.volunteer_id)))
            .select_from(Assignment)
            .join(Shift, Assignment.shift_id == Shift.id)
            .where(*live, taken, Shift.date <= rota_end),
        ),
        outcomes_recorded=int(outcomes[0] or 0),
        contacts_seen=int(outcomes[1] or 0),
    )
