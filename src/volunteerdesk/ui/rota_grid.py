"""The rota grid: posts by days, each cell the names on a shift and the places still
needed, in words. Names can be dragged onto another cell (a move) or onto a name (a swap).

Each cell keeps its lines (``Line``: the text, and the shift and assignment it is about),
so a click, a context menu or a drop knows which person it is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QByteArray, QMimeData, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QDrag,
    QFont,
    QFontMetrics,
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
)

from ..core.models import AssignmentStatus
from ..core.services.rota_cells import CellPerson, CellPost, CellShift, RotaPeriod
from ..core.validation import format_uk_date

ASSIGNMENT_MIME = "application/x-volunteerdesk-assignment"
GAP_BACKGROUND = QColor("#fff1d6")  # an aid only: the cell also says VACANT or "n needed"
BROKEN_BACKGROUND = QColor("#fde3e1")  # an aid only: the cell also says "rule broken"
CLOSED_BACKGROUND = QColor("#eeeeee")
POST_BACKGROUND = QColor("#f3f5f7")
TODAY_BACKGROUND = QColor("#e8f1fb")  # an aid only: the header also says "Today"
CELL_TEXT = QColor("#1d2b38")  # dark text on the light aid colours, in any palette
PROPOSED_MARK = "*"
LOCKED_MARK = "(locked)"
WARNING = "⚠ rule broken"
LEGEND = f"{PROPOSED_MARK} proposed, not yet confirmed."
STATUS_WORDS = {"attended": "(attended)", "no_show": "(no-show)"}
KEY_ROLE = Qt.ItemDataRole.UserRole  # (post id, date) on every day cell
WRAP = int(Qt.TextFlag.TextWordWrap)
POST_WIDTH = 190  # the post column of a week, when there is room


@dataclass(frozen=True)
class Line:
    """One line of a cell: its text, and the shift and assignment it speaks of."""

    text: str
    shift_id: int | None = None
    assignment_id: int | None = None


def person_text(person: CellPerson) -> str:
    text = person.name + ("" if person.confirmed else PROPOSED_MARK)
    if person.locked:
        text += f" {LOCKED_MARK}"
    return f"{text} {STATUS_WORDS[person.status]}" if person.status in STATUS_WORDS else text


def shift_lines(shift: CellShift, post_times: tuple) -> list[Line]:
    """A shift's lines: its time if unusual, each name (and any rule it breaks), the gap."""
    lines = []
    if (shift.start_time, shift.end_time) != post_times:
        lines.append(Line(f"{shift.start_time:%H:%M}–{shift.end_time:%H:%M}", shift.id))
    if shift.cancelled:
        reason = f": {shift.notes}" if shift.notes else ""
        return [*lines, Line(f"Cancelled{reason}", shift.id)]
    for person in shift.people:
        lines.append(Line(person_text(person), shift.id, person.assignment_id))
        if person.broken:
            text = f"{WARNING}: {', '.join(person.broken)}"
            lines.append(Line(text, shift.id, person.assignment_id))
    if shift.gap_text:
        lines.append(Line(shift.gap_text, shift.id))
    return lines


def shift_text(shift: CellShift, post_times: tuple) -> str:
    return "\n".join(line.text for line in shift_lines(shift, post_times))


def cell_lines(shifts: list[CellShift], post: CellPost) -> list[Line]:
    lines: list[Line] = []
    for shift in shifts:
        if lines:
            lines.append(Line("—"))
        lines.extend(shift_lines(shift, (post.start_time, post.end_time)))
    return lines


