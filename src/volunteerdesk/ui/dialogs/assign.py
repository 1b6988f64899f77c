"""Assigning a volunteer to a shift: everyone who serves the site, the most suitable
first, each one who cannot take it with the reasons in words.

The list is worked out in the background (``RotaData.suitability``). Choosing a person
emits ``chosen``; the rota page makes the assignment (and asks for an override reason
when the rules refuse it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
)

from ...core.scheduling.eligibility import RotaData
from ..table_model import Column, RowTableModel
from ..widgets import plural, search_box, table_view


@dataclass(frozen=True)
class Candidate:
    order: int
    volunteer_id: int
    name: str
    eligible: bool
    assigned: bool
    this_month: int
    previous: int
    why_not: str  # the reasons, in words ("" when they can take it)
    advice: str  # advised (not mandatory) items missing

    @property
    def verdict(self) -> str:
        if self.assigned:
            return "Already on it"
        return "Yes" if self.eligible else "No"


def load_candidates(db, shift_id: int, day: date, site_id: int) -> list[Candidate]:
    """The suitability list for one shift, read fresh (runs on the worker thread)."""
    with db.uow() as session:
        data = RotaData.load(session, day, day, site_id)
        lines = data.suitability(shift_id) if shift_id in data.shifts else []
    return [
        Candidate(
            order=i,
            volunteer_id=s.volunteer_id,
            name=s.name,
            eligible=s.eligible,
            assigned=s.assigned,
            this_month=s.this_month,
            previous=s.previous_three_months,
            why_not="; ".join(r.text for r in s.reasons),
            advice="; ".join(s.warnings),
        )
        for i, s in enumerate(lines, start=1)
    ]


COLUMNS = [
    Column("#", lambda c: c.order, align_right=True, tooltip="Most suitable first"),
    Column("Name", lambda c: c.name),
    Column("Can take it", lambda c: c.verdict),
    Column("This month", lambda c: c.this_month, align_right=True),
    Column("Previous 3 months", lambda c: c.previous, align_right=True),
    Column("Why not", lambda c: c.why_not or c.advice),
]


class AssignDialog(QDialog):
    chosen = Signal(int, str)  # volunteer id, name
    loaded = Signal()

    def __init__(self, db, ops, shift_id: int, day: date, site_id: int, what: str, parent=None):
        super().__init__(parent)
        self.shift_id = shift_id
        self.setWindowTitle(f"Assign a volunteer: {what}")
        self.setAccessibleName("Assign a volunteer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = QLabel(f"Who should take {what}?")
        title.setObjectName("sectionHeading")
        title.setWordWrap(True)
        self.status = QLabel("Checking who can take it…")
        self.status.setAccessibleName("Suitability summary")
        self.status.setWordWrap(True)
        self.search = search_box("Search by name (Ctrl+F)", "Search volunteers by name")
        self.model = RowTableModel(COLUMNS, search_text=lambda c: c.name)
        self.model.align_top()
        self.table = table_view(
            self.model, "Volunteers by suitability", stretch_column=5, wrap=True
        )
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        for column, width in ((0, 40), (1, 190), (2, 100), (3, 90), (4, 130)):
            self.table.setColumnWidth(column, width)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.assign_button = self.buttons.addButton(
            "Assign", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.assign_button.setAccessibleName("Assign the selected volunteer")
        self.assign_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.buttons.rejected.connect(self.reject)
        self.assign_button.clicked.connect(self.choose_selected)
        self.table.doubleClicked.connect(lambda _i: self.choose_selected())
        self.table.activated.connect(lambda _i: self.choose_selected())
        self.search.textChanged.connect(self._filter)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(title)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.assign_button)
        self.resize(920, 520)
        ops.run(lambda: load_candidates(db, shift_id, day, site_id), self._show, self._failed)

    def _show(self, candidates: list[Candidate]) -> None:
        self.model.set_rows(candidates)
        able = sum(1 for c in candidates if c.eligible)
        self.status.setText(
            f"{plural(able, 'volunteer')} can take it, of {len(candidates)} serving this site. "
            "Those who cannot are listed after, with the reasons; choosing one asks for an "
            "override reason."
        )
        self.assign_button.setEnabled(bool(candidates))
        self.table.resizeRowsToContents()  # reasons wrap onto a second line
        if candidates:
            self.table.selectRow(0)
        self.table.setFocus()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"Could not work out who can take it: {error}")
        self.loaded.emit()

    def _filter(self, text: str) -> None:
        self.model.set_filter_text(text)
        self.table.resizeRowsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)

    def selected(self) -> Candidate | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_volunteer(self, volunteer_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).volunteer_id == volunteer_id:
                self.table.selectRow(row)
                return True
        return False

    def choose_selected(self) -> None:
        candidate = self.selected()
        if candidate is None:
            return
        if candidate.assigned:
            self.status.setText(f"{candidate.name} is already on this session.")
            return
        self.chosen.emit(candidate.volunteer_id, candidate.name)
        self.accept()
