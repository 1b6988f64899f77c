"""Keep a database made by this release, for the upgrade test of every later release.

    uv run python scripts/keep_release_database.py

Builds the small demo (fixed seed and date) with this version, and writes
tests/data/releases/<version>.db.gz with a manifest of what it holds. Run it once per
release, commit both files, and never change them: tests/core/test_release_upgrades.py
opens each one with the current program and checks that everything is still there.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from release_manifest import manifest  # noqa: E402
from volunteerdesk import __version__  # noqa: E402
from volunteerdesk.core.db import open_database  # noqa: E402
from volunteerdesk.core.demo import build_demo  # noqa: E402

RELEASES = ROOT / "tests" / "data" / "releases"


def main() -> int:
    RELEASES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "release.db"
        db = open_database(path, username="release")
        build_demo(db, size="small", seed=1, today=date(2026, 11, 23))
        with db.uow() as session:
            held = manifest(session)
        db.dispose()
        con = sqlite3.connect(path)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("VACUUM")
        con.close()
        target = RELEASES / f"{__version__}.db.gz"
        with open(path, "rb") as source, gzip.open(target, "wb", compresslevel=9) as out:
            shutil.copyfileobj(source, out)
    (RELEASES / f"{__version__}.json").write_text(json.dumps(held, indent=2) + "\n")
    print(f"Kept {target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
