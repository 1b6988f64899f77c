"""The form machinery every record editor uses: validation as you type, dirtiness, undo."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from volunteerdesk.core.validation import check_email, check_uk_phone
from volunteerdesk.ui.forms import Form


def _form(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    form = Form(host)
    form.line("first_name", "First name", required=True)
    form.line("email", "Email", validator=check_email)
    form.line("phone", "Phone", validator=check_uk_phone)
    form.date("started_on", "Started")
    host.setLayout(form.layout_for(list(form.fields)))
    host.show()
    form.set_values({"first_name": "Zoë", "email": "", "phone": "", "started_on": date(2026, 1, 5)})
    return host, form


def test_loaded_values_show_in_uk_format_and_form_is_clean(qtbot):
    _host, form = _form(qtbot)
    assert form.fields["started_on"].widget.text() == "05/01/2026"
    assert form.is_valid and not form.is_dirty
    assert form.values()["started_on"] == date(2026, 1, 5)


def test_messages_appear_beside_the_field_as_you_type(qtbot):
    _host, form = _form(qtbot)
    email = form.fields["email"].widget
    qtbot.keyClicks(email, "zoe@example")
    assert not form.is_valid
    assert form.fields["email"].error.isVisible()
    assert "not an email address" in form.fields["email"].error.text()
    qtbot.keyClicks(email, ".org")
    assert form.is_valid and not form.fields["email"].error.isVisible()
    assert form.changed_values() == {"email": "zoe@example.org"}


def test_required_field_and_impossible_date(qtbot):
    _host, form = _form(qtbot)
    name = form.fields["first_name"].widget
    name.selectAll()
    qtbot.keyClick(name, Qt.Key.Key_Delete)
    assert form.errors()["first_name"] == "First name is required"
    started = form.fields["started_on"].widget
    started.selectAll()
    qtbot.keyClicks(started, "31/02/2026")
    assert form.errors()["started_on"] == "31/02/2026 is not a date"


def test_undo_and_redo_step_through_the_whole_record(qtbot):
    host, form = _form(qtbot)
    qtbot.keyClicks(form.fields["phone"].widget, "07700900123")
    qtbot.keyClicks(form.fields["email"].widget, "z@example.org")
    assert form.is_dirty
    form.undo_stack.undo()
    assert form.fields["email"].widget.text() == ""
    assert form.fields["phone"].widget.text() == "07700900123"
    form.undo_stack.undo()
    assert form.fields["phone"].widget.text() == ""
    assert not form.is_dirty
    form.undo_stack.redo()
    assert form.fields["phone"].widget.text() == "07700900123"
    assert form.is_dirty
