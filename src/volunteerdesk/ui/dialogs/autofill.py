"""Auto-fill a date range, for one site or all: propose, look, then accept or discard.

"Propose" runs ``propose_fill`` on the background worker with a progress bar and a
Cancel that works; the proposal shows what it would add (and why each person) and every
place it cannot fill, with the reasons in words. "Accept" writes it in one step
(``accept_proposal``), listing any addition that no longer holds; "Undo auto-fill" (or
Ctrl+Z) removes exactly what was written, except what someone has changed since.
"""

from __future__ import annotations

import threading
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.scheduling.autofill import (
    AcceptResult,
    Proposal,
    UndoResult,
    accept_proposal,
    propose_fill,
    undo_accept,
)
from ...core.services.records import site_choices
from ...core.validation import InvalidValue, format_uk_date, parse_uk_date
from ..widgets import heading, note, plural
from .attendance import problem_text, weak
from .autofill_tables import additions_model, additions_view, fit, gaps_model, gaps_view


def _date_box(name: str, value: date) -> QLineEdit:
    box = QLineEdit(format_uk_date(value))
    box.setPlaceholderText("dd/mm/yyyy")
    box.setAccessibleName(name)
    box.setMaximumWidth(120)
    return box


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class AutofillDialog(QDialog):
    """Propose volunteers for the open places of a range; accept, undo or discard."""

    def __init__(self, db, ops, bus, start: date, end: date, site_id: int | None, today: date,
                 parent=None):  # fmt: skip
        super().__init__(parent)
        self.db, self.ops, self.bus, self.today = db, ops, bus, today
        self.proposal: Proposal | None = None
        self.accepted: AcceptResult | None = None  # what Undo removes
        self.accepted_from: Proposal | None = None  # the proposal it came from
        self.working = ""  # "proposing", "accepting", "undoing" or ""
        self._stop = threading.Event()
        self._gone = False
        self.setWindowTitle("Auto-fill the rota")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        self.start_box = _date_box("From date", start)
        self.end_box = _date_box("To date", end)
        self.site_box = QComboBox()
        self.site_box.setAccessibleName("Site")
        self.site_box.addItem("All sites", None)
        with db.uow() as session:
            for site in site_choices(session):
                if site.active or site.id == site_id:
                    self.site_box.addItem(site.name, site.id)
        self.site_box.setCurrentIndex(max(self.site_box.findData(site_id), 0))
        self.propose_button = QPushButton("&Propose")
        self.propose_button.setAccessibleName("Propose")
        self.propose_button.setToolTip("Work out who could fill the open places (Enter)")
        self.propose_button.setDefault(True)
        self.propose_button.clicked.connect(self.propose)
        for box in (self.start_box, self.end_box):
            box.textEdited.connect(self._check_range)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Progress")
        self.progress_text = QLabel()
        self.progress_text.setAccessibleName("What auto-fill is doing")
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setAccessibleName("Cancel proposing")
        self.cancel_button.setToolTip("Stop working out the proposal (Esc)")
        self.cancel_button.clicked.connect(self.cancel)

        self.summary = note("", "Summary")
        self.summary.setObjectName("sectionHeading")
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setAccessibleName("What was written")
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.adds = additions_model(self)
        self.adds_view = additions_view(self.adds)
        self.gaps = gaps_model(self)
        self.gaps_view = gaps_view(self.gaps)
        self.adds_title = QLabel("Proposed assignments")
        self.adds_title.setBuddy(self.adds_view)
        self.gaps_title = QLabel("Places it could not fill")
        self.gaps_title.setBuddy(self.gaps_view)
        for title in (self.adds_title, self.gaps_title):
            title.setObjectName("sectionHeading")
            title.setAccessibleName(title.text())

        self.accept_button = QPushButton("&Accept")
        self.accept_button.setAccessibleName("Accept the proposal")
        self.accept_button.setToolTip("Write these assignments to the rota, as proposed")
        self.accept_button.clicked.connect(self.accept_proposal)
        self.undo_button = QPushButton("&Undo auto-fill")
        self.undo_button.setAccessibleName("Undo auto-fill")
        self.undo_button.setToolTip("Remove the assignments auto-fill wrote (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo)
        self.close_button = QPushButton("&Discard")
        self.close_button.setAccessibleName("Discard and close")
        self.close_button.setToolTip("Close without writing anything (Esc)")
        self.close_button.clicked.connect(self.close)
        undo_action = QAction("Undo auto-fill", self)
        undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        undo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        undo_action.triggered.connect(self.undo)
        self.addAction(undo_action)

        self._lay_out()
        self._show_proposal(None)
        self.resize(1180, 720)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Auto-fill the rota"))
        layout.addWidget(
            note(
                "Proposes volunteers for the places still open, up to each session's "
                "minimum, without breaking any rule and spreading the load fairly. Nothing "
                "is written until you accept, and accepting can be undone.",
                "About auto-fill",
            )
        )
        choose = QHBoxLayout()
        for text, widget in (
            ("&From:", self.start_box),
            ("&To:", self.end_box),
            ("&Site:", self.site_box),
        ):
            choose.addWidget(_buddy(text, widget))
            choose.addWidget(widget)
            choose.addSpacing(8)
        choose.addWidget(self.propose_button)
        choose.addStretch(1)
        layout.addLayout(choose)
        self.range_error = QLabel()
        self.range_error.setObjectName("range_error")
        self.range_error.setAccessibleName("Date range error")
        self.range_error.setStyleSheet("color: #b00020;")
        self.range_error.setVisible(False)
        layout.addWidget(self.range_error)
        self.progress_row = QWidget()
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress, 1)
        row.addWidget(self.progress_text, 1)
        row.addWidget(self.cancel_button)
        self.progress_row.setVisible(False)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.outcome)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        for title, view in ((self.adds_title, self.adds_view), (self.gaps_title, self.gaps_view)):
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 4, 0, 0)
            column.addWidget(title)
            column.addWidget(view)
            split.addWidget(holder)
        split.setSizes([220, 380])  # the gaps need the room: their reasons wrap
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    # ----- the range --------------------------------------------------------------------
    def _range(self) -> tuple[date, date] | None:
        try:
            start = parse_uk_date(self.start_box.text())
            end = parse_uk_date(self.end_box.text())
        except InvalidValue as exc:
            return self._range_problem(str(exc))
        if start is None or end is None:
            return self._range_problem("Enter both dates, as dd/mm/yyyy.")
        if end < start:
            return self._range_problem("The end date is before the start date.")
        if (end - start).days > 366:
            return self._range_problem("Choose at most a year at a time.")
        self.range_error.setVisible(False)
        return start, end

    def _range_problem(self, text: str) -> None:
        self.range_error.setText(text)
        self.range_error.setVisible(True)
        return None

    def _check_range(self, *_args) -> None:
        self._range()
        self._update_buttons()

    # ----- proposing --------------------------------------------------------------------
    def propose(self) -> None:
        chosen = self._range()
        if chosen is None or self.working:
            return
        start, end = chosen
        site_id, today, db = self.site_box.currentData(), self.today, self.db
        self._stop = stop = threading.Event()

        def work(progress):
            with db.uow() as session:
                return propose_fill(session, start, end, site_id, progress=progress,
                                    cancelled=stop.is_set, today=today)  # fmt: skip

        self._begin("proposing", "Starting…")
        self.summary.setText("Working out who could fill the open places…")
        self.outcome.setText("")
        self.ops.run_with_progress(
            work, weak(self._progressed), weak(self._proposed), weak(self._failed)
        )

    def _progressed(self, message: str, fraction: float) -> None:
        if self._gone or self.working != "proposing" or self._stop.is_set():
            return
        self.progress.setValue(int(fraction * 100))
        self.progress_text.setText(message)

    def _proposed(self, proposal: Proposal) -> None:
        if self._gone:
            return
        self._end()
        if proposal.cancelled:
            self.summary.setText("Stopped before it finished: nothing is proposed.")
            return
        self.proposal = proposal
        self._show_proposal(proposal)

    def cancel(self) -> None:
        if self.working == "proposing":
            self._stop.set()
            self.cancel_button.setEnabled(False)
            self.progress_text.setText("Stopping…")

    def _show_proposal(self, proposal: Proposal | None) -> None:
        self.adds.set_rows(proposal.additions if proposal else [])
        self.gaps.set_rows(proposal.gaps if proposal else [])
        n, m = len(self.adds.shown_rows()), len(self.gaps.shown_rows())
        self.adds_title.setText(
            f"Proposed assignments ({n})" if proposal else "Proposed assignments"
        )
        self.gaps_title.setText(
            f"Places it could not fill ({m})" if proposal else "Places it could not fill"
        )
        if proposal is None:
            self.summary.setText("Choose the dates and the site, then press Propose.")
        elif proposal.places_open == 0:
            self.summary.setText(
                f"Every session at {proposal.site} from {format_uk_date(proposal.start)} to "
                f"{format_uk_date(proposal.end)} already has its minimum: nothing to fill."
            )
        else:
            left = sum(g.places for g in proposal.gaps)
            self.summary.setText(
                f"Filled {proposal.filled} of {plural(proposal.places_open, 'open place')} at "
                f"{proposal.site} from {format_uk_date(proposal.start)} to "
                f"{format_uk_date(proposal.end)}: {plural(n, 'assignment')} proposed, "
                f"{plural(left, 'place')} left open."
            )
        one_site = proposal is not None and proposal.site_id is not None  # named above
        for view in (self.adds_view, self.gaps_view):
            view.setColumnHidden(2, one_site)
        fit(self.adds_view, {2: 220, 3: 240, 4: 200})
        fit(self.gaps_view, {2: 200, 3: 220, 5: 420})
        self._update_buttons()

    # ----- accepting and undoing --------------------------------------------------------
    def accept_proposal(self) -> None:
        proposal, db = self.proposal, self.db
        if self.working or proposal is None or not proposal.additions:
            return

        def work():
            with db.uow() as session:
                return accept_proposal(session, proposal, db.username)

        self._begin("accepting", "Writing the assignments…")
        self.ops.run(work, weak(self._accepted), weak(self._failed))

    def _accepted(self, result: AcceptResult) -> None:
        if self._gone:
            return
        self._end()
        self.accepted, self.accepted_from = result, self.proposal
        self.bus.announce(result.changes)
        text = f"Accepted: {plural(len(result.created), 'assignment')} written as proposed."
        if result.skipped:
            text += (
                f" {plural(len(result.skipped), 'addition was', 'additions were')} no longer "
                "possible and not written:\n• " + "\n• ".join(result.skipped)
            )
        self.outcome.setText(text)
        self.close_button.setText("&Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.setToolTip("Close (Esc)")
        self._update_buttons()

    def undo(self) -> None:
        result, db = self.accepted, self.db
        if self.working or result is None:
            return

        def work():
            with db.uow() as session:
                return undo_accept(session, result, db.username)

        self._begin("undoing", "Removing what auto-fill wrote…")
        self.ops.run(work, weak(self._undone), weak(self._failed))

    def _undone(self, result: UndoResult) -> None:
        if self._gone:
            return
        self._end()
        self.accepted = self.accepted_from = None
        self.bus.announce(result.changes)
        text = f"Auto-fill undone: {plural(result.removed, 'assignment')} removed."
        if result.kept:
            text += (
                f" {plural(len(result.kept), 'assignment')} stayed because someone changed "
                "them since:\n• " + "\n• ".join(result.kept)
            )
        self.outcome.setText(text)
        self._update_buttons()

    # ----- state ------------------------------------------------------------------------
    def _begin(self, what: str, message: str) -> None:
        self.working = what
        self.progress.setRange(0, 100 if what == "proposing" else 0)  # 0: busy, no fraction
        self.progress.setValue(0)
        self.progress_text.setText(message)
        self.cancel_button.setVisible(what == "proposing")
        self.cancel_button.setEnabled(True)
        self.progress_row.setVisible(True)
        if what == "proposing":
            self.cancel_button.setFocus()
        self._update_buttons()

    def _end(self) -> None:
        self.working = ""
        self.progress_row.setVisible(False)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        if self._gone:
            return
        what = self.working
        self._end()
        words = {"proposing": "propose", "accepting": "accept", "undoing": "undo"}
        message = f"Could not {words.get(what, 'finish')}: {problem_text(error)}"
        self.outcome.setText(message)  # in words, where the results go; no blocking box

    def _update_buttons(self) -> None:
        idle = not self.working
        self.propose_button.setEnabled(idle and not self.range_error.isVisible())
        for widget in (self.start_box, self.end_box, self.site_box):
            widget.setEnabled(idle)
        proposal = self.proposal
        can_accept = (
            proposal is not None and bool(proposal.additions) and self.accepted_from is not proposal
        )
        self.accept_button.setEnabled(idle and can_accept)
        self.undo_button.setEnabled(idle and self.accepted is not None)
        self.close_button.setEnabled(idle)

    # ----- leaving ----------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            if self.working == "proposing":
                self.cancel()
            elif not self.working:
                self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.working in ("accepting", "undoing"):
            event.ignore()  # a write is on its way: its result must be shown
            return
        self._stop.set()
        self._gone = True
        super().closeEvent(event)
