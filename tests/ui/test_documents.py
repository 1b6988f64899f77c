"""The preview window, printing, saving PDFs, and exporting lists and calendars."""

from __future__ import annotations

import csv
import errno
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from volunteerdesk.core.lookup import find_site, find_volunteer
from volunteerdesk.core.reports import catalogue
from volunteerdesk.core.reports.catalogue import ReportOptions
from volunteerdesk.ui import documents, exporting
from volunteerdesk.ui.ops import Ops
from volunteerdesk.ui.table_model import Column

TODAY = date(2026, 11, 23)


@pytest.fixture
def ops():
    runner = Ops()
    yield runner
    runner.shutdown()


@pytest.fixture
def out(tmp_path) -> Path:
    """A folder for what the tests write (tmp_path also holds the demo database)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def messages(monkeypatch):
    """Messages the user would see, instead of message boxes."""
    seen: list[tuple[str, str, bool]] = []
    monkeypatch.setattr(
        exporting,
        "show_message",
        lambda _p, title, text, error=True: seen.append((title, text, error)),
    )
    return seen


def answer_save(monkeypatch, path: Path | str, chosen_filter: str = "") -> list:
    """Answer the next save dialogs with ``path``; returns what they suggested."""
    asked = []

    def ask(_parent, caption, suggested, filters):
        asked.append((caption, Path(suggested).name, filters))
        return str(path), chosen_filter

    monkeypatch.setattr(exporting, "ask_save_path", ask)
    return asked


def pdf_pages(path_or_bytes) -> list[tuple[float, float]]:
    doc = pypdfium2.PdfDocument(path_or_bytes)
    try:
        return [doc[i].get_size() for i in range(len(doc))]
    finally:
        doc.close()


def is_blank(image: QImage) -> bool:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(grey.constBits())[: grey.sizeInBytes()]
    return sum(1 for b in data[::7] if b < 200) < 50


def builder(db, key: str, **options):
    def build() -> bytes:
        with db.uow() as s:
            resolved = dict(options)
            if "site" in resolved:
                resolved["site_id"] = find_site(s, resolved.pop("site"))[0]
            return catalogue.build(s, key, ReportOptions(**resolved), db.username, TODAY)

    return build


def open_preview(qtbot, ops, build, title="Rota HMP Westmoor"):
    dialog = documents.preview_document(None, ops, title, build, today=TODAY)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count > 0 or dialog.status.objectName() == "errorText")
    assert dialog.page_count > 0, dialog.status.text()
    qtbot.waitUntil(lambda: not dialog.page_labels[0].pixmap().isNull())
    return dialog


def test_the_preview_shows_every_page_rendered(qtbot, small_demo, ops):
    build = builder(small_demo, "clearance", site="HMP Westmoor", day=TODAY)
    dialog = open_preview(qtbot, ops, build, "Clearance report HMP Westmoor")
    n = dialog.page_count
    assert n == len(pdf_pages(dialog.pdf)) > 1
    assert dialog.page_of.text() == f"of {n}" and dialog.page_box.value() == 1
    assert not is_blank(dialog.page_image(0))
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    # going to the last page scrolls there and renders it
    dialog.page_box.setValue(n)
    qtbot.waitUntil(lambda: not dialog.page_labels[n - 1].pixmap().isNull())
    assert dialog.current_page() == n
    assert not is_blank(dialog.page_image(n - 1))
    # zooming keeps the page in view
    dialog.page_box.setValue(3)
    qtbot.keyClick(dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.page_labels[2].pixmap().isNull())
    assert dialog.current_page() == 3 and dialog.page_box.value() == 3


def test_zoom_with_the_keyboard_and_fit_width(qtbot, small_demo, ops):
    dialog = open_preview(qtbot, ops, builder(small_demo, "rota", site="HMP Westmoor"))
    fit = dialog.page_labels[0].width()
    assert fit <= dialog.scroll.viewport().width()  # fit width: no sideways scrolling
    qtbot.keyClick(dialog, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert dialog.page_labels[0].width() > fit and not dialog.fit_width
    wider = dialog.page_labels[0].width()
    qtbot.keyClick(dialog, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert dialog.page_labels[0].width() < wider
    assert dialog.zoom_box.currentText().endswith("%")
    dialog.zoom_to_fit()
    assert dialog.page_labels[0].width() == fit and dialog.zoom_box.currentText() == "Fit width"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_document_that_cannot_be_made_says_why(qtbot, ops):
    def build() -> bytes:
        raise ValueError("No post at this site is called Bingo.")

    dialog = documents.preview_document(None, ops, "Rota", build, today=TODAY)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed):
        pass
    assert "No post at this site is called Bingo." in dialog.status.text()
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()


def test_save_as_pdf_names_the_file_and_writes_a_valid_pdf(
    qtbot, small_demo, ops, out, monkeypatch
):
    dialog = open_preview(qtbot, ops, builder(small_demo, "rota", site="HMP Westmoor"))
    asked = answer_save(monkeypatch, out / "rota")  # no suffix typed: .pdf is added
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert asked[0][1] == "Rota HMP Westmoor 23-11-2026.pdf"
    saved = out / "rota.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert len(pdf_pages(saved)) == dialog.page_count
    assert "Saved to" in dialog.status.text()
    assert sorted(p.name for p in out.iterdir()) == ["rota.pdf"]  # no temporary left


def unwritable_folder(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root writes through file modes: /sys refuses even root
        return Path("/sys")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    return locked


def test_saving_where_one_cannot_write_says_so_and_leaves_nothing(
    qtbot, small_demo, ops, out, monkeypatch, messages
):
    dialog = open_preview(qtbot, ops, builder(small_demo, "rota", site="HMP Westmoor"))
    folder = unwritable_folder(out)
    answer_save(monkeypatch, folder / "rota.pdf")
    assert dialog.save_pdf() is None
    assert not (folder / "rota.pdf").exists()
    ((title, text, error),) = messages
    assert error and title == "Could not save the PDF"
    assert "permission" in text or "read-only" in text
    # a disk that fills up half way: the old file stays whole, no temporary is left
    target = out / "kept.pdf"
    target.write_bytes(b"%PDF old")
    answer_save(monkeypatch, target)

    def full(_src, _dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    assert dialog.save_pdf() is None
    assert "disk" in messages[-1][1] and "full" in messages[-1][1]
    assert target.read_bytes() == b"%PDF old"
    assert sorted(p.name for p in out.iterdir() if p.name != "locked") == ["kept.pdf"]


def printed(qtbot, dialog, tmp_path, first=0, last=0) -> Path:
    printer = dialog.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    if first:
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(first, last)
    with qtbot.waitSignal(dialog.print_finished) as finished:
        dialog.print_to(printer)
    assert finished.args == [(last - first + 1) if first else dialog.page_count]
    return out


def test_printing_paints_every_page_on_landscape_paper_for_a_landscape_rota(
    qtbot, small_demo, ops, tmp_path
):
    dialog = open_preview(
        qtbot, ops, builder(small_demo, "rota", site="HMP Westmoor", period="month")
    )
    sizes = pdf_pages(printed(qtbot, dialog, tmp_path))
    assert len(sizes) == dialog.page_count
    assert all(w > h for w, h in sizes)  # A4 landscape, as the document
    assert "Sent" in dialog.status.text() and dialog.print_button.isEnabled()


def test_printing_a_page_range_through_the_print_dialog(
    qtbot, small_demo, ops, tmp_path, monkeypatch
):
    dialog = open_preview(qtbot, ops, builder(small_demo, "clearance", site="HMP Westmoor"))
    assert dialog.page_count >= 3
    out = tmp_path / "range.pdf"

    def choose(print_dialog) -> bool:
        printer = print_dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        return True

    monkeypatch.setattr(documents, "run_print_dialog", choose)
    with qtbot.waitSignal(dialog.print_finished):
        qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    sizes = pdf_pages(out)
    assert len(sizes) == 2 and all(h > w for w, h in sizes)  # portrait, as the report


def test_open_in_pdf_viewer_writes_a_temporary_copy(qtbot, small_demo, ops, monkeypatch, messages):
    dialog = open_preview(qtbot, ops, builder(small_demo, "rota", site="HMP Westmoor"))
    opened = []
    monkeypatch.setattr(documents, "open_url", lambda url: opened.append(url) or True)
    path = dialog.open_in_viewer()
    assert opened[0].toLocalFile() == str(path) and path.read_bytes() == dialog.pdf
    monkeypatch.setattr(documents, "open_url", lambda url: False)
    dialog.open_in_viewer()
    assert messages[-1][0] == "No PDF viewer" and str(path) in messages[-1][1]


# ----- exporting lists and calendars ------------------------------------------------------
@dataclass(frozen=True)
class Person:
    name: str
    started: date | None
    hours: int


COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Started", lambda r: r.started),
    Column("Hours", lambda r: r.hours, align_right=True),
    Column("Level", lambda r: r.hours > 10, text=lambda r: "Busy" if r.hours > 10 else "Quiet"),
]
PEOPLE = [Person("Zoë Ó Briain", date(2024, 3, 1), 12), Person("=cmd|' /C calc'!A0", None, 0)]


def test_export_table_writes_csv_and_xlsx_that_read_back(out, monkeypatch, messages):
    asked = answer_save(monkeypatch, out / "people", exporting.CSV_FILTER)
    path = exporting.export_table(None, "Volunteers", PEOPLE, COLUMNS, today=TODAY)
    assert path == out / "people.csv" and asked[0][1] == "Volunteers 23-11-2026.xlsx"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["Name", "Started", "Hours", "Level"],
        ["Zoë Ó Briain", "01/03/2024", "12", "Busy"],  # what the list shows, not its sort key
        ["'=cmd|' /C calc'!A0", "", "0", "Quiet"],
    ]
    assert messages[-1] == ("Exported", f"Saved 2 rows to {path}.", False)

    from openpyxl import load_workbook

    answer_save(monkeypatch, out / "people.xlsx", exporting.CSV_FILTER)  # typed wins
    path = exporting.export_table(None, "Volunteers", PEOPLE, COLUMNS, today=TODAY)
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Name", "Started", "Hours", "Level"]
    assert values[1][0] == "Zoë Ó Briain" and values[1][1].date() == date(2024, 3, 1)
    assert values[2] == ["=cmd|' /C calc'!A0", None, 0, "Quiet"] and sheet["A3"].data_type == "s"
    assert sorted(p.name for p in out.iterdir()) == ["people.csv", "people.xlsx"]


def test_export_table_to_an_unwritable_folder(out, monkeypatch, messages):
    folder = unwritable_folder(out)
    answer_save(monkeypatch, folder / "people.csv")
    assert exporting.export_table(None, "Volunteers", PEOPLE, COLUMNS) is None
    assert not (folder / "people.csv").exists()
    assert messages[-1][0] == "Could not export" and messages[-1][2]
    answer_save(monkeypatch, "")  # cancelled: nothing happens
    assert exporting.export_table(None, "Volunteers", PEOPLE, COLUMNS) is None
    assert len(messages) == 1


def test_export_a_volunteers_calendar(qtbot, small_demo, ops, tmp_path, monkeypatch, messages):
    with small_demo.uow() as s:
        bob = find_volunteer(s, "Bob Cooper")[0]
    asked = answer_save(monkeypatch, tmp_path / "bob")
    done = []
    path = exporting.export_calendar(
        None,
        ops,
        small_demo,
        title="Calendar Bob Cooper",
        start=date(2026, 12, 1),
        end=date(2026, 12, 31),
        volunteer_id=bob,
        today=TODAY,
        on_done=done.append,
    )
    assert asked[0][1] == "Calendar Bob Cooper 23-11-2026.ics"
    qtbot.waitUntil(lambda: bool(done))
    assert done == [path] and path.suffix == ".ics"
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert messages[-1][0] == "Calendar saved" and "shift" in messages[-1][1]
