"""Archiving and deleting a volunteer, with the questions asked first.

People who leave are archived (status Left, with the date): the record is kept for the
history and hidden from lists. Deleting is only for a record created in error; it names
the person, and it is refused for anyone who has attended shifts, offering to archive.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ...core.changes import Changes
from ...core.db import Database
from ...core.services.volunteer_edit import (
    CannotDelete,
    archive_volunteer,
    delete_volunteer,
    deletion_check,
)
from ...core.validation import InvalidValue, format_uk_date, parse_uk_date

TITLE_ARCHIVE = "Archive volunteer"
TITLE_DELETE = "Delete volunteer"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


def archive(
    parent: QWidget, db: Database, volunteer_id: int, name: str, today: date
) -> Changes | None:
    """Ask the date they left and archive them; None when cancelled or refused."""
    text, ok = QInputDialog.getText(
        parent,
        TITLE_ARCHIVE,
        f"{name} has left. The record is kept and hidden from the lists.\n"
        "Date they left (dd/mm/yyyy):",
        text=format_uk_date(today),
    )
    if not ok:
        return None
    try:
        left_on = parse_uk_date(text)
        if left_on is None:
            raise InvalidValue("Give the date they left (dd/mm/yyyy)")
        with db.uow() as session:
            return archive_volunteer(session, volunteer_id, left_on, db.username).changes
    except InvalidValue as problem:
        QMessageBox.warning(parent, TITLE_ARCHIVE, str(problem))
        return None


def delete(
    parent: QWidget, db: Database, volunteer_id: int, name: str, today: date
) -> Changes | None:
    """Confirm (naming the person) and delete; offers archiving to anyone with a history."""
    with db.uow() as session:
        check = deletion_check(session, volunteer_id, today)
    if not check.allowed:
        answer = QMessageBox.question(
            parent,
            TITLE_DELETE,
            f"{check.name} has attended {_plural(check.attended, 'shift')}, so the record is "
            "part of the history and cannot be deleted.\n\n"
            "Archive them instead (mark them as having left)?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return archive(parent, db, volunteer_id, name, today)
    upcoming = (
        f"\n\nThey are on {_plural(check.upcoming, 'upcoming shift')}, which will lose them."
        if check.upcoming
        else ""
    )
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        TITLE_DELETE,
        f"Delete {check.name}?\n\nOnly for a record created in error: this removes them "
        "with their training and clearance records, and cannot be undone. People who "
        f"leave should be archived instead.{upcoming}",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    confirm = box.addButton(f"Delete {check.name}", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not confirm:
        return None
    try:
        with db.uow() as session:
            return delete_volunteer(session, volunteer_id, db.username, today=today)
    except CannotDelete as refused:
        QMessageBox.warning(parent, TITLE_DELETE, str(refused))
        return None
