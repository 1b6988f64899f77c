"""Alembic environment: uses the engine handed over by volunteerdesk.core.migrations."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from volunteerdesk.core.models import Base

target_metadata = Base.metadata
config = context.config


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # the alembic command line, for developers
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - we never generate SQL scripts
    raise SystemExit("offline migrations are not supported")
run()
