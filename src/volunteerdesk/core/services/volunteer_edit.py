"""Saving volunteers: create, update, archive and delete, each audited and conflict-checked.

A volunteer's record is the row plus its lists: roles, sites served, weekly availability,
unavailability periods and the endorsement by the sending community. The row's
``version`` guards the whole record: saving any part of it bumps the version, so a second
editor that opened the same record is refused with a ``ConflictError`` naming what the
first person changed (lists included, as text).

Values use the keys an editor uses: the column names, plus ``role_ids``, ``site_ids``,
``availability`` (``Slot``\\ s), ``unavailability`` (``Period``\\ s), ``endorsed_by`` and
``endorsed_on``. Rules enforced here as well as in the window: names required, e-mail and
UK phone formats, a left date not before the start date, "left" needs a left date, and
faith kept only with consent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import (
    Assignment,
    AssignmentStatus,
    AuditAction,
    Endorsement,
    RiskOutcome,
    Role,
    Shift,
    Site,
    Unavailability,
    Volunteer,
    VolunteerStatus,
    WeeklyAvailability,
)
from ..models import Session as DaySession
from ..models.base import utcnow
from ..validation import InvalidValue, check_email, check_uk_phone, format_uk_date, require
from . import editing
from .editing import ConflictError, FieldChange, RecordGone

COLUMN_KEYS = frozenset(
    {
        "title",
        "first_name",
        "last_name",
        "badge_name",
        "date_of_birth",
        "email",
        "phone",
        "address",
        "postcode",
        "emergency_contact_name",
        "emergency_contact_phone",
        "emergency_contact_relation",
        "status",
        "status_since",
        "started_on",
        "left_on",
        "community_id",
        "faith_id",
        "faith_consent",
        "faith_consent_on",
        "languages",
        "key_holder",
        "max_shifts_per_month",
        "risk_assessment_outcome",
        "risk_assessment_on",
        "notes",
    }
)
LIST_KEYS = ("role_ids", "site_ids", "availability", "unavailability")
ENDORSEMENT_KEYS = ("endorsed_by", "endorsed_on")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, order=True)
class Slot:
    """A regular session the volunteer can give; fortnightly ones count from ``anchor_date``."""

    weekday: int  # Monday = 0
    session: str  # "morning", "afternoon" or "evening"
    every_n_weeks: int = 1
    anchor_date: date | None = None

    def normal(self) -> Slot:
        """The same slot written one way: no anchor if weekly, else the day in its week."""
        if self.every_n_weeks != 2 or self.anchor_date is None:
            return Slot(self.weekday, self.session, self.every_n_weeks, None)
        monday = self.anchor_date - timedelta(days=self.anchor_date.weekday())
        return Slot(self.weekday, self.session, 2, monday + timedelta(days=self.weekday))

    def text(self) -> str:
        when = f"{WEEKDAYS[self.weekday][:3]} {self.session}"
        if self.every_n_weeks == 2:
            return f"{when} fortnightly from {format_uk_date(self.anchor_date)}"
        return f"{when} weekly"


@dataclass(frozen=True, order=True)
class Period:
    """Dates (inclusive) the volunteer cannot come."""

    start_date: date
    end_date: date
    reason: str = ""

    def text(self) -> str:
        dates = f"{format_uk_date(self.start_date)} to {format_uk_date(self.end_date)}"
        return f"{dates} ({self.reason})" if self.reason else dates


@dataclass(frozen=True)
class VolunteerRecord:
    """What an editor loads: the values, the version and the snapshot for conflicts."""

    id: int
    version: int
    title: str
    values: dict[str, Any]
    opened: dict[str, Any]
    endorsements: dict[int, tuple[str, date | None]]  # community id -> (by, on)


@dataclass(frozen=True)
class SaveResult:
    volunteer_id: int
    version: int
    changes: Changes
    opened: dict[str, Any]  # the snapshot after saving: the base for the next conflict check


@dataclass(frozen=True)
class DeletionCheck:
    name: str
    attended: int  # shifts attended (or confirmed on a past date)
    upcoming: int  # assignments from today on

    @property
    def allowed(self) -> bool:
        return self.attended == 0


class CannotDelete(Exception):
    """The volunteer has a history worth keeping: archive them instead."""


# ----- rules ------------------------------------------------------------------------------
def check_left_on(status: str | None, started_on: date | None, left_on: date | None) -> None:
    """The rules on the left date; raises ``InvalidValue`` with the message for the user."""
    if left_on is not None and started_on is not None and left_on < started_on:
        raise InvalidValue(f"The left date cannot be before the start date ({started_on:%d/%m/%Y})")
    if status == VolunteerStatus.LEFT and left_on is None:
        raise InvalidValue("Give the date they left (the status is Left)")


def check_values(values: Mapping[str, Any]) -> None:
    """Every rule on a whole record; raises ``InvalidValue`` naming the first problem."""
    require(values.get("first_name") or "", "First name")
    require(values.get("last_name") or "", "Last name")
    check_email(values.get("email") or "")
    check_uk_phone(values.get("phone") or "")
    check_uk_phone(values.get("emergency_contact_phone") or "")
    check_left_on(_status(values.get("status")), values.get("started_on"), values.get("left_on"))
    if (values.get("max_shifts_per_month") or 0) < 0:
        raise InvalidValue("The most shifts a month cannot be negative")
    for slot in values.get("availability") or ():
        if slot.every_n_weeks == 2 and slot.anchor_date is None:
            raise InvalidValue("A fortnightly slot needs the week the fortnight starts")
    for period in values.get("unavailability") or ():
        if period.end_date < period.start_date:
            raise InvalidValue(f"{period.text()}: the end is before the start")


def _status(value: Any) -> str | None:
    return None if value is None else VolunteerStatus(value).value


def _column(key: str, value: Any) -> Any:
    if key == "status":
        return VolunteerStatus(value)
    if key == "risk_assessment_outcome":
        return RiskOutcome(value) if value else None
    if key in {"phone", "emergency_contact_phone"}:
        return check_uk_phone(value or "")  # stored with its spacing tidied
    if key == "email":
        return check_email(value or "")
    if isinstance(value, str) and key not in {"notes", "address"}:
        return value.strip()
    return value


# ----- reading for an editor -----------------------------------------------------------------
def _endorsement(v: Volunteer) -> tuple[str, date | None]:
    for e in v.endorsements:
        if e.community_id == v.community_id:
            return e.endorsed_by, e.endorsed_on
    return "", None


def current_values(v: Volunteer) -> dict[str, Any]:
    """The record as an editor shows it: columns, lists and the endorsement."""
    values = {key: getattr(v, key) for key in COLUMN_KEYS}
    values["status"] = VolunteerStatus(v.status).value
    values["risk_assessment_outcome"] = (
        RiskOutcome(v.risk_assessment_outcome).value if v.risk_assessment_outcome else None
    )
    if not v.faith_consent:
        values["faith_id"] = None  # never shown, even if an old row holds one
    values["role_ids"] = tuple(sorted(r.id for r in v.roles))
    values["site_ids"] = tuple(sorted(s.id for s in v.sites))
    values["availability"] = tuple(
        sorted(
            Slot(a.weekday, DaySession(a.session).value, a.every_n_weeks, a.anchor_date).normal()
            for a in v.availability
        )
    )
    values["unavailability"] = tuple(
        sorted(Period(u.start_date, u.end_date, u.reason) for u in v.unavailability)
    )
    values["endorsed_by"], values["endorsed_on"] = _endorsement(v)
    return values


def snapshot(v: Volunteer) -> dict[str, Any]:
    """Plain values of the whole record, lists as text: what conflicts are checked against."""
    plain = audit.column_values(v)
    plain["role_ids"] = ", ".join(sorted(r.name for r in v.roles))
    plain["site_ids"] = ", ".join(sorted(s.name for s in v.sites))
    values = current_values(v)
    plain["availability"] = "; ".join(slot.text() for slot in values["availability"])
    plain["unavailability"] = "; ".join(p.text() for p in values["unavailability"])
    by, on = values["endorsed_by"], values["endorsed_on"]
    plain["endorsed_by"], plain["endorsed_on"] = by, on.isoformat() if on else None
    return plain


def load_for_edit(session: Session, volunteer_id: int) -> VolunteerRecord | None:
    v = session.get(Volunteer, volunteer_id)
    if v is None:
        return None
    return VolunteerRecord(
        id=v.id,
        version=v.version,
        title=f"{v.display_name} — volunteer",
        values=current_values(v),
        opened=snapshot(v),
        endorsements={e.community_id: (e.endorsed_by, e.endorsed_on) for e in v.endorsements},
    )


# ----- writing ----------------------------------------------------------------------------------
def _names(session: Session, model: type, ids: tuple[int, ...]) -> list[Any]:
    if not ids:
        return []
    return list(session.scalars(select(model).where(model.id.in_(ids))))


def _set_lists(session: Session, v: Volunteer, values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Replace the lists given in ``values``; returns the audit changes as text."""
    before = snapshot(v)
    if "role_ids" in values:
        v.roles = _names(session, Role, tuple(values["role_ids"]))
    if "site_ids" in values:
        v.sites = _names(session, Site, tuple(values["site_ids"]))
    if "availability" in values:
        wanted = {slot.normal() for slot in values["availability"]}
        for row in list(v.availability):
            slot = Slot(
                row.weekday, DaySession(row.session).value, row.every_n_weeks, row.anchor_date
            ).normal()
            if slot in wanted:
                wanted.discard(slot)
            else:
                v.availability.remove(row)
        session.flush()  # a slot moved to fortnightly must leave before its new row arrives
        for slot in sorted(wanted):
            v.availability.append(
                WeeklyAvailability(
                    weekday=slot.weekday,
                    session=DaySession(slot.session),
                    every_n_weeks=slot.every_n_weeks,
                    anchor_date=slot.anchor_date if slot.every_n_weeks == 2 else None,
                )
            )
    if "unavailability" in values:
        wanted = set(values["unavailability"])
        for row in list(v.unavailability):
            period = Period(row.start_date, row.end_date, row.reason)
            if period in wanted:
                wanted.discard(period)
            else:
                v.unavailability.remove(row)
        for period in sorted(wanted):
            v.unavailability.append(
                Unavailability(
                    start_date=period.start_date, end_date=period.end_date, reason=period.reason
                )
            )
    session.flush()
    session.expire(v, ["roles", "sites", "availability", "unavailability"])
    after = snapshot(v)
    labels = {
        "role_ids": "roles",
        "site_ids": "sites",
        "availability": "availability",
        "unavailability": "unavailability",
    }
    return {
        label: [before[key], after[key]]
        for key, label in labels.items()
        if before[key] != after[key]
    }


