"""Communities: the faith communities and partner organisations that send volunteers.

Search, sort and count; an overdue agreement review stands out without relying on colour:
"⚠ Overdue since 03/01/2026" in bold, counted above the list, and "Overdue reviews only"
shows just those. In the search box Down goes to the list, Enter opens the only or
selected match and Escape clears the search. Ctrl+N adds one, Enter or a double-click opens the selected one in its
editor, Delete removes one that no volunteer comes from.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from ...core.services.communities import CommunityRow, list_communities
from ...core.services.community_edit import InUse, delete_community
from ...core.services.editing import ConflictError, RecordGone
from ...core.validation import format_uk_date
from ..table_model import Column, RowTableModel
from ..widgets import fit_columns, heading, search_box, table_view
from .base import Page

REVIEW_COLUMN = 4
OVERDUE_MARK = "⚠ "


def _review(row: CommunityRow) -> str:
    if row.review_due_on is None:
        return ""
    if row.overdue:
        return f"{OVERDUE_MARK}Overdue since {format_uk_date(row.review_due_on)}"
    return f"Due {format_uk_date(row.review_due_on)}"


COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Kind", lambda r: r.kind),
    Column("Faith", lambda r: r.faith),
    Column("Volunteers", lambda r: r.volunteers, align_right=True),
    Column(
        "Agreement review",
        lambda r: r.review_due_on,
        text=_review,
        bold=lambda r: r.overdue,
        tooltip="When the agreement with the community is due for review; overdue ones say so",
    ),
    Column("Contact", lambda r: r.contact),
]


def _search_text(row: CommunityRow) -> str:
    return f"{row.name} {row.kind} {row.faith} {row.contact}"


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").replace("…", ""))
    return button


class CommunitiesPage(Page):
    title = "Communities"
    watches = frozenset({"communities", "volunteers"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.search = search_box("Search by name, faith or contact", "Search communities")
        self.search.setToolTip("Search (Ctrl+F); Down goes to the list, Escape clears")
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of communities shown")
        self.overdue_only = QCheckBox("Overdue re&views only")
        self.overdue_only.setAccessibleName("Show only communities whose review is overdue")
        self.overdue_only.setToolTip("Show only the agreements overdue for review")
        self.model = RowTableModel(COLUMNS, search_text=_search_text, parent=self)
        self.table = table_view(self.model, "Communities table", sort_column=0)
        self.search.leads_to(self.table, self.open_selected)
        self.new_button = _button("&New…", "Add a community or partner organisation (Ctrl+N)")
        self.open_button = _button("&Open…", "Open the selected community (Enter)")
        self.delete_button = _button("&Delete…", "Delete the selected community (Delete)")
        self.print_button = _button("&Print…", "Print the list as shown (Ctrl+P)")
        self.export_button = _button("E&xport…", "Save the list as an Excel or CSV file")
        self.print_button.clicked.connect(self.print_shown)
        self.export_button.clicked.connect(self.export_shown)
        top = QHBoxLayout()
        top.addWidget(heading("Communities and partners"))
        top.addStretch(1)
        top.addWidget(self.count_label)
        finding = QHBoxLayout()
        finding.addWidget(self.search, 1)
        finding.addSpacing(12)
        finding.addWidget(self.overdue_only)
        actions = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addLayout(finding)
        layout.addLayout(actions)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.search, self.overdue_only)
        self.setTabOrder(self.overdue_only, self.new_button)
        self.setTabOrder(self.new_button, self.open_button)
        self.setTabOrder(self.open_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.export_button)
        self.setTabOrder(self.export_button, self.print_button)
        self.setTabOrder(self.print_button, self.table)

        self._add_action("New community", QKeySequence.StandardKey.New, self.new_community)
        self._add_action("Find", QKeySequence.StandardKey.Find, self._focus_search)
        self._add_action("Print", QKeySequence.StandardKey.Print, self.print_shown)
        delete = QAction("Delete community", self.table)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_selected)
        self.table.addAction(delete)
        self.new_button.clicked.connect(self.new_community)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.activated.connect(lambda index: self.open_community(self._id_at(index.row())))
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.search.textChanged.connect(self._search_changed)
        self.overdue_only.toggled.connect(self._overdue_toggled)
        self.editors: dict[int | None, object] = {}
        self._select_id: int | None = None
        self._sized = False
        self._update_buttons()

    def _add_action(self, text: str, keys, slot) -> None:
        action = QAction(text, self)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # only while shown
        action.triggered.connect(slot)
        self.addAction(action)

    # ----- loading -----------------------------------------------------------------------
    def fetch(self) -> list[CommunityRow]:
        with self.db.uow() as session:
            return list_communities(session, today=self.today)

    def show_data(self, rows: list[CommunityRow]) -> None:
        selected = self._select_id if self._select_id is not None else self.selected_id
        self.model.set_rows(rows)
        if not self._sized and rows:
            fit_columns(self.table, {0: 320, 5: 420})
            self._sized = True
        self._select_id = None
        if selected is not None:
            self.select_community(selected)
        self._update_count()
        self._update_buttons()

    def _search_changed(self, text: str) -> None:
        selected = self.selected_id
        self.model.set_filter_text(text)
        self._after_filtering(selected)

    def _overdue_toggled(self, only: bool) -> None:
        selected = self.selected_id
        self.model.set_row_filter((lambda r: r.overdue) if only else None)
        self._after_filtering(selected)

    def _after_filtering(self, selected: int | None) -> None:
        """Keep the selected community selected while it is still shown."""
        if selected is not None:
            self.select_community(selected)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        overdue = sum(1 for r in self.model.shown_rows() if r.overdue)
        self.count_label.setText(
            f"{self.model.shown_count:,} of {self.model.total_count:,} shown, "
            f"{OVERDUE_MARK if overdue else ''}{overdue:,} with review overdue"
        )

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ----- selection ---------------------------------------------------------------------
    def _id_at(self, row: int) -> int:
        return self.model.row_at(row).id

    @property
    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self._id_at(index.row()) if index.isValid() else None

    def select_community(self, community_id: int) -> None:
        for row, item in enumerate(self.model.shown_rows()):
            if item.id == community_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return

    def _update_buttons(self, *_args) -> None:
        chosen = self.selected_id is not None
        self.open_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # ----- editing -----------------------------------------------------------------------
    def print_shown(self):
        from ..print_list import print_model

        return print_model(
            self,
            self.ops,
            self.db,
            title="Faith communities and partner organisations",
            subtitle=self.count_label.text() + self._filter_words(),
            model=self.model,
            today=self.today,
        )

    def _filter_words(self) -> str:
        chosen = ["overdue reviews only"] if self.overdue_only.isChecked() else []
        if self.search.text().strip():
            chosen.append(f'matching "{self.search.text().strip()}"')
        return (" · " + ", ".join(chosen)) if chosen else ""

    def export_shown(self):
        from ..print_list import export_model

        return export_model(self, "Communities and partners", self.model, self.today)

    def new_community(self) -> None:
        self.open_community(None)

    def open_selected(self) -> None:
        if self.selected_id is not None:
            self.open_community(self.selected_id)

    def open_community(self, community_id: int | None):
        """Open (or bring forward) the editor of a community; None for a new one."""
        from ..editors.community_editor import CommunityEditor  # loaded when first needed

        if community_id is not None and community_id in self.editors:
            editor = self.editors[community_id]
            editor.raise_()
            editor.activateWindow()
            return editor
        editor = CommunityEditor(self.db, self.bus, community_id, self, today=self.today)
        if community_id is not None:
            self.editors[community_id] = editor
            editor.destroyed.connect(lambda *_a, k=community_id: self.editors.pop(k, None))
        editor.saved.connect(self._remember_saved)
        editor.show()
        return editor

    def _remember_saved(self, community_id: int) -> None:
        self._select_id = community_id

    def delete_selected(self) -> None:
        row = next((r for r in self.model.shown_rows() if r.id == self.selected_id), None)
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete community",
            f"Delete {row.name}? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.db.uow() as session:
                changes = delete_community(session, row.id, None, self.db.username)
        except (InUse, RecordGone, ConflictError) as refusal:
            QMessageBox.information(self, "Not deleted", str(refusal))
            if isinstance(refusal, RecordGone):
                self.mark_stale()
            return
        self.bus.announce(changes)
