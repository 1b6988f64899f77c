"""The dialog shown when someone else saved a record while it was being edited here."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.services.editing import ConflictError
from .audit_viewer import local_time


class ConflictChoice(enum.Enum):
    RELOAD = "reload"
    REAPPLY = "reapply"
    CANCEL = "cancel"


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


class ConflictDialog(QDialog):
    """Shows what the other person changed and what you changed; reload or re-apply."""

    def __init__(
        self,
        conflict: ConflictError,
        mine: dict[str, Any],
        labels: dict[str, str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Someone else saved this record")
        self.choice = ConflictChoice.CANCEL
        layout = QVBoxLayout(self)
        saved = conflict.saved
        if saved is not None:
            self.setWindowTitle(f"{saved.username} saved this record")
            when = f"{local_time(saved.at):%H:%M on %d/%m/%Y}"
            told = f"Saved by {saved.username} at {when}, after you opened this {conflict.entity}."
        else:
            told = f"Someone else saved this {conflict.entity} after you opened it."
        intro = QLabel(
            f"{told} Nothing has been overwritten. Their changes are below, beside yours."
        )
        intro.setObjectName("conflict_intro")
        intro.setAccessibleName("What happened")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        keys = [c.field for c in conflict.theirs] + [
            k for k in mine if k not in {c.field for c in conflict.theirs}
        ]
        table = QTableWidget(len(keys), 4, self)
        table.setObjectName("conflict_table")
        table.setAccessibleName("Changes by you and by the other person")
        table.setHorizontalHeaderLabels(
            [
                "Field",
                "When you opened it",
                f"Saved by {saved.username if saved else 'them'}",
                "Your change",
            ]
        )
        theirs = {c.field: c for c in conflict.theirs}
        for row, key in enumerate(keys):
            change = theirs.get(key)
            cells = [
                labels.get(key, key.replace("_", " ").capitalize()),
                _show(change.when_opened) if change else "",
                _show(change.now) if change else "(unchanged)",
                _show(mine[key]) if key in mine else "(unchanged)",
            ]
            for col, text in enumerate(cells):
                table.setItem(row, col, QTableWidgetItem(text))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        layout.addWidget(table)

        overlap = sorted(set(theirs) & set(mine))
        if overlap:
            warn = QLabel(
                "You both changed: "
                + ", ".join(labels.get(k, k) for k in overlap)
                + ". Re-applying keeps your values for these."
            )
            warn.setWordWrap(True)
            layout.addWidget(warn)

        buttons = QDialogButtonBox(self)
        self.reload_button = QPushButton("&Reload their version")
        self.reload_button.setToolTip("Discard your changes and show the record as saved now")
        self.reapply_button = QPushButton("Re-&apply my changes")
        self.reapply_button.setToolTip("Save your changes on top of theirs")
        buttons.addButton(self.reapply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.reload_button.clicked.connect(lambda: self._finish(ConflictChoice.RELOAD))
        self.reapply_button.clicked.connect(lambda: self._finish(ConflictChoice.REAPPLY))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 320)

    def _finish(self, choice: ConflictChoice) -> None:
        self.choice = choice
        self.accept()
