"""The compliance matrix's table model, the words of its cells (no colour needed), and
opening the record behind a cell."""

from __future__ import annotations

import functools
import textwrap
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QComboBox, QWidget

from ...core.compliance.rules import SEVERITY, Check, Requirement, State, is_alarm
from ...core.services.compliance import MatrixLine
from ...core.validation import format_uk_date

NAME_COLUMN, SOONEST_COLUMN, FIXED = 0, 1, 2
# What this page and the dashboard show: a change to any of these reloads them.
WATCHES = frozenset(
    {"training", "clearances", "volunteers", "assignments", "shifts", "settings", "catalogues"}
    | {"sites", "posts", "communities"}
)
LINE_ROLE = Qt.ItemDataRole.UserRole + 1
CHECK_ROLE = Qt.ItemDataRole.UserRole + 2
# Tints under the words (never the only sign): translucent, so they suit a dark palette.
TINT = {
    State.VALID: QColor(40, 150, 70, 45),
    State.EXPIRING: QColor(230, 150, 0, 80),
    State.EXPIRED: QColor(210, 40, 40, 85),
    State.REFUSED: QColor(210, 40, 40, 85),
    State.PENDING: QColor(60, 110, 200, 55),
    State.MISSING: QColor(128, 128, 128, 55),
}
LEGEND = (
    "✓ valid until the date shown · Expiring: lapses within the warning period · "
    "EXPIRED · Pending: applied for or booked · Missing: required at the volunteer's site "
    "but not held · blank: not required · (renewing): a renewal is in progress. "
    "Enter or double-click on a cell renews or records it; right-click for more."
)


def cell_text(check: Check | None) -> str:
    """A cell in words: the state and its date, readable without the colour."""
    if check is None:
        return ""
    when = format_uk_date(check.expires_on) if check.expires_on else ""
    renewing = " (renewing)" if check.renewal_in_progress else ""
    state = check.state
    if state is State.VALID:
        return f"✓ {when}" if when else "✓ No expiry"
    if state is State.EXPIRING:
        return f"Expiring {when}{renewing}"
    if state is State.EXPIRED:
        return f"EXPIRED {when}".strip() + renewing
    if state is State.PENDING:
        since = format_uk_date(check.since) if check.since else ""
        if check.requirement.kind == "training":
            return f"Booked {since}".strip()
        return f"Pending since {since}" if since else "Pending"
    return state.label  # Refused, Missing


def _cell_key(check: Check) -> tuple:
    """Worst first, then by date: the problems of a column at the top."""
    return (SEVERITY[check.state], check.expires_on or check.since or date.max)


def _line_key(column: int):
    if column == NAME_COLUMN:
        return lambda ln: ln.sort_name
    if column == SOONEST_COLUMN:
        return lambda ln: ln.soonest
    i = column - FIXED
    return lambda ln: None if ln.cells[i] is None else _cell_key(ln.cells[i])


def sort_lines(
    lines: list[MatrixLine], sort: tuple[int, Qt.SortOrder], requirements: int
) -> list[MatrixLine]:
    """Lines in the order ``sort`` (column, order) asks, missing values last. Touches no
    Qt object: the page sorts a fresh load on the worker thread."""
    column, order = sort
    if column >= FIXED + requirements:
        column = SOONEST_COLUMN
    key = _line_key(column)
    keyed = [(key(ln), ln) for ln in lines]
    present = [(k, ln) for k, ln in keyed if k is not None]
    present.sort(key=lambda p: p[0], reverse=order == Qt.SortOrder.DescendingOrder)
    return [ln for _k, ln in present] + [ln for k, ln in keyed if k is None]


