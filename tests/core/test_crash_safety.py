"""Killing the program in the middle of writes never loses a committed change.

A child process writes volunteers through the normal unit of work, printing each id once
its transaction has committed; the test kills it with SIGKILL at varying moments, many
times, then checks the file opens, passes integrity_check and holds every printed id.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from volunteerdesk.core.db import open_database
from volunteerdesk.core.models import Volunteer

WRITER = """
import sys
from volunteerdesk.core.db import open_database
from volunteerdesk.core.models import Volunteer, VolunteerStatus
db = open_database(sys.argv[1], username="writer")
n = 0
while True:
    n += 1
    with db.uow() as s:
        v = Volunteer(first_name="Crash", last_name=f"Test {n}", status=VolunteerStatus.ACTIVE,
                      notes="x" * 2000)
        s.add(v)
        s.flush()
        vid = v.id
    print(vid, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_writes_loses_nothing_committed(tmp_path):
    path = tmp_path / "crash.db"
    open_database(path).dispose()
    rng = random.Random(7)
    committed: set[int] = set()
    for _round in range(8):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        # Wait until it is writing, then let it run a random while and kill it.
        first = proc.stdout.readline()
        assert first.strip().isdigit(), proc.stderr.read() if proc.stderr else ""
        committed.add(int(first))
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        committed.update(int(line) for line in proc.stdout.read().split() if line.isdigit())
        con = sqlite3.connect(path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
    db = open_database(path)
    try:
        with db.uow() as s:
            stored = {vid for (vid,) in s.query(Volunteer.id)}
    finally:
        db.dispose()
    assert len(committed) > 20
    assert committed <= stored, f"lost: {sorted(committed - stored)[:10]}"
