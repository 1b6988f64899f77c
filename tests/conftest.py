"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

Set ``VOLUNTEERDESK_TEST_PG`` to a PostgreSQL URL of a server you may create databases
on (``.ci/run`` starts one) and every test using ``database`` runs on both back ends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from datetime import date
from pathlib import Path

# Before anything imports Qt: no display on these machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch the real per-user data folder from a test.
os.environ["VOLUNTEERDESK_HOME"] = tempfile.mkdtemp(prefix="vd-home-")
os.environ.pop("VOLUNTEERDESK_DB", None)
# The start-up summary of the week is tested on its own; other window tests skip it.
os.environ.setdefault("VOLUNTEERDESK_NO_WEEK_SUMMARY", "1")

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from volunteerdesk.core.db import open_database  # noqa: E402

PG_URL = os.environ.get("VOLUNTEERDESK_TEST_PG", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])

# The demo data is built as of this day in tests, so counts do not drift with the calendar.
DEMO_TODAY = date(2026, 11, 23)


def _create_pg_database() -> str:
    name = f"vd_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """The URL of a new, empty database on each configured back end."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url = _create_pg_database()
    yield url
    _drop_pg_database(url)


@pytest.fixture
def database(db_url):
    """A migrated, seeded, empty VolunteerDesk database (SQLite and PostgreSQL)."""
    db = open_database(db_url, username="tester")
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(tmp_path):
    db = open_database(tmp_path / "test.db", username="tester")
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def small_demo_template(tmp_path_factory) -> Path:
    """The small demo built once per test run into a file that tests copy."""
    from volunteerdesk.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "small-demo.db"
    db = open_database(path, username="tester")
    build_demo(db, size="small", seed=1, today=DEMO_TODAY)
    db.dispose()
    return path


@pytest.fixture
def small_demo(small_demo_template, tmp_path):
    """A private copy of the small demo database, opened."""
    path = tmp_path / "demo.db"
    shutil.copyfile(small_demo_template, path)
    db = open_database(path, username="tester")
    yield db
    db.dispose()
