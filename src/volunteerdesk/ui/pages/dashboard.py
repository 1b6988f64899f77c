"""Dashboard: the numbers a volunteer manager checks first, each with its meaning in words."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout

from ...core.services.dashboard import UNFILLED_HORIZON_DAYS, DashboardCounts, dashboard_counts
from ..widgets import heading, note
from .base import Page


class Tile(QFrame):
    """A number with its caption and a line saying what it means."""

    def __init__(self, caption: str, hint: str) -> None:
        super().__init__()
        self.setObjectName("tile")
        self.caption = caption
        self.value_label = QLabel("…")
        self.value_label.setObjectName("tileValue")
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("tileCaption")
        self.caption_label.setWordWrap(True)
        self.hint_label = QLabel(hint)
        self.hint_label.setObjectName("tileHint")
        self.hint_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(4)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.hint_label)
        layout.addStretch(1)
        self.setAccessibleName(caption)

    def set_value(self, value: int, attention: bool) -> None:
        self.value_label.setText(f"{value:,}")
        self.setProperty("attention", attention)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setAccessibleName(f"{self.caption}: {value:,}")
        self.value_label.setAccessibleName(f"{self.caption}: {value:,}")


class DashboardPage(Page):
    title = "Dashboard"
    watches = frozenset(
        {"volunteers", "training", "clearances", "shifts", "assignments", "communities"}
    )

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.heading = heading("Dashboard")
        self.as_of = note("", "Date of the figures")
        self.tiles: dict[str, Tile] = {
            "active_volunteers": Tile("Active volunteers", "Volunteers whose status is active."),
            "expired_items": Tile(
                "Expired training and clearances",
                "Current records of volunteers who have not left, past their expiry date.",
            ),
            "expiring_items": Tile(
                "Expiring soon", "Training and clearances that lapse within the warning period."
            ),
            "pending_clearances": Tile(
                "Clearances pending",
                "Applied for or in progress: these volunteers cannot be rostered yet.",
            ),
            "unfilled_places": Tile(
                f"Unfilled places, next {UNFILLED_HORIZON_DAYS} days",
                "Places below each shift's minimum, counting today.",
            ),
            "overdue_reviews": Tile(
                "Community reviews overdue",
                "Communities and partners whose agreement review date has passed.",
            ),
        }
        grid = QGridLayout()
        grid.setSpacing(16)
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, i // 3, i % 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.as_of)
        layout.addWidget(self.error_label)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.counts: DashboardCounts | None = None

    def fetch(self) -> DashboardCounts:
        with self.db.uow() as session:
            return dashboard_counts(session, today=self.today)

    def show_data(self, counts: DashboardCounts) -> None:
        self.counts = counts
        self.as_of.setText(f"Figures as of {counts.today:%A %d %B %Y}.")
        self.tiles["expiring_items"].caption_label.setText(
            f"Expiring within {counts.warning_days} days"
        )
        self.tiles["expiring_items"].caption = f"Expiring within {counts.warning_days} days"
        for key, tile in self.tiles.items():
            value = getattr(counts, key)
            tile.set_value(value, attention=key != "active_volunteers" and value > 0)
