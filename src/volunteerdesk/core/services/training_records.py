"""Writing training records: one at a time, a renewal, or a whole session for many people.

Every write goes through ``services.editing`` (optimistic locking and the audit log).
The expiry date is computed here from the course's validity unless it was overridden, so
whatever a screen sends, what is stored follows the rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import AuditAction, TrainingCourse, TrainingRecord, TrainingStatus, Volunteer
from ..validation import InvalidValue, format_uk_date
from . import editing
from .records import (
    RecordSaved,
    check_expiry,
    check_not_future,
    computed_expiry,
    latest_current,
    volunteer_name,
)

FIELDS = (
    "course_id",
    "status",
    "completed_on",
    "booked_for",
    "expires_on",
    "expiry_overridden",
    "provider",
    "certificate_ref",
    "notes",
)
LIMITS = {"provider": 200, "certificate_ref": 100}


@dataclass(frozen=True)
class TrainingOpened:
    """A training record as an editor shows it."""

    record_id: int
    volunteer_id: int
    volunteer_name: str
    course_name: str
    values: dict[str, Any]
    version: int
    plain: dict[str, Any]
    renews_id: int | None


@dataclass(frozen=True)
class SessionRecorded:
    """The outcome of recording one training session for many volunteers."""

    course_name: str
    completed_on: date
    record_ids: tuple[int, ...]
    skipped: tuple[str, ...]  # names of people already recorded for that course that day
    changes: Changes

    @property
    def summary(self) -> str:
        n = len(self.record_ids)
        text = (
            f"Recorded {self.course_name} on {format_uk_date(self.completed_on)} "
            f"for {n} volunteer{'s' if n != 1 else ''}"
        )
        if self.skipped:
            text += f" ({len(self.skipped)} already recorded that day: {', '.join(self.skipped)})"
        return text


def _values(record: TrainingRecord) -> dict[str, Any]:
    return {key: getattr(record, key) for key in FIELDS}


def _changes(record_id: int) -> Changes:
    return Changes.of("training", ids=(("training", record_id),))


def _course(session: Session, course_id: Any, *, allow_inactive_id: int | None = None):
    if course_id is None:
        raise InvalidValue("Choose a course")
    course = session.get(TrainingCourse, course_id)
    if course is None:
        raise InvalidValue("This course no longer exists")
    if not course.active and course.id != allow_inactive_id:
        raise InvalidValue(f"{course.name} is no longer in use (it was deactivated)")
    return course


def check_training(
    session: Session,
    values: dict[str, Any],
    *,
    today: date | None = None,
    allow_inactive_id: int | None = None,
) -> dict[str, Any]:
    """The values to store, completed (expiry computed) and checked; raises InvalidValue."""
    today = today or date.today()
    checked = {key: values[key] for key in FIELDS if key in values}
    course = _course(session, checked.get("course_id"), allow_inactive_id=allow_inactive_id)
    status = TrainingStatus(checked.get("status") or TrainingStatus.COMPLETED)
    checked["status"] = status
    if status is TrainingStatus.COMPLETED:
        if checked.get("completed_on") is None:
            raise InvalidValue("Enter the date the course was completed")
        check_not_future(checked["completed_on"], "completion", today)
        checked["booked_for"] = None
    else:  # booked: not done yet, so no completion date (nor a computed expiry)
        if checked.get("booked_for") is None:
            raise InvalidValue("Enter the date the course is booked for")
        checked["completed_on"] = None
    check_expiry(checked, "completed_on", course.validity_months, "completion")
    for key in ("provider", "certificate_ref", "notes"):
        checked[key] = (checked.get(key) or "").strip()
    for key, limit in LIMITS.items():
        if len(checked[key]) > limit:
            raise InvalidValue(f"The {key.replace('_', ' ')} is longer than {limit} characters")
    checked["expiry_overridden"] = bool(checked.get("expiry_overridden"))
    return checked


def open_training(session: Session, record_id: int) -> TrainingOpened:
    record = session.get(TrainingRecord, record_id)
    if record is None:
        raise editing.RecordGone("This training record has been deleted by someone else.")
    return TrainingOpened(
        record_id=record.id,
        volunteer_id=record.volunteer_id,
        volunteer_name=record.volunteer.display_name,
        course_name=record.course.name,
        values=_values(record),
        version=record.version,
        plain=audit.column_values(record),
        renews_id=record.renews_id,
    )


def renewal_values(session: Session, record_id: int, today: date | None = None) -> dict[str, Any]:
    """A new record pre-filled from ``record_id``: same course and provider, completed
    today, expiry computed, linked back through ``renews_id``."""
    today = today or date.today()
    old = session.get(TrainingRecord, record_id)
    if old is None:
        raise editing.RecordGone("The training record to renew has been deleted.")
    return {
        "course_id": old.course_id,
        "status": TrainingStatus.COMPLETED,
        "completed_on": today,
        "booked_for": None,
        "expires_on": computed_expiry(today, old.course.validity_months),
        "expiry_overridden": False,
        "provider": old.provider,
        "certificate_ref": "",
        "notes": "",
        "renews_id": old.id,
    }


def _renewed_ids(session: Session, volunteer_ids: list[int]) -> set[int]:
    return set(
        session.scalars(
            select(TrainingRecord.renews_id).where(
                TrainingRecord.volunteer_id.in_(volunteer_ids),
                TrainingRecord.renews_id.is_not(None),
            )
        )
    )


def _check_renews(session: Session, volunteer_id: int, course_id: int, renews_id: int) -> None:
    old = session.get(TrainingRecord, renews_id)
    if old is None:
        raise InvalidValue("The record being renewed has been deleted")
    if old.volunteer_id != volunteer_id or old.course_id != course_id:
        raise InvalidValue("A renewal must be of the same course for the same volunteer")
    newer = session.scalar(select(TrainingRecord).where(TrainingRecord.renews_id == renews_id))
    if newer is not None:
        when = format_uk_date(newer.completed_on or newer.booked_for)
        raise InvalidValue(f"That record has already been renewed (by the record of {when})")


def _auto_renews(session: Session, volunteer_id: int, values: dict[str, Any]) -> int | None:
    """The volunteer's current record of the same course that this new one replaces."""
    candidates = session.execute(
        select(
            TrainingRecord.id,
            TrainingRecord.completed_on,
            TrainingRecord.booked_for,
        ).where(
            TrainingRecord.volunteer_id == volunteer_id,
            TrainingRecord.course_id == values["course_id"],
        )
    ).all()
    new_date = values.get("completed_on") or values.get("booked_for")
    return latest_current(
        [(rid, done or booked) for rid, done, booked in candidates],
        _renewed_ids(session, [volunteer_id]),
        new_date,
    )


