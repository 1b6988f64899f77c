"""Every benchmark on the national demo, printed as one table beside the budgets.

    uv run python bench/run.py                  # builds bench/results/national.db once
    uv run python bench/run.py --rebuild        # rebuild the national demo first
    uv run python bench/run.py --only build     # time a build into a temporary file
    uv run python bench/run.py --postgres URL   # the database figures on PostgreSQL too
    uv run python bench/run.py --only compliance,autofill --json

Start-up is measured in fresh processes, as a user starts it, beside a bare PySide6
window started in the same run; peak memory is the resident high-water mark of the
program on the national demo (the window with its first page) and of this process.
The other modules (bench/*.py) each have ``run(db) -> list[dict]`` and run alone too.
Building the national demo is timed whenever it happens and kept in
bench/results/national.json; a run that does not build shows the time recorded there.
Exit status 1 when any figure misses its budget.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
NATIONAL = RESULTS / "national.db"
BUILD_RECORD = RESULTS / "national.json"  # the last build's time, for runs that do not build
BUILD_BUDGET = 60.0  # seconds

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


def _time_until_ready(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning ``cmd`` until it prints WINDOW-SHOWN (the window on screen,
    taking input) and until STARTUP-READY (its first page showing the data)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    shown = None
    for line in proc.stdout:
        if line.startswith("WINDOW-SHOWN"):
            shown = time.perf_counter() - start
        if line.startswith("STARTUP-READY"):
            ready = time.perf_counter() - start
            break
    else:
        raise RuntimeError(f"{cmd} never became ready: {proc.stderr.read() if proc.stderr else ''}")
    proc.terminate()  # the app stays open; the bare window quits by itself
    proc.wait(timeout=60)
    return (shown if shown is not None else ready), ready


def _build(path: Path) -> Figure:
    """Build the national demo into ``path`` (a new file), timed; recorded in
    national.json for later runs."""
    from volunteerdesk.core.db import open_database
    from volunteerdesk.core.demo import build_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path, username="bench")
    start = time.perf_counter()
    summary = build_demo(db, size="national", seed=1)
    seconds = time.perf_counter() - start
    db.dispose()
    note = f"{summary.volunteers} volunteers, {summary.shifts} shifts, {summary.assignments} assignments"
    into = path.name if path.parent == RESULTS else "a temporary file"
    record = {
        "seconds": round(seconds, 3),
        "built": datetime.now().isoformat(timespec="seconds"),
        "into": into,
        "note": note,
    }
    BUILD_RECORD.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return Figure(
        "build national demo", seconds, "s", f"< {BUILD_BUDGET:.0f} s", seconds < BUILD_BUDGET,
        f"{note}; into {into}",
    )  # fmt: skip


def build_national(rebuild: bool) -> Figure | None:
    """Build bench/results/national.db when it is missing or ``rebuild``; else None."""
    if NATIONAL.exists() and not rebuild:
        return None
    RESULTS.mkdir(parents=True, exist_ok=True)
    return _build(NATIONAL)


def build_timed() -> Figure:
    """``--only build``: a fresh build into a temporary file beside the results, so the
    benchmarks' national.db is left as it is."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="build-", dir=RESULTS) as folder:
        return _build(Path(folder) / "national.db")


