"""Reading the audit log: filtered, newest first, a page at a time. Never written here.

Administrators only (``access.Action.VIEW_AUDIT``). Masked values stay masked: they were
never stored in the clear.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import access
from ..access import Action
from ..models import AuditAction, AuditEntry

ACTION_LABELS = {
    AuditAction.CREATE: "Created",
    AuditAction.UPDATE: "Changed",
    AuditAction.DELETE: "Deleted",
    AuditAction.VIEW: "Viewed",
    AuditAction.OVERRIDE: "Override",
    AuditAction.IMPORT: "Imported",
    AuditAction.ERASE: "Erased",
}


def record_label(entity: str) -> str:
    """ "training_records" -> "Training record"."""
    words = entity.replace("_", " ").strip()
    if words.endswith("ies"):
        words = words[:-3] + "y"
    elif words.endswith("s") and not words.endswith("ss"):
        words = words[:-1]
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str  # AuditAction value
    entity: str
    entity_id: int | None
    summary: str
    changes: tuple[FieldChange, ...]

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(AuditAction(self.action), self.action)

    @property
    def record(self) -> str:
        label = record_label(self.entity)
        return f"{label} {self.entity_id}" if self.entity_id is not None else label


def _changes(text: str | None) -> tuple[FieldChange, ...]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return ()
    if not isinstance(data, dict):
        return ()
    out = []
    for key, pair in data.items():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            out.append(FieldChange(str(key), pair[0], pair[1]))
        else:
            out.append(FieldChange(str(key), None, pair))
    return tuple(out)


def _bound(value: date | datetime | None, *, end: bool) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.combine(value + timedelta(days=1) if end else value, time.min)


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_audit(
    session: Session,
    *,
    text: str | None = None,
    username: str | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    action: AuditAction | str | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    limit: int = 500,
    offset: int = 0,
    acting: str | None = None,
) -> tuple[list[AuditRow], int]:
    """Entries matching every filter given, newest first: (one page of rows, total).

    ``start``/``end`` are inclusive days (a ``date``) or exact instants (a ``datetime``);
    ``text`` matches the summary, the user and the changes (case-insensitive). ``acting``
    is who asks (else the unit of work's user): only administrators may read the log.
    """
    viewer = access.current(session, acting)
    if viewer is not None:
        viewer.require(Action.VIEW_AUDIT)
    where = []
    if username:
        where.append(AuditEntry.username == username)
    if entity:
        where.append(AuditEntry.entity == entity)
    if entity_id is not None:
        where.append(AuditEntry.entity_id == entity_id)
    if action:
        where.append(AuditEntry.action == AuditAction(action))
    low, high = _bound(start, end=False), _bound(end, end=True)
    if low is not None:
        where.append(AuditEntry.at >= low)
    if high is not None:
        where.append(AuditEntry.at < high)
    sqlite = session.get_bind().dialect.name == "sqlite"
    for word in (text or "").split():
        # SQLite's LIKE ignores case already (ASCII): lower() would only slow it down.
        pattern = f"%{_escape(word)}%"
        columns = (AuditEntry.summary, AuditEntry.username, AuditEntry.changes)
        where.append(
            or_(
                *(
                    c.like(pattern, escape="\\") if sqlite else c.ilike(pattern, escape="\\")
                    for c in columns
                )
            )
        )
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
    query = (
        select(AuditEntry)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(max(0, limit))
        .offset(max(0, offset))
    )
    rows = [
        AuditRow(
            e.id,
            e.at,
            e.username,
            str(e.action),
            e.entity,
            e.entity_id,
            e.summary,
            _changes(e.changes),
        )
        for e in session.scalars(query)
    ]
    return rows, total


@dataclass(frozen=True)
class AuditFilters:
    """What the filter lists offer: the users and record types that appear in the log."""

    usernames: tuple[str, ...]
    entities: tuple[str, ...]


def audit_filters(session: Session, acting: str | None = None) -> AuditFilters:
    viewer = access.current(session, acting)
    if viewer is not None:
        viewer.require(Action.VIEW_AUDIT)
    users = session.scalars(select(AuditEntry.username).distinct().order_by(AuditEntry.username))
    entities = session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))
    return AuditFilters(tuple(users), tuple(entities))
