"""Volunteers: every volunteer in a table, searched as you type and filtered; records open
in an editor, people who leave are archived, and records made in error can be deleted."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.services.volunteers import (
    Choices,
    VolunteerDetail,
    VolunteerRow,
    choices,
    list_volunteers,
)
from ...core.services.volunteers import volunteer_detail as load_detail
from ...core.validation import format_uk_date
from ..editors import volunteer_actions as actions
from ..editors.volunteer_editor import STATUS_CHOICES, VolunteerEditor
from ..table_model import Column, PreparedRows, RowTableModel, format_value
from ..widgets import add_shortcut, fit_columns, heading, search_box, table_view
from .base import Page

STATUS_WORDS = dict(STATUS_CHOICES)
COMPLIANCE_FILTERS = {
    "in_date": lambda r: r.items and not r.expired and not r.pending,
    "expired": lambda r: r.expired > 0,
    "expiring": lambda r: r.expiring > 0,
    "pending": lambda r: r.pending > 0,
    "none": lambda r: not r.items,
}


def _status_text(r: VolunteerRow) -> str:
    words = STATUS_WORDS.get(r.status, r.status.capitalize())
    return f"{words} {format_uk_date(r.left_on)}" if r.has_left and r.left_on else words


def _search_text(row: VolunteerRow) -> str:
    digits = "".join(ch for ch in row.phone if ch.isdigit())
    return " ".join((row.first_name, row.last_name, row.badge_name, row.phone, digits, row.email))


COLUMNS = [
    Column(
        "Name",
        lambda r: (r.last_name.casefold(), r.first_name.casefold()),
        text=lambda r: r.display_name,
        tooltip="Preferred forename and surname; sorts by surname",
    ),
    Column("Status", lambda r: r.status, text=_status_text),
    Column(
        "Compliance",
        lambda r: (-r.expired, -r.pending, -r.expiring, r.compliance_text),
        text=lambda r: r.compliance_text,
        tooltip="Current training and clearances: expired, expiring soon, pending",
    ),
    Column("Community", lambda r: r.community),
    Column("Sites", lambda r: r.sites),
    Column("Phone", lambda r: r.phone),
    Column("E-mail", lambda r: r.email),
    Column("Key holder", lambda r: r.key_holder),
]


def _detail_html(d: VolunteerDetail) -> str:
    e = html.escape

    def line(label: str, value: object) -> str:
        text = format_uk_date(value) if hasattr(value, "strftime") else format_value(value)
        return f"<tr><td class='k'>{e(label)}</td><td>{e(text) or '—'}</td></tr>"

    since = f" since {format_uk_date(d.status_since)}" if d.status_since else ""
    rows = [
        line("Full name", " ".join(p for p in (d.title, d.first_name, d.last_name) if p)),
        line("Badge name", d.badge_name or d.first_name),
        line("Status", STATUS_WORDS.get(d.status, d.status) + since),
        line("Started", d.started_on),
        line("Community", d.community),
        line("Sites", ", ".join(d.sites)),
        line("Roles", ", ".join(d.roles)),
        line("Phone", d.phone),
        line("E-mail", d.email),
        line("Emergency contact", d.emergency_contact),
        line("Key holder", "Yes" if d.key_holder else "No"),
        line("Most shifts a month", d.max_shifts_per_month),
    ]

    def expires(day) -> str:
        return f", expires {format_uk_date(day)}" if day else ""

    training = "".join(
        f"<li>{e(t.course)}: {e(t.status.capitalize())}{expires(t.expires_on)}</li>"
        for t in d.training
    )
    clearances = "".join(
        f"<li>{e(c.type)}{' (' + e(c.level) + ')' if c.level else ''}"
        + (f" at {e(c.site)}" if c.site else "")
        + f": {e(c.status.replace('_', ' ').capitalize())}{expires(c.expires_on)}</li>"
        for c in d.clearances
    )
    return (
        f"<h3>{e(d.display_name)}</h3><table cellspacing='2'>{''.join(rows)}</table>"
        f"<p><b>Training</b></p><ul>{training or '<li>None recorded</li>'}</ul>"
        f"<p><b>Clearances</b></p><ul>{clearances or '<li>None recorded</li>'}</ul>"
        "<p>Press Enter or double-click to open the record.</p>"
    )


def _filter_box(name: str) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    box.setToolTip(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(11)
    box.setMaxVisibleItems(20)
    return box


class VolunteersPage(Page):
    title = "Volunteers"
    watches = frozenset(
        {"volunteers", "training", "clearances", "communities", "sites", "catalogues"}
    )

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.editors: dict[int | None, VolunteerEditor] = {}
        self._select_after_load: int | None = None
        self._detail_id: int | None = None
        self.search = search_box("Search by name, badge name, phone or e-mail", "Search volunteers")
        self.search.setToolTip("Search (Ctrl+F); Down goes to the list, Escape clears")
        self.search.setMinimumWidth(200)
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of volunteers shown")
        self.status_box = _filter_box("Filter by status")
        self.status_box.addItem("Any status", None)
        for value, words in STATUS_CHOICES:
            self.status_box.addItem(words, value)
        self.site_box = _filter_box("Filter by site")
        self.community_box = _filter_box("Filter by community")
        self.role_box = _filter_box("Filter by role")
        self.compliance_box = _filter_box("Filter by compliance")
        self.filter_boxes = (
            self.status_box,
            self.site_box,
            self.community_box,
            self.role_box,
            self.compliance_box,
        )
        self.show_left = QCheckBox("Show people who have left")
        self.show_left.setAccessibleName("Show people who have left")
        self.new_button = self._button(
            "&New volunteer", "New volunteer (Ctrl+N)", self.new_volunteer
        )
        self.open_button = self._button(
            "&Open", "Open the selected record (Enter)", self.open_selected
        )
        self.archive_button = self._button(
            "&Archive…", "Mark the selected volunteer as having left", self.archive_selected
        )
        self.delete_button = self._button(
            "&Delete…", "Delete a record created in error", self.delete_selected
        )
        self.print_button = self._button(
            "&Print…", "Print the list as shown (Ctrl+P)", self.print_shown
        )
        self.export_button = self._button(
            "E&xport…", "Save the list as shown as an Excel or CSV file", self.export_shown
        )

        self.model = RowTableModel(COLUMNS, search_text=_search_text, parent=self)
        self.table = table_view(self.model, "Volunteers table", sort_column=0)
        self.search.leads_to(self.table, self.open_selected)
        self.detail = QLabel("Select a volunteer to see their record.")
        self.detail.setObjectName("detailText")
        self.detail.setAccessibleName("Selected volunteer's record")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setContentsMargins(12, 8, 12, 8)
        scroll = QScrollArea()
        scroll.setWidget(self.detail)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Volunteer record")
        scroll.setMinimumWidth(260)
        self.detail_area = scroll

        # Three rows, so that the page fits a window 900 pixels wide (a laptop at 200%):
        # the heading and the actions; the search; the filters.
        top = QHBoxLayout()
        top.addWidget(heading("Volunteers"))
        top.addStretch(1)
        for button in (self.new_button, self.open_button, self.archive_button, self.delete_button):
            top.addWidget(button)
        top.addSpacing(12)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        finding = QHBoxLayout()
        finding.addWidget(self.search, 1)
        finding.addSpacing(12)
        finding.addWidget(self.show_left)
        finding.addSpacing(12)
        finding.addWidget(self.count_label)
        filters = QHBoxLayout()
        for box in self.filter_boxes:
            filters.addWidget(box, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        scroll.hide()  # shown once a volunteer is selected: the table gets the room until then
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addLayout(finding)
        layout.addLayout(filters)
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)
        order = [
            self.new_button,
            self.open_button,
            self.archive_button,
            self.delete_button,
            self.export_button,
            self.print_button,
            self.search,
            self.show_left,
            *self.filter_boxes,
            self.table,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)  # the order of the layout, top row first

        self.search.textChanged.connect(self._search_changed)
        for box in self.filter_boxes:
            box.currentIndexChanged.connect(self._filters_changed)
        self.show_left.toggled.connect(self._filters_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self._shortcuts()
        self._sized = False
        self._update_buttons()
        self._filters_changed()

    def print_shown(self):
        """Preview (then print or save) the list with its filters, as shown."""
        from ..print_list import print_model

        return print_model(
            self,
            self.ops,
            self.db,
            title="Volunteers",
            subtitle=self.count_label.text() + self._filter_words(),
            model=self.model,
            today=self.today,
        )

    def export_shown(self):
        from ..print_list import export_model

        return export_model(self, "Volunteers", self.model, self.today)

    def _filter_words(self) -> str:
        chosen = [box.currentText() for box in self.filter_boxes if box.currentIndex() > 0]
        if self.search.text().strip():
            chosen.append(f'matching "{self.search.text().strip()}"')
        return (" · " + ", ".join(chosen)) if chosen else ""

    def _button(self, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _shortcuts(self) -> None:
        shown = Qt.ShortcutContext.WindowShortcut  # while the page is shown
        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.New, self.new_volunteer),
            (QKeySequence.StandardKey.Print, self.print_shown),
        ):
            add_shortcut(keys, self, slot, shown)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            add_shortcut(
                QKeySequence(key), self.table, self.open_selected, Qt.ShortcutContext.WidgetShortcut
            )

    # ----- loading --------------------------------------------------------------------------
    def fetch(self) -> tuple[PreparedRows, Choices]:
        with self.db.uow() as session:
            rows = list_volunteers(session, compliance_as_of=self.today)
            found = choices(session)
        return self.model.prepare_rows(rows), found  # sorted and keyed off the GUI thread

    def show_data(self, data: tuple[PreparedRows, Choices]) -> None:
        rows, found = data
        selected = self.selected_row()
        self._fill_filters(found)
        self.model.set_rows(rows)
        if not self._sized and rows.rows:
            fit_columns(self.table, {2: 200, 3: 300, 4: 220, 6: 260})
            self._sized = True
        self._update_count()
        wanted = self._select_after_load or (selected.id if selected else None)
        self._select_after_load = None
        self._detail_id = None  # the record may have changed: fetch it again
        if wanted is not None:
            self.select_volunteer(wanted)
        self._update_buttons()

    def _fill_filters(self, found: Choices) -> None:
        def fill(box: QComboBox, everyone: str, items) -> None:
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everyone, None)
            for value, text in items:
                box.addItem(text, value)
            box.setCurrentIndex(max(box.findData(current), 0))
            box.blockSignals(False)

        fill(self.site_box, "Any site", [(c.id, c.name) for c in found.sites])
        fill(self.community_box, "Any community", [(c.id, c.name) for c in found.communities])
        fill(self.role_box, "Any role", [(c.id, c.name) for c in found.roles])
        fill(
            self.compliance_box,
            "Any compliance",
            [
                ("in_date", "All in date"),
                ("expired", "Something expired"),
                ("expiring", f"Expiring within {found.warning_days} days"),
                ("pending", "Clearance pending"),
                ("none", "Nothing recorded"),
            ],
        )
        self._filters_changed()

    # ----- filtering ----------------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        selected = self.selected_row()
        self.model.set_filter_text(text)
        self._after_filtering(selected)

    def _after_filtering(self, selected: VolunteerRow | None) -> None:
        """Keep the selected person selected while they are still shown."""
        self._update_count()
        if selected is None or not self.select_volunteer(selected.id):
            self._detail_id = None
            self.detail.setText("Select a volunteer to see their record.")
        self._update_buttons()

    def _filters_changed(self, *_args) -> None:
        status = self.status_box.currentData()
        site = self.site_box.currentData()
        community = self.community_box.currentData()
        role = self.role_box.currentData()
        compliance = COMPLIANCE_FILTERS.get(self.compliance_box.currentData())
        show_left = self.show_left.isChecked() or status == "left"
        tests = []
        if status is not None:
            tests.append(lambda r: r.status == status)
        elif not show_left:
            tests.append(lambda r: not r.has_left)
        if site is not None:
            tests.append(lambda r: site in r.site_ids)
        if community is not None:
            tests.append(lambda r: r.community_id == community)
        if role is not None:
            tests.append(lambda r: role in r.role_ids)
        if compliance is not None:
            tests.append(lambda r: not r.has_left and compliance(r))
        selected = self.selected_row()
        if len(tests) > 1:
            self.model.set_row_filter(lambda r: all(test(r) for test in tests))
        else:
            self.model.set_row_filter(tests[0] if tests else None)
        self._after_filtering(selected)

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.model.shown_count:,} of {self.model.total_count:,} shown")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ----- selection --------------------------------------------------------------------------
    def selected_row(self) -> VolunteerRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_volunteer(self, volunteer_id: int) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == volunteer_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return False

    def _update_buttons(self, *_args) -> None:
        row = self.selected_row()
        self.open_button.setEnabled(row is not None)
        self.archive_button.setEnabled(row is not None and not row.has_left)
        self.delete_button.setEnabled(row is not None)

    def _row_changed(self, current, _previous) -> None:
        self._update_buttons()
        if not current.isValid():
            return
        volunteer_id = self.model.row_at(current.row()).id
        if volunteer_id == self._detail_id:
            return  # already shown (the row came back after filtering)
        self._detail_id = volunteer_id

        def fetch():
            with self.db.uow() as session:
                return load_detail(session, volunteer_id)

        if not self.detail_area.isVisible():
            self.detail_area.show()
            width = self.splitter.width()
            room = max(260, min(340, width // 3))  # a third of a small window, at most 340
            self.splitter.setSizes([max(width - room, 300), room])
        self.ops.run(fetch, self._show_detail)

    def _show_detail(self, detail: VolunteerDetail | None) -> None:
        if detail is None:
            self.detail.setText("This volunteer is no longer in the database.")
            return
        self.detail.setText(_detail_html(detail))
        self.detail.setAccessibleDescription(f"Record of {detail.display_name}")

    # ----- actions -----------------------------------------------------------------------------
    def open_editor(self, volunteer_id: int | None) -> VolunteerEditor:
        editor = self.editors.get(volunteer_id) if volunteer_id is not None else None
        if editor is None:
            editor = VolunteerEditor(self.db, self.bus, volunteer_id, self, today=self.today)
            editor.saved.connect(self._editor_saved)
            if volunteer_id is not None:
                self.editors[volunteer_id] = editor
                editor.destroyed.connect(lambda _o=None, v=volunteer_id: self.editors.pop(v, None))
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def new_volunteer(self) -> VolunteerEditor:
        return self.open_editor(None)

    def open_selected(self) -> VolunteerEditor | None:
        row = self.selected_row()
        return self.open_editor(row.id) if row else None

    def _editor_saved(self, volunteer_id: int) -> None:
        self._select_after_load = volunteer_id

    def archive_selected(self) -> bool:
        row = self.selected_row()
        if row is None or row.has_left:
            return False
        changes = actions.archive(self, self.db, row.id, row.display_name, self.today)
        if changes is not None:
            self.bus.announce(changes)
        return changes is not None

    def delete_selected(self) -> bool:
        row = self.selected_row()
        if row is None:
            return False
        changes = actions.delete(self, self.db, row.id, row.display_name, self.today)
        if changes is None:
            return False
        editor = self.editors.pop(row.id, None)
        if editor is not None and changes.touches("assignments"):  # deleted, not archived
            editor.form.undo_stack.setClean()
            editor.close()
        self.bus.announce(changes)
        return "assignments" in changes.subjects
