"""Writing clearances (HMPPS vetting, CTC, DBS, PVG), and logging who looks at DBS details.

DBS records hold only what DOMAIN.md allows: the certificate number, level, barred-list
check, Update Service membership and when it was last checked, the decision and its date;
never the certificate's content. Opening a DBS record is itself logged (action VIEW).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..access import require_personal
from ..changes import Changes
from ..models import AuditAction, Clearance, ClearanceStatus, ClearanceType, Site
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
    "type_id",
    "site_id",
    "status",
    "level",
    "reference",
    "applied_on",
    "granted_on",
    "expires_on",
    "expiry_overridden",
    "dbs_certificate_number",
    "dbs_barred_list_checked",
    "dbs_update_service",
    "dbs_update_service_checked_on",
    "decision",
    "decision_on",
    "notes",
)
DBS_ONLY = {
    "dbs_certificate_number": "",
    "dbs_barred_list_checked": False,
    "dbs_update_service": False,
    "dbs_update_service_checked_on": None,
}
LIMITS = {"reference": 60, "decision": 60}


@dataclass(frozen=True)
class ClearanceOpened:
    record_id: int
    volunteer_id: int
    volunteer_name: str
    type_name: str
    is_dbs: bool
    values: dict[str, Any]
    version: int
    plain: dict[str, Any]
    renews_id: int | None


def check_dbs_number(value: str) -> str:
    """A DBS certificate number: 12 digits (spaces allowed while typing)."""
    digits = re.sub(r"\s", "", value or "")
    if digits and not re.fullmatch(r"\d{12}", digits):
        raise InvalidValue(f"{value.strip()} is not a DBS certificate number (12 digits)")
    return digits


def _values(record: Clearance) -> dict[str, Any]:
    return {key: getattr(record, key) for key in FIELDS}


def _changes(record_id: int) -> Changes:
    return Changes.of("clearances", ids=(("clearances", record_id),))


def levels_of(kind: ClearanceType) -> list[str]:
    return [level.strip() for level in kind.levels.split(",") if level.strip()]


def _type(session: Session, type_id: Any, allow_inactive_id: int | None) -> ClearanceType:
    if type_id is None:
        raise InvalidValue("Choose the type of clearance")
    kind = session.get(ClearanceType, type_id)
    if kind is None:
        raise InvalidValue("This type of clearance no longer exists")
    if not kind.active and kind.id != allow_inactive_id:
        raise InvalidValue(f"{kind.name} is no longer in use (it was deactivated)")
    return kind


def check_clearance(
    session: Session,
    values: dict[str, Any],
    *,
    today: date | None = None,
    allow_inactive_id: int | None = None,
) -> dict[str, Any]:
    """The values to store, completed (expiry computed, fields the type has no use for
    cleared) and checked; raises InvalidValue with a message for the user."""
    today = today or date.today()
    checked = {key: values[key] for key in FIELDS if key in values}
    kind = _type(session, checked.get("type_id"), allow_inactive_id)
    if kind.per_establishment:
        if checked.get("site_id") is None:
            raise InvalidValue(f"{kind.name} is per establishment: choose the establishment")
        if session.get(Site, checked["site_id"]) is None:
            raise InvalidValue("That establishment no longer exists")
    else:
        checked["site_id"] = None
    level = (checked.get("level") or "").strip()
    levels = levels_of(kind)
    if level and level not in levels:
        raise InvalidValue(f"{level} is not a level of {kind.name}")
    checked["level"] = level
    status = ClearanceStatus(checked.get("status") or ClearanceStatus.APPLIED)
    checked["status"] = status
    for key, label in (("applied_on", "application"), ("granted_on", "grant")):
        check_not_future(checked.get(key), label, today)
    if status is ClearanceStatus.GRANTED and checked.get("granted_on") is None:
        raise InvalidValue("Enter the date the clearance was granted")
    applied, granted = checked.get("applied_on"), checked.get("granted_on")
    if applied and granted and granted < applied:
        raise InvalidValue(
            f"The grant date {format_uk_date(granted)} is before the application date "
            f"{format_uk_date(applied)}"
        )
    check_expiry(checked, "granted_on", kind.validity_months, "grant")
    if kind.is_dbs:
        checked["dbs_certificate_number"] = check_dbs_number(
            checked.get("dbs_certificate_number") or ""
        )
        if not checked.get("dbs_update_service"):
            checked["dbs_update_service_checked_on"] = None
        check_not_future(
            checked.get("dbs_update_service_checked_on"), "Update Service check", today
        )
    else:
        checked.update(DBS_ONLY)
    for key in ("reference", "decision", "notes"):
        checked[key] = (checked.get(key) or "").strip()
    for key, limit in LIMITS.items():
        if len(checked[key]) > limit:
            raise InvalidValue(f"The {key} is longer than {limit} characters")
    for key in ("expiry_overridden", "dbs_barred_list_checked", "dbs_update_service"):
        checked[key] = bool(checked.get(key))
    return checked


def open_clearance(session: Session, username: str, record_id: int) -> ClearanceOpened:
    """A clearance as an editor shows it; opening a DBS record writes a VIEW audit entry.
    Refused (``access.NotAllowed``) to read-only users."""
    require_personal(session, username)
    record = session.get(Clearance, record_id)
    if record is None:
        raise editing.RecordGone("This clearance has been deleted by someone else.")
    name = record.volunteer.display_name
    if record.type.is_dbs:
        audit.record(
            session,
            username,
            AuditAction.VIEW,
            Clearance.__tablename__,
            record.id,
            f"Opened the DBS details of {name}",
        )
    return ClearanceOpened(
        record_id=record.id,
        volunteer_id=record.volunteer_id,
        volunteer_name=name,
        type_name=record.type.name,
        is_dbs=record.type.is_dbs,
        values=_values(record),
        version=record.version,
        plain=audit.column_values(record),
        renews_id=record.renews_id,
    )


def describe(session: Session, record_id: int) -> str:
    """One line about a clearance (no DBS details): "HMPPS vetting at HMP Westmoor, granted
    28/01/2022, expires 28/01/2027"."""
    record = session.get(Clearance, record_id)
    if record is None:
        return "a deleted clearance"
    parts = [record.type.name + (f" at {record.site.name}" if record.site else "")]
    if record.granted_on:
        parts.append(f"granted {format_uk_date(record.granted_on)}")
    if record.expires_on:
        parts.append(f"expires {format_uk_date(record.expires_on)}")
    return ", ".join(parts)


