"""Run a built bundle as a user would, headless: version, a small demo, a start that exits.

    uv run python packaging/smoke_test.py dist/VolunteerDesk

Exits non-zero, saying what went wrong, if any step fails. CI runs it after building.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/VolunteerDesk")
    exe = folder / ("volunteerdesk.exe" if sys.platform == "win32" else "volunteerdesk")
    if not exe.exists():
        print(f"No program at {exe}: build it first (packaging/build.py).")
        return 2
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, VOLUNTEERDESK_HOME=home, QT_QPA_PLATFORM="offscreen")
        db = str(Path(home) / "demo.db")

        def step(what: str, args: list[str], extra_env: dict | None = None, timeout=180) -> str:
            done = subprocess.run(
                [str(exe), *args],
                env={**env, **(extra_env or {})},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            if done.returncode != 0:
                raise SystemExit(
                    f"FAILED: {what} (exit {done.returncode})\n{done.stdout}\n{done.stderr}"
                )
            print(f"ok: {what}")
            return done.stdout

        out = step("--version", ["--version"])
        if "VolunteerDesk" not in out:
            raise SystemExit(f"FAILED: --version printed {out!r}")
        step("build the small demo", ["--db", db, "demo", "--size", "small"])
        step("check the demo's compliance", ["--db", db, "info"])
        pdf = Path(home) / "gate.pdf"
        step(
            "print a gate list",
            ["--db", db, "report", "gate-list", "--site", "HMP Westmoor", "-o", str(pdf)],
        )
        if not pdf.read_bytes().startswith(b"%PDF"):
            raise SystemExit("FAILED: the gate list is not a PDF")
        out = step(
            "start the window on the demo and quit",
            ["--db", db],
            {
                "VOLUNTEERDESK_QUIT_AFTER_MS": "5000",
                "VOLUNTEERDESK_STARTUP_MARK": "1",
                "VOLUNTEERDESK_NO_WEEK_SUMMARY": "1",
            },
        )
        if "STARTUP-READY" not in out:
            raise SystemExit("FAILED: the window never showed its first page")
    print("The bundle works.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
