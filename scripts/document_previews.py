"""Make every printed document from the small demo and save a PNG of each first page.

    uv run python scripts/document_previews.py [--out docs/documents] [--pdfs DIR]

Builds the small demo (HMP Westmoor and two courts) in a temporary file as of
23/11/2026, so the pictures do not drift with the calendar, makes each document as the
command line would, and turns its first page into ``<name>.png`` with poppler's
``pdftoppm -png -r 60 -singlefile``. With ``--pdfs`` the PDFs are kept there too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("VOLUNTEERDESK_HOME", tempfile.mkdtemp(prefix="vd-previews-home-"))

DEMO_TODAY = date(2026, 11, 23)
PRINTED_AT = datetime(2026, 11, 23, 9, 30)
USER = "coordinator"


def documents(session):
    """(file name, what it shows, a function that writes the PDF to a path)."""
    from volunteerdesk.core.lookup import find_site, find_volunteer
    from volunteerdesk.core.reports import data as periods
    from volunteerdesk.core.reports.activity import build_activity_summary
    from volunteerdesk.core.reports.clearance import build_clearance_report
    from volunteerdesk.core.reports.desk_sheet import build_desk_sheet, find_desk_shift
    from volunteerdesk.core.reports.expiry import build_expiry_report
    from volunteerdesk.core.reports.gate_list import build_gate_list
    from volunteerdesk.core.reports.rota import build_rota
    from volunteerdesk.core.reports.schedule import build_schedule

    prison = find_site(session, "HMP Westmoor")[0]
    court = find_site(session, "Westmoor Magistrates' Court")[0]
    mass = periods.find_post(session, prison, "Catholic Mass")[0]
    person = find_volunteer(session, "Chloë King")[0]
    common = {"username": USER, "printed_at": PRINTED_AT}
    week = periods.week_of(date(2026, 11, 30))
    december = periods.month_of(date(2026, 12, 1))
    october = periods.previous_period("month", DEMO_TODAY)
    gate_day = date(2026, 11, 26)
    return [
        (
            "rota-week",
            "HMP Westmoor's rota for a week",
            lambda out: build_rota(session, prison, *week, out_path=out, **common),
        ),
        (
            "rota-post-month",
            "one post's month, as a calendar",
            lambda out: build_rota(
                session, prison, *december, post_id=mass, out_path=out, **common
            ),
        ),
        (
            "desk-sheet",
            "a court desk's morning session",
            lambda out: build_desk_sheet(
                session,
                find_desk_shift(session, court, date(2026, 11, 24), "morning"),
                out_path=out,
                **common,
            ),
        ),
        (
            "gate-list",
            "the gate list for a day at HMP Westmoor",
            lambda out: build_gate_list(session, prison, gate_day, out_path=out, **common),
        ),
        (
            "gate-list-forenames",
            "the forename-only list for the same day",
            lambda out: build_gate_list(
                session, prison, gate_day, forenames_only=True, out_path=out, **common
            ),
        ),
        (
            "clearance-report",
            "the clearance report for HMP Westmoor",
            lambda out: build_clearance_report(session, prison, DEMO_TODAY, out_path=out, **common),
        ),
        (
            "expiry-report",
            "what lapses in the next 90 days",
            lambda out: build_expiry_report(session, DEMO_TODAY, out_path=out, **common),
        ),
        (
            "schedule-letter",
            "a volunteer's December, as a letter",
            lambda out: build_schedule(session, person, *december, out_path=out, **common),
        ),
        (
            "schedule-card",
            "the same, as a card",
            lambda out: build_schedule(
                session, person, *december, format="card", out_path=out, **common
            ),
        ),
        (
            "activity-summary",
            "October's activity at every site",
            lambda out: build_activity_summary(session, *october, out_path=out, **common),
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/documents"))
    parser.add_argument("--pdfs", type=Path, default=None, help="keep the PDFs in this folder")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm (poppler-utils) is needed to draw the pages.", file=sys.stderr)
        return 1

    from volunteerdesk.core.db import open_database
    from volunteerdesk.core.demo import build_demo

    workdir = Path(tempfile.mkdtemp(prefix="vd-previews-"))
    db = open_database(workdir / "demo.db", username=USER)
    build_demo(db, size="small", seed=1, today=DEMO_TODAY)
    args.out.mkdir(parents=True, exist_ok=True)
    pdf_dir = args.pdfs or workdir
    pdf_dir.mkdir(parents=True, exist_ok=True)
    with db.uow() as session:
        for name, what, make in documents(session):
            pdf = pdf_dir / f"{name}.pdf"
            make(pdf)
            png = args.out / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-singlefile",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    str(pdf),
                    str(png),
                ],
                check=True,
            )
            print(f"{png}.png  {what}")
    db.dispose()
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
