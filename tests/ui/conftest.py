"""GUI test settings shared by every test under tests/ui."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

# CI machines have two cores shared with a PostgreSQL server, so background work can take
# far longer than on a desk. A wait that gives up too early reports a false failure; a real
# hang still fails, only later.
CI_WAIT_MS = 30_000

_wait_until = QtBot.waitUntil
_wait_signal = QtBot.waitSignal


def _patient_wait_until(self, callback, *, timeout=CI_WAIT_MS):
    return _wait_until(self, callback, timeout=timeout)


def _patient_wait_signal(self, signal=None, *, timeout=CI_WAIT_MS, **kwargs):
    return _wait_signal(self, signal, timeout=timeout, **kwargs)


QtBot.waitUntil = _patient_wait_until
QtBot.waitSignal = _patient_wait_signal
