"""Subject access: everything held about one volunteer, for them (PDF) and for the file (JSON).

``subject_access`` reads the person's details, contacts, faith and consent, languages,
roles, availability, community and endorsements, training, clearances (with DBS
details: exporting them writes an audit entry, as opening them does), the sessions they
were on and the audit trail about them and their records. Desk outcomes are not in it:
they record the people a desk helped, not the volunteer. Every value is plain JSON
(dates as ISO text).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import (
    Assignment,
    AuditAction,
    AuditEntry,
    Clearance,
    Endorsement,
    Post,
    Shift,
    Site,
    TrainingRecord,
    Unavailability,
    Volunteer,
    WeeklyAvailability,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The tables whose rows belong to one volunteer (their ``volunteer_id``).
CHILD_MODELS = (
    Clearance,
    TrainingRecord,
    Unavailability,
    WeeklyAvailability,
    Endorsement,
    Assignment,
)
CHILD_TABLES = tuple(m.__tablename__ for m in CHILD_MODELS)


class NoSuchVolunteer(LookupError):
    """No volunteer has this id (the message says so)."""


def _iso(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, int | str):  # an enum
        return value.value
    return value


def _volunteer_in(changes: str, volunteer_id: int) -> bool:
    try:
        pair = json.loads(changes).get("volunteer_id")
    except (ValueError, AttributeError):
        return False
    return isinstance(pair, list) and volunteer_id in pair


def audit_entries_about(session: Session, volunteer_id: int) -> list[AuditEntry]:
    """Audit entries about the volunteer and about their records, oldest first.

    A record of theirs that was deleted no longer says whose it was, but its create and
    delete entries do (``{"volunteer_id": [null, 5]}``): those are found by their text.
    """
    child_ids: dict[str, set[int]] = {}
    for model in CHILD_MODELS:
        ids = session.scalars(select(model.id).where(model.volunteer_id == volunteer_id))
        child_ids[model.__tablename__] = set(ids)
    conditions = [(AuditEntry.entity == "volunteers") & (AuditEntry.entity_id == volunteer_id)]
    for name, ids in child_ids.items():
        if ids:
            conditions.append((AuditEntry.entity == name) & AuditEntry.entity_id.in_(sorted(ids)))
    vid = str(volunteer_id)
    mentions = or_(
        AuditEntry.changes.contains(f'"volunteer_id": [null, {vid}]'),
        AuditEntry.changes.contains(f'"volunteer_id": [{vid}, '),
        AuditEntry.changes.contains(f'"volunteer_id": [{vid}]'),
        AuditEntry.changes.contains(f", {vid}]"),
    )
    conditions.append(AuditEntry.entity.in_(CHILD_TABLES) & mentions)
    found = []
    for entry in session.scalars(
        select(AuditEntry).where(or_(*conditions)).order_by(AuditEntry.id)
    ):
        own = entry.entity == "volunteers" or entry.entity_id in child_ids.get(entry.entity, ())
        if own or _volunteer_in(entry.changes, volunteer_id):
            found.append(entry)
    return found


def _details(v: Volunteer) -> dict[str, Any]:
    return {
        "id": v.id,
        "title": v.title,
        "first_name": v.first_name,
        "last_name": v.last_name,
        "preferred_forename": v.badge_name,
        "date_of_birth": _iso(v.date_of_birth),
        "email": v.email,
        "phone": v.phone,
        "address": v.address,
        "postcode": v.postcode,
        "status": _iso(v.status),
        "status_since": _iso(v.status_since),
        "started_on": _iso(v.started_on),
        "left_on": _iso(v.left_on),
        "key_holder": v.key_holder,
        "max_shifts_per_month": v.max_shifts_per_month,
        "notes": v.notes,
        "risk_assessment_outcome": _iso(v.risk_assessment_outcome),
        "risk_assessment_on": _iso(v.risk_assessment_on),
        "erased_on": _iso(v.erased_on),
    }


def _clearance(c: Clearance) -> dict[str, Any]:
    row = {
        "id": c.id,
        "type": c.type.name,
        "establishment": c.site.name if c.site else None,
        "status": _iso(c.status),
        "level": c.level,
        "reference": c.reference,
        "applied_on": _iso(c.applied_on),
        "granted_on": _iso(c.granted_on),
        "expires_on": _iso(c.expires_on),
        "decision": c.decision,
        "decision_on": _iso(c.decision_on),
        "notes": c.notes,
        "dbs": None,
    }
    if c.type.is_dbs:
        row["dbs"] = {
            "certificate_number": c.dbs_certificate_number,
            "barred_list_checked": c.dbs_barred_list_checked,
            "update_service": c.dbs_update_service,
            "update_service_checked_on": _iso(c.dbs_update_service_checked_on),
        }
    return row


def _assignments(session: Session, volunteer_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Assignment, Shift.date, Shift.start_time, Shift.end_time, Site.name, Post.name)
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Post, Shift.post_id == Post.id)
        .join(Site, Post.site_id == Site.id)
        .where(Assignment.volunteer_id == volunteer_id)
        .order_by(Shift.date, Shift.start_time)
    ).all()
    return [
        {
            "date": _iso(day),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
            "site": site,
            "post": post,
            "status": _iso(a.status),
            "hours": None if a.hours is None else str(a.hours),
            "override_reason": a.override_reason,
        }
        for a, day, start, end, site, post in rows
    ]


def _audit_row(entry: AuditEntry) -> dict[str, Any]:
    try:
        changes = json.loads(entry.changes or "{}")
    except ValueError:
        changes = {"text": entry.changes}
    return {
        "at": _iso(entry.at),
        "by": entry.username,
        "action": _iso(entry.action),
        "record": entry.entity,
        "record_id": entry.entity_id,
        "summary": entry.summary,
        "changes": changes,
    }


def subject_access(session: Session, volunteer_id: int, *, username: str) -> dict[str, Any]:
    """Everything held about the volunteer, as plain JSON-ready values.

    The DBS details it includes are logged (one VIEW entry per DBS record and one on the
    volunteer) before the audit trail is read, so the export shows its own entry too.
    """
    v = session.get(Volunteer, volunteer_id)
    if v is None:
        raise NoSuchVolunteer(f"No volunteer has id {volunteer_id}.")
    clearances = sorted(v.clearances, key=lambda c: (c.type.name, c.applied_on or date.min, c.id))
    dbs = [c for c in clearances if c.type.is_dbs]
    for c in dbs:
        audit.record(
            session,
            username,
            AuditAction.VIEW,
            Clearance.__tablename__,
            c.id,
            "DBS details exported for a subject access request",
        )
    audit.record(
        session,
        username,
        AuditAction.VIEW,
        "volunteers",
        v.id,
        "Subject access: everything held exported"
        + (f", with the details of {len(dbs)} DBS record(s)" if dbs else ""),
    )
    session.flush()
    community = v.community
    return {
        "generated_at": datetime.now().replace(microsecond=0).isoformat(),
        "generated_by": username,
        "volunteer": _details(v),
        "emergency_contact": {
            "name": v.emergency_contact_name,
            "phone": v.emergency_contact_phone,
            "relationship": v.emergency_contact_relation,
        },
        "faith": {
            "faith": v.faith.name if v.faith else None,
            "consent_to_record": v.faith_consent,
            "consent_given_on": _iso(v.faith_consent_on),
        },
        "languages": [x.strip() for x in (v.languages or "").split(",") if x.strip()],
        "community": None
        if community is None
        else {"name": community.name, "kind": _iso(community.kind)},
        "endorsements": [
            {
                "community": e.community.name,
                "endorsed_by": e.endorsed_by,
                "endorsed_on": _iso(e.endorsed_on),
                "notes": e.notes,
            }
            for e in sorted(v.endorsements, key=lambda e: e.id)
        ],
        "roles": sorted(r.name for r in v.roles),
        "sites": sorted(s.name for s in v.sites),
        "availability": [
            {
                "weekday": WEEKDAYS[a.weekday],
                "session": _iso(a.session),
                "every_n_weeks": a.every_n_weeks,
                "anchor_date": _iso(a.anchor_date),
            }
            for a in sorted(v.availability, key=lambda a: (a.weekday, a.session.value))
        ],
        "unavailability": [
            {"from": _iso(u.start_date), "to": _iso(u.end_date), "reason": u.reason}
            for u in sorted(v.unavailability, key=lambda u: u.start_date)
        ],
        "training": [
            {
                "course": t.course.name,
                "status": _iso(t.status),
                "completed_on": _iso(t.completed_on),
                "booked_for": _iso(t.booked_for),
                "expires_on": _iso(t.expires_on),
                "provider": t.provider,
                "certificate_ref": t.certificate_ref,
                "notes": t.notes,
            }
            for t in sorted(v.training, key=lambda t: (t.course.name, t.completed_on or date.min))
        ],
        "clearances": [_clearance(c) for c in clearances],
        "assignments": _assignments(session, v.id),
        "audit_trail": [_audit_row(e) for e in audit_entries_about(session, v.id)],
    }


def write_subject_access_json(data: dict[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def build_subject_access_pdf(data: dict[str, Any], settings, username: str, today: date) -> bytes:
    """The document for the person (see ``subject_access_pdf``; reportlab loads only here)."""
    from .subject_access_pdf import build_subject_access_pdf as build

    return build(data, settings, username, today)