def _set_endorsement(session: Session, v: Volunteer, values: Mapping[str, Any], user: str) -> None:
    """Record who in the sending community endorsed them, and when (audited as its own row)."""
    if v.community_id is None or not any(k in values for k in ENDORSEMENT_KEYS):
        return
    existing = next((e for e in v.endorsements if e.community_id == v.community_id), None)
    by = (values.get("endorsed_by", existing.endorsed_by if existing else "") or "").strip()
    on = values.get("endorsed_on", existing.endorsed_on if existing else None)
    summary = f"Endorsement of {v.display_name}"
    if existing is None:
        if by or on is not None:
            fields = {"volunteer_id": v.id, "community_id": v.community_id}
            editing.create(session, Endorsement, fields | {"endorsed_by": by, "endorsed_on": on},
                           user, summary)  # fmt: skip
    elif not by and on is None:
        editing.delete(session, Endorsement, existing.id, None, user, f"{summary} removed")
    elif (existing.endorsed_by, existing.endorsed_on) != (by, on):
        editing.update(session, Endorsement, existing.id, existing.version,
                       {"endorsed_by": by, "endorsed_on": on}, user, summary=summary)  # fmt: skip
    session.expire(v, ["endorsements"])


def _changes(v: Volunteer, touched: set[str]) -> Changes:
    subjects = ["volunteers"]
    if touched & {"community_id", "endorsed_by", "endorsed_on"}:
        subjects.append("communities")
    return Changes.of(*subjects, ids=(("volunteers", v.id),))


