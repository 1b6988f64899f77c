"""Issue 3: usable at 200% scaling, where a 1920x1080 screen is 960x540 logical pixels.

Each page measured here asks for no more than 940x520 of them on the small demo; the rota
fits a narrow week by taking its day headings onto two lines; the site calendar's tags
("Closed", "Runs", "Bank hol.") are legible, one point under the calendar's own font.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QFontMetrics
from window_helpers import DEMO_TODAY, open_window, visit

from volunteerdesk.core.services.sites import SiteDayValue
from volunteerdesk.ui.pages.compliance import CompliancePage
from volunteerdesk.ui.pages.dashboard import DashboardPage
from volunteerdesk.ui.pages.reports import ReportsPage
from volunteerdesk.ui.pages.rota import RotaPage
from volunteerdesk.ui.pages.settings import SettingsPage
from volunteerdesk.ui.style import STYLE_SHEET
from volunteerdesk.ui.widgets_calendar import CLOSED, HOLIDAY, RUNS, SiteDaysEditor

SMALL_WIDTH, SMALL_HEIGHT = 940, 520  # what a page may ask for on a 960x540 screen
PAGE_AREA = (770, 480)  # what a page gets in a 960x540 window, beside the page list


@pytest.fixture
def window(qtbot, small_demo):
    return open_window(qtbot, small_demo, today=DEMO_TODAY)


def _shown(qtbot, window, cls):
    page = visit(qtbot, window, cls)
    if cls is RotaPage:
        qtbot.waitUntil(lambda: page.period is not None)
    return page


@pytest.mark.parametrize(
    "cls", [RotaPage, DashboardPage, CompliancePage, ReportsPage, SettingsPage]
)
def test_the_page_fits_a_small_screen(qtbot, window, cls):
    page = _shown(qtbot, window, cls)
    needed = page.minimumSizeHint()
    assert needed.width() <= SMALL_WIDTH, f"{cls.title} needs {needed.width()} px across"
    assert needed.height() <= SMALL_HEIGHT, f"{cls.title} needs {needed.height()} px down"


def test_the_dashboard_scrolls_down_not_sideways_on_a_small_screen(qtbot, window):
    page = _shown(qtbot, window, DashboardPage)
    body = page.scroll.widget().minimumSizeHint()
    assert body.width() <= PAGE_AREA[0]  # the tiles, the list and the charts side by side
    assert body.height() > PAGE_AREA[1]  # taller than the screen: the page scrolls


def test_a_week_of_the_rota_fits_a_small_screen(qtbot, window, small_demo):
    page = RotaPage(small_demo, window.ops, DEMO_TODAY)
    page.bus = window.bus
    page.setStyleSheet(STYLE_SHEET)
    qtbot.addWidget(page)
    page.resize(*PAGE_AREA)
    page.show()
    page.activate()
    qtbot.waitUntil(lambda: page.period is not None)
    grid = page.grid
    header = grid.horizontalHeader()
    assert grid.columnWidth(0) < 190  # the posts give up some width to the days
    bold = QFontMetrics(header.font())
    for column in range(1, grid.columnCount()):
        text = grid.horizontalHeaderItem(column).text()
        assert "\n" in text.split("Today")[0].strip()  # "Mon" over "23 Nov"
        widest = max(bold.horizontalAdvance(line) for line in text.split("\n"))
        assert widest < header.sectionSize(column), text
    assert grid.horizontalScrollBar().maximum() == 0  # the whole week, no sideways scroll
    for button in (page.add_button, page.autofill_button, page.print_button, page.next_button):
        assert button.isVisible()
        assert button.width() >= button.sizeHint().width(), button.text()  # not cut short
    # Wider again (1280x800): the headings go back onto one line.
    page.resize(1090, 760)
    qtbot.waitUntil(lambda: "\n" not in grid.horizontalHeaderItem(2).text())
    assert grid.horizontalHeaderItem(2).text() == "Tue 24 Nov"
    assert grid.columnWidth(0) == 190


def test_the_site_calendar_tags_are_legible(qtbot):
    editor = SiteDaysEditor(date(2026, 12, 2))
    qtbot.addWidget(editor)
    editor.set_value(
        [
            SiteDayValue(date(2026, 12, 2), "closure", "Training day"),
            SiteDayValue(date(2026, 12, 10), "exception", "Carol service"),
        ]
    )
    editor.resize(760, 420)
    editor.show()
    qtbot.waitExposed(editor)
    calendar = editor.calendar
    qtbot.waitUntil(lambda: date(2026, 12, 25) in calendar._cells)
    assert calendar.marks[date(2026, 12, 2)][0] == CLOSED
    assert calendar.marks[date(2026, 12, 10)][0] == RUNS
    assert calendar.marks[date(2026, 12, 25)][0] == HOLIDAY  # Christmas Day
    tag = calendar.tag_font()
    assert tag.pointSizeF() >= calendar.font().pointSizeF() - 1
    tag_metrics, day_metrics = QFontMetrics(tag), calendar.fontMetrics()
    for day in (date(2026, 12, 2), date(2026, 12, 10), date(2026, 12, 25)):
        cell = calendar._cells[day]
        words = calendar.marks[day][0]
        assert tag_metrics.horizontalAdvance(words) < cell.width(), words
        # the day's number above its tag, both whole
        assert day_metrics.height() + tag_metrics.height() < cell.height()
    assert "closed (Training day)" in calendar.tooltip_for(date(2026, 12, 2))
    calendar.setSelectedDate(QDate(2026, 12, 10))
    assert "runs as an exception (Carol service)" in editor.selected_text.text()


def test_the_whole_window_on_a_small_screen(qtbot, window):
    """At 200% on a 1920x1080 screen the window has 960x540 logical pixels, less the
    title bar and panel: with every page built, it still fits."""
    for page in window.pages:
        visit(qtbot, window, type(page))
    needed = window.minimumSizeHint().expandedTo(window.minimumSize())
    sizes = {page.title: page.minimumSizeHint() for page in window.pages}
    assert needed.width() <= 960 and needed.height() <= 500, (needed, sizes)
    window.resize(960, 500)
    for page in window.pages:
        visit(qtbot, window, type(page))
        assert window.width() <= 960 and window.height() <= 500, type(page).__name__
