"""Plain `volunteerdesk` starts the window without loading the command line's modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from volunteerdesk.launch import _NOT_GUI, gui_target


@pytest.mark.parametrize(
    ("args", "target"),
    [
        ([], None),
        (["--db", "x.db"], "x.db"),
        (["--db=x.db"], "x.db"),
        (["--db", "x.db", "gui"], "x.db"),
        (["gui"], None),
    ],
)
def test_window_starts_are_recognised(args, target, monkeypatch):
    monkeypatch.delenv("VOLUNTEERDESK_DB", raising=False)
    assert gui_target(args) == target


@pytest.mark.parametrize(
    "args", [["--version"], ["--help"], ["demo"], ["--db", "x.db", "check"], ["--db"]]
)
def test_everything_else_is_a_command(args):
    assert gui_target(args) is _NOT_GUI


def test_the_window_path_does_not_import_sqlalchemy_before_showing():
    """What start-up imports before the window is on screen: no database libraries."""
    code = (
        "import sys, volunteerdesk.launch, volunteerdesk.ui.app, volunteerdesk.ui.main_window\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'reportlab', 'openpyxl',"
        " 'volunteerdesk.cli') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
