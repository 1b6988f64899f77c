"""The right to erasure: anonymise a volunteer, keep the rota's history, scrub the log.

``erase_volunteer`` turns the person into "Former volunteer <id>": every personal field
is blanked or nulled, the rows that only describe them (availability, unavailability,
endorsements) are deleted, references and DBS numbers are blanked on their training and
clearance records, and their future sessions are taken off the rota. Past shifts,
assignments and hours stay, so the activity figures do not change.

The audit log must not keep what was erased either: entries about the person and their
records have every value replaced by "[erased]", and any other entry that quotes one of
their identifiers (name, email, phone, DBS number, reference) has it replaced. One
ERASE entry records who erased whom, when, and why, without personal data.

``vacuum(db)`` then rewrites the database so that deleted bytes leave the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import (
    Assignment,
    AuditAction,
    AuditEntry,
    DeskOutcome,
    Shift,
    Volunteer,
    VolunteerStatus,
)
from .subject_access import NoSuchVolunteer, audit_entries_about

ERASED = "[erased]"
FORMER = "Former volunteer"

# Volunteer columns and the value each takes when erased.
BLANKED: dict[str, object] = {
    "title": "",
    "badge_name": "",
    "date_of_birth": None,
    "email": "",
    "phone": "",
    "address": "",
    "postcode": "",
    "emergency_contact_name": "",
    "emergency_contact_phone": "",
    "emergency_contact_relation": "",
    "community_id": None,
    "faith_id": None,
    "faith_consent": False,
    "faith_consent_on": None,
    "languages": "",
    "notes": "",
    "risk_assessment_outcome": None,
    "risk_assessment_on": None,
}
CLEARANCE_BLANKED = {
    "reference": "",
    "dbs_certificate_number": "",
    "decision": "",
    "decision_on": None,
    "notes": "",
}
TRAINING_BLANKED = {"certificate_ref": "", "notes": ""}
# These tables (shared with other tables' PostgreSQL VACUUM FULL) hold what erasure touches.
TOUCHED_TABLES = (
    "volunteers",
    "weekly_availability",
    "unavailability",
    "endorsements",
    "clearances",
    "training_records",
    "assignments",
    "shifts",
    "desk_outcomes",
    "audit_log",
)


class AlreadyErased(ValueError):
    """This volunteer was erased before."""


@dataclass(frozen=True)
class ErasurePreview:
    volunteer_id: int
    name: str  # as the user must type it to confirm
    removed: tuple[str, ...]  # lines: what will be removed
    kept: tuple[str, ...]  # lines: what will be kept
    already_erased: bool


def former_name(volunteer_id: int) -> str:
    return f"{FORMER} {volunteer_id}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def erasure_preview(session: Session, volunteer_id: int, today: date) -> ErasurePreview:
    """What erasing will remove and keep, in words, for the confirmation."""
    v = session.get(Volunteer, volunteer_id)
    if v is None:
        raise NoSuchVolunteer(f"No volunteer has id {volunteer_id}.")
    past, future = _sessions(session, volunteer_id, today)
    removed = [
        "Name, title and preferred forename (they become "
        f"“{former_name(v.id)}”), date of birth, email, phone, address and postcode",
        "Emergency contact, faith and consent, languages, community, notes and risk assessment",
        f"{_count(len(v.availability), 'weekly availability slot')}, "
        f"{_count(len(v.unavailability), 'period')} away, "
        f"{_count(len(v.endorsements), 'endorsement')}",
        f"References, DBS certificate numbers, decisions and notes on "
        f"{_count(len(v.clearances), 'clearance')} and {_count(len(v.training), 'training record')}",
        "Personal details in the audit log (replaced by “[erased]”)",
    ]
    if future:
        removed.append(f"{_count(len(future), 'future session')} on the rota (after today)")
    kept = [
        f"{_count(len(past), 'past session')} with their dates, places and hours",
        "Which roles and places they had, and the types and dates of their training "
        "and clearances (for the figures)",
        "The audit log's dates and who did what (without the personal details)",
    ]
    return ErasurePreview(
        v.id,
        f"{v.first_name} {v.last_name}".strip(),
        tuple(removed),
        tuple(kept),
        v.erased_on is not None,
    )


def _sessions(session: Session, volunteer_id: int, today: date) -> tuple[list, list]:
    rows = session.execute(
        select(Assignment.id, Shift.date)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(Assignment.volunteer_id == volunteer_id)
    ).all()
    return [i for i, d in rows if d <= today], [i for i, d in rows if d > today]


def _identifiers(v: Volunteer) -> list[str]:
    """The strings that identify the person, longest first (replaced wherever quoted).

    Only their own: an emergency contact, an address or the person who endorsed them may
    also appear in someone else's record, which must stay as it is.
    """
    found = {
        f"{v.first_name} {v.last_name}",
        f"{v.badge_name} {v.last_name}",
        v.display_name,
        v.email,
        v.phone,
    }
    for c in v.clearances:
        found |= {c.reference, c.dbs_certificate_number}
    for t in v.training:
        found.add(t.certificate_ref)
    found = {s.strip() for s in found if s and len(s.strip()) >= 4}
    return sorted(found, key=len, reverse=True)


def _replace(text_value: str, identifiers: list[str], instead: str) -> str:
    for ident in identifiers:
        if ident in text_value:
            text_value = text_value.replace(ident, instead)
    return text_value


def _json_safe(value: str) -> str:
    """``value`` as it appears inside a JSON string written with ensure_ascii=False."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _scrub_audit(
    session: Session,
    volunteer_id: int,
    own: list[AuditEntry],
    identifiers: list[str],
    forenames: list[str],
) -> int:
    """Blank the values of entries about the person; replace their identifiers elsewhere."""
    instead = former_name(volunteer_id)
    forename = (
        re.compile("|".join(rf"\b{re.escape(n)}\b" for n in forenames)) if forenames else None
    )
    for entry in own:
        try:
            fields = list(json.loads(entry.changes or "{}"))
        except ValueError:
            fields = []
        entry.changes = json.dumps({f: [ERASED, ERASED] for f in fields}, ensure_ascii=False)
        summary = _replace(entry.summary or "", identifiers, instead)
        entry.summary = forename.sub(instead, summary) if forename else summary
    done = {e.id for e in own}
    quoted = [_json_safe(i) for i in identifiers]
    patterns = sorted(set(identifiers) | set(quoted), key=len, reverse=True)
    if patterns:
        mentions = or_(
            *(AuditEntry.summary.contains(p, autoescape=True) for p in identifiers),
            *(AuditEntry.changes.contains(p, autoescape=True) for p in patterns),
        )
        for entry in session.scalars(select(AuditEntry).where(mentions)):
            if entry.id in done:
                continue
            entry.summary = _replace(entry.summary or "", identifiers, instead)
            entry.changes = _replace(entry.changes or "", quoted, ERASED)
            done.add(entry.id)
    return len(done)


