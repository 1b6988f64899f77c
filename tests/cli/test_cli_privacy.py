"""``volunteerdesk privacy export|erase|review`` on the small demo (built as of 23/11/2026).

Run through a tiny parser around ``cli_privacy`` (what ``cli.py`` registers), and through
``volunteerdesk.cli.main`` once it is registered there.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from volunteerdesk import cli, cli_privacy
from volunteerdesk.core.db import open_database
from volunteerdesk.core.models import Volunteer

REGISTERED = "privacy" in getattr(cli, "COMMANDS", {})


def run(db_path: str, *args: str) -> int:
    if REGISTERED:
        return cli.main(["--db", db_path, "privacy", *args])
    parser = argparse.ArgumentParser(prog="volunteerdesk")
    parser.add_argument("--db")
    cli_privacy.add_parsers(parser.add_subparsers(dest="command"))
    parsed = parser.parse_args(["--db", db_path, "privacy", *args])
    db = open_database(parsed.db, username="tester")
    try:
        return cli_privacy.run(db, parsed)
    finally:
        db.dispose()


@pytest.fixture
def demo(small_demo) -> str:
    path = small_demo.url.removeprefix("sqlite:///")
    small_demo.dispose()
    return path


def _person(path: str, vid: int) -> Volunteer:
    db = open_database(path)
    try:
        with db.uow() as s:
            return s.get(Volunteer, vid)
    finally:
        db.dispose()


def test_review_lists_dbs_details_kept_too_long(demo, capsys):
    assert run(demo, "review", "--today", "2026-11-23", "--json") == 1
    out = json.loads(capsys.readouterr().out)
    assert out["leavers"] == []  # the demo's leavers left in 2024 and 2025
    rules = [x["rule"] for x in out["dbs"]]
    assert any(r.startswith("Replaced by a newer certificate") for r in rules)
    assert any(r.startswith("Left on") for r in rules)
    assert run(demo, "review", "--today", "2031-11-01") == 1
    text = capsys.readouterr().out
    assert "left 31/10/2024" in text and "more than 6 years ago" in text


def test_export_by_name_writes_the_pdf_and_the_json(demo, tmp_path, capsys):
    person = _person(demo, 2)
    name = f"{person.first_name} {person.last_name}"
    assert run(demo, "export", name, "-o", str(tmp_path / "out"), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    data = json.loads(Path(out["json"]).read_text(encoding="utf-8"))
    assert data["volunteer"]["id"] == 2 and data["volunteer"]["email"] == person.email
    assert Path(out["pdf"]).read_bytes()[:4] == b"%PDF"
    assert run(demo, "export", "Nobody Atall", "-o", str(tmp_path)) == 2
    assert "No volunteer is called" in capsys.readouterr().err


def test_erase_refuses_without_confirmation_off_a_terminal(demo, capsys):
    assert run(demo, "erase", "2", "--reason", "Asked") == 2
    assert "--yes" in capsys.readouterr().err
    assert _person(demo, 2).erased_on is None


def test_erase_asks_for_the_name_on_a_terminal(demo, capsys, monkeypatch):
    person = _person(demo, 3)
    monkeypatch.setattr(cli_privacy, "_interactive", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": "someone else")
    assert run(demo, "erase", "3", "--reason", "Asked") == 2
    assert _person(demo, 3).erased_on is None
    monkeypatch.setattr(
        "builtins.input", lambda prompt="": f"{person.first_name} {person.last_name}"
    )
    assert run(demo, "erase", "3", "--reason", "Asked") == 0
    assert "Former volunteer 3" in capsys.readouterr().out


def test_erase_with_yes_anonymises_and_says_so(demo, capsys):
    assert run(demo, "erase", "2", "--reason", "Asked in writing", "--yes", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["now"] == "Former volunteer 2" and "VACUUM" in out["vacuum"]
    after = _person(demo, 2)
    assert after.display_name == "Former volunteer 2" and after.email == ""
    assert run(demo, "erase", "2", "--reason", "again", "--yes") == 2
    assert "already been erased" in capsys.readouterr().err
