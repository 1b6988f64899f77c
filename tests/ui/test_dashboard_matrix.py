"""The dashboard (tiles, the lists behind them, charts, the week summary, renewing) on a
hand-built database, and the compliance matrix on the small demo, driven like a user."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from window_helpers import DEMO_TODAY, TODAY

from volunteerdesk.core.compliance.rules import State
from volunteerdesk.core.models import (
    Assignment,
    Clearance,
    ClearanceStatus,
    ClearanceType,
    Community,
    CommunityKind,
    Post,
    PostKind,
    PostRequirement,
    Shift,
    Site,
    SiteKind,
    TrainingCourse,
    TrainingRecord,
    TrainingStatus,
    Volunteer,
    VolunteerStatus,
)
from volunteerdesk.core.services.compliance import STATE_FILTERS
from volunteerdesk.ui.pages.compliance import (
    FIXED,
    NAME_COLUMN,
    SOONEST_COLUMN,
    CompliancePage,
)
from volunteerdesk.ui.pages.dashboard import NO_SUMMARY_ENV, DashboardPage

DAY = timedelta(days=1)


@pytest.fixture
def hand_built(sqlite_database):
    """Amy: course expired; Ben: vetting expiring in 10 days, on Wednesday's chapel (1 of 2
    places filled); Cara: course expiring, renewal booked; Dev: vetting pending; Eve:
    vetting lapses in 40 days, rostered in 50 (a breach)."""
    db = sqlite_database
    with db.uow() as s:
        hmpps = s.scalar(select(ClearanceType).where(ClearanceType.code == "HMPPS"))
        safeguarding = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "SAFEGUARDING"))
        conduct = s.scalar(select(TrainingCourse).where(TrainingCourse.code == "CONDUCT"))
        prison = Site(name="HMP Eastfield", kind=SiteKind.PRISON)
        chapel = Post(site=prison, name="Chapel", kind=PostKind.SERVICE, start_time=time(9, 30),
                      end_time=time(11), min_volunteers=2, max_volunteers=3)  # fmt: skip
        chapel.requirements.append(PostRequirement(clearance_type=hmpps))
        parish = Community(name="St Anne's", kind=CommunityKind.FAITH_COMMUNITY)
        people = {
            n: Volunteer(
                first_name=n,
                last_name="Test",
                status=VolunteerStatus.ACTIVE,
                community=parish,
                sites=[prison],
            )  # fmt: skip
            for n in ["Amy", "Ben", "Cara", "Dev", "Eve"]
        }
        s.add_all([prison, chapel, parish, *people.values()])
        s.flush()

        def vetting(who, **kw):
            return Clearance(volunteer=people[who], type=hmpps, site=prison, **kw)

        cara = TrainingRecord(volunteer=people["Cara"], course=conduct,
                              completed_on=TODAY - 345 * DAY, expires_on=TODAY + 20 * DAY)  # fmt: skip
        s.add_all(
            [
                TrainingRecord(volunteer=people["Amy"], course=safeguarding,
                               completed_on=TODAY - 1100 * DAY, expires_on=TODAY - 5 * DAY),
                vetting("Ben", status=ClearanceStatus.GRANTED, granted_on=TODAY - 300 * DAY,
                        expires_on=TODAY + 10 * DAY),
                cara,
                vetting("Dev", status=ClearanceStatus.APPLIED, applied_on=TODAY - 40 * DAY),
                vetting("Eve", status=ClearanceStatus.GRANTED, granted_on=TODAY - 300 * DAY,
                        expires_on=TODAY + 40 * DAY),
            ]
        )  # fmt: skip
        s.flush()
        s.add(TrainingRecord(volunteer=people["Cara"], course=conduct, renews_id=cara.id,
                             status=TrainingStatus.BOOKED, booked_for=TODAY + 15 * DAY))  # fmt: skip
        wednesday = Shift(post=chapel, date=TODAY + 2 * DAY, start_time=time(9, 30),
                          end_time=time(11))  # fmt: skip
        wednesday.assignments.append(Assignment(volunteer=people["Ben"]))
        later = Shift(post=chapel, date=TODAY + 50 * DAY, start_time=time(9, 30), end_time=time(11))
        later.assignments.append(Assignment(volunteer=people["Eve"]))
        s.add_all([wednesday, later])
        s.flush()
        ids = {n: v.id for n, v in people.items()}
        ids["wednesday"], ids["hmpps"] = wednesday.id, hmpps.id
    return db, ids


def open_window(qtbot, db, today):
    """The main window on ``db``, once the dashboard has its figures (a generous wait: the
    whole suite may be running beside other work)."""
    from volunteerdesk.ui.main_window import MainWindow

    win = MainWindow(db, today=today, offer_demo=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.page(DashboardPage).is_loaded)
    return win


@pytest.fixture
def board(qtbot, hand_built, monkeypatch):
    monkeypatch.setenv(NO_SUMMARY_ENV, "1")
    db, ids = hand_built
    win = open_window(qtbot, db, TODAY)
    page = win.page(DashboardPage)
    qtbot.waitUntil(lambda: page.breaches_ready)
    yield win, page, ids
    win.close()


def texts(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _answer_dialog(kind, act):
    """Call ``act(dialog)`` on the next visible dialog of ``kind`` (it blocks in exec)."""

    def look():
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, kind):
                act(widget)
                return
        QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)


def test_tiles_show_what_needs_action(board):
    _win, page, _ids = board
    shown = {key: tile.value_label.text() for key, tile in page.tiles.items()}
    assert shown == {
        "active_volunteers": "5",
        "expired_items": "1",
        "expiring_items": "1",
        "pending_clearances": "1",
        "unfilled_places": "1",
        "breaches": "1",
    }
    assert page.tiles["expiring_items"].hint_label.text() == "1 more with a renewal in progress."
    assert page.tiles["expiring_items"].caption_label.text() == "Expiring within 30 days"
    assert (
        page.tiles["pending_clearances"].hint_label.text()
        == f"Oldest since {TODAY - 40 * DAY:%d/%m/%Y}."
    )
    assert page.tiles["breaches"].accessibleName() == "Assignments breaking a rule: 1"
    # Attention is said in words too: the number, and the list's title.
    assert page.tiles["expired_items"].property("attention") is True
    assert page.tiles["active_volunteers"].property("attention") is False
    assert "23/11/2026" in page.as_of.text()


def test_a_tile_lists_its_rows_and_a_row_opens_the_record(qtbot, board):
    _win, page, ids = board
    qtbot.mouseClick(page.tiles["pending_clearances"], Qt.MouseButton.LeftButton)
    table = page.tables["pending_clearances"]
    assert page.lists.currentWidget() is table
    assert page.list_title.text() == "Clearances pending: 1 row"
    assert page.tiles["pending_clearances"].mark.text().startswith("Listed below")
    assert texts(page.models["pending_clearances"], 0) == ["Dev Test"]
    assert texts(page.models["pending_clearances"], 2) == [f"{TODAY - 40 * DAY:%d/%m/%Y}"]
    with qtbot.waitSignal(page.open_record) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == ["volunteer", ids["Dev"]]

    # From the keyboard: Enter on a tile; a double-click on a row opens the shift.
    page.tiles["unfilled_places"].setFocus()
    qtbot.keyClick(page.tiles["unfilled_places"], Qt.Key.Key_Return)
    table = page.tables["unfilled_places"]
    assert page.lists.currentWidget() is table
    assert texts(page.models["unfilled_places"], 2) == ["1 of 2"]
    assert page.open_button.text() == "&Open shift"
    rect = table.visualRect(page.models["unfilled_places"].index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.open_record) as opened:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == ["shift", ids["wednesday"]]

    qtbot.mouseClick(page.tiles["expiring_items"], Qt.MouseButton.LeftButton)
    model = page.models["expiring_items"]
    assert texts(model, 0) == ["Ben Test", "Cara Test"]
    assert texts(model, 3) == ["", "In progress"]  # the renewal keeps the date in view
    assert texts(model, 2)[1] == f"{TODAY + 20 * DAY:%d/%m/%Y}"

    qtbot.mouseClick(page.tiles["breaches"], Qt.MouseButton.LeftButton)
    (rule,) = texts(page.models["breaches"], 3)
    assert rule == f"HMPPS vetting expired on {TODAY + 40 * DAY:%d/%m/%Y}"


def test_charts_write_their_figures(board):
    _win, page, _ids = board
    bars = page.month_chart.bars
    assert len(bars) == 12 and bars[0].label == "Nov\n2026"
    assert [b.text for b in bars[:3]] == ["0", "2", "1"]  # Ben 03/12, Cara 13/12, Eve 02/01
    assert bars[2].label == "Jan\n2027"
    assert [b.text for b in page.site_chart.bars] == ["80% (4 of 5)"]
    assert "HMP Eastfield: 80% (4 of 5)" in page.site_chart.accessibleDescription()


def test_renew_from_the_list_and_the_dashboard_updates(qtbot, board):
    from volunteerdesk.ui.dialogs.clearance import ClearanceDialog

    win, page, ids = board
    qtbot.mouseClick(page.tiles["expiring_items"], Qt.MouseButton.LeftButton)
    page.tables["expiring_items"].selectRow(0)  # Ben's vetting
    assert page.renew_button.isEnabled() and page.renew_button.isVisible()
    seen = {}

    def renew(dialog):
        seen["values"] = dialog.form.values()
        seen["saved"] = dialog.save_record()
        dialog.done(0)

    _answer_dialog(ClearanceDialog, renew)
    with qtbot.waitSignal(page.data_shown):
        qtbot.mouseClick(page.renew_button, Qt.MouseButton.LeftButton)
    assert seen["values"]["type_id"] == ids["hmpps"]
    assert seen["values"]["status"] == ClearanceStatus.GRANTED and seen["saved"]
    qtbot.waitUntil(lambda: page.breaches_ready)
    assert page.tiles["expiring_items"].value_label.text() == "0"  # Ben renewed; Cara renewing
    assert page.tiles["breaches"].value_label.text() == "1"  # Eve still lapses


def test_print_shows_the_figures_and_the_list_shown(qtbot, board, tmp_path, monkeypatch):
    """Print previews what the dashboard shows: every tile's figure and the chosen list."""
    import subprocess

    _win, page, _ids = board
    page.show_list("expiring_items")
    dialog = page.print_shown()
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    out = tmp_path / "dashboard.pdf"
    out.write_bytes(dialog.pdf)
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Dashboard: Expiring within 30 days" in text
    for tile in page.tiles.values():
        assert f"{tile.value_label.text()} {tile.caption}" in text
    model = page.models["expiring_items"]
    assert model.rowCount() > 0
    for row in range(model.rowCount()):  # every row shown, as shown
        assert model.index(row, 0).data() in text
    dialog.close()


