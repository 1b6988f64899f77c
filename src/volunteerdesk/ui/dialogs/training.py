"""The training record editor: a course a volunteer completed, or a renewal booked.

The expiry is computed from the course's validity and the completion date as you type;
tick Override to enter another date. ``renew=True`` opens a NEW record pre-filled from
the old one (same course and provider, completed today) that renews it.

Also holds the small helpers the clearance editor shares (rows, derived values).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ...core.models import TrainingStatus
from ...core.services.catalogues import CourseInfo, training_courses, validity_text
from ...core.services.records import computed_expiry, expiry_rule_text, volunteer_name
from ...core.services.training_records import (
    add_training,
    open_training,
    renewal_values,
    update_training,
)
from ...core.validation import InvalidValue, format_uk_date
from ..editors.base import Loaded, RecordEditor, Saved, fit_to_screen
from ..forms import Form

STATUS_CHOICES = [
    (TrainingStatus.COMPLETED, "Completed"),
    (TrainingStatus.BOOKED, "Booked (renewal in progress)"),
]
DATE_WIDTH = 130


# ----- helpers shared with the clearance editor ---------------------------------------------
def set_derived(form: Form, key: str, value: Any) -> None:
    """Show a value the program worked out (not the user): no undo step, no dirtiness."""
    field = form.fields[key]
    raw = field.to_raw(value)
    form._loading = True  # the Form has no public way yet to set a derived value
    try:
        field.set_raw(raw)
        form._raw_before[key] = raw
    finally:
        form._loading = False


def value_of(form: Form, key: str) -> Any:
    """A field's converted value, or None while it is invalid."""
    field = form.fields[key]
    try:
        return field.convert(field.get_raw())
    except InvalidValue:
        return None


def add_check(form: Form, key: str, check: Callable[[Any], Any]) -> None:
    """Run ``check(value)`` after the field's own conversion; it may raise InvalidValue."""
    field = form.fields[key]
    base = field.convert

    def convert(raw: Any) -> Any:
        value = base(raw)
        check(value)
        return value

    field.convert = convert


def require_choice(form: Form, key: str, message: str) -> None:
    def check(value: Any) -> None:
        if value is None:
            raise InvalidValue(message)

    add_check(form, key, check)


def add_row(layout: QFormLayout, form: Form, key: str, *extra: QWidget, note: QLabel | None = None):
    """A form row: the label, the field with its error beneath, and anything beside it."""
    field = form.fields[key]
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    line = QHBoxLayout()
    line.setContentsMargins(0, 0, 0, 0)
    narrow = field.widget.maximumWidth() < 10_000
    line.addWidget(field.widget, 0 if extra or narrow else 1)
    for widget in extra:
        line.addWidget(widget)
    if extra or narrow:
        line.addStretch(1)
    column.addLayout(line)
    if note is not None:
        column.addWidget(note)
    column.addWidget(field.error)
    label = QLabel(field.label)
    label.setBuddy(field.widget)
    layout.addRow(label, holder)
    return holder


def show_read_only(edit, read_only: bool) -> None:
    """A box the program fills: read-only and visibly so (the window's colour, not white)."""
    edit.setReadOnly(read_only)
    edit.setStyleSheet("QLineEdit { background: palette(window); }" if read_only else "")


def hint() -> QLabel:
    label = QLabel()
    label.setObjectName("note")
    label.setWordWrap(True)
    return label


def new_form_layout() -> QFormLayout:
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    layout.setHorizontalSpacing(16)
    layout.setVerticalSpacing(8)
    return layout


class RefusingEditor(RecordEditor):
    """A record editor that shows a service's refusal (InvalidValue) instead of failing."""

    def _store(self, values, changed, version, opened) -> bool:
        try:
            return super()._store(values, changed, version, opened)
        except InvalidValue as exc:
            QMessageBox.warning(self, "Cannot save", str(exc))
            return False


