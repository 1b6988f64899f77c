"""A background job that meets a lost server or a full disk reports it in words."""

from __future__ import annotations

from sqlalchemy import exc as sa

from volunteerdesk.core.errors import ConnectionLost
from volunteerdesk.ui.ops import Ops


def test_background_failures_arrive_in_words(qtbot):
    ops = Ops()
    got = []

    def lose_the_server():
        raise sa.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    ops.run(lose_the_server, None, got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert isinstance(got[0], ConnectionLost)
    assert "connection to the database server was lost" in str(got[0])
    assert "server closed the connection" in got[0].traceback_text  # kept for the log
    ops.shutdown()
