"""Changing the rota by hand: one-off shifts, assignments checked against the rules,
attendance and a desk session's outcome.

Every write goes through ``editing`` (optimistic locking and the audit log) or writes
its own ``audit`` entry. An assignment that breaks a rule is refused with the reasons
(``RuleBroken``) unless the manager gives an override reason: it is then stored on the
assignment and written to the audit log as an OVERRIDE, with the rules it breaks.
The rules are those of ``scheduling.eligibility``, read fresh from the database for
each change, so two managers cannot book the same person twice at the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import (
    Assignment,
    AssignmentStatus,
    AuditAction,
    Shift,
    ShiftStatus,
    Volunteer,
)
from ..scheduling.eligibility import Reason, RotaData, Rule
from . import editing
from .desk_outcome import record_outcome
from .shift_edit import (
    ROSTERED,
    RotaError,
    ShiftResult,
    add_shift,
    cancel_shift,
    describe_shift,
    get_assignment,
    get_shift,
    move_shift,
    restore_shift,
    rota_changes,
)

__all__ = [
    "ROSTERED",
    "AssignResult",
    "RotaError",
    "RuleBroken",
    "ShiftResult",
    "add_shift",
    "assign",
    "cancel_shift",
    "check",
    "move_assignment",
    "move_shift",
    "record_outcome",
    "restore_shift",
    "set_locked",
    "set_status",
    "swap_assignments",
    "unassign",
]

_KEEP = object()


class RuleBroken(Exception):
    """The assignment breaks a rule: give an override reason to make it anyway."""

    def __init__(self, volunteer: str, shift: str, reasons: list[Reason]):
        self.volunteer = volunteer
        self.shift = shift
        self.reasons = tuple(reasons)
        super().__init__(
            f"{volunteer} cannot take {shift}: "
            + "; ".join(r.text for r in reasons)
            + ". Give a reason to override."
        )


@dataclass(frozen=True)
class AssignResult:
    assignment_id: int
    overridden: tuple[str, ...]  # the rules broken, in words, when overridden
    changes: Changes


# ----- assignments ------------------------------------------------------------------------
def check(
    session: Session, shift_id: int, volunteer_id: int, *, leaving: int | None = None
) -> list[Reason]:
    """Every rule the volunteer would break on the shift (empty: none), read fresh.
    ``leaving``: an assignment of theirs that the change gives up (a move or a swap)."""
    shift = get_shift(session, shift_id)
    data = RotaData.load(session, shift.date, shift.date, shift.post.site_id, also=[volunteer_id])
    if leaving is not None:
        _forget(data, session, leaving)
    info = data.shifts[shift_id]
    return [r for r in data.reasons(volunteer_id, info) if r.rule is not Rule.DECLINED]


def _forget(data: RotaData, session: Session, assignment_id: int) -> None:
    """Count an assignment as given up: no booking then, one fewer in its month."""
    a = session.get(Assignment, assignment_id)
    if a is None or a.status == AssignmentStatus.DECLINED:
        return
    day = a.shift.date
    key = (a.volunteer_id, day)
    data.bookings[key] = [b for b in data.bookings.get(key, ()) if b.shift_id != a.shift_id]
    month = (a.volunteer_id, (day.year, day.month))
    if data.month_counts.get(month, 0) and a.shift.status == ShiftStatus.SCHEDULED:
        data.month_counts[month] -= 1
    data.on_shift.get(a.shift_id, {}).pop(a.volunteer_id, None)


def _guard(
    session: Session, shift: Shift, volunteer_id: int, override_reason: str, leaving=None
) -> list[Reason]:
    if shift.status == ShiftStatus.CANCELLED:
        raise RotaError("This session is cancelled.")
    taken = [
        a for a in shift.assignments if a.status != AssignmentStatus.DECLINED and a.id != leaving
    ]
    if any(a.volunteer_id == volunteer_id for a in taken):
        raise RotaError("They are already on this session.")
    maximum = (
        shift.max_volunteers if shift.max_volunteers is not None else shift.post.max_volunteers
    )
    if len(taken) >= maximum:
        raise RotaError(f"This session already has its maximum of {maximum} volunteers.")
    broken = check(session, shift.id, volunteer_id, leaving=leaving)
    if broken and not override_reason.strip():
        volunteer = session.get(Volunteer, volunteer_id)
        name = volunteer.display_name if volunteer else str(volunteer_id)
        raise RuleBroken(name, describe_shift(shift), broken)
    return broken


def _audit_override(session, username, assignment_id, shift, name, broken, reason) -> None:
    texts = "; ".join(r.text for r in broken)
    audit.record(
        session,
        username,
        AuditAction.OVERRIDE,
        Assignment.__tablename__,
        assignment_id,
        f"Assigned {name} to {describe_shift(shift)} despite: {texts}",
        {"override_reason": [None, reason.strip()], "rules broken": [None, texts]},
    )


def assign(
    session: Session,
    shift_id: int,
    volunteer_id: int,
    username: str,
    *,
    override_reason: str = "",
    status: AssignmentStatus = AssignmentStatus.CONFIRMED,
) -> AssignResult:
    """Put a volunteer on a shift: refused with ``RuleBroken`` when it breaks a rule,
    unless ``override_reason`` says why it should happen anyway."""
    shift = get_shift(session, shift_id)
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None:
        raise editing.RecordGone("This volunteer has been deleted by someone else.")
    broken = _guard(session, shift, volunteer_id, override_reason)
    reason = override_reason.strip() if broken else ""
    declined = next(
        (a for a in shift.assignments if a.volunteer_id == volunteer_id), None
    )  # only a declined one can be left after the guard
    values = {"status": status, "override_reason": reason}
    if declined is not None:
        found = editing.update(
            session,
            Assignment,
            declined.id,
            declined.version,
            values,
            username,
            summary=f"Assigned {volunteer.display_name} to {describe_shift(shift)} again",
        )
    else:
        found = editing.create(
            session,
            Assignment,
            {"shift_id": shift_id, "volunteer_id": volunteer_id, "created_by": username, **values},
            username,
            summary=f"Assigned {volunteer.display_name} to {describe_shift(shift)}",
        )
    if broken:
        _audit_override(session, username, found.id, shift, volunteer.display_name, broken, reason)
    return AssignResult(
        found.id, tuple(r.text for r in broken), rota_changes([shift_id], [found.id])
    )


def unassign(session: Session, assignment_id: int, expected_version: int, username: str) -> Changes:
    a = get_assignment(session, assignment_id)
    shift_id, text = (
        a.shift_id,
        f"Removed {a.volunteer.display_name} from {describe_shift(a.shift)}",
    )
    editing.delete(session, Assignment, assignment_id, expected_version, username, summary=text)
    return rota_changes([shift_id], [assignment_id])


def move_assignment(
    session: Session,
    assignment_id: int,
    expected_version: int,
    to_shift_id: int,
    username: str,
    *,
    override_reason: str = "",
) -> AssignResult:
    """Move a volunteer from one shift to another, checked against the rules there."""
    a = get_assignment(session, assignment_id)
    source = a.shift
    target = get_shift(session, to_shift_id)
    if target.id == source.id:
        raise RotaError("That is the session they are already on.")
    broken = _guard(session, target, a.volunteer_id, override_reason, leaving=assignment_id)
    reason = override_reason.strip() if broken else a.override_reason
    editing.update(
        session,
        Assignment,
        assignment_id,
        expected_version,
        {"shift_id": target.id, "override_reason": reason},
        username,
        summary=f"Moved {a.volunteer.display_name} from {describe_shift(source)} to {describe_shift(target)}",
    )
    if broken:
        _audit_override(
            session, username, assignment_id, target, a.volunteer.display_name, broken, reason
        )
    return AssignResult(
        assignment_id,
        tuple(r.text for r in broken),
        rota_changes([source.id, target.id], [assignment_id]),
    )


def swap_assignments(
    session: Session,
    first_id: int,
    first_version: int,
    second_id: int,
    second_version: int,
    username: str,
    *,
    override_reason: str = "",
) -> Changes:
    """Swap two volunteers between their shifts, each checked on the other's shift."""
    first, second = get_assignment(session, first_id), get_assignment(session, second_id)
    if first.shift_id == second.shift_id:
        raise RotaError("Both are on the same session.")
    if first.volunteer_id == second.volunteer_id:
        raise RotaError("That is the same volunteer.")
    a_shift, b_shift = first.shift, second.shift
    problems = []
    for mine, theirs, shift in ((first, second, b_shift), (second, first, a_shift)):
        if any(
            x.volunteer_id == mine.volunteer_id and x.id != theirs.id for x in shift.assignments
        ):
            raise RotaError(f"{mine.volunteer.display_name} is already on {describe_shift(shift)}.")
        broken = check(session, shift.id, mine.volunteer_id, leaving=mine.id)
        problems.append((mine, shift, broken))
    if any(b for *_, b in problems) and not override_reason.strip():
        mine, shift, broken = next(p for p in problems if p[2])
        raise RuleBroken(mine.volunteer.display_name, describe_shift(shift), broken)
    editing.update(
        session, Assignment, first_id, first_version, {"shift_id": b_shift.id}, username,
        summary=f"Swapped {first.volunteer.display_name} to {describe_shift(b_shift)}",
    )  # fmt: skip
    editing.update(
        session, Assignment, second_id, second_version, {"shift_id": a_shift.id}, username,
        summary=f"Swapped {second.volunteer.display_name} to {describe_shift(a_shift)}",
    )  # fmt: skip
    for mine, shift, broken in problems:
        if broken:
            session.get(Assignment, mine.id).override_reason = override_reason.strip()
            _audit_override(
                session, username, mine.id, shift, mine.volunteer.display_name, broken,
                override_reason,
            )  # fmt: skip
    return rota_changes([a_shift.id, b_shift.id], [first_id, second_id])


