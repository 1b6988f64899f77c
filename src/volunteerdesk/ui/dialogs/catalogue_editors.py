"""Editors of the catalogues: a training course, a clearance type.

The validity is a number of months or "never expires"; a value changed from the shipped
default is shown as set locally, with a button to go back to the default.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.services import catalogues as cat
from ...core.services.catalogues import validity_label, validity_text
from ...core.services.editing import RecordGone
from ..editors.base import Loaded, Saved
from ..table_model import Column, RowTableModel
from ..widgets import fit_columns, note, table_view
from .training import RefusingEditor, add_row, hint, new_form_layout

DEFAULT_MONTHS = 12


class _CatalogueEditor(RefusingEditor):
    """What the two editors share: name, validity (or never), description, active."""

    shipped_codes: frozenset[str] = frozenset()
    values_of = staticmethod(cat.course_values)
    add = staticmethod(cat.add_course)
    update = staticmethod(cat.update_course)
    extra_keys: tuple[str, ...] = ()

    def __init__(self, db, bus, record_id: int | None = None, parent: QWidget | None = None):
        super().__init__(db, bus, record_id, parent)
        self.default_months: int | None = None
        self.shipped = False
        form = self.form
        form.line("name", "Name", required=True)
        self.months = form.spin("validity_months", "Valid for", 1, 1200)
        self.never = form.check("never_expires", "Never expires")
        self.months.setSuffix(" months")
        self.months.setMaximumWidth(140)
        self.default_button = QPushButton("Use the default")
        self.default_button.setAccessibleName("Use the shipped default validity")
        self.default_button.clicked.connect(self.use_default)
        self.validity_note = hint()
        self.validity_note.setAccessibleName("Where the validity comes from")
        self.build_extra()
        form.text("description", "Description").setMaximumHeight(80)
        form.check("active", "In use (untick to retire it from new records)")
        form.edited.connect(lambda _key: self._refresh())

    def build_extra(self) -> None:
        """Fields of one kind of catalogue only."""

    def body(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        layout = new_form_layout()
        add_row(layout, self.form, "name")
        add_row(
            layout, self.form, "validity_months", self.never, self.default_button,
            note=self.validity_note,
        )  # fmt: skip
        for key in (*self.extra_keys, "description", "active"):
            if isinstance(self.form.fields[key].widget, QCheckBox):
                layout.addRow("", self.form.row(key))
            else:
                add_row(layout, self.form, key)
        column.addLayout(layout)
        column.addStretch(1)
        return page

    # ----- values ---------------------------------------------------------------------------
    def to_form(self, values: dict[str, Any]) -> dict[str, Any]:
        months = values.get("validity_months")
        shown = dict(values)
        shown["never_expires"] = months is None
        shown["validity_months"] = months or self.default_months or DEFAULT_MONTHS
        return shown

    def from_form(self, values: dict[str, Any]) -> dict[str, Any]:
        stored = {k: v for k, v in values.items() if k != "never_expires"}
        if "never_expires" in values or "validity_months" in values:
            never = self.never.isChecked()
            stored["validity_months"] = None if never else self.months.value()
        return stored

    def new_values(self) -> dict[str, Any]:
        return self.to_form({"name": "", "validity_months": DEFAULT_MONTHS, "active": True})

    def load(self, session) -> Loaded:
        values, version, plain = self.values_of(session, self.record_id)
        self.default_months = plain["default_validity_months"]
        self.shipped = plain["code"] in self.shipped_codes
        title = f"{self.entity_label.capitalize()}: {values['name']}"
        return Loaded(self.to_form(values), version, title, plain)

    def store(self, session, values, changed, version, opened) -> Saved:
        user = self.db.username
        if version is None:
            saved = self.add(session, user, self.from_form(values))
        else:
            saved = self.update(
                session, user, self.record_id, version, self.from_form(changed), opened=opened
            )
        self.default_months = saved.plain["default_validity_months"]
        return Saved(saved.record_id, saved.version, saved.changes, saved.plain)

    def reload(self) -> None:
        super().reload()
        self._refresh()

    # ----- the validity ---------------------------------------------------------------------
    def use_default(self) -> None:
        """Go back to the shipped default (as an edit: Ctrl+Z undoes it)."""
        never = self.default_months is None
        if self.never.isChecked() != never:
            self.never.click()
        if not never:
            self.months.setValue(self.default_months)

    def _refresh(self) -> None:
        never = self.never.isChecked()
        self.months.setEnabled(not never)
        current = None if never else self.months.value()
        if not self.shipped:
            text = "Added locally: there is no shipped default."
        elif current == self.default_months:
            text = f"The shipped default ({validity_text(self.default_months).lower()})."
        else:
            text = (
                f"Set locally; the shipped default is {validity_text(self.default_months).lower()}."
            )
        self.validity_note.setText(text)
        self.default_button.setVisible(self.shipped and current != self.default_months)


class CourseEditor(_CatalogueEditor):
    entity_label = "training course"
    shipped_codes = cat.SHIPPED_COURSES
    values_of = staticmethod(cat.course_values)
    add = staticmethod(cat.add_course)
    update = staticmethod(cat.update_course)
    extra_keys = ("within_months_of_start",)

    def __init__(self, db, bus, course_id: int | None = None, parent: QWidget | None = None):
        super().__init__(db, bus, course_id, parent)
        self.open_record()
        self.resize(560, max(self.sizeHint().height(), 360))

    def build_extra(self) -> None:
        within = self.form.spin("within_months_of_start", "Within months of starting", 0, 120)
        within.setSpecialValueText("Not required")
        within.setSuffix(" months")
        within.setMaximumWidth(140)
        within.setToolTip("New volunteers must complete it within this many months")

    def to_form(self, values):
        shown = super().to_form(values)
        shown["within_months_of_start"] = values.get("within_months_of_start") or 0
        return shown

    def from_form(self, values):
        stored = super().from_form(values)
        if "within_months_of_start" in stored:
            stored["within_months_of_start"] = stored["within_months_of_start"] or None
        return stored


class ClearanceTypeEditor(_CatalogueEditor):
    entity_label = "clearance type"
    shipped_codes = cat.SHIPPED_CLEARANCES
    values_of = staticmethod(cat.clearance_type_values)
    add = staticmethod(cat.add_clearance_type)
    update = staticmethod(cat.update_clearance_type)
    extra_keys = ("levels", "per_establishment", "is_dbs")

    def __init__(self, db, bus, type_id: int | None = None, parent: QWidget | None = None):
        super().__init__(db, bus, type_id, parent)
        self.open_record()
        self.resize(560, max(self.sizeHint().height(), 400))

    def build_extra(self) -> None:
        self.form.line("levels", "Levels", placeholder="Comma-separated, e.g. Basic, Enhanced")
        self.form.check("per_establishment", "Per establishment (each clearance names one)")
        self.form.check("is_dbs", "DBS check (keeps the DBS certificate details)")

    def new_values(self):
        return {**super().new_values(), "levels": "", "per_establishment": False, "is_dbs": False}

    def to_form(self, values):
        shown = super().to_form(values)
        shown["levels"] = ", ".join(cat.normalise_levels(values.get("levels") or "").split(","))
        return shown


# ----- the lists on the Settings page -----------------------------------------------------------
def _in_use(item) -> str:
    return "In use" if item.active else "Retired"


COURSE_COLUMNS = [
    Column("Course", lambda c: c.name),
    Column("Valid for", lambda c: c.validity_months or 10_000, text=validity_label),
    Column(
        "Complete within",
        lambda c: c.within_months_of_start,
        text=lambda c: (
            f"{c.within_months_of_start} months of starting" if c.within_months_of_start else ""
        ),
    ),
    Column("Status", _in_use),
    Column("Notes", lambda c: c.description),
]
CLEARANCE_COLUMNS = [
    Column("Clearance", lambda t: t.name),
    Column("Valid for", lambda t: t.validity_months or 10_000, text=validity_label),
    Column(
        "Scope",
        lambda t: t.per_establishment,
        text=lambda t: "Per establishment" if t.per_establishment else "Portable",
    ),
    Column("Levels", lambda t: ", ".join(t.levels)),
    Column("Status", _in_use),
    Column("Notes", lambda t: t.description),
]


class CatalogueList(QWidget):
    """A catalogue's table with New, Edit and Remove (which retires what is in use)."""

    def __init__(self, page, noun: str, editor, remove, columns, extra=()):
        super().__init__(page)
        self.page, self.db, self.noun = page, page.db, noun
        self.editor_class, self.remove_function = editor, remove
        self.editor: RefusingEditor | None = None  # the last one opened
        self.model = RowTableModel(columns, parent=self)
        self.view = table_view(self.model, f"{noun.capitalize()}s", stretch_column=len(columns) - 1)
        self.new_button = QPushButton(f"&New {noun}…")
        self.new_button.setToolTip(f"Add a {noun} (Ctrl+N)")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setToolTip(f"Edit the selected {noun} (Enter)")
        self.remove_button = QPushButton("Re&move…")
        self.remove_button.setToolTip("Delete it, or retire it if records or posts use it")
        self.message = note("", f"{noun.capitalize()}s: last change")
        row = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.remove_button, *extra):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        self.view.activated.connect(lambda _index: self.edit())
        self.view.selectionModel().selectionChanged.connect(self._selection)
        self._selection()

    def set_rows(self, rows) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        fit_columns(self.view, {1: 300})
        for r, row in enumerate(self.model.shown_rows()):
            if chosen is not None and row.id == chosen.id:
                self.view.selectRow(r)
        self._selection()

    def selected(self):
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection(self, *_args) -> None:
        has = self.selected() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _open(self, record_id: int | None) -> None:
        try:
            self.editor = self.editor_class(self.db, self.page.bus, record_id, parent=self)
        except RecordGone as gone:
            self.message.setText(str(gone))
            return
        self.editor.show()

    def new(self) -> None:
        self._open(None)

    def edit(self) -> None:
        item = self.selected()
        if item is not None:
            self._open(item.id)

    def remove(self) -> None:
        item = self.selected()
        if item is None:
            return
        answer = QMessageBox.question(
            self,
            f"Remove {self.noun}",
            f"Remove {item.name}? If any record or post uses it, it is retired instead: kept "
            "on those records, but no longer offered for new ones.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.db.uow() as session:
                result = self.remove_function(session, self.db.username, item.id, item.version)
        except Exception as exc:  # noqa: BLE001 - a conflict or a vanished row: say so
            self.message.setText(f"Could not remove {item.name}: {exc}")
            return
        self.message.setText(result.message)
        self.page.bus.announce(result.changes)
