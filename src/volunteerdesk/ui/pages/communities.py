"""Communities: the faith communities and partner organisations that send volunteers."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from ...core.services.communities import CommunityRow, list_communities
from ..table_model import Column, RowTableModel
from ..widgets import fit_columns, heading, search_box, table_view
from .base import Page

COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Kind", lambda r: r.kind),
    Column("Faith", lambda r: r.faith),
    Column("Volunteers", lambda r: r.volunteers, align_right=True),
    Column("Review due", lambda r: r.review_due_on),
    Column("Review", lambda r: r.overdue, text=lambda r: "Overdue" if r.overdue else ""),
    Column("Contact", lambda r: r.contact),
]


def _search_text(row: CommunityRow) -> str:
    return f"{row.name} {row.kind} {row.faith} {row.contact}"


class CommunitiesPage(Page):
    title = "Communities"
    watches = frozenset({"communities", "volunteers"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.search = search_box("Search by name, faith or contact", "Search communities")
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of communities shown")
        self.model = RowTableModel(COLUMNS, search_text=_search_text, parent=self)
        self.table = table_view(self.model, "Communities table", sort_column=0)
        top = QHBoxLayout()
        top.addWidget(heading("Communities and partners"))
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(self._search_changed)
        self._sized = False

    def fetch(self) -> list[CommunityRow]:
        with self.db.uow() as session:
            return list_communities(session, today=self.today)

    def show_data(self, rows: list[CommunityRow]) -> None:
        self.model.set_rows(rows)
        if not self._sized and rows:
            fit_columns(self.table, {0: 340, 6: 420})
            self._sized = True
        self._update_count()

    def _search_changed(self, text: str) -> None:
        self.model.set_filter_text(text)
        self._update_count()

    def _update_count(self) -> None:
        overdue = sum(1 for r in self.model.shown_rows() if r.overdue)
        self.count_label.setText(
            f"{self.model.shown_count:,} of {self.model.total_count:,} shown, "
            f"{overdue:,} with review overdue"
        )
