"""The main window: navigation on the left, one page at a time, status bar and menus."""

from __future__ import annotations

import importlib
import os
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QWidget,
)

from .. import __version__
from .bus import ChangeBus
from .ops import Ops
from .style import STYLE_SHEET

if TYPE_CHECKING:
    from ..core.changes import Changes
    from ..core.db import Database
    from .backups import Backups
    from .pages.base import Page

# The pages in navigation order: title, module, class. A page's module is imported and
# the page built when it is first shown (or asked for), so start-up builds only one.
PAGE_SPECS: list[tuple[str, str, str]] = [
    ("Dashboard", "dashboard", "DashboardPage"),
    ("Volunteers", "volunteers", "VolunteersPage"),
    ("Communities", "communities", "CommunitiesPage"),
    ("Sites & posts", "sites", "SitesPage"),
    ("Rota", "rota", "RotaPage"),
    ("Compliance", "compliance", "CompliancePage"),
    ("Reports", "reports", "ReportsPage"),
    ("Settings", "settings", "SettingsPage"),
]
# What each role may see and use (core/access.py decides; the services refuse too).
# A page the person may not see is left out of the navigation; a control whose action
# they may not take anywhere is hidden; menu actions are disabled.
PAGE_NEEDS = {
    "DashboardPage": "view_personal",
    "VolunteersPage": "view_personal",
    "CompliancePage": "view_personal",
    "CommunitiesPage": "view_personal",
    "SettingsPage": "edit_settings",
}
CONTROL_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "VolunteersPage": (
        ("new_button", "create_volunteers"),
        ("archive_button", "edit_volunteers"),
        ("delete_button", "delete_volunteers"),
    ),
    "CommunitiesPage": (("new_button", "edit_catalogues"), ("delete_button", "edit_catalogues")),
    "SitesPage": (
        ("new_site_button", "manage_sites"),
        ("edit_site_button", "edit_sites"),
        ("new_post_button", "edit_sites"),
        ("delete_post_button", "edit_sites"),
    ),
    "RotaPage": (("add_button", "edit_rota"), ("autofill_button", "edit_rota")),
    "CompliancePage": (("renew_button", "edit_compliance"),),
    "SettingsPage": (("bulk_button", "edit_compliance"),),
}
QUIT_AFTER_ENV = "VOLUNTEERDESK_QUIT_AFTER_MS"
DEMO_QUESTION = "This database is empty. Load the small demo data?"


