"""Writing files from the window: any list as CSV or Excel, calendars as .ics, and the
helpers every save shares (the save dialog, messages in words, writing without ever
leaving half a file).

``export_table(parent, title, rows, columns)`` takes what a list shows: a page passes its
model's ``shown_rows()`` and the ``Column``s it built the model with. Tests replace
``ask_save_path`` and ``show_message`` (native dialogs cannot be driven offscreen).
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.exports import tables

EXCEL_FILTER = "Excel workbook (*.xlsx)"
CSV_FILTER = "CSV, comma-separated values (*.csv)"
ICS_FILTER = "iCalendar file (*.ics)"
PDF_FILTER = "PDF document (*.pdf)"

_last_folder: Path | None = None


# ----- the dialog and the messages ----------------------------------------------------------
def ask_save_path(
    parent: QWidget | None, caption: str, suggested: Path, filters: str
) -> tuple[str, str]:
    """The file a person chose and the filter they chose it under; ("", "") if cancelled."""
    return QFileDialog.getSaveFileName(parent, caption, str(suggested), filters)


def show_message(parent: QWidget | None, title: str, text: str, error: bool = True) -> QMessageBox:
    """A message in words that does not block: the window stays usable behind it."""
    icon = QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setAccessibleName(title)
    box.setAccessibleDescription(text)
    box.open()
    return box


def default_folder() -> Path:
    if _last_folder is not None and _last_folder.is_dir():
        return _last_folder
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def remember_folder(path: Path) -> None:
    global _last_folder
    _last_folder = Path(path).parent


def file_name(title: str, suffix: str, today: date | None = None) -> str:
    """ "Rota HMP Westmoor 23-11-2026.pdf": the title and the date, safe on every system."""
    day = today or date.today()
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title)
    cleaned = " ".join(cleaned.split()).strip(" .") or "Document"
    return f"{cleaned[:120]} {day:%d-%m-%Y}{suffix}"


def choose_file(
    parent: QWidget | None,
    caption: str,
    title: str,
    filters: Sequence[str],
    today: date | None = None,
) -> Path | None:
    """Ask where to save; the suffix follows the chosen filter when none was typed."""
    first = _suffix_of(filters[0])
    suggested = default_folder() / file_name(title, first, today)
    chosen, chosen_filter = ask_save_path(parent, caption, suggested, ";;".join(filters))
    if not chosen:
        return None
    path = Path(chosen).expanduser()
    suffixes = [_suffix_of(f) for f in filters]
    if path.suffix.lower() not in suffixes:
        wanted = _suffix_of(chosen_filter) if chosen_filter in filters else first
        path = path.with_name(path.name + wanted)
    return path


def _suffix_of(filter_text: str) -> str:
    found = re.search(r"\(\*(\.\w+)\)", filter_text)
    return found.group(1).lower() if found else ""


def describe_os_error(exc: OSError, path: Path) -> str:
    """Why a file could not be written, in words a person can act on."""
    folder = Path(path).parent
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"You do not have permission to write in the folder {folder}. Choose another folder."
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk holding {folder} is full. Free some space, or choose another place."
    if exc.errno == errno.EROFS:
        return f"The folder {folder} is on a read-only disk. Choose another folder."
    if exc.errno == errno.ENOENT:
        return f"The folder {folder} does not exist (was a drive removed?)."
    if exc.errno == errno.EISDIR:
        return f"{path} is a folder, not a file. Choose a file name."
    return f"Could not write {path}: {exc.strerror or exc}."


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Write through ``write(temp)`` into a temporary file beside ``path``, then put it in
    ``path``'s place: a failure leaves the old file (or none), never half a file."""
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{path.stem[:40]}.", suffix=f".part{path.suffix}", dir=path.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    return write_atomically(path, lambda temp: temp.write_bytes(data))


# ----- tables -------------------------------------------------------------------------------
def as_shown(columns: Sequence[Any]) -> list[tuple[str, Callable[[Any], Any]]]:
    """Export what each column shows: a table ``Column`` with its own display text (its
    value may be only a sort key) gives that text, except dates, which stay dates."""
    result: list[tuple[str, Callable[[Any], Any]]] = []
    for original, column in zip(columns, tables.as_columns(columns), strict=True):
        text = getattr(original, "text", None)
        if text is None:
            result.append((column.title, column.value))
            continue

        def shown(row, value=column.value, text=text):
            raw = value(row)
            return raw if isinstance(raw, date) else text(row)

        result.append((column.title, shown))
    return result


def export_table(
    parent: QWidget | None,
    title: str,
    rows: Sequence[Any],
    columns: Sequence[Any],
    *,
    today: date | None = None,
) -> Path | None:
    """Save ``rows`` (as ``columns`` show them) as .xlsx or .csv; the path, or None.

    ``columns`` are the list's ``Column``s (anything with ``title`` and ``value(row)``)
    or ``(title, key)`` pairs. Success and failure are both said in words.
    """
    path = choose_file(parent, f"Export {title}", title, [EXCEL_FILTER, CSV_FILTER], today)
    if path is None:
        return None
    rows, columns = list(rows), as_shown(columns)
    try:
        write_atomically(path, lambda temp: tables.write_table(rows, columns, temp, title))
    except OSError as exc:
        show_message(parent, "Could not export", describe_os_error(exc, path))
        return None
    except ValueError as exc:  # a suffix neither .csv nor .xlsx
        show_message(parent, "Could not export", str(exc))
        return None
    remember_folder(path)
    count = f"{len(rows):,} row{'s' if len(rows) != 1 else ''}"
    show_message(parent, "Exported", f"Saved {count} to {path}.", error=False)
    return path


# ----- calendars ----------------------------------------------------------------------------
def export_calendar(
    parent: QWidget | None,
    ops,
    db,
    *,
    title: str,
    start: date,
    end: date,
    volunteer_id: int | None = None,
    site_id: int | None = None,
    today: date | None = None,
    on_done: Callable[[Path], None] | None = None,
) -> Path | None:
    """Save one volunteer's shifts (or a site's rota) from ``start`` to ``end`` as .ics.

    Asks for the file, then reads and writes in the background; ``on_done(path)`` after.
    Returns the chosen path (None if cancelled).
    """
    from ..core.exports import ics

    if (volunteer_id is None) == (site_id is None):
        raise ValueError("export_calendar needs a volunteer or a site")
    path = choose_file(parent, "Export calendar", title, [ICS_FILTER], today)
    if path is None:
        return None

    def work() -> int:
        with db.uow() as session:
            if volunteer_id is not None:
                data = ics.volunteer_calendar(session, volunteer_id, start, end)
            else:
                data = ics.site_calendar(session, site_id, start, end)
        write_bytes_atomically(path, data)
        return data.count(b"BEGIN:VEVENT")

    def done(events: int) -> None:
        remember_folder(path)
        words = f"{events} shift{'s' if events != 1 else ''}"
        show_message(parent, "Calendar saved", f"Saved {words} to {path}.", error=False)
        if on_done is not None:
            on_done(path)

    def failed(exc: BaseException) -> None:
        text = describe_os_error(exc, path) if isinstance(exc, OSError) else str(exc)
        show_message(parent, "Could not save the calendar", text)

    ops.run(work, done, failed)
    return path
