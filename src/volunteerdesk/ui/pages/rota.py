"""Rota: one site's week as posts by days, with names and the places still needed."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ...core.services.rota import RotaShift, RotaWeek, rota_week, week_start_of
from ...core.services.sites import SiteRow, list_sites
from ..widgets import heading, plural
from .base import Page

GAP_BACKGROUND = QColor("#fff1d6")  # an aid only: the cell also says VACANT or "n needed"
CLOSED_BACKGROUND = QColor("#eeeeee")
POST_BACKGROUND = QColor("#f3f5f7")
CELL_TEXT = QColor("#1d2b38")  # dark text on the light aid colours, in any palette


PROPOSED_MARK = "*"
LEGEND = f"{PROPOSED_MARK} proposed, not yet confirmed."


def shift_text(shift: RotaShift, post_times: tuple) -> str:
    """What a cell says about one shift: its time if unusual, names, and any gap."""
    lines = []
    if (shift.start_time, shift.end_time) != post_times:
        lines.append(f"{shift.start_time:%H:%M}–{shift.end_time:%H:%M}")
    if shift.cancelled:
        lines.append("Cancelled")
        return "\n".join(lines)
    lines.extend(p.name if p.confirmed else p.name + PROPOSED_MARK for p in shift.people)
    if shift.gap_text:
        lines.append(shift.gap_text)
    return "\n".join(lines)


class RotaPage(Page):
    title = "Rota"
    watches = frozenset({"shifts", "assignments", "posts", "sites", "volunteers"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.site_box = QComboBox()
        self.site_box.setAccessibleName("Site")
        self.site_box.setMinimumWidth(280)
        self.site_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.previous_button = QPushButton("◀ Previous week")
        self.previous_button.setAccessibleName("Previous week")
        self.today_button = QPushButton("This week")
        self.today_button.setAccessibleName("This week")
        self.next_button = QPushButton("Next week ▶")
        self.next_button.setAccessibleName("Next week")
        self.week_label = QLabel("")
        self.week_label.setObjectName("sectionHeading")
        self.week_label.setAccessibleName("Week shown")
        self.summary = QLabel("")
        self.summary.setAccessibleName("Places still needed this week")
        self.grid = QTableWidget()
        self.grid.setAccessibleName("Rota grid: posts by days")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setWordWrap(True)
        self.grid.setColumnCount(8)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.grid.setColumnWidth(0, 190)
        self.grid.verticalHeader().setVisible(False)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Site:"))
        bar.addWidget(self.site_box)
        bar.addSpacing(16)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        bar.addWidget(self.week_label)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(heading("Rota"))
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.error_label)
        layout.addWidget(self.grid, 1)

        self.week_start = week_start_of(self.today)
        self.week: RotaWeek | None = None
        self.site_box.currentIndexChanged.connect(lambda _i: self.load_week())
        self.previous_button.clicked.connect(lambda: self.move_week(-7))
        self.next_button.clicked.connect(lambda: self.move_week(7))
        self.today_button.clicked.connect(self.go_to_this_week)

    # --- the site list (the page's own load) ---------------------------------------------
    def fetch(self) -> list[SiteRow]:
        with self.db.uow() as session:
            return list_sites(session)

    def show_data(self, sites: list[SiteRow]) -> None:
        current = self.site_box.currentData()
        self.site_box.blockSignals(True)
        self.site_box.clear()
        for site in sites:
            self.site_box.addItem(site.name, site.id)
        index = max(0, self.site_box.findData(current)) if current is not None else 0
        self.site_box.setCurrentIndex(index if sites else -1)
        self.site_box.blockSignals(False)
        if not sites:
            self.summary.setText("No sites yet: add a prison or court first.")
            self.grid.clear()
            return
        self.load_week()

    # --- the week -------------------------------------------------------------------------
    def show_site_week(self, site_id: int, day: date) -> None:
        """Show the week containing ``day`` at a site (e.g. to look at one shift)."""
        self.week_start = week_start_of(day)
        index = self.site_box.findData(site_id)
        if index >= 0 and index != self.site_box.currentIndex():
            self.site_box.setCurrentIndex(index)  # loads the week
        else:
            self.load_week()

    def move_week(self, days: int) -> None:
        self.week_start += timedelta(days=days)
        self.load_week()

    def go_to_this_week(self) -> None:
        self.week_start = week_start_of(self.today)
        self.load_week()

    def load_week(self) -> None:
        site_id = self.site_box.currentData()
        if site_id is None:
            return
        start = self.week_start
        self.week_label.setText(f"Week of Monday {start:%d %B %Y}")

        def fetch():
            with self.db.uow() as session:
                return rota_week(session, site_id, start)

        self.ops.run(fetch, self.show_week)

    def show_week(self, week: RotaWeek | None) -> None:
        if week is None or week.week_start != self.week_start:
            return  # a later request is on its way
        self.week = week
        grid = self.grid
        grid.clear()
        grid.setRowCount(len(week.posts))
        grid.setHorizontalHeaderItem(0, QTableWidgetItem("Post"))
        for column, day in enumerate(week.days, start=1):
            text = f"{day.date:%a %d %b}"
            if day.closed_reason:
                text += f"\nClosed: {day.closed_reason}"
            if day.date == self.today:
                text += "\n(today)"
            grid.setHorizontalHeaderItem(column, QTableWidgetItem(text))
        bold = QFont(grid.font())
        bold.setBold(True)
        for row, post in enumerate(week.posts):
            label = QTableWidgetItem(f"{post.name}\n{post.start_time:%H:%M}–{post.end_time:%H:%M}")
            label.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setBackground(QBrush(POST_BACKGROUND))
            label.setForeground(QBrush(CELL_TEXT))
            grid.setItem(row, 0, label)
            for column, day in enumerate(week.days, start=1):
                shifts = week.cell(post.id, day.date)
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                if shifts:
                    times = (post.start_time, post.end_time)
                    item.setText("\n—\n".join(shift_text(s, times) for s in shifts))
                    if any(s.needed for s in shifts):
                        item.setBackground(QBrush(GAP_BACKGROUND))
                        item.setForeground(QBrush(CELL_TEXT))
                    if any(s.needed and not s.people for s in shifts):
                        item.setFont(bold)  # nobody at all: the whole cell is the warning
                elif day.closed_reason:
                    item.setBackground(QBrush(CLOSED_BACKGROUND))
                    item.setForeground(QBrush(CELL_TEXT))
                grid.setItem(row, column, item)
        grid.resizeRowsToContents()
        for row in range(grid.rowCount()):
            grid.setRowHeight(row, grid.rowHeight(row) + 6)  # breathing room under names
        needed = week.places_needed
        sessions = sum(1 for s in week.shifts if not s.cancelled)
        filled = f"{plural(needed, 'place')} still needed." if needed else "every place is filled."
        legend = f" {LEGEND}" if any(not p.confirmed for s in week.shifts for p in s.people) else ""
        self.summary.setText(
            f"{plural(sessions, 'session')} this week at {week.site_name}; {filled}{legend}"
        )
        self.data_shown.emit()

    def cell_text(self, post_name: str, day: date) -> str:
        """The text of one cell (for tests and accessibility checks)."""
        if self.week is None:
            return ""
        for row, post in enumerate(self.week.posts):
            if post.name == post_name:
                column = (day - self.week.week_start).days + 1
                item = self.grid.item(row, column)
                return item.text() if item else ""
        return ""