def set_locked(
    session: Session, assignment_id: int, expected_version: int, locked: bool, username: str
) -> Changes:
    """Lock an assignment so that auto-fill leaves it alone (or unlock it)."""
    a = get_assignment(session, assignment_id)
    verb = "Locked" if locked else "Unlocked"
    editing.update(
        session,
        Assignment,
        assignment_id,
        expected_version,
        {"locked": locked},
        username,
        summary=f"{verb} {a.volunteer.display_name} on {describe_shift(a.shift)}",
    )
    return rota_changes([a.shift_id], [assignment_id])


def set_status(
    session: Session,
    assignment_id: int,
    expected_version: int,
    status: AssignmentStatus,
    username: str,
    *,
    hours: Decimal | float | None | object = _KEEP,
    override_reason: str = "",
) -> Changes:
    """Confirmed, declined, attended or no-show, and the hours given. Attended with no
    hours given records the session's length. Taking back a declined place is checked
    against the rules like a new assignment."""
    a = get_assignment(session, assignment_id)
    status = AssignmentStatus(status)
    values: dict = {"status": status}
    if a.status == AssignmentStatus.DECLINED and status in ROSTERED:
        broken = check(session, a.shift_id, a.volunteer_id, leaving=a.id)
        if broken and not override_reason.strip():
            raise RuleBroken(a.volunteer.display_name, describe_shift(a.shift), broken)
        if broken:
            values["override_reason"] = override_reason.strip()
            _audit_override(
                session, username, a.id, a.shift, a.volunteer.display_name, broken, override_reason
            )
    if hours is not _KEEP:
        values["hours"] = None if hours is None else Decimal(str(hours)).quantize(Decimal("0.01"))
    elif status == AssignmentStatus.ATTENDED and a.hours is None:
        values["hours"] = _length(a.shift)
    elif status in (AssignmentStatus.NO_SHOW, AssignmentStatus.DECLINED):
        values["hours"] = None
    if values.get("hours") is not None and values["hours"] < 0:
        raise RotaError("Hours cannot be negative.")
    editing.update(
        session,
        Assignment,
        assignment_id,
        expected_version,
        values,
        username,
        summary=f"{a.volunteer.display_name} on {describe_shift(a.shift)}: {status.value.replace('_', ' ')}",
    )
    return rota_changes([a.shift_id], [assignment_id])


def _length(shift: Shift) -> Decimal:
    day = shift.date
    minutes = (
        datetime.combine(day, shift.end_time) - datetime.combine(day, shift.start_time)
    ).seconds // 60
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))
