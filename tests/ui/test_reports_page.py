"""The Reports page: choose a document and its options, preview it, save it, export a
calendar; on the small demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QComboBox

from volunteerdesk.ui import exporting
from volunteerdesk.ui.documents import PreviewDialog
from volunteerdesk.ui.ops import Ops
from volunteerdesk.ui.pages.reports import ReportsPage

TODAY = date(2026, 11, 23)
TITLES = [
    "Rota",
    "Desk sheet",
    "Gate list",
    "Clearance report",
    "Expiry report",
    "Volunteer schedule",
    "Activity summary",
]


@pytest.fixture
def page(qtbot, small_demo):
    ops = Ops()
    widget = ReportsPage(small_demo, ops, TODAY)
    qtbot.addWidget(widget)
    widget.resize(1100, 720)
    widget.show()
    widget.activate()
    qtbot.waitUntil(lambda: widget.is_loaded or not widget.error_label.isHidden())
    assert widget.error_label.isHidden(), widget.error_label.text()
    yield widget
    for top in QApplication.topLevelWidgets():
        if isinstance(top, PreviewDialog):
            top.close()
    ops.shutdown()


@pytest.fixture
def messages(monkeypatch):
    seen = []
    monkeypatch.setattr(
        exporting, "show_message", lambda _p, title, text, error=True: seen.append((title, text))
    )
    return seen


def answer_save(monkeypatch, path: Path) -> list[str]:
    asked = []

    def ask(_parent, _caption, suggested, _filters):
        asked.append(Path(suggested).name)
        return str(path), ""

    monkeypatch.setattr(exporting, "ask_save_path", ask)
    return asked


def not_blank(image: QImage) -> bool:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(grey.constBits())[: grey.sizeInBytes()]
    return sum(1 for b in data[::7] if b < 200) > 50


def preview(qtbot, page) -> PreviewDialog:
    assert page.preview_button.isEnabled(), page.status.text()
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    dialog = next(
        w
        for w in reversed(QApplication.topLevelWidgets())
        if isinstance(w, PreviewDialog) and w.isVisible() and w.pdf is None
    )
    qtbot.waitUntil(lambda: dialog.page_count > 0 or dialog.status.objectName() == "errorText")
    assert dialog.page_count > 0, dialog.status.text()
    qtbot.waitUntil(lambda: not dialog.page_labels[0].pixmap().isNull())
    return dialog


def test_the_page_lists_the_seven_documents_with_their_options(page):
    assert [page.documents.item(i).text() for i in range(page.documents.count())] == TITLES
    assert list(page.cards) == TITLES
    rota = page.choose("Rota")
    assert rota.fields["site"].currentText() == "HMP Westmoor"  # the first site
    assert rota.fields["day"].date() == QDate(2026, 11, 23)  # today, shown dd/mm/yyyy
    assert rota.fields["day"].text() == "23/11/2026"
    assert rota.covers.text().startswith("Covers 23/11/2026 to 29/11/2026")
    rota.fields["period"].setCurrentIndex(rota.fields["period"].findData("month"))
    assert rota.covers.text().startswith("Covers 01/11/2026 to 30/11/2026")
    gate = page.choose("Gate list")
    sites = [gate.fields["site"].itemText(i) for i in range(gate.fields["site"].count())]
    assert sites == ["HMP Westmoor"]  # prisons only
    desk = page.choose("Desk sheet")
    assert "Court" in desk.fields["site"].currentText()
    assert "desk" in desk.fields["post"].currentText().lower()
    expiry = page.choose("Expiry report")
    assert expiry.fields["site"].currentText() == "Every site"
    assert [expiry.fields["within"].itemData(i) for i in range(3)] == [30, 60, 90]
    activity = page.choose("Activity summary")
    assert activity.covers.text().startswith("Covers 01/10/2026 to 31/10/2026")  # last month
    for card in page.cards.values():  # every control is named for a screen reader
        for widget in card.fields.values():
            assert widget.accessibleName(), widget
    for widget in (page.documents, page.preview_button, page.save_button, page.calendar_button):
        assert widget.accessibleName()


@pytest.mark.parametrize("title", TITLES)
def test_each_document_previews_with_its_pages(qtbot, page, title):
    page.choose(title)
    dialog = preview(qtbot, page)
    with_pages = pypdfium2.PdfDocument(dialog.pdf)
    assert dialog.page_count == len(with_pages) >= 1
    with_pages.close()
    assert dialog.page_of.text() == f"of {dialog.page_count}"
    assert not_blank(dialog.page_image(0))
    assert dialog.windowTitle().startswith(page.cards[title].title())


def pdf_text(pdf: bytes) -> str:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in doc)
    finally:
        doc.close()


def test_options_change_the_document(qtbot, page):
    gate = page.choose("Gate list")
    gate.fields["day"].setDate(QDate(2026, 11, 24))  # the prison visitors come on Tuesday
    full = pdf_text(preview(qtbot, page).pdf)
    assert "Agnieszka" in full and "Kowalska" in full
    gate.fields["forenames_only"].setChecked(True)
    assert gate.title() == "Gate list HMP Westmoor forenames"
    first_names = pdf_text(preview(qtbot, page).pdf)
    assert "Agnieszka" in first_names and "Kowalska" not in first_names
    schedule = page.choose("Volunteer schedule")
    box: QComboBox = schedule.fields["volunteer"]
    box.setCurrentIndex(box.findText("Bob Cooper"))
    schedule.fields["format"].setCurrentIndex(1)
    assert schedule.options().format == "card"
    assert schedule.title() == "Volunteer schedule Bob Cooper"
    box.setEditText("nobody of that name")
    assert not page.preview_button.isEnabled() and schedule.options().volunteer_id is None
    assert page.status.text() == "Choose a volunteer from the list."
    box.setEditText("bob cooper")  # typed in any case
    assert page.preview_button.isEnabled() and schedule.options().volunteer_id is not None
    schedule.fields["end"].setDate(QDate(2026, 11, 1))
    assert not page.preview_button.isEnabled()
    assert "before the first" in page.status.text()


def test_enter_on_a_document_opens_its_preview(qtbot, page):
    page.documents.setFocus()
    page.documents.setCurrentRow(TITLES.index("Expiry report"))
    qtbot.keyClick(page.documents, Qt.Key.Key_Return)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog))
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    assert dialog.title == "Expiry report"


def test_save_pdf_straight_to_a_file(qtbot, page, tmp_path, monkeypatch, messages):
    page.choose("Rota")
    asked = answer_save(monkeypatch, tmp_path / "rota.pdf")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert asked == ["Rota HMP Westmoor 23-11-2026.pdf"]
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved"))
    doc = pypdfium2.PdfDocument(tmp_path / "rota.pdf")
    assert len(doc) >= 1
    doc.close()
    assert not messages


def test_save_pdf_where_one_cannot_write(qtbot, page, tmp_path, monkeypatch, messages):
    import os

    folder = Path("/sys") if os.geteuid() == 0 else tmp_path / "locked"
    if folder.name == "locked":
        folder.mkdir()
        folder.chmod(0o555)
    page.choose("Expiry report")
    answer_save(monkeypatch, folder / "expiry.pdf")
    page.save_pdf()
    qtbot.waitUntil(lambda: page.status.text().startswith("Not saved"))
    assert messages and messages[0][0] == "Could not save the PDF"
    assert not (folder / "expiry.pdf").exists()


def test_export_a_calendar_for_the_rota_and_the_schedule(qtbot, page, tmp_path, monkeypatch):
    monkeypatch.setattr(exporting, "show_message", lambda *a, **k: None)
    assert not page.choose("Gate list") or page.calendar_button.isHidden()
    page.choose("Rota")
    assert not page.calendar_button.isHidden()
    asked = answer_save(monkeypatch, tmp_path / "westmoor.ics")
    qtbot.mouseClick(page.calendar_button, Qt.MouseButton.LeftButton)
    assert asked == ["Calendar HMP Westmoor 23-11-2026.ics"]
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved westmoor.ics"))
    assert (tmp_path / "westmoor.ics").read_bytes().count(b"BEGIN:VEVENT") > 0
    page.choose("Volunteer schedule")
    asked = answer_save(monkeypatch, tmp_path / "me.ics")
    page.export_calendar()
    assert asked[0].startswith("Calendar ") and asked[0].endswith(" 23-11-2026.ics")
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved me.ics"))
    assert (tmp_path / "me.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
