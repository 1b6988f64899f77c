"""Writing a confirmed preview, all or nothing, and undoing it.

``commit_plan`` runs inside the caller's unit of work: any failure (a record someone else
changed since the preview, Cancel pressed, a database error) raises, and the unit of work
rolls everything back. Every record written has its own audit entry (create or update,
sensitive fields masked) and the import one more (action IMPORT) that sums it up.

The ``ImportResult`` holds what is needed to undo it (``undo.undo_import``): the records
created, and for the records updated their earlier values and the version the import left
them at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import (
    AuditAction,
    Clearance,
    ClearanceStatus,
    Community,
    TrainingRecord,
    Volunteer,
)
from ..services import editing
from .mapping import remember_mapping
from .plan import Choice, ImportPlan, Outcome, PlanRow, differences
from .readers import Cancelled, ImportCancelled, Progress
from .targets import TARGETS

MODELS: dict[str, type] = {
    "volunteers": Volunteer,
    "communities": Community,
    "training": TrainingRecord,
    "clearances": Clearance,
}
# Names stay as they are when a row is merged into a record it duplicates.
KEEP_ON_MERGE = {
    "volunteers": frozenset({"first_name", "last_name"}),
    "communities": frozenset({"name"}),
}


class ImportRefused(Exception):
    """The plan cannot be written as it stands; ``str(exc)`` says why. Nothing was written."""


@dataclass(frozen=True)
class Written:
    record_id: int
    version: int  # the record's version when the import finished
    before: dict[str, Any] | None = None  # updated fields' earlier values (None: created)


@dataclass
class ImportResult:
    target: str
    source: str
    import_id: int  # the IMPORT audit entry
    username: str
    created: list[Written] = field(default_factory=list)
    updated: list[Written] = field(default_factory=list)
    skipped: int = 0
    changes: Changes = field(default_factory=Changes)

    @property
    def summary(self) -> str:
        return (
            f"Imported {self.source}: {len(self.created)} new, {len(self.updated)} updated, "
            f"{self.skipped} left out"
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, to keep the undo beyond this session."""

        def plain(w: Written) -> dict[str, Any]:
            before = None if w.before is None else {k: _plain(v) for k, v in w.before.items()}
            return {"id": w.record_id, "version": w.version, "before": before}

        return {
            "target": self.target,
            "source": self.source,
            "import_id": self.import_id,
            "username": self.username,
            "created": [plain(w) for w in self.created],
            "updated": [plain(w) for w in self.updated],
            "skipped": self.skipped,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        model = MODELS[data["target"]]

        def revive(item: dict[str, Any]) -> Written:
            before = item.get("before")
            if before is not None:
                before = {k: _revive(model, k, v) for k, v in before.items()}
            return Written(item["id"], item["version"], before)

        created = [revive(i) for i in data["created"]]
        updated = [revive(i) for i in data["updated"]]
        subject = TARGETS[data["target"]].subject
        ids = tuple((subject, w.record_id) for w in created + updated)
        return cls(
            data["target"],
            data["source"],
            data["import_id"],
            data["username"],
            created,
            updated,
            data.get("skipped", 0),
            Changes.of(subject, ids=ids),
        )


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _revive(model: type, key: str, value: Any) -> Any:
    if value is None:
        return None
    column_type = model.__table__.columns[key].type
    enum_class = getattr(column_type, "enum_class", None)
    if enum_class is not None:
        return enum_class(value)
    if column_type.python_type is date:
        return date.fromisoformat(value)
    return value


class _Writer:
    """Writes the rows of one plan, remembering what it did for the result and the undo."""

    def __init__(self, session: Session, plan: ImportPlan, username: str) -> None:
        self.session, self.plan, self.username = session, plan, username
        self.model = MODELS[plan.target]
        self.by_row: dict[int, int] = {}  # file row -> record id written from it
        self.created: dict[int, None] = {}  # ids, in order
        self.before: dict[int, dict[str, Any]] = {}  # updated id -> earlier values
        self.touched: set[int] = set()  # ids this import has written

    def summary(self, row: PlanRow) -> str:
        return f"Imported from {self.plan.source}, row {row.row}"

    def create(self, row: PlanRow) -> None:
        values = {**row.defaults, **row.values}
        if self.plan.target in ("training", "clearances"):
            values["renews_id"] = self._renews(values)
        obj = editing.create(self.session, self.model, values, self.username, self.summary(row))
        self.created[obj.id] = None
        self.touched.add(obj.id)
        self.by_row[row.row] = obj.id

    def update(self, row: PlanRow, record_id: int, version: int | None, keep=frozenset()) -> None:
        obj = self.session.get(self.model, record_id)
        if obj is None:
            raise editing.RecordGone(f"{row.label} has been deleted since the preview.")
        expected = obj.version if record_id in self.touched or version is None else version
        current = {k: getattr(obj, k) for k in row.values}
        changes = differences(current, row.values, keep)
        if self.plan.target == "volunteers" and "status" in changes:
            changes["status_since"] = (obj.status_since, self.plan.today)
        self.by_row[row.row] = record_id
        if not changes:
            return
        if record_id not in self.created:
            earlier = self.before.setdefault(record_id, {})
            for key, (old, _new) in changes.items():
                earlier.setdefault(key, old)
        editing.update(
            self.session,
            self.model,
            record_id,
            expected,
            {k: new for k, (_old, new) in changes.items()},
            self.username,
            summary=self.summary(row),
        )
        self.touched.add(record_id)

    def merge(self, row: PlanRow) -> None:
        candidate = row.candidates[row.merge_into]
        keep = KEEP_ON_MERGE.get(self.plan.target, frozenset())
        if candidate.record_id is not None:
            self.update(row, candidate.record_id, candidate.version, keep)
        elif candidate.row in self.by_row:
            self.update(row, self.by_row[candidate.row], None, keep)
        else:  # the row it duplicates was left out: this one is the first of them
            self.create(row)

    def _renews(self, values: dict[str, Any]) -> int | None:
        """The record this new one replaces, as the editors link it: the latest of the same
        course (or clearance and place) dated on or before it, not already replaced."""
        m = self.model
        if m is Clearance:
            if values["status"] is not ClearanceStatus.GRANTED:
                return None
            new_date = values.get("granted_on")
            when = func.coalesce(Clearance.granted_on, Clearance.applied_on)
            site = values.get("site_id")
            same = [
                Clearance.type_id == values["type_id"],
                Clearance.site_id.is_(None) if site is None else Clearance.site_id == site,
            ]
        else:
            new_date = values.get("completed_on") or values.get("booked_for")
            when = func.coalesce(TrainingRecord.completed_on, TrainingRecord.booked_for)
            same = [TrainingRecord.course_id == values["course_id"]]
        mine = m.volunteer_id == values["volunteer_id"]
        renewed = set(
            self.session.scalars(select(m.renews_id).where(mine, m.renews_id.is_not(None)))
        )
        found = [
            (day or date.min, rid)
            for rid, day in self.session.execute(select(m.id, when).where(mine, *same))
            if rid not in renewed and (new_date is None or day is None or day <= new_date)
        ]
        return max(found)[1] if found else None


def _ordered(plan: ImportPlan) -> list[PlanRow]:
    """The rows to write; new records and renewals oldest first, so each renews the last."""
    rows = [r for r in plan.rows if r.writes]
    if plan.target in ("training", "clearances"):

        def when(r: PlanRow) -> date:
            v = r.values
            return (
                v.get("completed_on")
                or v.get("granted_on")
                or v.get("booked_for")
                or v.get("applied_on")
                or date.min
            )

        rows.sort(key=lambda r: (r.outcome is not Outcome.UPDATE, when(r)))
    return rows


def commit_plan(
    session: Session,
    plan: ImportPlan,
    username: str,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Write the confirmed plan in the caller's unit of work (all or nothing)."""
    if plan.has_errors:
        n = sum(1 for r in plan.rows if r.outcome is Outcome.ERROR)
        raise ImportRefused(f"{n} row{'s are' if n != 1 else ' is'} in error: nothing was written.")
    if plan.undecided():
        n = len(plan.undecided())
        raise ImportRefused(
            f"Choose merge, create new or skip for {n} possible duplicate{'s' if n != 1 else ''}."
        )
    writer = _Writer(session, plan, username)
    rows = _ordered(plan)
    total = len(rows) or 1
    try:
        for done, row in enumerate(rows):
            if done % 25 == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled("The import was cancelled: nothing was written.")
                if progress is not None:
                    progress(f"Writing row {done + 1:,} of {total:,}", done / total)
            if row.outcome is Outcome.NEW or row.choice is Choice.CREATE:
                writer.create(row)
            elif row.outcome is Outcome.UPDATE:
                writer.update(row, row.record_id, row.version)
            else:
                writer.merge(row)
    except editing.ConflictError as exc:
        raise ImportRefused(
            f"{row.label} (row {row.row}) was changed by someone else after the preview. "
            "Nothing was written: check the file again and import it."
        ) from exc
    except editing.RecordGone as exc:
        raise ImportRefused(f"{exc} Nothing was written: check the file again.") from exc
    session.flush()
    versions = (
        dict(
            session.execute(
                select(writer.model.id, writer.model.version).where(
                    writer.model.id.in_(writer.touched)
                )
            ).all()
        )
        if writer.touched
        else {}
    )
    created = [Written(i, versions[i]) for i in writer.created]
    updated = [Written(i, versions[i], b) for i, b in writer.before.items()]
    skipped = sum(1 for r in plan.rows if not r.writes)
    remember_mapping(session, plan.target, plan.headers, plan.mapping)
    entry = audit.record(
        session,
        username,
        AuditAction.IMPORT,
        writer.model.__tablename__,
        None,
        f"Imported {plan.description}: {len(created)} new, {len(updated)} updated, {skipped} left out",
        {
            "file": [None, plan.source],
            "created": [None, len(created)],
            "updated": [None, len(updated)],
            "left_out": [None, skipped],
        },
    )
    session.flush()
    subject = TARGETS[plan.target].subject
    ids = tuple((subject, w.record_id) for w in created + updated)
    if progress is not None:
        progress("Written", 1.0)
    return ImportResult(
        plan.target,
        plan.source,
        entry.id,
        username,
        created,
        updated,
        skipped,
        Changes.of(subject, ids=ids),
    )
