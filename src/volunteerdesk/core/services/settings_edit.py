"""Saving the organisation settings, checked, merged with anyone else's save, and audited.

Settings are shared by everyone on a database. A save applies only the values this user
changed since opening them, on top of what is stored now; when someone else changed the
same value in between, the save is refused with a ``ConflictError`` naming it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from .. import audit
from ..changes import Changes
from ..models import AuditAction
from ..settings import OrgSettings, load_settings, save_settings
from ..validation import InvalidValue
from .editing import ConflictError, FieldChange

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg")
# (lowest, highest) for each whole-number setting, with its label for messages.
RANGES: dict[str, tuple[int, int, str]] = {
    "warning_days": (1, 365, "Warn of expiry"),
    "retention_years_after_leaving": (1, 100, "Keep records after leaving"),
    # DOMAIN.md: no DBS scans kept beyond 6 months.
    "dbs_scan_retention_months": (0, 6, "Keep DBS scans"),
    "backups_to_keep": (1, 1000, "Backups to keep"),
    "default_max_shifts_per_month": (1, 100, "Default most shifts a month"),
}


class SettingsInvalid(InvalidValue):
    """One or more settings cannot be saved; ``errors`` maps each key to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class SettingsSaved:
    settings: OrgSettings
    changed: tuple[str, ...]  # the keys whose stored value changed
    changes: Changes


def parse_reminder_days(text: str) -> list[int]:
    """ "30, 14, 7" -> [30, 14, 7]: whole days, largest first, no repeats."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    days = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 365:
            raise InvalidValue(f"{part} is not a number of days between 1 and 365")
        days.append(int(part))
    return sorted(set(days), reverse=True)


def check_logo_path(path: str) -> str:
    path = path.strip()
    if path and Path(path).suffix.lower() not in IMAGE_SUFFIXES:
        raise InvalidValue(f"{Path(path).name} is not an image (PNG, JPEG, GIF, BMP or SVG)")
    return path


def check_settings(settings: OrgSettings) -> OrgSettings:
    """The settings tidied (names trimmed, reminders sorted); raises ``SettingsInvalid``."""
    values = asdict(settings)
    errors: dict[str, str] = {}
    for key, label in (
        ("organisation_name", "Organisation name"),
        ("protective_marking", "Protective marking"),
    ):
        values[key] = " ".join(str(values[key]).split())
        if not values[key]:
            errors[key] = f"{label} is required"
        elif len(values[key]) > 200:
            errors[key] = f"{label} is longer than 200 characters"
    for key, (low, high, label) in RANGES.items():
        value = values[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[key] = f"{label} must be a whole number from {low} to {high}"
    try:
        values["reminder_days"] = parse_reminder_days(
            ", ".join(str(d) for d in values["reminder_days"])
        )
    except InvalidValue as exc:
        errors["reminder_days"] = str(exc)
    try:
        values["logo_path"] = check_logo_path(values["logo_path"])
    except InvalidValue as exc:
        errors["logo_path"] = str(exc)
    values["backup_folder"] = values["backup_folder"].strip()
    if errors:
        raise SettingsInvalid(errors)
    return OrgSettings(**values)


def save_org_settings(
    session: Session,
    username: str,
    settings: OrgSettings,
    *,
    opened: OrgSettings | None = None,
) -> SettingsSaved:
    """Store ``settings``; with ``opened`` (what the user started from) only their own
    changes are applied, on top of anything someone else saved meanwhile."""
    from ..access import Action, access_for

    access_for(session, username).require(Action.EDIT_SETTINGS)
    wanted = asdict(check_settings(settings))
    current = asdict(load_settings(session))
    if opened is None:
        mine = wanted
    else:
        started = asdict(opened)
        mine = {k: v for k, v in wanted.items() if v != started[k]}
        clashes = [
            FieldChange(k, started[k], current[k])
            for k in sorted(mine)
            if current[k] != started[k] and current[k] != mine[k]
        ]
        if clashes:
            raise ConflictError("settings", 0, -1, clashes, current)
    result: dict[str, Any] = {**current, **mine}
    changes = audit.diff(current, result)
    if changes:
        save_settings(session, OrgSettings(**result))
        audit.record(
            session,
            username,
            AuditAction.UPDATE,
            "settings",
            None,
            "Changed the organisation settings: " + ", ".join(sorted(changes)),
            changes,
        )
    return SettingsSaved(
        OrgSettings(**result),
        tuple(sorted(changes)),
        Changes.of("settings") if changes else Changes(),
    )
