"""Reading the spreadsheets people already have: CSV (any usual encoding and delimiter) and XLSX.

A ``Table`` is the header row and the data rows, each with the row number a person sees
in their spreadsheet (the header is usually row 1), so every message can point at it.
Rows with nothing in them are dropped here; stray spaces are trimmed by validation.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import xlsx

Progress = Callable[[str, float], None]
Cancelled = Callable[[], bool]

CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


class ReadError(Exception):
    """The file cannot be read; ``str(exc)`` says why, for the user."""


class ImportCancelled(Exception):
    """The person pressed Cancel; nothing was written."""


@dataclass(frozen=True)
class Table:
    """What a file holds: headers, and the rows with their numbers in the file."""

    source: str  # the file name, for messages and the audit log
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    blank_lines: int = 0  # blank rows between the header and the last row, skipped

    @property
    def description(self) -> str:
        if self.sheet is not None:
            return f"{self.source}, sheet {self.sheet}"
        name = DELIMITER_NAMES.get(self.delimiter or ",", "comma")
        return f"{self.source} ({self.encoding}, {name}-separated)"


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header_names(cells: list[Any]) -> list[str]:
    """Header texts, a blank one named by its column letter, repeats numbered."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = " ".join(str(cell).split()) if not _blank(cell) else f"Column {column_letter(index)}"
        key = text.casefold()
        seen[key] = seen.get(key, 0) + 1
        names.append(text if seen[key] == 1 else f"{text} ({seen[key]})")
    return names


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: as a spreadsheet names its columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _build(
    source: str,
    numbered: Iterable[tuple[int, list[Any]]],
    progress: Progress | None,
    cancelled: Cancelled | None,
    total: int | None,
    **extra: Any,
) -> Table:
    headers: list[str] | None = None
    header_row = 1
    rows: list[tuple[int, list[Any]]] = []
    blank_lines = pending = 0
    for number, cells in numbered:
        if cancelled is not None and number % 500 == 0 and cancelled():
            raise ImportCancelled("Reading was cancelled")
        if progress is not None and number % 1000 == 0:
            progress(f"Reading row {number:,}", min(number / total, 1.0) if total else 0.0)
        while cells and _blank(cells[-1]):
            cells = cells[:-1]
        if not cells:
            pending += 1  # a blank line: counted only if a row follows
            continue
        if headers is None:
            headers, header_row, pending = _header_names(cells), number, 0
            continue
        blank_lines, pending = blank_lines + pending, 0
        rows.append((number, cells))
    if headers is None:
        raise ReadError(f"{source} is empty: there is no header row to read.")
    width = len(headers)
    for _number, cells in rows:
        if len(cells) > width:
            headers.extend(_header_names([None] * len(cells))[width:])
            width = len(headers)
    return Table(source, headers, rows, header_row=header_row, blank_lines=blank_lines, **extra)


# ----- CSV --------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding: UTF-8 (with or without a BOM), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines most, and consistently."""
    sample = [line for line in text.splitlines()[:20] if line.strip()]
    if not sample:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in csv.reader(sample, delimiter=delimiter)]
        header = widths[0]
        consistent = sum(1 for w in widths if w == header)
        score = (header if header > 1 else 0, consistent)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(
    path: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Table:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"Cannot read {path.name}: {exc.strerror or exc}.") from exc
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"{path.name} is not a text (CSV) file.")
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    total = text.count("\n") + 1

    def numbered() -> Iterable[tuple[int, list[Any]]]:
        before = 0  # a quoted cell may span lines: number a row by its first line
        try:
            for cells in reader:
                yield before + 1, list(cells)
                before = reader.line_num
        except csv.Error as exc:
            raise ReadError(f"{path.name}, line {reader.line_num}: {exc}.") from exc

    return _build(
        path.name, numbered(), progress, cancelled, total, encoding=encoding, delimiter=delimiter
    )


# ----- XLSX -------------------------------------------------------------------------------
def _open_workbook(path: Path):
    import openpyxl  # imported here: only imports need it

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(
            f"{path.name} cannot be opened as an Excel workbook (.xlsx). If it is an older "
            "Excel file (.xls), save it as .xlsx or CSV first."
        ) from exc


def sheet_names(path: str | Path) -> list[str]:
    """The sheets of a workbook, in order; a CSV file has none."""
    path = Path(path)
    if path.suffix.lower() not in XLSX_SUFFIXES:
        return []
    try:
        fast = xlsx.Workbook(path)
    except Exception:  # noqa: BLE001 - unusual files: openpyxl has the last word
        pass
    else:
        fast.close()
        return list(fast.sheets)
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _no_sheet(path: Path, sheet: str, names: list[str]) -> ReadError:
    return ReadError(f"{path.name} has no sheet called {sheet!r} (it has: {', '.join(names)}).")


def _read_fast(
    path: Path, sheet: str | None, progress: Progress | None, cancelled: Cancelled | None
) -> Table:
    workbook = xlsx.Workbook(path)
    try:
        names = list(workbook.sheets)
        if sheet is None:
            sheet = names[0]
        elif sheet not in workbook.sheets:
            raise _no_sheet(path, sheet, names)
        return _build(path.name, workbook.rows(sheet), progress, cancelled, None, sheet=sheet)
    finally:
        workbook.close()


def read_xlsx(
    path: str | Path,
    sheet: str | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Table:
    path = Path(path)
    try:
        return _read_fast(path, sheet, progress, cancelled)
    except (ReadError, ImportCancelled):
        raise
    except Exception:  # noqa: BLE001 - anything unusual: openpyxl reads it the careful way
        pass
    workbook = _open_workbook(path)
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise _no_sheet(path, sheet, list(workbook.sheetnames))
        total = worksheet.max_row or 0
        numbered = (
            (number, list(cells))
            for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1)
        )
        return _build(path.name, numbered, progress, cancelled, total, sheet=worksheet.title)
    finally:
        workbook.close()


def read_table(
    path: str | Path,
    sheet: str | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Table:
    """Read a CSV or XLSX file (the first sheet unless ``sheet`` names another)."""
    path = Path(path)
    if not path.exists():
        raise ReadError(f"There is no file {path}.")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, sheet, progress=progress, cancelled=cancelled)
    if suffix == ".xls":
        raise ReadError(
            f"{path.name} is an older Excel file (.xls): save it as .xlsx or CSV, then import that."
        )
    if suffix in CSV_SUFFIXES or zipfile.is_zipfile(path) is False:
        if sheet is not None:
            raise ReadError(f"{path.name} is a CSV file: it has no sheets.")
        return read_csv(path, progress=progress, cancelled=cancelled)
    return read_xlsx(path, sheet, progress=progress, cancelled=cancelled)
