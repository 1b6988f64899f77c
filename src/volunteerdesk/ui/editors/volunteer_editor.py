"""The volunteer record editor: details, contact, status, community and faith, roles and
sites, availability, notes, and read-only training, clearances and upcoming shifts.

Built on ``RecordEditor``: Save only when valid and changed, Ctrl+S, undo over the whole
record (lists included), a prompt before losing changes, and the conflict dialog when
someone else saved the volunteer first. Every write goes through
``core.services.volunteer_edit``, which audits it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...core.models import RiskOutcome, VolunteerStatus
from ...core.services.editing import RecordGone
from ...core.services.volunteer_edit import (
    check_left_on,
    create_volunteer,
    load_for_edit,
    update_volunteer,
)
from ...core.services.volunteers import choices
from ...core.settings import load_settings
from ...core.validation import InvalidValue, check_email, check_uk_phone, format_uk_date
from ..dialogs.clearance import ClearanceDialog
from ..dialogs.training import TrainingDialog
from . import volunteer_tabs as tabs
from .base import Loaded, RecordEditor, Saved, fit_to_screen
from .volunteer_fields import (
    WEEK_ONE,
    PeriodsEditor,
    availability_grid,
    cell_order,
    cells_from_slots,
    check_box,
    checklist,
    combo_box,
    convert_wrapping,
    monday,
    set_field,
    slots_from_cells,
    value_or_none,
)
from .volunteer_records import clearances_tab, shifts_tab, training_tab
from .volunteer_tabs import COMMUNITY_KEYS, PERSON_KEYS, STATUS_KEYS, TAB_KEYS

STATUS_CHOICES = [
    (VolunteerStatus.ENQUIRY.value, "Enquiry"),
    (VolunteerStatus.APPLICANT.value, "Applicant"),
    (VolunteerStatus.VETTING.value, "Vetting in progress"),
    (VolunteerStatus.ACTIVE.value, "Active"),
    (VolunteerStatus.PAUSED.value, "Paused"),
    (VolunteerStatus.LEFT.value, "Left"),
]
DATE_KEYS = (
    "date_of_birth",
    "status_since",
    "started_on",
    "left_on",
    "risk_assessment_on",
    "endorsed_on",
    "faith_consent_on",
    "fortnight_start",
)
RISK_CHOICES = [
    (None, "No assessment recorded"),
    (RiskOutcome.APPROVED.value, "Approved"),
    (RiskOutcome.APPROVED_WITH_CONDITIONS.value, "Approved with conditions"),
    (RiskOutcome.NOT_APPROVED.value, "Not approved"),
]


class VolunteerEditor(RecordEditor):
    entity_label = "volunteer"
    audit_entity = "volunteers"

    def __init__(self, db, bus, record_id=None, parent=None, *, today: date | None = None):
        super().__init__(db, bus, record_id, parent)
        self.today = today or date.today()
        self.endorsements: dict[int, tuple[str, date | None]] = {}
        with db.uow() as session:
            self.choices = choices(session)
            self.default_max_shifts = load_settings(session).default_max_shifts_per_month
        self._build_fields()
        self.saved.connect(lambda _id: self.reload())  # show the values as stored (tidied)
        self.form.edited.connect(self._sync_enabled)
        # The base recounts errors only when validity flips; keep "n fields to correct" true.
        self.form.edited.connect(self._update_buttons)
        self.form.edited.connect(self._mark_tabs)
        new_action = QAction("New volunteer", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.open_new)
        self.addAction(new_action)
        self.bus.changed.connect(self._changed_elsewhere)
        self.open_record()
        if record_id is not None:
            self._privacy_buttons()
        self._tab_order()
        self.form.fields["first_name" if record_id is None else "title"].widget.setFocus()
        fit_to_screen(self, 900, 680)

    # ----- privacy rights -------------------------------------------------------------------
    def _privacy_buttons(self) -> None:
        access = QPushButton("Subject &access…")
        access.setAccessibleName("Subject access export")
        access.setToolTip("Export everything held about this person, as PDF and JSON")
        access.clicked.connect(self.subject_access)
        erase = QPushButton("&Erase…")
        erase.setAccessibleName("Erase this volunteer")
        erase.setToolTip("Anonymise this person: personal data removed, shifts and hours kept")
        erase.clicked.connect(self.erase)
        for button in (access, erase):
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ResetRole)
        self.access_button, self.erase_button = access, erase

    def _ops(self):
        from ..ops import Ops

        ops = getattr(self.window().parent(), "ops", None) or getattr(self.parent(), "ops", None)
        if ops is None:
            ops = self._own_ops = getattr(self, "_own_ops", None) or Ops(self)
        return ops

    def subject_access(self):
        from ..dialogs.privacy import SubjectAccessDialog

        dialog = SubjectAccessDialog(self.db, self._ops(), self.record_id, self, self.today)
        dialog.show()
        return dialog

    def erase(self):
        from ..dialogs.privacy import EraseDialog

        if self.form.is_dirty:
            QMessageBox.information(
                self, "Erase", "Save or undo your changes to this record before erasing it."
            )
            return None
        dialog = EraseDialog(self.db, self._ops(), self.bus, self.record_id, self, self.today)
        dialog.erased.connect(lambda _id: self.reload())
        dialog.show()
        return dialog

    # ----- fields -------------------------------------------------------------------------
    def _build_fields(self) -> None:
        f, c = self.form, self.choices
        f.line("title", "Title", placeholder="Mr, Mrs, Ms, Dr, Revd…")
        f.line("first_name", "First name", required=True)
        f.line("last_name", "Last name", required=True)
        f.line("badge_name", "Badge name", placeholder="Preferred forename, if not the first name")
        f.date("date_of_birth", "Date of birth")
        f.line("languages", "Languages", placeholder="English, Welsh, Punjabi…")
        f.line("email", "E-mail", validator=check_email)
        f.line("phone", "Phone", validator=check_uk_phone, placeholder="07700 900123")
        f.text("address", "Address")
        f.line("postcode", "Postcode")
        f.line("emergency_contact_name", "Contact name")
        f.line("emergency_contact_phone", "Contact phone", validator=check_uk_phone)
        f.line("emergency_contact_relation", "Relationship", placeholder="Spouse, son, friend…")
        combo_box(f, "status", "Status", STATUS_CHOICES, self._status_chosen)
        f.date("status_since", "Status since")
        f.date("started_on", "Started on")
        f.date("left_on", "Left on")
        f.check("key_holder", "Holds keys")
        f.spin("max_shifts_per_month", "Most shifts a month", 0, 31)
        f.combo("risk_assessment_outcome", "Outcome", RISK_CHOICES)
        f.date("risk_assessment_on", "Assessed on")
        communities = [(None, "(none)")] + [(x.id, x.name) for x in c.communities]
        combo_box(f, "community_id", "Community", communities, self._community_chosen)
        f.line("endorsed_by", "Endorsed by", placeholder="The priest, imam, minister… who endorsed")
        f.date("endorsed_on", "Endorsed on")
        check_box(f, "faith_consent", "Consents to their faith being recorded", self._consent)
        f.date("faith_consent_on", "Consent given on")
        f.combo(
            "faith_id", "Faith", [(None, "(not recorded)")] + [(x.id, x.name) for x in c.faiths]
        )
        checklist(f, "role_ids", "Roles", [(x.id, x.name) for x in c.roles])
        checklist(f, "site_ids", "Sites served", [(x.id, x.name) for x in c.sites])
        self.grid = availability_grid(f)
        f.date("fortnight_start", "Week 1 starts on")
        self.periods = PeriodsEditor(f)
        f.text("notes", "Notes")
        f.fields["notes"].widget.setMinimumHeight(220)
        f.fields["address"].widget.setMaximumHeight(80)
        f.fields["max_shifts_per_month"].widget.setMaximumWidth(90)
        for key, width in (("title", 160), ("postcode", 120)):
            f.fields[key].widget.setMaximumWidth(width)
        for key in DATE_KEYS:
            f.fields[key].widget.setMaximumWidth(130)
        for key in ("status", "community_id", "faith_id", "risk_assessment_outcome"):
            f.fields[key].widget.setMaxVisibleItems(20)
        self._add_rules()

    def _add_rules(self) -> None:
        f = self.form
        convert_wrapping(
            f.fields["left_on"],
            lambda left: check_left_on(
                f.fields["status"].get_raw(), value_or_none(f, "started_on"), left
            ),
        )
        faith = f.fields["faith_id"]
        base = faith.convert
        faith.convert = lambda raw: base(raw) if f.fields["faith_consent"].get_raw() else None
        start = f.fields["fortnight_start"]
        parse = start.convert

        def fortnight(raw: str) -> date | None:
            day = parse(raw)
            needed = any(code >= WEEK_ONE for _w, _s, code in f.fields["availability"].get_raw())
            if needed and day is None:
                raise InvalidValue("Give the Monday that week 1 of the fortnight starts")
            return monday(day) if day else None

        start.convert = fortnight

    def _status_chosen(self, status: str) -> None:
        set_field(self.form, "status_since", format_uk_date(self.today))

    def _community_chosen(self, community_id: int | None) -> None:
        by, on = self.endorsements.get(community_id, ("", None)) if community_id else ("", None)
        set_field(self.form, "endorsed_by", by)
        set_field(self.form, "endorsed_on", format_uk_date(on))

    def _consent(self, given: bool) -> None:
        if given:
            if not self.form.fields["faith_consent_on"].get_raw().strip():
                set_field(self.form, "faith_consent_on", format_uk_date(self.today))
        else:
            set_field(self.form, "faith_id", None)
            set_field(self.form, "faith_consent_on", "")
        self._sync_enabled()

    def _sync_enabled(self, *_args) -> None:
        consent = bool(self.form.fields["faith_consent"].get_raw())
        for key in ("faith_id", "faith_consent_on"):
            self.form.fields[key].widget.setEnabled(consent)

    # ----- layout -------------------------------------------------------------------------
    def body(self) -> QWidget:
        f = self.form
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Parts of the record")
        volunteer = lambda: self.record_id  # noqa: E731
        self.training = training_tab(self.db, volunteer, self.today, self._training_dialog)
        self.clearances = clearances_tab(self.db, volunteer, self.today, self._clearance_dialog)
        self.shifts = shifts_tab(self.db, volunteer, self.today)
        for tab in (self.training, self.clearances):
            tab.changed.connect(self._reload_records)
        for title, page in (
            ("&Person", tabs.person_tab(f)),
            ("S&tatus", tabs.status_tab(f)),
            ("Co&mmunity and faith", tabs.community_tab(f)),
            ("&Roles and sites", tabs.roles_tab(f)),
            ("&Availability", tabs.availability_tab(f, self.grid)),
            ("&Notes", tabs.notes_tab(f)),
            ("Trainin&g", self.training),
            ("Clearan&ces", self.clearances),
            ("S&hifts", self.shifts),
        ):
            self.tabs.addTab(page, title)
        self.tabs.setTabToolTip(self.tabs.count() - 1, "Upcoming shifts, next 90 days")
        self._tab_titles = [self.tabs.tabText(i) for i in range(len(TAB_KEYS))]
        self.header = QLabel()
        self.header.setObjectName("sectionHeading")
        self.header.setAccessibleName("Volunteer")
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        return holder

    def _tab_order(self) -> None:
        """Tab follows the layout: the tabs, each tab's fields in reading order, then Save."""
        f = self.form.fields
        keys = [*PERSON_KEYS, *STATUS_KEYS, *COMMUNITY_KEYS, "role_ids", "site_ids"]
        order = [self.tabs.tabBar(), *(f[k].widget for k in keys)]
        order += [self.grid.cells[place] for place in sorted(self.grid.cells, key=cell_order)]
        p = self.periods
        order += [f["fortnight_start"].widget, p.table, p.start, p.end, p.reason]
        order += [p.add_button, p.remove_button, f["notes"].widget]
        for tab in (self.training, self.clearances, self.shifts):
            order += [tab.table, *tab.buttons.values()]
        order += [self.save_button, self.close_button]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ----- loading and saving -------------------------------------------------------------------
    def new_values(self) -> dict[str, Any]:
        return {
            "status": VolunteerStatus.ENQUIRY.value,
            "status_since": self.today,
            "max_shifts_per_month": self.default_max_shifts,
            "role_ids": (),
            "site_ids": (),
            "availability": (),
            "fortnight_start": None,
            "unavailability": (),
        }

    def load(self, session) -> Loaded:
        record = load_for_edit(session, self.record_id)
        if record is None:
            raise RecordGone("This volunteer has been deleted by someone else.")
        self.endorsements = record.endorsements
        values = dict(record.values)
        values["availability"], values["fortnight_start"] = cells_from_slots(values["availability"])
        return Loaded(values, record.version, record.title, record.opened)

    def _service_values(self, values: dict[str, Any], every: dict[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in values.items() if k not in ("availability", "fortnight_start")}
        if "availability" in values or "fortnight_start" in values:
            data["availability"] = slots_from_cells(
                every.get("availability", ()), every.get("fortnight_start")
            )
        for key in ("role_ids", "site_ids", "unavailability"):
            if key in data:
                data[key] = tuple(data[key])
        return data

    def store(self, session, values, changed, version, opened) -> Saved:
        user = self.db.username
        if self.record_id is None:
            result = create_volunteer(
                session, self._service_values(values, values), user, today=self.today
            )
        else:
            result = update_volunteer(
                session,
                self.record_id,
                version,
                self._service_values(changed, values),
                user,
                opened=opened,
                today=self.today,
            )
        return Saved(result.volunteer_id, result.version, result.changes, result.opened)

    def save_record(self) -> bool:
        try:
            return super().save_record()
        except InvalidValue as problem:  # a rule only the whole record can check
            QMessageBox.warning(self, "Cannot save", str(problem))
            return False

    def reload(self) -> None:
        super().reload()
        self._sync_enabled()
        self._reload_records()
        self._show_header()
        self._mark_tabs()

    def _mark_tabs(self, *_args) -> None:
        """Name, on each tab, how many of its fields need correcting (in text, not colour)."""
        errors = self.form.errors()
        for index, keys in enumerate(TAB_KEYS):
            count = sum(key in errors for key in keys)
            self.tabs.setTabText(index, self._tab_titles[index] + (f" ⚠ {count}" if count else ""))
            tip = f"{count} field{'s' if count != 1 else ''} to correct here" if count else ""
            self.tabs.setTabToolTip(index, tip)

    def _show_header(self) -> None:
        if self.record_id is None:
            self.header.setText("New volunteer")
            return
        values = self.form.values()
        name = f"{values.get('badge_name') or values.get('first_name', '')} "
        status = dict(STATUS_CHOICES).get(values.get("status"), "")
        self.header.setText(f"{name}{values.get('last_name', '')} — {status}")

    def _reload_records(self) -> None:
        saved = self.record_id is not None
        for tab in (self.training, self.clearances, self.shifts):
            tab.reload(saved)

    def _changed_elsewhere(self, changes: Changes) -> None:
        if self.record_id is not None and changes.touches("training", "clearances", "assignments"):
            self._reload_records()

    # ----- other windows ------------------------------------------------------------------------
    def open_new(self) -> VolunteerEditor:
        editor = VolunteerEditor(self.db, self.bus, None, self.parentWidget(), today=self.today)
        editor.show()
        return editor

    def _training_dialog(self, record_id: int | None, renew: bool) -> None:
        TrainingDialog(
            self.db,
            self.bus,
            self.record_id,
            record_id=record_id,
            renew=renew,
            parent=self,
            today=self.today,
        ).exec()

    def _clearance_dialog(self, record_id: int | None, renew: bool) -> None:
        ClearanceDialog(
            self.db,
            self.bus,
            self.record_id,
            record_id=record_id,
            renew=renew,
            parent=self,
            today=self.today,
        ).exec()
