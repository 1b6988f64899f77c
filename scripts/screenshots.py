"""Take a screenshot of every page on the small demo into docs/screenshots/.

    uv run python scripts/screenshots.py [--out docs/screenshots] [--scale 1] [--dark]

Builds the small demo in a temporary file (as of a fixed date, so the pictures do not
drift), opens the main window offscreen at 1280x800 and saves one PNG per page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VOLUNTEERDESK_HOME", tempfile.mkdtemp(prefix="vd-shots-home-"))

DEMO_TODAY = date(2026, 11, 23)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--scale", type=float, default=1.0, help="device scale, e.g. 2 for 200%%")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    args = parser.parse_args()
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from volunteerdesk.core.db import open_database
    from volunteerdesk.core.demo import build_demo
    from volunteerdesk.ui.app import load_bundled_fonts
    from volunteerdesk.ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    load_bundled_fonts()
    if args.dark:
        from volunteerdesk.ui.style import dark_palette

        app.setPalette(dark_palette())

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    # A fixed path, so the status bar reads the same in every run's pictures.
    workdir = Path(tempfile.gettempdir()) / "volunteerdesk-demo"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    db = open_database(workdir / "westmoor.db", username="coordinator")
    build_demo(db, size="small", seed=1, today=DEMO_TODAY)
    window = MainWindow(db, today=DEMO_TODAY, offer_demo=False)
    window.resize(1280, 800)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = ("-dark" if args.dark else "") + (
        f"-{int(args.scale * 100)}" if args.scale != 1 else ""
    )
    for index, page in enumerate(window.pages):
        window.show_page(index)
        for _ in range(400):
            if page.is_loaded and window.ops.pending == 0:
                break
            spin(50)
        spin(200)
        name = page.title.lower().replace(" & ", "-").replace(" ", "-")
        path = args.out / f"{name}{suffix}.png"
        window.grab().save(str(path))
        print(path)
    extras(window, args.out, suffix, spin)
    window.close()
    window.ops.shutdown()
    db.dispose()
    return 0


def extras(window, out: Path, suffix: str, spin) -> None:
    """The windows people work in beyond the pages: rota month, assign, auto-fill, a
    volunteer's record, a document preview and the import wizard."""

    def settle(done=lambda: True, ms: int = 200) -> None:
        for _ in range(400):
            if done() and window.ops.pending == 0:
                break
            spin(50)
        spin(ms)

    def save(widget, name: str) -> None:
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    rota = window.page("RotaPage")
    window.show_page(window.index_of("RotaPage"))
    settle(lambda: rota.is_loaded)
    rota.set_mode("month")
    settle()
    save(window, "rota-month")
    rota.set_mode("week")
    settle()
    vacant = next((s for s in rota.period.shifts if getattr(s, "needed", 0) > 0), None)
    if vacant is not None:
        rota.open_assign(vacant)
        settle()
        save(rota.dialog, "assign")
        rota.dialog.close()
    rota.open_autofill()
    dialog = rota.dialog
    dialog.resize(1100, 640)
    dialog.propose()
    settle(lambda: dialog.propose_button.isEnabled(), 400)
    save(dialog, "auto-fill")
    dialog.close()
    settle()

    volunteers = window.page("VolunteersPage")
    window.show_page(window.index_of("VolunteersPage"))
    settle(lambda: volunteers.is_loaded)
    names = [volunteers.model.row_at(i).display_name for i in range(volunteers.model.rowCount())]
    volunteers.table.selectRow(names.index("Bilal Akhtar") if "Bilal Akhtar" in names else 0)
    settle()
    editor = volunteers.open_selected()
    if editor is not None:
        editor.resize(900, 680)
        settle()
        save(editor, "volunteer-editor")
        titles = [editor.tabs.tabText(i).replace("&", "") for i in range(editor.tabs.count())]
        clearances = next((i for i, t in enumerate(titles) if t.startswith("Clearances")), None)
        if clearances is not None:
            editor.tabs.setCurrentIndex(clearances)
            settle()
            save(editor, "volunteer-clearances")
        editor.close()
        settle()

    reports = window.page("ReportsPage")
    window.show_page(window.index_of("ReportsPage"))
    settle(lambda: reports.is_loaded)
    reports.documents.setCurrentRow(3)  # the clearance report
    settle()
    save(window, "reports")
    preview = reports.preview()
    if preview is not None:
        preview.resize(900, 760)
        settle(lambda: preview.page_count > 0, 800)
        save(preview, "preview")
        preview.close()

    from volunteerdesk.ui import import_wizard

    sample = out.parent / "sample-volunteers.csv"
    sample.write_text(
        "First name,Surname,Mobile,Email,DBS No.\n"
        "Imogen,Quayle,07700 900001,imogen@example.org,001234567890\n"
        "Siân,Evans,07700 900002,sian.evans@example.org,\n"
        "Barnaby,Zelinski,07700 90000,barnaby@example,\n",
        encoding="utf-8",
    )
    import_wizard.ask_open_path = lambda _parent: str(sample)
    wizard = window.open_import()
    wizard.resize(1000, 700)
    wizard.file_page.choose.click()
    settle(lambda: wizard.next_button.isEnabled())
    wizard.next_button.click()
    settle(lambda: wizard.page == 1)
    wizard.next_button.click()
    settle(lambda: wizard.page == 2, 400)
    save(wizard, "import-preview")
    wizard.read = None
    wizard.close()
    sample.unlink()


if __name__ == "__main__":
    sys.exit(main())