def test_week_summary_is_not_blocking_and_shows_a_list(qtbot, board, monkeypatch):
    win, page, _ids = board
    assert page.show_week_summary() is None  # suppressed in tests
    monkeypatch.delenv(NO_SUMMARY_ENV)
    monkeypatch.setenv("VOLUNTEERDESK_QUIT_AFTER_MS", "100")
    assert page.show_week_summary() is None  # nor in automated runs
    monkeypatch.delenv("VOLUNTEERDESK_QUIT_AFTER_MS")
    dialog = page.show_week_summary()
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert dialog.week.text == (
        "This week: 1 place is unfilled; 1 item has already expired or been refused; "
        "1 clearance is still pending."
    )
    assert list(dialog.buttons) == ["unfilled_places", "expired_items", "pending_clearances"]
    win.show_page(1)  # elsewhere: the button brings the dashboard back with the list
    qtbot.mouseClick(dialog.buttons["pending_clearances"], Qt.MouseButton.LeftButton)
    assert win.current_page is page and page.current_list == "pending_clearances"
    qtbot.mouseClick(dialog.dashboard_button, Qt.MouseButton.LeftButton)
    assert page.current_list == "unfilled_places" and not dialog.isVisible()


def test_week_summary_waits_for_the_figures(qtbot, hand_built, monkeypatch):
    from volunteerdesk.ui.main_window import MainWindow

    monkeypatch.delenv(NO_SUMMARY_ENV, raising=False)
    db, _ids = hand_built
    win = MainWindow(db, today=TODAY, offer_demo=False)
    qtbot.addWidget(win)
    page = win.page(DashboardPage)
    assert page.show_week_summary() is None  # asked before the figures arrive
    win.show()
    qtbot.waitUntil(lambda: page.week_summary is not None)
    assert page.week_summary.isVisible()
    page.week_summary.close()
    win.close()


