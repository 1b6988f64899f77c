"""A site's closure calendar: closure days, exception days and bank holidays, in words too.

``MarkedCalendar`` is a ``QCalendarWidget`` that writes a short tag in each marked cell
("Closed", "Runs", "Bank hol.") over a tint, and gives the reason as a tooltip: never
colour alone. ``SiteDaysEditor`` adds the list of marked days, what the selected day
means, and buttons to mark a day closed or running (an exception) with a reason, or to
clear it. Its value is a tuple of ``SiteDayValue``; it emits ``changed`` on each edit.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..core.models import Jurisdiction, SiteDayKind
from ..core.scheduling.calendar import bank_holidays
from ..core.scheduling.patterns import format_day
from ..core.services.sites import JURISDICTION_LABELS, SiteDayValue

CLOSED, RUNS, HOLIDAY = "Closed", "Runs", "Bank hol."
TINTS = {
    CLOSED: QColor(198, 40, 40, 60),
    RUNS: QColor(46, 125, 50, 60),
    HOLIDAY: QColor(21, 101, 192, 45),
}
TAG_SMALLER_BY = 1.0  # points: the tags under the day numbers, legible (issue 3)
KIND_WORDS = {SiteDayKind.CLOSURE.value: "Closed", SiteDayKind.EXCEPTION.value: "Runs (exception)"}


class MarkedCalendar(QCalendarWidget):
    """A month calendar whose marked days carry a tag, a tint and a tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setGridVisible(True)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self._fit_to_font()
        self.marks: dict[date, tuple[str, str]] = {}  # day -> (tag, tooltip)
        self._cells: dict[date, QRect] = {}
        view = self.findChild(QTableView)
        if view is not None:
            view.setAccessibleName("Days of the month")
            view.viewport().installEventFilter(self)
        self.currentPageChanged.connect(lambda *_: self._cells.clear())

    def set_marks(self, marks: dict[date, tuple[str, str]]) -> None:
        for day in set(self.marks) | set(marks):
            fmt = QTextCharFormat()
            if day in marks:
                fmt.setFontWeight(QFont.Weight.Bold)
                fmt.setBackground(TINTS[marks[day][0]])  # under the number, not over it
            self.setDateTextFormat(QDate(day), fmt)
        self.marks = dict(marks)
        self.updateCells()

    def paintCell(self, painter, rect, qdate) -> None:  # noqa: N802 - Qt's name
        super().paintCell(painter, rect, qdate)
        day = qdate.toPython()
        self._cells[day] = QRect(rect)
        mark = self.marks.get(day)
        if mark is None:
            return
        tag = mark[0]
        painter.save()
        painter.setFont(self.tag_font())
        selected = qdate == self.selectedDate()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(self.palette().color(role))
        painter.drawText(
            rect.adjusted(2, 0, -2, -3),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            tag,
        )
        painter.restore()

    def tag_font(self) -> QFont:
        """The font of the tags: one point smaller than the calendar's, still legible."""
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() - TAG_SMALLER_BY)
        else:
            font.setPixelSize(font.pixelSize() - 1)
        return font

    def _fit_to_font(self) -> None:
        """Room for a day's number above its tag in every cell, in any font size."""
        row = 2 * self.fontMetrics().height() + 12
        tag = QFontMetrics(self.tag_font()).horizontalAdvance(HOLIDAY) + 12
        self.setMinimumSize(max(430, 7 * tag), max(330, 8 * row))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_to_font()

    def tooltip_for(self, day: date) -> str:
        mark = self.marks.get(day)
        return f"{format_day(day)}: {mark[1]}" if mark else ""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip:
            for day, rect in self._cells.items():
                if rect.contains(event.pos()):
                    text = self.tooltip_for(day)
                    if text:
                        QToolTip.showText(event.globalPos(), text, watched)
                        return True
            QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)


