"""``volunteerdesk import``: the outcome of every row, exit codes, and --dry-run writing nothing."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from volunteerdesk import cli, cli_import
from volunteerdesk.core.db import open_database
from volunteerdesk.core.models import AuditEntry, Clearance, TrainingRecord, Volunteer


def run_import(db_path, *argv: str) -> int:
    """Run ``volunteerdesk --db DB import ...`` in this process, as main() would."""
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0]
    if "import" not in commands.choices:  # until cli.py registers the command itself
        cli_import.add_parser(commands)
    args = parser.parse_args(["--db", str(db_path), "import", *argv])
    db = open_database(args.db, username="cli-tester")
    try:
        return cli_import.run(db, args)
    finally:
        db.dispose()


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def count(db_path, model) -> int:
    db = open_database(db_path, username="x")
    with db.uow() as s:
        n = s.scalar(select(func.count()).select_from(model))
    db.dispose()
    return n


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "cli.db"
    open_database(path, username="x").dispose()
    return path


GOOD = [
    ["Forename", "Surname", "D.O.B.", "Mobile", "E-mail", "Convictions"],
    ["Ann", "Lee", "04/03/1970", "07700 900001", "ann@example.org", ""],
    ["Bob", "Stone", "5 Jun 1981", "", "", ""],
]


def test_import_writes_and_prints_each_row(db_path, tmp_path, capsys):
    rows = GOOD + [["Renée", "Dupré", "", "", "", ""]]
    path = write_csv(tmp_path / "people.csv", rows, encoding="cp1252", delimiter=";")
    assert run_import(db_path, "volunteers", str(path)) == 0
    out = capsys.readouterr().out
    assert "Importing volunteers from people.csv (Windows-1252, semicolon-separated)" in out
    assert "Columns: Forename -> First name, Surname -> Last name, D.O.B. -> Date of birth" in out
    assert "Never imported: Convictions (looks like DBS certificate content" in out
    assert "  row 2     new        Ann Lee, born 04/03/1970" in out
    assert "  row 3     new        Bob Stone, born 05/06/1981" in out
    assert "  row 4     new        Renée Dupré" in out
    assert "Imported people.csv: 3 new, 0 updated, 0 left out (import #" in out
    assert count(db_path, Volunteer) == 3


def test_dry_run_writes_nothing(db_path, tmp_path, capsys):
    path = write_csv(tmp_path / "people.csv", GOOD)
    assert run_import(db_path, "volunteers", str(path), "--dry-run") == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert count(db_path, Volunteer) == 0
    assert count(db_path, AuditEntry) == 0


def test_any_row_in_error_means_exit_1_and_nothing_written(db_path, tmp_path, capsys):
    rows = GOOD + [["Cy", "", "31/02/2026", "123", "cy.example.org", ""]]
    path = write_csv(tmp_path / "people.csv", rows)
    assert run_import(db_path, "volunteers", str(path), "--json") == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["written"] is False
    assert payload["counts"] == {"new": 2, "update": 0, "unchanged": 0, "duplicate": 0, "error": 1}
    (bad,) = [r for r in payload["rows"] if r["outcome"] == "error"]
    assert bad["row"] == 4
    assert bad["errors"] == [
        {"column": "D.O.B.", "message": "31/02/2026 is not a date"},
        {"column": "Mobile", "message": "123 is not a UK phone number (like 07700 900123)"},
        {
            "column": "E-mail",
            "message": "cy.example.org is not an email address (like name@example.org)",
        },
        {"column": "Surname", "message": "Last name is required"},
    ]
    assert count(db_path, Volunteer) == 0


def test_the_error_text_names_row_and_column(db_path, tmp_path, capsys):
    path = write_csv(tmp_path / "p.csv", [GOOD[0], ["Cy", "Young", "31/02/2026", "", "", ""]])
    assert run_import(db_path, "volunteers", str(path)) == 1
    out = capsys.readouterr().out
    assert (
        "  row 2     error      Cy Young\n                 D.O.B.: 31/02/2026 is not a date" in out
    )
    assert "Nothing was written: 1 row is in error." in out


def test_unreadable_file_or_unusable_mapping_is_exit_2(db_path, tmp_path, capsys):
    assert run_import(db_path, "volunteers", str(tmp_path / "missing.csv")) == 2
    assert "There is no file" in capsys.readouterr().err
    path = write_csv(tmp_path / "p.csv", [["Forename", "Phone"], ["Ann", "07700 900001"]])
    assert run_import(db_path, "volunteers", str(path)) == 2
    assert "Last name" in capsys.readouterr().err
    assert run_import(db_path, "volunteers", str(path), "--mapping", "last_name=Nope") == 2
    assert "no column 'Nope'" in capsys.readouterr().err


def test_mapping_on_the_command_line_and_from_a_json_file(db_path, tmp_path, capsys):
    path = write_csv(
        tmp_path / "p.csv", [["Who", "Family", "Phone"], ["Ann", "Lee", "07700 900001"]]
    )
    assert (
        run_import(db_path, "volunteers", str(path), "--mapping", "first_name=Who,last_name=Family")
        == 0
    )
    capsys.readouterr()
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"first_name": "Who", "last_name": "Family", "phone": ""}))
    path2 = write_csv(tmp_path / "q.csv", [["Who", "Family", "Phone"], ["Bob", "Stone", "bad"]])
    assert run_import(db_path, "volunteers", str(path2), "--mapping", str(mapping), "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["mapping"] == {"first_name": "Who", "last_name": "Family"}
    assert count(db_path, Volunteer) == 2


def test_duplicates_are_skipped_unless_told_otherwise(db_path, tmp_path, capsys):
    first = write_csv(
        tmp_path / "a.csv", [["First name", "Surname", "DOB"], ["William", "Smith", "01/05/1960"]]
    )
    assert run_import(db_path, "volunteers", str(first)) == 0
    again = write_csv(
        tmp_path / "b.csv", [["First name", "Surname", "DOB"], ["Bill", "Smith", "01/05/1960"]]
    )
    capsys.readouterr()
    assert run_import(db_path, "volunteers", str(again)) == 0
    out = capsys.readouterr().out
    assert "row 2     duplicate  Bill Smith, born 01/05/1960 -> skip" in out
    assert "may be William Smith (born 01/05/1960) (id 1): similar name, same date of birth" in out
    assert count(db_path, Volunteer) == 1
    assert run_import(db_path, "volunteers", str(again), "--duplicates", "create") == 0
    assert count(db_path, Volunteer) == 2


def test_training_and_clearances_from_one_xlsx_sheet(db_path, tmp_path, capsys):
    people = write_csv(
        tmp_path / "v.csv", [["First name", "Surname", "DOB"], ["Ann", "Lee", "04/03/1970"]]
    )
    assert run_import(db_path, "volunteers", str(people)) == 0
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Checks")
    sheet.append(
        ["Name", "DOB", "Safeguarding date", "Key training date", "DBS No.", "DBS issue date"]
    )
    sheet.append(["Ann Lee", "04/03/1970", "10/01/2025", 46000, 1234567890, "01/02/2024"])
    book.save(tmp_path / "checks.xlsx")
    file = str(tmp_path / "checks.xlsx")
    assert run_import(db_path, "training", file, "--sheet", "Checks") == 0
    assert run_import(db_path, "clearances", file, "--sheet", "Checks") == 0
    assert count(db_path, TrainingRecord) == 2
    assert count(db_path, Clearance) == 1
    out = capsys.readouterr().out
    assert "Ann Lee: Key and security training, completed 09/12/2025" in out
    assert "Ann Lee: DBS check, granted 01/02/2024" in out
    assert run_import(db_path, "training", file) == 2  # the first sheet has no such columns


def test_the_command_names_every_target_and_stays_light_to_import():
    import subprocess
    import sys

    from volunteerdesk.core.importing import TARGETS

    assert tuple(TARGETS) == cli_import.TARGET_NAMES
    code = (
        "import sys, volunteerdesk.cli_import; print('volunteerdesk.core.importing' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_help(capsys):
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0]
    if "import" not in commands.choices:
        cli_import.add_parser(commands)
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["import", "--help"])
    assert exited.value.code == 0
    assert "usage: volunteerdesk import" in capsys.readouterr().out
