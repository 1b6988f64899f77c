"""Rota: where the manager does the rota of a site, a week or a month at a time.

Posts by days; each cell has the names on a shift, the places still needed and any rule
an assignment breaks, in words. Enter or a double-click assigns; the context menu (or
Menu / Shift+F10) unassigns, locks, confirms, records attendance or a desk outcome,
and adds, cancels, restores or moves sessions; dragging a name moves or swaps it.
Every change runs in the background through ``rota_edit`` and is announced on the bus.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from ...core.models import AssignmentStatus
from ...core.services import rota_edit
from ...core.services.rota import week_start_of
from ...core.services.rota_cells import CellShift, RotaPeriod, month_span, rota_period
from ...core.services.sites import SiteRow, list_sites
from ...core.validation import format_uk_date
from ..dialogs import shift as shift_dialogs
from ..dialogs.override import guarded_write
from ..rota_grid import LEGEND, WARNING, RotaGrid, cell_menu
from ..widgets import heading, note, plural
from .base import Page

__all__ = ["LEGEND", "RotaPage"]


def _button(text: str, name: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setToolTip(tip or name)
    return button


class RotaPage(Page):
    title = "Rota"
    watches = frozenset({"shifts", "assignments", "posts", "sites", "volunteers"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.site_box = QComboBox()
        self.site_box.setAccessibleName("Site")
        # As wide as a usual site name, not the longest one: the page must fit a small
        # screen (960 pixels wide at 200% scaling); the list shows names in full.
        self.site_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.site_box.setMinimumContentsLength(24)
        self.view_box = QComboBox()
        self.view_box.addItem("Week", "week")
        self.view_box.addItem("Month", "month")
        self.view_box.setAccessibleName("View: week or month")
        self.previous_button = _button("◀ Previous week", "Previous week")
        self.today_button = _button("This week", "This week")
        self.next_button = _button("Next week ▶", "Next week")
        self.add_button = _button("Add a session…", "Add a one-off session", "Ctrl+N")
        self.autofill_button = _button("Auto-fill…", "Auto-fill the open places")
        self.print_button = _button("Print…", "Print the rota shown")
        self.week_label = QLabel("")
        self.week_label.setObjectName("sectionHeading")
        self.week_label.setAccessibleName("Period shown")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Places still needed")
        self.grid = RotaGrid()

        # Three short rows rather than one long one, so that the page fits a small screen:
        # the heading with the actions, then what is shown (site, view, period), then the
        # period and its figures.
        top = QHBoxLayout()
        top.addWidget(heading("Rota"))
        top.addStretch(1)
        for button in (self.add_button, self.autofill_button, self.print_button):
            top.addWidget(button)
        bar = QHBoxLayout()
        site_label = QLabel("&Site:")
        site_label.setBuddy(self.site_box)
        view_label = QLabel("&View:")
        view_label.setBuddy(self.view_box)
        for widget in (site_label, self.site_box, view_label, self.view_box):
            bar.addWidget(widget)
        bar.addSpacing(12)
        for button in (self.previous_button, self.today_button, self.next_button):
            bar.addWidget(button)
        bar.addStretch(1)
        line = QHBoxLayout()
        line.addWidget(self.week_label)
        line.addSpacing(16)
        line.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addLayout(line)
        layout.addWidget(self.error_label)
        layout.addWidget(self.grid, 1)
        layout.addWidget(
            note(
                "Enter or double-click a cell to assign someone; the Menu key, Shift+F10 or a "
                "right-click for more. Drag a name to another session to move it, or onto "
                "another name to swap them. VACANT and “n needed”: places still to fill; "
                "⚠ rule broken: an assignment made by override, or a rule that changed since.",
                "How to use the rota",
            )
        )

        self.mode = "week"
        self.anchor = self.today
        self.period: RotaPeriod | None = None
        self.site_box.currentIndexChanged.connect(lambda _i: self.load_week())
        self.view_box.currentIndexChanged.connect(
            lambda _i: self.set_mode(self.view_box.currentData())
        )
        self.previous_button.clicked.connect(lambda: self.move_week(-1))
        self.next_button.clicked.connect(lambda: self.move_week(1))
        self.today_button.clicked.connect(self.go_to_this_week)
        self.add_button.clicked.connect(lambda: self.add_session())
        self.autofill_button.clicked.connect(self.open_autofill)
        self.print_button.clicked.connect(self.print_rota)
        self.grid.activated_cell.connect(self.cell_activated)
        self.grid.menu_wanted.connect(self.show_menu)
        self.grid.move_requested.connect(self.move_person)
        self.grid.swap_requested.connect(self.swap_people)
        new = QAction("Add a one-off session", self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(lambda: self.add_session())
        self.addAction(new)
        self.menu: QMenu | None = None
        self.dialog = None  # the last dialog opened (tests look at it)
        self.message_box: QMessageBox | None = None

    # --- what is shown ------------------------------------------------------------------
    @property
    def week(self) -> RotaPeriod | None:
        return self.period

    @property
    def week_start(self) -> date:
        return self.span()[0]

    def span(self) -> tuple[date, date]:
        if self.mode == "month":
            return month_span(self.anchor)
        start = week_start_of(self.anchor)
        return start, start + timedelta(days=6)

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

    def show_site_week(self, site_id: int, day: date) -> None:
        """Show the week (or month) holding ``day`` at a site, e.g. to look at one shift."""
        self.anchor = day
        index = self.site_box.findData(site_id)
        if index >= 0 and index != self.site_box.currentIndex():
            self.site_box.setCurrentIndex(index)  # loads it
        else:
            self.load_week()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.view_box.blockSignals(True)
        self.view_box.setCurrentIndex(self.view_box.findData(mode))
        self.view_box.blockSignals(False)
        noun = "month" if mode == "month" else "week"
        for button, text in (
            (self.previous_button, f"◀ Previous {noun}"),
            (self.today_button, f"This {noun}"),
            (self.next_button, f"Next {noun} ▶"),
        ):
            button.setText(text)
            button.setAccessibleName(text.strip("◀▶ "))
        self.load_week()

    def move_week(self, steps: int) -> None:
        if self.mode == "month":
            first = self.anchor.replace(day=1)
            month = first.month - 1 + steps
            self.anchor = first.replace(year=first.year + month // 12, month=month % 12 + 1)
        else:
            self.anchor += timedelta(days=7 * steps)
        self.load_week()

    def go_to_this_week(self) -> None:
        self.anchor = self.today
        self.load_week()

    def load_week(self) -> None:
        site_id = self.site_box.currentData()
        if site_id is None:
            return
        start, end = self.span()
        if self.mode == "month":
            self.week_label.setText(f"{start:%B %Y}")
        else:
            self.week_label.setText(f"Week of Monday {format_uk_date(start)}")

        def fetch():
            with self.db.uow() as session:
                return rota_period(session, site_id, start, end)

        self.ops.run(fetch, self.show_week, self._failed)

    def show_week(self, period: RotaPeriod | None) -> None:
        if period is None or (period.start, period.end) != self.span():
            return  # a later request is on its way
        if period.site_id != self.site_box.currentData():
            return
        self.period = period
        self.error_label.hide()
        self.grid.show_period(period, self.today, compact=self.mode == "month")
        if self.mode == "month" and period.start <= self.today <= period.end:
            self._scroll_to_today()
        needed = period.places_needed
        sessions = sum(1 for s in period.shifts if not s.cancelled)
        noun = "month" if self.mode == "month" else "week"
        filled = f"{plural(needed, 'place')} still needed." if needed else "every place is filled."
        broken = period.rules_broken
        rules = f" {WARNING}: {plural(broken, 'assignment')}." if broken else ""
        proposed = any(p.proposed for s in period.shifts for p in s.people)
        legend = f" {LEGEND}" if proposed else ""
        self.summary.setText(
            f"{plural(sessions, 'session')} this {noun} at {period.site_name}; "
            f"{filled}{rules}{legend}"
        )
        self.data_shown.emit()

    def _scroll_to_today(self) -> None:
        """In a month, bring today's column into view with a day or two before it."""
        period = self.period
        if period is not None and period.start <= self.today <= period.end:
            column = (self.today - period.start).days + 1
            header = self.grid.horizontalHeader()
            self.grid.updateGeometries()  # the scroll range, for the new columns
            left = header.sectionPosition(column) - 2 * header.sectionSize(column)
            self.grid.horizontalScrollBar().setValue(max(0, left))

    def cell_text(self, post_name: str, day: date) -> str:
        """The text of one cell (for tests and accessibility checks)."""
        if self.period is None:
            return ""
        for row, post in enumerate(self.period.posts):
            if post.name == post_name:
                item = self.grid.item(row, (day - self.period.start).days + 1)
                return item.text() if item else ""
        return ""

    # --- the context menu ---------------------------------------------------------------
    def show_menu(self, row: int, column: int, line, where) -> None:
        self.menu = self.build_menu(row, column, line)
        if self.menu is not None:
            self.menu.popup(where)

    def build_menu(self, row: int, column: int, line=None) -> QMenu | None:
        """What a cell offers (``line``: the name clicked, if any); see ``cell_menu``."""
        return cell_menu(self, self.grid, row, column, line)

    def cell_activated(self, row: int, column: int) -> None:
        """Enter or a double-click: assign to the cell's session (add one if it has none)."""
        key = self.grid.key_at(row, column)
        if key is None:
            return
        live = [s for s in self.grid.shifts_at(row, column) if not s.cancelled]
        if not live:
            self.add_session(*key)
            return
        shift = next((s for s in live if s.needed), None) or next(
            (s for s in live if not s.full), None
        )
        if shift is None:
            self.tell(
                f"This session already has its maximum of {live[0].max_volunteers} volunteers."
            )
            return
        self.open_assign(shift)

    # --- changes: each runs on the worker, then is announced ----------------------------
    def write(self, work) -> None:
        """Run ``work(session, override_reason)`` in the background (see
        ``guarded_write``), then announce what changed and show it."""
        guarded_write(self, self.ops, self.db, work, self._written, self._not_written)

    def _written(self, result) -> None:
        self.bus.announce(getattr(result, "changes", result))
        if not self._loading:  # the announcement did not already reload this page
            self.load_week()
        problems = getattr(result, "problems", ())
        if problems:
            self.tell("Moved. At the new time these break a rule: " + "; ".join(problems))

    def _not_written(self, text: str, dialog=None) -> None:
        if dialog is not None:  # asking for an override reason
            self.dialog = dialog
            return
        self.tell(text)
        self.load_week()

    def tell(self, text: str) -> None:
        """A plain message over the page (not blocking)."""
        box = QMessageBox(QMessageBox.Icon.Information, "Rota", text, parent=self)
        box.setAccessibleName("Rota message")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        box.open()

    def _person(self, assignment_id: int):
        found = self.period.person(assignment_id) if self.period else None
        if found is None:
            self.tell("That assignment is no longer on the rota shown.")
        return found

    @property
    def username(self) -> str:
        return self.db.username

    def open_assign(self, shift: CellShift) -> None:
        from ..dialogs.assign import AssignDialog

        post = self.period.post(shift.post_id)
        what = (
            f"{post.name} on {shift.date:%a} {format_uk_date(shift.date)} {shift.start_time:%H:%M}"
        )
        dialog = AssignDialog(
            self.db, self.ops, shift.id, shift.date, self.period.site_id, what, self
        )
        dialog.chosen.connect(lambda vid, _name: self.assign(shift.id, vid))
        self.dialog = dialog
        dialog.open()

    def assign(self, shift_id: int, volunteer_id: int) -> None:
        self.write(
            lambda s, reason: rota_edit.assign(
                s, shift_id, volunteer_id, self.username, override_reason=reason
            )
        )

    def unassign(self, aid: int) -> None:
        if found := self._person(aid):
            version = found[1].version
            self.write(lambda s, _r: rota_edit.unassign(s, aid, version, self.username))

    def set_locked(self, aid: int, locked: bool) -> None:
        if found := self._person(aid):
            version = found[1].version
            self.write(lambda s, _r: rota_edit.set_locked(s, aid, version, locked, self.username))

    def set_status(self, aid: int, status: AssignmentStatus) -> None:
        if found := self._person(aid):
            version = found[1].version
            self.write(
                lambda s, reason: rota_edit.set_status(
                    s, aid, version, status, self.username, override_reason=reason
                )
            )

    def move_person(self, aid: int, to_shift_id: int) -> None:
        """A name dropped on another session: move it there (checked against the rules)."""
        if found := self._person(aid):
            version = found[1].version
            self.write(
                lambda s, reason: rota_edit.move_assignment(
                    s, aid, version, to_shift_id, self.username, override_reason=reason
                )
            )

    def swap_people(self, first: int, second: int) -> None:
        """A name dropped on another name: swap the two between their sessions."""
        a, b = self._person(first), self._person(second)
        if a and b:
            va, vb = a[1].version, b[1].version
            self.write(
                lambda s, reason: rota_edit.swap_assignments(
                    s, first, va, second, vb, self.username, override_reason=reason
                )
            )

    def record_attendance(self, aid: int) -> None:
        from ..dialogs.attendance import AttendanceDialog

        self.dialog = AttendanceDialog(self.db, self.ops, self.bus, aid, self)
        self.dialog.finished.connect(lambda _r: self.load_week())
        self.dialog.open()

    def record_outcome(self, shift_id: int) -> None:
        from ..dialogs.attendance import DeskOutcomeDialog

        self.dialog = DeskOutcomeDialog(self.db, self.ops, self.bus, shift_id, self)
        self.dialog.open()

    def open_autofill(self) -> None:
        from ..dialogs.autofill import AutofillDialog

        start, end = self.span()
        site_id = self.site_box.currentData()
        self.dialog = AutofillDialog(
            self.db, self.ops, self.bus, start, end, site_id, self.today, self
        )
        self.dialog.finished.connect(lambda _r: self.load_week())
        self.dialog.open()

    def print_rota(self) -> None:
        from ...core.reports.rota import build_rota
        from ..documents import preview_document

        site_id, (start, end) = self.site_box.currentData(), self.span()
        if site_id is None:
            return
        username = self.username

        def build() -> bytes:
            with self.db.uow() as session:
                return build_rota(session, site_id, start, end, username=username)

        title = f"Rota: {self.site_box.currentText()}, {self.week_label.text()}"
        self.dialog = preview_document(self, self.ops, title, build)

    # --- sessions (the dialogs and their writes: dialogs/shift.py) ----------------------
    def add_session(self, post_id: int | None = None, day: date | None = None) -> None:
        shift_dialogs.add_session(self, post_id, day)

    def move_session(self, shift: CellShift) -> None:
        shift_dialogs.move_session(self, shift)

    def cancel_session(self, shift: CellShift) -> None:
        shift_dialogs.cancel_session(self, shift)

    def restore_session(self, shift: CellShift) -> None:
        version = shift.version
        self.write(lambda s, _r: rota_edit.restore_shift(s, shift.id, version, self.username))
