"""Database failures reach people in words, and the program carries on afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa
from sqlalchemy import select, text

from volunteerdesk.core.db import open_database
from volunteerdesk.core.errors import ConnectionLost, DatabaseBusy, DiskFull, plain_error
from volunteerdesk.core.models import Volunteer


def _dbapi(message: str) -> sa.DBAPIError:
    return sa.OperationalError("SELECT 1", {}, Exception(message))


@pytest.mark.parametrize(
    ("message", "kind", "words"),
    [
        ("server closed the connection unexpectedly", ConnectionLost, "connection"),
        ("database or disk is full", DiskFull, "disk is full"),
        ("database is locked", DatabaseBusy, "busy"),
    ],
)
def test_failures_people_meet_are_said_in_words(message, kind, words):
    told = plain_error(_dbapi(message))
    assert isinstance(told, kind)
    assert words in str(told)
    assert "not" in str(told)  # it says what did not happen
    assert isinstance(told.__cause__, sa.DBAPIError)  # the driver's words kept for the log


def test_other_errors_come_back_unchanged():
    error = ValueError("31/02/2026 is not a date")
    assert plain_error(error) is error
    integrity = sa.IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
    assert plain_error(integrity) is integrity


def test_a_dropped_server_connection_is_told_and_the_next_try_works(database):
    if database.is_sqlite:
        pytest.skip("PostgreSQL only: a server connection to drop")
    with pytest.raises(sa.DBAPIError) as caught, database.uow() as session:
        session.execute(select(Volunteer.id).limit(1)).all()
        victim = session.execute(text("SELECT pg_backend_pid()")).scalar()
        # Another connection ends ours, as a server restart or a network cut would.
        other = open_database(database.url, username="admin")
        try:
            with other.uow() as s2:
                s2.execute(text("SELECT pg_terminate_backend(:p)"), {"p": victim})
        finally:
            other.dispose()
        session.execute(select(Volunteer.id).limit(1)).all()
    told = plain_error(caught.value)
    assert isinstance(told, ConnectionLost)
    with database.uow() as session:  # the pool reconnects: work carries on
        assert session.execute(text("SELECT 1")).scalar() == 1