# ----- the matrix on the small demo -------------------------------------------------------
@pytest.fixture
def matrix(qtbot, small_demo, monkeypatch):
    monkeypatch.setenv(NO_SUMMARY_ENV, "1")
    win = open_window(qtbot, small_demo, DEMO_TODAY)
    page = win.page(CompliancePage)
    win.show_page(win.pages.index(page))
    qtbot.waitUntil(lambda: page.is_loaded)
    yield win, page
    win.close()


def cell_texts(page) -> list[str]:
    model = page.model
    return [
        model.index(r, c).data()
        for r in range(model.rowCount())
        for c in range(FIXED, model.columnCount())
    ]


def test_cells_say_their_state_in_words(matrix):
    _win, page = matrix
    model = page.model
    assert model.rowCount() > 80 and model.columnCount() == FIXED + 13
    found = cell_texts(page)
    starts = {t.split(" ")[0] for t in found if t}
    assert {"✓", "Expiring", "EXPIRED", "Missing"} <= starts
    assert any(t.startswith("Pending") for t in found)
    assert any(t.endswith("(renewing)") for t in found)  # a renewal in progress shows
    for r in range(model.rowCount()):  # every cell with a state has words, not only colour
        for c in range(FIXED, model.columnCount()):
            check = model.check_at(model.index(r, c))
            text = model.index(r, c).data()
            assert bool(text) == (check is not None)
            if check is not None:
                assert model.index(r, c).data(Qt.ItemDataRole.ToolTipRole) == check.reason
    assert page.count_label.text().startswith(f"{model.rowCount()} of {model.rowCount()}")


