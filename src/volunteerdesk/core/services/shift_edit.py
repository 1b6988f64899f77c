"""Sessions by hand: add a one-off, cancel, restore, or move one to another date or time.

Every write goes through ``editing`` (optimistic locking and the audit log). A session
made from a pattern that moves to another date is cancelled where it was, with a note,
and a one-off takes its place and its people: generating shifts again then does not
bring the old one back (see ``scheduling.generate``). ``rota_edit`` re-exports these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..changes import Changes
from ..models import Assignment, AssignmentStatus, Post, Shift, ShiftStatus
from ..scheduling.eligibility import RotaData
from ..validation import format_uk_date
from . import editing

ROSTERED = (AssignmentStatus.PROPOSED, AssignmentStatus.CONFIRMED)


class RotaError(ValueError):
    """A change that cannot be made; the message is for the user."""


@dataclass(frozen=True)
class ShiftResult:
    shift_id: int
    changes: Changes
    problems: tuple[str, ...] = ()  # assignments that break a rule at the new time


def rota_changes(shift_ids=(), assignment_ids=()) -> Changes:
    ids = tuple(("shifts", i) for i in shift_ids) + tuple(
        ("assignments", i) for i in assignment_ids
    )
    subjects = ["shifts"] + (["assignments"] if assignment_ids else [])
    return Changes.of(*subjects, ids=ids)


def describe_shift(shift: Shift) -> str:
    return (
        f"{shift.post.name} on {format_uk_date(shift.date)} "
        f"{shift.start_time:%H:%M}–{shift.end_time:%H:%M}"
    )


def get_shift(session: Session, shift_id: int) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise editing.RecordGone("This session has been deleted by someone else.")
    return shift


def get_assignment(session: Session, assignment_id: int) -> Assignment:
    found = session.get(Assignment, assignment_id)
    if found is None:
        raise editing.RecordGone("This assignment has been removed by someone else.")
    return found


# ----- one-off shifts ---------------------------------------------------------------------
def add_shift(
    session: Session,
    post_id: int,
    day: date,
    start: time,
    end: time,
    username: str,
    *,
    min_volunteers: int | None = None,
    max_volunteers: int | None = None,
    notes: str = "",
) -> ShiftResult:
    """A one-off session of a post (a Saturday remand court, a Christmas Day service)."""
    post = session.get(Post, post_id)
    if post is None:
        raise RotaError("That post no longer exists.")
    _check_times(session, post_id, day, start, end)
    if (
        min_volunteers is not None
        and max_volunteers is not None
        and max_volunteers < min_volunteers
    ):
        raise RotaError("The maximum is below the minimum.")
    shift = editing.create(
        session,
        Shift,
        {
            "post_id": post_id,
            "date": day,
            "start_time": start,
            "end_time": end,
            "one_off": True,
            "min_volunteers": min_volunteers,
            "max_volunteers": max_volunteers,
            "notes": notes.strip(),
        },
        username,
        summary=f"Added a one-off session of {post.name} on {format_uk_date(day)} {start:%H:%M}",
    )
    return ShiftResult(shift.id, rota_changes([shift.id]))


def _check_times(
    session: Session, post_id: int, day: date, start: time, end: time, but: int | None = None
) -> None:
    if end <= start:
        raise RotaError("A session must end after it starts.")
    clash = session.scalar(
        select(Shift.id).where(
            Shift.post_id == post_id, Shift.date == day, Shift.start_time == start
        )
    )
    if clash is not None and clash != but:
        raise RotaError(
            f"This post already has a session on {format_uk_date(day)} at {start:%H:%M}."
        )


def cancel_shift(
    session: Session, shift_id: int, expected_version: int, username: str, reason: str = ""
) -> Changes:
    """Cancel a session; its assignments stay on record, no longer rostered."""
    shift = get_shift(session, shift_id)
    notes = reason.strip() or shift.notes
    editing.update(
        session,
        Shift,
        shift_id,
        expected_version,
        {"status": ShiftStatus.CANCELLED, "notes": notes},
        username,
        summary=f"Cancelled {describe_shift(shift)}",
    )
    return rota_changes([shift_id])


def restore_shift(session: Session, shift_id: int, expected_version: int, username: str) -> Changes:
    shift = get_shift(session, shift_id)
    editing.update(
        session,
        Shift,
        shift_id,
        expected_version,
        {"status": ShiftStatus.SCHEDULED},
        username,
        summary=f"Restored {describe_shift(shift)}",
    )
    return rota_changes([shift_id])


def move_shift(
    session: Session,
    shift_id: int,
    expected_version: int,
    day: date,
    start: time,
    end: time,
    username: str,
) -> ShiftResult:
    """Move a session to another date or time, with the people on it.

    A session made from a pattern that moves to another date is cancelled where it was
    ("Moved to ...") and a one-off made at the new date takes its assignments: the
    pattern does not make it again there the next time shifts are generated.
    Assignments that break a rule at the new time are listed in ``problems``.
    """
    shift = get_shift(session, shift_id)
    if shift.version != expected_version:
        editing.update(session, Shift, shift_id, expected_version, {}, username)  # raises
    _check_times(session, shift.post_id, day, start, end, but=shift.id)
    where = f"{format_uk_date(day)} {start:%H:%M}–{end:%H:%M}"
    if shift.one_off or day == shift.date:
        editing.update(
            session,
            Shift,
            shift_id,
            expected_version,
            {"date": day, "start_time": start, "end_time": end},
            username,
            summary=f"Moved {describe_shift(shift)} to {where}",
        )
        target, moved = shift, [a.id for a in shift.assignments]
    else:
        target = editing.create(
            session,
            Shift,
            {
                "post_id": shift.post_id,
                "date": day,
                "start_time": start,
                "end_time": end,
                "one_off": True,
                "min_volunteers": shift.min_volunteers,
                "max_volunteers": shift.max_volunteers,
                "notes": shift.notes,
            },
            username,
            summary=f"Moved {describe_shift(shift)} to {where}",
        )
        moved = []
        for a in list(shift.assignments):
            editing.update(
                session,
                Assignment,
                a.id,
                a.version,
                {"shift_id": target.id},
                username,
                summary=f"Moved with the session to {where}",
            )
            moved.append(a.id)
        editing.update(
            session,
            Shift,
            shift_id,
            expected_version,
            {"status": ShiftStatus.CANCELLED, "notes": f"Moved to {where}"},
            username,
            summary=f"Moved {describe_shift(shift)} to {where}",
        )
    session.flush()
    session.expire_all()
    data = RotaData.load(session, day, day, get_shift(session, target.id).post.site_id)
    problems = []
    for vid, status in data.on_shift.get(target.id, {}).items():
        if status in ROSTERED:
            broken = data.reasons(vid, data.shifts[target.id])
            if broken:
                problems.append(f"{data.name(vid)}: " + "; ".join(r.text for r in broken))
    return ShiftResult(
        target.id, rota_changes({shift_id, target.id}, moved), tuple(sorted(problems))
    )
