"""What a database holds, in numbers: for ``volunteerdesk info`` and the About box."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from .models import (
    Assignment,
    Clearance,
    Community,
    Post,
    Shift,
    Site,
    TrainingRecord,
    Volunteer,
)

COUNTED = {
    "volunteers": Volunteer,
    "communities": Community,
    "sites": Site,
    "posts": Post,
    "shifts": Shift,
    "assignments": Assignment,
    "training_records": TrainingRecord,
    "clearances": Clearance,
}


def database_info(session: Session) -> dict[str, object]:
    schema = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    counts = {
        name: session.scalar(select(func.count()).select_from(model))
        for name, model in COUNTED.items()
    }
    return {"schema": schema, **counts}
