"""The import wizard: file, columns, preview, confirm, report (issue 7).

It drives the same core steps as ``core.importing.flow.import_flow`` (read the table,
offer a mapping, build the plan, commit it) one by one on the background worker, so that
Cancel while checking goes back to the columns without reading the file again. Reading,
checking and writing report progress and stop when Cancel is pressed; nothing is written
until Import is pressed on the confirm page, and then all in one transaction.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.db import Database
from ..core.exports.tables import write_csv
from ..core.importing import (
    ImportPlan,
    ImportResult,
    Outcome,
    Table,
    UndoResult,
    build_plan,
    check_mapping,
    fields_for,
    initial_mapping,
    read_table,
    sheet_names,
    undo_import,
)
from ..core.importing.readers import XLSX_SUFFIXES
from ..core.importing.targets import FieldSpec
from ..core.memory import bulk_load
from .bus import ChangeBus
from .import_pages import ColumnsPage, ConfirmPage, FilePage, ReportPage
from .import_preview import PreviewPage
from .import_text import confirm_sentence, error_text, problem_text, sample_values
from .import_work import BackgroundSteps
from .ops import Ops
from .widgets import heading, plural

STEPS = ("Choose the file", "Match the columns", "Check every row", "Confirm", "Report")


def ask_open_path(parent: QWidget | None) -> str | None:
    """The file to import, chosen by the person (tests replace this function)."""
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        "Choose the file to import",
        "",
        "Spreadsheets (*.csv *.xlsx *.xlsm *.txt *.tsv);;All files (*)",
    )
    return path or None


def ask_save_path(parent: QWidget | None, suggested: str) -> str | None:
    """Where to save the error report (tests replace this function)."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Save the error report", suggested, "CSV files (*.csv)"
    )
    return path or None


@dataclass
class ReadFile:
    table: Table
    fields: list[FieldSpec]
    mapping: dict[str, str]
    remembered: bool
    samples: dict[str, list[str]]