def renewal_values(session: Session, record_id: int, today: date | None = None) -> dict[str, Any]:
    """A new clearance pre-filled from ``record_id``: same type, establishment and level,
    granted today, expiry computed, linked back through ``renews_id``."""
    today = today or date.today()
    old = session.get(Clearance, record_id)
    if old is None:
        raise editing.RecordGone("The clearance to renew has been deleted.")
    return {
        "type_id": old.type_id,
        "site_id": old.site_id,
        "level": old.level,
        "status": ClearanceStatus.GRANTED,
        "reference": "",
        "applied_on": None,
        "granted_on": today,
        "expires_on": computed_expiry(today, old.type.validity_months),
        "expiry_overridden": False,
        **DBS_ONLY,
        "dbs_update_service": old.dbs_update_service if old.type.is_dbs else False,
        "decision": "",
        "decision_on": None,
        "notes": "",
        "renews_id": old.id,
    }


def _check_renews(session: Session, volunteer_id: int, checked: dict[str, Any], renews_id: int):
    old = session.get(Clearance, renews_id)
    if old is None:
        raise InvalidValue("The clearance being renewed has been deleted")
    if old.volunteer_id != volunteer_id or old.type_id != checked["type_id"]:
        raise InvalidValue("A renewal must be of the same clearance for the same volunteer")
    newer = session.scalar(select(Clearance).where(Clearance.renews_id == renews_id))
    if newer is not None:
        raise InvalidValue("That clearance has already been renewed")


def _auto_renews(session: Session, volunteer_id: int, checked: dict[str, Any]) -> int | None:
    """A newly granted clearance replaces the current one of the same type and place;
    an application still pending does not (the old one stays in force meanwhile)."""
    if checked["status"] is not ClearanceStatus.GRANTED:
        return None
    site = checked.get("site_id")
    rows = session.execute(
        select(Clearance.id, Clearance.granted_on, Clearance.applied_on).where(
            Clearance.volunteer_id == volunteer_id,
            Clearance.type_id == checked["type_id"],
            Clearance.site_id.is_(None) if site is None else Clearance.site_id == site,
        )
    ).all()
    renewed = set(
        session.scalars(
            select(Clearance.renews_id).where(
                Clearance.volunteer_id == volunteer_id, Clearance.renews_id.is_not(None)
            )
        )
    )
    return latest_current(
        [(rid, granted or applied) for rid, granted, applied in rows],
        renewed,
        checked.get("granted_on"),
    )


def add_clearance(
    session: Session,
    username: str,
    volunteer_id: int,
    values: dict[str, Any],
    *,
    renews_id: int | None = None,
    today: date | None = None,
) -> RecordSaved:
    name = volunteer_name(session, volunteer_id)
    checked = check_clearance(session, values, today=today)
    if renews_id is not None:
        _check_renews(session, volunteer_id, checked, renews_id)
    else:
        renews_id = _auto_renews(session, volunteer_id, checked)
    kind = session.get(ClearanceType, checked["type_id"])
    verb = "Renewed" if renews_id is not None else "Added"
    record = editing.create(
        session,
        Clearance,
        {**checked, "volunteer_id": volunteer_id, "renews_id": renews_id},
        username,
        summary=f"{verb} {kind.name} for {name}",
    )
    return RecordSaved(record.id, record.version, _changes(record.id), audit.column_values(record))


def update_clearance(
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
    record = session.get(Clearance, record_id)
    if record is None or record.version != version:
        editing.update(session, Clearance, record_id, version, {}, username, opened=opened)
    merged = {**_values(record), **{k: v for k, v in changed.items() if k in FIELDS}}
    checked = check_clearance(session, merged, today=today, allow_inactive_id=record.type_id)
    current = _values(record)
    to_write = {k: v for k, v in checked.items() if current.get(k) != v}
    record = editing.update(
        session,
        Clearance,
        record_id,
        version,
        to_write,
        username,
        opened=opened,
        summary=f"Updated {record.type.name} for {record.volunteer.display_name}",
    )
    return RecordSaved(record.id, record.version, _changes(record.id), audit.column_values(record))


def replaced_clearances(session: Session, volunteer_id: int) -> set[int]:
    """Ids of the volunteer's clearances that a granted renewal has replaced.

    A renewal still applied for (or refused, or withdrawn) leaves the old one in force.
    """
    query = select(Clearance.renews_id).where(
        Clearance.volunteer_id == volunteer_id,
        Clearance.renews_id.is_not(None),
        Clearance.status.in_((ClearanceStatus.GRANTED, ClearanceStatus.LAPSED)),
    )
    return set(session.scalars(query))