def test_filters_by_site_post_and_state(qtbot, matrix):
    _win, page = matrix
    total = page.model.rowCount()
    site = page.site_box.findText("HMP Westmoor")
    page.site_box.setCurrentIndex(site)
    site_id = page.site_box.currentData()
    assert all(site_id in ln.site_ids for ln in page.model.lines)
    at_site = page.model.rowCount()
    assert 0 < at_site < total
    assert page.count_label.text().startswith(f"{at_site} of {total} volunteers shown")
    page.state_box.setCurrentIndex(page.state_box.findData("expired"))
    assert 0 < page.model.rowCount() < at_site
    assert all(
        any(t.startswith(("EXPIRED", "Refused")) for t in row)
        for row in (
            [page.model.index(r, c).data() for c in range(FIXED, page.model.columnCount())]
            for r in range(page.model.rowCount())
        )
    )
    assert page.state_box.currentText() == STATE_FILTERS["expired"][0]
    page.state_box.setCurrentIndex(0)
    page.post_box.setCurrentIndex(1)  # the site's first post: its requirements only
    post = next(p for p in page.view.posts if p.id == page.post_box.currentData())
    assert page.post_box.currentText() == post.post
    headers = [
        page.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        for c in range(FIXED, page.model.columnCount())
    ]
    assert [h.split(":")[0].removesuffix(" (advisory)") for h in headers] == [
        r.name for r in post.requirements
    ]
    assert all(t for t in cell_texts(page))  # required: never blank
    page.site_box.setCurrentIndex(0)
    assert page.model.rowCount() == total and page.post_box.currentIndex() == 0


def test_sort_by_soonest_expiry_and_by_name(qtbot, matrix):
    _win, page = matrix
    lines = page.model.lines
    dated = [ln.soonest for ln in lines if ln.soonest is not None]
    assert dated == sorted(dated) and dated  # soonest expiry first, at first
    assert all(ln.soonest is None for ln in lines[len(dated) :])
    header = page.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(NAME_COLUMN) + 20, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    names = [ln.sort_name for ln in page.model.lines]
    assert names == sorted(names)
    page.search.setText("a")  # a search after re-sorting keeps the order the user chose
    names = [ln.sort_name for ln in page.model.lines]
    assert names == sorted(names) and 1 < len(names) < len(lines)
    page.search.setText("")
    page.table.sortByColumn(SOONEST_COLUMN, Qt.SortOrder.DescendingOrder)
    dated = [ln.soonest for ln in page.model.lines if ln.soonest is not None]
    assert dated == sorted(dated, reverse=True)
    # A requirement column: its problems first.
    page.table.sortByColumn(FIXED, Qt.SortOrder.AscendingOrder)
    first = page.model.check_at(page.model.index(0, FIXED))
    assert first is not None and first.state in (State.EXPIRED, State.REFUSED, State.MISSING)


def _cell(page, wanted):
    model = page.model
    for r in range(model.rowCount()):
        for c in range(FIXED, model.columnCount()):
            check = model.check_at(model.index(r, c))
            if check is not None and wanted(check):
                return model.index(r, c), check
    raise AssertionError("no such cell")


