"""Dashboard: what needs action, each tile with the list behind it, and two charts.

The figures come from ``core.services.dashboard`` (the rule engine) on the worker thread.
Assignments that will break a rule are checked after the rest, four weeks at a time, so
other pages can load in between on the national demo.
"""

from __future__ import annotations

import os
from datetime import timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.compliance.rules import State
from ...core.services.dashboard import (
    UNFILLED_HORIZON_DAYS,
    Dashboard,
    dashboard,
    future_breaches,
)
from ...core.validation import format_uk_date
from ..charts import Bar, ColumnChart, RowChart, Tile
from ..dialogs.week_summary import WeekSummaryDialog
from ..table_model import ROW_ROLE, Column, PreparedRows, RowTableModel
from ..widgets import add_shortcut, fit_columns, heading, note, plural, table_view
from .base import Page
from .matrix_model import WATCHES, open_record_dialog

QUIT_AFTER_ENV = "VOLUNTEERDESK_QUIT_AFTER_MS"  # as main_window: an automated run
NO_SUMMARY_ENV = "VOLUNTEERDESK_NO_WEEK_SUMMARY"  # tests set it to keep the summary away
BREACH_STEP_DAYS = 28
BREACH_START_MS = 300  # after the figures are on screen
# The lists of records (they can be opened, and some renewed):
ITEM_LISTS = ("expired_items", "expiring_items", "pending_clearances")
LOCAL_STYLE = """
QFrame#tile:focus { border: 2px solid palette(highlight); }
QFrame#tile[selected="true"] {
    border: 2px solid palette(highlight);
    background: palette(alternate-base);
}
QLabel#tileMark { font-weight: 600; }
"""


def _date(title: str, get) -> Column:
    return Column(title, get, text=lambda r: format_uk_date(get(r)))


VOLUNTEER = Column("Volunteer", lambda r: r.volunteer)
REQUIREMENT = Column("Requirement", lambda r: r.requirement)
RENEWAL = Column("Renewal", lambda r: "In progress" if r.renewal_in_progress else "")
IN_WORDS = Column("In words", lambda r: r.reason)
WHEN = [
    _date("Date", lambda r: r.day),
    Column("Time", lambda r: r.start, text=lambda r: f"{r.start:%H:%M}"),
]
WHERE = [Column("Site", lambda r: r.site), Column("Post", lambda r: r.post)]
# key: (caption, what it counts, columns of its list, the column sorted at first)
LISTS = {
    "active_volunteers": ("Active volunteers", "Volunteers whose status is active.", [
        Column("Volunteer", lambda r: r.name),
        Column("Sites", lambda r: r.sites),
        Column("Community", lambda r: r.community),
    ], 0),
    "expired_items": ("Expired or refused",
        "Clearances and training of current volunteers that have lapsed or were refused.", [
        VOLUNTEER, REQUIREMENT, Column("State", lambda r: r.state.label),
        _date("Expired on", lambda r: r.expires_on), RENEWAL, IN_WORDS,
    ], 3),
    "expiring_items": ("Expiring within 30 days",
        "In force today, lapsing within the warning period.", [
        VOLUNTEER, REQUIREMENT, _date("Expires on", lambda r: r.expires_on), RENEWAL, IN_WORDS,
    ], 2),
    "pending_clearances": ("Clearances pending",
        "Applied for or in progress: cannot be rostered yet. Oldest first: chase these.", [
        VOLUNTEER, Column("Clearance", lambda r: r.requirement),
        _date("Pending since", lambda r: r.since), IN_WORDS,
    ], 2),
    "unfilled_places": (f"Unfilled places, next {UNFILLED_HORIZON_DAYS} days",
        "Places below each shift's minimum, counting today.", [
        *WHEN, Column("Needed", lambda r: r.needed, text=lambda r: f"{r.needed} of {r.minimum}"),
        *WHERE,
    ], 0),
    "breaches": ("Assignments breaking a rule",
        "Rostered from today on, each checked against the rules on its own date.", [
        *WHEN, VOLUNTEER, Column("Rule broken", lambda r: "; ".join(r.reasons)), *WHERE,
    ], 0),
}  # fmt: skip


# The list behind each tile (but the breaches, checked in steps afterwards).
LIST_SOURCES = {
    "active_volunteers": "active",
    "expired_items": "expired",
    "expiring_items": "expiring",
    "pending_clearances": "pending",
    "unfilled_places": "unfilled",
}


class DashboardPage(Page):
    title = "Dashboard"
    watches = WATCHES
    breaches_shown = Signal()  # the breaches tile has its final figure
    reveal_requested = Signal()  # the week summary asks for the dashboard to be shown

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.setStyleSheet(LOCAL_STYLE)
        self.board: Dashboard | None = None
        self.breaches_ready = False
        self.week_summary: WeekSummaryDialog | None = None
        self._summary_wanted = False
        self._generation = 0
        self._sized: set[str] = set()
        self.as_of = note("Loading…", "Date of the figures")
        self.as_of.setWordWrap(False)
        self.tiles: dict[str, Tile] = {}
        self.models: dict[str, RowTableModel] = {}
        self.tables: dict[str, QWidget] = {}
        self.lists = QStackedWidget()
        self.lists.setAccessibleName("List behind the chosen tile")
        grid = QGridLayout()
        grid.setSpacing(10)
        for i, (key, (caption, hint, columns, sort)) in enumerate(LISTS.items()):
            tile = self.tiles[key] = Tile(key, caption, hint)
            tile.chosen.connect(self.show_list)
            grid.addWidget(tile, i // 3, i % 3)
            model = self.models[key] = RowTableModel(columns, parent=self)
            table = self.tables[key] = table_view(model, f"{caption}: list", sort_column=sort)
            table.activated.connect(lambda index, k=key: self.open_row(k, index.row()))
            table.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
            add_shortcut(QKeySequence("Ctrl+R"), table, self.renew_selected,
                         Qt.ShortcutContext.WidgetShortcut)  # fmt: skip
            self.lists.addWidget(table)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.list_title = QLabel("")
        self.list_title.setObjectName("sectionHeading")
        self.list_title.setWordWrap(True)
        self.list_note = note("", "About this list")
        self.open_button = self._button("&Open", self.open_selected)
        self.renew_button = self._button("&Renew…", self.renew_selected)
        self.record_button = self._button("Open re&cord…", self.open_selected_record)
        self.print_button = self._button("&Print…", self.print_shown)
        self.print_button.setToolTip("Print the figures and this list (Ctrl+P)")
        self.export_button = self._button("E&xport…", self.export_shown)
        self.export_button.setToolTip("Save this list as an Excel or CSV file")
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_shown)
        # Printing and exporting beside the list's title, opening and renewing under it:
        # one row of five buttons would make the page too wide for a small screen.
        title_row = QHBoxLayout()
        title_row.addWidget(self.list_title, 1)
        title_row.addWidget(self.export_button)
        title_row.addWidget(self.print_button)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.renew_button, self.record_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addLayout(title_row)
        left.addWidget(self.list_note)
        left.addWidget(self.lists, 1)
        left.addLayout(buttons)

        self.month_chart = ColumnChart("Expiries per month", "No expiries in the next 12 months")
        self.site_chart = RowChart("Compliance by site", "No sites")
        site_scroll = QScrollArea()
        site_scroll.setWidget(self.site_chart)
        site_scroll.setWidgetResizable(True)
        site_scroll.setFrameShape(QFrame.Shape.NoFrame)
        site_scroll.setAccessibleName("Compliance by site (scrolls)")
        site_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self._section("Expiries per month"))
        right.addWidget(note("Clearances and training in force today, by the month they lapse.",
                             "About expiries per month"))  # fmt: skip
        right.addWidget(self.month_chart, 1)
        right.addWidget(self._section("Compliance by site"))
        right.addWidget(note("Share of each site's active volunteers with nothing expired or "
                             "refused; lowest first.", "About compliance by site"))  # fmt: skip
        right.addWidget(site_scroll, 1)
        lower = QHBoxLayout()
        lower.setSpacing(20)
        lower.addLayout(left, 3)
        lower.addLayout(right, 2)

        top = QHBoxLayout()
        top.addWidget(heading("Dashboard"))
        top.addStretch(1)
        top.addWidget(self.as_of)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addLayout(grid)
        layout.addLayout(lower, 1)
        # The tiles, the list and the charts need more height than a small screen has
        # (540 pixels at 200% scaling): there the page scrolls as a whole.
        self.scroll = QScrollArea()
        self.scroll.setWidget(body)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        chain = [*self.tiles.values(), *self.tables.values()]
        chain += [self.open_button, self.renew_button, self.record_button]
        chain += [self.export_button, self.print_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)  # the tiles, then the list, then its buttons
        self.current_list = "expired_items"
        self.show_list("expired_items", focus=False)

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionHeading")
        label.setAccessibleName(text)
        return label

    # ----- loading ---------------------------------------------------------------------
    def reload(self) -> None:
        self._generation += 1  # drops the breaches still coming for the old figures
        if self.board is None:
            self.as_of.setText("Loading…")
        super().reload()

    def fetch(self) -> tuple[Dashboard, dict[str, PreparedRows]]:
        with self.db.uow() as session:
            board = dashboard(session, self.today, with_breaches=False)
        # Sorted and keyed here, on the worker: 7,000 active volunteers took the GUI thread
        # tens of milliseconds to sort when shown.
        prepared = {
            key: self.models[key].prepare_rows(getattr(board, attribute))
            for key, attribute in LIST_SOURCES.items()
        }
        return board, prepared

    def show_data(self, data: tuple[Dashboard, dict[str, PreparedRows]]) -> None:
        board, prepared_lists = data
        self.board = board
        self.as_of.setText(f"Figures as of {board.today:%A} {format_uk_date(board.today)}.")
        counts = board.counts
        expiring_caption = f"Expiring within {board.warning_days} days"
        self.tiles["expiring_items"].set_caption(expiring_caption)

        def renewing(items) -> str:
            n = sum(1 for i in items if i.renewal_in_progress)
            return f"{n:,} more with a renewal in progress." if n else ""

        oldest = board.pending[0].since if board.pending else None
        shifts = plural(len(board.unfilled), "shift")
        hints = {
            "active_volunteers": "",
            "expired_items": renewing(board.expired),
            "expiring_items": renewing(board.expiring),
            "pending_clearances": f"Oldest since {format_uk_date(oldest)}." if oldest else "",
            "unfilled_places": f"{shifts} short." if board.unfilled else "",
        }
        for key, hint in hints.items():
            value = getattr(counts, key)
            attention = key != "active_volunteers" and value > 0
            self.tiles[key].set_value(f"{value:,}", attention, hint)
        for key, prepared in prepared_lists.items():
            self.models[key].set_rows(prepared)
        self._show_charts(board)
        self.breaches_ready = False
        self.tiles["breaches"].set_value("…", False, "Checking future assignments…")
        self.models["breaches"].set_rows([])
        # The first steps wait until the figures have been painted: the check holds the
        # interpreter lock in turns with the window, which made that first paint stutter.
        generation = self._generation
        QTimer.singleShot(
            BREACH_START_MS, self,
            lambda: self._check_breaches(generation, board, board.today, []),
        )  # fmt: skip
        self.show_list(self.current_list, focus=False)
        if self._summary_wanted:
            self._summary_wanted = False
            self.show_week_summary()

    def _check_breaches(self, generation: int, board: Dashboard, start, found: list) -> None:
        """Four weeks at a time to the last shift; each step queued after the last one."""
        if generation != self._generation:
            return
        last = board.last_shift_day
        if last is None or start > last:
            self._show_breaches(found)
            return
        end = start + timedelta(days=BREACH_STEP_DAYS - 1)
        self.tiles["breaches"].set_value(
            f"{len(found):,}…", bool(found), f"Checked to {format_uk_date(min(end, last))}…"
        )

        def step():
            with self.db.uow() as session:
                return future_breaches(session, board.data, start, end)

        def more(rows) -> None:
            found.extend(rows)
            self._check_breaches(generation, board, end + timedelta(days=1), found)

        self.ops.run(step, more, self._failed)

    def _show_breaches(self, found: list) -> None:
        self.breaches_ready = True
        last = self.board.last_shift_day
        self.tiles["breaches"].set_value(
            f"{len(found):,}",
            bool(found),
            f"Rota checked to {format_uk_date(last)}." if last else "No shifts ahead.",
        )
        self.models["breaches"].set_rows(found)
        self._refresh_list_title()
        self.breaches_shown.emit()

    def _show_charts(self, board: Dashboard) -> None:
        months = []
        for m in board.expiries_by_month:
            label = f"{m.month:%b}" + (
                f"\n{m.month:%Y}" if m.month.month == 1 or not months else ""
            )
            months.append(Bar(label, m.count, f"{m.count:,}", f"{m.month:%B %Y}: {m.count:,}"))
        self.month_chart.set_bars(months)
        self.site_chart.set_bars(
            [
                Bar(s.site, s.share or 0.0,
                    f"{s.share:.0%} ({s.compliant:,} of {s.active:,})" if s.share is not None
                    else "no active volunteers")
                for s in board.sites
            ]
        )  # fmt: skip

    # ----- the list behind a tile ------------------------------------------------------
    def show_list(self, key: str, *, focus: bool = True) -> None:
        self.current_list = key
        for k, tile in self.tiles.items():
            tile.set_selected(k == key)
        self.lists.setCurrentWidget(self.tables[key])
        self._refresh_list_title()
        table = self.tables[key]
        model = self.models[key]
        if model.rowCount() and not table.currentIndex().isValid():
            table.selectRow(0)
        if model.rowCount() and key not in self._sized:
            fit_columns(table)
            self._sized.add(key)
        if focus:
            table.setFocus()
        self._update_buttons()

    # ----- printing what is shown --------------------------------------------------------
    def print_shown(self):
        """Preview (then print or save) the tiles' figures and the list shown below them."""
        from ...core.validation import format_uk_date
        from ..print_list import print_model

        if self.board is None:
            return None
        caption = self.tiles[self.current_list].caption
        figures = [(tile.caption, tile.value_label.text()) for tile in self.tiles.values()]
        return print_model(
            self,
            self.ops,
            self.db,
            title=f"Dashboard: {caption}",
            subtitle=f"Figures as of {format_uk_date(self.board.today)}",
            model=self.models[self.current_list],
            figures=figures,
            note=self.list_note.text().split(" Enter or double-click")[0],
            today=self.today,
        )

    def export_shown(self):
        from ..print_list import export_model

        caption = self.tiles[self.current_list].caption
        return export_model(
            self, f"Dashboard {caption}", self.models[self.current_list], self.today
        )

    def _refresh_list_title(self) -> None:
        key = self.current_list
        caption, hint, _columns, _sort = LISTS[key]
        caption = self.tiles[key].caption
        model = self.models[key]
        waiting = key == "breaches" and not self.breaches_ready
        count = "checking…" if waiting else plural(model.rowCount(), "row")
        self.list_title.setText(f"{caption}: {count}")
        self.list_title.setAccessibleName(f"{caption}: {count}")
        opens = "the shift" if key == "unfilled_places" else "the volunteer"
        self.list_note.setText(f"{hint} Enter or double-click opens {opens}.")

    def selected_row(self):
        table = self.tables[self.current_list]
        index = table.currentIndex()
        return table.model().data(index, ROW_ROLE) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected_row()
        key = self.current_list
        self.open_button.setText("&Open shift" if key == "unfilled_places" else "&Open volunteer")
        self.open_button.setAccessibleName(self.open_button.text().replace("&", ""))
        self.open_button.setEnabled(row is not None)
        self.renew_button.setVisible(key in ("expired_items", "expiring_items"))
        self.renew_button.setEnabled(self._renewable(row))
        self.record_button.setVisible(key in ITEM_LISTS)
        self.record_button.setEnabled(key in ITEM_LISTS and row is not None and bool(row.record_id))

    def _renewable(self, row) -> bool:
        """An expired or expiring record (not a refusal) of the list shown."""
        return (
            self.current_list in ("expired_items", "expiring_items")
            and row is not None
            and bool(row.record_id)
            and row.state in (State.EXPIRED, State.EXPIRING)
        )

    def open_row(self, key: str, row: int) -> None:
        item = self.models[key].row_at(row)
        if key == "unfilled_places":
            self.open_record.emit("shift", item.shift_id)
        else:
            self.open_record.emit("volunteer", item.volunteer_id)

    def open_selected(self) -> None:
        index = self.tables[self.current_list].currentIndex()
        if index.isValid():
            self.open_row(self.current_list, index.row())

    def renew_selected(self) -> None:
        row = self.selected_row()
        if self._renewable(row):
            open_record_dialog(self, self.db, self.bus, row.kind, row.volunteer_id,
                               row.record_id, renew=True, today=self.today)  # fmt: skip

    def open_selected_record(self) -> None:
        row = self.selected_row()
        if self.current_list in ITEM_LISTS and row is not None and row.record_id:
            open_record_dialog(self, self.db, self.bus, row.kind, row.volunteer_id,
                               row.record_id, today=self.today)  # fmt: skip

    # ----- the start-up summary ----------------------------------------------------------
    def show_week_summary(self, *, force: bool = False) -> WeekSummaryDialog | None:
        """A small non-modal summary of this week's actions, once the figures are in.

        Not shown in automated runs (``VOLUNTEERDESK_QUIT_AFTER_MS`` or
        ``VOLUNTEERDESK_NO_WEEK_SUMMARY`` set) unless ``force``, nor when nothing needs
        action. Before the figures arrive it waits for them (and returns None).
        """
        if not force and (os.environ.get(QUIT_AFTER_ENV) or os.environ.get(NO_SUMMARY_ENV)):
            return None
        if self.board is None:
            self._summary_wanted = True
            if not self._loaded and not self._loading:
                self.reload()
            return None
        if not self.board.week.needs_action and not force:
            return None
        if self.week_summary is not None:
            self.week_summary.close()
        dialog = WeekSummaryDialog(self.board.week, parent=self.window())
        dialog.show_list.connect(self.reveal)
        dialog.show()
        self.week_summary = dialog
        return dialog

    def reveal(self, key: str) -> None:
        """Bring the dashboard forward with ``key``'s list showing."""
        self.reveal_requested.emit()
        window = self.window()
        if hasattr(window, "show_page") and hasattr(window, "index_of"):
            window.show_page(window.index_of(type(self)))
        self.show_list(key)
