"""The start-up summary: what needs action this week, without blocking anything.

A small non-modal window over the main window; each line has a button that shows its
list on the dashboard. Esc or Close dismisses it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from ...core.services.dashboard import WeekSummary
from ...core.validation import format_uk_date

LABELS = {
    "breaches": "Show assignments",
    "expiring_items": "Show expiring",
    "unfilled_places": "Show unfilled places",
    "expired_items": "Show expired",
    "pending_clearances": "Show pending",
}


class WeekSummaryDialog(QDialog):
    show_list = Signal(str)  # a dashboard list key: "expiring_items", "breaches", ...

    def __init__(self, week: WeekSummary, parent=None) -> None:
        super().__init__(parent)
        self.week = week
        self.setWindowTitle("This week")
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAccessibleName("What needs action this week")
        self.setAccessibleDescription(week.text)
        title = QLabel(
            f"This week: {week.start:%a} {format_uk_date(week.start)} "
            f"to {week.end:%a} {format_uk_date(week.end)}"
        )
        title.setObjectName("sectionHeading")
        title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        title.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        self.lines: dict[str, QLabel] = {}
        lines = week.lines()
        for row, (key, text) in enumerate(lines):
            label = self.lines[key] = QLabel(f"• {text}")
            label.setWordWrap(True)
            label.setAccessibleName(text)
            grid.addWidget(label, row, 0)
            if key not in LABELS:
                continue  # community reviews: on the Communities page, not the dashboard
            button = self.buttons[key] = QPushButton(LABELS[key])
            button.setAccessibleName(f"{LABELS[key]}: {text}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=key: self.show_list.emit(k))
            grid.addWidget(button, row, 1)
        if not lines:
            grid.addWidget(QLabel("Nothing needs action this week."), 0, 0)
        grid.setColumnStretch(0, 1)
        box = QDialogButtonBox()
        self.dashboard_button = box.addButton(
            "Go to the dashboard", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.dashboard_button.setAccessibleName("Go to the dashboard")
        self.close_button = box.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.dashboard_button.setDefault(True)
        box.accepted.connect(self._to_dashboard)
        box.rejected.connect(self.reject)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(box)
        self.setMinimumWidth(520)

    def _to_dashboard(self) -> None:
        keys = [key for key, _text in self.week.lines() if key in LABELS]
        self.show_list.emit(keys[0] if keys else "expired_items")
        self.accept()