class ImportWizard(BackgroundSteps, QDialog):
    """Import volunteers, communities, training or clearances from a CSV or XLSX file."""

    imported = Signal(object)  # the ImportResult, to keep for Edit > Undo import
    undone = Signal(object)  # the UndoResult

    def __init__(
        self, db: Database, ops: Ops, bus: ChangeBus, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.ops, self.bus, self.today = db, ops, bus, today
        self.setWindowTitle("Import from a spreadsheet")
        self.setAccessibleName("Import from a spreadsheet")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.resize(1000, 700)
        self.read: ReadFile | None = None
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.busy = False
        self._stop: threading.Event | None = None
        self._closed = False
        self._sheets_for: str | None = None

        self.step = heading("", "Step")
        self.pages = QStackedWidget()
        self.file_page, self.columns_page = FilePage(), ColumnsPage()
        self.preview_page, self.confirm_page = PreviewPage(), ConfirmPage()
        self.report_page = ReportPage()
        for page in (
            self.file_page,
            self.columns_page,
            self.preview_page,
            self.confirm_page,
            self.report_page,
        ):
            self.pages.addWidget(page)
        self.status = QLabel()
        self.status.setObjectName("errorText")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Message")
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("Progress")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Progress")
        self.stop_button = QPushButton("Cancel")
        self.stop_button.setAccessibleName("Cancel this step")
        self.progress_row = QWidget()
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress_label)
        row.addWidget(self.progress, 1)
        row.addWidget(self.stop_button)
        self.progress_row.hide()
        self.back_button = QPushButton("< Back")
        self.back_button.setAccessibleName("Back")
        self.next_button = QPushButton("Next >")
        self.next_button.setAccessibleName("Next")
        self.next_button.setDefault(True)
        self.close_button = QPushButton("Cancel")
        self.close_button.setAccessibleName("Cancel the import")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.next_button.setAutoDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.progress_row)
        layout.addLayout(buttons)

        self.file_page.choose_requested.connect(self._choose_file)
        self.file_page.path.editingFinished.connect(self._look_for_sheets)
        self.file_page.changed.connect(self._update_buttons)
        self.columns_page.mapping_changed.connect(self._check_columns)
        self.preview_page.decided.connect(self._update_buttons)
        self.preview_page.save_errors_requested.connect(self.save_error_report)
        self.report_page.undo_requested.connect(self.undo)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.reject)
        self.stop_button.clicked.connect(self.cancel_work)
        QShortcut(QKeySequence.StandardKey.Find, self, self._find)
        self._show_page(0)

    # --- moving between pages ------------------------------------------------------------
    @property
    def page(self) -> int:
        return self.pages.currentIndex()

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.step.setText(f"Step {index + 1} of {len(STEPS)}: {STEPS[index]}")
        self.status.clear()
        self.status.hide()
        self._update_buttons()
        first = {
            0: self.file_page.target,
            2: self.preview_page.table,
            3: self.next_button,
            4: self.report_page.undo,
        }.get(index)
        if index == 1 and self.columns_page.combos:
            first = next(iter(self.columns_page.combos.values()))
        if first is not None:
            first.setFocus()

    def _update_buttons(self) -> None:
        page, idle = self.page, not self.busy
        self.back_button.setVisible(0 < page < 4)
        self.next_button.setVisible(page < 4)
        self.back_button.setEnabled(idle)
        self.next_button.setText("Import" if page == 3 else "Next >")
        self.next_button.setAccessibleName("Import" if page == 3 else "Next")
        ready = {
            0: bool(self.file_page.path.text().strip()),
            1: self.read is not None and not self._problems(),
            2: self.plan is not None and self.plan.ready,
            3: self.plan is not None and self.plan.ready,
        }.get(page, False)
        self.next_button.setEnabled(idle and ready)
        self.close_button.setText("Close" if page == 4 else "Cancel")
        self.close_button.setAccessibleName("Close" if page == 4 else "Cancel the import")
        self.close_button.setEnabled(idle or page != 4)
        self.report_page.undo.setEnabled(idle and self.result is not None)
        self.file_page.setEnabled(idle)
        self.columns_page.setEnabled(idle)
        self.preview_page.setEnabled(idle)

    def next(self) -> None:
        if not self.next_button.isEnabled() or not self.next_button.isVisible():
            return
        if self.page == 0:
            self.read_file()
        elif self.page == 1:
            self.check_rows()
        elif self.page == 2:
            self.confirm_page.show_plan(confirm_sentence(self.plan), self.plan)
            self._show_page(3)
        elif self.page == 3:
            self.commit()

    def back(self) -> None:
        if not self.busy and 0 < self.page < 4:
            self._show_page(self.page - 1)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _find(self) -> None:
        if self.page == 2:
            self.preview_page.search.setFocus()
            self.preview_page.search.selectAll()

    # --- 1. the file ---------------------------------------------------------------------
    def _choose_file(self) -> None:
        path = ask_open_path(self)
        if path:
            self.file_page.path.setText(path)
            self._look_for_sheets()

    def _look_for_sheets(self) -> None:
        path = self.file_page.path.text().strip()
        if path == self._sheets_for or self.busy:
            return
        self._sheets_for = path
        if Path(path).suffix.lower() not in XLSX_SUFFIXES:
            self.file_page.set_sheets([])
            return

        me = weakref.ref(self)

        def shown(names: list[str]) -> None:
            wizard = me()
            if wizard and not wizard._closed and wizard.file_page.path.text().strip() == path:
                wizard.file_page.set_sheets(names)

        def failed(exc: BaseException) -> None:
            wizard = me()
            if wizard and not wizard._closed:
                wizard.file_page.set_sheets([])
                wizard._say(problem_text(exc))

        self.ops.run(lambda: sheet_names(path), shown, failed)

    def read_file(self) -> None:
        path = self.file_page.path.text().strip()
        target = self.file_page.target_name()
        xlsx = Path(path).suffix.lower() in XLSX_SUFFIXES
        sheet = self.file_page.sheet_name() if xlsx else None
        db = self.db

        def work(progress, cancelled) -> ReadFile:
            with bulk_load():  # thousands of rows: keep the collector's pauses off the window
                table = read_table(path, sheet, progress=progress, cancelled=cancelled)
            with db.uow() as session:
                fields = fields_for(session, target)
                mapping, remembered = initial_mapping(session, target, fields, table.headers)
            return ReadFile(table, fields, mapping, remembered, sample_values(table))

        self._start("Reading the file", work, ImportWizard._file_read)

    def _file_read(self, read: ReadFile) -> None:
        self.read, self.plan, self.result = read, None, None
        self.columns_page.show_columns(
            self.file_page.target_name(),
            read.fields,
            read.table.headers,
            read.mapping,
            read.remembered,
            read.samples,
            read.table.description,
            len(read.table.rows),
        )
        self._show_page(1)
        self._check_columns()

    # --- 2. the columns ------------------------------------------------------------------
    def _problems(self) -> list[str]:
        if self.read is None:
            return ["Read a file first"]
        return check_mapping(
            self.file_page.target_name(),
            self.read.fields,
            self.read.table.headers,
            self.columns_page.mapping(),
        )

    def _check_columns(self) -> None:
        self.columns_page.show_problems(self._problems() if self.read else [])
        self._update_buttons()

    def check_rows(self) -> None:
        target, table, mapping = (
            self.file_page.target_name(),
            self.read.table,
            self.columns_page.mapping(),
        )
        db, today = self.db, self.today
        prepare = self.preview_page.row_preparer()

        def work(progress, cancelled):
            with bulk_load(), db.uow() as session:
                plan = build_plan(
                    session,
                    target,
                    table,
                    mapping,
                    today=today,
                    progress=progress,
                    cancelled=cancelled,
                )
                return plan, prepare(plan.rows)

        self._start("Checking every row", work, ImportWizard._planned)

    def _planned(self, value) -> None:
        plan, prepared = value
        self.plan = plan
        self.preview_page.show_plan(plan, prepared)
        self._show_page(2)

    # --- 3. the preview ------------------------------------------------------------------
    def save_error_report(self) -> Path | None:
        if self.plan is None:
            return None
        rows = [r for r in self.plan.rows if r.outcome is Outcome.ERROR]
        stem = Path(self.plan.source).stem
        path = ask_save_path(self, f"{stem} - errors.csv")
        if not path:
            return None
        lines = [
            {"row": e.row, "column": e.column, "problem": e.message, "record": r.label}
            for r in rows
            for e in r.errors
        ]
        columns = [
            ("Row", "row"),
            ("Column", "column"),
            ("Problem", "problem"),
            ("Record", "record"),
        ]
        try:
            saved = write_csv(lines, columns, path)
        except OSError as exc:
            self._say(f"Could not save the error report: {exc.strerror or exc}")
            return None
        self._say("")
        self.preview_page.blocked.setText(
            self.preview_page.blocked.text() + f" Error report saved as {saved.name}."
        )
        return saved

    # --- 4. confirm and write ------------------------------------------------------------
    def commit(self) -> None:
        from ..core.importing import commit_plan

        plan, db = self.plan, self.db

        def work(progress, cancelled) -> ImportResult:
            with db.uow() as session:
                return commit_plan(
                    session, plan, db.username, progress=progress, cancelled=cancelled
                )

        self._start("Writing", work, ImportWizard._committed)

    def _committed(self, result: ImportResult) -> None:
        self.result = result
        page = self.report_page
        page.summary.setText(f"{result.summary}.")
        left_out = "" if not result.skipped else f" {plural(result.skipped, 'row')} left out."
        page.detail.setText(
            f"Written in one go and recorded in the audit log as import #{result.import_id}."
            f"{left_out} The column choices are remembered for the next file like this one. "
            "Undo this import removes what it created and restores what it updated, "
            "unless someone has changed it since."
        )
        page.undo_text.clear()
        self._show_page(4)
        self.bus.announce(result.changes)
        self.imported.emit(result)

    # --- 5. undo -------------------------------------------------------------------------
    def undo(self) -> None:
        if self.result is None or self.busy:
            return
        result, db = self.result, self.db

        def work(_progress, _cancelled) -> UndoResult:
            with db.uow() as session:
                return undo_import(session, result, db.username)

        self._start("Undoing the import", work, ImportWizard._undone)
        self.stop_button.setEnabled(False)  # an undo is short and all or nothing

    def _undone(self, undone: UndoResult) -> None:
        self.result = None
        text = f"{undone.summary}."
        if undone.kept:
            text += "\n" + "\n".join(undone.kept)
        self.report_page.undo_text.setText(text)
        self.report_page.summary.setText("The import was undone.")
        self.report_page.detail.setText(
            "The undo is recorded in the audit log. The column choices stay remembered."
        )
        self._update_buttons()
        self.bus.announce(undone.changes)
        self.undone.emit(undone)

    # --- leaving -------------------------------------------------------------------------
    def _may_leave(self) -> bool:
        if self.busy and self.page != 4:
            self.cancel_work()
            return False
        if self.busy:
            return False
        if self.read is None or self.page == 4:
            return True
        answer = QMessageBox.question(
            self,
            "Discard this import?",
            "Discard this import? Nothing has been written.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self._may_leave():
            self._closed = True
            super().reject()


__all__ = ["ImportWizard", "ask_open_path", "ask_save_path", "error_text"]
