"""The core is shared by the CLI, the window and the tests: it must never load Qt."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import volunteerdesk.core as core
for info in pkgutil.walk_packages(core.__path__, 'volunteerdesk.core.'):
    if info.name.endswith('.env'):
        continue  # the Alembic environment runs only inside Alembic
    importlib.import_module(info.name)
import volunteerdesk.cli
loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))
print(len([m for m in sys.modules if m.startswith('volunteerdesk.core')]))
print(','.join(loaded))
"""


def test_importing_every_core_module_loads_no_qt():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert int(out[0]) > 10, "the walk found too few core modules"
    assert out[1] == "", f"core imported Qt: {out[1]}"
