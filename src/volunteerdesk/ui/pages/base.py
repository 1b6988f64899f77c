"""What every page shares: lazy loading through the background runner."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from ...core.db import Database
from ...core.memory import bulk_load
from ..bus import ChangeBus
from ..ops import Ops


class Page(QWidget):
    """A page loads its data the first time it is shown, off the GUI thread.

    Subclasses implement ``fetch`` (runs on the worker: open a unit of work, call a
    service, return dataclasses) and ``show_data`` (runs on the GUI thread).
    """

    title = "Page"
    # The change subjects (see core.changes.SUBJECTS) that make this page reload.
    watches: frozenset[str] = frozenset()
    data_shown = Signal()  # each time fresh data has been put on screen
    # Ask the main window to open a record: ("volunteer", id), ("community", id), ...
    open_record = Signal(str, int)

    def __init__(self, db: Database, ops: Ops, today: date | None = None) -> None:
        super().__init__()
        self.db = db
        self.ops = ops
        self._today = today
        self._loaded = False
        self._loading = False
        self._stale = False
        self.bus = ChangeBus(self)  # replaced by the main window's shared bus
        self.setAccessibleName(self.title)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorText")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(f"{self.title}: error")
        self.error_label.hide()

    @property
    def today(self) -> date:
        return self._today or date.today()

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    def activate(self) -> None:
        """Called when the page is shown: load on first visit or after a change."""
        if (not self._loaded or self._stale) and not self._loading:
            self.reload()

    def mark_stale(self) -> None:
        """The data changed: reload now if visible, else on the next visit."""
        self._stale = True
        if self.isVisible():
            self.activate()

    def reload(self) -> None:
        self._loading = True
        self._stale = False
        self.ops.run(self._fetch_frozen, self._deliver, self._failed)

    def _fetch_frozen(self) -> Any:
        # A page's data is thousands of long-lived objects: built with the collector
        # paused and then frozen out of its full collections, which otherwise walked
        # them again and again (10-33 ms each, holding the interpreter lock, so the
        # window froze too). See core/memory.py for the trade-off.
        with bulk_load():
            return self.fetch()

    def _deliver(self, data: Any) -> None:
        self._loading = False
        self.error_label.hide()
        self.show_data(data)
        self._loaded = True
        self.data_shown.emit()

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        self.error_label.setText(f"Could not load this page: {error}")
        self.error_label.show()

    # --- for subclasses ------------------------------------------------------------------
    def fetch(self) -> Any:
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError
