"""The command line, run as a person or a scheduled task would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from volunteerdesk import __version__
from volunteerdesk.cli import build_parser, main


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "volunteerdesk", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"VolunteerDesk {__version__}"


def test_every_sub_command_has_help():
    commands = build_parser()._subparsers._group_actions[0].choices
    assert {"gui", "demo", "info"} <= set(commands)
    for name in commands:
        result = run_cli(name, "--help")
        assert result.returncode == 0, name
        assert f"usage: volunteerdesk {name}" in result.stdout


def test_info_on_a_new_file_creates_it(tmp_path, capsys):
    path = tmp_path / "fresh.db"
    assert main(["--db", str(path), "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert path.exists()
    assert info["database"] == str(path)
    assert info["volunteers"] == 0
    assert info["schema"]


def test_db_from_the_environment(tmp_path):
    path = tmp_path / "from-env.db"
    result = run_cli("info", "--json", env={"VOLUNTEERDESK_DB": str(path)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["database"] == str(path)


def test_a_file_that_is_not_a_database_gives_a_clear_message(tmp_path):
    path = tmp_path / "letter.db"
    path.write_text("Dear Sir or Madam,\n" * 40)
    result = run_cli("--db", str(path), "info")
    assert result.returncode == 2
    assert "is not a VolunteerDesk database" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_text().startswith("Dear Sir")


def test_bad_date_is_a_usage_error(tmp_path):
    result = run_cli("--db", str(tmp_path / "x.db"), "demo", "--today", "31/02/2026")
    assert result.returncode == 2
    assert "is not a date" in result.stderr


def test_demo_small_fills_the_database_and_refuses_a_second_time(tmp_path):
    path = str(tmp_path / "demo.db")
    first = run_cli("--db", path, "demo", "--size", "small", "--seed", "3", "--json")
    assert first.returncode == 0, first.stderr
    counts = json.loads(first.stdout)
    assert 100 <= counts["volunteers"] <= 130
    assert counts["sites"] == 3
    info = json.loads(run_cli("--db", path, "info", "--json").stdout)
    assert info["volunteers"] == counts["volunteers"]
    assert info["shifts"] > 300
    again = run_cli("--db", path, "demo", "--size", "small")
    assert again.returncode == 1
    assert "already" in again.stderr.lower()


@pytest.mark.parametrize("url", ["postgresql+psycopg://nobody@127.0.0.1:1/none"])
def test_unreachable_server(url):
    result = run_cli("--db", url, "info")
    assert result.returncode == 2
    assert "Cannot reach the database server" in result.stderr


def _sqlite_path(db) -> str:
    return db.url.removeprefix("sqlite:///")


def test_check_lists_expiries_and_fails_on_assignments_that_break_a_rule(small_demo):
    result = run_cli("--db", _sqlite_path(small_demo), "check", "--date", "2026-11-23", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["date"] == "2026-11-23" and report["site"] == "every site"
    assert report["expired"] and report["expiring"] and report["pending"]
    assert all(item["state"] in {"expired", "refused"} for item in report["expired"])
    assert all(b["date"] >= "2026-11-23" for b in report["breaches"])
    assert any("expired on" in r for b in report["breaches"] for r in b["reasons"])
    pending = [p["since"] for p in report["pending"] if p["since"]]
    assert pending == sorted(pending), "the chase list is oldest first"


def test_check_for_one_site_by_name_in_words(small_demo):
    result = run_cli(
        "--db", _sqlite_path(small_demo), "check", "--site", "hmp westmoor", "--date", "2026-11-23"
    )
    assert "Compliance check for HMP Westmoor on 23/11/2026" in result.stdout
    assert "Assignments that will break a rule:" in result.stdout
    assert "Westmoor Crown Court," not in result.stdout


def test_check_with_an_unknown_or_ambiguous_site(small_demo):
    unknown = run_cli("--db", _sqlite_path(small_demo), "check", "--site", "HMP Nowhere")
    assert unknown.returncode == 2 and "No site is called" in unknown.stderr
    vague = run_cli("--db", _sqlite_path(small_demo), "check", "--site", "Westmoor")
    assert vague.returncode == 2 and "matches 3 sites" in vague.stderr


def test_check_passes_when_nothing_is_rostered(tmp_path):
    result = run_cli("--db", str(tmp_path / "empty.db"), "check")
    assert result.returncode == 0
    assert "Assignments that will break a rule: 0" in result.stdout


def test_backup_and_restore_from_the_command_line(tmp_path):
    live = str(tmp_path / "live.db")
    assert run_cli("--db", live, "info").returncode == 0
    made = run_cli("--db", live, "backup", "-o", str(tmp_path / "copy.db"), "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["backup"] == str(tmp_path / "copy.db")
    back = run_cli("--db", live, "restore", str(tmp_path / "copy.db"))
    assert back.returncode == 0, back.stderr
    assert "was kept as" in back.stdout
    junk = tmp_path / "junk.db"
    junk.write_text("junk")
    refused = run_cli("--db", live, "restore", str(junk))
    assert refused.returncode == 2
    assert "Nothing was changed" in refused.stderr
