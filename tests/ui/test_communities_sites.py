"""Communities, sites and posts on the small demo: lists, editors, calendar and patterns.

Real widgets driven with the keyboard and mouse as a user would; the pages run with a
change bus wired as the main window wires it.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QWidget
from sqlalchemy import select

from volunteerdesk.core.models import (
    AuditEntry,
    Community,
    Post,
    PostRequirement,
    RecurrencePattern,
    Site,
    SiteDay,
    Volunteer,
)
from volunteerdesk.core.scheduling.patterns import format_day
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.dialogs.conflict import ConflictDialog
from volunteerdesk.ui.editors.community_editor import CommunityEditor
from volunteerdesk.ui.editors.post_editor import PostEditor
from volunteerdesk.ui.editors.site_editor import SiteEditor
from volunteerdesk.ui.ops import Ops
from volunteerdesk.ui.pages.communities import REVIEW_COLUMN, CommunitiesPage
from volunteerdesk.ui.pages.sites import SitesPage

TODAY = date(2026, 11, 23)  # the small demo is built as of this Monday
CTRL = Qt.KeyboardModifier.ControlModifier


# ----- helpers -----------------------------------------------------------------------------
_OPEN: list = []


def track(editor) -> None:
    """Close this editor after the test without its unsaved-changes prompt (a blocking
    question at teardown would abort the test run)."""
    _OPEN.append(editor)


@pytest.fixture(autouse=True)
def _close_editors():
    yield
    while _OPEN:
        editor = _OPEN.pop()
        try:
            editor.form.undo_stack.setClean()
            editor.close()
        except RuntimeError:  # already deleted
            pass


def _page(qtbot, cls, db):
    ops = Ops()
    page = cls(db, ops, TODAY)
    bus = ChangeBus(page)
    bus.changed.connect(
        lambda changes: page.mark_stale() if changes.touches(*page.watches) else None
    )
    page.bus = bus
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    qtbot.waitExposed(page)
    page.activate()
    qtbot.waitUntil(lambda: page.is_loaded)
    page.ops_ref = ops
    return page


def _editor(cls):
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
    assert found, f"no {cls.__name__} open"
    return found[-1]


def _answer_next(choose, kind=QMessageBox):
    def answer():
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, kind):
                choose(widget)
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Delete)


def _choose(qtbot, combo, text: str) -> None:
    """Pick an item of a combo box from the keyboard, as a user would."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, text
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def _shortcut(qtbot, window, key, modifiers=CTRL) -> None:
    """A keyboard shortcut, as typed into the window (which must be the active one)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, key, modifiers)


def _save(qtbot, editor) -> None:
    assert editor.save_button.isEnabled(), editor.form.errors()
    with qtbot.waitSignal(editor.saved):
        _shortcut(qtbot, editor, Qt.Key.Key_S)


def _error(editor, key: str) -> str:
    label = editor.form.fields[key].error
    return label.text() if label.isVisible() else ""


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget, QLabel) or type(widget).__name__ in {
            "QScrollBar",
            "QTabBar",
            "QHeaderView",
            "QCalendarView",
            "QToolButton",
        }:
            continue
        name = widget.accessibleName()
        if not name and isinstance(widget, QAbstractButton):
            name = widget.text().replace("&", "")
        if not name and type(widget).__name__ in {"QLineEdit", "QSpinBox"}:
            parent = widget.parentWidget()
            name = parent.accessibleName() if parent is not None else ""
        if not name:
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


# ----- communities -------------------------------------------------------------------------
def test_the_list_says_overdue_reviews_in_words(qtbot, small_demo):
    page = _page(qtbot, CommunitiesPage, small_demo)
    rows = page.model.shown_rows()
    overdue = [r for r in rows if r.overdue]
    assert overdue, "the demo has overdue reviews"
    texts = [page.model.index(i, REVIEW_COLUMN).data() for i in range(page.model.rowCount())]
    for row, text in zip(rows, texts, strict=True):
        words = "⚠ Overdue since" if row.overdue else "Due"
        assert text == f"{words} {row.review_due_on:%d/%m/%Y}"
    assert f"⚠ {len(overdue)} with review overdue" in page.count_label.text()
    _shortcut(qtbot, page, Qt.Key.Key_F)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "islam")
    assert page.model.shown_count == 2 and page.count_label.text().startswith("2 of ")


def test_overdue_reviews_stand_out_in_bold_and_can_be_shown_alone(qtbot, small_demo, tmp_path):
    page = _page(qtbot, CommunitiesPage, small_demo)
    total = page.model.shown_count
    overdue = [r for r in page.model.shown_rows() if r.overdue]
    for i, row in enumerate(page.model.shown_rows()):
        font = page.model.index(i, REVIEW_COLUMN).data(Qt.ItemDataRole.FontRole)
        assert (font is not None and font.bold()) == row.overdue, row.name
        assert page.model.index(i, 0).data(Qt.ItemDataRole.FontRole) is None  # that cell only
    # The column is wide enough for the bold words: nothing is cut short with an ellipsis.
    view = page.table
    bold = QFont(view.font())
    bold.setBold(True)
    longest = max(f"⚠ Overdue since {r.review_due_on:%d/%m/%Y}" for r in overdue)
    assert view.columnWidth(REVIEW_COLUMN) > QFontMetrics(bold).horizontalAdvance(longest)
    page.grab().save(str(tmp_path / "communities.png"))

    page.overdue_only.click()
    assert [r.name for r in page.model.shown_rows()] == sorted(r.name for r in overdue)
    assert page.count_label.text().startswith(f"{len(overdue)} of {total} shown")
    qtbot.keyClicks(page.search, "westmoor")  # the search narrows the overdue ones further
    assert all(r.overdue and "Westmoor" in r.name for r in page.model.shown_rows())
    page.search.clear()
    page.overdue_only.click()
    assert page.model.shown_count == total


def test_overdue_only_keeps_the_chosen_community(qtbot, small_demo):
    page = _page(qtbot, CommunitiesPage, small_demo)
    chosen = next(r for r in page.model.shown_rows() if r.overdue)
    page.select_community(chosen.id)
    page.overdue_only.click()
    assert page.selected_id == chosen.id and page.open_button.isEnabled()
    page.overdue_only.click()
    assert page.selected_id == chosen.id


def test_create_a_community_with_ctrl_n(qtbot, small_demo):
    page = _page(qtbot, CommunitiesPage, small_demo)
    before = page.model.total_count
    _shortcut(qtbot, page, Qt.Key.Key_N)
    editor = _editor(CommunityEditor)
    track(editor)
    assert editor.windowTitle() == "New community"
    f = editor.form.fields
    qtbot.keyClicks(f["name"].widget, "Westmoor Baptist Church")
    _choose(qtbot, f["faith_id"].widget, "Baptist")
    qtbot.keyClicks(f["tradition"].widget, "Baptist church")
    qtbot.keyClicks(f["contact_email"].widget, "office@baptist.example.org")
    qtbot.keyClicks(f["agreement_signed_on"].widget, "03/01/2023")
    qtbot.keyClicks(f["review_due_on"].widget, "03/01/2026")
    assert editor.review_status.text() == "⚠ Agreement review overdue since 03/01/2026"
    _save(qtbot, editor)
    with small_demo.uow() as s:
        made = s.scalar(select(Community).where(Community.name == "Westmoor Baptist Church"))
        assert made.review_due_on == date(2026, 1, 3) and made.faith.name == "Baptist"
        entry = s.scalar(select(AuditEntry).where(AuditEntry.entity == "communities"))
        assert entry.username == "tester" and entry.entity_id == made.id
    assert editor.windowTitle() == "Westmoor Baptist Church"
    qtbot.waitUntil(lambda: page.model.total_count == before + 1)
    qtbot.waitUntil(lambda: page.selected_id == made.id)
    row = page.table.currentIndex().row()
    assert page.model.index(row, REVIEW_COLUMN).data() == "⚠ Overdue since 03/01/2026"
    editor.close()


def test_open_with_enter_edit_and_see_the_volunteers_sent(qtbot, small_demo):
    page = _page(qtbot, CommunitiesPage, small_demo)
    qtbot.keyClicks(page.search, "Central Mosque")
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    editor = _editor(CommunityEditor)
    track(editor)
    assert editor.windowTitle() == "Westmoor Central Mosque"
    with small_demo.uow() as s:
        sent = s.scalars(
            select(Volunteer).join(Community).where(Community.name == "Westmoor Central Mosque")
        ).all()
    assert len(editor.sent_volunteers) == len(sent) > 0
    assert "HMP Westmoor" in editor.sites_note.text()
    assert editor.tabs.tabText(1) == f"&Volunteers and sites ({len(sent)})"
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # the same record: no second window
    assert (
        len(
            [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, CommunityEditor) and w.isVisible()
            ]
        )
        == 1
    )
    phone = editor.form.fields["contact_phone"].widget
    _type(qtbot, phone, "12345")
    assert "is not a UK phone number" in _error(editor, "contact_phone")
    assert not editor.save_button.isEnabled()
    _type(qtbot, phone, "01632960999")
    _save(qtbot, editor)
    with small_demo.uow() as s:
        assert (
            s.scalar(
                select(Community.contact_phone).where(Community.name == "Westmoor Central Mosque")
            )
            == "01632 960999"
        )
    editor.close()


def test_review_due_before_signing_is_refused_as_you_type(qtbot, small_demo):
    editor = CommunityEditor(small_demo, ChangeBus(), None, today=TODAY)
    track(editor)
    editor.show()
    f = editor.form.fields
    qtbot.keyClicks(f["name"].widget, "Samaritans of Eastfield")
    qtbot.keyClicks(f["agreement_signed_on"].widget, "01/06/2026")
    qtbot.keyClicks(f["review_due_on"].widget, "01/05/2026")
    assert "review is due before the agreement was signed" in _error(editor, "review_due_on")
    assert not editor.save_button.isEnabled()
    assert editor.status.text() == "1 field to correct before saving."
    _type(qtbot, f["name"].widget, "samaritans of westmoor")
    assert "already a community called" in _error(editor, "name")
    assert _unnamed(editor) == []
    _answer_next(lambda box: box.button(QMessageBox.StandardButton.Discard).click())
    editor.close()


def test_a_community_that_sends_volunteers_is_not_deleted(qtbot, small_demo):
    page = _page(qtbot, CommunitiesPage, small_demo)
    qtbot.keyClicks(page.search, "Central Mosque")
    page.table.setFocus()
    page.table.selectRow(0)
    seen = {}

    def confirm(box):
        seen["question"] = box.text()
        box.button(QMessageBox.StandardButton.Yes).click()
        _answer_next(refusal)

    def refusal(box):
        seen["refusal"] = box.text()
        box.button(QMessageBox.StandardButton.Ok).click()

    _answer_next(confirm)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert seen["question"].startswith("Delete Westmoor Central Mosque?")
    assert "cannot be deleted" in seen["refusal"] and "volunteers come from it" in seen["refusal"]
    with small_demo.uow() as s:
        assert s.scalar(select(Community).where(Community.name == "Westmoor Central Mosque"))


def test_an_unused_community_is_deleted(qtbot, small_demo):
    with small_demo.uow() as s:
        s.add(Community(name="Aaa Unused Fellowship", kind="partner"))
    page = _page(qtbot, CommunitiesPage, small_demo)
    qtbot.keyClicks(page.search, "Unused")
    page.table.selectRow(0)
    _answer_next(lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    page.delete_button.click()
    qtbot.waitUntil(lambda: page.model.shown_count == 0)
    with small_demo.uow() as s:
        assert s.scalar(select(Community).where(Community.name == "Aaa Unused Fellowship")) is None


# ----- sites and the closure calendar ------------------------------------------------------
def test_new_court_with_a_closure_day_on_the_calendar(qtbot, small_demo):
    page = _page(qtbot, SitesPage, small_demo)
    _shortcut(qtbot, page, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    editor = _editor(SiteEditor)
    track(editor)
    f = editor.form.fields
    qtbot.keyClicks(f["name"].widget, "Inverbrae Sheriff Court")
    assert not f["closed_on_bank_holidays"].widget.isChecked()  # a prison by default
    _choose(qtbot, f["kind"].widget, "Magistrates' court")
    assert f["closed_on_bank_holidays"].widget.isChecked()  # courts do not sit on them
    _choose(qtbot, f["jurisdiction"].widget, "Scotland")
    qtbot.keyClicks(f["morning_gate_time"].widget, "25:00")
    assert _error(editor, "morning_gate_time") == "25:00 is not a time (use HH:MM, like 08:00)"
    assert not editor.save_button.isEnabled()
    _type(qtbot, f["morning_gate_time"].widget, "09:15")
    assert _error(editor, "morning_gate_time") == ""
    editor.tabs.setCurrentIndex(2)
    days = editor.days
    days.select(date(2027, 1, 4))
    assert days.selected_text.text() == (
        "Selected: Mon 04/01/2027, bank holiday in Scotland: New Year Holiday (observed) "
        "(the site is closed)."
    )
    assert days.calendar.marks[date(2027, 1, 1)][0] == "Bank hol."
    assert days.calendar.tooltip_for(date(2027, 1, 2)) == (
        "Sat 02/01/2027: bank holiday in Scotland: New Year Holiday (the site is closed)"
    )
    days.select(date(2027, 1, 7))
    qtbot.keyClicks(days.reason, "Court not sitting: staff training")
    qtbot.mouseClick(days.close_button, Qt.MouseButton.LeftButton)
    assert days.calendar.marks[date(2027, 1, 7)] == (
        "Closed",
        "closed (Court not sitting: staff training)",
    )
    assert days.list.item(0).text() == "Thu 07/01/2027: Closed\nCourt not sitting: staff training"
    assert (
        days.selected_text.text()
        == "Selected: Thu 07/01/2027, closed (Court not sitting: staff training)."
    )
    assert _unnamed(editor) == []
    _save(qtbot, editor)
    with small_demo.uow() as s:
        site = s.scalar(select(Site).where(Site.name == "Inverbrae Sheriff Court"))
        assert (site.kind.value, site.jurisdiction.value, site.closed_on_bank_holidays) == (
            "magistrates_court",
            "scotland",
            True,
        )
        assert [(d.day, d.reason) for d in site.days] == [
            (date(2027, 1, 7), "Court not sitting: staff training")
        ]
        audit = s.scalar(select(AuditEntry).where(AuditEntry.entity == "site_days"))
        assert audit.summary == "Added closure day 07/01/2027 at Inverbrae Sheriff Court"
    qtbot.waitUntil(
        lambda: page.detail is not None and page.detail.name == "Inverbrae Sheriff Court"
    )
    assert (
        page.values["days"].text() == "Thu 07/01/2027: closed (Court not sitting: staff training)"
    )
    assert page.values["bank_holidays"].text() == "Closed on bank holidays"
    editor.close()


def test_the_calendar_marks_closures_exceptions_and_bank_holidays(qtbot, small_demo):
    with small_demo.uow() as s:
        court = s.scalar(select(Site).where(Site.name == "Westmoor Magistrates' Court"))
        court_id = court.id
        stored = {d.day: (d.kind.value, d.reason) for d in court.days}
    editor = SiteEditor(small_demo, ChangeBus(), court_id, today=TODAY)
    track(editor)
    editor.show()
    editor.tabs.setCurrentIndex(2)
    days = editor.days
    days.calendar.setCurrentPage(2026, 12)
    marks = days.calendar.marks
    assert marks[date(2026, 12, 25)] == (
        "Bank hol.",
        "bank holiday in England and Wales: Christmas Day (the site is closed)",
    )
    saturday = next(d for d, (kind, _r) in stored.items() if kind == "exception")
    assert marks[saturday][0] == "Runs" and "Remand-only" in days.calendar.tooltip_for(saturday)
    closure = max(d for d, (kind, _r) in stored.items() if kind == "closure")
    days.select(closure)
    assert days.reason.text() == stored[closure][1]
    qtbot.mouseClick(days.clear_button, Qt.MouseButton.LeftButton)
    assert closure not in {v.day for v in days.value()}
    _shortcut(qtbot, editor, Qt.Key.Key_Z)  # undo brings it back
    assert closure in {v.day for v in days.value()}
    _shortcut(qtbot, editor, Qt.Key.Key_Y)
    assert closure not in {v.day for v in days.value()}
    _save(qtbot, editor)
    with small_demo.uow() as s:
        left = s.scalars(select(SiteDay.day).where(SiteDay.site_id == court_id)).all()
        assert closure not in left and len(left) == len(stored) - 1
    editor.close()


def test_a_second_editor_of_the_site_meets_the_conflict_dialog(qtbot, small_demo):
    with small_demo.uow() as s:
        prison_id = s.scalar(select(Site.id).where(Site.name == "HMP Westmoor"))
    first = SiteEditor(small_demo, ChangeBus(), prison_id, today=TODAY)
    second = SiteEditor(small_demo, ChangeBus(), prison_id, today=TODAY)
    for editor in (first, second):
        track(editor)
        editor.show()
    first.days.select(date(2026, 12, 31))
    qtbot.keyClicks(first.days.reason, "Chapel closed: staff party")
    qtbot.mouseClick(first.days.close_button, Qt.MouseButton.LeftButton)
    _save(qtbot, first)  # only a day changed: the site's version still moves
    _type(qtbot, second.form.fields["phone"].widget, "01632 960101")
    _answer_next(lambda dialog: dialog.reapply_button.click(), ConflictDialog)
    assert second.save_record()
    with small_demo.uow() as s:
        site = s.get(Site, prison_id)
        assert site.phone == "01632 960101"
        assert date(2026, 12, 31) in {d.day for d in site.days}  # theirs survived
    for editor in (first, second):
        editor.close()


# ----- posts, requirements and the recurrence editor ---------------------------------------
def _first_sundays(start: date, count: int) -> list[str]:
    found, day = [], start
    while len(found) < count:
        if day.weekday() == 6 and day.day <= 7:
            found.append(format_day(day))
        day += timedelta(days=1)
    return found


def test_new_post_with_requirements_and_first_sunday_preview(qtbot, small_demo):
    page = _page(qtbot, SitesPage, small_demo)
    prison_row = next(
        i for i in range(page.site_list.count()) if page.site_list.item(i).text().startswith("HMP")
    )
    page.site_list.setCurrentRow(prison_row)
    qtbot.waitUntil(lambda: page.detail is not None and page.detail.name == "HMP Westmoor")
    qtbot.waitUntil(page.new_post_button.isEnabled)
    _shortcut(qtbot, page, Qt.Key.Key_N)
    editor = _editor(PostEditor)
    track(editor)
    f = editor.form.fields
    assert (f["kind"].widget.currentText(), f["min_volunteers"].widget.value()) == ("Service", 1)
    qtbot.keyClicks(f["name"].widget, "Free Church communion")
    _type(qtbot, f["start_time"].widget, "14:00")
    _type(qtbot, f["end_time"].widget, "15:30")
    qtbot.keyClicks(f["location"].widget, "Chapel")

    editor.tabs.setCurrentIndex(1)
    table = editor.requirements
    for name in ("HMPPS vetting", "Safeguarding (foundation)"):
        table.setCurrentCell(table.row_of(name), 0)
        qtbot.keyClick(table, Qt.Key.Key_Space)
    safeguarding = table.row_of("Safeguarding (foundation)")
    assert table.item(safeguarding, 2).text() == "Mandatory: blocks rostering"
    table.setCurrentCell(safeguarding, 2)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert table.item(safeguarding, 2).text() == "Advisory: warns only"
    assert table.item(table.row_of("DBS check"), 2).text() == "Not required"

    editor.tabs.setCurrentIndex(2)
    patterns = editor.patterns
    qtbot.mouseClick(patterns.add_button, Qt.MouseButton.LeftButton)
    rec = patterns.editor
    _choose(qtbot, rec.kind, "A weekday of the month (e.g. the first Sunday)")
    _choose(qtbot, rec.nth, "First")
    _choose(qtbot, rec.weekday, "Sunday")
    assert rec.preview_texts == _first_sundays(TODAY, 10)
    assert rec.preview_texts[0] == "Sun 06/12/2026"
    assert "Rule: FREQ=MONTHLY;BYDAY=1SU" in rec.summary.text()
    assert patterns.list.item(0).text().startswith("First Sunday of the month")
    assert _unnamed(editor) == []
    _save(qtbot, editor)
    with small_demo.uow() as s:
        post = s.scalar(select(Post).where(Post.name == "Free Church communion"))
        reqs = {
            (r.clearance_type.name if r.clearance_type else r.course.name, r.mandatory)
            for r in s.scalars(select(PostRequirement).where(PostRequirement.post_id == post.id))
        }
        (pattern,) = s.scalars(
            select(RecurrencePattern).where(RecurrencePattern.post_id == post.id)
        ).all()
        assert reqs == {("HMPPS vetting", True), ("Safeguarding (foundation)", False)}
        assert (pattern.rrule, pattern.start_date) == ("FREQ=MONTHLY;BYDAY=1SU", TODAY)
        entities = [
            json.loads(e.changes).get("rrule")
            for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "recurrence_patterns"))
        ]
        assert entities[-1] == [None, "FREQ=MONTHLY;BYDAY=1SU"]
    assert patterns.value()[0].id == pattern.id  # read back: a second save adds nothing
    qtbot.waitUntil(lambda: any(p.name == "Free Church communion" for p in page.posts))
    editor.close()


def _open_post(qtbot, db, name: str) -> PostEditor:
    with db.uow() as s:
        post = s.scalar(select(Post).where(Post.name == name))
        post_id, site_id = post.id, post.site_id
    editor = PostEditor(db, ChangeBus(), post_id, site_id=site_id, today=TODAY)
    track(editor)
    editor.show()
    return editor


def test_post_validation_messages(qtbot, small_demo):
    editor = _open_post(qtbot, small_demo, "Chapel choir")
    f = editor.form.fields
    _type(qtbot, f["end_time"].widget, "17:00")  # the choir starts at 17:30
    assert _error(editor, "end_time") == "The end (17:00) is not after the start"
    _type(qtbot, f["start_time"].widget, "9:75")
    assert _error(editor, "start_time") == "9:75 is not a time (use HH:MM, like 08:00)"
    spin = f["max_volunteers"].widget
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "1")  # fewer than the fewest, 2
    assert (
        _error(editor, "max_volunteers") == "The most volunteers (1) is fewer than the fewest (2)"
    )
    assert not editor.save_button.isEnabled()
    assert editor.status.text() == "2 fields to correct before saving."  # the end waits for a start
    _type(qtbot, f["start_time"].widget, "16:30")
    assert _error(editor, "end_time") == ""
    editor.tabs.setCurrentIndex(2)
    rec = editor.patterns.editor
    for box in rec.day_boxes:
        if box.isChecked():
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert _error(editor, "patterns") == "Choose at least one day of the week"
    assert rec.preview_note.text().startswith("No dates yet: Choose at least one day")
    _answer_next(lambda box: box.button(QMessageBox.StandardButton.Discard).click())
    editor.close()


def test_fortnightly_pattern_and_undo_across_the_post(qtbot, small_demo):
    editor = _open_post(qtbot, small_demo, "Official Prison Visitors")
    editor.tabs.setCurrentIndex(2)
    rec = editor.patterns.editor
    assert rec.interval.value() == 2 and rec.day_boxes[1].isChecked()  # fortnightly Tuesdays
    texts = rec.preview_texts
    assert len(texts) == 10 and all(t.startswith("Tue ") for t in texts)
    gaps = {
        (
            date(*map(int, reversed(b[4:].split("/"))))
            - date(*map(int, reversed(a[4:].split("/"))))
        ).days
        for a, b in zip(texts, texts[1:], strict=False)
    }
    assert gaps <= {14, 28}  # a skipped closure would leave a four-week gap
    qtbot.mouseClick(rec.day_boxes[3], Qt.MouseButton.LeftButton)  # and Thursdays
    assert "Tuesday and Thursday" in rec.summary.text()
    editor.tabs.setCurrentIndex(1)
    table = editor.requirements
    table.setCurrentCell(table.row_of("Fire and evacuation"), 0)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert editor.form.is_dirty
    _shortcut(qtbot, editor, Qt.Key.Key_Z)  # the requirement
    _shortcut(qtbot, editor, Qt.Key.Key_Z)  # the Thursday
    assert not editor.form.is_dirty
    assert not rec.day_boxes[3].isChecked()
    assert table.item(table.row_of("Fire and evacuation"), 2).text() == "Not required"


def test_tab_follows_the_layout(qtbot, small_demo):
    editor = _open_post(qtbot, small_demo, "Chapel choir")
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    assert QApplication.focusWidget() is editor.form.fields["name"].widget
    seen = []
    for _ in range(9):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget().objectName())
    assert seen == [
        "kind",
        "location",
        "needs_escort",
        "active",
        "start_time",
        "end_time",
        "min_volunteers",
        "max_volunteers",
        "notes",
    ]


def test_new_court_post_is_a_desk_of_two(qtbot, small_demo):
    with small_demo.uow() as s:
        court_id = s.scalar(select(Site.id).where(Site.name == "Westmoor Crown Court"))
    editor = PostEditor(small_demo, ChangeBus(), None, site_id=court_id, today=TODAY)
    track(editor)
    editor.show()
    f = editor.form.fields
    assert f["kind"].widget.currentText() == "Desk"
    assert (f["min_volunteers"].widget.value(), f["max_volunteers"].widget.value()) == (2, 2)
    assert (f["start_time"].widget.text(), f["end_time"].widget.text()) == ("09:30", "13:00")
    editor.tabs.setCurrentIndex(2)
    qtbot.mouseClick(editor.patterns.add_button, Qt.MouseButton.LeftButton)
    rec = editor.patterns.editor
    assert rec.preview_texts[0] == "Mon 23/11/2026"
    rec.start.setDate(QDate(2026, 12, 21))
    texts = rec.preview_texts
    assert "Mon 28/12/2026: skipped (Bank holiday: Boxing Day (observed))" in texts


def test_a_post_with_sessions_on_the_rota_is_not_deleted(qtbot, small_demo):
    page = _page(qtbot, SitesPage, small_demo)
    qtbot.waitUntil(lambda: page.detail is not None and bool(page.posts))
    page.post_table.setFocus()
    page.post_table.selectRow(0)
    name = page.posts[0].name
    seen = {}

    def confirm(box):
        box.button(QMessageBox.StandardButton.Yes).click()
        _answer_next(lambda info: (seen.setdefault("text", info.text()), info.accept()))

    _answer_next(confirm)
    qtbot.keyClick(page.post_table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "text" in seen)
    assert seen["text"].startswith(f"{name} cannot be deleted: it has ")
    assert "Untick Active" in seen["text"]


@pytest.mark.parametrize("which", ["community", "site", "post"])
def test_screenshots_of_every_editor(qtbot, small_demo, tmp_path, which):
    """Editors render at a sensible size (the images are looked at by people, not asserted)."""
    with small_demo.uow() as s:
        site_id = s.scalar(select(Site.id).where(Site.name == "HMP Westmoor"))
        post_id = s.scalar(select(Post.id).where(Post.name == "Catholic Mass"))
        community_id = s.scalar(select(Community.id).where(Community.name.like("Guru Nanak%")))
    editor = {
        "community": lambda: CommunityEditor(small_demo, ChangeBus(), community_id, today=TODAY),
        "site": lambda: SiteEditor(small_demo, ChangeBus(), site_id, today=TODAY),
        "post": lambda: PostEditor(small_demo, ChangeBus(), post_id, site_id=site_id, today=TODAY),
    }[which]()
    track(editor)
    editor.show()
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        assert not editor.grab().isNull()
        assert _unnamed(editor) == []
