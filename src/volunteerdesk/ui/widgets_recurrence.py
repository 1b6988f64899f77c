"""The recurrence editor: how a post's sessions repeat, with a live preview of the dates.

``RecurrenceEditor`` edits one ``PatternChoice`` (weekly on chosen days, every N weeks,
the Nth weekday of the month, a block of N weekly sessions; start, optional end, skip
closure days) and previews the next ten dates at the site, saying which it skips and
why. ``PatternsEditor`` is a post's list of patterns (add, remove) around it; its value
is a tuple of ``PatternChoice`` and it emits ``changed`` on each edit.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.scheduling.calendar import SiteCalendar
from ..core.scheduling.patterns import (
    MAX_SESSIONS,
    MAX_WEEK_INTERVAL,
    ORDINAL_NAMES,
    WEEKDAY_NAMES,
    PatternChoice,
    RepeatKind,
    describe,
    preview,
    to_rule,
)
from ..core.scheduling.recurrence import PatternError

KIND_TEXT = {
    RepeatKind.WEEKLY: "Every week, or every few weeks",
    RepeatKind.MONTHLY: "A weekday of the month (e.g. the first Sunday)",
    RepeatKind.BLOCK: "A block of weekly sessions (e.g. a course)",
    RepeatKind.CUSTOM: "A custom rule (kept as it is)",
}


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(name)
    return edit


class RecurrenceEditor(QWidget):
    """One pattern's choices and the dates they give at the site."""

    changed = Signal()

    def __init__(self, calendar: SiteCalendar, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.site_calendar = calendar
        self.today = today
        self._loading = False
        self._choice = PatternChoice(start=today)

        self.kind = QComboBox()
        self.kind.setAccessibleName("Repeats")
        for kind, text in KIND_TEXT.items():
            self.kind.addItem(text, kind.value)
        self.day_boxes = []
        days = QWidget()
        days_layout = QHBoxLayout(days)
        days_layout.setContentsMargins(0, 0, 0, 0)
        days_layout.setSpacing(6)
        for number, name in enumerate(WEEKDAY_NAMES):
            box = QCheckBox(name[:3])
            box.setAccessibleName(name)
            box.setObjectName(f"day_{number}")
            self.day_boxes.append(box)
            days_layout.addWidget(box)
        days_layout.addStretch(1)
        self.days = days
        self.interval = QSpinBox()
        self.interval.setRange(1, MAX_WEEK_INTERVAL)
        self.interval.setSuffix(" week(s)")
        self.interval.setAccessibleName("Every how many weeks")
        self.nth = QComboBox()
        self.nth.setAccessibleName("Which one in the month")
        for number, word in ORDINAL_NAMES.items():
            self.nth.addItem(word.capitalize(), number)
        self.weekday = QComboBox()
        self.weekday.setAccessibleName("Weekday of the month")
        for number, name in enumerate(WEEKDAY_NAMES):
            self.weekday.addItem(name, number)
        monthly = QWidget()
        monthly_layout = QHBoxLayout(monthly)
        monthly_layout.setContentsMargins(0, 0, 0, 0)
        monthly_layout.addWidget(self.nth)
        monthly_layout.addWidget(self.weekday)
        monthly_layout.addWidget(QLabel("of the month"))
        monthly_layout.addStretch(1)
        self.monthly = monthly
        self.sessions = QSpinBox()
        self.sessions.setRange(1, MAX_SESSIONS)
        self.sessions.setSuffix(" sessions")
        self.sessions.setAccessibleName("Number of sessions in the block")
        self.custom = QLineEdit()
        self.custom.setReadOnly(True)
        self.custom.setAccessibleName("Custom rule")
        self.start = _date_edit("Starts on")
        self.has_end = QCheckBox("Ends on")
        self.has_end.setAccessibleName("Has an end date")
        self.end = _date_edit("Ends on")
        end_row = QWidget()
        end_layout = QHBoxLayout(end_row)
        end_layout.setContentsMargins(0, 0, 0, 0)
        end_layout.addWidget(self.has_end)
        end_layout.addWidget(self.end)
        end_layout.addStretch(1)
        self.skip = QCheckBox("Skip the site's closure days")
        self.skip.setAccessibleName("Skip the site's closure days")
        self.summary = QLabel()
        self.summary.setObjectName("patternSummary")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("The pattern in words")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_list = QListWidget()
        self.preview_list.setAccessibleName("Next ten dates")
        self.preview_list.setMinimumWidth(300)
        self.preview_note = QLabel()
        self.preview_note.setObjectName("note")
        self.preview_note.setWordWrap(True)
        self.preview_note.setAccessibleName("About the preview")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self._label("Rep&eats:", self.kind), self.kind)
        form.addRow(self._label("On:", self.day_boxes[0]), days)
        form.addRow(self._label("Ever&y:", self.interval), self.interval)
        form.addRow(self._label("&Which:", self.nth), monthly)
        form.addRow(self._label("Bloc&k of:", self.sessions), self.sessions)
        form.addRow(self._label("Rule:", self.custom), self.custom)
        form.addRow(self._label("S&tarts on:", self.start), self.start)
        form.addRow("", end_row)
        form.addRow("", self.skip)
        self.form = form
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.summary)
        left.addStretch(1)
        right = QVBoxLayout()
        self.preview_heading = QLabel("Next ten dates")
        self.preview_heading.setObjectName("sectionHeading")
        right.addWidget(self.preview_heading)
        right.addWidget(self.preview_list, 1)
        right.addWidget(self.preview_note)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self.kind.activated.connect(self._edited)
        for box in self.day_boxes:
            box.toggled.connect(self._edited)
        for spin in (self.interval, self.sessions):
            spin.valueChanged.connect(self._edited)
        for combo in (self.nth, self.weekday):
            combo.activated.connect(self._edited)
        self.start.dateChanged.connect(self._edited)
        self.end.dateChanged.connect(self._edited)
        self.has_end.toggled.connect(self._edited)
        self.skip.toggled.connect(self._edited)
        self.set_choice(self._choice)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # ----- the value ---------------------------------------------------------------------
    def choice(self) -> PatternChoice:
        return self._choice

    def set_choice(self, choice: PatternChoice) -> None:
        """Show ``choice`` (without emitting ``changed``)."""
        self._loading = True
        try:
            self._choice = choice
            self.kind.setCurrentIndex(max(self.kind.findData(choice.kind.value), 0))
            for number, box in enumerate(self.day_boxes):
                box.setChecked(number in choice.weekdays)
            self.interval.setValue(choice.every_n_weeks)
            self.nth.setCurrentIndex(max(self.nth.findData(choice.nth), 0))
            self.weekday.setCurrentIndex(choice.weekday)
            self.sessions.setValue(choice.sessions)
            self.custom.setText(choice.custom_rule)
            self.start.setDate(QDate(choice.start or self.today))
            self.has_end.setChecked(choice.end is not None)
            self.end.setDate(QDate(choice.end or choice.start or self.today))
            self.skip.setChecked(choice.skip_closures)
        finally:
            self._loading = False
        self._show()

    def set_site_calendar(self, calendar: SiteCalendar) -> None:
        self.site_calendar = calendar
        self._show()

    def _read(self) -> PatternChoice:
        kind = RepeatKind(self.kind.currentData())
        return replace(
            self._choice,
            kind=kind,
            weekdays=tuple(n for n, box in enumerate(self.day_boxes) if box.isChecked()),
            every_n_weeks=self.interval.value(),
            nth=self.nth.currentData(),
            weekday=self.weekday.currentData(),
            sessions=self.sessions.value(),
            start=self.start.date().toPython(),
            end=self.end.date().toPython() if self.has_end.isChecked() else None,
            skip_closures=self.skip.isChecked(),
        )

    def _edited(self, *_args) -> None:
        if self._loading:
            return
        choice = self._read()
        if choice == self._choice:
            return
        self._choice = choice
        self._show()
        self.changed.emit()

    # ----- showing -----------------------------------------------------------------------
    def _show(self) -> None:
        kind = self._choice.kind
        rows = {
            1: kind in (RepeatKind.WEEKLY, RepeatKind.BLOCK),
            2: kind is RepeatKind.WEEKLY,
            3: kind is RepeatKind.MONTHLY,
            4: kind is RepeatKind.BLOCK,
            5: kind is RepeatKind.CUSTOM,
        }
        for row, visible in rows.items():
            self.form.setRowVisible(row, visible)
        custom = self.kind.model().item(self.kind.findData(RepeatKind.CUSTOM.value))
        custom.setEnabled(kind is RepeatKind.CUSTOM)  # chosen only by reading a stored rule
        self.end.setEnabled(self.has_end.isChecked())
        try:
            rule = to_rule(self._choice)
        except PatternError:
            rule = ""
        start = self._choice.start
        dates = f", from {start:%d/%m/%Y}" if start else ""
        if self._choice.end:
            dates += f" to {self._choice.end:%d/%m/%Y}"
        self.summary.setText(
            f"{describe(self._choice)}{dates}." + (f"\nRule: {rule}" if rule else "")
        )
        self._show_preview()

    def _show_preview(self) -> None:
        shown = preview(self._choice, self.site_calendar, self.today)
        past = False
        if not shown.problem and not shown.days and self._choice.start:
            shown = preview(self._choice, self.site_calendar, self._choice.start)
            past = bool(shown.days)
        self.preview_list.clear()
        self.preview_heading.setText("Its dates (all past)" if past else "Next ten dates")
        if shown.problem:
            self.preview_note.setText(f"No dates yet: {shown.problem}")
            return
        for entry in shown.days:
            item = QListWidgetItem(entry.text)
            if entry.skipped_because is not None:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.preview_list.addItem(item)
        runs, skipped = len(shown.runs), len(shown.skipped)
        if not shown.days:
            note = "This pattern gives no dates."
        elif past:
            note = f"All past: this pattern ended before {self.today:%d/%m/%Y}."
        else:
            note = f"{runs} date{'s' if runs != 1 else ''} from {self.today:%d/%m/%Y}"
            if runs < 10:
                note += " (the pattern ends there)"
            note += "."
        if skipped:
            note += f" {skipped} skipped, with the reason beside each."
        self.preview_note.setText(note)

    @property
    def preview_texts(self) -> list[str]:
        return [self.preview_list.item(i).text() for i in range(self.preview_list.count())]