class SiteDaysEditor(QWidget):
    """Closure and exception days on a calendar and in a list, edited with a reason."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: dict[date, SiteDayValue] = {}
        self._jurisdiction = Jurisdiction.ENGLAND_WALES
        self._closes_on_holidays = False
        self.calendar = MarkedCalendar()
        self.calendar.setAccessibleName("Site calendar")
        self.calendar.setSelectedDate(QDate(today))
        self.selected_text = QLabel()
        self.selected_text.setObjectName("selectedDayText")
        self.selected_text.setWordWrap(True)
        self.selected_text.setAccessibleName("The selected day")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. Court not sitting: judicial training day")
        self.reason.setToolTip("Enter marks the selected day closed, or changes its reason")
        self.reason.installEventFilter(self)
        self.reason.setAccessibleName("Reason for the selected day")
        self.reason.setMaxLength(200)
        self.close_button = QPushButton("&Mark closed")
        self.close_button.setToolTip("The site does not run on the selected day")
        self.runs_button = QPushButton("Mark as &running (exception)")
        self.runs_button.setToolTip(
            "The site runs on the selected day although a closure or bank holiday would skip it"
        )
        self.clear_button = QPushButton("C&lear day")
        self.clear_button.setToolTip("Remove the selected day's closure or exception")
        for button in (self.close_button, self.runs_button, self.clear_button):
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAutoDefault(False)  # Enter in the editor still means Save
        self.list = QListWidget()
        self.list.setAccessibleName("Closure and exception days")
        self.list.setMinimumWidth(280)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.legend = QLabel()
        self.legend.setObjectName("note")
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Calendar key")

        buttons = QHBoxLayout()
        for button in (self.close_button, self.runs_button, self.clear_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.calendar, 1)
        left.addWidget(self.selected_text)
        reason_label = QLabel("Reaso&n:")
        reason_label.setBuddy(self.reason)
        reason_row = QHBoxLayout()
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.reason, 1)
        left.addLayout(reason_row)
        left.addLayout(buttons)
        right = QVBoxLayout()
        heading = QLabel("Closure and exception days")
        heading.setObjectName("sectionHeading")
        right.addWidget(heading)
        right.addWidget(self.list, 1)
        right.addWidget(self.legend)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        self.calendar.selectionChanged.connect(self._selection_changed)
        self.calendar.currentPageChanged.connect(lambda *_: self._refresh_marks())
        self.list.currentItemChanged.connect(self._list_changed)
        self.close_button.clicked.connect(lambda: self._mark(SiteDayKind.CLOSURE.value))
        self.runs_button.clicked.connect(lambda: self._mark(SiteDayKind.EXCEPTION.value))
        self.clear_button.clicked.connect(self._clear)
        self._refresh()

    def focus_chain(self) -> list[QWidget]:
        """Its controls in the order a keyboard user meets them."""
        return [
            self.calendar,
            self.reason,
            self.close_button,
            self.runs_button,
            self.clear_button,
            self.list,
        ]

    # ----- the value ---------------------------------------------------------------------
    def value(self) -> tuple[SiteDayValue, ...]:
        return tuple(self._days[d] for d in sorted(self._days))

    def set_value(self, days) -> None:
        self._days = {d.day: d for d in days or ()}
        self._refresh()

    def set_site_rules(self, jurisdiction: str, closes_on_bank_holidays: bool) -> None:
        """Which bank holidays to mark, and whether the site closes on them."""
        self._jurisdiction = Jurisdiction(jurisdiction)
        self._closes_on_holidays = bool(closes_on_bank_holidays)
        self._refresh()

    @property
    def selected_day(self) -> date:
        return self.calendar.selectedDate().toPython()

    def select(self, day: date) -> None:
        self.calendar.setSelectedDate(QDate(day))

    # ----- editing -----------------------------------------------------------------------
    def _mark(self, kind: str) -> None:
        day = self.selected_day
        value = SiteDayValue(day, kind, self.reason.text().strip())
        if self._days.get(day) == value:
            return
        self._days[day] = value
        self._refresh()
        self.changed.emit()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """Enter in the reason box marks the day (closed, unless it is an exception);
        taken here so that the dialog does not save on it."""
        if (
            watched is self.reason
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            entry = self._days.get(self.selected_day)
            self._mark(entry.kind if entry else SiteDayKind.CLOSURE.value)
            return True
        return super().eventFilter(watched, event)

    def _clear(self) -> None:
        if self._days.pop(self.selected_day, None) is not None:
            self._refresh()
            self.changed.emit()

    # ----- showing -----------------------------------------------------------------------
    def _holidays(self) -> dict[date, str]:
        """The bank holidays of the weeks the calendar shows (a little either side)."""
        first = date(self.calendar.yearShown(), self.calendar.monthShown(), 1)
        following = (first + timedelta(days=32)).replace(day=1)
        return bank_holidays(
            self._jurisdiction, first - timedelta(days=7), following + timedelta(days=14)
        )

    def _explain(self, day: date, holidays: dict[date, str]) -> tuple[str, str] | None:
        """(tag, words) for a day that is marked, else None."""
        entry = self._days.get(day)
        holiday = holidays.get(day)
        place = JURISDICTION_LABELS[self._jurisdiction]
        if entry is not None:
            why = entry.reason or "no reason given"
            if entry.kind == SiteDayKind.CLOSURE.value:
                return CLOSED, f"closed ({why})"
            extra = f"; bank holiday: {holiday}" if holiday else ""
            return RUNS, f"runs as an exception ({why}){extra}"
        if holiday:
            effect = "the site is closed" if self._closes_on_holidays else "the site runs"
            return HOLIDAY, f"bank holiday in {place}: {holiday} ({effect})"
        return None

    def _refresh_marks(self) -> dict[date, str]:
        holidays = self._holidays()
        shown = set(self._days) | set(holidays)
        marks = {}
        for day in shown:
            explained = self._explain(day, holidays)
            if explained:
                marks[day] = explained
        self.calendar.set_marks(marks)
        return holidays

    def _refresh(self) -> None:
        self._refresh_marks()
        current = self.selected_day
        self.list.blockSignals(True)
        self.list.clear()
        for value in self.value():
            words = KIND_WORDS.get(value.kind, value.kind)
            text = f"{format_day(value.day)}: {words}\n{value.reason or 'No reason given'}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value.day)
            self.list.addItem(item)
            if value.day == current:
                self.list.setCurrentItem(item)
        if not self._days:
            item = QListWidgetItem("No closure or exception days yet.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        self.list.blockSignals(False)
        place = JURISDICTION_LABELS[self._jurisdiction]
        closes = "closes" if self._closes_on_holidays else "runs"
        self.legend.setText(
            f"In the calendar: “{CLOSED}” marks a closure day, “{RUNS}” an exception day "
            f"(the site runs although it would not), “{HOLIDAY}” a bank holiday in {place} "
            f"(this site {closes} on bank holidays). Hover over a day for its reason."
        )
        self._describe_selected()

    def _describe_selected(self) -> None:
        day = self.selected_day
        explained = self._explain(day, bank_holidays(self._jurisdiction, day, day))
        words = explained[1] if explained else "an ordinary day"
        self.selected_text.setText(f"Selected: {format_day(day)}, {words}.")
        entry = self._days.get(day)
        self.clear_button.setEnabled(entry is not None)

    def _selection_changed(self) -> None:
        entry = self._days.get(self.selected_day)
        self.reason.setText(entry.reason if entry else "")
        self._describe_selected()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == self.selected_day:
                self.list.blockSignals(True)
                self.list.setCurrentItem(item)
                self.list.blockSignals(False)
                break

    def _list_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None and current.data(Qt.ItemDataRole.UserRole):
            self.select(current.data(Qt.ItemDataRole.UserRole))
