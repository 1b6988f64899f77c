"""The retention review: who and what has been kept longer than the organisation's rules.

Two rules, both from the organisation's settings:

- People who left more than ``retention_years_after_leaving`` years ago (default 6) are
  listed for erasure, with the day they left.
- DBS details (the certificate number, reference and notes; DOMAIN.md: never the
  certificate's content, nothing beyond what is needed) are kept only while needed: a
  DBS record replaced by a newer certificate, or of a volunteer who has left, is flagged
  ``dbs_scan_retention_months`` months (default 6) after that. Its level, dates and
  decision stay; ``clear_dbs_details`` blanks the rest, audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from .. import audit
from ..changes import Changes
from ..models import AuditAction, AuditEntry, Clearance, ClearanceType, Volunteer, VolunteerStatus
from ..services.editing import RecordGone
from ..settings import OrgSettings
from ..validation import format_uk_date
from .erasure import ERASED

DBS_DETAILS = ("dbs_certificate_number", "reference", "notes")


@dataclass(frozen=True)
class LeaverDue:
    volunteer_id: int
    name: str
    left_on: date
    due_on: date  # the day the retention period ended


@dataclass(frozen=True)
class DbsDue:
    clearance_id: int
    volunteer_id: int
    name: str
    type_name: str
    granted_on: date | None
    due_on: date
    rule: str  # why, in words


@dataclass(frozen=True)
class RetentionReview:
    today: date
    years_after_leaving: int
    dbs_months: int
    leavers: tuple[LeaverDue, ...]
    dbs: tuple[DbsDue, ...]
    undated_leavers: int  # people marked as left with no date: the rule cannot be applied

    @property
    def leaver_rule(self) -> str:
        return (
            f"People who left more than {self.years_after_leaving} years ago "
            "(Settings: Keep records after leaving) are due for erasure."
        )

    @property
    def dbs_rule(self) -> str:
        return (
            f"DBS certificate numbers are kept no more than {self.dbs_months} months after "
            "a newer certificate replaced them or the volunteer left (Settings: Keep DBS scans)."
        )

    @property
    def empty(self) -> bool:
        return not self.leavers and not self.dbs


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), the 31st clipped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def retention_review(session: Session, today: date, settings: OrgSettings) -> RetentionReview:
    years = max(int(settings.retention_years_after_leaving), 0)
    months = max(int(settings.dbs_scan_retention_months), 0)
    leavers, undated = [], 0
    people = session.execute(
        select(
            Volunteer.id,
            Volunteer.first_name,
            Volunteer.last_name,
            Volunteer.left_on,
            Volunteer.status_since,
        ).where(Volunteer.status == VolunteerStatus.LEFT, Volunteer.erased_on.is_(None))
    ).all()
    for vid, first, last, left_on, since in people:
        left = left_on or since
        if left is None:
            undated += 1
            continue
        due = add_months(left, 12 * years)
        if due <= today:
            leavers.append(LeaverDue(vid, f"{first} {last}".strip(), left, due))
    newer = aliased(Clearance)
    rows = session.execute(
        select(
            Clearance.id,
            Clearance.volunteer_id,
            Volunteer.first_name,
            Volunteer.last_name,
            ClearanceType.name,
            Clearance.granted_on,
            Clearance.dbs_certificate_number,
            Clearance.reference,
            Clearance.notes,
            Volunteer.status,
            Volunteer.left_on,
            Volunteer.status_since,
            newer.granted_on,
            newer.decision_on,
        )
        .join(ClearanceType, Clearance.type_id == ClearanceType.id)
        .join(Volunteer, Clearance.volunteer_id == Volunteer.id)
        .outerjoin(newer, newer.renews_id == Clearance.id)
        .where(ClearanceType.is_dbs.is_(True), Volunteer.erased_on.is_(None))
        .order_by(Volunteer.last_name, Volunteer.first_name, Clearance.granted_on)
    ).all()
    flagged: dict[int, DbsDue] = {}
    for (cid, vid, first, last, type_name, granted, number, ref, notes, status, left_on,
         since, newer_granted, newer_decided) in rows:  # fmt: skip
        if not (number or ref or notes) or cid in flagged:
            continue
        replaced = newer_granted or newer_decided
        left = (left_on or since) if status == VolunteerStatus.LEFT else None
        reasons = []
        if replaced and add_months(replaced, months) <= today:
            reasons.append(
                (
                    add_months(replaced, months),
                    f"replaced by a newer certificate on {format_uk_date(replaced)}",
                )
            )
        if left and add_months(left, months) <= today:
            reasons.append((add_months(left, months), f"left on {format_uk_date(left)}"))
        if reasons:
            due, why = min(reasons)
            flagged[cid] = DbsDue(
                cid,
                vid,
                f"{first} {last}".strip(),
                type_name,
                granted,
                due,
                f"{why.capitalize()}: its number is kept no more than {months} months after that.",
            )
    return RetentionReview(
        today, years, months,
        tuple(sorted(leavers, key=lambda x: (x.left_on, x.name))),
        tuple(flagged.values()),
        undated,
    )  # fmt: skip


def clear_dbs_details(session: Session, clearance_id: int, username: str) -> Changes:
    """Blank a DBS record's certificate number, reference and notes; keep the rest.

    Audited with "[erased]" for the old values, and earlier log entries of this record
    lose those fields' values too (the log must not keep what was removed).
    """
    from ..access import Action, access_for

    access_for(session, username).require(Action.PRIVACY)
    record = session.get(Clearance, clearance_id)
    if record is None:
        raise RecordGone("This clearance has been deleted by someone else.")
    if not record.type.is_dbs:
        raise ValueError("Only a DBS record's details are cleared this way.")
    cleared = [key for key in DBS_DETAILS if getattr(record, key)]
    for key in cleared:
        setattr(record, key, "")
    session.flush()
    for entry in session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == Clearance.__tablename__, AuditEntry.entity_id == clearance_id
        )
    ):
        try:
            changes = json.loads(entry.changes or "{}")
        except ValueError:
            continue
        hit = {k: [ERASED, ERASED] for k in DBS_DETAILS if k in changes}
        if hit:
            entry.changes = json.dumps({**changes, **hit}, ensure_ascii=False)
    audit.record(
        session,
        username,
        AuditAction.ERASE,
        Clearance.__tablename__,
        clearance_id,
        "DBS details removed under the retention rule",
        {key: [ERASED, ""] for key in cleared},
    )
    return Changes.of("clearances", ids=(("clearances", clearance_id),))