# ----- the training record editor -----------------------------------------------------------
class TrainingDialog(RefusingEditor):
    entity_label = "training record"

    def __init__(
        self, db, bus, volunteer_id, record_id=None, renew=False, parent=None, *, today=None
    ):
        super().__init__(db, bus, None if renew else record_id, parent)
        self.volunteer_id = volunteer_id
        self.renews_id = record_id if renew else None
        self.today: date = today or date.today()  # the window's date: checks and renewals
        with db.uow() as session:
            self.courses: dict[int, CourseInfo] = {c.id: c for c in training_courses(session)}
            self.person = volunteer_name(session, volunteer_id)
        form = self.form
        self.course_box = form.combo(
            "course_id",
            "Course *",
            [(None, "Choose a course…")]
            + [
                (c.id, f"{c.name} ({validity_text(c.validity_months).lower()})")
                for c in self.courses.values()
                if c.active
            ],
        )
        require_choice(form, "course_id", "Choose a course")
        form.combo("status", "Status", STATUS_CHOICES)
        form.date("completed_on", "Completed on")
        form.date("booked_for", "Booked for")
        form.date("expires_on", "Expires on")
        self.override = form.check("expiry_overridden", "Override")
        self.override.setToolTip("Enter the expiry date yourself instead of computing it")
        form.line("provider", "Provider")
        form.line("certificate_ref", "Certificate reference")
        form.text("notes", "Notes").setMaximumHeight(90)
        for key in ("completed_on", "booked_for", "expires_on"):
            form.fields[key].widget.setMaximumWidth(DATE_WIDTH)
        add_check(form, "completed_on", self._check_completed)
        add_check(form, "booked_for", self._check_booked)
        add_check(form, "expires_on", self._check_expiry)
        self.expiry_hint = hint()
        self.expiry_hint.setAccessibleName("How the expiry is worked out")
        self.heading = QLabel()
        self.heading.setObjectName("sectionHeading")
        self.heading.setAccessibleName("Volunteer")
        self.renews_note = hint()
        self.renews_note.setAccessibleName("Renews")
        form.edited.connect(self._edited)
        self.open_record()
        fit_to_screen(self, 600, max(self.sizeHint().height(), 400))

    # ----- RecordEditor -------------------------------------------------------------------
    def body(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.renews_note)
        self.layout_ = new_form_layout()
        self.rows = {}
        for key in ("course_id", "status", "completed_on", "booked_for"):
            self.rows[key] = add_row(self.layout_, self.form, key)
        add_row(self.layout_, self.form, "expires_on", self.override, note=self.expiry_hint)
        for key in ("provider", "certificate_ref", "notes"):
            add_row(self.layout_, self.form, key)
        column.addLayout(self.layout_)
        column.addStretch(1)
        return page

    def new_values(self) -> dict[str, Any]:
        if self.renews_id is not None:
            with self.db.uow() as session:
                values = renewal_values(session, self.renews_id, self.today)
                old = open_training(session, self.renews_id)
            values.pop("renews_id")
            self._ensure_course(values["course_id"])
            done = old.values["completed_on"]
            expired = old.values["expires_on"]
            self.renews_note.setText(
                f"Renews {old.course_name}"
                + (f" completed {format_uk_date(done)}" if done else "")
                + (f", which expires {format_uk_date(expired)}" if expired else "")
                + "."
            )
            return values
        return {"status": TrainingStatus.COMPLETED, "course_id": None, "expiry_overridden": False}

    def load(self, session) -> Loaded:
        opened = open_training(session, self.record_id)
        self.volunteer_id = opened.volunteer_id
        self._ensure_course(opened.values["course_id"], session)
        return Loaded(
            opened.values,
            opened.version,
            f"{opened.course_name} — {opened.volunteer_name}",
            opened.plain,
        )

    def store(self, session, values, changed, version, opened) -> Saved:
        user = self.db.username
        if version is None:
            saved = add_training(
                session, user, self.volunteer_id, values, renews_id=self.renews_id, today=self.today
            )
        else:
            saved = update_training(
                session, user, self.record_id, version, changed, opened=opened, today=self.today
            )
        return Saved(saved.record_id, saved.version, saved.changes, saved.plain)

    def reload(self) -> None:
        super().reload()
        self.heading.setText(self.person)
        self.renews_note.setVisible(self.renews_id is not None and self.version is None)
        if self.record_id is None:
            course = self.courses.get(value_of(self.form, "course_id"))
            renewing = self.renews_id is not None and course is not None
            verb = f"Renew {course.name}" if renewing else "New training record"
            self.setWindowTitle(f"{verb} — {self.person}")
        self._refresh(recompute=False)

    # ----- the rules as you type ----------------------------------------------------------
    def _ensure_course(self, course_id: int | None, session=None) -> None:
        """An inactive course still shows on the records that have it."""
        if course_id is None or self.course_box.findData(course_id) >= 0:
            return
        if course_id not in self.courses and session is not None:
            self.courses = {c.id: c for c in training_courses(session)}
        course = self.courses.get(course_id)
        if course is not None:
            self.course_box.addItem(f"{course.name} (no longer in use)", course_id)

    def _status(self) -> TrainingStatus:
        return TrainingStatus(value_of(self.form, "status") or TrainingStatus.COMPLETED)

    def _check_completed(self, value: date | None) -> None:
        if self._status() is TrainingStatus.COMPLETED:
            if value is None:
                raise InvalidValue("Enter the date the course was completed")
            if value > self.today:
                raise InvalidValue("Completion can't be in the future: choose Booked instead")

    def _check_booked(self, value: date | None) -> None:
        if self._status() is TrainingStatus.BOOKED and value is None:
            raise InvalidValue("Enter the date the course is booked for")

    def _check_expiry(self, value: date | None) -> None:
        if self.override.isChecked() and value is None:
            raise InvalidValue("Enter the expiry date, or untick Override")
        completed = value_of(self.form, "completed_on")
        if value is not None and completed is not None and value < completed:
            raise InvalidValue("The expiry can't be before the completion date")

    def _edited(self, key: str) -> None:
        if key in ("course_id", "status", "completed_on", "expiry_overridden"):
            self._refresh(recompute=True)

    def _refresh(self, *, recompute: bool) -> None:
        booked = self._status() is TrainingStatus.BOOKED
        self.layout_.setRowVisible(self.rows["booked_for"], booked)
        self.layout_.setRowVisible(self.rows["completed_on"], not booked)
        course = self.courses.get(value_of(self.form, "course_id"))
        months = course.validity_months if course else None
        completed = value_of(self.form, "completed_on")
        overridden = self.override.isChecked()
        expiry = self.form.fields["expires_on"].widget
        show_read_only(expiry, not overridden)
        expiry.setAccessibleDescription(
            "Entered by hand" if overridden else "Computed from the course and completion date"
        )
        computed = computed_expiry(completed, months)
        if recompute and not overridden:
            set_derived(self.form, "expires_on", computed)
        if course is None:
            text = "Choose a course to compute the expiry."
        elif overridden:
            text = f"Entered by hand (the course gives {format_uk_date(computed) or 'no expiry'})."
        else:
            text = f"Computed: {expiry_rule_text(months, 'completion').lower()}."
            shown = value_of(self.form, "expires_on")
            if shown != computed and not recompute and completed is not None:
                text += (
                    f" The course now gives {format_uk_date(computed) or 'no expiry'}; "
                    "saving applies it."
                )
        if booked and not overridden:
            text = "A booked course has no expiry until it is completed."
        self.expiry_hint.setText(text)
        self.form.validate()
