"""The fonts every document embeds, and which one prints each run of text.

reportlab has no font fallback: a glyph missing from the chosen font prints as a box.
So every string is cut into runs by script and each run names its font: DejaVu Sans
for Latin, Greek and Cyrillic (and as the default), Noto Sans for Arabic, Devanagari
and Gurmukhi. A run in one of those scripts also needs shaping (uharfbuzz) to join
letters and place vowel signs, so paragraphs holding one are built with ``shaping=1``.

Neutral characters (spaces, digits, punctuation, joiners) join the run of the word
they sit in, so that every space-separated word is in one font: reportlab shapes a
word with the font of its first character.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..paths import resources_dir

BASE = "DejaVuSans"
ARABIC = "NotoSansArabic"
DEVANAGARI = "NotoSansDevanagari"
GURMUKHI = "NotoSansGurmukhi"

# family -> (regular file, bold file)
_FILES = {
    BASE: ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ARABIC: ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    DEVANAGARI: ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    GURMUKHI: ("NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf"),
}

# (first, last, family): the scripts DejaVu Sans cannot print well.
_RANGES = (
    (0x0600, 0x06FF, ARABIC),
    (0x0750, 0x077F, ARABIC),
    (0x0870, 0x08FF, ARABIC),
    (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
    (0x0900, 0x097F, DEVANAGARI),
    (0xA8E0, 0xA8FF, DEVANAGARI),
    (0x1CD0, 0x1CFF, DEVANAGARI),
    (0x0A00, 0x0A7F, GURMUKHI),
)
# Scripts written right to left: their words are printed in reverse order.
RTL = frozenset({ARABIC})

_registered = False


def font_name(family: str, bold: bool = False) -> str:
    return f"{family}-Bold" if bold else family


def register_fonts() -> None:
    """Register the shipped TTFs with reportlab, once per process (they are embedded,
    as subsets, in every PDF that uses them)."""
    global _registered
    if _registered:
        return
    _no_discretionary_ligatures()
    folder = resources_dir() / "fonts"
    for family, (regular, bold) in _FILES.items():
        pdfmetrics.registerFont(TTFont(family, str(folder / regular)))
        pdfmetrics.registerFont(TTFont(f"{family}-Bold", str(folder / bold)))
        pdfmetrics.registerFontFamily(
            family,
            normal=family,
            bold=f"{family}-Bold",
            italic=family,
            boldItalic=f"{family}-Bold",
        )
    _registered = True


def _no_discretionary_ligatures() -> None:
    """Shape without discretionary ligatures: with them on (reportlab's default) Noto
    Sans Arabic prints the name محمد as the honorific ligature ﷴ, with its vowel marks."""
    from reportlab.pdfbase import ttfonts

    shape = getattr(ttfonts, "shapeFragWord", None)
    defaults = getattr(shape, "__defaults__", None)
    if defaults and isinstance(defaults[0], dict):
        defaults[0]["dlig"] = False


@lru_cache(maxsize=4096)
def _script_of(ch: str) -> str | None:
    """The family a complex-script letter needs, BASE for other letters, None for a
    neutral character (space, digit, punctuation, joiner)."""
    code = ord(ch)
    for first, last, family in _RANGES:
        if first <= code <= last:
            return family
    category = unicodedata.category(ch)
    if category[0] in "LM" or category == "So":
        return BASE
    return None


@lru_cache(maxsize=16)
def _coverage(family: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(family).face.charToGlyph)


def _covered(family: str, word: str) -> bool:
    cover = _coverage(family)
    return all(ord(ch) in cover for ch in word)


def _word_runs(word: str, script: str) -> list[tuple[str, str]]:
    """The runs of one word (no spaces inside) whose strongest script is ``script``."""
    if script == BASE or _covered(script, word):
        return [(script, word)]
    if script in RTL and _covered(BASE, word):
        return [(BASE, word)]  # DejaVu Sans has Arabic too: one font keeps shaping right
    # Mixed letters or punctuation the script's font lacks: a run per font, with a space
    # between them. reportlab shapes a word in the font of its first letter, so a word
    # mixing fonts prints garbage; a space (the one break it knows) keeps each whole.
    cover = _coverage(script)
    out: list[tuple[str, str]] = []
    for ch in word:
        own = _script_of(ch)
        family = script if own == script or (own is None and ord(ch) in cover) else BASE
        if out and out[-1][0] == family:
            out[-1] = (family, out[-1][1] + ch)
        else:
            if out:
                out[-1] = (out[-1][0], out[-1][1] + " ")
            out.append((family, ch))
    return out


def _word_script(word: str) -> str:
    for ch in word:
        script = _script_of(ch)
        if script is not None and script != BASE:
            return script
    return BASE


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into runs of one font family each, as (family, text).

    Every space-separated word stays in one font where its font has all its characters
    (reportlab shapes a word with the font of its first character). A sequence of
    right-to-left words is put in visual order (the last word first), since reportlab's
    bidi support is not installed; HarfBuzz puts each word's letters in visual order.
    """
    words = text.split(" ")
    scripts = [_word_script(w) for w in words]
    i = 0
    while i < len(words):  # reverse each stretch of right-to-left words
        if scripts[i] in RTL:
            j = i
            while j + 1 < len(words) and scripts[j + 1] in RTL:
                j += 1
            words[i : j + 1] = reversed(words[i : j + 1])
            i = j + 1
        else:
            i += 1
    result: list[tuple[str, str]] = []
    for n, (word, script) in enumerate(zip(words, scripts, strict=True)):
        pieces = _word_runs(word, script) if word else [(BASE, "")]
        if n > 0:
            family, first = pieces[0]
            if result and result[-1][0] != family:
                result[-1] = (result[-1][0], result[-1][1] + " ")  # the space ends a run
            else:
                pieces[0] = (family, " " + first)
        for family, piece in pieces:
            if result and result[-1][0] == family:
                result[-1] = (family, result[-1][1] + piece)
            else:
                result.append((family, piece))
    return [(family, piece) for family, piece in result if piece]


@dataclass(frozen=True)
class Markup:
    """Paragraph markup for a user string: escaped, each run in its font."""

    text: str
    shaping: bool  # a run needs HarfBuzz: build the Paragraph with shaping=1
    simple: bool  # one run in the base font: a plain string could print it


def is_simple(text: str) -> bool:
    """True when ``text`` prints in the base font alone (no complex script in it)."""
    return text.isascii() or all(_script_of(ch) in (None, BASE) for ch in text)


def markup(text: str, bold: bool = False) -> Markup:
    """Escaped paragraph markup for ``text`` with a <font> tag on each non-base run.

    Runs in the base font carry no tag: they take the paragraph style's own font
    (regular or bold). Newlines become line breaks.
    """
    text = str(text)
    if is_simple(text):
        return Markup(_escape_lines(text), False, "\n" not in text)
    parts = []
    for family, piece in runs(text):
        escaped = _escape_lines(piece)
        if family == BASE:
            parts.append(escaped)
        else:
            parts.append(f'<font name="{font_name(family, bold)}">{escaped}</font>')
    return Markup("".join(parts), True, False)


def _escape_lines(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.split("\n"))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` on one line, each run in its font (before shaping, which
    rarely widens a word)."""
    register_fonts()
    return sum(
        pdfmetrics.stringWidth(piece, font_name(family, bold), size) for family, piece in runs(text)
    )