def _columns(v: Volunteer | None, values: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The column values to write, with the derived ones: consent, status since."""
    columns = {k: _column(k, values[k]) for k in values if k in COLUMN_KEYS}
    consent = columns.get("faith_consent", v.faith_consent if v else False)
    if not consent:
        if v is None or v.faith_id is not None or "faith_id" in columns:
            columns["faith_id"] = None
        if v is None or v.faith_consent_on is not None or "faith_consent_on" in columns:
            columns["faith_consent_on"] = None
    elif columns.get("faith_consent_on", v.faith_consent_on if v else None) is None:
        columns["faith_consent_on"] = today
    status_changed = "status" in columns and (v is None or columns["status"] != v.status)
    if status_changed and not columns.get("status_since"):
        since = columns.get("left_on") if columns["status"] == VolunteerStatus.LEFT else None
        columns["status_since"] = since or today
    return columns


def create_volunteer(
    session: Session, values: Mapping[str, Any], username: str, *, today: date | None = None
) -> SaveResult:
    today = today or date.today()
    check_values(values)
    columns = _columns(None, values, today)
    columns.setdefault("status", VolunteerStatus.ENQUIRY)
    columns.setdefault("status_since", today)
    v = editing.create(
        session,
        Volunteer,
        columns,
        username,
        summary=f"Created volunteer {columns['first_name']} {columns['last_name']}",
    )
    lists = _set_lists(session, v, {k: values[k] for k in LIST_KEYS if k in values})
    if lists:
        audit.record(session, username, AuditAction.CREATE, "volunteers", v.id, "Set lists", lists)
    _set_endorsement(session, v, values, username)
    session.flush()
    return SaveResult(v.id, v.version, _changes(v, set(values)), snapshot(v))


def update_volunteer(
    session: Session,
    volunteer_id: int,
    expected_version: int,
    changes: Mapping[str, Any],
    username: str,
    *,
    opened: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> SaveResult:
    """Save ``changes`` if the record is still at ``expected_version``; else ConflictError.

    ``opened`` is the snapshot the editor loaded (``VolunteerRecord.opened``): a conflict
    lists, field by field and list by list, what the other person changed since.
    """
    today = today or date.today()
    locking = session.bind.dialect.name != "sqlite"
    v = session.get(Volunteer, volunteer_id, with_for_update=locking)
    if v is None:
        raise RecordGone("This volunteer has been deleted by someone else.")
    if v.version != expected_version:
        current = snapshot(v)
        theirs = [
            FieldChange(key, opened.get(key), current[key])
            for key in sorted(current)
            if opened is not None
            and key in opened
            and key not in audit.IGNORED_FIELDS
            and opened[key] != current[key]
        ]
        raise ConflictError("volunteer", volunteer_id, v.version, theirs, current)
    current = current_values(v)
    check_values({**current, **changes})
    columns = _columns(v, changes, today)
    lists = {
        k: changes[k] for k in LIST_KEYS if k in changes and _differs(k, changes[k], current[k])
    }
    endorsement = {k: changes[k] for k in ENDORSEMENT_KEYS if k in changes}
    if lists or any(current[k] != value for k, value in endorsement.items()):
        columns["updated_at"] = utcnow()  # the version guards the lists too
    editing.update(
        session,
        Volunteer,
        volunteer_id,
        expected_version,
        columns,
        username,
        summary=f"Updated volunteer {v.display_name}",
    )
    listed = _set_lists(session, v, lists)
    if listed:
        audit.record(
            session,
            username,
            AuditAction.UPDATE,
            "volunteers",
            v.id,
            f"Updated {', '.join(listed)} of {v.display_name}",
            listed,
        )
    _set_endorsement(session, v, endorsement, username)
    session.flush()
    return SaveResult(v.id, v.version, _changes(v, set(changes)), snapshot(v))


def _differs(key: str, new: Any, old: tuple) -> bool:
    if key == "availability":
        new = (slot.normal() for slot in new or ())
    return tuple(sorted(new or ())) != tuple(old)


def archive_volunteer(
    session: Session,
    volunteer_id: int,
    left_on: date,
    username: str,
    *,
    expected_version: int | None = None,
) -> SaveResult:
    """Mark someone as having left on ``left_on``: kept, not deleted; hidden from lists."""
    v = session.get(Volunteer, volunteer_id)
    if v is None:
        raise RecordGone("This volunteer has been deleted by someone else.")
    return update_volunteer(
        session,
        volunteer_id,
        v.version if expected_version is None else expected_version,
        {"status": VolunteerStatus.LEFT.value, "left_on": left_on, "status_since": left_on},
        username,
    )


def deletion_check(session: Session, volunteer_id: int, today: date | None = None) -> DeletionCheck:
    today = today or date.today()
    v = session.get(Volunteer, volunteer_id)
    if v is None:
        raise RecordGone("This volunteer has already been deleted.")
    base = (
        select(func.count())
        .select_from(Assignment)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.volunteer_id == volunteer_id)
    )
    attended = session.scalar(
        base.where(
            (Assignment.status == AssignmentStatus.ATTENDED)
            | ((Assignment.status == AssignmentStatus.CONFIRMED) & (Shift.date < today))
        )
    )
    upcoming = session.scalar(
        base.where(
            Shift.date >= today,
            Assignment.status.in_((AssignmentStatus.CONFIRMED, AssignmentStatus.PROPOSED)),
        )
    )
    return DeletionCheck(v.display_name, int(attended or 0), int(upcoming or 0))


def delete_volunteer(
    session: Session,
    volunteer_id: int,
    username: str,
    *,
    expected_version: int | None = None,
    today: date | None = None,
) -> Changes:
    """Delete a record created in error. Refused for anyone who has attended shifts."""
    check = deletion_check(session, volunteer_id, today)
    if not check.allowed:
        raise CannotDelete(
            f"{check.name} has attended {check.attended} shift"
            f"{'s' if check.attended != 1 else ''}: their record is part of the history. "
            "Archive them instead (status Left, with the date they left)."
        )
    editing.delete(
        session,
        Volunteer,
        volunteer_id,
        expected_version,
        username,
        summary=f"Deleted volunteer {check.name} (created in error)",
    )
    return Changes.of(
        "volunteers",
        "assignments",
        "training",
        "clearances",
        "communities",
        ids=(("volunteers", volunteer_id),),
    )
