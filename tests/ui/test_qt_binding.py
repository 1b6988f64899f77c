"""Guards against a Qt binding that would crash a long session."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit


def test_calls_returning_nothing_do_not_leak_references_to_none(qtbot):
    # PySide6 6.12.0 took one reference off None per such call; on Python 3.11 a long
    # session then dies with "Fatal Python error: none_dealloc".
    edit = QLineEdit()
    qtbot.addWidget(edit)
    before = sys.getrefcount(None)
    for _ in range(500):
        edit.update()
    assert sys.getrefcount(None) >= before - 50
