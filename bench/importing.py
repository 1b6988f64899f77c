"""Import benchmark: a 7,000-row XLSX read, matched, checked and previewed against the
7,000 volunteers of the national demo (budget: under 3 s, from the issue).

    uv run python bench/importing.py [path/to/national.db] [--json]

The file is made from the demo's own volunteers, as a coordinator's list would be: most
people as they are, some with a new phone number, some under a nickname ("Bill" for
William), some new people, and some rows with mistakes (31/02, a short phone number,
an email without @). The database is only read; the write is timed on a copy.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
NATIONAL = HERE / "results" / "national.db"
BUDGET_S = 3.0
HEADERS = ["Forename", "Surname", "D.O.B.", "E-mail", "Mobile", "Postcode", "Church", "Notes"]


def nickname(first: str) -> str | None:
    """ "William" -> "Bill": the first nickname of a name in the importer's own table."""
    from volunteerdesk.core.importing.folding import NICKNAMES

    variants = NICKNAMES.get(first.casefold())
    return variants[0].capitalize() if variants else None


def make_workbook(db, folder: Path, rows: int = 7000, seed: int = 7) -> tuple[Path, dict]:
    """An XLSX of ``rows`` volunteers drawn from the database, with the usual variety."""
    import openpyxl
    from sqlalchemy import select

    from volunteerdesk.core.models import Community, Volunteer

    rng = random.Random(seed)
    with db.uow() as s:
        people = s.execute(
            select(
                Volunteer.first_name,
                Volunteer.last_name,
                Volunteer.date_of_birth,
                Volunteer.email,
                Volunteer.phone,
                Volunteer.postcode,
                Community.name,
            )
            .outerjoin(Community, Community.id == Volunteer.community_id)
            .order_by(Volunteer.id)
        ).all()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Volunteers")
    sheet.append(HEADERS)
    kinds = {"same": 0, "changed": 0, "nickname": 0, "new": 0, "bad": 0}
    for i in range(rows):
        first, last, born, email, phone, postcode, church = people[i % len(people)]
        roll = rng.random()
        if roll < 0.03:
            kind, first, last, email = "new", f"Newperson{i}", f"Testname{i}", f"new{i}@example.org"
        elif roll < 0.05:
            kind = "bad"
            born, phone, email = rng.choice(
                [("31/02/2026", phone, email), (born, "0123", email), (born, phone, "no-at.org")]
            )
        elif roll < 0.15 and nickname(first):
            kind, first, email = "nickname", nickname(first), ""
        elif roll < 0.20:
            kind, phone = "changed", f"07700 {rng.randrange(900000, 999999)}"
        else:
            kind = "same"
        kinds[kind] += 1
        dob = born if isinstance(born, str) else born.strftime("%d/%m/%Y") if born else ""
        sheet.append([f" {first}", last, dob, email, phone, postcode, church or "", ""])
    path = folder / "volunteers-7000.xlsx"
    book.save(path)
    return path, kinds


def run(db_path: str | Path = NATIONAL) -> list[dict]:
    from volunteerdesk.core.db import open_database
    from volunteerdesk.core.importing import Choice, build_plan, commit_plan, read_table

    figures: list[dict] = []
    db = open_database(db_path, username="bench")
    try:
        with tempfile.TemporaryDirectory(prefix="vd-import-") as folder:
            path, kinds = make_workbook(db, Path(folder))
            start = time.perf_counter()
            table = read_table(path)
            read_s = time.perf_counter() - start
            with db.uow() as s:
                plan = build_plan(s, "volunteers", table, today=date.today())
            total_s = time.perf_counter() - start
            counts = plan.counts()
            note = f"{len(table.rows):,} rows ({kinds}); preview: {plan.summary()}"
            figures.append(_figure("import: read 7,000-row XLSX", read_s, None, note=""))
            figures.append(
                _figure("import: read + map + check + duplicates", total_s, BUDGET_S, note)
            )
            copy = Path(folder) / "copy.db"
            db.dispose()
            shutil.copyfile(db_path, copy)
            db2 = open_database(copy, username="bench")
            plan.rows = [r for r in plan.rows if r.outcome.value != "error"]
            plan.decide_all(Choice.SKIP)
            start = time.perf_counter()
            with db2.uow() as s:
                result = commit_plan(s, plan, "bench")
            write_s = time.perf_counter() - start
            db2.dispose()
            figures.append(
                _figure(
                    "import: write the preview (one transaction)",
                    write_s,
                    None,
                    f"{len(result.created):,} new, {len(result.updated):,} updated, "
                    f"{counts['error']} error rows left out; runs in the background",
                )
            )
    finally:
        db.dispose()
    return figures


def _figure(name: str, seconds: float, budget: float | None, note: str) -> dict:
    return {
        "name": name,
        "value": round(seconds * 1000),
        "unit": "ms",
        "budget": f"< {budget * 1000:.0f} ms" if budget else "-",
        "ok": None if budget is None else seconds < budget,
        "note": note,
    }


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    paths = [a for a in argv if not a.startswith("--")]
    db_path = Path(paths[0]) if paths else NATIONAL
    if not db_path.exists():
        print(f"{db_path} is missing: run `uv run python bench/run.py` to build it.")
        return 2
    figures = run(db_path)
    if as_json:
        print(json.dumps(figures, indent=2))
    else:
        for f in figures:
            ok = {True: "ok", False: "OVER", None: ""}[f["ok"]]
            print(
                f"{f['name']:<46} {f['value']:>7} {f['unit']}  {f['budget']:<10} {ok:<4} {f['note']}"
            )
    return 0 if all(f["ok"] is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
