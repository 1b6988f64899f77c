"""Subject access, erasure and the retention review, driven as a user would, on the small demo."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from volunteerdesk.core.models import Clearance, Volunteer
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs import privacy, retention
from volunteerdesk.ui.dialogs.privacy import EraseDialog, SubjectAccessDialog
from volunteerdesk.ui.dialogs.retention import RetentionDialog
from volunteerdesk.ui.ops import Ops
from volunteerdesk.ui.style import STYLE_SHEET

TODAY = date(2026, 11, 23)


@pytest.fixture
def bus():
    bus = ChangeBus()
    bus.heard = []
    bus.changed.connect(bus.heard.append)
    return bus


@pytest.fixture
def ops():
    ops = Ops()
    yield ops
    ops.shutdown()


def shot(widget, name: str) -> None:
    """Screenshots for a human to look at, when VD_SHOTS names a folder."""
    folder = os.environ.get("VD_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        widget.grab().save(os.path.join(folder, f"{name}.png"))


def _open(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.setStyleSheet(STYLE_SHEET)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _ascii_person(db) -> Volunteer:
    with db.uow() as s:
        for v in s.scalars(select(Volunteer).order_by(Volunteer.id)):
            name = f"{v.first_name} {v.last_name}"
            if name.isascii() and "'" not in name and v.email and v.clearances:
                return v
    raise AssertionError("no ASCII-named volunteer in the demo")


def test_subject_access_exports_both_files_and_offers_the_folder(
    qtbot, small_demo, ops, tmp_path, monkeypatch
):
    opened = []
    monkeypatch.setattr(privacy, "open_url", lambda url: opened.append(url.toLocalFile()))
    dialog = _open(qtbot, SubjectAccessDialog(small_demo, ops, 2, today=TODAY))
    assert dialog.windowTitle().startswith("Subject access: ")
    assert not dialog.open_button.isVisible()
    dialog.folder.clear()
    qtbot.keyClicks(dialog.folder, str(tmp_path / "sar"))
    shot(dialog, "subject-access-1")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.open_button.isVisible())
    shot(dialog, "subject-access-2")
    pdf, data = dialog.written
    assert pdf.read_bytes()[:4] == b"%PDF"
    assert json.loads(data.read_text("utf-8"))["volunteer"]["id"] == 2
    assert "Written" in dialog.status.text() and pdf.name in dialog.status.text()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(tmp_path / "sar")]


def test_erase_needs_the_name_and_a_reason_then_anonymises(qtbot, small_demo, ops, bus):
    person = _ascii_person(small_demo)
    name = f"{person.first_name} {person.last_name}"
    dialog = _open(qtbot, EraseDialog(small_demo, ops, bus, person.id, today=TODAY))
    assert not dialog.erase_button.isEnabled()
    assert "cannot be undone" in dialog.findChild(type(dialog.status), "errorText").text()
    qtbot.keyClicks(dialog.name_edit, "Somebody Else")
    assert dialog.name_error.text() == "The name does not match."
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, name.upper())  # case does not matter
    assert dialog.name_error.text() == ""
    assert not dialog.erase_button.isEnabled()  # still no reason
    qtbot.keyClicks(dialog.reason, "Asked in writing")
    assert dialog.erase_button.isEnabled()
    shot(dialog, "erase-1")
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Erased" in dialog.status.text())
    shot(dialog, "erase-2")
    assert f"Former volunteer {person.id}" in dialog.status.text()
    assert bus.heard and bus.heard[-1].touches("volunteers")
    assert dialog.cancel_button.text() == "Close"
    with small_demo.uow() as s:
        after = s.get(Volunteer, person.id)
        assert after.display_name == f"Former volunteer {person.id}" and after.email == ""
    again = _open(qtbot, EraseDialog(small_demo, ops, bus, person.id, today=TODAY))
    assert "already been erased" in again.status.text()
    assert not again.name_edit.isEnabled()


def test_retention_review_lists_leavers_and_dbs_and_acts_on_the_row(
    qtbot, small_demo, ops, bus, monkeypatch
):
    later = date(2031, 11, 1)  # the demo's leavers (2024, 2025) are then past six years
    dialog = _open(qtbot, RetentionDialog(small_demo, ops, bus, later))
    qtbot.waitUntil(lambda: dialog.review is not None)
    assert dialog.leavers.rowCount() == 3
    assert "3 people due for erasure." in dialog.leaver_empty.text()
    assert "6 years" in dialog.leaver_rule.text()
    left_on = {dialog.leavers.index(r, 1).data() for r in range(3)}
    assert "31/10/2024" in left_on  # UK dates
    assert dialog.dbs.rowCount() > 0 and not dialog.erase_button.isEnabled()
    dialog.resize(900, 700)
    shot(dialog, "retention-1")
    # Enter on a selected person opens the erase dialog for them.
    dialog.leaver_view.setFocus()
    dialog.leaver_view.selectRow(0)
    assert dialog.erase_button.isEnabled()
    qtbot.keyClick(dialog.leaver_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(dialog.editors) == 1)
    editor = dialog.editors[0]
    assert editor.volunteer_id == dialog.leavers.row_at(0).volunteer_id
    editor.close()
    # Removing a DBS record's details, after the confirmation.
    monkeypatch.setattr(retention, "confirm_clear", lambda parent, text: True)
    before = dialog.dbs.rowCount()
    target = dialog.dbs.row_at(0).clearance_id
    dialog.dbs_view.selectRow(0)
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.dbs.rowCount() == before - 1)
    assert bus.heard and bus.heard[-1].touches("clearances")
    with small_demo.uow() as s:
        assert s.get(Clearance, target).dbs_certificate_number == ""
