"""The shared table model: Python-side sorting and filtering over rows of dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt

from volunteerdesk.ui.table_model import ROW_ROLE, Column, RowTableModel, format_value


@dataclass(frozen=True)
class Row:
    name: str
    town: str
    due: date | None
    count: int


ROWS = [
    Row("Zoë Adams", "Leeds", date(2026, 5, 1), 3),
    Row("ben brown", "", None, 10),
    Row("Amir Chaudhry", "Bradford", date(2025, 1, 9), 2),
]
COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Town", lambda r: r.town),
    Column("Due", lambda r: r.due),
    Column("Count", lambda r: r.count, align_right=True),
]


def make() -> RowTableModel:
    model = RowTableModel(COLUMNS, search_text=lambda r: f"{r.name} {r.town}")
    model.set_rows(ROWS)
    return model


def names(model: RowTableModel) -> list[str]:
    return [model.row_at(i).name for i in range(model.rowCount())]


def test_display_alignment_and_row_role():
    model = make()
    assert model.columnCount() == 4 and model.rowCount() == 3
    assert model.index(0, 2).data() == "01 May 2026"
    assert model.index(1, 2).data() == ""
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Count"
    align = Qt.AlignmentFlag(model.index(0, 3).data(Qt.ItemDataRole.TextAlignmentRole))
    assert align & Qt.AlignmentFlag.AlignRight
    assert model.index(2, 0).data(ROW_ROLE) is ROWS[2]


def test_sort_ignores_case_and_puts_missing_last_both_ways():
    model = make()
    model.sort(0)
    assert names(model) == ["Amir Chaudhry", "ben brown", "Zoë Adams"]
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert names(model)[-1] == "ben brown"
    model.sort(2, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["Zoë Adams", "Amir Chaudhry", "ben brown"]
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(i).count for i in range(3)] == [10, 3, 2]


def test_filter_text_every_word_any_order_and_sort_kept():
    model = make()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_filter_text("b")
    assert names(model) == ["ben brown", "Amir Chaudhry"]  # "Bradford" matches too
    model.set_filter_text("  BRAD   amir ")
    assert names(model) == ["Amir Chaudhry"]
    model.set_filter_text("zoë")
    assert names(model) == ["Zoë Adams"]
    assert (model.shown_count, model.total_count) == (1, 3)
    model.set_filter_text("")
    assert model.rowCount() == 3


def test_row_filter_combines_with_text():
    model = make()
    model.set_row_filter(lambda r: r.count > 2)
    assert sorted(names(model)) == ["Zoë Adams", "ben brown"]
    model.set_filter_text("adams")
    assert names(model) == ["Zoë Adams"]
    model.set_row_filter(None)
    model.set_filter_text("")
    assert model.rowCount() == 3


def test_set_rows_keeps_the_sort():
    model = make()
    model.sort(3)
    model.set_rows([*ROWS, Row("Cy", "York", None, 1)])
    assert names(model)[0] == "Cy"


def test_format_value():
    assert format_value(True) == "Yes" and format_value(False) == ""
    assert format_value(None) == ""
    assert format_value(7) == "7"


def test_bold_cells_only_where_the_column_says():
    columns = [*COLUMNS[:2], Column("Due", lambda r: r.due, bold=lambda r: r.count > 5)]
    model = RowTableModel(columns)
    model.set_rows(ROWS)
    font_role = Qt.ItemDataRole.FontRole
    fonts = [model.index(i, 2).data(font_role) for i in range(3)]
    assert fonts[0] is None and fonts[2] is None
    assert fonts[1].bold()  # ben brown: 10
    assert all(model.index(i, 0).data(font_role) is None for i in range(3))
    model.sort(2)  # the emphasis follows its row when sorted
    bold_rows = [model.row_at(i).name for i in range(3) if model.index(i, 2).data(font_role)]
    assert bold_rows == ["ben brown"]
    assert make().index(0, 0).data(font_role) is None  # a model without the hook
