"""Compliance: every current training record and clearance, with its state in words."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from ...core.services import compliance as rules
from ...core.services.compliance import ComplianceItem, compliance_items
from ..table_model import Column, PreparedRows, RowTableModel
from ..widgets import fit_columns, heading, note, search_box, table_view
from .base import Page

STATE_TEXT = {
    rules.EXPIRED: "Expired",
    rules.EXPIRING: "Expiring soon",
    rules.PENDING: "Pending",
    rules.VALID: "Valid",
    rules.BOOKED: "Booked",
    rules.NOT_IN_FORCE: "Not in force",
}
STATE_ORDER = [
    rules.EXPIRED,
    rules.EXPIRING,
    rules.PENDING,
    rules.BOOKED,
    rules.NOT_IN_FORCE,
    rules.VALID,
]
STATE_RANK = {state: rank for rank, state in enumerate(STATE_ORDER)}
EXPIRES_COLUMN = 2
STATE_COLUMN = 3

COLUMNS = [
    Column("Volunteer", lambda r: r.volunteer_name),
    Column("Item", lambda r: r.item),
    Column("Expires", lambda r: r.expires_on),
    Column(
        "State",
        lambda r: STATE_RANK.get(r.state, 99),
        text=lambda r: STATE_TEXT.get(r.state, r.state),
    ),
    Column("Status", lambda r: r.status),
    Column("Kind", lambda r: r.kind),
    Column("Level", lambda r: r.level),
    Column("Site", lambda r: r.site),
]


def _search_text(item: ComplianceItem) -> str:
    return f"{item.volunteer_name} {item.item} {item.level} {item.site}"


class CompliancePage(Page):
    title = "Compliance"
    watches = frozenset({"training", "clearances", "volunteers", "catalogues", "settings"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.search = search_box("Search by volunteer, item or site", "Search compliance items")
        self.state_box = QComboBox()
        self.state_box.setAccessibleName("Show items in state")
        self.state_box.addItem("All states", None)
        for state in STATE_ORDER:
            self.state_box.addItem(STATE_TEXT[state], state)
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of items shown")
        self.summary = note("", "Summary of states")
        self.model = RowTableModel(COLUMNS, search_text=_search_text, parent=self)
        self.table = table_view(
            self.model, "Training and clearances table", sort_column=EXPIRES_COLUMN
        )
        top = QHBoxLayout()
        top.addWidget(heading("Compliance"))
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.state_box)
        top.addWidget(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(self._filters_changed)
        self.state_box.currentIndexChanged.connect(self._filters_changed)
        self._sized = False

    def fetch(self) -> tuple[PreparedRows, Counter]:
        with self.db.uow() as session:
            items = compliance_items(session, today=self.today)
        # Sorting and keying 77,000 rows happens here, on the worker, not on the GUI thread.
        return self.model.prepare_rows(items), Counter(item.state for item in items)

    def show_data(self, data: tuple[PreparedRows, Counter]) -> None:
        prepared, counts = data
        self.model.set_rows(prepared)
        if not self._sized and prepared.rows:
            fit_columns(self.table)
            self._sized = True
        self.summary.setText(
            f"As of {self.today:%d %B %Y}: "
            + ", ".join(
                f"{counts.get(state, 0):,} {STATE_TEXT[state].lower()}" for state in STATE_ORDER
            )
            + ". Superseded records and people who have left are not listed."
        )
        self._update_count()

    def _filters_changed(self, *_args) -> None:
        state = self.state_box.currentData()
        self.model.set_row_filter(None if state is None else (lambda r: r.state == state))
        self.model.set_filter_text(self.search.text())
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.model.shown_count:,} of {self.model.total_count:,} shown")

    def sort_by_expiry(self, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.table.sortByColumn(EXPIRES_COLUMN, order)
