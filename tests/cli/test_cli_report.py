"""``volunteerdesk report`` and ``volunteerdesk export``, run as a person would run them.

Until the lead registers the two commands in ``cli.py`` they are run through
``volunteerdesk.cli_report.main``, which has the same options and exit codes.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import subprocess
import sys

import pytest

from volunteerdesk import cli
from volunteerdesk.cli_report import REPORTS, add_parsers, main


def _db(demo) -> str:
    return demo.url.removeprefix("sqlite:///")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "volunteerdesk.cli_report", *args],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
    )


@pytest.mark.parametrize(
    ("document", "options"),
    [
        ("rota", ["--site", "HMP Westmoor", "--date", "2026-12-02", "--period", "month"]),
        (
            "rota",
            [
                "--site",
                "1",
                "--post",
                "Catholic Mass",
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
            ],
        ),
        (
            "desk-sheet",
            ["--site", "Westmoor Crown Court", "--date", "2026-11-24", "--session", "morning"],
        ),
        ("gate-list", ["--site", "HMP Westmoor", "--date", "2026-11-26"]),
        ("gate-list", ["--site", "HMP Westmoor", "--date", "2026-11-26", "--forenames-only"]),
        ("clearance", ["--site", "HMP Westmoor", "--date", "2026-11-23", "--within", "60"]),
        ("clearance", ["--date", "2026-11-23"]),
        ("expiry", ["--date", "2026-11-23", "--within", "30"]),
        (
            "schedule",
            [
                "--volunteer",
                "Bob Cooper",
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
                "--format",
                "card",
            ],
        ),
        ("activity", ["--period", "quarter", "--date", "2026-10-01"]),
        (
            "activity",
            ["--site", "Westmoor Magistrates' Court", "--from", "2026-10-01", "--to", "2026-10-31"],
        ),
    ],
)
def test_each_report_writes_a_pdf(small_demo, tmp_path, capsys, document, options):
    out = tmp_path / f"{document}.pdf"
    code = main(["--db", _db(small_demo), "report", document, *options, "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF")
    said = capsys.readouterr().out
    assert f"Wrote {out} (" in said and " page" in said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "rota", "--site", "Westmoor"], "matches 3 sites"),
        (["report", "rota", "--site", "HMP Nowhere"], "No site is called"),
        (["report", "rota", "--site", "1", "--post", "Bingo"], "No post at this site"),
        (
            ["report", "rota", "--site", "1", "--from", "2026-12-10", "--to", "2026-12-01"],
            "is before --from",
        ),
        (
            ["report", "desk-sheet", "--site", "Westmoor Crown Court", "--date", "2026-11-24"],
            "2 sessions run there",
        ),
        (["report", "gate-list", "--site", "Westmoor Crown Court"], "not a prison"),
        (["report", "schedule", "--volunteer", "Nobody Here"], "No volunteer is called"),
        (["report", "activity", "--from", "2026-10-01"], "give both --from and --to"),
        (["export", "ics", "--site", "HMP Nowhere"], "No site is called"),
        (["export", "volunteers"], "choose --format csv or xlsx"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(small_demo, tmp_path, capsys, args, message):
    out = tmp_path / "x.out"
    assert main(["--db", _db(small_demo), *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["report", "rota", "--site", "1", "--date", "31/12/2026"],
        ["report", "clearance", "--within", "0"],
        ["report", "schedule", "--volunteer", "1", "--format", "poster"],
        ["export", "ics"],
        ["report", "rota"],
    ],
)
def test_usage_errors_exit_2(tmp_path, args):
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(tmp_path / "x.db"), *args, "-o", str(tmp_path / "x.pdf")])
    assert stop.value.code == 2


def test_a_folder_that_does_not_exist(small_demo, tmp_path, capsys):
    out = tmp_path / "missing" / "rota.pdf"
    assert main(["--db", _db(small_demo), "report", "rota", "--site", "1", "-o", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_exports(small_demo, tmp_path, capsys):
    db = _db(small_demo)
    calendar = tmp_path / "bob.ics"
    assert (
        main(
            [
                "--db",
                db,
                "export",
                "ics",
                "--volunteer",
                "Bob Cooper",
                "--from",
                "2026-11-23",
                "--to",
                "2027-02-28",
                "-o",
                str(calendar),
            ]
        )
        == 0
    )
    assert calendar.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert "events)" in capsys.readouterr().out
    site = tmp_path / "court.ics"
    assert main(["--db", db, "export", "ics", "--site", "2", "-o", str(site)]) == 0
    rota = tmp_path / "rota.xlsx"
    assert (
        main(
            [
                "--db",
                db,
                "export",
                "rota",
                "--site",
                "HMP Westmoor",
                "--from",
                "2026-12-01",
                "--to",
                "2026-12-31",
                "-o",
                str(rota),
            ]
        )
        == 0
    )
    assert rota.read_bytes().startswith(b"PK")
    people = tmp_path / "people.txt"
    assert main(["--db", db, "export", "volunteers", "--format", "csv", "-o", str(people)]) == 0
    assert people.read_text(encoding="utf-8-sig").startswith("Id,Forename")


def test_the_commands_join_the_main_parser_and_have_help():
    parser = argparse.ArgumentParser(prog="volunteerdesk")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("info")
    add_parsers(commands)
    args = parser.parse_args(["report", "gate-list", "--site", "1", "-o", "x.pdf"])
    assert (args.command, args.document, args.forenames_only) == ("report", "gate-list", False)
    for document in REPORTS:
        result = run_cli("report", document, "--help")
        assert result.returncode == 0 and f"volunteerdesk report {document}" in result.stdout
    for kind in ("ics", "rota", "volunteers"):
        assert run_cli("export", kind, "--help").returncode == 0


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_printed_by_the_database_user(small_demo, tmp_path):
    out = tmp_path / "gate.pdf"
    result = run_cli(
        "--db",
        _db(small_demo),
        "report",
        "gate-list",
        "--site",
        "HMP Westmoor",
        "--date",
        "2026-11-26",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert f"by {getpass.getuser()}" in " ".join(text.split())


def _pdf_pages(path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


@pytest.mark.parametrize("document", REPORTS)
def test_every_report_prints_json(small_demo, tmp_path, capsys, document):
    options = {
        "rota": ["--site", "HMP Westmoor", "--date", "2026-12-02", "--period", "month"],
        "desk-sheet": [
            "--site",
            "Westmoor Crown Court",
            "--date",
            "2026-11-24",
            "--session",
            "morning",
        ],
        "gate-list": ["--site", "HMP Westmoor", "--date", "2026-11-26"],
        "clearance": ["--date", "2026-11-23"],
        "expiry": ["--date", "2026-11-23"],
        "schedule": ["--volunteer", "Bob Cooper", "--from", "2026-12-01", "--to", "2026-12-31"],
        "activity": ["--period", "quarter", "--date", "2026-10-01"],
    }[document]
    out = tmp_path / f"{document}.pdf"
    args = ["--db", _db(small_demo), "report", document, *options, "-o", str(out), "--json"]
    assert cli.main(args) == 0, capsys.readouterr().err
    said = json.loads(capsys.readouterr().out)
    assert said == {"file": str(out), "document": document, "pages": _pdf_pages(out)}
    assert said["pages"] >= 1


def test_every_export_prints_json(small_demo, tmp_path, capsys):
    db = _db(small_demo)
    period = ["--from", "2026-11-23", "--to", "2027-02-28"]

    def run(*args: str) -> dict:
        assert cli.main(["--db", db, "export", *args, "--json"]) == 0, capsys.readouterr().err
        return json.loads(capsys.readouterr().out)

    calendar = tmp_path / "westmoor.ics"
    said = run("ics", "--site", "HMP Westmoor", *period, "-o", str(calendar))
    events = calendar.read_text(encoding="utf-8").count("BEGIN:VEVENT")
    assert events > 0
    assert said == {"file": str(calendar), "format": "ics", "events": events}

    rota = tmp_path / "rota.csv"
    said = run("rota", "--site", "HMP Westmoor", *period, "-o", str(rota))
    lines = rota.read_text(encoding="utf-8-sig").splitlines()
    assert said == {"file": str(rota), "format": "csv", "rows": len(lines) - 1}
    assert said["rows"] > 0

    people = tmp_path / "people.xlsx"
    said = run("volunteers", "-o", str(people))
    assert people.read_bytes().startswith(b"PK")
    assert said["file"] == str(people) and said["format"] == "xlsx" and said["rows"] > 0


def test_json_is_only_printed_when_asked(small_demo, tmp_path, capsys):
    out = tmp_path / "people.csv"
    assert main(["--db", _db(small_demo), "export", "volunteers", "-o", str(out)]) == 0
    said = capsys.readouterr().out.strip()
    rows = len(out.read_text(encoding="utf-8-sig").splitlines()) - 1
    assert said == f"Wrote {out} ({rows} rows)"


def test_a_failure_with_json_still_says_why_on_stderr(small_demo, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    args = ["--db", _db(small_demo), "report", "rota", "--site", "HMP Nowhere", "-o", str(out)]
    assert cli.main([*args, "--json"]) == 2
    said = capsys.readouterr()
    assert said.out == "" and "No site is called" in said.err
    assert not out.exists()
