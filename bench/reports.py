"""Benchmarks of the printed documents on the national demo (7,000 volunteers).

    uv run python bench/reports.py [bench/results/national.db]

The budget in DESIGN.md: the clearance report for every volunteer in under 5 s. The
other figures are for information. Build the national demo first with bench/run.py.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
NATIONAL = HERE / "results" / "national.db"
ON = date(2026, 11, 23)


def _timed(make, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``runs`` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        make()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _pages(pdf: Path) -> int:
    return pdf.read_bytes().count(b"/Type /Page\n") or pdf.read_bytes().count(b"/Type /Page")


def run(db_path: str | Path = NATIONAL, runs: int = 3) -> list[dict]:
    from sqlalchemy import func, select

    from volunteerdesk.core.db import open_database
    from volunteerdesk.core.models import SiteKind, Volunteer, VolunteerStatus
    from volunteerdesk.core.reports.clearance import build_clearance_report
    from volunteerdesk.core.reports.data import sites_of_kind
    from volunteerdesk.core.reports.expiry import build_expiry_report
    from volunteerdesk.core.reports.rota import build_rota

    db = open_database(db_path, username="bench")
    out = Path(tempfile.mkdtemp(prefix="vd-bench-reports-"))
    figures = []
    try:
        with db.uow() as s:
            people = s.scalar(
                select(func.count())
                .select_from(Volunteer)
                .where(Volunteer.status != VolunteerStatus.LEFT)
            )
            prison = sites_of_kind(s, SiteKind.PRISON)[0][0]
            # Warm up: imports, fonts, the first compile of every query.
            build_clearance_report(s, prison, ON, username="bench", out_path=out / "warm.pdf")

        def clearance() -> None:
            with db.uow() as s:
                build_clearance_report(s, None, ON, username="bench", out_path=out / "all.pdf")

        wall, cpu = _timed(clearance, runs)
        pages = _pages(out / "all.pdf")
        figures.append(
            dict(
                name="clearance report, every volunteer",
                value=round(wall, 3),
                unit="s",
                budget="< 5 s",
                ok=wall < 5,
                note=f"{people:,} current volunteers, {pages} pages; CPU {cpu:.2f} s; "
                f"median of {runs}",
            )
        )

        def expiry() -> None:
            with db.uow() as s:
                build_expiry_report(s, ON, username="bench", out_path=out / "expiry.pdf")

        wall, _cpu = _timed(expiry, 1)
        figures.append(
            dict(
                name="expiry report, every site (90 days)",
                value=round(wall, 3),
                unit="s",
                budget="-",
                ok=None,
                note=f"{_pages(out / 'expiry.pdf')} pages",
            )
        )

        def rota() -> None:
            with db.uow() as s:
                build_rota(
                    s,
                    prison,
                    date(2026, 12, 1),
                    date(2026, 12, 31),
                    username="bench",
                    out_path=out / "rota.pdf",
                )

        wall, _cpu = _timed(rota, 1)
        figures.append(
            dict(
                name="rota, one prison for a month",
                value=round(wall, 3),
                unit="s",
                budget="-",
                ok=None,
                note=f"{_pages(out / 'rota.pdf')} pages",
            )
        )
    finally:
        db.dispose()
    return figures


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else NATIONAL
    if not path.exists():
        print(f"{path} is missing: run `uv run python bench/run.py` to build it.", file=sys.stderr)
        return 1
    figures = run(path)
    print(f"{'benchmark':<40} {'figure':>9}  {'budget':<8} {'ok':<4} note")
    for f in figures:
        ok = "-" if f["ok"] is None else ("yes" if f["ok"] else "NO")
        print(
            f"{f['name']:<40} {f['value']:>7.3f} {f['unit']:<1}  {f['budget']:<8} {ok:<4} "
            f"{f['note']}"
        )
    return 0 if all(f["ok"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
