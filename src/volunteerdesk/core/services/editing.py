"""Create, update and delete any record with optimistic locking and an audit entry.

An editor keeps the values it loaded and the version they came with. Saving sends both:
when someone else saved the record in between, the save is refused with a
``ConflictError`` that says, field by field, what the other person changed, so the
user can reload or re-apply their own changes on top. Never a silent overwrite.

Every write is first checked against the person's role (``core.access.check_write``):
one they may not make raises ``NotAllowed`` with a sentence for them, before anything
is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..access import NotAllowed, check_write
from ..models import AuditAction, AuditEntry

__all__ = [
    "ConflictError",
    "FieldChange",
    "LastSave",
    "NotAllowed",
    "RecordGone",
    "create",
    "delete",
    "last_save",
    "update",
]


class RecordGone(Exception):
    """The record was deleted by someone else."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    when_opened: Any
    now: Any


@dataclass(frozen=True)
class LastSave:
    """Who last saved a record and when, from the audit log."""

    username: str
    at: datetime  # naive UTC, as the audit log stores it


def last_save(session: Session, table: str, record_id: int) -> LastSave | None:
    """The latest audit entry that wrote ``table`` row ``record_id`` (views don't count)."""
    entry = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.entity == table,
            AuditEntry.entity_id == record_id,
            AuditEntry.action != AuditAction.VIEW,
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    ).first()
    return LastSave(entry.username, entry.at) if entry is not None else None


class ConflictError(Exception):
    """Someone else saved this record after it was opened here."""

    def __init__(
        self,
        entity: str,
        record_id: int,
        current_version: int,
        theirs: list[FieldChange],
        current: dict[str, Any],
        saved: LastSave | None = None,
    ):
        self.entity = entity
        self.record_id = record_id
        self.current_version = current_version
        self.theirs = theirs  # what the other person changed
        self.current = current  # the record as it is now
        self.saved = saved  # who saved it and when, when the audit log knows
        names = ", ".join(c.field for c in theirs) or "nothing visible"
        super().__init__(
            f"Someone else saved this {entity} while you were editing it (they changed: {names})."
        )


def entity_name(model: type) -> str:
    """ "TrainingRecord" -> "training record", for messages."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def create(
    session: Session, model: type, values: Mapping[str, Any], username: str, summary: str = ""
) -> Any:
    check_write(session, username, model, "create", values=values)
    obj = model(**values)
    session.add(obj)
    session.flush()
    audit.record(
        session,
        username,
        AuditAction.CREATE,
        model.__tablename__,
        obj.id,
        summary or f"Created {entity_name(model)}",
        audit.diff({}, audit.column_values(obj)),
    )
    return obj


def update(
    session: Session,
    model: type,
    record_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    username: str,
    *,
    opened: Mapping[str, Any] | None = None,
    summary: str = "",
) -> Any:
    """Apply ``values`` if the record is still at ``expected_version``.

    ``opened`` is what the editor loaded (plain values, as ``audit.column_values`` gives);
    it lets a conflict say what the other person changed.
    """
    obj = session.get(model, record_id, with_for_update=session.bind.dialect.name != "sqlite")
    if obj is None:
        raise RecordGone(f"This {entity_name(model)} has been deleted by someone else.")
    check_write(session, username, model, "update", values=values, record=obj)
    if obj.version != expected_version:
        current = audit.column_values(obj)
        theirs = [
            FieldChange(key, opened.get(key), current.get(key))
            for key in sorted(current)
            if opened is not None
            and key not in audit.IGNORED_FIELDS
            and key in opened
            and opened.get(key) != current.get(key)
        ]
        saved = last_save(session, model.__tablename__, record_id)
        raise ConflictError(entity_name(model), record_id, obj.version, theirs, current, saved)
    before = audit.column_values(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    try:
        session.flush()
    except StaleDataError as exc:  # another writer committed between our read and write
        raise ConflictError(entity_name(model), record_id, -1, [], {}) from exc
    changes = audit.diff(before, audit.column_values(obj))
    if changes:
        audit.record(
            session,
            username,
            AuditAction.UPDATE,
            model.__tablename__,
            record_id,
            summary or f"Updated {entity_name(model)}",
            changes,
        )
    return obj


def delete(
    session: Session,
    model: type,
    record_id: int,
    expected_version: int | None,
    username: str,
    summary: str = "",
) -> None:
    obj = session.get(model, record_id)
    if obj is None:
        raise RecordGone(f"This {entity_name(model)} has already been deleted.")
    check_write(session, username, model, "delete", record=obj)
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(
            entity_name(model),
            record_id,
            obj.version,
            [],
            audit.column_values(obj),
            last_save(session, model.__tablename__, record_id),
        )
    before = audit.column_values(obj)
    session.delete(obj)
    session.flush()
    audit.record(
        session,
        username,
        AuditAction.DELETE,
        model.__tablename__,
        record_id,
        summary or f"Deleted {entity_name(model)}",
        audit.diff(before, {}),
    )
