"""Every kept release database opens with this program, upgraded, with its data intact.

The files come from scripts/keep_release_database.py, one per release (never edited).
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from release_manifest import manifest
from volunteerdesk.core.db import open_database
from volunteerdesk.core.schema import HEAD

RELEASES = Path(__file__).resolve().parents[1] / "data" / "releases"
KEPT = sorted(RELEASES.glob("*.db.gz"))


def test_there_is_a_database_from_at_least_one_release():
    assert KEPT, "scripts/keep_release_database.py writes one per release"


@pytest.mark.parametrize("kept", KEPT, ids=[p.name.removesuffix(".db.gz") for p in KEPT])
def test_release_database_upgrades_with_its_data(kept: Path, tmp_path):
    path = tmp_path / "old.db"
    with gzip.open(kept, "rb") as source, open(path, "wb") as out:
        shutil.copyfileobj(source, out)
    expected = json.loads(kept.with_name(kept.name.removesuffix(".db.gz") + ".json").read_text())

    db = open_database(path, username="upgrade-test")
    try:
        with db.uow() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            held = manifest(session)
            integrity = session.execute(text("PRAGMA integrity_check")).scalar()
    finally:
        db.dispose()
    assert revision == HEAD
    assert integrity == "ok"
    assert held["counts"] == expected["counts"]
    assert held["people"] == expected["people"]  # names (any script) and emails as written
