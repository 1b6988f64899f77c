"""Auto-fill as a user drives it on the small demo: propose, read, accept, undo, cancel."""

from __future__ import annotations

import os
import threading
from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    AuditEntry,
    Post,
    Shift,
    Site,
)
from volunteerdesk.core.services.rota_edit import cancel_shift, set_status
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs.autofill import AutofillDialog
from volunteerdesk.ui.ops import Ops
from volunteerdesk.ui.style import STYLE_SHEET

TODAY = date(2026, 11, 23)  # the day the small demo is built as of
START, END = date(2026, 12, 1), date(2026, 12, 31)
COURT = "Westmoor Magistrates' Court"


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
    """Screenshots for a human to look at, when R2_SHOTS names a folder."""
    folder = os.environ.get("R2_SHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        widget.grab().save(os.path.join(folder, f"{name}.png"))


def _site(db, name: str) -> int:
    with db.uow() as s:
        return s.scalar(select(Site.id).where(Site.name == name))


def _count(db, site_id: int, status=AssignmentStatus.PROPOSED) -> int:
    with db.uow() as s:
        return s.scalar(
            select(func.count())
            .select_from(Assignment)
            .join(Shift)
            .join(Post)
            .where(
                Post.site_id == site_id,
                Shift.date.between(START, END),
                Assignment.status == status,
            )
        )


def _open(qtbot, db, ops, bus, site_id):
    dialog = AutofillDialog(db, ops, bus, START, END, site_id, TODAY)
    qtbot.addWidget(dialog)
    dialog.setStyleSheet(STYLE_SHEET)  # as it is under the main window
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # Ctrl+Z is a window shortcut
    return dialog


def _propose(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.propose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.proposal is not None and not dialog.working)


def _cells(view, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_propose_accept_and_undo_a_month_at_one_site(qtbot, small_demo, ops, bus):
    site_id = _site(small_demo, COURT)
    before = _count(small_demo, site_id)
    dialog = _open(qtbot, small_demo, ops, bus, site_id)
    assert dialog.site_box.currentText() == COURT
    assert dialog.start_box.text() == "01/12/2026" and dialog.end_box.text() == "31/12/2026"
    assert not dialog.accept_button.isEnabled() and not dialog.undo_button.isEnabled()
    _propose(qtbot, dialog)
    proposal = dialog.proposal
    assert proposal.additions and proposal.gaps
    assert _count(small_demo, site_id) == before  # proposing writes nothing

    # The tables show what it would add and what it cannot fill, in words.
    adds, gaps = dialog.adds_view, dialog.gaps_view
    assert adds.model().rowCount() == len(proposal.additions)
    assert gaps.model().rowCount() == len(proposal.gaps)
    assert all("/12/2026" in d for d in _cells(adds, 0))
    assert {a.volunteer for a in proposal.additions} == set(_cells(adds, 4))
    assert all(w for w in _cells(adds, 5))  # why each was chosen
    reasons = _cells(gaps, 5)
    assert all("considered" in r for r in reasons)
    assert any("not available" in r or "monthly maximum" in r for r in reasons)
    assert f"Filled {proposal.filled} of {proposal.places_open} open places" in (
        dialog.summary.text()
    )
    assert f"({len(proposal.additions)})" in dialog.adds_title.text()
    shot(dialog, "autofill_proposal")

    with qtbot.waitSignal(bus.changed):
        qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.working)
    written = len(dialog.accepted.created)
    ids = [i for i, _v in dialog.accepted.created]
    assert written == len(proposal.additions)
    assert _count(small_demo, site_id) == before + written
    with small_demo.uow() as s:
        mine = {
            (a.shift_id, a.volunteer_id)
            for a in s.scalars(select(Assignment).where(Assignment.id.in_(ids)))
        }
        assert mine == {(a.shift_id, a.volunteer_id) for a in proposal.additions}
        assert s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.summary.like("Auto-fill accepted%"))
        )
    assert f"Accepted: {written} assignments written" in dialog.outcome.text()
    assert not dialog.accept_button.isEnabled() and dialog.undo_button.isEnabled()
    assert dialog.close_button.text().replace("&", "") == "Close"
    shot(dialog, "autofill_accepted")

    with qtbot.waitSignal(bus.changed):  # Ctrl+Z undoes the auto-fill
        qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.working)
    assert _count(small_demo, site_id) == before
    with small_demo.uow() as s:
        assert not s.scalars(select(Assignment.id).where(Assignment.id.in_(ids))).all()
    assert f"Auto-fill undone: {written} assignments removed." in dialog.outcome.text()
    assert not dialog.undo_button.isEnabled() and dialog.accept_button.isEnabled()