def erase_volunteer(
    session: Session,
    volunteer_id: int,
    username: str,
    reason: str,
    today: date | None = None,
) -> Changes:
    """Anonymise the volunteer (see the module's note); refuse without a reason."""
    from ..access import Action, access_for

    access_for(session, username).require(Action.PRIVACY)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Give the reason for the erasure (for example, the person asked).")
    today = today or date.today()
    v = session.get(Volunteer, volunteer_id)
    if v is None:
        raise NoSuchVolunteer(f"No volunteer has id {volunteer_id}.")
    if v.erased_on is not None:
        raise AlreadyErased(f"{v.display_name} was already erased on {v.erased_on:%d/%m/%Y}.")
    identifiers = _identifiers(v)
    forenames = [n for n in {v.first_name, v.badge_name} if n and len(n) >= 2]
    own = audit_entries_about(session, v.id)  # before their rows go: found by their ids
    instead = former_name(v.id)
    _past, future = _sessions(session, v.id, today)
    counts = {
        "weekly availability": len(v.availability),
        "unavailability": len(v.unavailability),
        "endorsements": len(v.endorsements),
        "future sessions": len(future),
    }
    # Free text elsewhere that names them: shift and desk notes, override reasons.
    for model, column in ((Shift, Shift.notes), (DeskOutcome, DeskOutcome.notes)):
        for row in session.scalars(
            select(model).where(or_(*(column.contains(i, autoescape=True) for i in identifiers)))
        ):
            row.notes = _replace(row.notes, identifiers, instead)
    for a in v.assignments:
        a.override_reason = _replace(a.override_reason or "", identifiers, instead)
    for a in [a for a in v.assignments if a.id in set(future)]:
        v.assignments.remove(a)  # deleted with the relationship's delete-orphan cascade
    v.availability.clear()
    v.unavailability.clear()
    v.endorsements.clear()
    for c in v.clearances:
        for key, value in CLEARANCE_BLANKED.items():
            setattr(c, key, value)
    for t in v.training:
        for key, value in TRAINING_BLANKED.items():
            setattr(t, key, value)
    for key, value in BLANKED.items():
        setattr(v, key, value)
    v.first_name, v.last_name = FORMER, str(v.id)
    if v.status != VolunteerStatus.LEFT:
        v.status, v.status_since = VolunteerStatus.LEFT, today
    v.left_on = v.left_on or today
    v.erased_on = today
    session.flush()
    scrubbed = _scrub_audit(session, v.id, own, identifiers, forenames)
    audit.record(
        session,
        username,
        AuditAction.ERASE,
        "volunteers",
        v.id,
        f"Volunteer erased: now “{instead}”",
        {
            "reason": [None, _replace(reason, identifiers, instead)],
            "fields erased": [None, sorted([*BLANKED, "first_name", "last_name"])],
            "records removed": [None, counts],
            "audit entries scrubbed": [None, scrubbed],
        },
    )
    session.flush()
    return Changes.of(
        "volunteers",
        "clearances",
        "training",
        "assignments",
        "shifts",
        ids=(("volunteers", v.id),),
    )


def vacuum(db) -> str:
    """Rewrite the database so erased bytes leave it; says what was done.

    SQLite: checkpoint the write-ahead log, VACUUM (which rebuilds the file without its
    free pages) and checkpoint again, truncating the log to nothing. PostgreSQL:
    VACUUM FULL of the tables erasure touches, which rewrites them into new files; the
    server's own write-ahead log and any backups keep old pages until they are recycled
    or expire, which the program cannot force.
    """
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as con:
            con.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            con.execute(text("VACUUM"))
            con.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return "The database file was rewritten (VACUUM) and its write-ahead log emptied."
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as con:
            con.execute(text("VACUUM FULL " + ", ".join(TOUCHED_TABLES)))
        return (
            "The touched tables were rewritten (VACUUM FULL). The server's write-ahead log "
            "and its backups keep old pages until they are recycled."
        )
    return f"No vacuum is known for {engine.dialect.name}."
