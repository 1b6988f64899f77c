"""Settings: the organisation's settings (edited, saved, reverted) and the catalogues.

Each value changed from the shipped default says so beside it. Saves go through
``services.settings_edit`` (checked, merged with anyone else's save, audited).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.services import catalogues as cat
from ...core.services.editing import ConflictError
from ...core.services.settings_edit import (
    SettingsInvalid,
    check_logo_path,
    parse_reminder_days,
    save_org_settings,
)
from ...core.settings import OrgSettings, load_settings
from ..dialogs.bulk_training import open_bulk_training
from ..dialogs.catalogue_editors import (
    CLEARANCE_COLUMNS,
    COURSE_COLUMNS,
    CatalogueList,
    ClearanceTypeEditor,
    CourseEditor,
)
from ..forms import Form
from ..table_model import Column, RowTableModel
from ..widgets import fit_columns, heading, note, table_view
from .base import Page

SETTING_LABELS = {
    "organisation_name": "Organisation name",
    "logo_path": "Logo",
    "protective_marking": "Protective marking on printouts",
    "warning_days": "Warn of expiry",
    "reminder_days": "Reminders (days before expiry)",
    "retention_years_after_leaving": "Keep records after leaving",
    "dbs_scan_retention_months": "Keep DBS scans",
    "backup_folder": "Backup folder",
    "backups_to_keep": "Backups to keep",
    "default_max_shifts_per_month": "Default most shifts a month",
}
SPINS = {  # key: (lowest, highest, suffix)
    "warning_days": (1, 365, " days ahead"),
    "retention_years_after_leaving": (1, 100, " years"),
    "dbs_scan_retention_months": (0, 6, " months"),
    "backups_to_keep": (1, 1000, ""),
    "default_max_shifts_per_month": (1, 100, ""),
}
DEFAULTS = asdict(OrgSettings())
ROLE_COLUMNS = [Column("Role", lambda r: r.name), Column("Description", lambda r: r.description)]
FAITH_COLUMNS = [
    Column("Faith or tradition", lambda f: f.name),
    Column("Family", lambda f: f.family),
]


@dataclass(frozen=True)
class SettingsData:
    settings: OrgSettings
    set_locally: frozenset[str]
    catalogues: cat.Catalogues


def _shown(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value) if value not in ("", None) else "not set"


class Marker(QLabel):
    """Whether a setting is the default, in words: one line where there is room, wrapped
    onto two on a small screen (so that the fields keep their width)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("note")
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.text()) + 2
        return QSize(width + margins.left() + margins.right(), super().sizeHint().height())


