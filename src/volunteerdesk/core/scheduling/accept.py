"""Accepting an auto-fill proposal in one step, and undoing exactly that step.

``accept_proposal`` checks each addition again against the rules as they are now (a
proposal can wait on screen while others change the rota), writes the ones that
still hold as *proposed* assignments, and returns what ``undo_accept`` needs to remove
exactly those, unless someone has changed one since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import Assignment, AssignmentStatus, AuditAction
from ..validation import format_uk_date
from .eligibility import DECLINED, Extra, RotaData

if TYPE_CHECKING:
    from .autofill import Proposal


@dataclass(frozen=True)
class AcceptResult:
    created: tuple[tuple[int, int], ...]  # (assignment id, version) as written
    skipped: tuple[str, ...]  # additions no longer possible, with the reason
    changes: Changes = field(default_factory=Changes)


@dataclass(frozen=True)
class UndoResult:
    removed: int
    kept: tuple[str, ...]  # assignments changed since, left in place
    changes: Changes = field(default_factory=Changes)


def accept_proposal(session: Session, proposal: Proposal, username: str) -> AcceptResult:
    """Write a proposal's assignments (status proposed) in the caller's transaction,
    each checked again against the rules as they are now: one that no longer holds
    (someone booked meanwhile, the session cancelled) is skipped and said why."""
    from ..access import Action, access_for

    access_for(session, username).require(Action.EDIT_ROTA, proposal.site_id)
    data = RotaData.load(
        session,
        proposal.start,
        proposal.end,
        proposal.site_id,
        also=sorted({a.volunteer_id for a in proposal.additions}),
    )
    extra = Extra()
    skipped, rows = [], []
    counts: dict[int, int] = {}
    for add in proposal.additions:
        shift = data.shifts.get(add.shift_id)
        if shift is None or shift.cancelled:
            skipped.append(f"{add.summary}: the session is cancelled or gone")
            continue
        have = counts.get(shift.id)
        if have is None:
            have = sum(1 for s in data.on_shift.get(shift.id, {}).values() if s != DECLINED)
        if have >= shift.maximum:
            skipped.append(f"{add.summary}: the session is full")
            continue
        broken = data.reasons(add.volunteer_id, shift, extra)
        if broken:
            skipped.append(f"{add.summary}: {'; '.join(r.text for r in broken)}")
            continue
        counts[shift.id] = have + 1
        extra.add(add.volunteer_id, shift)
        rows.append(
            Assignment(
                shift_id=shift.id,
                volunteer_id=add.volunteer_id,
                status=AssignmentStatus.PROPOSED,
                created_by=username,
            )
        )
    session.add_all(rows)
    session.flush()
    for row in rows:
        audit.record(
            session,
            username,
            AuditAction.CREATE,
            Assignment.__tablename__,
            row.id,
            "Auto-fill proposed this assignment",
            audit.diff({}, audit.column_values(row)),
        )
    if rows:
        audit.record(
            session,
            username,
            AuditAction.CREATE,
            Assignment.__tablename__,
            None,
            f"Auto-fill accepted: {len(rows)} assignments for {proposal.site} from "
            f"{format_uk_date(proposal.start)} to {format_uk_date(proposal.end)}",
            {"assignments": [0, len(rows)], "skipped": [0, len(skipped)]},
        )
    ids = tuple(("assignments", row.id) for row in rows)
    changes = Changes.of("assignments", "shifts", ids=ids) if rows else Changes()
    return AcceptResult(tuple((row.id, row.version) for row in rows), tuple(skipped), changes)


def undo_accept(session: Session, result: AcceptResult, username: str) -> UndoResult:
    """Remove exactly the assignments an accepted proposal wrote, unless someone has
    changed one since (confirmed, declined, moved): that one stays, and is listed.
    Each removal is audited; the versions are checked again as the rows are deleted."""
    ids = [assignment_id for assignment_id, _version in result.created]
    rows: dict[int, Assignment] = {}
    for chunk in range(0, len(ids), 5000):
        rows.update(
            (row.id, row)
            for row in session.scalars(
                select(Assignment).where(Assignment.id.in_(ids[chunk : chunk + 5000]))
            )
        )
    removed, kept, gone = 0, [], []
    for assignment_id, version in result.created:
        row = rows.get(assignment_id)
        if row is None:
            continue  # removed by hand already
        if row.version != version:
            kept.append(
                f"{row.volunteer.display_name} on {row.shift.post.name} "
                f"{format_uk_date(row.shift.date)}: changed since, left in place"
            )
            continue
        before = audit.column_values(row)
        session.delete(row)
        audit.record(
            session,
            username,
            AuditAction.DELETE,
            Assignment.__tablename__,
            assignment_id,
            "Auto-fill undone",
            audit.diff(before, {}),
        )
        removed += 1
        gone.append(("assignments", assignment_id))
    session.flush()  # a row changed meanwhile fails its version check: nothing is removed
    if removed:
        audit.record(
            session,
            username,
            AuditAction.DELETE,
            Assignment.__tablename__,
            None,
            f"Auto-fill undone: {removed} assignments removed",
            {"assignments": [removed, 0]},
        )
    changes = Changes.of("assignments", "shifts", ids=tuple(gone)) if removed else Changes()
    return UndoResult(removed, tuple(kept), changes)
