"""The clearance editor: HMPPS vetting (per establishment), CTC, DBS, PVG.

The establishment is asked for only when the type is per establishment, the level offers
the type's own levels, and the DBS section (only for DBS types) keeps only what DOMAIN.md
allows. Opening a DBS clearance writes a VIEW entry in the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QFrame, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.models import ClearanceStatus
from ...core.services.catalogues import ClearanceTypeInfo, clearance_types, validity_text
from ...core.services.clearance_records import (
    add_clearance,
    check_dbs_number,
    describe,
    open_clearance,
    renewal_values,
    update_clearance,
)
from ...core.services.records import (
    computed_expiry,
    expiry_rule_text,
    site_choices,
    volunteer_name,
    volunteer_site_ids,
)
from ...core.settings import load_settings
from ...core.validation import InvalidValue, format_uk_date
from ..editors.base import Loaded, Saved, fit_to_screen
from .training import (
    DATE_WIDTH,
    RefusingEditor,
    add_check,
    add_row,
    hint,
    new_form_layout,
    require_choice,
    set_derived,
    show_read_only,
    value_of,
)

STATUS_CHOICES = [
    (ClearanceStatus.APPLIED, "Applied"),
    (ClearanceStatus.IN_PROGRESS, "In progress"),
    (ClearanceStatus.GRANTED, "Granted"),
    (ClearanceStatus.REFUSED, "Refused"),
    (ClearanceStatus.WITHDRAWN, "Withdrawn"),
    (ClearanceStatus.LAPSED, "Lapsed"),
]
DATES = ("applied_on", "granted_on", "expires_on", "dbs_update_service_checked_on", "decision_on")


def _validity(kind: ClearanceTypeInfo) -> str:
    """How long it lasts; a DBS certificate never expires, it is re-checked."""
    if kind.is_dbs and not kind.validity_months:
        return "no re-check interval"
    words = validity_text(kind.validity_months).lower()
    return f"re-check every {words}" if kind.is_dbs else words


class ClearanceDialog(RefusingEditor):
    entity_label = "clearance"

    def __init__(
        self, db, bus, volunteer_id, record_id=None, renew=False, parent=None, *, today=None
    ):
        super().__init__(db, bus, None if renew else record_id, parent)
        self.volunteer_id = volunteer_id
        self.renews_id = record_id if renew else None
        self.today: date = today or date.today()  # the window's date: checks and renewals
        with db.uow() as session:
            self.types: dict[int, ClearanceTypeInfo] = {t.id: t for t in clearance_types(session)}
            self.person = volunteer_name(session, volunteer_id)
            sites = site_choices(session)
            own = volunteer_site_ids(session, volunteer_id)
            scan_months = load_settings(session).dbs_scan_retention_months
        prisons = [s.id for s in sites if s.is_prison and s.id in own]
        self.default_site = prisons[0] if prisons else None
        form = self.form
        self.type_box = form.combo(
            "type_id",
            "Type *",
            [(None, "Choose the type…")]
            + [(t.id, f"{t.name} ({_validity(t)})") for t in self.types.values() if t.active],
        )
        require_choice(form, "type_id", "Choose the type of clearance")
        form.combo(
            "site_id",
            "Establishment *",
            [(None, "Choose the establishment…")]
            + [(s.id, s.name if s.is_prison else f"{s.name} (court)") for s in sites],
        )
        add_check(form, "site_id", self._check_site)
        self.level_box = form.combo("level", "Level", [("", "Not recorded")])
        form.combo("status", "Status", STATUS_CHOICES)
        form.line("reference", "Reference")
        form.date("applied_on", "Applied on")
        form.date("granted_on", "Granted on")
        form.date("expires_on", "Expires on")
        self.override = form.check("expiry_overridden", "Override")
        self.override.setToolTip("Enter the expiry date yourself instead of computing it")
        form.line("decision", "Decision", placeholder="e.g. Cleared, Not cleared")
        form.date("decision_on", "Decision date")
        form.line("dbs_certificate_number", "Certificate number", placeholder="12 digits")
        form.check("dbs_barred_list_checked", "Barred list checked")
        self.update_service = form.check("dbs_update_service", "Member of the DBS Update Service")
        form.date("dbs_update_service_checked_on", "Update Service last checked")
        form.text("notes", "Notes").setMaximumHeight(80)
        for key in DATES:
            form.fields[key].widget.setMaximumWidth(DATE_WIDTH)
        form.fields["dbs_certificate_number"].widget.setMaximumWidth(DATE_WIDTH + 20)
        add_check(form, "dbs_certificate_number", self._check_dbs_number)
        add_check(form, "applied_on", lambda v: self._not_future(v, "application"))
        add_check(form, "granted_on", self._check_granted)
        add_check(form, "expires_on", self._check_expiry)
        add_check(form, "dbs_update_service_checked_on", lambda v: self._not_future(v, "check"))
        self.expiry_hint = hint()
        self.expiry_hint.setAccessibleName("How the expiry is worked out")
        self.heading = QLabel()
        self.heading.setObjectName("sectionHeading")
        self.heading.setAccessibleName("Volunteer")
        self.renews_note = hint()
        self.renews_note.setAccessibleName("Renews")
        self.dbs_note = hint()
        self.dbs_note.setAccessibleName("What is kept about a DBS check")
        self.dbs_note.setText(
            "Keep only these details. Never record what the certificate says, and keep no "
            f"scan of it beyond {scan_months} months. Opening a DBS record is logged."
        )
        form.edited.connect(self._edited)
        self.open_record()
        extra = self.sizeHint().height() - self.findChild(QScrollArea).sizeHint().height()
        fit_to_screen(self, 640, max(self.page.sizeHint().height() + extra, 480))

    # ----- RecordEditor -------------------------------------------------------------------
    def body(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.renews_note)
        self.layout_ = new_form_layout()
        self.rows = {}
        for key in ("type_id", "site_id", "level", "status", "reference"):
            self.rows[key] = add_row(self.layout_, self.form, key)
        for key in ("applied_on", "granted_on"):
            add_row(self.layout_, self.form, key)
        self.rows["expires_on"] = add_row(
            self.layout_, self.form, "expires_on", self.override, note=self.expiry_hint
        )
        for key in ("decision", "decision_on"):
            add_row(self.layout_, self.form, key)
        self.dbs_group = QGroupBox("DBS certificate")
        self.dbs_group.setAccessibleName("DBS certificate")
        dbs_column = QVBoxLayout(self.dbs_group)
        dbs_column.addWidget(self.dbs_note)  # not a form row: a wrapped row there clips
        dbs = new_form_layout()
        dbs_column.addLayout(dbs)
        add_row(dbs, self.form, "dbs_certificate_number")
        dbs.addRow("", self.form.row("dbs_barred_list_checked"))
        dbs.addRow("", self.form.row("dbs_update_service"))
        self.rows["checked_on"] = add_row(dbs, self.form, "dbs_update_service_checked_on")
        self.dbs_layout = dbs
        self.layout_.addRow(self.dbs_group)
        add_row(self.layout_, self.form, "notes")
        column.addLayout(self.layout_)
        column.addStretch(1)
        self.page = page
        scroll = QScrollArea()  # a DBS check is taller than a small (or 200%) screen
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Clearance details")
        return scroll

    def new_values(self) -> dict[str, Any]:
        if self.renews_id is not None:
            with self.db.uow() as session:
                values = renewal_values(session, self.renews_id, self.today)
                self.renews_note.setText(f"Renews {describe(session, self.renews_id)}.")
            values.pop("renews_id")
            self._ensure_type(values["type_id"])
            self._fill_levels(values["type_id"], values["level"])
            return values
        return {
            "type_id": None,
            "site_id": self.default_site,
            "status": ClearanceStatus.APPLIED,
            "level": "",
        }

    def load(self, session) -> Loaded:
        opened = open_clearance(session, self.db.username, self.record_id)  # logs DBS views
        self.volunteer_id = opened.volunteer_id
        self._ensure_type(opened.values["type_id"], session)
        self._fill_levels(opened.values["type_id"], opened.values["level"])
        title = f"{opened.type_name} — {opened.volunteer_name}"
        return Loaded(opened.values, opened.version, title, opened.plain)

    def store(self, session, values, changed, version, opened) -> Saved:
        user = self.db.username
        if version is None:
            saved = add_clearance(
                session, user, self.volunteer_id, values, renews_id=self.renews_id, today=self.today
            )
        else:
            saved = update_clearance(
                session, user, self.record_id, version, changed, opened=opened, today=self.today
            )
        return Saved(saved.record_id, saved.version, saved.changes, saved.plain)

    def reload(self) -> None:
        super().reload()
        self.heading.setText(self.person)
        self.renews_note.setVisible(self.renews_id is not None and self.version is None)
        if self.record_id is None:
            kind = self._type()
            renewing = self.renews_id is not None and kind is not None
            verb = f"Renew {kind.name}" if renewing else "New clearance"
            self.setWindowTitle(f"{verb} — {self.person}")
        self._refresh(recompute=False)

    # ----- the rules as you type ----------------------------------------------------------
    def _type(self) -> ClearanceTypeInfo | None:
        return self.types.get(value_of(self.form, "type_id"))

    def _ensure_type(self, type_id: int | None, session=None) -> None:
        if type_id is None or self.type_box.findData(type_id) >= 0:
            return
        if type_id not in self.types and session is not None:
            self.types = {t.id: t for t in clearance_types(session)}
        if type_id in self.types:
            self.type_box.addItem(f"{self.types[type_id].name} (no longer in use)", type_id)

    def _fill_levels(self, type_id: int | None, keep: str) -> None:
        """Offer the type's levels (and a level no longer listed, if the record has one)."""
        kind = self.types.get(type_id)
        levels = list(kind.levels) if kind else []
        if keep and keep not in levels:
            levels.append(keep)
        box = self.level_box
        box.blockSignals(True)
        box.clear()
        box.addItem("Not recorded", "")
        for level in levels:
            box.addItem(level, level)
        box.blockSignals(False)
        set_derived(self.form, "level", keep if keep in levels else "")

    def _status(self) -> ClearanceStatus:
        return ClearanceStatus(value_of(self.form, "status") or ClearanceStatus.APPLIED)

    def _not_future(self, value: date | None, what: str) -> None:
        if value is not None and value > self.today:
            raise InvalidValue(f"The {what} date can't be in the future")

    def _check_site(self, value: int | None) -> None:
        kind = self._type()
        if kind is not None and kind.per_establishment and value is None:
            raise InvalidValue(f"{kind.name} is per establishment: choose the establishment")

    def _check_granted(self, value: date | None) -> None:
        if self._status() is ClearanceStatus.GRANTED and value is None:
            raise InvalidValue("Enter the date the clearance was granted")
        self._not_future(value, "grant")
        applied = value_of(self.form, "applied_on")
        if value is not None and applied is not None and value < applied:
            raise InvalidValue("Granted before it was applied for?")

    def _is_dbs(self) -> bool:
        kind = self._type()
        return bool(kind and kind.is_dbs)

    def _check_expiry(self, value: date | None) -> None:
        what = "re-check" if self._is_dbs() else "expiry"
        if self.override.isChecked() and value is None:
            raise InvalidValue(f"Enter the {what} date, or untick Override")
        granted = value_of(self.form, "granted_on")
        if value is not None and granted is not None and value < granted:
            raise InvalidValue(f"The {what} date can't be before the grant date")

    def _name_the_date(self, dbs: bool) -> None:
        """A DBS certificate has no expiry (DOMAIN.md): its date is when a re-check is due."""
        field = self.form.fields["expires_on"]
        field.label = "Re-check due" if dbs else "Expires on"
        field.widget.setAccessibleName(field.label)
        field.error.setAccessibleName(f"{field.label} error")
        label = self.layout_.labelForField(self.rows["expires_on"])
        if label is not None:
            label.setText(field.label)
        self.override.setToolTip(
            f"Enter the {'re-check' if dbs else 'expiry'} date yourself instead of computing it"
        )
        self.expiry_hint.setAccessibleName(
            "How the re-check date is worked out" if dbs else "How the expiry is worked out"
        )

    def _check_dbs_number(self, value: str) -> None:
        kind = self._type()
        if kind is not None and kind.is_dbs:
            check_dbs_number(value)

    def _edited(self, key: str) -> None:
        if key == "type_id":
            kind = self._type()
            self._fill_levels(kind.id if kind else None, value_of(self.form, "level") or "")
            if (
                kind is not None
                and kind.per_establishment
                and value_of(self.form, "site_id") is None
            ):
                set_derived(self.form, "site_id", self.default_site)
        if key in ("type_id", "status", "granted_on", "expiry_overridden", "dbs_update_service"):
            self._refresh(recompute=True)

    def _refresh(self, *, recompute: bool) -> None:
        kind = self._type()
        self.layout_.setRowVisible(self.rows["site_id"], bool(kind and kind.per_establishment))
        self.layout_.setRowVisible(self.rows["level"], bool(kind and self.level_box.count() > 1))
        self.layout_.setRowVisible(self.dbs_group, bool(kind and kind.is_dbs))
        self.dbs_layout.setRowVisible(self.rows["checked_on"], self.update_service.isChecked())
        months = kind.validity_months if kind else None
        granted = value_of(self.form, "granted_on")
        overridden = self.override.isChecked()
        show_read_only(self.form.fields["expires_on"].widget, not overridden)
        computed = computed_expiry(granted, months)
        if recompute and not overridden:
            set_derived(self.form, "expires_on", computed)
        dbs = bool(kind and kind.is_dbs)
        none = "no re-check date" if dbs else "no expiry"
        if kind is None:
            text = "Choose the type to compute the expiry."
        elif dbs and not months:
            text = "No re-check interval is set for this type."
        elif overridden:
            text = f"Entered by hand (the type gives {format_uk_date(computed) or none})."
        elif granted is None:
            text = f"{expiry_rule_text(months, 'the grant')}; {none} until granted."
        else:
            rule = expiry_rule_text(months, "the grant").lower()
            text = f"Re-check due {rule}." if dbs else f"Computed: {rule}."
            if value_of(self.form, "expires_on") != computed and not recompute:
                text += f" The type now gives {format_uk_date(computed) or none}."
        if dbs:
            text = f"A DBS certificate has no expiry. {text}"
        self._name_the_date(dbs)
        self.expiry_hint.setText(text)
        self.form.validate()
