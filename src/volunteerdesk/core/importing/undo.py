"""Undoing an import: remove what it created, restore what it updated.

Only what nobody has touched since: a record changed after the import, or one that others
now depend on (a new volunteer who has since been given training or shifts), is kept, and
the result says why. Every removal and restoration is audited, plus one IMPORT entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import (
    Assignment,
    AuditAction,
    Clearance,
    Community,
    Endorsement,
    TrainingRecord,
    Unavailability,
    Volunteer,
    WeeklyAvailability,
    volunteer_roles,
    volunteer_sites,
)
from ..services import editing
from .commit import MODELS, ImportResult


@dataclass(frozen=True)
class UndoResult:
    removed: int
    restored: int
    kept: list[str]  # what was left as it is, and why
    changes: Changes

    @property
    def summary(self) -> str:
        text = f"Removed {self.removed}, restored {self.restored}"
        if self.kept:
            text += f"; kept {len(self.kept)} that changed since the import"
        return text


def _label(obj: Any) -> str:
    if isinstance(obj, Volunteer):
        return obj.display_name
    if isinstance(obj, Community):
        return obj.name
    if isinstance(obj, TrainingRecord):
        return f"{obj.course.name} for {obj.volunteer.display_name}"
    return f"{obj.type.name} for {obj.volunteer.display_name}"


def _in_use(session: Session, obj: Any, created: set[int]) -> str:
    """Why a record made by the import cannot simply be removed again ("" if it can)."""

    def count(query) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    if isinstance(obj, Volunteer):
        vid = obj.id
        for model, words in (
            (TrainingRecord, "training records"),
            (Clearance, "clearances"),
            (Assignment, "shifts"),
            (Endorsement, "an endorsement"),
            (WeeklyAvailability, "availability"),
            (Unavailability, "dates away"),
        ):
            if count(select(model.id).where(model.volunteer_id == vid)):
                return f"now has {words}"
        for table, words in ((volunteer_roles, "roles"), (volunteer_sites, "sites")):
            if count(select(table.c.volunteer_id).where(table.c.volunteer_id == vid)):
                return f"now has {words}"
    elif isinstance(obj, Community):
        if count(select(Volunteer.id).where(Volunteer.community_id == obj.id)) or count(
            select(Endorsement.id).where(Endorsement.community_id == obj.id)
        ):
            return "now has volunteers linked to it"
    else:
        model = type(obj)
        newer = select(model.id).where(model.renews_id == obj.id, model.id.not_in(created or {0}))
        if count(newer):
            return "has been renewed since"
    return ""


def undo_import(session: Session, result: ImportResult, username: str) -> UndoResult:
    """Remove what the import created and restore what it updated, where untouched since."""
    model = MODELS[result.target]
    summary = f"Undo of import #{result.import_id} ({result.source})"
    kept: list[str] = []
    restored = removed = 0
    for w in result.updated:
        obj = session.get(model, w.record_id)
        if obj is None:
            kept.append(f"Record {w.record_id} was deleted since the import")
        elif obj.version != w.version:
            kept.append(f"{_label(obj)} was changed since the import: not restored")
        else:
            editing.update(
                session, model, w.record_id, w.version, w.before or {}, username, summary=summary
            )
            restored += 1
    created = {w.record_id for w in result.created}
    for w in reversed(result.created):
        obj = session.get(model, w.record_id)
        if obj is None:
            continue
        why = (
            "was changed since the import"
            if obj.version != w.version
            else _in_use(session, obj, created)
        )
        if why:
            kept.append(f"{_label(obj)} {why}: kept")
            continue
        editing.delete(session, model, w.record_id, w.version, username, summary=summary)
        removed += 1
    audit.record(
        session,
        username,
        AuditAction.IMPORT,
        model.__tablename__,
        None,
        f"{summary}: removed {removed}, restored {restored}, kept {len(kept)}",
        {"removed": [None, removed], "restored": [None, restored], "kept": [None, len(kept)]},
    )
    return UndoResult(removed, restored, kept, result.changes)
