"""Alembic environment: uses the engine handed over by volunteerdesk.core.migrations.

Run from the alembic command line (developers, with alembic.ini) it works on a scratch
SQLite database, creating its folder on a clean clone; before ``revision --autogenerate``
and ``check`` the scratch database is brought to the newest revision, so the comparison
is between the models and the migrations, not a stale scratch file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import context
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from volunteerdesk.core.models import Base

target_metadata = Base.metadata
config = context.config

# Runs the program's own migrations on the scratch file, in a separate interpreter:
# Alembic allows one command at a time in a process, and this runs inside one.
UPGRADE = (
    "import sys; from sqlalchemy import create_engine; "
    "from volunteerdesk.core.migrations import upgrade; upgrade(create_engine(sys.argv[1]))"
)


def _scratch_url() -> str:
    """The alembic.ini URL; a relative SQLite path is taken from alembic.ini's folder and
    the folder is created if it is missing."""
    url = make_url(config.get_main_option("sqlalchemy.url"))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return url.render_as_string(hide_password=False)
    path = Path(url.database)
    if not path.is_absolute() and config.config_file_name:
        path = Path(config.config_file_name).resolve().parent / path
    path.parent.mkdir(parents=True, exist_ok=True)
    return url.set(database=str(path)).render_as_string(hide_password=False)


def _compares_with_models() -> bool:
    """True for ``alembic revision --autogenerate`` and ``alembic check``."""
    options = config.cmd_opts
    if options is None:
        return False
    command = getattr(options, "cmd", None)
    name = getattr(command[0], "__name__", "") if command else ""
    return name == "check" or bool(getattr(options, "autogenerate", False))


def _bring_to_head(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as con:
            current = None
            if inspect(con).has_table("alembic_version"):
                current = con.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
    head = ScriptDirectory.from_config(config).get_current_head()
    if current != head:
        print(f"Bringing the scratch database to {head} (it was at {current or 'nothing'})")
        subprocess.run([sys.executable, "-c", UPGRADE, url], check=True)


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # the alembic command line, for developers
        url = _scratch_url()
        if _compares_with_models():
            _bring_to_head(url)
        engine = create_engine(url)
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
