"""The main window on the small demo: every page shows real data from it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import DEMO_TODAY, cells, open_window, visit

from volunteerdesk.core.services.communities import list_communities
from volunteerdesk.core.services.compliance import compliance_matrix
from volunteerdesk.core.services.dashboard import dashboard_counts
from volunteerdesk.core.services.report_scope import report_scope
from volunteerdesk.core.services.volunteers import list_volunteers
from volunteerdesk.core.settings import load_settings
from volunteerdesk.ui.pages.communities import REVIEW_COLUMN, CommunitiesPage
from volunteerdesk.ui.pages.compliance import FIXED, SOONEST_COLUMN, CompliancePage
from volunteerdesk.ui.pages.dashboard import DashboardPage
from volunteerdesk.ui.pages.reports import ReportsPage
from volunteerdesk.ui.pages.rota import RotaPage
from volunteerdesk.ui.pages.settings import SettingsPage
from volunteerdesk.ui.pages.sites import SitesPage
from volunteerdesk.ui.pages.volunteers import VolunteersPage

NAV = [
    "Dashboard",
    "Volunteers",
    "Communities",
    "Sites & posts",
    "Rota",
    "Compliance",
    "Reports",
    "Settings",
]


@pytest.fixture
def window(qtbot, small_demo):
    """The main window on the small demo (built as of DEMO_TODAY)."""
    win = open_window(qtbot, small_demo, DEMO_TODAY)
    yield win
    win.close()


def test_title_navigation_and_status_bar(window, small_demo):
    assert "demo.db" in window.windowTitle()
    assert window.windowTitle() == f"VolunteerDesk — {small_demo.name}"
    nav = window.navigation
    assert [nav.item(i).text() for i in range(nav.count())] == NAV
    assert window.user_label.text() == "User: tester (Administrator)"  # the role, too
    assert small_demo.name in window.database_label.text()
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_pages_load_lazily(window):
    assert window.page(DashboardPage).is_loaded
    assert not window.page(VolunteersPage).is_loaded
    assert not window.page(CompliancePage).is_loaded


def test_ctrl_number_switches_page(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_page is window.page(RotaPage))
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_page is window.page(VolunteersPage))
    qtbot.waitUntil(lambda: window.page(VolunteersPage).is_loaded)


def test_dashboard_tiles_match_service(qtbot, window, small_demo):
    with small_demo.uow() as s:
        counts = dashboard_counts(s, today=DEMO_TODAY)
    page = window.page(DashboardPage)
    assert counts.active_volunteers > 50
    tile = page.tiles["active_volunteers"]
    assert tile.value_label.text() == f"{counts.active_volunteers:,}"
    assert tile.caption_label.text() == "Active volunteers"
    assert tile.accessibleName() == f"Active volunteers: {counts.active_volunteers:,}"
    qtbot.waitUntil(lambda: page.breaches_ready)  # checked after the rest
    for key, tile in page.tiles.items():
        assert tile.value_label.text() == f"{getattr(counts, key):,}", key
        assert tile.caption_label.text()
    assert "23/11/2026" in page.as_of.text()


def test_volunteers_page_lists_everyone(qtbot, window, small_demo):
    page = visit(qtbot, window, VolunteersPage)
    with small_demo.uow() as s:
        everyone = list_volunteers(s)
    rows = [r for r in everyone if r.status != "left"]  # people who left are hidden at first
    model = page.model
    assert model.rowCount() == len(rows) > 50
    names = set(cells(model, 0))
    known = rows[len(rows) // 2]
    assert known.display_name in names
    assert "HMP Westmoor" in cells(model, 4)
    assert page.count_label.text() == f"{len(rows)} of {len(everyone)} shown"
    # Sorted by surname at first.
    surnames = [model.row_at(r).last_name.casefold() for r in range(model.rowCount())]
    assert surnames == sorted(surnames)
    # Selecting a row shows that volunteer's record.
    page.table.selectRow(0)
    first = model.row_at(0)
    qtbot.waitUntil(lambda: first.last_name in page.detail.text())
    assert page.detail_area.isVisible()
    assert "Training" in page.detail.text()


def test_search_as_you_type(qtbot, window):
    page = visit(qtbot, window, VolunteersPage)
    total = page.model.rowCount()
    target = next(r for r in page.model.shown_rows() if r.last_name.isascii() and r.phone)
    needle = target.last_name[:4].lower()
    typed = ""
    for char in needle:  # each keystroke narrows the list at once
        qtbot.keyClicks(page.search, char)
        typed += char
        shown = page.model.shown_rows()
        assert all(
            typed in f"{r.first_name} {r.last_name} {r.badge_name} {r.email}".lower()
            or typed in r.phone
            for r in shown
        )
    assert 0 < page.model.rowCount() < total
    assert target in page.model.shown_rows()
    everyone = page.model.total_count  # people who left count in the total, though hidden
    assert page.count_label.text() == f"{page.model.rowCount()} of {everyone} shown"
    page.search.clear()
    digits = "".join(ch for ch in target.phone if ch.isdigit())
    qtbot.keyClicks(page.search, digits)  # a phone number typed without its space
    assert target in page.model.shown_rows()
    page.search.clear()
    assert page.model.rowCount() == total


def test_search_with_non_ascii_text(qtbot, window):
    """Typed text outside ASCII (sent as key events: keyClicks would abort pytest)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    page = visit(qtbot, window, VolunteersPage)
    target = next(
        (r for r in page.model.shown_rows() if not r.last_name.isascii()),
        None,
    )
    if target is None:
        pytest.skip("the demo has no non-ASCII surname")
    for char in target.last_name:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(page.search, event)
    assert page.search.text() == target.last_name
    assert target in page.model.shown_rows()


