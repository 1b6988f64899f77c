"""``volunteerdesk rota generate|fill|gaps`` on the small demo (built as of 23/11/2026).

Run through a tiny parser around ``cli_rota`` (what ``cli.py`` registers), and through
``volunteerdesk.cli.main`` as well once it is registered there.
"""

from __future__ import annotations

import argparse
import json

import pytest
from sqlalchemy import func, select

from volunteerdesk import cli, cli_rota
from volunteerdesk.core.db import open_database
from volunteerdesk.core.models import Assignment, AssignmentStatus, Shift

TODAY = "2026-11-23"
REGISTERED = "rota" in getattr(cli, "COMMANDS", {})


def run(db_path: str, *args: str) -> int:
    """``volunteerdesk --db PATH rota ...`` in this process."""
    if REGISTERED:
        return cli.main(["--db", db_path, "rota", *args])
    parser = argparse.ArgumentParser(prog="volunteerdesk")
    parser.add_argument("--db")
    cli_rota.add_parser(parser.add_subparsers(dest="command"))
    parsed = parser.parse_args(["--db", db_path, "rota", *args])
    db = open_database(parsed.db)
    try:
        return cli_rota.run(db, parsed)
    finally:
        db.dispose()


@pytest.fixture
def demo(small_demo) -> str:
    path = small_demo.url.removeprefix("sqlite:///")
    small_demo.dispose()
    return path


def _count(path: str, model, *where) -> int:
    db = open_database(path)
    try:
        with db.uow() as s:
            return s.scalar(select(func.count()).select_from(model).where(*where))
    finally:
        db.dispose()


def test_every_action_has_help(capsys):
    for action in ("generate", "fill", "gaps"):
        with pytest.raises(SystemExit) as done:
            run("unused.db", action, "--help")
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert f"rota {action}" in out and "--site" in out and "--from" in out


def test_generate_is_safe_to_run_twice(demo, capsys):
    before = _count(demo, Shift)
    args = ("generate", "--from", "2027-08-01", "--to", "2027-09-30", "--json")
    assert run(demo, *args) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["created"] > 0 and first["site"] == "every site"
    assert _count(demo, Shift) == before + first["created"]
    assert run(demo, *args) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["created"] == 0
    assert second["already_there"] == first["already_there"] + first["created"]
    assert any(s["reason"] == "Bank holiday: Late Summer Bank Holiday" for s in second["skipped"])


def test_generate_for_one_site_in_words(demo, capsys):
    code = run(
        demo,
        "generate",
        "--site",
        "Westmoor Crown Court",
        "--from",
        "2027-12-20",
        "--to",
        "2027-12-31",
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Generated 16 shifts for Westmoor Crown Court from 20/12/2027")
    assert "27/12/2027 Westmoor Crown Court, Family support desk (morning): Bank holiday" in out


def test_fill_dry_run_writes_nothing(demo, capsys):
    before = _count(demo, Assignment)
    code = run(
        demo, "fill", "--site", "hmp westmoor", "--from", "2026-12-01", "--to", "2026-12-31",
        "--today", TODAY, "--dry-run", "--json",
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["dry_run"] and report["written"] == 0
    assert report["site"] == "HMP Westmoor" and report["added"]
    assert all(a["site"] == "HMP Westmoor" and a["why"] for a in report["added"])
    assert report["filled"] + sum(g["places"] for g in report["gaps"]) == report["places_open"]
    assert _count(demo, Assignment) == before


def test_fill_writes_proposed_assignments_and_shows_the_gaps(demo, capsys):
    before = _count(demo, Assignment, Assignment.status == AssignmentStatus.PROPOSED)
    args = ("--from", "2026-12-01", "--to", "2026-12-31", "--today", TODAY)
    code = run(demo, "fill", *args)
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Auto-fill for every site from 01/12/2026 to 31/12/2026")
    assert "written as proposed" in out and "Unfilled places:" in out
    assert " considered: " in out and "Smallest change: " in out
    added = _count(demo, Assignment, Assignment.status == AssignmentStatus.PROPOSED) - before
    assert added > 10
    # What is left is what ``gaps`` reports, and it exits 1 so a scheduled task notices.
    assert run(demo, "gaps", *args, "--json") == 1
    gaps = json.loads(capsys.readouterr().out)
    assert gaps["places"] > 0 and all(g["date"] >= "2026-12-01" for g in gaps["gaps"])
    first = gaps["gaps"][0]
    assert set(first) >= {"explanation", "ruled_out", "free", "suggestion", "considered"}
    assert sum(first["ruled_out"].values()) + len(first["free"]) == first["considered"]


def test_gaps_in_words_and_none_left(demo, capsys):
    code = run(
        demo,
        "gaps",
        "--site",
        "HMP Westmoor",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-07",
        "--today",
        TODAY,
    )
    out = capsys.readouterr().out
    assert out.startswith("Gaps at HMP Westmoor from 01/12/2026 to 07/12/2026")
    assert code == (0 if "Unfilled places: 0" in out else 1)
    quiet = run(demo, "gaps", "--from", "2026-12-01", "--to", "2026-12-31", "--today", "2027-01-01")
    assert quiet == 0 and "Unfilled places: 0" in capsys.readouterr().out


def test_bad_sites_and_dates(demo, capsys):
    assert (
        run(demo, "gaps", "--site", "HMP Nowhere", "--from", "2026-12-01", "--to", "2026-12-02")
        == 2
    )
    assert "No site is called" in capsys.readouterr().err
    assert (
        run(demo, "fill", "--site", "Westmoor", "--from", "2026-12-01", "--to", "2026-12-02") == 2
    )
    assert "matches 3 sites" in capsys.readouterr().err
    assert run(demo, "generate", "--from", "2026-12-09", "--to", "2026-12-02") == 2
    assert "--to is before --from" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        run(demo, "gaps", "--from", "01/12/2026", "--to", "2026-12-02")
    assert done.value.code == 2
    assert "is not a date (use YYYY-MM-DD)" in capsys.readouterr().err
