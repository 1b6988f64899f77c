"""Benchmarks on the national demo, printed as a table beside the budgets in DESIGN.md.

    uv run python bench/run.py            # builds bench/results/national.db once, then measures
    uv run python bench/run.py --rebuild  # rebuild the national demo first
    uv run python bench/run.py --json     # machine-readable figures

Each benchmark is a function returning (figure, unit, budget, note); the table is the
one place to read them. Start-up is measured in fresh processes, as a user starts it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
NATIONAL = RESULTS / "national.db"

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("bare")); w.resize(1280, 800); w.show()
def ready():
    print("STARTUP-READY", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    budget: str
    ok: bool | None
    note: str = ""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["VOLUNTEERDESK_HOME"] = str(RESULTS / "home")
    return env


def _time_until_ready(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``cmd`` until it prints STARTUP-READY."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("STARTUP-READY"):
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{cmd} never became ready: {proc.stderr.read() if proc.stderr else ''}")
    proc.terminate()  # the app stays open; the bare window quits by itself
    proc.wait(timeout=60)
    return elapsed


def build_national(rebuild: bool) -> Figure | None:
    if NATIONAL.exists() and not rebuild:
        return None
    RESULTS.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{NATIONAL}{suffix}").unlink(missing_ok=True)
    from volunteerdesk.core.db import open_database
    from volunteerdesk.core.demo import build_demo

    db = open_database(NATIONAL, username="bench")
    start = time.perf_counter()
    summary = build_demo(db, size="national", seed=1)
    seconds = time.perf_counter() - start
    db.dispose()
    note = f"{summary.volunteers} volunteers, {summary.shifts} shifts, {summary.assignments} assignments"
    return Figure("build national demo", seconds, "s", "< 60 s", seconds < 60, note)


def startup(runs: int) -> list[Figure]:
    env = _env()
    env["VOLUNTEERDESK_STARTUP_MARK"] = "1"
    app_cmd = [sys.executable, "-m", "volunteerdesk", "--db", str(NATIONAL)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    _time_until_ready(app_cmd, env)  # warm the file cache once, as a second start would be
    _time_until_ready(bare_cmd, env)
    app_times, bare_times = [], []
    for _ in range(runs):
        bare_times.append(_time_until_ready(bare_cmd, env))
        app_times.append(_time_until_ready(app_cmd, env))
    app, bare = statistics.median(app_times), statistics.median(bare_times)
    ratio = app / bare
    return [
        Figure("start to usable main window", app, "s", "< 1.5 s", app < 1.5, f"median of {runs}"),
        Figure("bare PySide6 window, same run", bare, "s", "-", None, f"median of {runs}"),
        Figure("start-up ratio to bare window", ratio, "x", "< 2x", ratio < 2),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the national demo")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of timed starts")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    figures: list[Figure] = []
    built = build_national(args.rebuild)
    if built:
        figures.append(built)
    figures += startup(args.runs)

    if args.json:
        print(json.dumps([asdict(f) for f in figures], indent=2))
        return 0
    print(f"{'benchmark':<36} {'figure':>10}  {'budget':<10} {'ok':<4} note")
    for f in figures:
        ok = "-" if f.ok is None else ("yes" if f.ok else "NO")
        print(f"{f.name:<36} {f.value:>8.3f} {f.unit:<1}  {f.budget:<10} {ok:<4} {f.note}")
    return 0 if all(f.ok is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