def add_training(
    session: Session,
    username: str,
    volunteer_id: int,
    values: dict[str, Any],
    *,
    renews_id: int | None = None,
    today: date | None = None,
) -> RecordSaved:
    """Add a record. ``renews_id`` names the record it renews; without it, the
    volunteer's current record of the same course (if older) is the one replaced."""
    name = volunteer_name(session, volunteer_id)
    checked = check_training(session, values, today=today)
    if renews_id is not None:
        _check_renews(session, volunteer_id, checked["course_id"], renews_id)
    else:
        renews_id = _auto_renews(session, volunteer_id, checked)
    course = session.get(TrainingCourse, checked["course_id"])
    verb = "Renewed" if renews_id is not None else "Added"
    record = editing.create(
        session,
        TrainingRecord,
        {**checked, "volunteer_id": volunteer_id, "renews_id": renews_id},
        username,
        summary=f"{verb} {course.name} for {name}",
    )
    return RecordSaved(record.id, record.version, _changes(record.id), audit.column_values(record))


def update_training(
    session: Session,
    username: str,
    record_id: int,
    version: int,
    changed: dict[str, Any],
    *,
    opened: dict[str, Any] | None = None,
    today: date | None = None,
) -> RecordSaved:
    """Apply the fields the user changed, re-checking the whole record (and its expiry)."""
    record = session.get(TrainingRecord, record_id)
    if record is None or record.version != version:
        editing.update(session, TrainingRecord, record_id, version, {}, username, opened=opened)
    merged = {**_values(record), **{k: v for k, v in changed.items() if k in FIELDS}}
    checked = check_training(session, merged, today=today, allow_inactive_id=record.course_id)
    current = _values(record)
    to_write = {k: v for k, v in checked.items() if current.get(k) != v}
    record = editing.update(
        session,
        TrainingRecord,
        record_id,
        version,
        to_write,
        username,
        opened=opened,
        summary=f"Updated {record.course.name} for {record.volunteer.display_name}",
    )
    return RecordSaved(record.id, record.version, _changes(record.id), audit.column_values(record))


