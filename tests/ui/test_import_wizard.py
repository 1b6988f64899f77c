"""The import wizard, driven through its real widgets: file, columns, preview, confirm, report."""

from __future__ import annotations

import csv
import io
import os
import time
from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from volunteerdesk.core.models import AuditAction, AuditEntry, Volunteer, VolunteerStatus
from volunteerdesk.core.services import editing
from volunteerdesk.ui import import_wizard
from volunteerdesk.ui.bus import ChangeBus
from volunteerdesk.ui.import_pages import NOT_IMPORTED
from volunteerdesk.ui.import_wizard import ImportWizard
from volunteerdesk.ui.ops import Ops

TODAY = date(2026, 11, 23)
HEADERS = ["First name", "Surname", "DOB", "Email", "Mobile"]
SHOTS = os.environ.get("VOLUNTEERDESK_SHOTS", "")  # a folder: save a screenshot per page


def write_csv(path, rows, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def count(db, model=Volunteer, *where) -> int:
    with db.uow() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def named(db, first, last) -> list[Volunteer]:
    with db.uow() as s:
        return list(
            s.scalars(
                select(Volunteer).where(Volunteer.first_name == first, Volunteer.last_name == last)
            )
        )


def shot(wizard, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        wizard.grab().save(os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def open_wizard(qtbot, monkeypatch):
    made = []

    def make(db, path=None):
        ops, bus = Ops(), ChangeBus()
        wizard = ImportWizard(db, ops, bus, TODAY)
        wizard.announced = []
        bus.changed.connect(wizard.announced.append)
        # a failed test must not leave a "discard this import?" question open
        qtbot.addWidget(wizard, before_close_func=lambda w: setattr(w, "read", None))
        wizard.resize(1000, 700)
        if SHOTS:
            from volunteerdesk.ui.style import STYLE_SHEET

            wizard.setStyleSheet(STYLE_SHEET)  # as the application sets it
        wizard.show()
        qtbot.waitExposed(wizard)
        made.append((wizard, ops))
        if path is not None:
            monkeypatch.setattr(import_wizard, "ask_open_path", lambda _parent: str(path))
        return wizard

    yield make
    for wizard, ops in made:
        wizard.cancel_work()
        ops.shutdown()


def wait_idle(qtbot, wizard):
    qtbot.waitUntil(lambda: not wizard.busy and wizard.ops.pending == 0)


def to_columns(qtbot, wizard, target="volunteers"):
    page = wizard.file_page
    page.target.setCurrentIndex(page.target.findData(target))
    qtbot.mouseClick(page.choose, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    qtbot.keyClick(wizard, Qt.Key.Key_Return)  # Enter = Next
    wait_idle(qtbot, wizard)
    assert wizard.page == 1, wizard.status.text()


def to_preview(qtbot, wizard, target="volunteers"):
    to_columns(qtbot, wizard, target)
    assert wizard.next_button.isEnabled(), wizard.columns_page.problems.text()
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.page == 2)
    wait_idle(qtbot, wizard)


def confirm_and_import(qtbot, wizard):
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.page == 3
    assert wizard.next_button.text() == "Import"
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.page == 4)
    wait_idle(qtbot, wizard)


def answer_next_dialog(button):
    def answer():
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and isinstance(widget, QMessageBox):
                widget.button(button).click()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


# --- the whole way through ---------------------------------------------------------------
def test_a_csv_of_volunteers_goes_through_every_step(qtbot, open_wizard, small_demo, tmp_path):
    path = write_csv(
        tmp_path / "new people.csv",
        [
            HEADERS,
            ["Imogen", "Quayle", "04/03/1970", "imogen@example.org", "07700 900001"],
            ["Barnaby", "Zelinski", "1 Feb 1985", "", "07700 900002"],
            [],
            ["Ottilie", "Vance", "", "ottilie@example.org", ""],
        ],
        delimiter=";",
        encoding="cp1252",
    )
    before = count(small_demo)
    wizard = open_wizard(small_demo, path)
    assert wizard.step.text() == "Step 1 of 5: Choose the file"
    assert not wizard.next_button.isEnabled()
    shot(wizard, "1-file")
    to_columns(qtbot, wizard)
    page = wizard.columns_page
    assert "Read 3 rows from new people.csv" in page.source.text()
    assert "semicolon-separated" in page.source.text()
    assert "matched by their headers" in page.remembered.text()
    assert page.combos["first_name"].currentText() == "First name"
    assert page.combos["last_name"].currentText() == "Surname"
    assert page.combos["phone"].currentText() == "Mobile"
    assert page.combos["title"].currentText() == NOT_IMPORTED
    assert page.samples["first_name"].text() == "Imogen, Barnaby, Ottilie"
    assert page.samples["date_of_birth"].text() == "04/03/1970, 1 Feb 1985"
    assert page.problems.isHidden()
    assert page.combos["first_name"].accessibleName() == "Column for First name (required)"
    shot(wizard, "2-columns")
    to_preview_from_columns(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.counts.text() == "3 new, 1 blank."
    assert [preview.model.index(r, 1).data() for r in range(3)] == ["New"] * 3
    assert preview.blocked.isHidden()
    assert count(small_demo) == before  # nothing written yet
    shot(wizard, "3-preview")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.confirm_page.summary.text() == (
        "Import 3 new volunteers, update 0, skip 0 (1 blank row left out)"
    )
    shot(wizard, "4-confirm")
    assert count(small_demo) == before
    qtbot.keyClick(wizard, Qt.Key.Key_Return)  # Enter = Import
    qtbot.waitUntil(lambda: wizard.page == 4)
    wait_idle(qtbot, wizard)
    assert wizard.report_page.summary.text().startswith("Imported new people.csv: 3 new")
    shot(wizard, "5-report")
    assert count(small_demo) == before + 3
    [imogen] = named(small_demo, "Imogen", "Quayle")
    assert imogen.date_of_birth == date(1970, 3, 4)
    assert imogen.phone == "07700 900001"
    assert wizard.announced and wizard.announced[-1].touches("volunteers")
    assert ("volunteers", imogen.id) in wizard.announced[-1].ids
    assert wizard.close_button.text() == "Close"
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # closes at once: nothing left to discard
    assert not wizard.isVisible()


def to_preview_from_columns(qtbot, wizard):
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.page == 2)
    wait_idle(qtbot, wizard)


# --- errors ------------------------------------------------------------------------------
def test_a_bad_date_is_shown_with_its_row_and_column_and_blocks_the_import(
    qtbot, open_wizard, sqlite_database, tmp_path, monkeypatch
):
    path = write_csv(
        tmp_path / "dates.csv",
        [
            HEADERS,
            ["Ann", "Lee", "04/03/1970", "", ""],
            ["Bob", "Hart", "31/02/2026", "", ""],
        ],
    )
    wizard = open_wizard(sqlite_database, path)
    to_preview(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.counts.text() == "1 new, 1 in error."
    assert preview.outcome_filter.currentText() == "Error (1)"  # errors shown first
    assert preview.model.rowCount() == 1
    assert preview.model.index(0, 1).data() == "Error"
    assert preview.model.index(0, 3).data() == "row 3, column DOB: 31/02/2026 is not a date"
    assert preview.blocked.text().startswith("Fix the row in error in the file and import again")
    assert not wizard.next_button.isEnabled()
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    assert wizard.page == 2  # cannot be confirmed
    shot(wizard, "3-preview-errors")
    saved = tmp_path / "report.csv"
    monkeypatch.setattr(import_wizard, "ask_save_path", lambda _parent, _name: str(saved))
    qtbot.mouseClick(preview.save_errors, Qt.MouseButton.LeftButton)
    text = saved.read_text(encoding="utf-8-sig").splitlines()
    assert text == ["Row,Column,Problem,Record", "3,DOB,31/02/2026 is not a date,Bob Hart"]
    assert "Error report saved as report.csv" in preview.blocked.text()
    preview.outcome_filter.setCurrentIndex(0)
    assert preview.model.rowCount() == 2
    assert count(sqlite_database) == 0


def test_missing_name_columns_are_said_in_words(qtbot, open_wizard, sqlite_database, tmp_path):
    path = write_csv(tmp_path / "odd.csv", [["Given", "Family"], ["Ann", "Lee"]])
    wizard = open_wizard(sqlite_database, path)
    to_columns(qtbot, wizard)
    page = wizard.columns_page
    assert "Choose the columns for First name and Last name" in page.problems.text()
    assert not wizard.next_button.isEnabled()
    page.choose("first_name", "Given")
    page.choose("last_name", "Family")
    assert page.problems.isHidden()
    assert wizard.next_button.isEnabled()


# --- duplicates --------------------------------------------------------------------------
@pytest.fixture
def william(sqlite_database):
    with sqlite_database.uow() as s:
        return editing.create(
            s,
            Volunteer,
            {
                "first_name": "William",
                "last_name": "Smith",
                "date_of_birth": date(1960, 5, 1),
                "email": "w.smith@example.org",
                "status": VolunteerStatus.ACTIVE,
            },
            "setup",
        ).id


@pytest.mark.parametrize("choice", ["merge", "create", "skip"])
def test_a_possible_duplicate_is_decided_and_each_choice_does_what_it_says(
    qtbot, open_wizard, sqlite_database, william, tmp_path, choice
):
    from volunteerdesk.core.importing import Choice

    path = write_csv(
        tmp_path / "dup.csv",
        [HEADERS, ["Bill", "Smith", "01/05/1960", "", "07700 900555"], ["Ann", "Lee", "", "", ""]],
    )
    wizard = open_wizard(sqlite_database, path)
    to_preview(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.outcome_filter.currentText() == "Possible duplicate (1)"
    assert preview.model.index(0, 1).data() == "Possible duplicate: choose"
    assert "William Smith" in preview.dup_text.text()
    assert preview.dup_box.isEnabled()
    options = [preview.choice.itemText(i) for i in range(preview.choice.count())]
    assert options == [
        "Choose...",
        "Merge into William Smith (born 01/05/1960)",
        "Create new",
        "Skip this row",
    ]
    assert "Choose merge, create new or skip for 1 possible duplicate" in preview.blocked.text()
    assert not wizard.next_button.isEnabled()
    shot(wizard, "3-preview-duplicate")
    preview.decide_selected(Choice(choice))
    words = {"merge": "merge", "create": "create new", "skip": "skip"}[choice]
    assert preview.model.index(0, 1).data() == f"Possible duplicate: {words}"
    assert wizard.next_button.isEnabled()
    confirm_and_import(qtbot, wizard)
    bills = named(sqlite_database, "Bill", "Smith")
    [will] = named(sqlite_database, "William", "Smith")
    assert named(sqlite_database, "Ann", "Lee")
    if choice == "merge":
        assert not bills and will.phone == "07700 900555"
        assert count(sqlite_database) == 2
    elif choice == "create":
        assert len(bills) == 1 and will.phone == ""
        assert count(sqlite_database) == 3
    else:
        assert not bills and will.phone == ""
        assert count(sqlite_database) == 2


def test_apply_to_all_duplicates(qtbot, open_wizard, sqlite_database, william, tmp_path):
    from volunteerdesk.core.importing import Choice

    path = write_csv(
        tmp_path / "dups.csv",
        [HEADERS, ["Bill", "Smith", "01/05/1960", "", ""], ["Will", "Smith", "01/05/1960", "", ""]],
    )
    wizard = open_wizard(sqlite_database, path)
    to_preview(qtbot, wizard)
    preview = wizard.preview_page
    assert preview.model.rowCount() == 2
    preview.decide_selected(Choice.SKIP)
    assert not wizard.next_button.isEnabled()  # one still undecided
    qtbot.mouseClick(preview.apply_all, Qt.MouseButton.LeftButton)
    assert [preview.model.index(r, 1).data() for r in range(2)] == ["Possible duplicate: skip"] * 2
    assert wizard.next_button.isEnabled()
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.confirm_page.summary.text() == "Import 0 new volunteers, update 0, skip 2"


# --- cancel, undo, remembering -----------------------------------------------------------
def big_xlsx(path, rows=7000):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("People")
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append(
            [
                f"Person{n}",
                f"Surname{n % 977}",
                date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                f"p{n}@example.org",
                f"07700 {900000 + n}",
            ]
        )
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    return big_xlsx(tmp_path_factory.mktemp("big") / "seven thousand.xlsx")


def test_cancel_while_checking_writes_nothing(qtbot, open_wizard, sqlite_database, big_file):
    wizard = open_wizard(sqlite_database, big_file)
    to_columns(qtbot, wizard)
    assert wizard.file_page.sheet.currentText() == "People"
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.busy and wizard.progress_row.isVisible()
    qtbot.mouseClick(wizard.stop_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    assert wizard.page == 1  # back on the columns, the file still read
    assert wizard.status.text() == "Stopped: nothing was written."
    assert wizard.next_button.isEnabled()
    assert count(sqlite_database) == 0


def test_the_window_stays_responsive_on_7000_rows(qtbot, open_wizard, sqlite_database, big_file):
    wizard = open_wizard(sqlite_database, big_file)
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    to_columns(qtbot, wizard)
    seen = []
    wizard.progress.valueChanged.connect(seen.append)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.page == 2)
    wait_idle(qtbot, wizard)
    timer.stop()
    largest = max(gaps)
    print(
        f"\nlargest gap between 50 ms ticks while reading and checking 7,000 rows: "
        f"{largest * 1000:.0f} ms over {len(gaps)} ticks"
    )
    assert largest < 1.0
    assert seen  # the progress bar moved
    assert wizard.preview_page.counts.text() == "7000 new."
    assert wizard.preview_page.model.rowCount() == 7000


def test_undo_removes_exactly_what_was_imported(qtbot, open_wizard, small_demo, tmp_path):
    path = write_csv(
        tmp_path / "two.csv",
        [HEADERS, ["Imogen", "Quayle", "", "", ""], ["Barnaby", "Zelinski", "", "", ""]],
    )
    before = count(small_demo)
    with small_demo.uow() as s:
        ids_before = set(s.scalars(select(Volunteer.id)))
    wizard = open_wizard(small_demo, path)
    results = []
    wizard.imported.connect(results.append)
    to_preview(qtbot, wizard)
    confirm_and_import(qtbot, wizard)
    assert count(small_demo) == before + 2
    assert results and len(results[0].created) == 2
    assert wizard.report_page.undo.isEnabled()
    qtbot.mouseClick(wizard.report_page.undo, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, wizard)
    assert wizard.report_page.undo_text.text().startswith("Removed 2, restored 0")
    assert wizard.report_page.summary.text() == "The import was undone."
    assert not wizard.report_page.undo.isEnabled()
    with small_demo.uow() as s:
        assert set(s.scalars(select(Volunteer.id))) == ids_before
    assert wizard.announced[-1].touches("volunteers")
    shot(wizard, "5-report-undone")


def test_the_mapping_is_remembered_the_second_time(qtbot, open_wizard, sqlite_database, tmp_path):
    path = write_csv(
        tmp_path / "given.csv",
        [["Given", "Family", "Phone no"], ["Ann", "Lee", "07700 900001"]],
    )
    first = open_wizard(sqlite_database, path)
    to_columns(qtbot, first)
    first.columns_page.choose("first_name", "Given")
    first.columns_page.choose("last_name", "Family")
    to_preview_from_columns(qtbot, first)
    confirm_and_import(qtbot, first)
    first.close()
    second_file = write_csv(
        tmp_path / "given again.csv", [["Given", "Family", "Phone no"], ["Bo", "Day", ""]]
    )
    second = open_wizard(sqlite_database, second_file)
    to_columns(qtbot, second)
    page = second.columns_page
    assert page.remembered.text().startswith("Columns as you chose them last time")
    assert page.combos["first_name"].currentText() == "Given"
    assert page.combos["last_name"].currentText() == "Family"
    assert second.next_button.isEnabled()


def test_escape_asks_before_discarding_a_read_file(qtbot, open_wizard, sqlite_database, tmp_path):
    path = write_csv(tmp_path / "a.csv", [HEADERS, ["Ann", "Lee", "", "", ""]])
    wizard = open_wizard(sqlite_database, path)
    to_columns(qtbot, wizard)
    answer_next_dialog(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert wizard.isVisible()
    answer_next_dialog(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible()
    assert count(sqlite_database) == 0
    with sqlite_database.uow() as s:
        assert not s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == AuditAction.IMPORT)
        )


def test_an_xlsx_sheet_is_chosen(qtbot, open_wizard, sqlite_database, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["Nothing here"])
    sheet = workbook.create_sheet("Volunteers")
    sheet.append(HEADERS)
    sheet.append(["Ann", "Lee", date(1970, 3, 4), "", ""])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    wizard = open_wizard(sqlite_database, path)
    page = wizard.file_page
    qtbot.mouseClick(page.choose, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.sheet.count() == 2)
    assert page.sheet.isEnabled()
    assert "2 sheets" in page.sheet_note.text()
    page.sheet.setCurrentIndex(1)
    shot(wizard, "1-file-xlsx")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.page == 1)
    assert "book.xlsx, sheet Volunteers" in wizard.columns_page.source.text()
    assert wizard.columns_page.samples["date_of_birth"].text() == "04/03/1970"


def test_every_control_has_an_accessible_name(qtbot, open_wizard, small_demo, tmp_path):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QTableView

    path = write_csv(tmp_path / "a.csv", [HEADERS, ["Ann", "Lee", "", "", ""]])
    wizard = open_wizard(small_demo, path)
    to_preview(qtbot, wizard)
    for kind in (QAbstractButton, QComboBox, QLineEdit, QTableView):
        for widget in wizard.findChildren(kind):
            if widget.objectName().startswith("qt_") or widget.parent() is None:
                continue
            if isinstance(widget.parent(), QComboBox | QLineEdit):  # their own parts
                continue
            assert widget.accessibleName(), (
                f"{type(widget).__name__} {widget.text() if hasattr(widget, 'text') else ''}"
            )
