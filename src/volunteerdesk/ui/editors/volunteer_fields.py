"""Form fields for a volunteer's lists: checkable roles and sites, the weekly availability
grid and the unavailability periods, each one field of the editor's ``Form``.

Being form fields, every change is one step on the record's undo stack, counts as an
unsaved change, and appears in the conflict dialog with readable text. ``compound`` makes
one user action that sets several fields (withdrawing consent clears the faith) a single
undo step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.services.volunteer_edit import WEEKDAYS, Period, Slot
from ...core.validation import InvalidValue, format_uk_date, parse_uk_date
from ..forms import Field, Form

SESSIONS = ("morning", "afternoon", "evening")
NOT_AVAILABLE, WEEKLY, WEEK_ONE, WEEK_TWO = 0, 1, 2, 3
CELL_CHOICES = ((NOT_AVAILABLE, "—"), (WEEKLY, "Weekly"), (WEEK_ONE, "Fortnightly, week 1"),
                (WEEK_TWO, "Fortnightly, week 2"))  # fmt: skip
CELL_WORDS = {WEEKLY: "weekly", WEEK_ONE: "fortnightly (week 1)", WEEK_TWO: "fortnightly (week 2)"}


class Shown(tuple):
    """A tuple of values that prints as readable text (for the conflict dialog)."""

    text = ""

    def __new__(cls, items: Iterable[Any], text: str) -> Shown:
        obj = super().__new__(cls, items)
        obj.text = text
        return obj

    def __str__(self) -> str:
        return self.text or "(none)"


def add_field(
    form: Form,
    key: str,
    label: str,
    widget: QWidget,
    get_raw: Callable[[], Any],
    set_raw: Callable[[Any], None],
    convert: Callable[[Any], Any],
) -> Field:
    """Register a custom widget as a form field (the form has no public hook for one)."""
    return form._add(key, label, widget, get_raw, set_raw, convert, lambda v: v)


def user_edit(form: Form, key: str) -> None:
    """The user changed ``key``'s widget: one undo step, validation, dirtiness."""
    form._user_edit(key)


@contextmanager
def compound(form: Form, text: str):
    """Several field changes made by one action become one undo step."""
    form.undo_stack.beginMacro(text)
    try:
        yield
    finally:
        form.undo_stack.endMacro()


def convert_wrapping(field: Field, check: Callable[[Any], None]) -> None:
    """Add a rule to a field's conversion: ``check(value)`` may raise ``InvalidValue``."""
    base = field.convert

    def convert(raw: Any) -> Any:
        value = base(raw)
        check(value)
        return value

    field.convert = convert


def value_or_none(form: Form, key: str) -> Any:
    """A field's converted value, or None while it is invalid."""
    field = form.fields[key]
    try:
        return field.convert(field.get_raw())
    except InvalidValue:
        return None


def checklist(form: Form, key: str, label: str, choices: Sequence[tuple[int, str]]) -> QListWidget:
    """A list of check boxes; its value is the sorted ids ticked."""
    names = dict(choices)
    box = QListWidget()
    box.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    for value, text in choices:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(item)

    def get_raw() -> tuple[int, ...]:
        return tuple(
            sorted(
                box.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(box.count())
                if box.item(i).checkState() == Qt.CheckState.Checked
            )
        )

    def set_raw(ids: Iterable[int]) -> None:
        wanted = set(ids or ())
        for i in range(box.count()):
            item = box.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def convert(raw: tuple[int, ...]) -> Shown:
        return Shown(raw, ", ".join(sorted(names.get(i, str(i)) for i in raw)))

    add_field(form, key, label, box, get_raw, set_raw, convert)
    box.itemChanged.connect(lambda _item: user_edit(form, key))
    return box


def check_box(form: Form, key: str, label: str, after: Callable[[bool], None]) -> QCheckBox:
    """A check box whose click may change other fields too, as one undo step."""
    box = QCheckBox(label)
    add_field(form, key, label, box, box.isChecked, box.setChecked, bool)

    def clicked(checked: bool) -> None:
        with compound(form, f"Change {label}"):
            user_edit(form, key)
            after(checked)

    box.clicked.connect(clicked)
    return box


def combo_box(
    form: Form,
    key: str,
    label: str,
    choices: Sequence[tuple[Any, str]],
    after: Callable[[Any], None],
) -> QComboBox:
    """A choice whose change may change other fields too, as one undo step."""
    box = QComboBox()
    for value, text in choices:
        box.addItem(text, value)

    def set_raw(value: Any) -> None:
        box.setCurrentIndex(max(box.findData(value), 0))

    add_field(form, key, label, box, box.currentData, set_raw, lambda v: v)

    def activated(_index: int) -> None:
        if box.currentData() == form._raw_before[key]:
            return  # the same choice again: nothing changes, nothing follows
        with compound(form, f"Change {label}"):
            user_edit(form, key)
            after(box.currentData())

    box.activated.connect(activated)
    return box


def set_field(form: Form, key: str, raw: Any) -> None:
    """Set a field as if the user had (inside a ``compound`` step)."""
    field = form.fields[key]
    form._loading = True
    try:
        field.set_raw(raw)
    finally:
        form._loading = False
    user_edit(form, key)