def test_volunteers_sort_by_column(qtbot, window):
    page = visit(qtbot, window, VolunteersPage)
    page.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)  # e-mail
    emails = [page.model.row_at(r).email.casefold() for r in range(page.model.rowCount())]
    present = [e for e in emails if e]
    assert present == sorted(present, reverse=True)
    assert emails[len(present) :] == [""] * (len(emails) - len(present))  # blanks last


def test_communities_page(qtbot, window, small_demo):
    page = visit(qtbot, window, CommunitiesPage)
    with small_demo.uow() as s:
        rows = list_communities(s, today=DEMO_TODAY)
    assert page.model.rowCount() == len(rows) > 5
    assert rows[0].name in cells(page.model, 0)
    overdue = sum(1 for r in rows if r.overdue)
    reviews = cells(page.model, REVIEW_COLUMN)
    assert sum(text.startswith("⚠ Overdue since ") for text in reviews) == overdue
    assert f"{overdue} with review overdue" in page.count_label.text()


def test_sites_page_shows_posts(qtbot, window):
    page = visit(qtbot, window, SitesPage)
    assert page.site_list.count() >= 2
    qtbot.waitUntil(lambda: page.detail is not None)
    assert page.site_name.text().startswith(page.detail.name)
    assert page.posts and page.post_model.rowCount() == len(page.detail.posts)
    post = page.posts[0]
    assert page.post_model.index(0, 1).data() == f"{post.start_time:%H:%M}–{post.end_time:%H:%M}"
    assert page.post_model.index(0, 2).data() == (f"{post.min_volunteers} to {post.max_volunteers}")
    first = page.detail.id
    page.site_list.setCurrentRow(1)
    qtbot.waitUntil(lambda: page.detail.id != first)
    assert page.values["kind"].text().startswith(page.detail.kind)