class RotaGrid(QTableWidget):
    """Posts by days. Signals carry ids; the page does the work."""

    activated_cell = Signal(int, int)  # row, column: Enter or double-click
    menu_wanted = Signal(int, int, object, QPoint)  # row, column, the Line or None, where
    move_requested = Signal(int, int)  # assignment id, to shift id
    swap_requested = Signal(int, int)  # assignment id, with assignment id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Rota grid: posts by days")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.verticalHeader().setVisible(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        )
        self.period: RotaPeriod | None = None
        self._compact = False
        self._lines: dict[tuple[int, int], list[Line]] = {}
        self._press: QPoint | None = None
        self.doubleClicked.connect(
            lambda index: self.activated_cell.emit(index.row(), index.column())
        )

    # --- filling --------------------------------------------------------------------------
    def show_period(self, period: RotaPeriod, today: date, compact: bool) -> None:
        self.period = period
        self._lines.clear()
        self.clear()
        self.setColumnCount(len(period.days) + 1)
        self.setRowCount(len(period.posts))
        self.setHorizontalHeaderItem(0, QTableWidgetItem("Post"))
        self._compact = compact
        for column, day in enumerate(period.days, start=1):
            head = QTableWidgetItem()
            head.setToolTip(
                f"{day.date:%A %d %B %Y}"
                + (f": closed, {day.closed_reason}" if day.closed_reason else "")
            )
            if day.date == today:
                bold = QFont(self.font())
                bold.setBold(True)
                head.setFont(bold)
            head.setData(KEY_ROLE, (day, day.date == today))
            self.setHorizontalHeaderItem(column, head)
        self._label_days()
        for row, post in enumerate(period.posts):
            text = f"{post.name}\n{post.start_time:%H:%M}–{post.end_time:%H:%M}"
            label = QTableWidgetItem(text)
            label.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setBackground(QBrush(POST_BACKGROUND))
            label.setForeground(QBrush(CELL_TEXT))
            label.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, 0, label)
            # A month scrolls sideways: the posts stay in view in the row header.
            self.setVerticalHeaderItem(row, QTableWidgetItem(text))
            for column, day in enumerate(period.days, start=1):
                self.setItem(row, column, self._day_item(row, column, post, day, today))
        self._size(compact)

    def _day_item(self, row, column, post, day, today) -> QTableWidgetItem:
        shifts = self.period.cell(post.id, day.date)
        lines = cell_lines(shifts, post)
        self._lines[(row, column)] = lines
        item = QTableWidgetItem("\n".join(line.text for line in lines))
        item.setData(KEY_ROLE, (post.id, day.date))
        item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        item.setToolTip(self._tooltip(shifts))
        background = None
        if any(p.broken for s in shifts for p in s.people):
            background = BROKEN_BACKGROUND
        elif any(s.needed for s in shifts):
            background = GAP_BACKGROUND
        elif not shifts and day.closed_reason:
            background = CLOSED_BACKGROUND
        elif day.date == today:
            background = TODAY_BACKGROUND
        if background is not None:
            item.setBackground(QBrush(background))
            item.setForeground(QBrush(CELL_TEXT))
        if any(s.needed and not s.people for s in shifts):
            bold = QFont(self.font())
            bold.setBold(True)
            item.setFont(bold)  # nobody at all: the whole cell is the warning
        return item

    @staticmethod
    def _tooltip(shifts: list[CellShift]) -> str:
        notes = []
        for s in shifts:
            for p in s.people:
                if p.override_reason:
                    notes.append(f"{p.name}: overridden ({p.override_reason})")
            if s.notes:
                notes.append(s.notes)
        return "\n".join(notes)

    def _size(self, compact: bool) -> None:
        self.setColumnHidden(0, compact)
        self.verticalHeader().setVisible(compact)
        header = self.horizontalHeader()
        header.setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive if compact else QHeaderView.ResizeMode.Stretch
        )
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(0, 170 if compact else self._post_width())
        if compact:
            for column in range(1, self.columnCount()):
                self.setColumnWidth(column, 156)
        self._fit_rows()

    def _fit_rows(self) -> None:
        self.resizeRowsToContents()
        for row in range(self.rowCount()):
            self.setRowHeight(row, self.rowHeight(row) + 6)  # breathing room under names

    def _post_width(self) -> int:
        """The post column of a week: narrower when the days would not fit beside it."""
        day = self.fontMetrics().horizontalAdvance("Wed 30 Sep") + 24
        return max(130, min(POST_WIDTH, self.viewport().width() - 7 * day))

    def _narrow(self) -> bool:
        """Whether a week's day headings must take two lines ("Mon" over "23 Nov")."""
        bold = QFont(self.font())
        bold.setBold(True)
        day = QFontMetrics(bold).horizontalAdvance("Wed 30 Sep") + 16
        return (self.viewport().width() - self._post_width()) // 7 < day

    def _label_days(self) -> None:
        """The day headings: "Mon 23 Nov", on two lines in a narrow week."""
        narrow = not self._compact and self._narrow()
        for column in range(1, self.columnCount()):
            head = self.horizontalHeaderItem(column)
            if head is None or head.data(KEY_ROLE) is None:
                continue  # cleared
            day, today = head.data(KEY_ROLE)
            if self._compact:
                text = f"{day.date:%a}\n{day.date.day}"
            else:
                text = f"{day.date:%a}\n{day.date:%d %b}" if narrow else f"{day.date:%a %d %b}"
            if day.closed_reason:
                text += "\nClosed" if self._compact else f"\nClosed: {day.closed_reason}"
            if today:
                text += "\nToday"
            head.setText(text)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """A week fits the width it is given (a small screen, a narrow window)."""
        super().resizeEvent(event)
        if self.period is None or self._compact or event.oldSize().width() == self.width():
            return
        self.setColumnWidth(0, self._post_width())
        self._label_days()
        self._fit_rows()

    # --- reading ------------------------------------------------------------------------
    def key_at(self, row: int, column: int) -> tuple[int, date] | None:
        item = self.item(row, column)
        return item.data(KEY_ROLE) if item is not None and column > 0 else None

    def shifts_at(self, row: int, column: int) -> list[CellShift]:
        key = self.key_at(row, column)
        return self.period.cell(*key) if key and self.period else []

    def lines_at(self, row: int, column: int) -> list[Line]:
        return self._lines.get((row, column), [])

    def cell_position(self, post_id: int, day: date) -> tuple[int, int] | None:
        if self.period is None:
            return None
        rows = [i for i, p in enumerate(self.period.posts) if p.id == post_id]
        column = (day - self.period.start).days + 1
        return (rows[0], column) if rows and 0 < column < self.columnCount() else None

    def line_at(self, pos: QPoint) -> Line | None:
        """The line of the cell under ``pos`` (viewport coordinates), if any; lines that
        wrap in a narrow column count as tall as they are drawn."""
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        rect = self.visualRect(index)
        metrics = self.fontMetrics()
        width = max(10, rect.width() - 8)
        y = pos.y() - rect.top() - 2
        for line in self.lines_at(index.row(), index.column()):
            box = metrics.boundingRect(QRect(0, 0, width, 10_000), WRAP, line.text or " ")
            if y < box.height():
                return line
            y -= box.height()
        return None

    # --- keyboard and menus -----------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_cell.emit(self.currentRow(), self.currentColumn())
            return
        if key == Qt.Key.Key_F10 and mods & Qt.KeyboardModifier.ShiftModifier:
            self._menu_for_current()
            return
        super().keyPressEvent(event)

    def _menu_for_current(self) -> None:
        index = self.currentIndex()
        if index.isValid():
            rect = self.visualRect(index)
            where = self.viewport().mapToGlobal(rect.center())
            self.menu_wanted.emit(index.row(), index.column(), None, where)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self._menu_for_current()
            return
        pos = self.viewport().mapFromGlobal(event.globalPos())
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
            self.menu_wanted.emit(index.row(), index.column(), self.line_at(pos), event.globalPos())

    # --- drag and drop ------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def dragged_assignment(self) -> int | None:
        """The assignment a drag starting at the last press carries: the name pressed on,
        or the only name in the cell."""
        line = self.line_at(self._press) if self._press is not None else None
        if line is not None and line.assignment_id is not None:
            return line.assignment_id
        index = self.currentIndex()
        people = {
            line.assignment_id
            for line in self.lines_at(index.row(), index.column())
            if line.assignment_id is not None
        }
        return people.pop() if len(people) == 1 else None

    def startDrag(self, supported) -> None:  # noqa: N802 - Qt's name
        assignment_id = self.dragged_assignment()
        if assignment_id is None:
            return
        mime = QMimeData()
        mime.setData(ASSIGNMENT_MIME, QByteArray(str(assignment_id).encode()))
        mime.setText(
            next(
                (
                    line.text
                    for lines in self._lines.values()
                    for line in lines
                    if line.assignment_id == assignment_id
                ),
                "",
            )
        )
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.MoveAction)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasFormat(ASSIGNMENT_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        index = self.indexAt(event.position().toPoint())
        if event.mimeData().hasFormat(ASSIGNMENT_MIME) and index.isValid() and index.column() > 0:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not event.mimeData().hasFormat(ASSIGNMENT_MIME):
            event.ignore()
            return
        assignment_id = int(bytes(event.mimeData().data(ASSIGNMENT_MIME)).decode())
        pos = event.position().toPoint()
        index = self.indexAt(pos)
        if index.isValid() and self.drop_on(
            assignment_id, index.row(), index.column(), self.line_at(pos)
        ):
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def drop_on(self, assignment_id: int, row: int, column: int, line: Line | None = None) -> bool:
        """A name dropped on a cell (``line``: the line it fell on): onto another person
        swaps them, anywhere else in the cell moves it to that shift. True if it asked."""
        if line is not None and line.assignment_id not in (None, assignment_id):
            self.swap_requested.emit(assignment_id, line.assignment_id)
            return True
        shifts = [s for s in self.shifts_at(row, column) if not s.cancelled]
        if line is not None and line.shift_id is not None:
            shifts = [s for s in shifts if s.id == line.shift_id] or shifts
        if not shifts or any(p.assignment_id == assignment_id for p in shifts[0].people):
            return False
        self.move_requested.emit(assignment_id, shifts[0].id)
        return True


def cell_menu(
    page, grid: RotaGrid, row: int, column: int, line: Line | None = None
) -> QMenu | None:
    """The context menu of a cell: assign, then the person clicked (or a submenu for
    each person), then the sessions' own actions. ``page`` does the work."""
    key = grid.key_at(row, column)
    if key is None or grid.period is None:
        return None
    post_id, day = key
    post = grid.period.post(post_id)
    shifts = grid.shifts_at(row, column)
    menu = QMenu(page)
    menu.setAccessibleName(f"{post.name} on {format_uk_date(day)}")
    several = len(shifts) > 1
    for shift in shifts:
        when = f" ({shift.start_time:%H:%M})" if several else ""
        if not shift.cancelled:
            act = menu.addAction(f"Assign volunteer{when}…", lambda s=shift: page.open_assign(s))
            act.setEnabled(not shift.full)
    people = [(s, p) for s in shifts for p in s.people]
    if line is not None and line.assignment_id is not None:
        people = [(s, p) for s, p in people if p.assignment_id == line.assignment_id]
    if len(people) == 1:
        menu.addSection(people[0][1].name)
        _person_actions(page, menu, post, *people[0])
    else:
        for shift, person in people:
            _person_actions(page, menu.addMenu(person.name), post, shift, person)
    menu.addSeparator()
    for shift in shifts:
        when = f" ({shift.start_time:%H:%M})" if several else ""
        if shift.cancelled:
            menu.addAction(f"Restore session{when}", lambda s=shift: page.restore_session(s))
            continue
        menu.addAction(f"Move session{when}…", lambda s=shift: page.move_session(s))
        menu.addAction(f"Cancel session{when}…", lambda s=shift: page.cancel_session(s))
        if post.is_desk:
            menu.addAction(f"Record desk outcome{when}…", lambda s=shift: page.record_outcome(s.id))
    menu.addAction("Add a one-off session…", lambda: page.add_session(post_id, day))
    return menu


def _person_actions(
    page, menu: QMenu, post: CellPost, shift: CellShift, person: CellPerson
) -> None:
    aid = person.assignment_id
    menu.addAction("Unassign", lambda: page.unassign(aid))
    if person.locked:
        menu.addAction("Unlock", lambda: page.set_locked(aid, False))
    else:
        menu.addAction("Lock (auto-fill leaves it alone)", lambda: page.set_locked(aid, True))
    if person.proposed:
        menu.addAction("Confirm", lambda: page.set_status(aid, AssignmentStatus.CONFIRMED))
    menu.addAction("Record attendance…", lambda: page.record_attendance(aid))
    if post.is_desk:
        menu.addAction("Record desk outcome…", lambda: page.record_outcome(shift.id))
    menu.addAction(
        "Open volunteer record", lambda: page.open_record.emit("volunteer", person.volunteer_id)
    )
