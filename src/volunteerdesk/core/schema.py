"""The schema revision this program writes, known without importing Alembic.

Start-up compares a database's revision with ``HEAD`` and loads Alembic only when a
migration is due. ``tests/core/test_migrations.py`` checks that this matches Alembic's head.
"""

HEAD = "0001"
