"""The pages of the import wizard: file, columns, preview, confirm and report.

Each page only shows things and says what the person did; ``import_wizard.ImportWizard``
drives the background work and moves between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.importing import TARGETS, Choice, ImportPlan, Outcome, PlanRow
from ..core.importing.targets import FieldSpec
from ..core.validation import format_uk_date
from .table_model import Column, RowTableModel
from .widgets import fit_columns, note, plural, search_box, table_view

NOT_IMPORTED = "(not imported)"
OUTCOME_WORDS = {
    Outcome.NEW: "New",
    Outcome.UPDATE: "Update",
    Outcome.UNCHANGED: "Unchanged",
    Outcome.DUPLICATE: "Possible duplicate",
    Outcome.ERROR: "Error",
}
CHOICE_WORDS = {Choice.MERGE: "merge", Choice.CREATE: "create new", Choice.SKIP: "skip"}
# Fields a file must give (check_mapping has the last word: some accept another instead).
REQUIRED = {
    "volunteers": {"first_name", "last_name"},
    "communities": {"name"},
    "training": set(),
    "clearances": {"type"},
}


def cell_text(value: Any) -> str:
    """A value as the wizard shows it: dates dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_uk_date(value.date())
    if isinstance(value, date):
        return format_uk_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "value") and hasattr(value, "name"):  # an enum
        return str(value.value).replace("_", " ")
    return str(value)


def error_text(row: PlanRow) -> str:
    return "; ".join(
        f"row {e.row}" + (f", column {e.column}" if e.column else "") + f": {e.message}"
        for e in row.errors
    )


def outcome_text(row: PlanRow) -> str:
    text = OUTCOME_WORDS[row.outcome]
    if row.outcome is Outcome.DUPLICATE:
        text += f": {CHOICE_WORDS[row.choice]}" if row.choice else ": choose"
    return text


def details_text(row: PlanRow) -> str:
    if row.outcome is Outcome.ERROR:
        return error_text(row)
    parts: list[str] = []
    if row.outcome is Outcome.UPDATE and row.changes:
        parts.append(
            "changes "
            + ", ".join(
                f"{k.replace('_', ' ')}: {cell_text(new)}" for k, (_o, new) in row.changes.items()
            )
        )
    if row.outcome is Outcome.DUPLICATE:
        parts.append("may be " + "; or ".join(c.text for c in row.candidates))
    if row.note:
        parts.append(row.note)
    parts += row.warnings
    return "; ".join(parts)


def _field(widget: QWidget, name: str) -> QWidget:
    widget.setAccessibleName(name)
    if isinstance(widget, QPushButton):
        widget.setAutoDefault(False)  # Enter is always Next
    return widget


class FilePage(QWidget):
    """What to import and from which file (and sheet)."""

    choose_requested = Signal()
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.target = _field(QComboBox(), "What the file holds")
        for name, target in TARGETS.items():
            label = "Communities and partners" if name == "communities" else target.label
            self.target.addItem(label, name)
        self.path = _field(QLineEdit(), "File to import")
        self.path.setPlaceholderText("A .csv or .xlsx file")
        self.choose = _field(QPushButton("Choose file..."), "Choose the file to import")
        self.sheet = _field(QComboBox(), "Sheet")
        self.sheet.setEnabled(False)
        self.sheet_note = note("A CSV file has no sheets.", "About sheets")
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.choose)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&What the file holds:", self.target)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path)
        file_label.setAccessibleName("File")
        form.addRow(file_label, row)
        form.addRow("&Sheet:", self.sheet)
        form.addRow("", self.sheet_note)
        for label_widget in (form.labelForField(w) for w in (self.target, self.sheet)):
            if label_widget is not None:
                label_widget.setAccessibleName(label_widget.text().replace("&", ""))
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                "Bring in a list you already keep in Excel or as a CSV file. Columns are "
                "matched by their headers; the text encoding and the separator of a CSV "
                "file are found for you. Nothing is written until you confirm.",
                "About importing",
            )
        )
        layout.addLayout(form)
        layout.addStretch(1)
        self.choose.clicked.connect(self.choose_requested)
        self.path.textChanged.connect(lambda _t: self.changed.emit())
        self.target.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.setTabOrder(self.target, self.path)
        self.setTabOrder(self.path, self.choose)
        self.setTabOrder(self.choose, self.sheet)

    def target_name(self) -> str:
        return self.target.currentData()

    def set_sheets(self, names: Sequence[str]) -> None:
        self.sheet.clear()
        self.sheet.addItems(list(names))
        self.sheet.setEnabled(len(names) > 1)
        if not names:
            self.sheet_note.setText("A CSV file has no sheets.")
        elif len(names) == 1:
            self.sheet_note.setText(f"The workbook has one sheet: {names[0]}.")
        else:
            self.sheet_note.setText(f"The workbook has {len(names)} sheets: choose one.")

    def sheet_name(self) -> str | None:
        return self.sheet.currentText() or None


