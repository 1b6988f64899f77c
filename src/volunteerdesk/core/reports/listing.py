"""Any list on screen, printed: a title, a few figures, and the rows as they are shown.

The window's pages print what they show through this (the dashboard's tiles and the list
behind the chosen one, a filtered volunteer list, the compliance matrix as filtered): the
caller passes the column titles and the rows' text exactly as on screen, so the paper
matches the screen. Widths follow the longest text in each column (within limits), long
values wrap, and the header repeats on every page. Landscape when there are many columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..settings import OrgSettings
from .fonts import text_width
from .table import table
from .template import Letterhead, frame_width, para, render

WIDE_FROM_COLUMNS = 7
SIZE = 8


def _weights(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[float]:
    """Each column's natural width (header or longest of the first 200 rows), capped."""
    weights = []
    for col, title in enumerate(header):
        longest = text_width(str(title), SIZE, bold=True)
        for row in rows[:200]:
            text = str(row[col]) if col < len(row) and row[col] is not None else ""
            for line in text.splitlines() or [""]:
                longest = max(longest, text_width(line, SIZE))
        weights.append(min(max(longest, 30.0), 220.0) + 8)
    return weights


def build_listing(
    *,
    title: str,
    subtitle: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    settings: OrgSettings,
    username: str,
    figures: Sequence[tuple[str, str]] = (),
    note: str = "",
    out_path: str | Path | None = None,
    printed_at: datetime | None = None,
) -> Path | bytes:
    """A PDF of one list. ``figures``: (label, value) pairs printed above it."""
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    wide = len(header) >= WIDE_FROM_COLUMNS
    width = frame_width(wide)
    story = [para(title, "title"), para(subtitle, "subtitle")]
    if figures:
        story.append(
            table(
                None,
                [[value, label] for label, value in figures],
                [60, width - 60],
                size=9,
                bold_columns=[0],
                right_columns=[0],
                zebra=False,
            )
        )
    if note:
        story.append(para(note, "small"))
    if text_rows:
        weights = _weights(header, text_rows)
        total = sum(weights)
        widths = [width * w / total for w in weights]
        story.append(table(list(header), text_rows, widths, size=SIZE))
    else:
        story.append(para("Nothing to list.", "body"))
    return render(
        story,
        title=title,
        letterhead=Letterhead.of(settings, username, printed_at),
        out_path=out_path,
        wide=wide,
    )