def record_training_session(
    session: Session,
    username: str,
    course_id: int,
    completed_on: date | None,
    volunteer_ids: list[int],
    *,
    provider: str = "",
    notes: str = "",
    today: date | None = None,
) -> SessionRecorded:
    """One session attended by many: a completed record each, in this one unit of work.

    Each new record renews the person's current record of the course; anyone already
    recorded for this course on this day is skipped (and named) rather than doubled.
    """
    today = today or date.today()
    course = _course(session, course_id)
    if completed_on is None:
        raise InvalidValue("Enter the date of the session")
    check_not_future(completed_on, "session", today)
    ids = list(dict.fromkeys(volunteer_ids))
    if not ids:
        raise InvalidValue("Choose at least one volunteer who attended")
    people = {
        v.id: v.display_name
        for v in session.scalars(select(Volunteer).where(Volunteer.id.in_(ids)))
    }
    missing = [vid for vid in ids if vid not in people]
    if missing:
        raise InvalidValue(f"{len(missing)} of the chosen volunteers no longer exist")
    existing: dict[int, list[tuple[int, date | None]]] = defaultdict(list)
    already: set[int] = set()
    for rid, vid, done, booked in session.execute(
        select(
            TrainingRecord.id,
            TrainingRecord.volunteer_id,
            TrainingRecord.completed_on,
            TrainingRecord.booked_for,
        ).where(TrainingRecord.course_id == course.id, TrainingRecord.volunteer_id.in_(ids))
    ):
        existing[vid].append((rid, done or booked))
        if done == completed_on:
            already.add(vid)
    renewed = _renewed_ids(session, ids)
    values = check_training(
        session,
        {
            "course_id": course.id,
            "status": TrainingStatus.COMPLETED,
            "completed_on": completed_on,
            "provider": provider,
            "notes": notes,
        },
        today=today,
    )
    created = []
    for vid in ids:
        if vid in already:
            continue
        renews = latest_current(existing[vid], renewed, completed_on)
        record = editing.create(
            session,
            TrainingRecord,
            {**values, "volunteer_id": vid, "renews_id": renews},
            username,
            summary=f"Recorded {course.name} for {people[vid]} (training session)",
        )
        created.append(record.id)
    result = SessionRecorded(
        course_name=course.name,
        completed_on=completed_on,
        record_ids=tuple(created),
        skipped=tuple(sorted(people[v] for v in already)),
        changes=Changes.of("training", ids=tuple(("training", r) for r in created)),
    )
    audit.record(
        session,
        username,
        AuditAction.CREATE,
        TrainingRecord.__tablename__,
        None,
        result.summary,
        {"volunteer_ids": [None, [v for v in ids if v not in already]]},
    )
    return result


def latest_by_volunteer(session: Session, course_id: int) -> dict[int, tuple[date, date | None]]:
    """Each volunteer's latest completion of a course: (completed on, expires on).

    For the bulk entry list, so the manager sees who is due."""
    rows = session.execute(
        select(
            TrainingRecord.volunteer_id, TrainingRecord.completed_on, TrainingRecord.expires_on
        ).where(TrainingRecord.course_id == course_id, TrainingRecord.completed_on.is_not(None))
    ).all()
    latest: dict[int, tuple[date, date | None]] = {}
    for vid, done, expires in rows:
        if vid not in latest or latest[vid][0] < done:
            latest[vid] = (done, expires)
    return latest


def replaced_training(session: Session, volunteer_id: int) -> set[int]:
    """Ids of the volunteer's training records that a completed renewal has replaced.

    A renewal that is only booked leaves the old record in force, so it is not replaced.
    """
    query = select(TrainingRecord.renews_id).where(
        TrainingRecord.volunteer_id == volunteer_id,
        TrainingRecord.renews_id.is_not(None),
        TrainingRecord.status == TrainingStatus.COMPLETED,
    )
    return set(session.scalars(query))
