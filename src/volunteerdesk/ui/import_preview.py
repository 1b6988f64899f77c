"""The preview page of the import wizard: every row of the file and what importing does."""

from __future__ import annotations

from functools import partial
from types import SimpleNamespace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.importing import Choice, ImportPlan, Outcome, PlanRow
from .import_pages import _field
from .import_text import OUTCOME_WORDS, details_text, outcome_text
from .table_model import Column, RowTableModel
from .widgets import fit_columns, note, plural, search_box, table_view

PREVIEW_COLUMNS = [
    Column("Row", lambda r: r.row, align_right=True),
    Column("Outcome", outcome_text),
    Column("Record", lambda r: r.label),
    Column("Details", details_text),
]


def _search_text(row: PlanRow) -> str:
    return f"{row.row} {outcome_text(row)} {row.label} {details_text(row)}"


class PreviewPage(QWidget):
    """Every row with its outcome; the duplicates decided one by one or all at once."""

    decided = Signal()
    save_errors_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.plan: ImportPlan | None = None
        self.counts = QLabel()
        self.counts.setObjectName("sectionHeading")
        self.counts.setAccessibleName("Rows by outcome")
        self.counts.setWordWrap(True)
        self.columns_note = note("", "Columns not imported")
        self.outcome_filter = _field(QComboBox(), "Show rows")
        self.search = search_box("Find a row, a name or a problem", "Find in the preview")
        self.model = RowTableModel(PREVIEW_COLUMNS, _search_text, self)
        self.table = table_view(self.model, "Rows of the file and what importing does", wrap=False)
        self.table.setMinimumHeight(200)
        self.blocked = QLabel()
        self.blocked.setObjectName("errorText")
        self.blocked.setWordWrap(True)
        self.blocked.setAccessibleName("What stops the import")
        self.save_errors = _field(
            QPushButton("Save error report..."), "Save the rows in error as CSV"
        )
        self.dup_box = QGroupBox("Possible duplicate")
        self.dup_text = QLabel()
        self.dup_text.setWordWrap(True)
        self.dup_text.setAccessibleName("Who the selected row may duplicate, and why")
        self.choice = _field(QComboBox(), "What to do with the selected duplicate")
        self.apply_all = _field(
            QPushButton("Apply to all duplicates"), "Apply this choice to all duplicates"
        )
        choose_row = QHBoxLayout()
        choose_row.addWidget(QLabel("&Choice:"))
        choose_row.itemAt(0).widget().setBuddy(self.choice)
        choose_row.addWidget(self.choice, 1)
        choose_row.addWidget(self.apply_all)
        box = QVBoxLayout(self.dup_box)
        box.addWidget(self.dup_text)
        box.addLayout(choose_row)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Sho&w:"))
        bar.itemAt(0).widget().setBuddy(self.outcome_filter)
        bar.addWidget(self.outcome_filter)
        bar.addWidget(self.search, 1)
        blocked_row = QHBoxLayout()
        blocked_row.addWidget(self.blocked, 1)
        blocked_row.addWidget(self.save_errors)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.columns_note)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.dup_box)
        layout.addLayout(blocked_row)
        self.outcome_filter.currentIndexChanged.connect(self._filter)
        self.search.textChanged.connect(self.model.set_filter_text)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected())
        self.choice.activated.connect(self._choose)
        self.apply_all.clicked.connect(self._apply_all)
        self.save_errors.clicked.connect(self.save_errors_requested)
        self.setTabOrder(self.outcome_filter, self.search)
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.choice)
        self.setTabOrder(self.choice, self.apply_all)
        self.setTabOrder(self.apply_all, self.save_errors)

    def row_preparer(self):
        """``prepare(rows)`` for the worker: sorts and keys rows as the table is sorted now,
        without holding the model (a Qt object must not be released on the worker)."""
        shim = SimpleNamespace(
            _search_text=_search_text, _sort=self.model._sort, _columns=PREVIEW_COLUMNS
        )
        return partial(RowTableModel.prepare_rows, shim)

    def show_plan(self, plan: ImportPlan, prepared) -> None:
        self.plan = plan
        self.model.set_rows(prepared)
        parts = []
        if plan.ignored:
            ignored = ", ".join(
                h + (f" (import it as {plan.hints[h]})" if h in plan.hints else "")
                for h in plan.ignored
            )
            parts.append(f"Not imported: {ignored}.")
        if plan.refused:
            parts.append(
                f"Never imported: {', '.join(plan.refused)} (certificate content or "
                "criminal-record details are not kept)."
            )
        self.columns_note.setText(" ".join(parts))
        self.columns_note.setVisible(bool(parts))
        self.outcome_filter.blockSignals(True)
        self.outcome_filter.clear()
        self.outcome_filter.addItem(f"All rows ({len(plan.rows):,})", None)
        for outcome, n in plan.counts().items():
            if n:
                self.outcome_filter.addItem(f"{OUTCOME_WORDS[Outcome(outcome)]} ({n:,})", outcome)
        self.outcome_filter.blockSignals(False)
        self.model.set_row_filter(None)
        fit_columns(self.table, {0: 70, 1: 190, 2: 240})
        self.dup_box.setVisible(bool(plan.duplicates()))
        self.refresh()
        if plan.has_errors:
            self.outcome_filter.setCurrentIndex(self.outcome_filter.findData(Outcome.ERROR.value))
        elif plan.duplicates():
            self.outcome_filter.setCurrentIndex(
                self.outcome_filter.findData(Outcome.DUPLICATE.value)
            )
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_selected()

    def _filter(self) -> None:
        wanted = self.outcome_filter.currentData()
        self.model.set_row_filter(None if wanted is None else (lambda r: r.outcome.value == wanted))

    def select_file_row(self, number: int) -> None:
        for i in range(self.model.rowCount()):
            if self.model.row_at(i).row == number:
                self.table.selectRow(i)
                return
        raise LookupError(number)

    def selected(self) -> PlanRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show_selected(self) -> None:
        row = self.selected()
        is_dup = row is not None and row.outcome is Outcome.DUPLICATE
        self.dup_box.setEnabled(is_dup)
        self.choice.clear()
        if not is_dup:
            self.dup_text.setText(
                "Select a possible duplicate to choose merge, create new or skip."
                if self.plan and self.plan.duplicates()
                else "No possible duplicates in this file."
            )
            return
        lines = [f"Row {row.row}, {row.label}, may be:"]
        lines += [f"  {n}. {c.text}" for n, c in enumerate(row.candidates, start=1)]
        self.dup_text.setText("\n".join(lines))
        for n, c in enumerate(row.candidates):
            self.choice.addItem(f"Merge into {c.name}", f"merge:{n}")
        self.choice.addItem(
            "Create new" + (f" (not possible: {row.no_create})" if row.no_create else ""),
            "create:0",
        )
        if row.no_create:
            self.choice.model().item(self.choice.count() - 1).setEnabled(False)
        self.choice.addItem("Skip this row", "skip:0")
        if row.choice is None:
            self.choice.insertItem(0, "Choose...", None)
            self.choice.setCurrentIndex(0)
        else:
            wanted = f"{row.choice.value}:{row.merge_into if row.choice is Choice.MERGE else 0}"
            self.choice.setCurrentIndex(max(self.choice.findData(wanted), 0))

    def _choose(self, _index: int) -> None:
        row, data = self.selected(), self.choice.currentData()
        if row is None or data is None or row.outcome is not Outcome.DUPLICATE:
            return
        choice, candidate = data.split(":")
        row.decide(Choice(choice), int(candidate))
        if self.choice.itemData(0) is None:
            self.choice.removeItem(0)
        self.refresh()

    def decide_selected(self, choice: Choice, candidate: int = 0) -> None:
        """Choose for the selected duplicate as the combo does."""
        index = self.choice.findData(f"{Choice(choice).value}:{candidate}")
        self.choice.setCurrentIndex(index)
        self._choose(index)

    def _apply_all(self) -> None:
        data = self.choice.currentData()
        if self.plan is None or data is None:
            return
        self.plan.decide_all(Choice(data.split(":")[0]))
        self._show_selected()
        self.refresh()

    def refresh(self) -> None:
        plan = self.plan
        if plan is None:
            return
        if self.model.rowCount():
            last = self.model.columnCount() - 1
            self.model.dataChanged.emit(
                self.model.index(0, 0), self.model.index(self.model.rowCount() - 1, last)
            )
        self.counts.setText(f"{plan.summary().capitalize()}.")
        errors = sum(1 for r in plan.rows if r.outcome is Outcome.ERROR)
        undecided = len(plan.undecided())
        if errors:
            text = (
                f"Fix the {plural(errors, 'row')} in error in the file and import again: "
                "nothing can be imported while a row is in error."
            )
            if errors == 1:
                text = text.replace("Fix the 1 row", "Fix the row")
        elif undecided:
            text = (
                f"Choose merge, create new or skip for {plural(undecided, 'possible duplicate')} "
                "(or Apply to all duplicates)."
            )
        else:
            text = ""
        self.blocked.setText(text)
        self.blocked.setVisible(bool(text))
        self.save_errors.setVisible(bool(errors))
        self.decided.emit()
