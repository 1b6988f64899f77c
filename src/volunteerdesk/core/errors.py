"""Database failures in words a volunteer manager can act on.

A driver's error ("server closed the connection unexpectedly", "database or disk is
full") means nothing to the person at the desk. ``plain_error`` turns the ones people
meet into a ``DatabaseError`` saying what happened and what to do, keeping the original
as its cause for the log; anything else comes back unchanged.
"""

from __future__ import annotations

from .db import DatabaseError


class ConnectionLost(DatabaseError):
    """The server went away (network, restart). The pool reconnects on the next try."""


class DiskFull(DatabaseError):
    pass


class DatabaseBusy(DatabaseError):
    pass


_LOST = (
    "server closed the connection",
    "connection refused",
    "could not connect",
    "terminating connection",
    "connection is closed",
    "connection already closed",
    "the connection is lost",
    "ssl connection has been closed",
    "no connection to the server",
    "timeout expired",
    "could not receive data",
    "could not send data",
    "consuming input failed",
)


def plain_error(error: BaseException) -> BaseException:
    """``error`` itself, or a DatabaseError in words when it is a failure people meet."""
    from sqlalchemy import exc as sa

    if not isinstance(error, sa.DBAPIError):
        return error
    text = str(getattr(error, "orig", None) or error).lower()
    found: DatabaseError | None = None
    if error.connection_invalidated or any(words in text for words in _LOST):
        found = ConnectionLost(
            "The connection to the database server was lost, so this was not done. "
            "Nothing already saved is affected. VolunteerDesk reconnects by itself: "
            "try again when the server or the network is back."
        )
    elif "disk is full" in text or "no space left" in text:
        found = DiskFull(
            "The disk is full, so this was not saved. Nothing already saved is affected. "
            "Free some space (or move the database to another drive) and try again."
        )
    elif "database is locked" in text or "database is busy" in text:
        found = DatabaseBusy(
            "The database is busy with another program's change, so this was not done. "
            "Try again in a moment."
        )
    if found is None:
        return error
    found.__cause__ = error
    return found
