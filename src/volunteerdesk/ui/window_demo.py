"""The main window's offer to fill an empty database with the small demo, and loading it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from .main_window import DEMO_QUESTION

if TYPE_CHECKING:
    from ..core.db import Database
    from .main_window import MainWindow


def _load_small_demo(db: Database, progress) -> None:
    from ..core.demo import build_demo  # imported only when asked for: keeps start-up fast

    build_demo(db, size="small", progress=progress)


def check_empty(window: MainWindow) -> None:
    """Count the volunteers in the background; offer the demo when there are none."""
    from ..core.services.volunteers import count_volunteers

    def count():
        with window.db.uow() as session:
            return count_volunteers(session)

    window.ops.run(count, lambda n: window.ask_to_load_demo() if n == 0 else None)


def ask_to_load_demo(window: MainWindow) -> QMessageBox:
    """Ask, without blocking, whether to fill an empty database with the small demo."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Empty database")
    box.setText(DEMO_QUESTION)
    box.setInformativeText(
        "The demo has made-up volunteers, prisons, courts and rotas to try the program "
        "with. You can start with your own data instead."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    box.setAccessibleName("Load demo data?")
    box.finished.connect(window._demo_answer)
    window.demo_prompt = box
    box.open()
    return box


def load_demo(window: MainWindow) -> None:
    """Load the small demo in the background, with a (non-modal) progress dialog."""
    progress = QProgressDialog("Loading the small demo data…", "", 0, 100, window)
    progress.setWindowTitle("Demo data")
    progress.setCancelButton(None)
    progress.setMinimumDuration(0)
    # Not modal: a modal QProgressDialog runs processEvents() inside setValue().
    progress.setWindowModality(Qt.WindowModality.NonModal)
    progress.setAccessibleName("Loading demo data")
    progress.show()
    window.demo_progress = progress
    window.ops.run_with_progress(
        lambda report: _load_small_demo(window.db, report),
        lambda message, fraction: _demo_progress(window, message, fraction),
        lambda result: _demo_done(window, result),
        lambda error: _demo_failed(window, error),
    )


def _demo_progress(window: MainWindow, message: str, fraction: float) -> None:
    if window.demo_progress is not None:
        window.demo_progress.setLabelText(f"Loading the small demo data: {message}…")
        window.demo_progress.setValue(int(fraction * 100))


def _close_progress(window: MainWindow) -> None:
    if window.demo_progress is not None:
        window.demo_progress.close()
        window.demo_progress = None


def _demo_done(window: MainWindow, _result) -> None:
    _close_progress(window)
    window.statusBar().showMessage("Demo data loaded.", 5000)
    window.refresh_all()
    window.demo_loaded.emit()


def _demo_failed(window: MainWindow, error: BaseException) -> None:
    _close_progress(window)
    QMessageBox.warning(window, "Demo data", f"The demo data could not be loaded: {error}")
