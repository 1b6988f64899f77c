"""What a kept release database holds, counted the same way when it is made and tested."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from volunteerdesk.core.models import (
    Assignment,
    AuditEntry,
    Clearance,
    Community,
    Post,
    Shift,
    Site,
    TrainingRecord,
    Volunteer,
)

COUNTED = (
    Volunteer,
    Community,
    Site,
    Post,
    Shift,
    Assignment,
    TrainingRecord,
    Clearance,
    AuditEntry,
)


def manifest(session: Session) -> dict:
    counts = {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in COUNTED}
    people = session.execute(
        select(Volunteer.first_name, Volunteer.last_name, Volunteer.email).order_by(Volunteer.id)
    ).all()
    return {"counts": counts, "people": [list(p) for p in people]}
