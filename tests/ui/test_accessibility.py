"""Accessibility: every control a keyboard can reach has a name a screen reader can say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from window_helpers import DEMO_TODAY, open_window, visit


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget, QLabel):
            continue
        if type(widget).__name__ in {"QScrollBar", "QTabBar", "QHeaderView", "QCalendarView"}:
            continue  # parts of a composite control that carries the name
        name = widget.accessibleName()
        if not name and isinstance(widget, QAbstractButton):
            name = widget.text().replace("&", "")
        if not name and widget.parentWidget() is not None:
            # the editable part of a combo box or spin box is named by its parent
            parent = widget.parentWidget()
            if type(widget).__name__ == "QLineEdit" and parent.accessibleName():
                name = parent.accessibleName()
        if not name:
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_page_names_its_controls(qtbot, small_demo):
    win = open_window(qtbot, small_demo, today=DEMO_TODAY)
    problems = {}
    for page in win.pages:
        visit(qtbot, win, type(page))
        missing = unnamed_controls(page)
        if missing:
            problems[page.title] = missing
    assert problems == {}


def test_pages_are_reachable_from_the_keyboard(qtbot, small_demo):
    win = open_window(qtbot, small_demo, today=DEMO_TODAY)
    for number, page in enumerate(win.pages, start=1):
        qtbot.keyClick(win, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert win.stack.currentWidget() is page