class ColumnsPage(QWidget):
    """Which column of the file goes into each field, with sample values."""

    mapping_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.source = note("", "The file read")
        self.remembered = note("", "Where the column choices came from")
        self.problems = QLabel()
        self.problems.setObjectName("errorText")
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems with the columns")
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setColumnStretch(2, 1)
        self.grid.setHorizontalSpacing(14)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_host)
        scroll.setAccessibleName("Fields and columns")
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(self.remembered)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, QLabel] = {}
        self._sample_values: dict[str, list[str]] = {}

    def show_columns(
        self,
        target: str,
        fields: Sequence[FieldSpec],
        headers: Sequence[str],
        mapping: dict[str, str],
        remembered: bool,
        samples: dict[str, list[str]],
        description: str,
        rows: int,
    ) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.combos, self.samples, self._sample_values = {}, {}, samples
        self.source.setText(f"Read {plural(rows, 'row')} from {description}.")
        self.remembered.setText(
            "Columns as you chose them last time for a file with these headers."
            if remembered
            else "Columns matched by their headers. Check each field; "
            "* marks a field the file must give."
        )
        for col, title in enumerate(("Field", "Column in the file", "Sample values")):
            label = QLabel(title)
            label.setObjectName("sectionHeading")
            self.grid.addWidget(label, 0, col)
        required = REQUIRED.get(target, set())
        previous: QWidget | None = None
        for number, spec in enumerate(fields, start=1):
            star = " *" if spec.key in required else ""
            label = QLabel(spec.label + star)
            label.setAccessibleName(spec.label + (" (required)" if star else ""))
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED, "")
            for header in headers:
                combo.addItem(header, header)
            chosen = mapping.get(spec.key, "")
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.setAccessibleName(f"Column for {spec.label}" + (" (required)" if star else ""))
            combo.setMinimumWidth(220)
            label.setBuddy(combo)
            sample = QLabel()
            sample.setObjectName("note")
            sample.setAccessibleName(f"Sample values for {spec.label}")
            sample.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(label, number, 0)
            self.grid.addWidget(combo, number, 1)
            self.grid.addWidget(sample, number, 2)
            self.combos[spec.key] = combo
            self.samples[spec.key] = sample
            combo.currentIndexChanged.connect(lambda _i, key=spec.key: self._changed(key))
            self._show_sample(spec.key)
            if previous is not None:
                self.setTabOrder(previous, combo)
            previous = combo
        self.grid.setRowStretch(len(fields) + 1, 1)

    def _show_sample(self, key: str) -> None:
        header = self.combos[key].currentData()
        values = self._sample_values.get(header, []) if header else []
        self.samples[key].setText(", ".join(values) if values else ("(empty)" if header else ""))

    def _changed(self, key: str) -> None:
        self._show_sample(key)
        self.mapping_changed.emit()

    def mapping(self) -> dict[str, str]:
        return {
            key: combo.currentData() for key, combo in self.combos.items() if combo.currentData()
        }

    def choose(self, key: str, header: str) -> None:
        """Set a field's column (for the keyboard and for tests)."""
        combo = self.combos[key]
        combo.setCurrentIndex(max(combo.findData(header), 0))

    def show_problems(self, problems: Sequence[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))


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


class ConfirmPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setObjectName("pageHeading")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the import will do")
        self.detail = note("", "Details of the import")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def show_plan(self, sentence: str, plan: ImportPlan) -> None:
        self.summary.setText(sentence)
        self.detail.setText(
            f"From {plan.description}. Press Import to write it, in one go: if anything "
            "fails, nothing is written. Every record written is in the audit log, and you "
            "can undo the import afterwards. Nothing has been written yet."
        )


class ReportPage(QWidget):
    undo_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setObjectName("pageHeading")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What was imported")
        self.detail = note("", "Details of what was written")
        self.undo = _field(QPushButton("Undo this import"), "Undo this import")
        self.undo_text = QLabel()
        self.undo_text.setWordWrap(True)
        self.undo_text.setAccessibleName("What the undo did")
        row = QHBoxLayout()
        row.addWidget(self.undo)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.detail)
        layout.addLayout(row)
        layout.addWidget(self.undo_text)
        layout.addStretch(1)
        self.undo.clicked.connect(self.undo_requested)
