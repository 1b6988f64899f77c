"""Volunteers: every volunteer in a table, searched as you type, and the selected record."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
)

from ...core.services.volunteers import VolunteerDetail, VolunteerRow, list_volunteers
from ...core.services.volunteers import volunteer_detail as load_detail
from ..table_model import Column, PreparedRows, RowTableModel, format_value
from ..widgets import fit_columns, heading, search_box, table_view
from .base import Page


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


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
    Column("Status", lambda r: r.status, text=lambda r: _words(r.status)),
    Column("Community", lambda r: r.community),
    Column("Sites", lambda r: r.sites),
    Column("Phone", lambda r: r.phone),
    Column("E-mail", lambda r: r.email),
    Column("Key holder", lambda r: r.key_holder),
]


def _detail_html(d: VolunteerDetail) -> str:
    e = html.escape

    def line(label: str, value: object) -> str:
        text = format_value(value)
        return f"<tr><td class='k'>{e(label)}</td><td>{e(text) or '—'}</td></tr>"

    rows = [
        line("Full name", " ".join(p for p in (d.title, d.first_name, d.last_name) if p)),
        line("Badge name", d.badge_name or d.first_name),
        line(
            "Status",
            f"{_words(d.status)}" + (f" since {d.status_since:%d %b %Y}" if d.status_since else ""),
        ),
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
    training = "".join(
        f"<li>{e(t.course)}: {e(_words(t.status))}"
        + (f", expires {t.expires_on:%d %b %Y}" if t.expires_on else "")
        + "</li>"
        for t in d.training
    )
    clearances = "".join(
        f"<li>{e(c.type)}{' (' + e(c.level) + ')' if c.level else ''}"
        + (f" at {e(c.site)}" if c.site else "")
        + f": {e(_words(c.status))}"
        + (f", expires {c.expires_on:%d %b %Y}" if c.expires_on else "")
        + "</li>"
        for c in d.clearances
    )
    return (
        f"<h3>{e(d.display_name)}</h3><table cellspacing='2'>{''.join(rows)}</table>"
        f"<p><b>Training</b></p><ul>{training or '<li>None recorded</li>'}</ul>"
        f"<p><b>Clearances</b></p><ul>{clearances or '<li>None recorded</li>'}</ul>"
    )


class VolunteersPage(Page):
    title = "Volunteers"
    watches = frozenset(
        {"volunteers", "training", "clearances", "communities", "sites", "catalogues"}
    )

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.search = search_box("Search by name, badge name, phone or e-mail", "Search volunteers")
        self.count_label = QLabel("Loading…")
        self.count_label.setAccessibleName("Number of volunteers shown")
        self.model = RowTableModel(COLUMNS, search_text=_search_text, parent=self)
        self.table = table_view(self.model, "Volunteers table", sort_column=0)
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
        scroll.setMinimumWidth(300)
        self.detail_area = scroll

        top = QHBoxLayout()
        top.addWidget(heading("Volunteers"))
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.search)
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
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(self._search_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._sized = False

    def fetch(self) -> PreparedRows:
        with self.db.uow() as session:
            rows = list_volunteers(session)
        return self.model.prepare_rows(rows)  # sorted and keyed here, off the GUI thread

    def show_data(self, rows: PreparedRows) -> None:
        self.model.set_rows(rows)
        if not self._sized and rows.rows:
            fit_columns(self.table, {2: 300, 3: 220, 5: 260})
            self._sized = True
        self._update_count()

    def _search_changed(self, text: str) -> None:
        self.model.set_filter_text(text)
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.model.shown_count:,} of {self.model.total_count:,} shown")

    def _row_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        volunteer_id = self.model.row_at(current.row()).id

        def fetch():
            with self.db.uow() as session:
                return load_detail(session, volunteer_id)

        if not self.detail_area.isVisible():
            self.detail_area.show()
            width = self.splitter.width()
            self.splitter.setSizes([max(width - 340, 300), 340])
        self.ops.run(fetch, self._show_detail)

    def _show_detail(self, detail: VolunteerDetail | None) -> None:
        if detail is None:
            self.detail.setText("This volunteer is no longer in the database.")
            return
        self.detail.setText(_detail_html(detail))
        self.detail.setAccessibleDescription(f"Record of {detail.display_name}")
