"""The dashboard's column chart keeps its month labels apart on a narrow window."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

from volunteerdesk.ui.charts import Bar, ColumnChart

MONTHS = ["Nov\n2026", "Dec", "Jan\n2027", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug"]


def chart(qtbot, width: int) -> ColumnChart:
    made = ColumnChart("Expiries per month", "Nothing lapses")
    qtbot.addWidget(made)
    made.set_bars([Bar(m, n, str(n)) for n, m in enumerate(MONTHS, start=5)])
    made.resize(width, 200)
    made.grab()  # paints
    return made


def test_labels_keep_their_size_when_there_is_room(qtbot):
    wide = chart(qtbot, 700)
    font, every = wide._label_font(690 / len(MONTHS))
    assert every == 1
    assert font.pointSizeF() == wide.font().pointSizeF()


def test_narrow_labels_shrink_then_skip_but_never_overlap(qtbot):
    narrow = chart(qtbot, 260)
    slot = (260 - 2 * 8) / len(MONTHS)
    font, every = narrow._label_font(slot)
    assert font.pointSizeF() >= 6.5
    widest = max(QFontMetrics(font).horizontalAdvance(p) for m in MONTHS for p in m.split("\n"))
    # a label is written every `every` columns and has that many slots of room
    assert widest <= every * slot
    assert every == 2