class MatrixModel(QAbstractTableModel):
    """The shown lines and columns; sorts itself in Python (no proxy model)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: list[Requirement] = []
        self.lines: list[MatrixLine] = []
        self._sort: tuple[int, Qt.SortOrder] = (SOONEST_COLUMN, Qt.SortOrder.AscendingOrder)

    def set_view(
        self, columns: list[Requirement], lines: list[MatrixLine], *, presorted: bool = False
    ) -> None:
        """Show these lines; ``presorted``: already in this model's order (sorted on the
        worker), which spares the GUI thread ~18 ms for 6,785 volunteers."""
        self.beginResetModel()
        self.columns = columns
        self.lines = list(lines) if presorted else self._sorted(lines)
        self.endResetModel()

    @property
    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    def line_at(self, row: int) -> MatrixLine:
        return self.lines[row]

    def check_at(self, index: QModelIndex) -> Check | None:
        if not index.isValid() or index.column() < FIXED:
            return None
        return self.lines[index.row()].cells[index.column() - FIXED]

    def requirement_at(self, column: int) -> Requirement | None:
        return self.columns[column - FIXED] if column >= FIXED else None

    # ----- sorting ---------------------------------------------------------------------
    def _sorted(self, lines: list[MatrixLine]) -> list[MatrixLine]:
        return sort_lines(lines, self._sort, len(self.columns))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._sort == (column, order) or column >= FIXED + len(self.columns) and self.columns:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self.lines = self._sorted(self.lines)
        self.layoutChanged.emit()

    # ----- the Qt model interface ------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else FIXED + len(self.columns)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == LINE_ROLE:
            return line
        if column == NAME_COLUMN:
            return line.name if role == Qt.ItemDataRole.DisplayRole else None
        if column == SOONEST_COLUMN:
            if role == Qt.ItemDataRole.DisplayRole:
                return format_uk_date(line.soonest) if line.soonest else ""
            return None
        check = line.cells[column - FIXED]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(check)
        if role == CHECK_ROLE:
            return check
        if check is None:
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return check.reason
        if role == Qt.ItemDataRole.BackgroundRole:
            return TINT.get(check.state)
        if role == Qt.ItemDataRole.FontRole and is_alarm(check):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section == NAME_COLUMN:
            title, tip = "Volunteer", "Sort by surname"
        elif section == SOONEST_COLUMN:
            title, tip = "Soonest\nexpiry", "The first date any of the volunteer's records lapses"
        elif section - FIXED < len(self.columns):
            title, tip = _requirement_header(self.columns[section - FIXED])
        else:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None


@functools.lru_cache(maxsize=256)
def _requirement_header(req: Requirement) -> tuple[str, str]:
    """A requirement's column title (wrapped on three lines at most) and tooltip: asked
    for on every repaint of the header, so made once."""
    advisory = "" if req.mandatory else " (advisory)"
    title = "\n".join(textwrap.wrap(req.name + advisory, 18)[:3])
    return title, f"{req.name}{advisory}: sort with problems first"


def open_record_dialog(
    parent: QWidget,
    db,
    bus,
    kind: str,
    volunteer_id: int,
    record_id: int | None,
    *,
    renew: bool = False,
    type_id: int | None = None,
    today: date | None = None,
) -> None:
    """Open the training or clearance dialog (modal) for a record, its renewal or a new one
    of ``type_id``; it saves and announces the change itself. ``today`` is the window's
    date, which the dialog judges dates by."""
    if kind == "training":
        from ..dialogs.training import TrainingDialog as Dialog
    else:
        from ..dialogs.clearance import ClearanceDialog as Dialog
    dialog = Dialog(
        db, bus, volunteer_id, record_id=record_id, renew=renew, today=today, parent=parent
    )
    if record_id is None and type_id is not None:  # a missing record: choose its type
        field = dialog.form.fields.get("course_id" if kind == "training" else "type_id")
        box = field.widget if field is not None else None
        if isinstance(box, QComboBox) and (i := box.findData(type_id)) >= 0:
            box.setCurrentIndex(i)
            box.activated.emit(i)  # as if chosen: the dialog fills in what follows from it
    dialog.exec()