def test_rota_page_shows_posts_and_gaps(qtbot, window, small_demo):
    page = visit(qtbot, window, RotaPage)
    qtbot.waitUntil(lambda: page.week is not None)
    assert page.week.week_start == DEMO_TODAY
    assert page.grid.item(0, 0).text().startswith(page.week.posts[0].name)
    names_shown = [
        page.grid.item(r, c).text()
        for r in range(page.grid.rowCount())
        for c in range(1, 8)
        if page.grid.item(r, c)
    ]
    assigned = {n for s in page.week.shifts for n in s.volunteers}
    assert assigned and any(n in text for n in assigned for text in names_shown)
    # Every site: a gap is said in words in its cell, not by colour alone.
    for index in range(page.site_box.count()):
        page.site_box.setCurrentIndex(index)
        site_id = page.site_box.currentData()
        qtbot.waitUntil(lambda site_id=site_id: page.week.site_id == site_id)
        for shift in page.week.shifts:
            if shift.needed:
                post = next(p for p in page.week.posts if p.id == shift.post_id)
                text = page.cell_text(post.name, shift.date)
                assert "VACANT" in text or f"{shift.needed} needed" in text
    page.next_button.click()
    qtbot.waitUntil(lambda: page.week.week_start == DEMO_TODAY + timedelta(days=7))
    page.previous_button.click()
    page.previous_button.click()
    qtbot.waitUntil(lambda: page.week.week_start == DEMO_TODAY - timedelta(days=7))
    page.today_button.click()
    qtbot.waitUntil(lambda: page.week.week_start == DEMO_TODAY)


def test_compliance_matrix_sorted_by_soonest_expiry(qtbot, window, small_demo):
    page = visit(qtbot, window, CompliancePage)
    with small_demo.uow() as s:
        view = compliance_matrix(s, today=DEMO_TODAY)
    assert page.model.rowCount() == len(view.lines) > 80
    soonest = [page.model.line_at(r).soonest for r in range(page.model.rowCount())]
    dated = [d for d in soonest if d is not None]
    assert dated == sorted(dated)
    assert soonest.index(None) == len(dated)  # volunteers with no dated record last
    states = {
        (page.model.index(r, c).data() or "").split(" ")[0]
        for r in range(page.model.rowCount())
        for c in range(FIXED, page.model.columnCount())
    }
    assert {"EXPIRED", "Expiring", "Pending", "✓", "Missing"} <= states
    page.table.sortByColumn(SOONEST_COLUMN, Qt.SortOrder.DescendingOrder)
    top = [page.model.line_at(r).soonest for r in range(5)]
    assert top == sorted(top, reverse=True)
    page.state_box.setCurrentIndex(page.state_box.findData("pending"))
    assert 0 < page.model.rowCount() < len(view.lines)


def test_reports_page_lists_documents(qtbot, window, small_demo):
    page = visit(qtbot, window, ReportsPage)
    assert list(page.cards) == [
        "Rota",
        "Desk sheet",
        "Gate list",
        "Clearance report",
        "Expiry report",
        "Volunteer schedule",
        "Activity summary",
    ]
    with small_demo.uow() as s:
        scope = report_scope(s, today=DEMO_TODAY)
    assert f"{scope.prisons} prison" in page.cards["Gate list"].coverage.text()
    assert (
        f"{scope.clearances:,} current clearance" in page.cards["Clearance report"].coverage.text()
    )
    for card in page.cards.values():
        assert card.description.text() and card.coverage.text() not in ("", "…")
    assert page.preview_button.isEnabled() and page.documents.count() == 7


def test_settings_page(qtbot, window, small_demo):
    page = visit(qtbot, window, SettingsPage)
    with small_demo.uow() as s:
        settings = load_settings(s)
    assert page.form.fields["organisation_name"].widget.text() == settings.organisation_name
    assert page.form.fields["warning_days"].widget.value() == settings.warning_days
    courses = cells(page.course_model, 0)
    assert "Safeguarding (foundation)" in courses
    assert {"36 months", "Does not expire"} <= set(cells(page.course_model, 1))
    assert page.clearance_model.rowCount() == 4
    assert page.role_model.rowCount() > 0 and page.faith_model.rowCount() > 0


def test_every_control_has_an_accessible_name(qtbot, window):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLineEdit,
        QTabWidget,
        QWidget,
    )

    kinds = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView, QTabWidget)
    checked = 0
    for index, page in enumerate(window.pages):
        window.show_page(index)
        qtbot.waitUntil(lambda page=page: page.is_loaded)
        for widget in [window.navigation, *page.findChildren(QWidget)]:
            if not isinstance(widget, kinds) or not widget.isVisibleTo(window):
                continue
            if widget.objectName().startswith("qt_") or isinstance(
                widget.parent(), QAbstractItemView | QComboBox | QTabWidget
            ):
                continue  # Qt's own inner parts
            assert widget.accessibleName(), f"{widget!r} on {page.title} has no accessible name"
            checked += 1
    assert checked > 20


def test_an_announced_change_reloads_the_pages_that_show_it(qtbot, small_demo):
    from volunteerdesk.core.changes import Changes
    from volunteerdesk.ui.pages.settings import SettingsPage
    from volunteerdesk.ui.pages.volunteers import VolunteersPage

    win = open_window(qtbot, small_demo, today=DEMO_TODAY)
    volunteers = visit(qtbot, win, VolunteersPage)
    settings = visit(qtbot, win, SettingsPage)
    win.show_page(win.pages.index(volunteers))
    with qtbot.waitSignal(volunteers.data_shown):
        win.bus.announce(Changes.of("volunteers"))
    assert settings._stale is False  # settings does not show volunteers


def test_window_shows_before_the_database_is_open_then_takes_it(qtbot, small_demo):
    """Start-up shows the window at once and opens the database while it is on screen."""
    from volunteerdesk.ui.main_window import MainWindow

    win = MainWindow(None, today=DEMO_TODAY, offer_demo=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.windowTitle() == "VolunteerDesk"
    assert win.stack.currentWidget().text() == "Opening the database…"
    assert not win.navigation.isEnabled()  # nothing to show yet: no half-built pages
    assert win.built_pages == []

    win.attach(small_demo)
    page = win.page(DashboardPage)
    qtbot.waitUntil(lambda: page.is_loaded)
    assert win.stack.currentWidget() is page
    assert win.navigation.isEnabled()
    assert small_demo.name in win.windowTitle()
    assert win.database_label.text() == f"Database: {small_demo.name}"
    assert win.user_label.text().startswith("User: ")
    assert [type(p) for p in win.built_pages] == [DashboardPage]  # the rest when visited


@pytest.mark.parametrize(
    ("role", "pages", "delete_shown"),
    [
        ("read_only", ["Sites & posts", "Rota", "Reports"], None),
        ("coordinator", NAV[:-1], False),  # no Settings; volunteers but no Delete
    ],
)
def test_the_window_shows_only_what_the_role_may_do(qtbot, small_demo, role, pages, delete_shown):
    from volunteerdesk.core.lookup import find_site
    from volunteerdesk.core.models import UserRole
    from volunteerdesk.core.services.users import create_user
    from volunteerdesk.ui.main_window import MainWindow

    with small_demo.uow() as s:  # the tester (administrator) adds the person
        site = find_site(s, "HMP Westmoor")[0]
        create_user(s, "tester", {"username": "pat", "role": UserRole(role)}, [site])
    small_demo.username = "pat"
    win = MainWindow(small_demo, today=DEMO_TODAY, offer_demo=False)
    qtbot.addWidget(win)
    win.show()
    nav = win.navigation
    shown = [nav.item(i).text() for i in range(nav.count()) if not nav.isRowHidden(i)]
    assert shown == pages
    assert win.navigation.currentItem().text() == pages[0]  # opens on a page they may see
    assert "pat (" in win.user_label.text()
    admin = [a for a, _needs in win.guarded_actions if "Audit" in a.text()][0]
    assert not admin.isEnabled()
    if delete_shown is not None:
        volunteers = win.page(VolunteersPage)
        assert volunteers.delete_button.isHidden()
        assert not volunteers.new_button.isHidden()  # coordinators add volunteers
    win.close()
