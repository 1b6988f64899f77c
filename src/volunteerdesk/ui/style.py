"""The application's small style sheet: spacing and emphasis, colours only as an aid."""

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
QLabel#note { color: #4a5560; }
QLabel#errorText { color: #9b1c1c; font-weight: 600; }
QFrame#tile, QFrame#card {
    background: white;
    border: 1px solid #d5dbe1;
    border-radius: 6px;
}
QFrame#tile[attention="true"] {
    border-left: 5px solid #c77700;
    border-top-left-radius: 0;
    border-bottom-left-radius: 0;
}
QLabel#tileValue { font-size: 26pt; font-weight: 600; color: #1d2b38; }
QLabel#tileCaption { font-size: 11pt; font-weight: 600; }
QLabel#tileHint { color: #5a6570; }
QLabel#cardTitle { font-size: 11pt; font-weight: 600; }
QLabel#cardCoverage { color: #1f4f7a; }
QListWidget#siteList { outline: 0; }
QListWidget#siteList::item { padding: 6px 4px; border-bottom: 1px solid #e4e8ec; color: black; }
QListWidget#siteList::item:selected { background: #3d6b99; color: white; }
QStatusBar QLabel { padding: 0 8px; }
"""
