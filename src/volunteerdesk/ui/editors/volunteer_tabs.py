"""The editable tabs of a volunteer's record, laid out from the editor's form fields."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..forms import Form
from ..widgets import note

PERSON_KEYS = (
    "title",
    "first_name",
    "last_name",
    "badge_name",
    "date_of_birth",
    "languages",
    "email",
    "phone",
    "address",
    "postcode",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relation",
)
STATUS_KEYS = (
    "status",
    "status_since",
    "started_on",
    "left_on",
    "key_holder",
    "max_shifts_per_month",
    "risk_assessment_outcome",
    "risk_assessment_on",
)
COMMUNITY_KEYS = (
    "community_id",
    "endorsed_by",
    "endorsed_on",
    "faith_consent",
    "faith_consent_on",
    "faith_id",
)
TAB_KEYS = (
    PERSON_KEYS,
    STATUS_KEYS,
    COMMUNITY_KEYS,
    ("role_ids", "site_ids"),
    ("availability", "fortnight_start", "unavailability"),
    ("notes",),
)


def _page(*parts: QWidget | QFormLayout, stretch: bool = True) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.setSpacing(10)
    for part in parts:
        if isinstance(part, QFormLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    if stretch:
        layout.addStretch(1)
    return page


def _group(title: str, form: Form, keys: Sequence[str], extra: QWidget | None = None) -> QGroupBox:
    box = QGroupBox(title)
    box.setAccessibleName(title)
    layout = QVBoxLayout(box)
    if extra is not None:
        layout.addWidget(extra)
    layout.addLayout(form.layout_for(keys))
    return box


def _columns(*columns: Sequence[QWidget]) -> QWidget:
    """Side-by-side columns of groups, each column stacked from the top."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(12)
    for parts in columns:
        column = QVBoxLayout()
        column.setSpacing(10)
        for part in parts:
            column.addWidget(part)
        column.addStretch(1)
        row.addLayout(column, 1)
    return holder


def person_tab(form: Form) -> QWidget:
    name = _group(
        "Name",
        form,
        ["title", "first_name", "last_name", "badge_name", "date_of_birth", "languages"],
    )
    contact = _group("Contact", form, ["email", "phone", "address", "postcode"])
    emergency = _group(
        "Emergency contact",
        form,
        ["emergency_contact_name", "emergency_contact_phone", "emergency_contact_relation"],
    )
    hint = note(
        "The badge name is the preferred forename: badges and lists that prisoners see "
        "show it alone, without the surname. Fields marked * are required.",
        "About the badge name",
    )
    return _page(_columns([name, hint], [contact, emergency]))


def status_tab(form: Form) -> QWidget:
    risk_note = note(
        "For volunteers with lived experience of prison: record only that a risk "
        "assessment was done, its outcome and its date. Never record conviction or "
        "offence details, here or in the notes.",
        "About the risk assessment",
    )
    status = _group("Status", form, ["status", "status_since", "started_on", "left_on"])
    shifts = _group("Shifts", form, ["key_holder", "max_shifts_per_month"])
    risk = _group(
        "Lived-experience risk assessment",
        form,
        ["risk_assessment_outcome", "risk_assessment_on"],
        risk_note,
    )
    return _page(_columns([status, shifts], [risk]))


def community_tab(form: Form) -> QWidget:
    faith_note = note(
        "Religion or belief is special category data: it is recorded only when the "
        "volunteer has consented. Withdrawing consent clears the faith.",
        "About recording faith",
    )
    return _page(
        _group("Sending community or partner", form, ["community_id"]),
        _group("Endorsement by that community", form, ["endorsed_by", "endorsed_on"]),
        _group("Faith", form, ["faith_consent", "faith_consent_on", "faith_id"], faith_note),
    )


def _listed(form: Form, key: str, title: str) -> QWidget:
    box = QGroupBox(title)
    box.setAccessibleName(title)
    layout = QVBoxLayout(box)
    layout.addWidget(form.row(key))
    return box


def roles_tab(form: Form) -> QWidget:
    lists = QWidget()
    row = QHBoxLayout(lists)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(_listed(form, "role_ids", "Roles"), 1)
    row.addWidget(_listed(form, "site_ids", "Sites served"), 1)
    return _page(lists, stretch=False)


def availability_tab(form: Form, grid: QWidget) -> QWidget:
    weekly = QGroupBox("Weekly availability")
    weekly.setAccessibleName("Weekly availability")
    layout = QVBoxLayout(weekly)
    layout.addWidget(
        note(
            "For each session they can give, choose weekly, or week 1 or week 2 of a "
            "fortnight. Week 1 starts on the Monday given below.",
            "About weekly availability",
        )
    )
    layout.addWidget(grid)
    layout.addLayout(form.layout_for(["fortnight_start"]))
    away = QGroupBox("Unavailable (holidays, blocked dates)")
    away.setAccessibleName("Unavailability")
    away_layout = QVBoxLayout(away)
    away_layout.addWidget(form.row("unavailability"))
    content = _page(weekly, away)
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setAccessibleName("Availability")
    return scroll


def notes_tab(form: Form) -> QWidget:
    label = QLabel("Notes")
    label.setBuddy(form.fields["notes"].widget)
    return _page(
        label,
        form.row("notes"),
        note(
            "Notes can be shown to the volunteer on request (subject access). Never "
            "record conviction details or faith here.",
            "About notes",
        ),
        stretch=False,
    )
