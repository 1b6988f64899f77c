"""The audit viewer: filters, newest first, a page at a time, field changes, admins only."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView
from sqlalchemy import insert, select

from volunteerdesk.core.models import AuditAction, AuditEntry, UserRole, Volunteer
from volunteerdesk.core.services import editing, users
from volunteerdesk.ui.dialogs.audit_viewer import PAGE, AuditViewer
from volunteerdesk.ui.ops import Ops


def _viewer(qtbot, db) -> AuditViewer:
    ops = Ops()
    viewer = AuditViewer(db, ops)
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitUntil(lambda: viewer.status.text() not in ("Loading...", "Searching..."))
    return viewer


def _wait_for(qtbot, viewer, text: str) -> None:
    qtbot.waitUntil(lambda: text in viewer.status.text())


def _cells(viewer, column: int) -> list[str]:
    model = viewer.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_newest_first_with_field_changes_and_masked_values(qtbot, small_demo):
    with small_demo.uow() as s:
        v = s.scalars(select(Volunteer).order_by(Volunteer.id)).first()
        editing.update(s, Volunteer, v.id, v.version, {"phone": "07700 900555"}, "tester",
                       summary="Phone of a volunteer")  # fmt: skip
        editing.update(s, Volunteer, v.id, v.version, {"date_of_birth": date(1960, 1, 2)},
                       "tester", summary="Birthday of a volunteer")  # fmt: skip
    viewer = _viewer(qtbot, small_demo)
    assert _cells(viewer, 4)[:2] == ["Birthday of a volunteer", "Phone of a volunteer"]
    assert _cells(viewer, 2)[0] == "Changed" and _cells(viewer, 3)[0] == f"Volunteer {v.id}"
    when = _cells(viewer, 0)[0]
    assert len(when) == 16 and when[2] == "/" and when[5] == "/"  # dd/mm/yyyy HH:MM
    # The newest is selected: its masked value stays masked, in words too.
    changes = viewer.changes
    assert [changes.index(0, c).data() for c in range(3)] == [
        "Date of birth", "••• (hidden)", "••• (hidden)"
    ]  # fmt: skip
    assert "1960" not in viewer.detail_title.text()
    viewer.table.selectRow(1)
    assert [changes.index(0, c).data() for c in (0, 2)] == ["Phone", "07700 900555"]
    assert "Phone of a volunteer" in viewer.detail_title.text()
    # Read-only: nothing can be edited.
    assert viewer.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not viewer.model.flags(viewer.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_filters_narrow_the_list(qtbot, small_demo):
    with small_demo.uow() as s:
        v = s.scalars(select(Volunteer).order_by(Volunteer.id)).first()
        editing.update(s, Volunteer, v.id, v.version, {"phone": "07700 900556"}, "tester",
                       summary="Zebra crossing note")  # fmt: skip
    viewer = _viewer(qtbot, small_demo)
    qtbot.keyClicks(viewer.text, "zebra")
    _wait_for(qtbot, viewer, "of 1 entries")
    assert _cells(viewer, 4) == ["Zebra crossing note"]
    viewer.clear_filters()
    _wait_for(qtbot, viewer, "Showing 1-")
    qtbot.waitUntil(lambda: viewer.action.count() > 1)
    viewer.action.setCurrentIndex(viewer.action.findData(AuditAction.IMPORT.value))
    _wait_for(qtbot, viewer, "of 1 entries")
    assert _cells(viewer, 2) == ["Imported"]
    qtbot.keyClicks(viewer.start, "31/02/2026")
    viewer.start.editingFinished.emit()
    assert viewer.date_error.isVisible() and "From date" in viewer.date_error.text()
    viewer.start.clear()
    qtbot.keyClicks(viewer.start, "01/01/2030")
    viewer.start.editingFinished.emit()
    _wait_for(qtbot, viewer, "No entries match")
    assert not viewer.date_error.isVisible()


def test_pages_instead_of_loading_everything(qtbot, small_demo):
    with small_demo.uow() as s:
        s.execute(
            insert(AuditEntry),
            [
                {"at": datetime(2026, 10, 1, 8, i % 60, i % 60), "username": "bulk",
                 "action": AuditAction.UPDATE, "entity": "shifts", "entity_id": i,
                 "summary": f"Bulk {i}", "changes": "{}"}
                for i in range(PAGE * 2 + 50)
            ],
        )  # fmt: skip
    viewer = _viewer(qtbot, small_demo)
    assert viewer.model.rowCount() == PAGE
    assert not viewer.newer.isEnabled() and viewer.older.isEnabled()
    total = viewer.total
    qtbot.mouseClick(viewer.older, Qt.MouseButton.LeftButton)
    _wait_for(qtbot, viewer, f"Showing {PAGE + 1}-{2 * PAGE} of {total:,}")
    assert viewer.newer.isEnabled()
    qtbot.mouseClick(viewer.newer, Qt.MouseButton.LeftButton)
    _wait_for(qtbot, viewer, f"Showing 1-{PAGE} of")


def test_only_administrators_see_entries(qtbot, small_demo):
    with small_demo.uow() as s:
        users.create_user(s, "tester", {"username": "cora", "role": UserRole.READ_ONLY})
    small_demo.username = "cora"
    viewer = _viewer(qtbot, small_demo)
    assert "cannot see the audit log" in viewer.status.text()
    assert viewer.model.rowCount() == 0 and not viewer.older.isEnabled()


def test_every_control_has_an_accessible_name(qtbot, small_demo):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    viewer = _viewer(qtbot, small_demo)
    for kind in (QAbstractButton, QComboBox, QLineEdit, QTableView):
        for widget in viewer.findChildren(kind):
            if widget.isVisible():
                assert widget.accessibleName(), widget
