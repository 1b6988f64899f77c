"""The audit log: who changed which record, when, and which fields, old and new.

Sensitive values (faith, date of birth, risk assessments, DBS numbers) are masked: the
log records that they changed, never what they were.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from .models import AuditAction, AuditEntry

MASK = "•••"
SENSITIVE_FIELDS = frozenset(
    {
        "faith_id",
        "faith_consent",
        "date_of_birth",
        "risk_assessment_outcome",
        "risk_assessment_on",
        "dbs_certificate_number",
        "dbs_barred_list_checked",
    }
)
IGNORED_FIELDS = frozenset({"version", "updated_at"})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def column_values(obj: Any) -> dict[str, Any]:
    """The plain column values of a mapped object (for snapshots before an edit)."""
    mapper = inspect(obj).mapper
    return {c.key: _plain(getattr(obj, c.key)) for c in mapper.column_attrs}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields that changed, sensitive ones masked."""
    changed: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        if key in IGNORED_FIELDS:
            continue
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old != new:
            changed[key] = [MASK, MASK] if key in SENSITIVE_FIELDS else [old, new]
    return changed


def record(
    session: Session,
    username: str,
    action: AuditAction,
    entity: str,
    entity_id: int | None,
    summary: str = "",
    changes: Mapping[str, list[Any]] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        username=username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary[:300],
        changes=json.dumps(dict(changes or {}), ensure_ascii=False, default=str),
    )
    session.add(entry)
    return entry
