"""What every record editor shares: Save only when valid and changed, shortcuts, undo,
a prompt before losing changes, and conflicts with other people's saves.

A subclass builds its fields on ``self.form`` and implements three methods:

- ``load(session) -> Loaded``: the record's values (as the form shows them), its
  version and a title; called for an existing record and after a conflict reload;
- ``new_values() -> dict``: the values of a new record;
- ``store(session, values, changed, version, opened) -> Saved``: write through a core
  service (which audits), returning the id, new version and the ``Changes``. It raises
  ``ConflictError`` when the record moved on since ``opened``.

Editors are non-modal windows: several can be open at once, and two editors of the same
record meet the same conflict handling as two computers on a shared server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...core.access import NotAllowed
from ...core.changes import Changes
from ...core.db import Database, DatabaseError
from ...core.errors import plain_error
from ...core.services.editing import ConflictError, RecordGone, last_save
from ...core.validation import InvalidValue
from ..bus import ChangeBus
from ..dialogs.conflict import ConflictChoice, ConflictDialog
from ..forms import Form


@dataclass
class Loaded:
    values: dict[str, Any]
    version: int
    title: str
    opened: dict[str, Any] = field(default_factory=dict)  # plain column values, for conflicts


@dataclass
class Saved:
    record_id: int
    version: int
    changes: Changes
    opened: dict[str, Any] = field(default_factory=dict)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to ``width`` x ``height``, but no larger than the screen's free area less the
    window frame: at 200% scaling a 1920x1080 screen is only 960x540."""
    screen = window.screen()
    if screen is not None:
        free = screen.availableGeometry()
        width = min(width, free.width() - 20)
        height = min(height, free.height() - 40)
    window.resize(width, height)


class RecordEditor(QDialog):
    entity_label = "record"
    audit_entity: str | None = None  # the audit log's name for the record, when a service
    # raising ConflictError does not say who saved it (the conflict dialog names them)
    saved = Signal(int)  # the record id

    def __init__(
        self,
        db: Database,
        bus: ChangeBus,
        record_id: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.db = db
        self.bus = bus
        self.record_id = record_id
        self.version: int | None = None
        self.opened: dict[str, Any] = {}
        self.form = Form(self)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        self.status = QLabel()
        self.status.setObjectName("note")
        self.status.setAccessibleName("Editor status")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.save_button.clicked.connect(self.save_record)
        self.close_button.clicked.connect(self.close)

        self.undo_action = self.form.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence.StandardKey.Undo])
        self.redo_action = self.form.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        save_action = QAction("Save", self)
        save_action.setShortcut(QKeySequence.StandardKey.Save)
        save_action.triggered.connect(self.save_record)
        for action in (self.undo_action, self.redo_action, save_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

        self.form.validity_changed.connect(self._update_buttons)
        self.form.dirty_changed.connect(self._update_buttons)
        self.form.edited.connect(self._update_buttons)  # keeps "N fields to correct" current

    # ----- for subclasses -------------------------------------------------------------
    def load(self, session: Session) -> Loaded:
        raise NotImplementedError

    def new_values(self) -> dict[str, Any]:
        return {}

    def store(
        self,
        session: Session,
        values: dict[str, Any],
        changed: dict[str, Any],
        version: int | None,
        opened: dict[str, Any],
    ) -> Saved:
        raise NotImplementedError

    def body(self) -> QWidget:
        """The editor's fields (tabs, groups); built by the subclass on ``self.form``."""
        raise NotImplementedError

    # ----- life cycle -----------------------------------------------------------------
    def open_record(self) -> None:
        """Lay out and load; call once after the subclass has built its fields."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.body(), 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.reload()

    def reload(self) -> None:
        if self.record_id is None:
            self.form.set_values(self.new_values())
            self.version = None
            self.opened = {}
            self.setWindowTitle(f"New {self.entity_label}")
        else:
            with self.db.uow() as session:
                loaded = self.load(session)
            self.form.set_values(loaded.values)
            self.version = loaded.version
            self.opened = loaded.opened
            self.setWindowTitle(loaded.title)
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        new = self.record_id is None
        self.save_button.setEnabled(self.form.is_valid and (self.form.is_dirty or new))
        if not self.form.is_valid:
            count = len(self.form.errors())
            self.status.setText(
                f"{count} field{'s' if count != 1 else ''} to correct before saving."
            )
        elif self.form.is_dirty:
            self.status.setText("Unsaved changes.")
        else:
            self.status.setText("")
        title = self.windowTitle().removesuffix(" *")
        self.setWindowTitle(title + (" *" if self.form.is_dirty else ""))

    def save_record(self) -> bool:
        if not self.save_button.isEnabled():
            return False
        values, changed = self.form.values(), self.form.changed_values()
        return self._store(values, changed, self.version, self.opened)

    def _store(self, values, changed, version, opened) -> bool:
        try:
            with self.db.uow() as session:
                result = self.store(session, values, changed, version, opened)
        except ConflictError as conflict:
            return self._resolve(conflict, values, changed)
        except RecordGone as gone:
            QMessageBox.warning(self, "Record deleted", str(gone))
            return False
        except (NotAllowed, InvalidValue, DatabaseError) as refused:
            self._refused("Not saved", str(refused))
            return False
        except IntegrityError as clash:
            self._refused(
                "Not saved",
                "This would duplicate a record that already exists (or refers to one that "
                f"is gone), so it was not saved. Nothing else changed.\n\n{clash.orig}",
            )
            return False
        except Exception as error:  # noqa: BLE001 - a lost server or full disk, in words
            told = plain_error(error)
            if told is error:
                raise
            self._refused("Not saved", str(told))
            return False
        self.record_id = result.record_id
        self.version = result.version
        self.opened = result.opened
        self.form.mark_saved(values)
        self.status.setText("Saved.")
        self.bus.announce(result.changes)
        self.saved.emit(result.record_id)
        self._update_buttons()
        self.status.setText("Saved.")
        return True

    def _refused(self, title: str, text: str) -> None:
        """Say why nothing was saved; the person's changes stay in the form."""
        self.status.setText(f"{title}: {text}")
        box = QMessageBox(QMessageBox.Icon.Warning, title, f"{text}\n\nYour changes are still here.",
                          QMessageBox.StandardButton.Ok, self)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setAccessibleName(title)
        box.open()  # not exec(): the editor stays usable, nothing waits on it

    def _resolve(self, conflict: ConflictError, values, changed) -> bool:
        if conflict.saved is None and self.audit_entity and conflict.record_id:
            with self.db.uow() as session:
                conflict.saved = last_save(session, self.audit_entity, conflict.record_id)
        labels = {k: f.label.rstrip(" *") for k, f in self.form.fields.items()}
        dialog = ConflictDialog(conflict, changed, labels, self)
        dialog.exec()
        if dialog.choice is ConflictChoice.RELOAD:
            self.reload()
            self.status.setText("Reloaded the version saved by the other person.")
            return False
        if dialog.choice is ConflictChoice.REAPPLY:
            return self._store(values, changed, conflict.current_version, conflict.current)
        return False

    # ----- leaving --------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self.close()  # goes through the unsaved-changes prompt
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.form.is_dirty and not self._may_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save your changes to this {self.entity_label} before closing?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save_record()
        return answer == QMessageBox.StandardButton.Discard
