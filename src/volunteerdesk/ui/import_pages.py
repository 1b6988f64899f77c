"""The pages of the import wizard: file, columns, confirm and report.

Each page only shows things and says what the person did; ``import_wizard.ImportWizard``
drives the background work and moves between them. The preview page is in
``import_preview``; the words the pages show are in ``import_text``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.importing import TARGETS, ImportPlan
from ..core.importing.targets import FieldSpec
from .widgets import note, plural

NOT_IMPORTED = "(not imported)"
# Fields a file must give (check_mapping has the last word: some accept another instead).
REQUIRED = {
    "volunteers": {"first_name", "last_name"},
    "communities": {"name"},
    "training": set(),
    "clearances": {"type"},
}


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
