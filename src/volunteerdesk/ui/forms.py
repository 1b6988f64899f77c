"""Forms that validate as you type, know when they are dirty, and undo edits field by field.

Every record editor builds its fields through a ``Form``: each field has a label, a
validator from ``core.validation`` and an error label beside it. The form tells its
owner when it becomes valid or dirty (Save is enabled only when both), and keeps one
undo stack for all its fields, so Ctrl+Z steps back through the edits of the whole
record, not just the text of one box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.validation import InvalidValue, format_uk_date, parse_uk_date, require

Validator = Callable[[str], Any]

ERROR_STYLE = "color: #ffffff; background-color: #a4001d; border-radius: 3px; padding: 1px 4px;"


class _EditCommand(QUndoCommand):
    """One change of one field; consecutive typing in the same field merges."""

    def __init__(self, form: Form, key: str, old: Any, new: Any):
        super().__init__(f"Edit {form.fields[key].label}")
        self.form, self.key, self.old, self.new = form, key, old, new
        self._first = True

    def id(self) -> int:  # noqa: A003 - Qt's name
        return 1000 + list(self.form.fields).index(self.key)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, _EditCommand) or other.key != self.key:
            return False
        if not isinstance(self.new, str):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if self._first:  # the widget already shows the new value
            self._first = False
            return
        self.form._set_raw(self.key, self.new)

    def undo(self) -> None:
        self.form._set_raw(self.key, self.old)


class _LetFormUndo(QObject):
    """Stops a text box swallowing Ctrl+Z/Ctrl+Y so the form's undo stack gets them."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
        ):
            event.ignore()
            return True
        return False


@dataclass
class Field:
    key: str
    label: str
    widget: QWidget
    error: QLabel
    get_raw: Callable[[], Any]
    set_raw: Callable[[Any], None]
    convert: Callable[[Any], Any]
    to_raw: Callable[[Any], Any]


