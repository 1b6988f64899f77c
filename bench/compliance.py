"""Compliance on the national demo: loading the engine's data, the matrix, the dashboard.

    uv run python bench/compliance.py [path/to/national.db]

``run(db_path)`` returns the figures as dicts (name, value, unit, budget, ok, note), each
the median of five runs, for ``bench/run.py`` or anyone else to print.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
NATIONAL = HERE / "results" / "national.db"
RUNS = 5


def _median(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _figure(name, seconds, budget_s, budget, note="") -> dict:
    ms = seconds * 1000
    return {
        "name": name,
        "value": round(ms, 1),
        "unit": "ms",
        "budget": budget,
        "ok": None if budget_s is None else seconds < budget_s,
        "note": note,
    }


def run(db_path: Path | str = NATIONAL, today: date | None = None) -> list[dict]:
    from volunteerdesk.core.compliance.engine import ComplianceData
    from volunteerdesk.core.db import open_database
    from volunteerdesk.core.services.compliance import compliance_matrix, narrow
    from volunteerdesk.core.services.dashboard import dashboard, future_breaches

    today = today or date.today()
    db = open_database(db_path if "://" in str(db_path) else Path(db_path), username="bench")
    figures = []
    try:
        with db.uow() as session:
            load, data = _median(lambda: ComplianceData.load(session))
            figures.append(
                _figure(
                    "compliance data load",
                    load,
                    None,
                    "-",
                    f"{len(data.volunteers):,} volunteers, "
                    f"{sum(len(h) for h in data.holdings.values()):,} records",
                )
            )
            matrix_s, matrix = _median(lambda: data.matrix(today))
            cells = sum(1 for row in matrix.rows for c in row.cells if c is not None)
            figures.append(
                _figure(
                    "compliance matrix, all volunteers",
                    matrix_s,
                    0.150,
                    "< 150 ms",
                    f"{len(matrix.rows):,} x {len(matrix.columns)}, {cells:,} cells, data loaded",
                )
            )
            view = compliance_matrix(session, today, data)
            site = max(view.sites, key=lambda c: sum(c.id in ln.site_ids for ln in view.lines))
            filter_s, (_cols, lines) = _median(lambda: narrow(view, site_id=site.id))
            figures.append(
                _figure(
                    "matrix filtered to one site",
                    filter_s,
                    0.016,
                    "< 16 ms",
                    f"{len(lines)} volunteers at {site.name}: per-site clearances re-checked",
                )
            )
            search_s, (_cols, found) = _median(lambda: narrow(view, needle="jon"))
            figures.append(
                _figure(
                    "matrix search by name",
                    search_s,
                    0.016,
                    "< 16 ms",
                    f"'jon': {len(found)} of {len(view.lines):,} (the model's sort not included)",
                )
            )
            board_s, board = _median(lambda: dashboard(session, today, data, with_breaches=False))
            figures.append(
                _figure(
                    "dashboard service",
                    board_s,
                    1.0,
                    "< 1 s",
                    "data loaded; every tile, list and chart but the year of breaches",
                )
            )
            whole_s, _board = _median(
                lambda: dashboard(session, today, with_breaches=False), runs=3
            )
            figures.append(
                _figure(
                    "dashboard, load included",
                    whole_s,
                    None,
                    "-",
                    "what the page waits for on the worker (median of 3)",
                )
            )
            step_s, _found = _median(
                lambda: future_breaches(session, data, today, today + timedelta(days=27))
            )
            figures.append(
                _figure("breaches, one 4-week step", step_s, None, "-", "the page checks in steps")
            )
            all_s, found = _median(lambda: future_breaches(session, data, today), runs=3)
            figures.append(
                _figure(
                    "breaches, all future assignments",
                    all_s,
                    None,
                    "-",
                    f"{len(found):,} found to {board.last_shift_day:%d/%m/%Y} (median of 3)",
                )
            )
    finally:
        db.dispose()
    return figures


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else NATIONAL
    if not path.exists():
        print(f"{path} is missing: `uv run python bench/run.py` builds it", file=sys.stderr)
        return 2
    figures = run(path)
    print(f"{'benchmark':<36} {'figure':>10}  {'budget':<10} {'ok':<4} note")
    for f in figures:
        ok = "-" if f["ok"] is None else ("yes" if f["ok"] else "NO")
        print(
            f"{f['name']:<36} {f['value']:>8.1f} {f['unit']:<2} {f['budget']:<10} {ok:<4} {f['note']}"
        )
    return 0 if all(f["ok"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
