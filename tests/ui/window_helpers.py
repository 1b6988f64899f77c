"""Helpers the main window tests share (imported by module name: tests/ui is on sys.path)."""

from __future__ import annotations

from datetime import date

from volunteerdesk.ui.main_window import MainWindow
from volunteerdesk.ui.pages.dashboard import DashboardPage

TODAY = date(2026, 11, 23)  # a Monday
DEMO_TODAY = date(2026, 11, 23)  # as tests/conftest.py builds the small demo


def open_window(qtbot, db, today=TODAY) -> MainWindow:
    win = MainWindow(db, today=today, offer_demo=False)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    wait_loaded(qtbot, win.page(DashboardPage))
    return win


def wait_loaded(qtbot, page) -> None:
    """Wait for a page's first load; fail with its error message rather than a timeout.

    The limit is generous: CI machines have two cores shared with a PostgreSQL server.
    """
    qtbot.waitUntil(lambda: page.is_loaded or not page.error_label.isHidden(), timeout=30_000)
    assert page.error_label.isHidden(), page.error_label.text()


def visit(qtbot, win: MainWindow, cls):
    page = win.page(cls)
    win.show_page(win.pages.index(page))
    assert win.stack.currentWidget() is page
    wait_loaded(qtbot, page)
    return page


def cells(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]