class Form(QObject):
    """A set of validated fields laid out in a ``QFormLayout``."""

    validity_changed = Signal(bool)
    dirty_changed = Signal(bool)
    edited = Signal(str)  # the key of the field the user changed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields: dict[str, Field] = {}
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._loaded: dict[str, Any] = {}
        self._raw_before: dict[str, Any] = {}
        self._loading = False
        self._valid = True
        self._undo_filter = _LetFormUndo(self)

    # ----- building -------------------------------------------------------------
    def _add(self, key, label, widget, get_raw, set_raw, convert, to_raw) -> Field:
        widget.setAccessibleName(label.rstrip(" *"))
        widget.setObjectName(key)
        error = QLabel()
        error.setObjectName(f"{key}_error")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setVisible(False)
        error.setAccessibleName(f"{label.rstrip(' *')} error")
        field = Field(key, label, widget, error, get_raw, set_raw, convert, to_raw)
        self.fields[key] = field
        self._raw_before[key] = get_raw()
        return field

    def line(
        self,
        key: str,
        label: str,
        *,
        required: bool = False,
        validator: Validator | None = None,
        placeholder: str = "",
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.installEventFilter(self._undo_filter)
        label_text = f"{label} *" if required else label

        def convert(raw: str) -> Any:
            value = require(raw, label) if required else raw.strip()
            return validator(value) if validator and value else value

        self._add(
            key,
            label_text,
            edit,
            edit.text,
            edit.setText,
            convert,
            lambda v: "" if v is None else str(v),
        )
        edit.textEdited.connect(lambda _t, k=key: self._user_edit(k))
        return edit

    def date(self, key: str, label: str, *, required: bool = False) -> QLineEdit:
        edit = self.line(key, label, required=required, placeholder="dd/mm/yyyy")
        field = self.fields[key]
        base = field.convert
        field.convert = lambda raw: parse_uk_date(base(raw)) if raw.strip() else (base(raw) or None)
        field.to_raw = lambda v: format_uk_date(v) if isinstance(v, date) else (v or "")
        return edit

    def combo(self, key: str, label: str, choices: Sequence[tuple[Any, str]]) -> QComboBox:
        box = QComboBox()
        for value, text in choices:
            box.addItem(text, value)

        def set_raw(value: Any) -> None:
            index = box.findData(value)
            box.setCurrentIndex(max(index, 0))

        self._add(key, label, box, box.currentData, set_raw, lambda v: v, lambda v: v)
        box.activated.connect(lambda _i, k=key: self._user_edit(k))
        return box

    def check(self, key: str, label: str) -> QCheckBox:
        box = QCheckBox(label)
        self._add(key, label, box, box.isChecked, box.setChecked, bool, bool)
        box.clicked.connect(lambda _c, k=key: self._user_edit(k))
        return box

    def spin(self, key: str, label: str, minimum: int, maximum: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(minimum, maximum)
        self._add(key, label, box, box.value, box.setValue, int, lambda v: int(v or 0))
        box.valueChanged.connect(lambda _v, k=key: self._user_edit(k))
        return box

    def text(self, key: str, label: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.installEventFilter(self._undo_filter)
        box.setMinimumHeight(70)
        self._add(key, label, box, box.toPlainText, box.setPlainText, str.strip, lambda v: v or "")
        box.textChanged.connect(lambda k=key: self._user_edit(k))
        return box

    def row(self, key: str) -> QWidget:
        """The field's widget with its error message beneath, for a layout row."""
        field = self.fields[key]
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(field.widget)
        box.addWidget(field.error)
        return holder

    def layout_for(self, keys: Sequence[str]) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key in keys:
            field = self.fields[key]
            if isinstance(field.widget, QCheckBox):
                form.addRow("", self.row(key))
            else:
                label = QLabel(field.label)
                label.setBuddy(field.widget)
                form.addRow(label, self.row(key))
        return form

    @staticmethod
    def pair(*widgets: QWidget) -> QWidget:
        holder = QWidget()
        box = QHBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            box.addWidget(widget)
        return holder

    # ----- values -----------------------------------------------------------------
    def set_values(self, values: dict[str, Any]) -> None:
        """Load a record: fills the fields, clears errors, the undo history and dirtiness."""
        self._loading = True
        try:
            for key, field in self.fields.items():
                if key in values:
                    field.set_raw(field.to_raw(values[key]))
                self._raw_before[key] = field.get_raw()
        finally:
            self._loading = False
        self._loaded = dict(values)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.validate()
        self.dirty_changed.emit(False)

    def values(self) -> dict[str, Any]:
        """The converted values of every valid field (invalid ones are left out)."""
        result = {}
        for key, field in self.fields.items():
            try:
                result[key] = field.convert(field.get_raw())
            except InvalidValue:
                continue
        return result

    def changed_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.values().items() if self._loaded.get(k) != v}

    def errors(self) -> dict[str, str]:
        found = {}
        for key, field in self.fields.items():
            try:
                field.convert(field.get_raw())
            except InvalidValue as exc:
                found[key] = str(exc)
        return found

    def validate(self) -> bool:
        errors = self.errors()
        for key, field in self.fields.items():
            message = errors.get(key, "")
            field.error.setText(message)
            field.error.setVisible(bool(message))
            field.widget.setToolTip(message)
        valid = not errors
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
        return valid

    @property
    def is_valid(self) -> bool:
        return self._valid

    @property
    def is_dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self, values: dict[str, Any] | None = None) -> None:
        if values is not None:
            self._loaded = dict(values)
        self.undo_stack.setClean()

    # ----- internals --------------------------------------------------------------
    def _clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)

    def _user_edit(self, key: str) -> None:
        if self._loading:
            return
        field = self.fields[key]
        new = field.get_raw()
        old = self._raw_before[key]
        if new == old:
            return
        self._raw_before[key] = new
        self.undo_stack.push(_EditCommand(self, key, old, new))
        self.validate()
        self.edited.emit(key)

    def _set_raw(self, key: str, raw: Any) -> None:
        self._loading = True
        try:
            self.fields[key].set_raw(raw)
            self._raw_before[key] = raw
        finally:
            self._loading = False
        self.validate()
        self.fields[key].widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.edited.emit(key)
