"""The A4 page every document shares, its styles, and helpers for safe text and tables.

Every page carries the organisation's name (and logo, when set), the protective marking
in the header and the footer, "Printed dd/mm/yyyy HH:MM by <user>" and "Page X of Y".
The page count is known only at the end, so the canvas keeps each page and draws the
footers when the document is saved (two passes over the pages, one over the story).

User text never reaches a Paragraph unescaped: ``para`` escapes it and gives each run
of script its font (see ``fonts``); tables are in ``table``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from ..settings import OrgSettings
from ..validation import format_uk_date
from .fonts import BASE, font_name, markup, register_fonts, text_width

MARGIN = 14 * mm
HEADER_HEIGHT = 19 * mm
FOOTER_HEIGHT = 11 * mm
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#52606D")
RULE = colors.HexColor("#9AA5B1")


@dataclass(frozen=True)
class Letterhead:
    """What every page of a document carries."""

    organisation: str
    logo_path: str
    marking: str
    printed_at: datetime
    username: str

    @classmethod
    def of(
        cls, settings: OrgSettings, username: str, printed_at: datetime | None = None
    ) -> Letterhead:
        return cls(
            organisation=settings.organisation_name.strip() or "VolunteerDesk",
            logo_path=settings.logo_path.strip(),
            marking=settings.protective_marking.strip(),
            printed_at=printed_at or datetime.now().replace(second=0, microsecond=0),
            username=username,
        )

    @property
    def printed(self) -> str:
        return f"Printed {format_uk_date(self.printed_at.date())} {self.printed_at:%H:%M} by {self.username}"


# ----- styles -----------------------------------------------------------------------------
def _style(name: str, size: float, bold: bool = False, **extra) -> ParagraphStyle:
    extra.setdefault("textColor", INK)
    return ParagraphStyle(
        name, fontName=font_name(BASE, bold), fontSize=size, leading=round(size * 1.25, 1), **extra
    )


register_fonts()
STYLES: dict[str, ParagraphStyle] = {
    "title": _style("title", 16, True, spaceAfter=2),
    "subtitle": _style("subtitle", 10.5, textColor=MUTED, spaceAfter=8),
    "h2": _style("h2", 12, True, spaceBefore=10, spaceAfter=4),
    "h3": _style("h3", 10, True, spaceBefore=6, spaceAfter=3),
    "body": _style("body", 10, spaceAfter=5),
    "small": _style("small", 8.5, textColor=MUTED, spaceAfter=3),
    "cell": _style("cell", 8),
    "cell_bold": _style("cell_bold", 8, True),
    "head": _style("head", 8, True),
    "big_cell": _style("big_cell", 10),
    "big_cell_bold": _style("big_cell_bold", 10, True),
    "header_org": _style("header_org", 11, True),
    "header_title": _style("header_title", 8, textColor=MUTED, alignment=TA_RIGHT),
    "centre": _style("centre", 8, alignment=TA_CENTER),
}
_shaped: dict[str, ParagraphStyle] = {}


def _shaping(style: ParagraphStyle) -> ParagraphStyle:
    found = _shaped.get(style.name)
    if found is None:
        found = _shaped[style.name] = ParagraphStyle(f"{style.name}-shaped", parent=style)
        found.shaping = 1
    return found


def para(text: object, style: str | ParagraphStyle = "body") -> Paragraph:
    """A Paragraph of user text, printed exactly as typed (escaped, fonts per script)."""
    st = STYLES[style] if isinstance(style, str) else style
    m = markup("" if text is None else str(text), bold=st.fontName.endswith("-Bold"))
    return Paragraph(m.text, _shaping(st) if m.shaping else st)


def rich(html: str, style: str | ParagraphStyle = "body") -> Paragraph:
    """A Paragraph of the program's own markup, with user parts already passed through
    ``safe``; never give it user text directly."""
    st = STYLES[style] if isinstance(style, str) else style
    return Paragraph(html, _shaping(st) if "<font name=" in html else st)


def safe(text: object, bold: bool = False) -> str:
    """User text as markup to put inside ``rich``: escaped, fonts per script."""
    return markup("" if text is None else str(text), bold=bold).text


# ----- tables ---------------------------------------------------------------------------
_cell_cache: dict[object, ParagraphStyle] = {}


def cell_style(size: float, bold: bool = False) -> ParagraphStyle:
    """The Paragraph style of a table cell of ``size`` points."""
    key = (size, bold)
    if key not in _cell_cache:
        _cell_cache[key] = ParagraphStyle(
            f"cell{size}{'b' if bold else ''}",
            parent=STYLES["cell"],
            fontName=font_name(BASE, bold),
            fontSize=size,
            leading=round(size * 1.2, 2),
        )
    return _cell_cache[key]


def column_widths(total: float, weights: Sequence[float]) -> list[float]:
    """Split ``total`` points in proportion to ``weights``."""
    whole = sum(weights)
    return [total * w / whole for w in weights]


# ----- the page ---------------------------------------------------------------------------
class _NumberedCanvas(Canvas):
    """Keeps every page until the end, then stamps "Page X of Y" on each."""

    def __init__(self, *args, letterhead: Letterhead, **kwargs):
        super().__init__(*args, **kwargs)
        self._letterhead = letterhead
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._stamp(number, total)
            super().showPage()
        super().save()

    def _stamp(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(BASE, 8)
        self.setFillColor(MUTED)
        self.drawRightString(width - MARGIN, 7 * mm, f"Page {number} of {total}")
        self.restoreState()


class _PageDecor:
    """Draws the header and footer of each page; the organisation's name and the running
    title are laid out once per document, not once per page."""

    def __init__(self, letterhead: Letterhead, title: str):
        self.letterhead, self.title = letterhead, title
        self._laid: tuple | None = None

    def _layout(self, width: float, x: float):
        """The organisation's name takes the width it needs (up to 60% of the line); the
        running title, smaller, the rest; either wraps rather than overlap."""
        inner = width - 2 * MARGIN - (x - MARGIN)
        org = para(self.letterhead.organisation, "header_org")
        style = STYLES["header_org"]
        natural = text_width(self.letterhead.organisation, style.fontSize, bold=True)
        left = min(inner * 0.6, natural + 2)
        org.wrap(left, 20 * mm)
        right = inner - left - 6 * mm
        title = para(self.title, "header_title")
        title.wrap(right, 20 * mm)
        return org, title, right

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        letterhead = self.letterhead
        width, height = doc.pagesize
        canvas.saveState()
        top = height - 8 * mm
        rule_y = height - HEADER_HEIGHT + 2
        if letterhead.marking:
            canvas.setFont(font_name(BASE, True), 9)
            canvas.setFillColor(INK)
            canvas.drawCentredString(width / 2, top, letterhead.marking)
        x = MARGIN
        logo = _logo(letterhead.logo_path)
        if logo is not None:
            w, h = logo.getSize()
            draw_h = 9 * mm
            draw_w = min(w * draw_h / h, 40 * mm)
            canvas.drawImage(
                logo,
                x,
                rule_y + 1.5 * mm,
                draw_w,
                draw_h,
                mask="auto",
                preserveAspectRatio=True,
                anchor="sw",
            )
            x += draw_w + 3 * mm
        if self._laid is None:
            self._laid = self._layout(width, x)
        org, title, right = self._laid
        org.drawOn(canvas, x, rule_y + 1.5 * mm)
        title.drawOn(canvas, width - MARGIN - right, rule_y + 1.5 * mm)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, rule_y, width - MARGIN, rule_y)
        canvas.line(MARGIN, FOOTER_HEIGHT, width - MARGIN, FOOTER_HEIGHT)
        canvas.setFont(BASE, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 7 * mm, letterhead.printed)
        if letterhead.marking:
            canvas.setFont(font_name(BASE, True), 9)
            canvas.setFillColor(INK)
            canvas.drawCentredString(width / 2, 7 * mm, letterhead.marking)
        canvas.restoreState()


_logo_cache: dict[str, ImageReader | None] = {}


def _logo(path: str) -> ImageReader | None:
    """The logo, or None when unset or unreadable (the name alone is printed then)."""
    if not path:
        return None
    if path not in _logo_cache:
        try:
            reader = ImageReader(str(Path(path).expanduser()))
            reader.getSize()
        except Exception:  # noqa: BLE001 - any unreadable file: print without it
            reader = None
        _logo_cache[path] = reader
    return _logo_cache[path]


def page_size(wide: bool = False) -> tuple[float, float]:
    return landscape(A4) if wide else A4


def frame_width(wide: bool = False) -> float:
    return page_size(wide)[0] - 2 * MARGIN


def frame_height(wide: bool = False) -> float:
    return page_size(wide)[1] - HEADER_HEIGHT - FOOTER_HEIGHT - 6 * mm


def render(
    story: list[Flowable],
    *,
    title: str,
    letterhead: Letterhead,
    out_path: str | Path | None = None,
    wide: bool = False,
) -> Path | bytes:
    """Lay ``story`` out on A4 pages (landscape when ``wide``); write ``out_path`` and
    return it, or return the PDF's bytes when no path is given."""
    size = page_size(wide)
    target: io.BytesIO | str = io.BytesIO() if out_path is None else str(out_path)
    doc = BaseDocTemplate(
        target,
        pagesize=size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=HEADER_HEIGHT + 3 * mm,
        bottomMargin=FOOTER_HEIGHT + 3 * mm,
        title=title,
        author=letterhead.organisation,
        subject=letterhead.marking,
        creator="VolunteerDesk",
        initialFontName=BASE,
        initialFontSize=10,
        invariant=1,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                id="page",
                frames=[frame],
                onPage=_PageDecor(letterhead, title),
                pagesize=size,
            )
        ]
    )
    # Binary (deflated) page streams rather than ASCII85 text: a quarter smaller, and
    # reportlab's pure-Python ASCII85 encoder took a tenth of a large report's time.
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story, canvasmaker=partial(_NumberedCanvas, letterhead=letterhead))
    finally:
        rl_config.useA85 = a85
    if out_path is None:
        assert isinstance(target, io.BytesIO)
        return target.getvalue()
    return Path(out_path)


class RuledLines(Flowable):
    """Lines to write on, filling the rest of the frame (at least ``minimum`` of them)."""

    def __init__(self, spacing: float = 8 * mm, minimum: int = 3, maximum: int = 40):
        super().__init__()
        self.spacing, self.minimum, self.maximum = spacing, minimum, maximum
        self._count = minimum

    def wrap(self, avail_width, avail_height):  # noqa: D102 - reportlab's protocol
        self.width = avail_width
        fits = int((avail_height - 2 * mm) // self.spacing)  # clear of the footer
        self._count = min(self.maximum, max(self.minimum, fits))
        self.height = self._count * self.spacing
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        for i in range(self._count):
            y = self.height - (i + 1) * self.spacing
            canvas.line(0, y, self.width, y)
