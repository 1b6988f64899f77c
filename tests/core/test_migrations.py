"""Migrations: a fresh database reaches head, and head matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from volunteerdesk.core import migrations
from volunteerdesk.core.db import make_engine
from volunteerdesk.core.models import Base


def test_fresh_database_to_head_matches_the_models(db_url):
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine)
        with engine.connect() as con:
            diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
            tables = set(inspect(con).get_table_names())
        assert diff == [], f"models and migrations differ: {diff}"
        assert set(Base.metadata.tables) <= tables
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(db_url):
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine)
        migrations.downgrade(engine, "base")
        with engine.connect() as con:
            assert "volunteers" not in inspect(con).get_table_names()
        migrations.upgrade(engine)
        with engine.connect() as con:
            assert "volunteers" in inspect(con).get_table_names()
    finally:
        engine.dispose()


def test_every_revision_is_known():
    assert migrations.is_known_revision(migrations.head())
    assert not migrations.is_known_revision("not-a-revision")


def test_the_head_known_without_alembic_is_alembics_head():
    from volunteerdesk.core.schema import HEAD

    assert migrations.head() == HEAD
