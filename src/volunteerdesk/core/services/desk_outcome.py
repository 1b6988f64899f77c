"""What a desk session recorded: contacts seen and signposting by resettlement pathway.

Saved through ``editing`` (the outcome is versioned and audited); the signposting
counts, which carry no version of their own, are written with one audit entry that
lists each pathway's count before and after. ``rota_edit`` re-exports this.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from .. import audit
from ..changes import Changes
from ..models import PATHWAY_LABELS, AuditAction, DeskOutcome, Pathway, Signpost
from . import editing
from .shift_edit import RotaError, describe_shift, get_shift, rota_changes


def record_outcome(
    session: Session,
    shift_id: int,
    contacts_seen: int,
    signposts: Mapping[Pathway | str, int],
    username: str,
    *,
    notes: str = "",
    expected_version: int | None = None,
) -> Changes:
    """What a desk session recorded: contacts seen and how many were signposted to each
    pathway (pathways left out count 0). ``expected_version``: the outcome's version
    when it was opened (None when it is new)."""
    shift = get_shift(session, shift_id)
    counts = {Pathway(k): int(v) for k, v in signposts.items() if int(v)}
    if contacts_seen < 0 or any(v < 0 for v in counts.values()):
        raise RotaError("Counts cannot be negative.")
    outcome = shift.outcome
    values = {"contacts_seen": contacts_seen, "notes": notes.strip(), "recorded_by": username}
    what = f"Outcome of {describe_shift(shift)}"
    if outcome is None:
        outcome = editing.create(
            session, DeskOutcome, {"shift_id": shift_id, **values}, username, what
        )
    else:
        if expected_version is None:
            expected_version = outcome.version
        outcome = editing.update(
            session, DeskOutcome, outcome.id, expected_version, values, username, summary=what
        )
    before = {s.pathway: s.count for s in outcome.signposts}
    changed = {}
    for s in list(outcome.signposts):
        if s.pathway not in counts:
            outcome.signposts.remove(s)
        elif s.count != counts[s.pathway]:
            s.count = counts[s.pathway]
    for pathway, count in sorted(counts.items()):
        if pathway not in before:
            outcome.signposts.append(Signpost(pathway=pathway, count=count))
    for pathway in sorted(set(before) | set(counts)):
        old, new = before.get(pathway, 0), counts.get(pathway, 0)
        if old != new:
            changed[f"signposted: {PATHWAY_LABELS[pathway]}"] = [old, new]
    if changed:
        # The signposts are rows of their own: touch the outcome too, so its version
        # moves and a second person's stale save of the same outcome is refused.
        flag_modified(outcome, "recorded_by")
        session.flush()
        audit.record(
            session, username, AuditAction.UPDATE, DeskOutcome.__tablename__, outcome.id,
            f"Signposting of {describe_shift(shift)}", changed,
        )  # fmt: skip
    return rota_changes([shift_id])