class SettingsPage(Page):
    title = "Settings"
    watches = frozenset({"settings", "catalogues"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.opened = OrgSettings()  # what the user started editing from
        self.form = Form(self)
        self.markers: dict[str, QLabel] = {}
        self._build_fields()
        self.save_button = QPushButton("&Save settings")
        self.save_button.setToolTip("Save the organisation settings (Ctrl+S)")
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setToolTip("Put back the settings as last saved")
        for button in (self.save_button, self.revert_button):
            button.setAccessibleName(button.text().replace("&", ""))
        self.org_status = QLabel()
        self.org_status.setAccessibleName("Settings status")
        self.org_status.setWordWrap(True)
        self.bulk_button = QPushButton("Record a training session…")
        self.bulk_button.setToolTip("Record one session attended by many volunteers")
        self.courses = CatalogueList(
            self, "course", CourseEditor, cat.remove_course, COURSE_COLUMNS, (self.bulk_button,)
        )
        self.clearance_types = CatalogueList(
            self,
            "clearance type",
            ClearanceTypeEditor,
            cat.remove_clearance_type,
            CLEARANCE_COLUMNS,
        )
        self.course_model, self.clearance_model = self.courses.model, self.clearance_types.model
        self.role_model = RowTableModel(ROLE_COLUMNS, parent=self)
        self.faith_model = RowTableModel(FAITH_COLUMNS, parent=self)
        self.role_table = table_view(self.role_model, "Roles", stretch_column=1)
        self.faith_table = table_view(self.faith_model, "Faiths", stretch_column=1)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        self.tabs.addTab(self._organisation_tab(), "Organisation")
        self.tabs.addTab(self.courses, "Training courses")
        self.tabs.addTab(self.clearance_types, "Clearance types")
        self.tabs.addTab(self.role_table, "Roles")
        self.tabs.addTab(self.faith_table, "Faiths")
        self.tabs.addTab(self._security_tab(), "Security and privacy")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(heading("Settings"))
        layout.addWidget(
            note(
                "Shared by everyone using this database. Values marked \u201cset locally\u201d "
                "differ from the shipped defaults. Roles and faiths are shown for reference.",
                "About settings",
            )
        )
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)
        self._tab_order()
        self._connect()

    # ----- building -----------------------------------------------------------------------
    def _build_fields(self) -> None:
        form = self.form
        form.line("organisation_name", SETTING_LABELS["organisation_name"], required=True)
        form.line("logo_path", SETTING_LABELS["logo_path"], validator=check_logo_path,
                  placeholder="No logo")  # fmt: skip
        form.line("protective_marking", SETTING_LABELS["protective_marking"], required=True)
        for key in ("warning_days", "reminder_days", "retention_years_after_leaving"):
            self._field(key)
        self._field("dbs_scan_retention_months")
        form.line("backup_folder", SETTING_LABELS["backup_folder"], placeholder="Not chosen")
        self._field("backups_to_keep")
        self._field("default_max_shifts_per_month")
        reminders = form.fields["reminder_days"]
        reminders.to_raw = lambda v: _shown(v) if isinstance(v, list) else (v or "")
        self.logo_button = QPushButton("Choose…")
        self.logo_button.setAccessibleName("Choose the logo image")
        self.logo_preview = QLabel()
        self.logo_preview.setAccessibleName("Logo preview")
        self.logo_preview.setFixedHeight(56)
        self.logo_preview.hide()
        self.folder_button = QPushButton("Choose…")
        self.folder_button.setAccessibleName("Choose the backup folder")
        for key in SETTING_LABELS:
            marker = Marker()
            marker.setAccessibleName(f"{SETTING_LABELS[key]}: default or set locally")
            self.markers[key] = marker

    def _field(self, key: str) -> None:
        if key == "reminder_days":
            edit = self.form.line(key, SETTING_LABELS[key], validator=parse_reminder_days)
            edit.setPlaceholderText("e.g. 30, 14, 7")
            edit.setFixedWidth(150)
            return
        low, high, suffix = SPINS[key]
        self.form.spin(key, SETTING_LABELS[key], low, high).setSuffix(suffix)
        self.form.fields[key].widget.setFixedWidth(150)

    def _security_tab(self) -> QWidget:
        """Encryption of this database file, and the privacy and access tools."""
        from ..security_panel import SecurityPanel

        tab = QWidget()
        layout = QVBoxLayout(tab)
        if self.db.is_sqlite:
            self.security_panel = SecurityPanel(self.db, self.ops)
            layout.addWidget(self.security_panel)
        else:
            layout.addWidget(note(
                "This is a shared PostgreSQL database: the server protects the data, and "
                "each person signs in with their own login.", "About a shared database"))  # fmt: skip
        tools = QHBoxLayout()
        for text, slot_name in (
            ("Retention review…", "open_retention"),
            ("Users and roles…", "open_users"),
            ("Audit log…", "open_audit"),
        ):
            button = QPushButton(text)
            button.setAccessibleName(text.rstrip("…"))
            button.clicked.connect(
                lambda _checked=False, name=slot_name: getattr(self.window(), name)()
            )
            tools.addWidget(button)
        tools.addStretch(1)
        layout.addLayout(tools)
        layout.addWidget(note(
            "A subject access export and erasure are on each volunteer's record "
            "(buttons at the foot of the editor).", "About privacy rights"))  # fmt: skip
        layout.addStretch(1)
        return tab

    def _organisation_tab(self) -> QWidget:
        """Label, field (with its button) and whether it is the default, in three columns."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(2, 170)  # the markers wrap below their one-line width
        beside = {"logo_path": self.logo_button, "backup_folder": self.folder_button}
        wide = {"organisation_name", "logo_path", "protective_marking", "backup_folder"}
        top = Qt.AlignmentFlag.AlignTop
        row = 0
        for key in SETTING_LABELS:
            field = self.form.fields[key]
            line = QHBoxLayout()
            line.addWidget(self.form.row(key), 1 if key in wide else 0)
            if key in beside:
                line.addWidget(beside[key], 0, top)
            if key not in wide:
                line.addStretch(1)
            label = QLabel(field.label)
            label.setBuddy(field.widget)
            for text in (label, self.markers[key]):
                text.setContentsMargins(0, 4, 0, 0)  # level with the text in the box
            grid.addWidget(label, row, 0, top)
            grid.addLayout(line, row, 1, top)
            grid.addWidget(self.markers[key], row, 2, top)
            row += 1
            if key == "logo_path":
                grid.addWidget(self.logo_preview, row, 1)
                row += 1
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.org_status, 1)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(16, 16, 16, 16)
        column.addLayout(grid)
        column.addSpacing(8)
        column.addLayout(buttons)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setAccessibleName("Organisation settings")
        return scroll

    def _tab_order(self) -> None:
        """Down the form, each Choose button after its box, then Save and Revert."""
        order = []
        for key in SETTING_LABELS:
            order.append(self.form.fields[key].widget)
            if key == "logo_path":
                order.append(self.logo_button)
            elif key == "backup_folder":
                order.append(self.folder_button)
        order += [self.save_button, self.revert_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(self.revert)
        self.logo_button.clicked.connect(self._choose_logo)
        self.folder_button.clicked.connect(self._choose_folder)
        self.bulk_button.clicked.connect(lambda: open_bulk_training(self.db, self.bus, self, today=self.today))
        self.form.validity_changed.connect(self._update)
        self.form.dirty_changed.connect(self._update)
        self.form.edited.connect(lambda _key: self._update())
        for keys, slot in (
            (QKeySequence.StandardKey.Save, lambda: self.save()),
            (QKeySequence.StandardKey.New, self._new_in_tab),
        ):
            action = QAction(self)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    # ----- loading --------------------------------------------------------------------------
    def fetch(self) -> SettingsData:
        with self.db.uow() as session:
            settings = load_settings(session)
            return SettingsData(
                settings, frozenset(settings.set_locally()), cat.catalogues(session)
            )

    def show_data(self, data: SettingsData) -> None:
        if not self.form.is_dirty:  # never overwrite what the user is typing
            self._show_settings(data.settings)
        self.courses.set_rows(data.catalogues.courses)
        self.clearance_types.set_rows(data.catalogues.clearance_types)
        self.role_model.set_rows(data.catalogues.roles)
        self.faith_model.set_rows(data.catalogues.faiths)
        for view in (self.role_table, self.faith_table):
            fit_columns(view)

    def _show_settings(self, settings: OrgSettings) -> None:
        self.opened = settings
        self.form.set_values(asdict(settings))
        self._update()

    # ----- the organisation tab ---------------------------------------------------------------
    def _current(self, base: OrgSettings | None = None) -> OrgSettings:
        """The settings with the user's changes applied to ``base`` (what was opened)."""
        values = {**asdict(base or self.opened), **self.form.changed_values()}
        if values["reminder_days"] == "":
            values["reminder_days"] = []
        return OrgSettings(**values)

    def _update(self, *_args) -> None:
        dirty, valid = self.form.is_dirty, self.form.is_valid
        self.save_button.setEnabled(dirty and valid)
        self.revert_button.setEnabled(dirty)
        current = asdict(self._current())
        for key, marker in self.markers.items():
            if current[key] == DEFAULTS[key]:
                marker.setText("Default")
            else:
                marker.setText(f"Set locally (default: {_shown(DEFAULTS[key])})")
        self._show_logo(current["logo_path"])
        if not valid:
            self.org_status.setText("Correct the values marked before saving.")
        elif dirty:
            self.org_status.setText("Unsaved changes.")

    def _show_logo(self, path: str) -> None:
        self.logo_preview.setVisible(bool(path))
        if not path:
            return
        pixmap = QPixmap(path) if Path(path).is_file() else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setText("The image cannot be found or read on this computer.")
        else:
            self.logo_preview.setPixmap(
                pixmap.scaledToHeight(56, Qt.TransformationMode.SmoothTransformation)
            )

    def _choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Choose the logo", "", "Images (*.png *.jpg *.jpeg *.gif *.bmp *.svg)"
        )
        if path:
            self.set_path("logo_path", path)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose the backup folder")
        if path:
            self.set_path("backup_folder", path)

    def set_path(self, key: str, path: str) -> None:
        """Put a chosen path in its box, as an edit the user can undo."""
        edit = self.form.fields[key].widget
        edit.selectAll()
        edit.insert(path)  # unlike setText, an edit the form records (and Ctrl+Z undoes)

    def save(self, base: OrgSettings | None = None) -> bool:
        if not self.save_button.isEnabled():
            return False
        base = base or self.opened
        try:
            with self.db.uow() as session:
                saved = save_org_settings(
                    session, self.db.username, self._current(base), opened=base
                )
        except SettingsInvalid as invalid:
            self.org_status.setText(f"Not saved: {invalid}")
            return False
        except ConflictError as conflict:
            return self._conflict(conflict)
        self._show_settings(saved.settings)
        names = ", ".join(SETTING_LABELS[k].lower() for k in saved.changed) or "nothing"
        self.org_status.setText(f"Saved ({names} changed).")
        self.bus.announce(saved.changes)
        return True

    def _conflict(self, conflict: ConflictError) -> bool:
        theirs = "; ".join(
            f"{SETTING_LABELS[c.field]} is now {_shown(c.now)}" for c in conflict.theirs
        )
        answer = QMessageBox.question(
            self,
            "Settings changed by someone else",
            f"Someone else saved the settings after you opened them: {theirs}. "
            "Save yours over theirs?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.org_status.setText("Not saved. Revert to see their settings.")
            return False
        return self.save(OrgSettings(**conflict.current))  # mine on top of theirs

    def revert(self) -> None:
        self._show_settings(self.opened)
        self.org_status.setText("Reverted to the saved settings.")
        self.reload()

    def has_unsaved_changes(self) -> bool:
        """For the main window, to ask before quitting with settings not saved."""
        return self.form.is_dirty

    def _new_in_tab(self) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, CatalogueList):
            tab.new()