class PatternsEditor(QWidget):
    """A post's repeat patterns: a list to add to and remove from, and the selected one."""

    changed = Signal()

    def __init__(self, calendar: SiteCalendar, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.today = today
        self._patterns: list[PatternChoice] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Repeat patterns")
        self.list.setFixedWidth(250)
        self.list.setSpacing(3)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = QPushButton("&Add pattern")
        self.add_button.setAccessibleName("Add pattern")
        self.remove_button = QPushButton("Remo&ve pattern")
        self.remove_button.setAccessibleName("Remove pattern")
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)  # Enter in the editor still means Save
        self.editor = RecurrenceEditor(calendar, today)
        self.empty_note = QLabel(
            "No repeat pattern: this post's sessions are added by hand on the rota. "
            "Add a pattern to have them generated."
        )
        self.empty_note.setObjectName("note")
        self.empty_note.setWordWrap(True)
        self.empty_note.setAccessibleName("No repeat pattern")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(self.empty_note)
        right.addWidget(self.editor, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self.add_button.clicked.connect(self.add_pattern)
        self.remove_button.clicked.connect(self.remove_pattern)
        self.list.currentRowChanged.connect(self._row_changed)
        self.editor.changed.connect(self._pattern_edited)
        self._show()

    def focus_chain(self) -> list[QWidget]:
        """Its controls in the order a keyboard user meets them."""
        e = self.editor
        return [
            self.list,
            self.add_button,
            self.remove_button,
            e.kind,
            *e.day_boxes,
            e.interval,
            e.nth,
            e.weekday,
            e.sessions,
            e.custom,
            e.start,
            e.has_end,
            e.end,
            e.skip,
            e.preview_list,
        ]

    # ----- the value ---------------------------------------------------------------------
    def value(self) -> tuple[PatternChoice, ...]:
        return tuple(self._patterns)

    def set_value(self, patterns) -> None:
        row = self.list.currentRow()
        self._patterns = list(patterns or ())
        self._show(row)

    # ----- editing -----------------------------------------------------------------------
    def add_pattern(self) -> None:
        weekday = self.today.weekday()
        self._patterns.append(PatternChoice(RepeatKind.WEEKLY, (weekday,), start=self.today))
        self._show(len(self._patterns) - 1)
        self.changed.emit()
        self.editor.kind.setFocus()

    def remove_pattern(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._patterns):
            del self._patterns[row]
            self._show(min(row, len(self._patterns) - 1))
            self.changed.emit()

    def _pattern_edited(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._patterns):
            self._patterns[row] = self.editor.choice()
            self.list.item(row).setText(self._item_text(self._patterns[row]))
            self.changed.emit()

    # ----- showing -----------------------------------------------------------------------
    @staticmethod
    def _item_text(choice: PatternChoice) -> str:
        start = f", from {choice.start:%d/%m/%Y}" if choice.start else ""
        return "\n".join(textwrap.wrap(describe(choice) + start, 30))

    def _show(self, row: int = 0) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for choice in self._patterns:
            self.list.addItem(self._item_text(choice))
        row = min(max(row, 0), len(self._patterns) - 1)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
        has = bool(self._patterns)
        self.editor.setVisible(has)
        self.empty_note.setVisible(not has)
        self.remove_button.setEnabled(has)
        if has:
            self.editor.set_choice(self._patterns[row])

    def _row_changed(self, row: int) -> None:
        if 0 <= row < len(self._patterns):
            self.editor.set_choice(self._patterns[row])
