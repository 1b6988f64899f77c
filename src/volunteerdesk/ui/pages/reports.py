"""Reports: the documents the program will print, and what each would cover today."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.services import report_scope as scope_service
from ...core.services.report_scope import ReportScope, report_scope
from ..widgets import heading, note, plural
from .base import Page

# name, what it is (one line)
DOCUMENTS = [
    ("Rota", "A month or a week of shifts, per site or per post, on A4 landscape."),
    (
        "Desk sheet",
        "One session of one court desk: volunteers on duty with phone numbers, contacts, "
        "and a grid to fill in by hand.",
    ),
    (
        "Gate list",
        "For a prison's gate: who is expected on a day, by when, keys or escort, and "
        "clearance reference and expiry. No faith, address or date of birth.",
    ),
    (
        "Clearance report",
        "For a security department: every volunteer's clearances, key holding and training, "
        "with what is expiring and what is pending.",
    ),
    ("Expiry report", "What lapses in the next 30, 60 or 90 days, by volunteer."),
    ("Volunteer schedule", "A volunteer's own rota card or letter, with a calendar file."),
    (
        "Activity summary",
        "For funders and partners: sessions staffed, volunteer hours, contacts and "
        "signposting by pathway.",
    ),
]


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


class ReportCard(QFrame):
    def __init__(self, name: str, description: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setAccessibleName(name)
        self.name_label = QLabel(name)
        self.name_label.setObjectName("cardTitle")
        self.name_label.setAccessibleName(f"{name}: title")
        self.description = QLabel(description)
        self.description.setWordWrap(True)
        self.description.setAccessibleName(f"{name}: what it is")
        self.coverage = QLabel("…")
        self.coverage.setObjectName("cardCoverage")
        self.coverage.setWordWrap(True)
        self.coverage.setAccessibleName(f"{name}: what it would cover now")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(4)
        layout.addWidget(self.name_label)
        layout.addWidget(self.description)
        layout.addWidget(self.coverage)


class ReportsPage(Page):
    title = "Reports"
    watches = frozenset({"volunteers", "sites", "shifts", "assignments", "training", "clearances"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.cards = {name: ReportCard(name, text) for name, text in DOCUMENTS}
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 8, 0)
        inner_layout.setSpacing(10)
        for card in self.cards.values():
            inner_layout.addWidget(card)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Documents")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(heading("Reports"))
        layout.addWidget(
            note(
                "These are the documents VolunteerDesk will print. Printing arrives in a "
                "later release; for now this page shows what each document would cover if "
                "it were printed today.",
                "About printing",
            )
        )
        layout.addWidget(self.error_label)
        layout.addWidget(scroll, 1)

    def fetch(self) -> ReportScope:
        with self.db.uow() as session:
            return report_scope(session, today=self.today)

    def show_data(self, scope: ReportScope) -> None:
        for name, card in self.cards.items():
            card.coverage.setText(coverage(name, scope))
