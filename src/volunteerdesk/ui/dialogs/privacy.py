"""Privacy rights for one volunteer: export everything held (subject access), or erase.

``SubjectAccessDialog(db, ops, volunteer_id, parent)`` writes the PDF for the person and
the JSON for records into a chosen folder, in the background, then offers to open it.
``EraseDialog(db, ops, bus, volunteer_id, parent)`` says what will be removed and kept,
asks for the volunteer's name and a reason, erases in the background, vacuums the
database and announces the changes. Both are non-modal: ``dialog.show()``.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.privacy.erasure import erase_volunteer, erasure_preview, former_name, vacuum
from ...core.privacy.subject_access import (
    build_subject_access_pdf,
    subject_access,
    write_subject_access_json,
)
from ...core.settings import load_settings
from ..documents import open_url
from ..exporting import default_folder
from ..widgets import heading, note


def ask_folder(parent: QWidget | None, start: str) -> str:
    """The folder a person chose ("" if cancelled); tests replace it."""
    return QFileDialog.getExistingDirectory(parent, "Choose the folder to write into", start)


def _status(name: str) -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _bullets(lines) -> str:
    return (
        "<ul style='margin-left:-20px'>"
        + "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        + "</ul>"
    )


class SubjectAccessDialog(QDialog):
    """Export everything held about a volunteer, as a PDF for them and JSON for records."""

    exported = Signal(object)  # (pdf path, json path)

    def __init__(self, db, ops, volunteer_id: int, parent=None, today: date | None = None):
        super().__init__(parent)
        self.db, self.ops, self.volunteer_id = db, ops, volunteer_id
        self.today = today or date.today()
        self.written: tuple[Path, Path] | None = None
        self.running = False
        with db.uow() as session:
            from ...core.models import Volunteer

            person = session.get(Volunteer, volunteer_id)
            self.name = person.display_name if person else f"volunteer {volunteer_id}"
        self.setWindowTitle(f"Subject access: {self.name}")
        self.setAccessibleName(f"Subject access for {self.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.folder = QLineEdit(str(default_folder()))
        self.folder.setAccessibleName("Folder to write into")
        self.choose = QPushButton("Choose…")
        self.choose.setAccessibleName("Choose the folder")
        self.choose.clicked.connect(self._choose)
        self.status = _status("Export status")
        self.export_button = QPushButton("Export")
        self.export_button.setAccessibleName("Export the PDF and the JSON")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.open_button = QPushButton("Open folder")
        self.open_button.setAccessibleName("Open the folder")
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self.open_folder)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.close)

        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose)
        form = QFormLayout()
        form.addRow("Folder", row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.open_button, self.export_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(f"Everything held about {self.name}"))
        layout.addWidget(
            note(
                "Writes two files: a PDF to give to the person (their details, contacts, "
                "faith and consent, languages, training, clearances with DBS details, the "
                "sessions they were on, and the log of who recorded or changed anything "
                "about them) and the same as JSON for your records. Exporting DBS details "
                "is recorded in the audit log.",
                "What the export holds",
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setTabOrder(self.folder, self.choose)
        self.setTabOrder(self.choose, self.export_button)
        self.setTabOrder(self.export_button, self.close_button)
        self.resize(620, 300)

    def _choose(self) -> None:
        chosen = ask_folder(self, self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def export(self) -> None:
        folder = Path(self.folder.text().strip()).expanduser()
        if not self.folder.text().strip():
            self.status.setText("Choose the folder to write into.")
            return
        self.export_button.setEnabled(False)
        self.running = True
        self.status.setText("Exporting…")
        db, vid, today = self.db, self.volunteer_id, self.today

        def work() -> tuple[Path, Path]:
            folder.mkdir(parents=True, exist_ok=True)
            with db.uow() as session:
                data = subject_access(session, vid, username=db.username)
                settings = load_settings(session)
            stem = f"subject-access-{vid}-{today:%Y-%m-%d}"
            json_path = write_subject_access_json(data, folder / f"{stem}.json")
            pdf_path = folder / f"{stem}.pdf"
            pdf_path.write_bytes(build_subject_access_pdf(data, settings, db.username, today))
            return pdf_path, json_path

        self.ops.run(work, self._done, self._failed)

    def _done(self, paths: tuple[Path, Path]) -> None:
        self.written = paths
        self.running = False
        self.export_button.setEnabled(True)
        self.export_button.setText("Export again")
        self.status.setText(f"Written:\n{paths[0].name}\n{paths[1].name}\nin {paths[0].parent}")
        self.open_button.setVisible(True)
        self.open_button.setFocus()
        self.exported.emit(paths)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.export_button.setEnabled(True)
        detail = error.strerror if isinstance(error, OSError) and error.strerror else error
        self.status.setText(f"Could not export: {detail}")

    # While the work runs, the dialog stays open: its result comes back to it.
    def reject(self) -> None:
        if not self.running:
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.running:
            event.ignore()
        else:
            super().closeEvent(event)

    def open_folder(self) -> None:
        if self.written:
            open_url(QUrl.fromLocalFile(str(self.written[0].parent)))


class EraseDialog(QDialog):
    """Anonymise a volunteer after the user types their name and a reason."""

    erased = Signal(int)

    def __init__(self, db, ops, bus, volunteer_id: int, parent=None, today: date | None = None):
        super().__init__(parent)
        self.db, self.ops, self.bus, self.volunteer_id = db, ops, bus, volunteer_id
        self.today = today or date.today()
        self.running = False
        with db.uow() as session:
            self.preview = erasure_preview(session, volunteer_id, self.today)
        name = self.preview.name
        self.setWindowTitle(f"Erase {name}")
        self.setAccessibleName(f"Erase {name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        warning = QLabel(
            f"This removes {name}'s personal data for good. It cannot be undone, "
            "and backups made before today still hold it until they are deleted."
        )
        warning.setTextFormat(Qt.TextFormat.PlainText)
        warning.setWordWrap(True)
        warning.setObjectName("errorText")
        warning.setAccessibleName("Warning: erasing cannot be undone")
        removed = QLabel("<b>Will be removed</b>" + _bullets(self.preview.removed))
        removed.setWordWrap(True)
        removed.setAccessibleName("Will be removed: " + "; ".join(self.preview.removed))
        kept = QLabel(
            f"<b>Will be kept, as “{former_name(volunteer_id)}”</b>" + _bullets(self.preview.kept)
        )
        kept.setWordWrap(True)
        kept.setAccessibleName("Will be kept: " + "; ".join(self.preview.kept))

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Type the volunteer's name to confirm")
        self.name_edit.setPlaceholderText(name)
        self.name_error = QLabel("")
        self.name_error.setObjectName("errorText")
        self.name_error.setAccessibleName("Name check")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the erasure")
        self.reason.setPlaceholderText("For example: the person asked in writing on …")
        self.reason.setMaxLength(250)
        self.status = _status("Erasure status")
        self.erase_button = QPushButton("Erase")
        self.erase_button.setAccessibleName("Erase the volunteer")
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.erase)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setDefault(True)
        self.cancel_button.clicked.connect(self.close)
        self.name_edit.textChanged.connect(self._check)
        self.reason.textChanged.connect(self._check)

        form = QFormLayout()
        form.addRow(f"Type “{name}” to confirm", self.name_edit)
        form.addRow("", self.name_error)
        form.addRow("Reason *", self.reason)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.erase_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        self.heading = heading(f"Erase {name}?")
        layout.addWidget(self.heading)
        layout.addWidget(warning)
        layout.addWidget(removed)
        layout.addWidget(kept)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setTabOrder(self.name_edit, self.reason)
        self.setTabOrder(self.reason, self.erase_button)
        self.setTabOrder(self.erase_button, self.cancel_button)
        QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close)
        if self.preview.already_erased:
            self.status.setText("This volunteer has already been erased.")
            for w in (self.name_edit, self.reason):
                w.setEnabled(False)
        self.resize(640, 520)

    def matches(self) -> bool:
        return self.name_edit.text().strip().casefold() == self.preview.name.casefold()

    def _check(self) -> None:
        typed = self.name_edit.text().strip()
        wrong = bool(typed) and not self.matches()
        self.name_error.setText("The name does not match." if wrong else "")
        ready = self.matches() and bool(self.reason.text().strip())
        self.erase_button.setEnabled(ready and not self.running and not self.preview.already_erased)

    def erase(self) -> None:
        if not self.erase_button.isEnabled():
            return
        self.running = True
        for w in (self.name_edit, self.reason, self.erase_button, self.cancel_button):
            w.setEnabled(False)
        self.status.setText("Erasing… then tidying the database file so nothing is left in it.")
        db, vid, reason, today = self.db, self.volunteer_id, self.reason.text(), self.today

        def work():
            with db.uow() as session:
                changes = erase_volunteer(session, vid, db.username, reason, today=today)
            return changes, vacuum(db)

        self.ops.run(work, self._done, self._failed)

    def _done(self, result) -> None:
        changes, vacuumed = result
        self.running = False
        self.bus.announce(changes)
        self.status.setText(
            f"Erased: the record is now “{former_name(self.volunteer_id)}”. {vacuumed}"
        )
        self.heading.setText(f"Erased: now “{former_name(self.volunteer_id)}”")
        self.cancel_button.setText("Close")
        self.cancel_button.setAccessibleName("Close")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setFocus()
        self.erased.emit(self.volunteer_id)

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.status.setText(f"Nothing was erased: {error}")
        for w in (self.name_edit, self.reason, self.cancel_button):
            w.setEnabled(True)
        self._check()

    # While the work runs, the dialog stays open: its result comes back to it.
    def reject(self) -> None:
        if not self.running:
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.running:
            event.ignore()
        else:
            super().closeEvent(event)