def recorded_build() -> Figure | None:
    """The build time national.json holds (runs that do not build say where it came from);
    None when no build was recorded."""
    try:
        record = json.loads(BUILD_RECORD.read_text(encoding="utf-8"))
        seconds = float(record["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Figure(
        "build national demo", seconds, "s", f"< {BUILD_BUDGET:.0f} s", seconds < BUILD_BUDGET,
        f"not rebuilt: recorded in {BUILD_RECORD.relative_to(HERE.parent)} on "
        f"{record.get('built', '?')}, into {record.get('into', '?')}",
    )  # fmt: skip


def startup(runs: int) -> list[Figure]:
    env = _env()
    env["VOLUNTEERDESK_STARTUP_MARK"] = "1"
    env["VOLUNTEERDESK_NO_WEEK_SUMMARY"] = "1"
    app_cmd = [sys.executable, "-m", "volunteerdesk", "--db", str(NATIONAL)]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    _time_until_ready(app_cmd, env)  # warm the file cache once, as a second start would be
    _time_until_ready(bare_cmd, env)
    shown_times, ready_times, bare_times = [], [], []
    for _ in range(runs):
        bare_times.append(_time_until_ready(bare_cmd, env)[1])
        shown, ready = _time_until_ready(app_cmd, env)
        shown_times.append(shown)
        ready_times.append(ready)
    shown = statistics.median(shown_times)
    ready = statistics.median(ready_times)
    bare = statistics.median(bare_times)
    ratio = shown / bare
    return [
        Figure(
            "start to usable main window", shown, "s", "< 1.5 s", shown < 1.5,
            f"window on screen, responsive; median of {runs}",
        ),
        Figure("bare PySide6 window, same run", bare, "s", "-", None, f"median of {runs}"),
        Figure("start-up ratio to bare window", ratio, "x", "< 2x", ratio < 2),
        Figure(
            "start to dashboard figures shown", ready, "s", "-", None,
            "database opened and first page loaded, while the window is up",
        ),
    ]  # fmt: skip


EVERY_PAGE = """
import resource, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from volunteerdesk.core.db import open_database
from volunteerdesk.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
window = MainWindow(open_database(sys.argv[1]), offer_demo=False)
window.resize(1280, 800)
window.show()
todo = list(range(len(window.pages)))
import time
stall = {"last": None, "worst": 0.0, "where": ""}
def tick():
    now = time.perf_counter()
    if stall["last"] is None:  # the window's first showing is start-up, measured apart
        stall["last"] = now
        return
    gap = now - stall["last"]
    if gap > stall["worst"]:
        stall["worst"], stall["where"] = gap, type(window.stack.currentWidget()).__name__
    stall["last"] = now
heartbeat = QTimer()
heartbeat.timeout.connect(tick)
heartbeat.start(5)
def step():
    page = window.stack.currentWidget()
    if not getattr(page, "is_loaded", True) or window.ops.pending:
        QTimer.singleShot(100, step)
        return
    if todo:
        window.show_page(todo.pop(0))
        QTimer.singleShot(100, step)
        return
    print("PEAK-KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    print("STALL-MS", round(stall["worst"] * 1000, 1), stall["where"], flush=True)
    app.quit()
QTimer.singleShot(0, step)
app.exec()
"""


def every_page() -> list[Figure]:
    """The window on the national demo, visiting every page until it has loaded: the
    peak memory, and the longest the GUI thread went without handling its events (a
    5 ms heartbeat timer; the gap includes painting the page shown)."""
    env = _env()
    env["VOLUNTEERDESK_NO_WEEK_SUMMARY"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", EVERY_PAGE, str(NATIONAL)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("PEAK-KB")), None)
    if line is None:
        raise RuntimeError(f"the memory run failed: {done.stderr[-2000:]}")
    mb = int(line.split()[1]) / 1024  # kilobytes on Linux
    stall = next(ln for ln in done.stdout.splitlines() if ln.startswith("STALL-MS")).split()
    ms = float(stall[1])
    return [
        Figure(
            "peak memory, national data open",
            mb,
            "MB",
            "< 400 MB",
            mb < 400,
            "window after visiting every page",
        ),
        Figure(
            "longest GUI-thread stall",
            ms,
            "ms",
            "< 50 ms",
            ms < 50,
            f"visiting every page; worst on {stall[2] if len(stall) > 2 else '?'}",
        ),
    ]


def own_peak_memory() -> Figure:
    import resource

    mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figure("peak memory, this benchmark run", mb, "MB", "-", None, "all in-process figures")


MODULES = ("volunteer_search", "compliance", "autofill", "reports", "importing")
ON_SERVER = ("compliance", "autofill", "reports")  # what reads the database heavily


def module_figures(name: str, target: str, label: str = "") -> list[Figure]:
    import importlib

    sys.path.insert(0, str(HERE))
    module = importlib.import_module(name)
    found = []
    for item in module.run(target):
        found.append(
            Figure(
                item["name"] + label,
                float(item["value"]),
                item["unit"],
                str(item.get("budget", "-")),
                item.get("ok"),
                item.get("note", ""),
            )
        )
    return found


def ensure_server_demo(url: str) -> None:
    """Build the national demo on the server once (an empty database only)."""
    from volunteerdesk.core.db import open_database
    from volunteerdesk.core.demo import build_demo
    from volunteerdesk.core.models import Volunteer

    db = open_database(url, username="bench")
    try:
        with db.uow() as session:
            if session.query(Volunteer.id).limit(1).first() is not None:
                return
        print("Building the national demo on PostgreSQL (once)...", file=sys.stderr)
        build_demo(db, size="national", seed=1)
    finally:
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the national demo")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of timed starts")
    parser.add_argument("--postgres", metavar="URL", help="also measure on this server")
    parser.add_argument(
        "--only",
        help="comma-separated: build,startup,memory," + ",".join(MODULES),
        default="",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    wanted = {w.strip() for w in args.only.split(",") if w.strip()} or {
        "startup",
        "memory",
        *MODULES,
    }

    unknown = wanted - {"build", "startup", "memory", *MODULES}
    if unknown:
        parser.error(f"unknown in --only: {', '.join(sorted(unknown))}")

    figures: list[Figure] = []
    if "build" in wanted:
        print("... build (into a temporary file)", file=sys.stderr, flush=True)
        figures.append(build_timed())
    if wanted - {"build"} or args.rebuild:
        built = build_national(args.rebuild)
        if built:
            figures.append(built)
        elif "build" not in wanted:
            recorded = recorded_build()
            if recorded is None:
                print(
                    f"No build time in {BUILD_RECORD}: time one with --only build.",
                    file=sys.stderr,
                )
            else:
                figures.append(recorded)
    if "startup" in wanted:
        figures += startup(args.runs)
    if "memory" in wanted:
        figures += every_page()
    for name in MODULES:
        if name in wanted:
            print(f"... {name}", file=sys.stderr, flush=True)
            figures += module_figures(name, str(NATIONAL))
    if args.postgres:
        ensure_server_demo(args.postgres)
        for name in ON_SERVER:
            if name in wanted:
                print(f"... {name} on PostgreSQL", file=sys.stderr, flush=True)
                figures += module_figures(name, args.postgres, " [PostgreSQL]")
    figures.append(own_peak_memory())

    if args.json:
        print(json.dumps([asdict(f) for f in figures], indent=2))
    else:
        print(table(figures))
    return 0 if all(f.ok is not False for f in figures) else 1


def table(figures: list[Figure]) -> str:
    width = max(len(f.name) for f in figures) + 2
    lines = [f"{'benchmark':<{width}} {'figure':>12}  {'budget':<12} {'ok':<4} note"]
    for f in figures:
        ok = "-" if f.ok is None else ("yes" if f.ok else "NO")
        value = f"{f.value:,.3f}" if f.value < 10 else f"{f.value:,.0f}"
        lines.append(f"{f.name:<{width}} {value:>9} {f.unit:<2}  {f.budget:<12} {ok:<4} {f.note}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