def availability_grid(form: Form, key: str = "availability") -> QWidget:
    """Weekdays by sessions; each cell: not available, weekly, or week 1 or 2 of a fortnight.

    The value is a sorted tuple of ``(weekday, session, choice)`` for the cells given.
    """
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(8)
    cells: dict[tuple[int, str], QComboBox] = {}
    for column, session in enumerate(SESSIONS, start=1):
        title = QLabel(session.capitalize())
        title.setObjectName("sectionHeading")
        grid.addWidget(title, 0, column)
    for weekday, day in enumerate(WEEKDAYS):
        grid.addWidget(QLabel(day), weekday + 1, 0)
        for column, session in enumerate(SESSIONS, start=1):
            box = QComboBox()
            for value, text in CELL_CHOICES:
                box.addItem(text, value)
            box.setAccessibleName(f"{day} {session}")
            box.setObjectName(f"availability_{weekday}_{session}")
            box.setToolTip(f"{day} {session}")
            box.activated.connect(lambda _i: user_edit(form, key))
            cells[(weekday, session)] = box
            grid.addWidget(box, weekday + 1, column)

    def get_raw() -> tuple[tuple[int, str, int], ...]:
        return tuple(
            sorted(
                (weekday, session, box.currentData())
                for (weekday, session), box in cells.items()
                if box.currentData() != NOT_AVAILABLE
            )
        )

    def set_raw(value: Iterable[tuple[int, str, int]]) -> None:
        chosen = {(w, s): c for w, s, c in value or ()}
        for place, box in cells.items():
            box.setCurrentIndex(max(box.findData(chosen.get(place, NOT_AVAILABLE)), 0))

    def convert(raw) -> Shown:
        text = "; ".join(f"{WEEKDAYS[w][:3]} {s} {CELL_WORDS[c]}" for w, s, c in raw)
        return Shown(raw, text)

    add_field(form, key, "Weekly availability", holder, get_raw, set_raw, convert)
    holder.cells = cells  # type: ignore[attr-defined] - for tests and tab order
    return holder


class PeriodsEditor(QWidget):
    """Unavailability periods: a small table, and From/To/Reason boxes with Add and Remove."""

    def __init__(self, form: Form, key: str = "unavailability") -> None:
        super().__init__()
        self.form, self.key = form, key
        self.periods: tuple[Period, ...] = ()
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["From", "To", "Reason"])
        self.table.setAccessibleName("Unavailability periods")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(125)
        self.start = self._line("From", "dd/mm/yyyy", "unavailable_from")
        self.end = self._line("To", "dd/mm/yyyy", "unavailable_to")
        self.reason = self._line("Reason", "Holiday, illness…", "unavailable_reason")
        self.add_button = QPushButton("Add period")
        self.add_button.setAccessibleName("Add unavailability period")
        self.remove_button = QPushButton("Remove period")
        self.remove_button.setAccessibleName("Remove the selected unavailability period")
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setAccessibleName("Unavailability period error")
        self.message.setWordWrap(True)
        self.message.hide()
        inputs = QHBoxLayout()
        for caption, widget, stretch in (
            ("From", self.start, 0),
            ("To", self.end, 0),
            ("Reason", self.reason, 1),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            inputs.addWidget(label)
            inputs.addWidget(widget, stretch)
        inputs.addWidget(self.add_button)
        inputs.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(inputs)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_period)
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)  # Enter in the editor means Save, not Add
        self.table.itemSelectionChanged.connect(self._selection_changed)
        add_field(
            form,
            key,
            "Unavailability",
            self,
            lambda: self.periods,
            self._show,
            lambda raw: Shown(raw, "; ".join(p.text() for p in raw)),
        )
        self._selection_changed()

    def _line(self, name: str, placeholder: str, object_name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(f"Unavailable {name.lower()}")
        edit.setObjectName(object_name)
        if placeholder.startswith("dd"):
            edit.setMaximumWidth(110)
        return edit

    def _show(self, periods: Iterable[Period]) -> None:
        self.periods = tuple(sorted(periods or ()))
        self.table.setRowCount(len(self.periods))
        for row, period in enumerate(self.periods):
            texts = (format_uk_date(period.start_date), format_uk_date(period.end_date))
            for column, text in enumerate((*texts, period.reason)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def add_period(self) -> None:
        try:
            start = parse_uk_date(self.start.text())
            end = parse_uk_date(self.end.text()) or start
        except InvalidValue as exc:
            self._fail(str(exc))
            return
        if start is None:
            self._fail("Give the first day they cannot come (dd/mm/yyyy)")
            return
        if end < start:
            self._fail("The last day cannot be before the first")
            return
        self.message.hide()
        self._show((*self.periods, Period(start, end, self.reason.text().strip())))
        user_edit(self.form, self.key)
        for box in (self.start, self.end, self.reason):
            box.clear()
        self.start.setFocus()

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        index = rows[0].row()
        self._show(p for i, p in enumerate(self.periods) if i != index)
        user_edit(self.form, self.key)


def cell_order(place: tuple[int, str]) -> tuple[int, int]:
    return place[0], SESSIONS.index(place[1])


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def cells_from_slots(slots: tuple[Slot, ...]) -> tuple[tuple, date | None]:
    """The grid's cells and the Monday week 1 starts, from the stored slots."""
    fortnightly = [s for s in slots if s.every_n_weeks == 2 and s.anchor_date]
    start = min((monday(s.anchor_date) for s in fortnightly), default=None)
    cells = []
    for slot in slots:
        code = WEEKLY
        if slot.every_n_weeks == 2 and slot.anchor_date and start:
            code = WEEK_ONE + ((monday(slot.anchor_date) - start).days // 7) % 2
        cells.append((slot.weekday, slot.session, code))
    return tuple(sorted(cells)), start


def slots_from_cells(cells, start: date | None) -> tuple[Slot, ...]:
    slots = []
    for weekday, session, code in cells:
        if code == WEEKLY or start is None:
            slots.append(Slot(weekday, session))
        else:
            anchor = start + timedelta(days=7 * (code - WEEK_ONE) + weekday)
            slots.append(Slot(weekday, session, 2, anchor))
    return tuple(sorted(slots))
