"""Starting the application: start-and-exit for CI and benchmarks, and a refused file.

``run`` is tested in a fresh interpreter, exactly as CI and the benchmarks start it:
after ``QApplication.exec()`` has returned, the shared test QApplication stops
delivering queued signals from worker threads, which would break the tests after it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from volunteerdesk.ui import app

SCRIPT = (
    "import sys\n"
    "from volunteerdesk.ui.app import run\n"
    "code = run(sys.argv[1])\n"
    "from PySide6.QtWidgets import QApplication\n"
    "a = QApplication.instance()\n"
    "print('NAMES', a.applicationName(), a.organizationName())\n"
    "sys.exit(code)\n"
)


def start(target: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(target)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_run_shows_window_prints_mark_and_quits(tmp_path):
    path = tmp_path / "new.db"
    done = start(path, **{app.QUIT_AFTER_ENV: "1500", app.STARTUP_MARK_ENV: "1"})
    assert done.returncode == 0, done.stderr
    assert re.search(r"^STARTUP-READY \d+\.\d+$", done.stdout, re.MULTILINE), done.stdout
    assert "NAMES VolunteerDesk VolunteerDesk" in done.stdout
    assert path.exists()


def test_run_without_mark_prints_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(app.STARTUP_MARK_ENV, raising=False)
    done = start(tmp_path / "quiet.db", **{app.QUIT_AFTER_ENV: "300"})
    assert done.returncode == 0, done.stderr
    assert "STARTUP-READY" not in done.stdout


def test_run_refuses_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database, just some notes\n" * 20)
    before = path.read_bytes()
    done = start(path, **{app.QUIT_AFTER_ENV: "100"})
    assert done.returncode == 2
    assert "not a VolunteerDesk database" in done.stderr
    assert path.read_bytes() == before
