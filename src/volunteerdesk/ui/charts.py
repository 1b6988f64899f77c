"""Figures for the dashboard: tiles, and two small bar charts painted with QPainter
(QtCharts is not in pyside6-essentials).

Both write every figure as text beside its bar, so they read in greyscale and to people
who cannot tell colours apart; colours come from the palette (light or dark). Each
chart's accessible description lists its figures for a screen reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

MARGIN = 8


@dataclass(frozen=True)
class Bar:
    label: str  # under a column / left of a row; may hold a line break
    value: float  # a count, or a share from 0 to 1
    text: str  # the figure written on the chart
    tooltip: str = ""


def _bar_colour(palette: QPalette) -> QColor:
    colour = QColor(palette.color(QPalette.ColorRole.Highlight))
    colour.setAlpha(210)
    return colour


def _track_colour(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Midlight)


class _Chart(QWidget):
    def __init__(self, accessible_name: str, empty_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.empty_text = empty_text
        self.bars: list[Bar] = []
        self._hit: list[tuple[QRectF, Bar]] = []
        self.setMouseTracking(True)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        lines = [f"{b.label.replace(chr(10), ' ')}: {b.text}" for b in self.bars]
        self.setAccessibleDescription("; ".join(lines) if lines else self.empty_text)
        self.updateGeometry()
        self.update()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            for rect, bar in self._hit:
                if rect.contains(QPointF(event.pos())):
                    QToolTip.showText(event.globalPos(), bar.tooltip or f"{bar.label}: {bar.text}")
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)

    def _paint_empty(self, painter: QPainter) -> None:
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)


class ColumnChart(_Chart):
    """Vertical bars (counts), the count written above each bar, labels underneath."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(460, 210)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(300, 170)

    def _label_font(self, slot: float) -> tuple[QFont, int]:
        """The font for the labels under the columns, smaller (down to 6.5 pt) when the
        widest line would run into its neighbour's, and how often to write one: every
        column, or every other one when even the smallest font does not fit."""
        font = QFont(self.font())
        lines = [part for b in self.bars for part in b.label.split("\n")]

        def widest(f: QFont) -> int:
            return max((QFontMetrics(f).horizontalAdvance(t) for t in lines), default=0)

        while font.pointSizeF() > 6.5 and widest(font) > slot - 4:
            font.setPointSizeF(font.pointSizeF() - 0.5)
        return font, (1 if widest(font) <= slot - 4 else 2)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._hit = []
        if not self.bars:
            self._paint_empty(painter)
            return
        palette = self.palette()
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        label_height = 2 * line + 4
        top = MARGIN + line + 2  # room for the figure over the tallest bar
        bottom = self.height() - MARGIN - label_height
        area = max(bottom - top, 10)
        slot = (self.width() - 2 * MARGIN) / len(self.bars)
        width = max(min(slot * 0.7, 48), 6)
        biggest = max((b.value for b in self.bars), default=0) or 1
        text_pen = palette.color(QPalette.ColorRole.Text)
        figure_font = QFont(self.font())  # smaller when the figures would touch
        while (
            figure_font.pointSizeF() > 6.5
            and max(QFontMetrics(figure_font).horizontalAdvance(b.text) for b in self.bars)
            > slot - 4
        ):
            figure_font.setPointSizeF(figure_font.pointSizeF() - 0.5)
        label_font, label_every = self._label_font(slot)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(MARGIN, int(bottom), self.width() - MARGIN, int(bottom))
        for i, bar in enumerate(self.bars):
            x = MARGIN + i * slot + (slot - width) / 2
            height = area * bar.value / biggest
            rect = QRectF(x, bottom - height, width, height)
            painter.fillRect(rect, _bar_colour(palette))
            painter.setPen(text_pen)
            painter.setFont(figure_font)
            figure = QRectF(MARGIN + i * slot, bottom - height - line - 2, slot, line)
            painter.drawText(figure, Qt.AlignmentFlag.AlignCenter, bar.text)
            painter.setFont(label_font)
            if i % label_every == 0:  # on a narrow chart, every other month is named
                under = QRectF(MARGIN + i * slot - slot, bottom + 3, 3 * slot, label_height)
                painter.drawText(
                    under, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, bar.label
                )
            self._hit.append(
                (QRectF(MARGIN + i * slot, top, slot, bottom - top + label_height), bar)
            )


