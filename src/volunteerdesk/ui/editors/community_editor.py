"""The editor of a faith community or partner organisation, with the volunteers it sends."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from ...core.services.communities import KIND_LABELS
from ...core.services.community_edit import (
    CommunityPeople,
    SentVolunteer,
    check_dates_in_order,
    community_names,
    community_people,
    faith_choices,
    load_community,
    new_community_values,
    review_text,
    save_community,
)
from ...core.validation import InvalidValue, check_email, check_uk_phone
from ..table_model import Column, RowTableModel
from ..widgets import fit_columns, note, table_view
from .base import Loaded, RecordEditor, Saved, fit_to_screen
from .site_editor import RefusalsShown, check_pair, group, tab_chain, unique

PEOPLE_COLUMNS = [
    Column("Volunteer", lambda v: v.name),
    Column("Status", lambda v: v.status),
    Column("Sites", lambda v: v.sites),
    Column("Endorsed", lambda v: v.endorsed),
]


class CommunityEditor(RefusalsShown, RecordEditor):
    entity_label = "community"

    def __init__(self, db, bus, record_id=None, parent=None, *, today: date | None = None):
        super().__init__(db, bus, record_id, parent)
        self.today = today or date.today()
        with db.uow() as session:
            faiths = faith_choices(session)
            taken = community_names(session, record_id)
            people = community_people(session, record_id) if record_id else None
        f = self.form
        f.line(
            "name",
            "Name",
            required=True,
            validator=unique(taken, "There is already a community called {}"),
        )
        f.combo("kind", "Kind", [(k.value, text) for k, text in KIND_LABELS.items()])
        f.combo("faith_id", "Faith", [(None, "None recorded"), *faiths])
        f.line("tradition", "Tradition", placeholder="e.g. Catholic parish, Sunni mosque")
        f.line("endorsing_authority", "Endorsing authority")
        f.date("agreement_signed_on", "Agreement signed")
        f.date("review_due_on", "Review due")
        f.line("contact_name", "Name")
        f.line("contact_email", "E-mail", validator=check_email)
        f.line("contact_phone", "Phone", validator=check_uk_phone)
        f.text("address", "Address").setMaximumHeight(90)
        f.text("notes", "Notes")
        for key, name in (
            ("contact_name", "Contact name"),
            ("contact_email", "Contact e-mail"),
            ("contact_phone", "Contact phone"),
        ):
            f.fields[key].widget.setAccessibleName(name)
        check_pair(
            f,
            "review_due_on",
            lambda review, signed: check_dates_in_order(signed, review),
            "agreement_signed_on",
        )
        self.review_status = QLabel()
        self.review_status.setObjectName("reviewStatus")
        self.review_status.setAccessibleName("Agreement review")
        self.review_status.setWordWrap(True)
        self.people = people
        f.edited.connect(self._edited)
        f.edited.connect(self._update_buttons)  # the count of fields to correct
        self.open_record()
        tab_chain(self, *f.fields, self.people_table)
        fit_to_screen(self, 860, 600)

    # ----- layout ------------------------------------------------------------------------
    def body(self) -> QWidget:
        f = self.form
        details = QWidget()
        columns = QHBoxLayout(details)
        left = QVBoxLayout()
        left.addWidget(group("Community", f, ["name", "kind", "faith_id", "tradition"]))
        agreement = group(
            "Agreement", f, ["endorsing_authority", "agreement_signed_on", "review_due_on"]
        )
        agreement.layout().addRow("", self.review_status)
        left.addWidget(agreement)
        left.addStretch(1)
        right = QVBoxLayout()
        contact = ["contact_name", "contact_email", "contact_phone", "address"]
        right.addWidget(group("Contact", f, contact))
        right.addWidget(group("Notes", f, ["notes"]), 1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Community editor sections")
        self.tabs.addTab(details, "&Details")
        self.tabs.addTab(self._people_tab(), self._people_title())
        return self.tabs

    def _people_title(self) -> str:
        count = len(self.people.volunteers) if self.people else 0
        return f"&Volunteers and sites ({count})"

    def _people_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        people: CommunityPeople = self.people or CommunityPeople((), ())
        if people.sites:
            served = ", ".join(f"{s.name} ({s.volunteers})" for s in people.sites)
            text = f"Their volunteers serve at: {served}."
        elif people.volunteers:
            text = "Their volunteers are not yet linked to any site."
        else:
            text = "No volunteer comes from this community yet."
        self.sites_note = note(text, "Sites their volunteers serve")
        layout.addWidget(self.sites_note)
        self.people_model = RowTableModel(PEOPLE_COLUMNS, parent=self)
        self.people_model.set_rows(list(people.volunteers))
        self.people_table = table_view(self.people_model, "Volunteers this community sends")
        fit_columns(self.people_table, {0: 220, 2: 300})
        layout.addWidget(self.people_table, 1)
        return page

    # ----- behaviour ---------------------------------------------------------------------
    def _edited(self, key: str) -> None:
        if key in ("review_due_on", "agreement_signed_on"):
            self._show_review()

    def _show_review(self) -> None:
        field = self.form.fields["review_due_on"]
        try:
            due = field.convert(field.get_raw())
        except InvalidValue:  # the field itself says why
            due = None
        text = review_text(due, self.today)
        overdue = text.startswith("Overdue")
        if overdue:
            text = f"⚠ Agreement review {text.lower()}"
        self.review_status.setStyleSheet("font-weight: 600;" if overdue else "")
        self.review_status.setText(text)
        self.review_status.setVisible(bool(text))

    def reload(self) -> None:
        super().reload()
        self._show_review()

    @property
    def sent_volunteers(self) -> list[SentVolunteer]:
        return self.people_model.shown_rows()

    # ----- RecordEditor ------------------------------------------------------------------
    def new_values(self) -> dict[str, Any]:
        return new_community_values()

    def load(self, session) -> Loaded:
        record = load_community(session, self.record_id)
        return Loaded(record.values, record.version, record.title, record.opened)

    def store(self, session, values, changed, version, opened) -> Saved:
        user = self.db.username
        if self.record_id is None:
            result = save_community(session, None, values, user)
        else:
            result = save_community(
                session, self.record_id, changed, user, version=version, opened=opened
            )
        self.setWindowTitle(result.title)
        return Saved(result.id, result.version, result.changes, result.opened)
