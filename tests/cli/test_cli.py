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