class RowChart(_Chart):
    """Horizontal bars (shares from 0 to 1) on a full-width track, one row per label, the
    figure written after each bar; as tall as its rows (put it in a scroll area)."""

    row_height_extra = 10

    def __init__(self, accessible_name: str, empty_text: str, parent: QWidget | None = None):
        super().__init__(accessible_name, empty_text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + self.row_height_extra

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        rows = max(len(self.bars), 2)
        return QSize(420, rows * self._row_height() + 2 * MARGIN)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(280, self.sizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        self._hit = []
        if not self.bars:
            self._paint_empty(painter)
            return
        palette = self.palette()
        metrics = QFontMetrics(self.font())
        row = self._row_height()
        label_width = min(
            max(metrics.horizontalAdvance(b.label) for b in self.bars) + 12, int(self.width() * 0.4)
        )
        text_width = max(metrics.horizontalAdvance(b.text) for b in self.bars) + 12
        track = max(self.width() - 2 * MARGIN - label_width - text_width, 20)
        text_pen = palette.color(QPalette.ColorRole.Text)
        track_colour, bar_colour = _track_colour(palette), _bar_colour(palette)
        left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        # Only the rows in the exposed area are drawn: with 130 sites the chart is taller
        # than the dashboard shows, and drawing every row took ~7 ms of the GUI thread.
        exposed = event.rect()
        first = max(int((exposed.top() - MARGIN) // row), 0)
        last = min(int((exposed.bottom() - MARGIN) // row) + 1, len(self.bars) - 1)
        painter.setPen(text_pen)
        for i, bar in enumerate(self.bars):
            y = MARGIN + i * row
            self._hit.append((QRectF(0, y, self.width(), row), bar))
            if not first <= i <= last:
                continue
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 12)
            painter.drawText(QRectF(MARGIN, y, label_width - 8, row), left, label)
            x = MARGIN + label_width
            painter.fillRect(QRectF(x, y + 4, track, row - 8), track_colour)
            share = min(max(bar.value, 0.0), 1.0)
            painter.fillRect(QRectF(x, y + 4, track * share, row - 8), bar_colour)
            painter.drawText(QRectF(x + track + 8, y, text_width, row), left, bar.text)


class Tile(QFrame):
    """A number, its caption and a line of detail; click it or press Enter to list it."""

    chosen = Signal(str)

    def __init__(self, key: str, caption: str, hint: str) -> None:
        super().__init__()
        self.key = key
        self.caption = caption
        self.setObjectName("tile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{hint} Click or press Enter to list them.")
        self.value_label = QLabel("…")
        self.value_label.setObjectName("tileValue")
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("tileCaption")
        self.caption_label.setWordWrap(True)
        self.hint_label = QLabel("")
        self.hint_label.setObjectName("tileHint")
        self.hint_label.setWordWrap(True)
        self.mark = QLabel("")
        self.mark.setObjectName("tileMark")
        top = QHBoxLayout()
        top.addWidget(self.value_label)
        top.addStretch(1)
        top.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.caption_label)
        layout.addWidget(self.hint_label)
        layout.addStretch(1)
        self.setAccessibleName(caption)

    def set_value(self, text: str, attention: bool, hint: str = "") -> None:
        self.value_label.setText(text)
        self.hint_label.setText(hint)
        self.setProperty("attention", attention)
        self._restyle()
        self.setAccessibleName(f"{self.caption}: {text}")
        self.setAccessibleDescription(hint)
        self.value_label.setAccessibleName(f"{self.caption}: {text}")

    def set_caption(self, caption: str) -> None:
        self.caption = caption
        self.caption_label.setText(caption)

    def set_selected(self, selected: bool) -> None:
        self.setProperty("selected", selected)
        self.mark.setText("Listed below ▾" if selected else "")
        self._restyle()

    def _restyle(self) -> None:
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus()
            self.chosen.emit(self.key)
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.chosen.emit(self.key)
            return
        super().keyPressEvent(event)
