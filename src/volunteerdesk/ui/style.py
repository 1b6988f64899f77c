"""The application's small style sheet and dark palette: colours only as an aid.

Colours come from the palette wherever text sits on them, so the window stays readable
in a dark palette; the navigation has its own fixed dark scheme in both.
"""

from PySide6.QtGui import QColor, QPalette

STYLE_SHEET = """
QListWidget#navigation {
    border: none;
    background: #24313f;
    color: #e8edf2;
    font-size: 11pt;
    padding-top: 8px;
    outline: 0;
}
QListWidget#navigation::item { padding: 9px 16px; }
QListWidget#navigation::item:selected { background: #3d6b99; color: white; }
QListWidget#navigation::item:hover:!selected { background: #2f4052; }
QLabel#pageHeading { font-size: 16pt; font-weight: 600; padding-bottom: 2px; }
QLabel#sectionHeading { font-size: 11pt; font-weight: 600; }
QLabel#note { color: palette(placeholder-text); }
QLabel#errorText { color: #9b1c1c; font-weight: 600; }
QFrame#tile, QFrame#card {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 6px;
}
QFrame#tile[attention="true"] {
    border-left: 5px solid #c77700;
    border-top-left-radius: 0;
    border-bottom-left-radius: 0;
}
QLabel#tileValue { font-size: 26pt; font-weight: 600; color: palette(text); }
QLabel#tileCaption { font-size: 11pt; font-weight: 600; }
QLabel#tileHint { color: palette(placeholder-text); }
QLabel#cardTitle { font-size: 11pt; font-weight: 600; }
QLabel#cardCoverage { color: palette(link); }
QListWidget#siteList { outline: 0; }
QListWidget#siteList::item { padding: 6px 4px; border-bottom: 1px solid palette(midlight); color: palette(text); }
QListWidget#siteList::item:selected { background: palette(highlight); color: palette(highlighted-text); }
QStatusBar QLabel { padding: 0 8px; }
"""


def dark_palette() -> QPalette:
    """A dark palette for people who work in one (and to check we stay readable in it)."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#1f2328",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#2a2f36",
        QPalette.ColorRole.AlternateBase: "#323841",
        QPalette.ColorRole.Text: "#ececec",
        QPalette.ColorRole.Button: "#2f353d",
        QPalette.ColorRole.ButtonText: "#ececec",
        QPalette.ColorRole.Highlight: "#3d6b99",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2a2f36",
        QPalette.ColorRole.ToolTipText: "#ececec",
        QPalette.ColorRole.PlaceholderText: "#a0a8b0",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.Mid: "#4a525c",
        QPalette.ColorRole.Midlight: "#3a414a",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(disabled, role, QColor("#6f7780"))
    palette.setColor(disabled, QPalette.ColorRole.Button, QColor("#262b31"))
    return palette
