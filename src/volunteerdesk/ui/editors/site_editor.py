"""The editor of a prison or court: details, contacts, gate times and its closure calendar.

Also the few helpers the site and post editors share (time fields, checks between two
fields, composite widgets as form fields, refusals at save time).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import IntegrityError

from ...core.services.community_edit import InUse
from ...core.services.site_edit import format_time, parse_time, save_site
from ...core.services.sites import (
    JURISDICTION_LABELS,
    SITE_KIND_LABELS,
    load_site,
    new_site_values,
    site_names,
)
from ...core.validation import InvalidValue, check_email, check_uk_phone
from ..forms import Form
from ..widgets import note
from ..widgets_calendar import SiteDaysEditor
from .base import Loaded, RecordEditor, Saved, fit_to_screen


# ----- helpers the site and post editors share ---------------------------------------------
def time_field(form: Form, key: str, label: str, *, required: bool = False) -> QLineEdit:
    """A HH:MM box whose value is a ``datetime.time`` (None when left empty)."""
    edit = form.line(key, label, required=required, validator=parse_time, placeholder="HH:MM")
    edit.setMaxLength(5)
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("00:00") * 3)
    field = form.fields[key]
    field.to_raw = lambda v: format_time(v) if v is not None and not isinstance(v, str) else v or ""
    base = field.convert
    field.convert = lambda raw: base(raw) if raw.strip() else (base(raw) or None)
    return edit


def check_pair(form: Form, key: str, check: Callable[[Any, Any], None], other: str) -> None:
    """Also check ``key`` against the ``other`` field; the message shows beside ``key``.

    ``check(value, other_value)`` raises ``InvalidValue``; it is skipped while the other
    field is itself invalid. The form re-checks every field after each edit.
    """
    field, partner = form.fields[key], form.fields[other]
    base = field.convert

    def convert(raw):
        value = base(raw)
        try:
            partner_value = partner.convert(partner.get_raw())
        except InvalidValue:
            return value
        check(value, partner_value)
        return value

    field.convert = convert


def unique(taken: set[str], message: str) -> Callable[[str], str]:
    """A validator refusing a name already in ``taken`` (case-folded)."""

    def check(value: str) -> str:
        if value.casefold() in taken:
            raise InvalidValue(message.format(value))
        return value

    return check


def bind_value(form: Form, key: str, label: str, widget: Any, check=None) -> None:
    """Make a composite widget a field of ``form`` (its values, undo, dirtiness, errors).

    The widget offers ``value()``, ``set_value(v)`` (without emitting) and a ``changed``
    signal; ``check(value)`` may raise ``InvalidValue``. (Uses the form's internals: a
    public ``Form.custom`` would be the better home for this.)
    """

    def convert(raw):
        if check is not None:
            check(raw)
        return raw

    form._add(key, label, widget, widget.value, widget.set_value, convert, lambda v: v)
    widget.changed.connect(lambda *_: form._user_edit(key))


def group(title: str, form: Form, keys: list[str]) -> QGroupBox:
    box = QGroupBox(title)
    box.setLayout(form.layout_for(keys))
    return box


def tab_chain(editor, *parts) -> None:
    """Tab order as laid out: the given fields (keys) and widgets, then Save and Close;
    the first field has the focus when the editor opens."""
    widgets = [editor.form.fields[p].widget if isinstance(p, str) else p for p in parts]
    widgets += [editor.save_button, editor.close_button]
    for first, second in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(first, second)
    widgets[0].setFocus()


class RefusalsShown:
    """Mixin for a ``RecordEditor``: a save the core refuses is explained, not raised."""

    def save_record(self) -> bool:
        try:
            return super().save_record()  # type: ignore[misc]
        except (InvalidValue, InUse) as refusal:
            QMessageBox.warning(self, "Not saved", str(refusal))  # type: ignore[arg-type]
        except IntegrityError:
            QMessageBox.warning(
                self,  # type: ignore[arg-type]
                "Not saved",
                "The database refused this change: someone else may have just saved a "
                "record with the same name. Reload the list and try again.",
            )
        return False


# ----- the site editor -----------------------------------------------------------------------
class SiteEditor(RefusalsShown, RecordEditor):
    entity_label = "site"

    def __init__(self, db, bus, record_id=None, parent=None, *, today: date | None = None):
        super().__init__(db, bus, record_id, parent)
        self.today = today or date.today()
        self.days_before: tuple = ()
        with db.uow() as session:
            taken = site_names(session, record_id)
        f = self.form
        f.line(
            "name",
            "Name",
            required=True,
            validator=unique(taken, "There is already a site called {}"),
        )
        f.line("code", "Code", placeholder="e.g. WMR")
        f.fields["code"].widget.setMaxLength(10)
        f.combo("kind", "Kind", [(k.value, text) for k, text in SITE_KIND_LABELS.items()])
        f.combo(
            "jurisdiction",
            "Jurisdiction",
            [(j.value, text) for j, text in JURISDICTION_LABELS.items()],
        )
        f.check("closed_on_bank_holidays", "Closed on bank holidays (courts do not sit)")
        f.check("active", "Active: on the rota and in lists of sites")
        time_field(f, "morning_gate_time", "Morning: through the gate by")
        time_field(f, "afternoon_gate_time", "Afternoon: through the gate by")
        f.text("address", "Address").setMaximumHeight(90)
        f.line("postcode", "Postcode").setMaxLength(10)
        f.line("phone", "Phone", validator=check_uk_phone)
        f.line("security_contact_name", "Name")
        f.line("security_contact_phone", "Phone", validator=check_uk_phone)
        f.line("security_contact_email", "E-mail", validator=check_email)
        f.line("coordinator_name", "Name")
        f.line("coordinator_phone", "Phone", validator=check_uk_phone)
        f.line("safeguarding_contact_name", "Name")
        f.line("safeguarding_contact_phone", "Phone", validator=check_uk_phone)
        f.text("notes", "Notes")
        for key, who in (
            ("security_contact", "Security contact"),
            ("coordinator", "Coordinator"),
            ("safeguarding_contact", "Safeguarding contact"),
        ):
            for part in ("name", "phone", "email"):
                if f"{key}_{part}" in f.fields:
                    f.fields[f"{key}_{part}"].widget.setAccessibleName(f"{who} {part}")
        self.days = SiteDaysEditor(self.today)
        bind_value(f, "days", "Closure and exception days", self.days)
        f.edited.connect(self._edited)
        f.edited.connect(self._update_buttons)  # the count of fields to correct
        self.open_record()
        first = ["name", "code", "kind", "jurisdiction", "closed_on_bank_holidays", "active"]
        first += ["morning_gate_time", "afternoon_gate_time", "address", "postcode", "phone"]
        contacts = [k for k in f.fields if k.endswith(("_name", "_phone", "_email"))]
        tab_chain(self, *first, "notes", *contacts, *self.days.focus_chain())
        fit_to_screen(self, 900, 640)

    # ----- layout ------------------------------------------------------------------------
    def body(self) -> QWidget:
        f = self.form
        site = QWidget()
        columns = QHBoxLayout(site)
        left = QVBoxLayout()
        left.addWidget(
            group(
                "Site",
                f,
                ["name", "code", "kind", "jurisdiction", "closed_on_bank_holidays", "active"],
            )
        )
        gates = group("Gate times", f, ["morning_gate_time", "afternoon_gate_time"])
        gates.layout().addRow(
            note(
                "The latest time to be through the gate for each session (HH:MM). "
                "Leave empty where there is no gate.",
                "About gate times",
            )
        )
        left.addWidget(gates)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(group("Address", f, ["address", "postcode", "phone"]))
        right.addWidget(group("Notes", f, ["notes"]))
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        contacts = QWidget()
        contact_layout = QVBoxLayout(contacts)
        for title, prefix in (
            ("Security department", "security_contact"),
            ("Volunteer coordinator", "coordinator"),
            ("Safeguarding lead", "safeguarding_contact"),
        ):
            keys = [k for k in f.fields if k.startswith(prefix + "_")]
            contact_layout.addWidget(group(title, f, keys))
        contact_layout.addStretch(1)

        days = QWidget()
        days_layout = QVBoxLayout(days)
        days_layout.addWidget(f.row("days"))

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Site editor sections")
        self.tabs.addTab(site, "S&ite")
        self.tabs.addTab(contacts, "C&ontacts")
        self.tabs.addTab(days, "Closures and e&xceptions")
        return self.tabs

    # ----- behaviour ---------------------------------------------------------------------
    def _edited(self, key: str) -> None:
        if key == "kind" and self.record_id is None:
            box = self.form.fields["closed_on_bank_holidays"].widget
            wanted = new_site_values(self.form.fields["kind"].get_raw())["closed_on_bank_holidays"]
            if box.isChecked() != wanted:
                box.click()  # a user edit: undone with the rest
        if key in ("jurisdiction", "closed_on_bank_holidays", "kind"):
            self._update_calendar()

    def _update_calendar(self) -> None:
        self.days.set_site_rules(
            self.form.fields["jurisdiction"].get_raw(),
            self.form.fields["closed_on_bank_holidays"].get_raw(),
        )

    def reload(self) -> None:
        super().reload()
        self._update_calendar()

    # ----- RecordEditor ------------------------------------------------------------------
    def new_values(self) -> dict[str, Any]:
        return new_site_values()

    def load(self, session) -> Loaded:
        record = load_site(session, self.record_id)
        self.days_before = record.values["days"]
        return Loaded(record.values, record.version, record.title, record.opened)

    def store(self, session, values, changed, version, opened) -> Saved:
        user = self.db.username
        if self.record_id is None:
            result = save_site(session, None, values, user)
        else:
            result = save_site(
                session,
                self.record_id,
                changed,
                user,
                version=version,
                opened=opened,
                days_before=self.days_before,
            )
        self.days_before = values.get("days", self.days_before)
        self.setWindowTitle(result.title)
        return Saved(result.id, result.version, result.changes, result.opened)