def test_undo_keeps_what_someone_changed_since_and_says_so(qtbot, small_demo, ops, bus):
    site_id = _site(small_demo, COURT)
    before = _count(small_demo, site_id)
    confirmed = _count(small_demo, site_id, AssignmentStatus.CONFIRMED)
    dialog = _open(qtbot, small_demo, ops, bus, site_id)
    _propose(qtbot, dialog)
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.accepted is not None and not dialog.working)
    first_id, version = dialog.accepted.created[0]
    with small_demo.uow() as s:  # a manager confirms one meanwhile
        set_status(s, first_id, version, AssignmentStatus.CONFIRMED, "tester")
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.accepted is None and not dialog.working)
    text = dialog.outcome.text()
    assert "1 assignment stayed because someone changed them since" in text
    assert "changed since, left in place" in text
    assert _count(small_demo, site_id) == before
    assert _count(small_demo, site_id, AssignmentStatus.CONFIRMED) == confirmed + 1


def test_a_stale_proposal_lists_what_it_could_not_write(qtbot, small_demo, ops, bus):
    site_id = _site(small_demo, COURT)
    dialog = _open(qtbot, small_demo, ops, bus, site_id)
    _propose(qtbot, dialog)
    gone = dialog.proposal.additions[0]
    with small_demo.uow() as s:  # the session is cancelled while the proposal is on screen
        cancel_shift(s, gone.shift_id, s.get(Shift, gone.shift_id).version, "tester")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.accepted is not None and not dialog.working)
    text = dialog.outcome.text()
    assert "no longer possible and not written" in text
    assert "the session is cancelled or gone" in text
    assert len(dialog.accepted.created) == len(dialog.proposal.additions) - 1


def test_cancel_while_proposing_writes_nothing_and_the_dialog_stays_usable(
    qtbot, small_demo, ops, bus
):
    site_id = _site(small_demo, COURT)
    before = _count(small_demo, site_id)
    dialog = _open(qtbot, small_demo, ops, bus, site_id)
    gate = threading.Event()
    ops.run(gate.wait)  # keep the worker busy so the proposal is still on its way
    qtbot.mouseClick(dialog.propose_button, Qt.MouseButton.LeftButton)
    assert dialog.working == "proposing"
    assert dialog.progress_row.isVisible() and dialog.cancel_button.isEnabled()
    assert not dialog.propose_button.isEnabled() and not dialog.close_button.isEnabled()
    shot(dialog, "autofill_proposing")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.progress_text.text() == "Stopping…"
    gate.set()
    qtbot.waitUntil(lambda: not dialog.working)
    assert dialog.proposal is None
    assert "Stopped before it finished: nothing is proposed." in dialog.summary.text()
    assert not dialog.progress_row.isVisible()
    assert _count(small_demo, site_id) == before
    assert not dialog.accept_button.isEnabled()

    _propose(qtbot, dialog)  # still usable: propose again, all the way
    assert dialog.proposal.additions
    assert _count(small_demo, site_id) == before


def test_escape_cancels_proposing_then_closes(qtbot, small_demo, ops, bus):
    dialog = _open(qtbot, small_demo, ops, bus, None)
    assert dialog.site_box.currentText() == "All sites"
    gate = threading.Event()
    ops.run(gate.wait)
    qtbot.mouseClick(dialog.propose_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.progress_text.text() == "Stopping…"
    gate.set()
    qtbot.waitUntil(lambda: not dialog.working)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_wrong_range_is_said_in_words(qtbot, small_demo, ops, bus):
    dialog = _open(qtbot, small_demo, ops, bus, None)
    dialog.end_box.selectAll()
    qtbot.keyClicks(dialog.end_box, "30/11/2026")
    assert dialog.range_error.isVisible()
    assert dialog.range_error.text() == "The end date is before the start date."
    assert not dialog.propose_button.isEnabled()
    dialog.end_box.selectAll()
    qtbot.keyClicks(dialog.end_box, "31/13/2026")
    assert dialog.range_error.isVisible() and not dialog.propose_button.isEnabled()
    dialog.end_box.selectAll()
    qtbot.keyClicks(dialog.end_box, "31/12/2026")
    assert not dialog.range_error.isVisible() and dialog.propose_button.isEnabled()


def test_every_control_has_an_accessible_name(qtbot, small_demo, ops, bus):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    dialog = _open(qtbot, small_demo, ops, bus, None)
    for kind in (QAbstractButton, QComboBox, QLineEdit, QTableView):
        for widget in dialog.findChildren(kind):
            if widget.parent() is not None and widget.isVisibleTo(dialog):
                if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
                    continue
                assert widget.accessibleName(), widget


def test_keyboard_only_enter_proposes_and_tab_follows_the_layout(qtbot, small_demo, ops, bus):
    site_id = _site(small_demo, COURT)
    dialog = _open(qtbot, small_demo, ops, bus, site_id)
    order, widget = [], dialog.start_box
    for _ in range(5):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while not (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isVisible()
            and widget.isEnabled()
        ):
            widget = widget.nextInFocusChain()
    assert order == [
        dialog.start_box,
        dialog.end_box,
        dialog.site_box,
        dialog.propose_button,
        dialog.adds_view,
    ]
    dialog.start_box.setFocus()
    qtbot.keyClick(dialog.start_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.proposal is not None and not dialog.working)
    assert dialog.isVisible() and dialog.proposal.additions
