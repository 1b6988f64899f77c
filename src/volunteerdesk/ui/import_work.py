"""Background steps of the import wizard: run on the worker with a progress bar and Cancel."""

from __future__ import annotations

import threading
import weakref
from typing import Any

from .import_text import problem_text


class BackgroundSteps:
    """Mixin for ``ImportWizard``: starts, follows and stops its background steps.

    It uses the wizard's ``ops``, ``status``, progress row, ``busy``, ``_stop``, ``_closed``,
    ``_say`` and ``_update_buttons``.
    """

    def _start(self, title: str, work, on_result) -> None:
        """Run ``work(progress, cancelled)`` on the worker with a progress bar and Cancel."""
        stop = threading.Event()
        self._stop, self.busy = stop, True
        self._say("")
        self.progress_label.setText(title)
        self.progress.setValue(0)
        self.progress_row.show()
        self.stop_button.setEnabled(True)
        self._update_buttons()
        self.stop_button.setFocus()

        # The worker keeps these callbacks until its job is deleted, on its own thread: they
        # hold the window weakly, so the window is never destroyed there.
        me = weakref.ref(self)

        def done(value: Any) -> None:
            wizard = me()
            if wizard is not None and wizard._finish():
                on_result(wizard, value)

        def failed(exc: BaseException) -> None:
            wizard = me()
            if wizard is not None and wizard._finish():
                wizard._say(problem_text(exc))

        def progressed(message: str, fraction: float) -> None:
            wizard = me()
            if wizard is not None:
                wizard._progressed(message, fraction)

        self.ops.run_with_progress(
            lambda progress: work(progress, stop.is_set), progressed, done, failed
        )

    def _progressed(self, message: str, fraction: float) -> None:
        if self.busy and not self._closed:
            self.progress_label.setText(message)
            self.progress.setValue(int(max(0.0, min(fraction, 1.0)) * 1000))

    def _finish(self) -> bool:
        """Back to idle after a background step; False if the window has gone."""
        self.busy, self._stop = False, None
        if self._closed:
            return False
        self.progress_row.hide()
        self._update_buttons()
        return True

    def cancel_work(self) -> None:
        if self._stop is not None:
            self._stop.set()
            self.stop_button.setEnabled(False)
            self.progress_label.setText("Stopping...")
