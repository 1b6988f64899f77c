"""The list pages from the keyboard: Ctrl+F, type, then Down, Enter and Escape in the search
box, on the small demo (volunteers, communities, sites)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.editors.community_editor import CommunityEditor
from volunteerdesk.ui.editors.site_editor import SiteEditor
from volunteerdesk.ui.editors.volunteer_editor import VolunteerEditor
from volunteerdesk.ui.ops import Ops
from volunteerdesk.ui.pages.communities import CommunitiesPage
from volunteerdesk.ui.pages.sites import SitesPage
from volunteerdesk.ui.pages.volunteers import VolunteersPage
from volunteerdesk.ui.widgets import SEARCH_KEYS_HELP

TODAY = date(2026, 11, 23)  # the small demo is built as of this Monday
CTRL = Qt.KeyboardModifier.ControlModifier
EDITORS = (VolunteerEditor, CommunityEditor, SiteEditor)


_PAGES: list = []


@pytest.fixture(autouse=True)
def _close_editors(qtbot):
    yield
    while _PAGES:  # let the last record's details arrive before the page goes
        page = _PAGES.pop()
        qtbot.waitUntil(lambda page=page: page.ops.pending == 0)
        page.close()
        page.deleteLater()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, EDITORS):
            widget.form.undo_stack.setClean()
            widget.close()


def _page(qtbot, cls, db):
    page = cls(db, Ops(), TODAY)
    bus = ChangeBus(page)
    bus.changed.connect(
        lambda changes: page.mark_stale() if changes.touches(*page.watches) else None
    )
    page.bus = bus
    _PAGES.append(page)  # closed once its background work is done (not by qtbot)
    page.resize(1200, 760)
    page.show()
    qtbot.waitExposed(page)
    page.activate()
    qtbot.waitUntil(lambda: page.is_loaded)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page


def _find(qtbot, page, text: str) -> None:
    """Ctrl+F from the page, then type into the search box."""
    qtbot.keyClick(page, Qt.Key.Key_F, CTRL)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, text)


def _open_editors(cls) -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]


# ----- volunteers ----------------------------------------------------------------------------
def test_volunteers_down_goes_to_the_first_match(qtbot, small_demo):
    page = _page(qtbot, VolunteersPage, small_demo)
    _find(qtbot, page, "bashir")
    shown = page.model.shown_rows()
    assert len(shown) > 1
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.selected_row() == shown[0]
    assert page.open_button.isEnabled()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # on through the list as usual
    assert page.selected_row() == shown[1]


def test_volunteers_down_keeps_a_selection_still_shown(qtbot, small_demo):
    page = _page(qtbot, VolunteersPage, small_demo)
    target = [r for r in page.model.shown_rows() if r.last_name == "Bashir"][-1]
    page.select_volunteer(target.id)
    _find(qtbot, page, "bashir")
    assert page.model.shown_rows()[0] != target  # not simply the first row
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.selected_row() == target


def test_volunteers_enter_opens_the_only_match(qtbot, small_demo):
    page = _page(qtbot, VolunteersPage, small_demo)
    target = next(r for r in page.model.shown_rows() if r.phone)
    _find(qtbot, page, "".join(c for c in target.phone if c.isdigit()))
    assert page.model.shown_rows() == [target]
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    editors = _open_editors(VolunteerEditor)
    assert len(editors) == 1 and editors[0] is page.editors[target.id]
    assert page.selected_row() == target


def test_volunteers_enter_with_many_matches_opens_nothing_until_one_is_chosen(qtbot, small_demo):
    page = _page(qtbot, VolunteersPage, small_demo)
    _find(qtbot, page, "a")
    assert page.model.shown_count > 1 and page.selected_row() is None
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert _open_editors(VolunteerEditor) == []
    chosen = page.model.shown_rows()[2]
    page.select_volunteer(chosen.id)
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert [e.record_id for e in _open_editors(VolunteerEditor)] == [chosen.id]


def test_volunteers_escape_clears_the_search_then_leaves_it_alone(qtbot, small_demo):
    page = _page(qtbot, VolunteersPage, small_demo)
    everyone = page.model.shown_count
    _find(qtbot, page, "bashir")
    assert page.model.shown_count < everyone
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert page.model.shown_count == everyone
    assert page.count_label.text().startswith(f"{everyone} of ")
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)  # nothing to clear: nothing changes
    assert page.search.hasFocus() and page.model.shown_count == everyone


def test_volunteers_search_box_says_what_the_keys_do(qtbot, small_demo):
    page = _page(qtbot, VolunteersPage, small_demo)
    assert page.search.accessibleDescription() == SEARCH_KEYS_HELP
    assert "Down" in page.search.toolTip() and "Escape" in page.search.toolTip()


def test_volunteers_down_with_no_match_stays_in_the_box(qtbot, small_demo):
    page = _page(qtbot, VolunteersPage, small_demo)
    _find(qtbot, page, "zzzzqqq")
    assert page.model.shown_count == 0
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.search.hasFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert _open_editors(VolunteerEditor) == []


# ----- communities ---------------------------------------------------------------------------
def test_communities_down_enter_and_escape(qtbot, small_demo):
    page = _page(qtbot, CommunitiesPage, small_demo)
    total = page.model.shown_count
    _find(qtbot, page, "westmoor")
    shown = page.model.shown_rows()
    assert 1 < len(shown) < total
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.table.hasFocus() and page.selected_id == shown[0].id
    assert page.open_button.isEnabled()
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == "" and page.model.shown_count == total
    assert page.selected_id == shown[0].id  # the chosen one stays chosen
    qtbot.keyClicks(page.search, "gurdwara")
    assert [r.name for r in page.model.shown_rows()] == ["Guru Nanak Gurdwara, Westmoor"]
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    editors = _open_editors(CommunityEditor)
    assert len(editors) == 1
    assert editors[0] is page.editors[page.model.shown_rows()[0].id]


# ----- sites ---------------------------------------------------------------------------------
def test_sites_filter_down_enter_and_escape(qtbot, small_demo):
    page = _page(qtbot, SitesPage, small_demo)
    names = [page.site_list.item(i).text().split("\n")[0] for i in range(page.site_list.count())]
    assert page.site_list.currentRow() == 0
    _find(qtbot, page, "court")
    shown = [i for i in range(page.site_list.count()) if not page.site_list.isRowHidden(i)]
    assert len(shown) == 2 and 0 not in shown  # the prison, selected, is filtered out
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.site_list.hasFocus()
    assert page.site_list.currentRow() == shown[0]
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert not any(page.site_list.isRowHidden(i) for i in range(page.site_list.count()))
    qtbot.keyClicks(page.search, "crown")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    editors = _open_editors(SiteEditor)
    assert len(editors) == 1
    assert page.selected_site_id is not None
    assert names[page.site_list.currentRow()] == "Westmoor Crown Court"
    assert editors[0] is page.editors[("site", page.selected_site_id)]
