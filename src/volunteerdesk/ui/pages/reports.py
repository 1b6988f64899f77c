"""Reports: choose a printed document and its options, then preview, print or save it.

The documents and their options come from ``core/reports/catalogue.py`` (the command
line uses the same); each has a card (``ui/report_options.py``) saying what it is and
what it would cover today. Preview opens ``ui/documents.preview_document``; Save PDF
writes straight to a file; the rota and the volunteer schedule also export a calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.reports import catalogue
from ...core.reports.catalogue import ReportChoices, ReportOptions
from ...core.services import report_scope as scope_service
from ...core.services.report_scope import ReportScope, report_scope
from .. import exporting
from ..documents import preview_document
from ..report_options import DocumentPanel
from ..widgets import add_shortcut, heading, note, plural
from .base import Page

DOCUMENTS = [(d.title, d.description) for d in catalogue.DOCUMENTS]
CALENDARS = {"rota": "site", "schedule": "volunteer"}  # documents that offer an .ics


def coverage(name: str, s: ReportScope) -> str:
    """What the document would cover if printed today, from the database."""
    if name == "Rota":
        return (
            f"{plural(s.prisons + s.courts, 'site')} with {plural(s.posts, 'post')}; "
            f"{plural(s.shifts_next_weeks, 'session')} in the next "
            f"{scope_service.ROTA_WEEKS} weeks."
        )
    if name == "Desk sheet":
        return (
            f"{plural(s.desks, 'desk')} at {plural(s.courts, 'court')}; "
            f"{plural(s.desk_sessions_next_days, 'desk session')} in the next "
            f"{scope_service.DESK_DAYS} days."
        )
    if name == "Gate list":
        return (
            f"{plural(s.prisons, 'prison')}; {plural(s.gate_visits_next_days, 'volunteer visit')}"
            f" expected in the next {scope_service.GATE_DAYS} days."
        )
    if name == "Clearance report":
        return (
            f"{plural(s.clearances, 'current clearance')}, {s.pending_clearances:,} of them "
            "pending."
        )
    if name == "Expiry report":
        return (
            f"{plural(s.expiring_next_days, 'training record or clearance', 'training records and clearances')}"
            f" due to lapse in the next {scope_service.EXPIRY_DAYS} days."
        )
    if name == "Volunteer schedule":
        return (
            f"{s.volunteers_with_shifts:,} of {plural(s.active_volunteers, 'active volunteer')}"
            f" have shifts in the next {scope_service.ROTA_WEEKS} weeks."
        )
    if name == "Activity summary":
        return (
            f"{plural(s.outcomes_recorded, 'desk session')} recorded in the last "
            f"{scope_service.ACTIVITY_DAYS} days, {plural(s.contacts_seen, 'contact')} seen."
        )
    return ""


@dataclass(frozen=True)
class ReportsData:
    scope: ReportScope
    choices: ReportChoices


class ReportsPage(Page):
    title = "Reports"
    watches = frozenset({"volunteers", "sites", "shifts", "assignments", "training", "clearances"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.cards: dict[str, DocumentPanel] = {}
        self._have_choices = False
        self._problem = ""  # what the status line says is wrong with the options
        self.documents = QListWidget()
        self.documents.setObjectName("documentList")
        self.documents.setStyleSheet("QListWidget#documentList::item { padding-left: 8px; }")
        self.documents.setAccessibleName("Documents")
        self.documents.setMaximumWidth(240)
        for doc in catalogue.DOCUMENTS:
            panel = DocumentPanel(doc, self.today)
            panel.changed.connect(self._update_buttons)
            self.cards[doc.title] = panel
            panel.hide()
            item = QListWidgetItem(doc.title)
            item.setSizeHint(QSize(0, self.documents.fontMetrics().height() + 16))
            item.setToolTip(doc.description)
            self.documents.addItem(item)
        self.documents.currentRowChanged.connect(self._choose)
        self.documents.itemActivated.connect(lambda _item: self.preview())

        self.preview_button = QPushButton("Preview…")
        self.preview_button.setAccessibleName("Preview")
        self.preview_button.setToolTip("Preview, then print or save (Ctrl+P)")
        self.preview_button.setDefault(True)
        self.save_button = QPushButton("Save PDF…")
        self.save_button.setAccessibleName("Save PDF")
        self.calendar_button = QPushButton("Export calendar (.ics)…")
        self.calendar_button.setAccessibleName("Export calendar")
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save_pdf)
        self.calendar_button.clicked.connect(self.export_calendar)
        add_shortcut(
            QKeySequence.StandardKey.Print, self, self.preview,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )  # fmt: skip
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Reports: status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for b in (self.preview_button, self.save_button, self.calendar_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 8, 0)
        for panel in self.cards.values():
            right_layout.addWidget(panel)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.status)
        right_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(right)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName("Document options")

        body = QHBoxLayout()
        body.addWidget(self.documents)
        body.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(heading("Reports"))
        layout.addWidget(
            note(
                "Choose a document and its options, then preview it to print or save it. "
                "Each document says what it would cover today.",
                "About reports",
            )
        )
        layout.addWidget(self.error_label)
        layout.addLayout(body, 1)
        self.documents.setCurrentRow(0)

    # --- loading --------------------------------------------------------------------------
    def fetch(self) -> ReportsData:
        with self.db.uow() as session:
            return ReportsData(
                report_scope(session, today=self.today), catalogue.report_choices(session)
            )

    def show_data(self, data: ReportsData) -> None:
        self._have_choices = True
        for name, card in self.cards.items():
            card.coverage.setText(coverage(name, data.scope))
            card.set_choices(data.choices)
        self._update_buttons()

    # --- the chosen document --------------------------------------------------------------
    @property
    def panel(self) -> DocumentPanel:
        return list(self.cards.values())[max(self.documents.currentRow(), 0)]

    def choose(self, title: str) -> DocumentPanel:
        self.documents.setCurrentRow(list(self.cards).index(title))
        return self.panel

    def _choose(self, row: int) -> None:
        if row >= 0:
            for i, panel in enumerate(self.cards.values()):  # one card shown, as tall as it
                panel.setVisible(i == row)
            self.status.setText("")
            self._update_buttons()

    def _update_buttons(self) -> None:
        panel = self.panel
        problem = panel.problem() if self._have_choices else "Loading…"
        for b in (self.preview_button, self.save_button):
            b.setEnabled(not problem)
        self.calendar_button.setVisible(panel.doc.key in CALENDARS)
        self.calendar_button.setEnabled(not problem)
        if problem and problem != "Loading…":
            self.status.setText(problem)
        elif self.status.text() == self._problem:  # the problem is solved: say nothing
            self.status.setText("")
        self._problem = problem

    def _builder(self, key: str, options: ReportOptions):
        db, today = self.db, self.today

        def build() -> bytes:
            with db.uow() as session:
                return catalogue.build(session, key, options, db.username, today)

        return build

    # --- actions --------------------------------------------------------------------------
    def preview(self):
        panel = self.panel
        if not self.preview_button.isEnabled():
            return None
        build = self._builder(panel.doc.key, panel.options())
        return preview_document(self.window(), self.ops, panel.title(), build, today=self.today)

    def save_pdf(self) -> Path | None:
        panel = self.panel
        if not self.save_button.isEnabled():
            return None
        path = exporting.choose_file(
            self, "Save as PDF", panel.title(), [exporting.PDF_FILTER], self.today
        )
        if path is None:
            return None
        build = self._builder(panel.doc.key, panel.options())
        self.status.setText(f"Making {panel.doc.title.lower()}…")
        self.save_button.setEnabled(False)

        def done(_result) -> None:
            exporting.remember_folder(path)
            self.status.setText(f"Saved {path.name} in {path.parent}.")
            self._update_buttons()

        def failed(exc: BaseException) -> None:
            text = exporting.describe_os_error(exc, path) if isinstance(exc, OSError) else str(exc)
            self.status.setText(f"Not saved: {text}")
            self._update_buttons()
            exporting.show_message(self, "Could not save the PDF", text)

        self.ops.run(lambda: exporting.write_bytes_atomically(path, build()), done, failed)
        return path

    def export_calendar(self) -> Path | None:
        panel = self.panel
        what = CALENDARS.get(panel.doc.key)
        if what is None or not self.calendar_button.isEnabled():
            return None
        options = panel.options()
        start, end = catalogue.span(panel.doc.key, options, self.today)
        name = panel.title().replace(panel.doc.title, "Calendar", 1)
        ids = (
            {"volunteer_id": options.volunteer_id}
            if what == "volunteer"
            else {"site_id": options.site_id}
        )
        return exporting.export_calendar(
            self,
            self.ops,
            self.db,
            title=name,
            start=start,
            end=end,
            today=self.today,
            on_done=lambda path: self.status.setText(f"Saved {path.name} in {path.parent}."),
            **ids,
        )