def test_renew_from_a_cell_opens_the_dialog_prefilled(qtbot, matrix, small_demo):
    training = pytest.importorskip("volunteerdesk.ui.dialogs.training")
    clearance = pytest.importorskip("volunteerdesk.ui.dialogs.clearance")
    _win, page = matrix
    index, check = _cell(
        page, lambda c: c.state is State.EXPIRING and not c.renewal_in_progress and c.record_id
    )
    line = page.model.line_at(index.row())
    page.table.setCurrentIndex(index)
    assert page.renew_button.text() == "&Renew…" and page.renew_button.isEnabled()
    seen = {}

    def renew(dialog):
        key = "course_id" if check.requirement.kind == "training" else "type_id"
        seen["type"] = dialog.form.values()[key]
        seen["renews"] = dialog.renews_id
        seen["saved"] = dialog.save_record()
        dialog.done(0)

    _answer_dialog((training.TrainingDialog, clearance.ClearanceDialog), renew)
    page.table.setFocus()
    with qtbot.waitSignal(page.data_shown):  # the saved renewal reloads it
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert seen == {"type": check.requirement.type_id, "renews": check.record_id, "saved": True}
    after = next(ln for ln in page.model.lines if ln.volunteer_id == line.volunteer_id)
    column = [r.name for r in page.model.columns].index(check.requirement.name)
    assert after.cells[column].state is State.VALID
    assert page.model.index(page.model.lines.index(after), FIXED + column).data().startswith("✓")


def test_a_missing_cell_records_a_new_one_and_the_menu_opens_the_volunteer(qtbot, matrix):
    training = pytest.importorskip("volunteerdesk.ui.dialogs.training")
    clearance = pytest.importorskip("volunteerdesk.ui.dialogs.clearance")
    _win, page = matrix
    index, check = _cell(page, lambda c: c.state is State.MISSING)
    page.table.setCurrentIndex(index)
    assert page.renew_button.text() == f"&Record {check.requirement.name}…"
    seen = {}

    def look(dialog):
        key = "course_id" if check.requirement.kind == "training" else "type_id"
        seen["type"] = dialog.form.values()[key]
        seen["new"] = dialog.record_id is None and getattr(dialog, "renews_id", None) is None
        dialog.done(0)

    _answer_dialog((training.TrainingDialog, clearance.ClearanceDialog), look)
    qtbot.mouseClick(page.renew_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "type" in seen)
    assert seen == {"type": check.requirement.type_id, "new": True}
    line = page.model.line_at(index.row())
    with qtbot.waitSignal(page.open_record) as opened:
        qtbot.mouseClick(page.volunteer_button, Qt.MouseButton.LeftButton)
    assert opened.args == ["volunteer", line.volunteer_id]
    page._context_menu(page.table.visualRect(index).center())
    assert [a.text() for a in page.context_menu.actions()][-1] == "Open volunteer"
    page.context_menu.close()


def focus_order(start, count: int) -> list:
    """The next ``count`` widgets Tab reaches from ``start`` (visible, focusable ones)."""
    found, widget = [], start
    while len(found) < count:
        widget = widget.nextInFocusChain()
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(widget)
    return found


def test_tab_order_follows_the_layout(board, matrix):
    _win, page, _ids = board
    tiles = list(page.tiles.values())
    assert focus_order(tiles[0], 8) == [
        *tiles[1:],
        page.tables[page.current_list],
        page.open_button,
        page.renew_button,
    ]
    _win2, compliance = matrix
    assert focus_order(compliance.search, 7) == [
        compliance.site_box,
        compliance.post_box,
        compliance.community_box,
        compliance.state_box,
        compliance.table,
        compliance.renew_button,
        compliance.volunteer_button,
    ]


def test_export_the_matrix_as_filtered_and_sorted(qtbot, matrix, tmp_path, monkeypatch):
    import openpyxl

    from volunteerdesk.ui import exporting

    _win, page = matrix
    everyone = page.model.rowCount()
    page.state_box.setCurrentIndex(page.state_box.findData("expired"))
    qtbot.waitUntil(lambda: 0 < page.model.rowCount() < everyone)
    model = page.model
    target = tmp_path / "matrix.xlsx"
    monkeypatch.setattr(exporting, "ask_save_path", lambda *a: (str(target), "Excel (*.xlsx)"))
    monkeypatch.setattr(exporting, "show_message", lambda *a, **k: None)
    page.export_shown()
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][0] == "Volunteer" and len(rows[0]) == model.columnCount()
    assert [r[0] for r in rows[1:]] == [model.index(i, 0).data() for i in range(model.rowCount())]
    first = [model.index(0, c).data() or None for c in range(FIXED, model.columnCount())]
    assert list(rows[1][FIXED:]) == first  # each cell in the same words as on screen
