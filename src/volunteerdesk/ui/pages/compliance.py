"""Compliance matrix: volunteers by requirement types, each cell's state in words and colour.

Filters by site, post, community and state; sorting by name or soonest expiry happens in
the model (6,800 rows on the national demo). Enter or a double-click on a cell renews the
record, opens a pending one, or records a missing one; the context menu also opens the
volunteer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.compliance.rules import Check, Requirement, State
from ...core.services.compliance import (
    STATE_FILTERS,
    MatrixLine,
    MatrixView,
    compliance_matrix,
    narrow,
)
from ...core.validation import format_uk_date
from ..table_model import Column
from ..widgets import add_shortcut, heading, note, search_box, table_view
from .base import Page
from .matrix_model import (  # noqa: F401 - the tests and the dashboard import them here
    CHECK_ROLE,
    FIXED,
    LEGEND,
    LINE_ROLE,
    NAME_COLUMN,
    SOONEST_COLUMN,
    TINT,
    WATCHES,
    MatrixModel,
    cell_text,
    open_record_dialog,
    sort_lines,
)


class CompliancePage(Page):
    title = "Compliance"
    watches = WATCHES

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.view: MatrixView | None = None
        self._view_sort: tuple | None = None  # the order the worker sorted the lines in
        self.site_box = self._combo("Filter by site", "All sites")
        self.post_box = self._combo("Filter by post", "All posts")
        self.community_box = self._combo("Filter by community", "All communities")
        self.state_box = self._combo("Filter by state", "Any state")
        for key, (label, _test) in STATE_FILTERS.items():
            self.state_box.addItem(label, key)
        self.search = search_box("Search by name (Ctrl+F)", "Search volunteers by name")
        self.search.setMinimumWidth(200)
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of volunteers shown")
        self.model = MatrixModel(self)
        self.table = self._table()
        self.renew_button = self._button("&Renew or record…", self.activate_current)
        self.volunteer_button = self._button("Open &volunteer", self.open_volunteer)
        self.print_button = self._button("&Print…", self.print_shown)
        self.print_button.setToolTip("Print the matrix as filtered and sorted (Ctrl+P)")
        self.export_button = self._button("E&xport…", self.export_shown)
        self.export_button.setToolTip("Save the matrix as shown as an Excel or CSV file")
        self.legend = note(LEGEND, "What the cells mean")

        top = QHBoxLayout()
        top.addWidget(heading("Compliance"))
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.search)
        filters = QHBoxLayout()
        for label, box, stretch in (
            ("&Site:", self.site_box, 3),
            ("&Post:", self.post_box, 4),
            ("Co&mmunity:", self.community_box, 3),
            ("S&how:", self.state_box, 2),
        ):
            caption = QLabel(label)
            caption.setBuddy(box)
            filters.addWidget(caption)
            filters.addWidget(box, stretch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.renew_button)
        buttons.addWidget(self.volunteer_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.legend)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        chain = [self.search, self.site_box, self.post_box, self.community_box, self.state_box]
        chain += [self.table, self.renew_button, self.volunteer_button]
        chain += [self.export_button, self.print_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)  # as laid out: search, filters, table, buttons
        self.site_box.currentIndexChanged.connect(self._site_changed)
        for box in (self.post_box, self.community_box, self.state_box):
            box.currentIndexChanged.connect(self.apply_filters)
        self.search.textChanged.connect(self.apply_filters)
        shown = Qt.ShortcutContext.WindowShortcut  # while the page is shown
        add_shortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus, shown)
        add_shortcut(QKeySequence.StandardKey.Print, self, self.print_shown, shown)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            add_shortcut(QKeySequence(key), self.table, self.activate_current,
                         Qt.ShortcutContext.WidgetShortcut)  # fmt: skip
        self._update_buttons()

    # ----- building --------------------------------------------------------------------
    def _combo(self, name: str, everything: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.addItem(everything, None)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(8)  # they stretch; four must fit a small screen
        return box

    # ----- printing and exporting what is shown ------------------------------------------
    def shown_columns(self) -> list[Column]:
        """The matrix's columns as list columns: names, soonest expiry, each cell in words."""
        columns = [
            Column("Volunteer", lambda ln: ln.name),
            Column("Soonest expiry", lambda ln: ln.soonest),
        ]
        for i, req in enumerate(self.model.columns):
            advisory = "" if req.mandatory else " (advisory)"
            columns.append(Column(req.name + advisory, lambda ln, i=i: cell_text(ln.cells[i])))
        return columns

    def _shown_words(self) -> str:
        chosen = [
            box.currentText()
            for box in (self.site_box, self.post_box, self.community_box, self.state_box)
            if box.currentIndex() > 0
        ]
        if self.search.text().strip():
            chosen.append(f'names matching "{self.search.text().strip()}"')
        return self.count_label.text() + ((" · " + ", ".join(chosen)) if chosen else "")

    def print_shown(self):
        from ..print_list import print_rows

        return print_rows(
            self,
            self.ops,
            self.db,
            title="Compliance matrix",
            subtitle=self._shown_words(),
            rows=self.model.lines,
            columns=self.shown_columns(),
            note=LEGEND,
            today=self.today,
        )

    def export_shown(self):
        from ..print_list import export_rows

        return export_rows(self, "Compliance matrix", self.model.lines, self.shown_columns(),
                           self.today)  # fmt: skip

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _table(self) -> QTableView:
        view = table_view(self.model, "Compliance matrix", sort_column=SOONEST_COLUMN)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setAlternatingRowColors(False)  # the tints say enough
        view.doubleClicked.connect(lambda _index: self.activate_current())
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        return view

    # ----- loading ---------------------------------------------------------------------
    def reload(self) -> None:
        if self.view is None:
            self.count_label.setText("Loading…")
        super().reload()

    def fetch(self) -> tuple[MatrixView, tuple]:
        sort = self.model.sort_order  # the lines come back in this order, sorted here
        with self.db.uow() as session:
            view = compliance_matrix(session, self.today)
        view.lines = sort_lines(view.lines, sort, len(view.columns))
        return view, sort

    def show_data(self, data: tuple[MatrixView, tuple]) -> None:
        view, self._view_sort = data
        self.view = view
        self._fill(self.site_box, [(c.id, c.name) for c in view.sites])
        self._fill(self.community_box, [(c.id, c.name) for c in view.communities])
        self._fill_posts()
        self.apply_filters()

    def _size_columns(self) -> None:
        """Names fitted to the first rows; each requirement as wide as its longest text."""
        header = self.table.horizontalHeader()
        # Names measured in Python on the first 300 lines: Qt's resizeColumnToContents
        # asks every role of each and took 20 ms of the GUI thread.
        metrics = self.table.fontMetrics()
        names = (self.model.line_at(r).name for r in range(min(self.model.rowCount(), 300)))
        widest = max((metrics.horizontalAdvance(n) for n in names), default=0) + 16
        header.resizeSection(NAME_COLUMN, min(max(widest, 170), 260))
        bold = QFont(self.table.font())
        bold.setBold(True)
        longest = max(
            self.table.fontMetrics().horizontalAdvance("Expiring 30/11/2026 (renewing)"),
            QFontMetrics(bold).horizontalAdvance("EXPIRED 30/11/2026"),
        )
        header.resizeSection(
            SOONEST_COLUMN, self.table.fontMetrics().horizontalAdvance("30/11/2026") + 40
        )
        for column in range(FIXED, self.model.columnCount()):
            header.resizeSection(column, max(longest, header.sectionSizeHint(column)) + 14)

    def _fill(self, box: QComboBox, choices: list[tuple[int, str]]) -> None:
        chosen = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value, text in choices:
            box.addItem(text, value)
        box.setCurrentIndex(max(box.findData(chosen), 0))
        box.blockSignals(False)

    def _fill_posts(self) -> None:
        if self.view is None:
            return
        site = self.site_box.currentData()
        self._fill(
            self.post_box,
            [
                (p.id, p.name if site is None else p.post)
                for p in self.view.posts
                if site is None or p.site_id == site
            ],
        )

    def _site_changed(self, *_args) -> None:
        if self.site_box.currentData() is None:  # all sites: any post, too
            self.post_box.setCurrentIndex(0)
        self._fill_posts()
        self.apply_filters()

    def apply_filters(self, *_args) -> None:
        if self.view is None:
            return
        columns, lines = narrow(
            self.view,
            site_id=self.site_box.currentData(),
            post_id=self.post_box.currentData(),
            community_id=self.community_box.currentData(),
            state=self.state_box.currentData(),
            needle=self.search.text().strip(),
        )
        resize = columns != self.model.columns
        # Filtering keeps the order the worker sorted in, unless a site or post re-checks
        # the cells (and so each line's soonest date) or the user re-sorted since.
        presorted = (
            self.site_box.currentData() is None
            and self.post_box.currentData() is None
            and self._view_sort == self.model.sort_order
        )
        self.model.set_view(columns, lines, presorted=presorted)
        if resize:
            self._size_columns()
        if self.table.horizontalHeader().sortIndicatorSection() >= self.model.columnCount():
            self.table.sortByColumn(SOONEST_COLUMN, Qt.SortOrder.AscendingOrder)
        total = len(self.view.lines)
        self.count_label.setText(
            f"{len(lines):,} of {total:,} volunteers shown, as of {format_uk_date(self.view.on)}"
        )
        self._update_buttons()

    # ----- acting on a cell --------------------------------------------------------------
    def _current(self) -> tuple[MatrixLine | None, Requirement | None, Check | None]:
        index = self.table.currentIndex()
        if not index.isValid():
            return None, None, None
        line = self.model.line_at(index.row())
        return line, self.model.requirement_at(index.column()), self.model.check_at(index)

    def _update_buttons(self) -> None:
        line, req, check = self._current()
        self.volunteer_button.setEnabled(line is not None)
        label, _action = self._action_for(req, check)
        self.renew_button.setEnabled(label is not None)
        self.renew_button.setText(f"&{label}…" if label else "&Renew or record…")
        self.renew_button.setAccessibleName(label or "Renew or record")

    @staticmethod
    def _action_for(req: Requirement | None, check: Check | None):
        """What Enter does on a cell: (button label, (record id, renew)) or (None, None)."""
        if req is None or check is None:
            return None, None
        if check.state in (State.VALID, State.EXPIRING, State.EXPIRED) and check.record_id:
            return "Renew", (check.record_id, True)
        if check.state is State.PENDING and check.record_id:
            return "Open record", (check.record_id, False)
        return f"Record {req.name}", (None, False)  # refused or missing: a new record

    def activate_current(self) -> None:
        line, req, check = self._current()
        if line is None:
            return
        label, action = self._action_for(req, check)
        if action is None:
            if req is None:
                self.open_record.emit("volunteer", line.volunteer_id)
            return
        record_id, renew = action
        open_record_dialog(
            self, self.db, self.bus, req.kind, line.volunteer_id, record_id,
            renew=renew, type_id=req.type_id, today=self.today,
        )  # fmt: skip

    def open_volunteer(self) -> None:
        line, _req, _check = self._current()
        if line is not None:
            self.open_record.emit("volunteer", line.volunteer_id)

    def _context_menu(self, point) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        line, req, check = self._current()
        menu = QMenu(self)
        label, _action = self._action_for(req, check)
        if label:
            menu.addAction(f"{label}…", self.activate_current)
        if check is not None and check.record_id and label == "Renew":
            record = check.record_id
            menu.addAction(
                "Open record…",
                lambda: open_record_dialog(
                    self, self.db, self.bus, req.kind, line.volunteer_id, record,
                    today=self.today,
                ),
            )
        menu.addAction("Open volunteer", self.open_volunteer)
        self.context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(point))


__all__ = ["CompliancePage", "MatrixModel", "cell_text", "open_record_dialog"]
