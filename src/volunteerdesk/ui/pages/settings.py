"""Settings: the organisation's settings and the catalogues, read-only for now."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from ...core.services.catalogues import Catalogues, catalogues, validity_text
from ...core.settings import OrgSettings, load_settings
from ..table_model import Column, RowTableModel
from ..widgets import fit_columns, heading, note, table_view
from .base import Page

SETTING_LABELS = {
    "organisation_name": "Organisation name",
    "logo_path": "Logo",
    "protective_marking": "Protective marking on printouts",
    "warning_days": "Warn of expiry (days ahead)",
    "reminder_days": "Reminders (days before expiry)",
    "retention_years_after_leaving": "Keep records after leaving (years)",
    "dbs_scan_retention_months": "Keep DBS scans (months)",
    "backup_folder": "Backup folder",
    "backups_to_keep": "Backups to keep",
    "default_max_shifts_per_month": "Default most shifts a month",
}
SET_LOCALLY = "Set locally"


def _locally(flag: bool) -> str:
    return SET_LOCALLY if flag else "Default"


COURSE_COLUMNS = [
    Column("Course", lambda c: c.name),
    Column(
        "Valid for",
        lambda c: c.validity_months or 10_000,
        text=lambda c: validity_text(c.validity_months),
    ),
    Column("Value", lambda c: c.set_locally, text=lambda c: _locally(c.set_locally)),
    Column(
        "Within months of starting",
        lambda c: c.within_months_of_start,
        align_right=True,
    ),
    Column("Notes", lambda c: c.description),
]
CLEARANCE_COLUMNS = [
    Column("Clearance", lambda t: t.name),
    Column(
        "Valid for",
        lambda t: t.validity_months or 10_000,
        text=lambda t: validity_text(t.validity_months),
    ),
    Column("Value", lambda t: t.set_locally, text=lambda t: _locally(t.set_locally)),
    Column(
        "Scope",
        lambda t: t.per_establishment,
        text=lambda t: "Per establishment" if t.per_establishment else "Portable",
    ),
    Column("Levels", lambda t: ", ".join(t.levels)),
    Column("Notes", lambda t: t.description),
]
ROLE_COLUMNS = [Column("Role", lambda r: r.name), Column("Description", lambda r: r.description)]
FAITH_COLUMNS = [
    Column("Faith or tradition", lambda f: f.name),
    Column("Family", lambda f: f.family),
]


@dataclass(frozen=True)
class SettingsData:
    settings: OrgSettings
    set_locally: frozenset[str]
    catalogues: Catalogues


def _setting_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "None"
    return str(value) if value not in ("", None) else "Not set"


class SettingsPage(Page):
    title = "Settings"
    watches = frozenset({"settings", "catalogues"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.values: dict[str, QLabel] = {}
        organisation = QWidget()
        form = QFormLayout(organisation)
        form.setContentsMargins(16, 16, 16, 16)
        form.setHorizontalSpacing(24)
        form.setVerticalSpacing(10)
        for key, label in SETTING_LABELS.items():
            value = QLabel("…")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label)
            self.values[key] = value
            form.addRow(f"{label}:", value)
        self.course_model = RowTableModel(COURSE_COLUMNS, parent=self)
        self.clearance_model = RowTableModel(CLEARANCE_COLUMNS, parent=self)
        self.role_model = RowTableModel(ROLE_COLUMNS, parent=self)
        self.faith_model = RowTableModel(FAITH_COLUMNS, parent=self)
        self.course_table = table_view(self.course_model, "Training courses", stretch_column=4)
        self.clearance_table = table_view(self.clearance_model, "Clearance types", stretch_column=5)
        self.role_table = table_view(self.role_model, "Roles", stretch_column=1)
        self.faith_table = table_view(self.faith_model, "Faiths", stretch_column=1)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        self.tabs.addTab(organisation, "Organisation")
        self.tabs.addTab(self.course_table, "Training courses")
        self.tabs.addTab(self.clearance_table, "Clearance types")
        self.tabs.addTab(self.role_table, "Roles")
        self.tabs.addTab(self.faith_table, "Faiths")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(heading("Settings"))
        layout.addWidget(
            note(
                "Shown for reference; editing arrives in a later release. Values marked "
                "\u201cset locally\u201d differ from the shipped defaults.",
                "About settings",
            )
        )
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)

    def fetch(self) -> SettingsData:
        with self.db.uow() as session:
            settings = load_settings(session)
            return SettingsData(settings, frozenset(settings.set_locally()), catalogues(session))

    def show_data(self, data: SettingsData) -> None:
        for key, value in asdict(data.settings).items():
            if key in self.values:
                marker = " (set locally)" if key in data.set_locally else ""
                self.values[key].setText(_setting_text(value) + marker)
        self.course_model.set_rows(data.catalogues.courses)
        self.clearance_model.set_rows(data.catalogues.clearance_types)
        self.role_model.set_rows(data.catalogues.roles)
        self.faith_model.set_rows(data.catalogues.faiths)
        for view in (self.course_table, self.clearance_table, self.role_table, self.faith_table):
            fit_columns(view)
