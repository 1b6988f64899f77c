"""Organisation settings, typed, with their defaults, stored in the database.

They live in the database (not on one computer) because everyone sharing a database
prints with the same organisation name and marking.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Setting


@dataclass
class OrgSettings:
    organisation_name: str = "VolunteerDesk"
    logo_path: str = ""
    protective_marking: str = "OFFICIAL-SENSITIVE"
    warning_days: int = 30
    reminder_days: list[int] = field(default_factory=lambda: [30, 14, 7])
    retention_years_after_leaving: int = 6
    dbs_scan_retention_months: int = 6
    backup_folder: str = ""
    backups_to_keep: int = 10
    default_max_shifts_per_month: int = 4

    @classmethod
    def defaults(cls) -> OrgSettings:
        return cls()

    def set_locally(self) -> set[str]:
        """The names of the settings that differ from the shipped defaults."""
        default = asdict(OrgSettings())
        return {k for k, v in asdict(self).items() if default[k] != v}


def load_settings(session: Session) -> OrgSettings:
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    values = {}
    for f in fields(OrgSettings):
        if f.name in stored:
            try:
                values[f.name] = json.loads(stored[f.name])
            except ValueError:
                continue  # a damaged value falls back to the default
    return OrgSettings(**values)


def save_settings(session: Session, settings: OrgSettings) -> None:
    existing = {row.key: row for row in session.scalars(select(Setting))}
    for key, value in asdict(settings).items():
        encoded = json.dumps(value, ensure_ascii=False)
        row = existing.get(key)
        if row is None:
            session.add(Setting(key=key, value=encoded))
        elif row.value != encoded:
            row.value = encoded
