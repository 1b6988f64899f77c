"""An empty database: the window offers the small demo, and loads it when asked."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from window_helpers import TODAY, visit

from volunteerdesk.ui.main_window import DEMO_QUESTION, MainWindow
from volunteerdesk.ui.pages.dashboard import DashboardPage
from volunteerdesk.ui.pages.volunteers import VolunteersPage


def test_empty_database_offers_demo(qtbot, sqlite_database):
    win = MainWindow(sqlite_database, today=TODAY, offer_demo=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.demo_prompt is not None and win.demo_prompt.isVisible())
    box = win.demo_prompt
    assert box.text() == DEMO_QUESTION
    assert win.isVisible()  # the prompt does not block the window
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(lambda: win.demo_prompt is None)
    assert win.demo_progress is None
    win.close()


def test_no_prompt_when_not_asked(qtbot, sqlite_database):
    win = MainWindow(sqlite_database, today=TODAY, offer_demo=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.page(DashboardPage).is_loaded)
    assert win.demo_prompt is None
    assert win.page(DashboardPage).tiles["active_volunteers"].value_label.text() == "0"
    win.close()


def test_yes_loads_the_small_demo_and_refreshes(qtbot, sqlite_database):
    win = MainWindow(sqlite_database, today=TODAY, offer_demo=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.demo_prompt is not None and win.demo_prompt.isVisible())
    with qtbot.waitSignal(win.demo_loaded, timeout=60_000):
        win.demo_prompt.button(QMessageBox.StandardButton.Yes).click()
        assert win.demo_progress is not None and win.demo_progress.isVisible()
    assert win.demo_progress is None
    tile = win.page(DashboardPage).tiles["active_volunteers"]
    qtbot.waitUntil(lambda: tile.value_label.text() not in ("0", "…"))
    volunteers = visit(qtbot, win, VolunteersPage)
    assert volunteers.model.rowCount() > 50
    win.close()