class MainWindow(QMainWindow):
    demo_loaded = Signal()

    attached = Signal()

    def __init__(
        self, db: Database | None, *, today: date | None = None, offer_demo: bool = True
    ) -> None:
        """``db`` None: the window shows at once, empty, and ``attach`` gives it the
        database when it is open (start-up opens it while the window is on screen)."""
        super().__init__()
        self.db: Database | None = None
        self.backups: Backups | None = None
        self.ops = Ops(self)
        self.offer_demo = offer_demo and not os.environ.get(QUIT_AFTER_ENV)
        # Daily backups and the week's summary: off in tests and timed start-ups.
        self.start_services = offer_demo and not os.environ.get(QUIT_AFTER_ENV)
        self.demo_prompt: QMessageBox | None = None
        self.demo_progress: QProgressDialog | None = None
        self.setWindowTitle("VolunteerDesk")
        self.setStyleSheet(STYLE_SHEET)
        self.resize(1280, 800)

        self.bus = ChangeBus(self)
        self.bus.changed.connect(self.on_changes)
        self.today = today
        self._built: list[Page | None] = [None] * len(PAGE_SPECS)
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Page")
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Navigation")
        self.navigation.setFixedWidth(190)
        self.navigation.setIconSize(QSize(0, 0))
        self.opening = QLabel("Opening the database…")
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setAccessibleName("Opening the database")
        for number, (title, _module, _name) in enumerate(PAGE_SPECS, start=1):
            # replaced by the page when first shown
            self.stack.addWidget(self.opening if number == 1 else QWidget())
            self.navigation.addItem(title)
            item = self.navigation.item(number - 1)
            item.setToolTip(f"{title} (Ctrl+{number})")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self.navigation.currentRowChanged.connect(self._show_page)
        self._first_show_done = False
        self.navigation.setEnabled(False)
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """Work on ``db``: name it, start its backups and show the first page."""
        from .backups import Backups

        self.db = db
        self.setWindowTitle(f"VolunteerDesk — {db.name}")
        self.database_label.setText(f"Database: {db.name}")
        self.user_label.setText(f"User: {db.username}")
        self.backups = Backups(db, self.ops, self)
        self.apply_access()
        self.navigation.setEnabled(True)
        first = next(i for i in range(len(PAGE_SPECS)) if not self.navigation.isRowHidden(i))
        if self.navigation.currentRow() == first:
            self._show_page(first)
        else:
            self.navigation.setCurrentRow(first)
        if self._first_show_done:
            self._start_services()
        self.attached.emit()

    # --- building --------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        backup_action = QAction("&Back up now", self)
        backup_action.triggered.connect(lambda: self.backups and self.backups.now())
        file_menu.addAction(backup_action)
        training_action = QAction("Record a &training session…", self)
        training_action.triggered.connect(self.record_training_session)
        file_menu.addAction(training_action)
        import_action = QAction("&Import from a spreadsheet…", self)
        import_action.setShortcut(QKeySequence("Ctrl+I"))
        import_action.triggered.connect(self.open_import)
        file_menu.addAction(import_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_import_action = QAction("&Undo the last import…", self)
        self.undo_import_action.setEnabled(False)
        self.undo_import_action.triggered.connect(self.undo_last_import)
        edit_menu.addAction(self.undo_import_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.guarded_actions = [
            (backup_action, "backup"),
            (training_action, "edit_compliance"),
            (import_action, "import"),
        ]
        admin_menu = self.menuBar().addMenu("&Admin")
        for text, slot, needs in (
            ("&Users and roles…", self.open_users, "manage_users"),
            ("&Audit log…", self.open_audit, "view_audit"),
            ("&Retention review…", self.open_retention, "privacy"),
        ):
            action = QAction(text, self)
            action.triggered.connect(slot)
            admin_menu.addAction(action)
            self.guarded_actions.append((action, needs))
        go_menu = self.menuBar().addMenu("&Go")
        self.go_actions = []
        for number, (title, _module, _name) in enumerate(PAGE_SPECS, start=1):
            action = QAction(title, self)
            self.go_actions.append(action)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, n=number - 1: self.show_page(n))
            go_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About VolunteerDesk", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        self.quit_action = quit_action
        self.about_action = about

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.database_label = QLabel("Database: opening…")
        self.database_label.setAccessibleName("Database in use")
        self.user_label = QLabel("User:")
        self.user_label.setAccessibleName("User")
        self.busy_label = QLabel("")
        self.busy_label.setAccessibleName("Activity")
        bar.addWidget(self.busy_label, 1)
        bar.addPermanentWidget(self.database_label)
        bar.addPermanentWidget(self.user_label)
        self.ops.busy_changed.connect(
            lambda busy: self.busy_label.setText("Loading…" if busy else "")
        )

    # --- pages -----------------------------------------------------------------------------
    @property
    def pages(self) -> list[Page]:
        """Every page, built if it was not yet (tests and whole-window actions)."""
        return [self.page_at(i) for i in range(len(PAGE_SPECS))]

    @property
    def built_pages(self) -> list[Page]:
        return [p for p in self._built if p is not None]

    @property
    def current_page(self) -> Page:
        return self.page_at(self.stack.currentIndex())

    def page_at(self, index: int) -> Page:
        page = self._built[index]
        if page is None:
            _title, module, name = PAGE_SPECS[index]
            cls = getattr(importlib.import_module(f".pages.{module}", __package__), name)
            page = cls(self.db, self.ops, self.today)
            page.bus = self.bus
            page.open_record.connect(self.open_record)
            self._limit_controls(page)
            placeholder = self.stack.widget(index)
            current = self.stack.currentIndex()
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
            self._built[index] = page
        return page

    def index_of(self, cls_or_name: type | str) -> int:
        name = cls_or_name if isinstance(cls_or_name, str) else cls_or_name.__name__
        return next(i for i, spec in enumerate(PAGE_SPECS) if spec[2] == name)

    def page(self, cls_or_name: type | str) -> Page:
        return self.page_at(self.index_of(cls_or_name))

    def show_page(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    def _show_page(self, index: int) -> None:
        if not 0 <= index < len(PAGE_SPECS) or self.db is None:
            return
        page = self.page_at(index)
        self.stack.setCurrentIndex(index)
        page.activate()

    def on_changes(self, changes: Changes) -> None:
        """Something was saved: pages showing those subjects reload (when next seen)."""
        for page in self.built_pages:
            if changes.touches(*page.watches):
                page.mark_stale()

    def open_record(self, kind: str, record_id: int) -> None:
        """A page asked to open a record: a volunteer's editor, or the rota at a shift."""
        if kind == "volunteer":
            self.page("VolunteersPage").open_editor(record_id)
        elif kind == "shift":
            from ..core.services.rota import shift_place

            with self.db.uow() as session:
                found = shift_place(session, record_id)
            if found is not None:
                index = self.index_of("RotaPage")
                rota = self.page_at(index)
                self.show_page(index)
                rota.show_site_week(*found)

    def _settings_may_close(self) -> bool:
        settings = self._built[self.index_of("SettingsPage")]
        if settings is None or not settings.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved settings",
            "Save your changes to the settings before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return settings.save()
        return answer == QMessageBox.StandardButton.Discard

    def record_training_session(self) -> None:
        from .dialogs.bulk_training import open_bulk_training

        open_bulk_training(self.db, self.bus, self, today=self.today)

    # --- roles ---------------------------------------------------------------------------------
    def apply_access(self) -> None:
        """Read who is working and what their role allows; show only what they may use."""
        from ..core.access import access_for
        from ..core.services.users import ROLE_LABELS

        with self.db.uow() as session:
            self.access = access_for(session, self.db.username)
        role = ROLE_LABELS[self.access.role]
        self.user_label.setText(
            f"User: {self.access.display_name or self.access.username} ({role})"
        )
        self.user_label.setToolTip(self.access.note)
        for index, (_title, _module, name) in enumerate(PAGE_SPECS):
            needs = PAGE_NEEDS.get(name)
            self.navigation.setRowHidden(index, bool(needs) and not self.access.can(needs))
            self.go_actions[index].setVisible(not self.navigation.isRowHidden(index))
        for action, needs in self.guarded_actions:
            action.setEnabled(self.access.can(needs))
        for page in self.built_pages:
            self._limit_controls(page)

    def _limit_controls(self, page) -> None:
        access = getattr(self, "access", None)
        if access is None:
            return
        for attribute, needs in CONTROL_NEEDS.get(type(page).__name__, ()):
            control = getattr(page, attribute, None)
            if control is not None:
                control.setVisible(access.can(needs))

    def open_users(self):
        from .dialogs.users import UsersDialog

        dialog = UsersDialog(self.db, self.ops, self.bus, self)
        dialog.finished.connect(lambda _r: self.apply_access())
        dialog.show()
        return dialog

    def open_audit(self):
        from .dialogs.audit_viewer import AuditViewer

        dialog = AuditViewer(self.db, self.ops, self)
        dialog.show()
        return dialog

    def open_retention(self):
        from .dialogs.retention import RetentionDialog

        dialog = RetentionDialog(self.db, self.ops, self.bus, self.today or date.today(), self)
        dialog.show()
        return dialog

    # --- importing ---------------------------------------------------------------------------
    def open_import(self):
        """The import wizard, not modal; its result is kept for Edit > Undo the last import."""
        from .import_wizard import ImportWizard

        if self.db is None:
            return None
        wizard = ImportWizard(self.db, self.ops, self.bus, self.today, self)
        wizard.imported.connect(self._keep_import)
        wizard.undone.connect(lambda _result: self._keep_import(None))
        wizard.show()
        self.import_wizard = wizard
        return wizard

    def _keep_import(self, result) -> None:
        self.last_import = result
        self.undo_import_action.setEnabled(result is not None)
        if result is not None:
            self.undo_import_action.setText(f"&Undo import #{result.import_id} ({result.source})…")
        else:
            self.undo_import_action.setText("&Undo the last import…")

    def undo_last_import(self, confirm: bool = True) -> None:
        from ..core.importing import undo_import

        result = getattr(self, "last_import", None)
        if result is None or self.db is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Undo the import",
                f"Take back import #{result.import_id} from {result.source}? Records it "
                "created are removed and records it updated go back to how they were, "
                "unless someone has changed them since.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._keep_import(None)
        db = self.db

        def undo():
            with db.uow() as session:
                return undo_import(session, result, db.username)

        def done(undone) -> None:
            self.bus.announce(undone.changes)
            message = f"Import #{result.import_id} undone: {undone.summary}."
            if undone.kept:
                message += " Kept: " + "; ".join(undone.kept)
            self.statusBar().showMessage(message, 15000)

        def failed(error: BaseException) -> None:
            self._keep_import(result)
            QMessageBox.warning(self, "Undo the import", f"The import was not undone: {error}")

        self.ops.run(undo, done, failed)

    def refresh_all(self) -> None:
        """The data changed everywhere (e.g. the demo was loaded): reload what is seen."""
        for page in self.built_pages:
            page.mark_stale()

    # --- start-up and the empty database ---------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._first_show_done:
            return
        self._first_show_done = True
        if self.db is not None:
            self._start_services()

    def _start_services(self) -> None:
        if self.offer_demo:
            QTimer.singleShot(0, self._check_empty)
        if self.start_services:
            self.backups.start()
            QTimer.singleShot(0, self.page("DashboardPage").show_week_summary)

    def _check_empty(self) -> None:
        from .window_demo import check_empty

        check_empty(self)

    def ask_to_load_demo(self) -> QMessageBox:
        """Ask, without blocking, whether to fill an empty database with the small demo."""
        from .window_demo import ask_to_load_demo

        return ask_to_load_demo(self)

    def _demo_answer(self, result: int) -> None:
        self.demo_prompt = None
        if result == QMessageBox.StandardButton.Yes:
            self.load_demo()

    def load_demo(self) -> None:
        from .window_demo import load_demo

        load_demo(self)

    # --- menus -----------------------------------------------------------------------------
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About VolunteerDesk",
            f"<h3>VolunteerDesk {__version__}</h3>"
            "<p>Volunteer records, clearances and rotas for prison chaplaincies and court "
            "advice desks.</p>",
        )

    def closeEvent(self, event) -> None:
        # Open editors ask about unsaved changes first; one "Cancel" keeps everything open.
        from .editors.base import RecordEditor

        for editor in self.findChildren(RecordEditor):
            if editor.isVisible() and not editor.close():
                event.ignore()
                return
        if not self._settings_may_close():
            event.ignore()
            return
        self.ops.shutdown()
        if self.start_services and self.backups is not None:
            self.backups.on_close()
        super().closeEvent(event)
