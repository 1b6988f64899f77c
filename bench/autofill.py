"""Auto-fill on the national demo, against the budgets of DESIGN.md and issue 5.

    uv run python bench/autofill.py            # bench/results/national.db (built if missing)
    uv run python bench/autofill.py --json

The month measured is the calendar month after the demo's build date (the last shift
is nine months after it). Each figure is the median of a few runs of the whole
``propose_fill``: reading the rota and the compliance records, choosing, and explaining
every gap. "Empty rota" runs delete the month's unlocked assignments inside a
transaction that is rolled back, so every place is open (the demo has most filled).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

HERE = Path(__file__).resolve().parent
NATIONAL = HERE / "results" / "national.db"
RUNS = 3


def _figure(name, value, unit, budget, limit, note=""):
    ok = None if limit is None else value < limit
    return {"name": name, "value": value, "unit": unit, "budget": budget, "ok": ok, "note": note}


def _month_after_build(session) -> tuple[date, date]:
    from volunteerdesk.core.models import Shift
    from volunteerdesk.core.scheduling.rota_load import add_months, month_end

    last = session.scalar(select(func.max(Shift.date)))
    built = add_months(last, -9)
    first = month_end(built) + timedelta(days=1)
    return first, month_end(first)


def _largest_site(session) -> tuple[int, str, int]:
    from volunteerdesk.core.models import Site, volunteer_sites

    count = func.count(volunteer_sites.c.volunteer_id)
    sid, name, n = session.execute(
        select(Site.id, Site.name, count)
        .join(volunteer_sites, volunteer_sites.c.site_id == Site.id)
        .group_by(Site.id, Site.name)
        .order_by(count.desc(), Site.id)
        .limit(1)
    ).one()
    return sid, name, n


def _empty_month(session, first: date, last: date, site_id: int | None) -> None:
    from volunteerdesk.core.models import Assignment, Post, Shift

    shifts = select(Shift.id).where(Shift.date >= first, Shift.date <= last)
    if site_id is not None:
        shifts = shifts.join(Post, Post.id == Shift.post_id).where(Post.site_id == site_id)
    session.execute(
        delete(Assignment).where(Assignment.shift_id.in_(shifts), Assignment.locked.is_(False))
    )


def _time_fill(db, first, last, site_id, empty: bool, to_maximum: bool = False):
    from sqlalchemy.orm import Session

    from volunteerdesk.core.scheduling.autofill import propose_fill

    times, proposal = [], None
    for _ in range(RUNS):
        with db.engine.connect() as con, Session(bind=con) as session:
            if empty:
                _empty_month(session, first, last, site_id)
                session.flush()
            start = time.perf_counter()
            proposal = propose_fill(session, first, last, site_id, to_maximum=to_maximum)
            times.append(time.perf_counter() - start)
            session.rollback()
    return statistics.median(times), proposal


def run(db_path: Path | str = NATIONAL) -> list[dict]:
    from volunteerdesk.core.db import open_database

    db = open_database(db_path, username="bench")
    try:
        with db.uow() as session:
            first, last = _month_after_build(session)
            site_id, site, volunteers = _largest_site(session)
        month = f"{first:%B %Y}"
        figures = []
        cases = [
            ("as built", False, False),
            ("empty rota", True, False),
            ("empty rota, to maximum", True, True),
        ]
        for kind, empty, to_maximum in cases:
            seconds, p = _time_fill(db, first, last, site_id, empty, to_maximum)
            note = (
                f"{site}, {volunteers} volunteers, {month}: {p.places_open} places below the "
                f"minimum, {len(p.additions)} proposed, {len(p.gaps)} gaps explained"
            )
            figures.append(
                _figure(f"auto-fill one large site ({kind})", seconds, "s", "< 0.5 s", 0.5, note)
            )
        for kind, empty, to_maximum in cases[:2]:
            seconds, p = _time_fill(db, first, last, None, empty, to_maximum)
            note = (
                f"every site, {month}: {p.places_open} places below the minimum, "
                f"{len(p.additions)} proposed, {len(p.gaps)} gaps explained"
            )
            figures.append(
                _figure(f"auto-fill every site ({kind})", seconds, "s", "< 10 s", 10, note)
            )
        return figures
    finally:
        db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(NATIONAL), help="the national demo database")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not Path(args.db).exists():
        sys.path.insert(0, str(HERE))
        from run import build_national

        build_national(False)
    figures = run(args.db)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{'benchmark':<48} {'figure':>8}  {'budget':<8} {'ok':<4} note")
        for f in figures:
            ok = "-" if f["ok"] is None else ("yes" if f["ok"] else "NO")
            print(
                f"{f['name']:<48} {f['value']:>6.3f} {f['unit']:<1}  {f['budget']:<8} {ok:<4} "
                f"{f['note']}"
            )
    return 0 if all(f["ok"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
