"""Tables for the documents: a header repeated on every page, text that wraps inside its
column and never overflows, and speed enough for 20,000 rows.

reportlab's own Table draws each cell in a state of its own, which made the national
clearance report (some 20,000 rows) take over ten seconds. ``RowTable`` measures every
row once, splits between pages by row (carrying the header to each page), and draws a
page's text with one text object. Plain text in the base font is wrapped here, by
words (breaking a word only when it is wider than its column); text in another script,
and any markup, is a Paragraph, which reportlab lays out and shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .fonts import BASE, font_name, is_simple
from .template import cell_style, para

PAD_X, PAD_TOP, PAD_BOTTOM = 3.0, 2.5, 3.0
INK = colors.HexColor("#1F2933")
RULE = colors.HexColor("#9AA5B1")
HEAD_BG = colors.HexColor("#D9E2EC")
ZEBRA = colors.HexColor("#F5F7FA")
SHADE = colors.HexColor("#EEF1F4")

Cell = str | Flowable | None


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    """String widths repeat (dates, states, codes): remember them."""
    return stringWidth(text, font, size)


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap of plain text; a word wider than ``width`` is broken by letters."""
    if "\n" not in text and _width(text, font, size) <= width:
        return [text]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, current_w = "", 0.0
        space = _width(" ", font, size)
        for word in paragraph.split():
            w = _width(word, font, size)
            if w > width:  # too long for any line: break it, after @ . - / if possible
                if current:
                    lines.append(current)
                pieces = _break_word(word, font, size, width)
                lines += pieces[:-1]
                current, current_w = pieces[-1], _width(pieces[-1], font, size)
                continue
            if not current:
                current, current_w = word, w
            elif current_w + space + w <= width:
                current, current_w = f"{current} {word}", current_w + space + w
            else:
                lines.append(current)
                current, current_w = word, w
        lines.append(current)
    return lines


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Pieces of a word too wide for its column: an email address breaks after its @ or
    a dot, a reference after a slash; otherwise between letters."""
    pieces = []
    while word and _width(word, font, size) > width:
        cut = 1
        while cut < len(word) and _width(word[: cut + 1], font, size) <= width:
            cut += 1
        soft = max(word.rfind(ch, 0, cut) for ch in "@.-/_")
        if soft > 0:
            cut = soft + 1
        pieces.append(word[:cut])
        word = word[cut:]
    return pieces + [word] if word else pieces or [""]


@dataclass
class _Laid:
    """A cell laid out: plain lines, or a flowable with its height."""

    lines: list[str] = field(default_factory=list)
    flowable: Flowable | None = None
    height: float = 0.0


@dataclass
class _Spec:
    widths: list[float]
    size: float
    leading: float
    bold_columns: frozenset[int]
    right_columns: frozenset[int]
    shade_columns: frozenset[int]
    zebra: bool
    grid: bool
    min_height: float
    header: list[_Laid] | None
    header_height: float


class RowTable(Flowable):
    """Rows of cells in fixed columns; splits between rows and repeats its header."""

    def __init__(
        self,
        spec: _Spec,
        rows: list[list[_Laid]],
        heights: list[float],
        groups: list[bool],
        first_index: int = 0,
    ):
        super().__init__()
        self.spec, self.rows, self.heights, self.groups = spec, rows, heights, groups
        self.first_index = first_index  # of the first row, for zebra striping across pages
        self.width = sum(spec.widths)
        self.height = spec.header_height + sum(heights)
        self.hAlign = "LEFT"

    # reportlab's flowable protocol
    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def split(self, avail_width, avail_height):
        room = avail_height - self.spec.header_height
        used, n = 0.0, 0
        for h in self.heights:
            if used + h > room:
                break
            used, n = used + h, n + 1
        if n == 0 or n == len(self.rows):
            return [] if n == 0 else [self]
        return [
            RowTable(self.spec, self.rows[:n], self.heights[:n], self.groups[:n], self.first_index),
            RowTable(
                self.spec,
                self.rows[n:],
                self.heights[n:],
                self.groups[n:],
                self.first_index + n,
            ),
        ]

    def draw(self):
        canvas, spec = self.canv, self.spec
        xs = [0.0]
        for w in spec.widths:
            xs.append(xs[-1] + w)
        tops = []  # the top of each row, header first, from the top of the table
        y = self.height
        if spec.header is not None:
            tops.append((y, spec.header_height, spec.header, True))
            y -= spec.header_height
        for row, h in zip(self.rows, self.heights, strict=True):
            tops.append((y, h, row, False))
            y -= h
        canvas.saveState()
        self._backgrounds(canvas, xs, tops)
        self._rules(canvas, xs, tops)
        self._text(canvas, xs, tops)
        canvas.restoreState()

    def _backgrounds(self, canvas, xs, tops):
        spec = self.spec
        canvas.setStrokeColor(colors.white)
        for i, (top, h, _row, is_header) in enumerate(tops):
            index = self.first_index + i - (1 if spec.header is not None else 0)
            if is_header:
                canvas.setFillColor(HEAD_BG)
                canvas.rect(0, top - h, self.width, h, stroke=0, fill=1)
                continue
            if spec.zebra and index % 2 == 1:
                canvas.setFillColor(ZEBRA)
                canvas.rect(0, top - h, self.width, h, stroke=0, fill=1)
            for col in spec.shade_columns:
                canvas.setFillColor(SHADE)
                canvas.rect(xs[col], top - h, xs[col + 1] - xs[col], h, stroke=0, fill=1)

    def _rules(self, canvas, xs, tops):
        spec = self.spec
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        bottom = tops[-1][0] - tops[-1][1]
        lines = []
        if spec.grid:
            lines += [(x, self.height, x, bottom) for x in xs]
            lines += [(0, top, self.width, top) for top, *_ in tops]
        else:
            body = tops[1:] if spec.header is not None else tops
            for i, (top, *_rest) in enumerate(body):
                if i > 0 and self.groups[i]:
                    lines.append((0, top, self.width, top))
        lines.append((0, bottom, self.width, bottom))
        canvas.lines(lines)
        if spec.header is not None:
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.8)
            below = self.height - spec.header_height
            canvas.line(0, below, self.width, below)

    def _text(self, canvas, xs, tops):
        """All the plain text of the chunk in one text object, a font at a time (each
        change of font costs reportlab a new encoding of the next string)."""
        spec = self.spec
        regular, bold = font_name(BASE), font_name(BASE, True)
        by_font: dict[str, list[tuple[float, float, str]]] = {regular: [], bold: []}
        flowables = []
        for top, h, row, is_header in tops:
            for col, cell in enumerate(row):
                x0, x1 = xs[col] + PAD_X, xs[col + 1] - PAD_X
                if cell.flowable is not None:
                    y = top - h + PAD_BOTTOM if is_header else top - PAD_TOP - cell.height
                    flowables.append((cell.flowable, x0, y))
                    continue
                if not cell.lines:
                    continue
                font = bold if (is_header or col in spec.bold_columns) else regular
                right = col in spec.right_columns and not is_header
                baseline = top - PAD_TOP - spec.size * 0.93
                if is_header:  # header text sits on the bottom of its row
                    baseline = top - h + PAD_BOTTOM + spec.leading * (len(cell.lines) - 1) + 2
                for line in cell.lines:
                    if line:
                        x = x1 - _width(line, font, spec.size) if right else x0
                        by_font[font].append((x, baseline, line))
                    baseline -= spec.leading
        text = canvas.beginText()
        text.setFillColor(INK)
        code = text._code
        # Strings already encoded for this document's font subsets (dates, states and
        # codes repeat on every page), kept on the canvas, which is one document's.
        known = canvas.__dict__.setdefault("_volunteerdesk_text", {})
        for font, placed in by_font.items():
            if not placed:
                continue
            text.setFont(font, spec.size, spec.leading)
            for x, y, line in placed:
                # What setTextOrigin and textOut do, without their bookkeeping (pure-
                # Python number formatting and a string width per call).
                code.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
                key = (font, text._curSubset, line)
                formatted = known.get(key)
                if formatted is None:
                    formatted = text._formatText(line)
                    if " Tf" not in formatted:  # no change of font subset inside
                        known[key] = formatted
                code.append(formatted)
        canvas.drawText(text)
        for flowable, x, y in flowables:
            flowable.drawOn(canvas, x, y)


def table(
    header: Sequence[Cell] | None,
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    size: float = 8,
    bold_columns: Sequence[int] = (),
    right_columns: Sequence[int] = (),
    shade_columns: Sequence[int] = (),
    zebra: bool = True,
    group_starts: Sequence[int] = (),
    grid: bool = False,
    min_row_height: float = 0.0,
    paragraph=None,
) -> RowTable:
    """A table whose header row repeats on every page and whose text never overflows.

    ``widths`` in points. Text cells are plain strings (wrapped here) unless they hold a
    script the base font cannot print, when ``paragraph(text, bold)`` makes them a
    Paragraph. ``group_starts`` are indexes into ``rows`` that begin a group: a rule is
    drawn above each. ``min_row_height`` gives rows room to write in.
    """
    leading = round(size * 1.2, 2)
    bold_set = frozenset(bold_columns)
    make = paragraph or (lambda text, bold: para(text, cell_style(size, bold)))

    empty = _Laid()
    known: dict[tuple[str, int, bool], _Laid] = {}  # plain text repeats: dates, states, codes

    def lay(value: Cell, col: int, is_header: bool) -> _Laid:
        if value is None or value == "":
            return empty
        inner = widths[col] - 2 * PAD_X
        if isinstance(value, Flowable):
            _w, h = value.wrap(inner, 10_000)
            return _Laid(flowable=value, height=h)
        text = str(value)
        bold = is_header or col in bold_set
        found = known.get((text, col, bold))
        if found is not None:
            return found
        if not is_simple(text):
            flowable = make(text, bold)
            _w, h = flowable.wrap(inner, 10_000)
            return _Laid(flowable=flowable, height=h)
        lines = wrap_words(text, font_name(BASE, bold), size, inner)
        found = known[(text, col, bold)] = _Laid(lines=lines, height=len(lines) * leading)
        return found

    def row_height(cells: list[_Laid], minimum: float) -> float:
        tallest = max((c.height for c in cells), default=0.0)
        return max(minimum, tallest + PAD_TOP + PAD_BOTTOM + (size * 0.2 if tallest else 0))

    laid_header = None
    header_height = 0.0
    if header is not None:
        laid_header = [lay(h, i, True) for i, h in enumerate(header)]
        header_height = row_height(laid_header, 0.0)
    spec = _Spec(
        widths=list(widths),
        size=size,
        leading=leading,
        bold_columns=bold_set,
        right_columns=frozenset(right_columns),
        shade_columns=frozenset(shade_columns),
        zebra=zebra and not grid and len(rows) > 2,
        grid=grid,
        min_height=min_row_height,
        header=laid_header,
        header_height=header_height,
    )
    laid = [[lay(v, i, False) for i, v in enumerate(row)] for row in rows]
    heights = [row_height(cells, min_row_height) for cells in laid]
    starts = set(group_starts)
    groups = [i in starts for i in range(len(laid))]
    return RowTable(spec, laid, heights, groups)
