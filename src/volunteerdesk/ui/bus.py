"""One place where changes are announced, so each page refreshes only what it shows.

A page or dialog that saved something calls ``bus.announce(changes)`` with the
``core.changes.Changes`` the service returned; every page whose ``watches`` intersect
the changed subjects reloads (now if visible, else on its next visit).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..core.changes import Changes


class ChangeBus(QObject):
    changed = Signal(object)  # a Changes

    def announce(self, changes: Changes) -> None:
        if changes.subjects:
            self.changed.emit(changes)
