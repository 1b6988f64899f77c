"""Printing a previewed PDF: the printer's set-up and painting the chosen pages on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter

from . import exporting

if TYPE_CHECKING:
    from .documents import PreviewDialog

PRINT_DPI = 300  # pages are painted at the printer's resolution, up to this


def new_printer(dialog: PreviewDialog):
    """An A4 printer named after the document, landscape if its first page is."""
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(dialog.title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)  # the PDF has its own margins
    if dialog.sizes and dialog.sizes[0][0] > dialog.sizes[0][1]:
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setFromTo(1, max(1, dialog.page_count))
    return printer


def print_to(dialog: PreviewDialog, printer) -> None:
    """Paint the chosen pages on ``printer``, each rendered in the background at the
    printer's resolution; landscape pages go on landscape paper."""
    from PySide6.QtPrintSupport import QPrinter

    n = dialog.page_count
    first, last = 1, n
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(1, printer.fromPage()), min(n, printer.toPage() or n)
    pages = list(range(first - 1, last))
    if not pages or dialog._pages is None:
        return
    dpi = min(printer.resolution(), PRINT_DPI)
    printer.setFullPage(True)
    orient(dialog, printer, pages[0])
    painter = QPainter()
    if not painter.begin(printer):
        exporting.show_message(dialog, "Could not print", "The printer could not be started.")
        return
    dialog.printing = True
    dialog._update_controls()
    state = {"done": 0}
    doc = dialog._pages

    def next_page() -> None:
        index = pages[state["done"]]
        dialog.set_status(f"Printing page {state['done'] + 1} of {len(pages)}…", busy=True)
        dialog.ops.run(lambda: doc.render(index, dpi / 72.0), paint, stop)

    def paint(image: QImage) -> None:
        if state["done"] > 0:
            orient(dialog, printer, pages[state["done"]])
            printer.newPage()
        target = printer.paperRect(QPrinter.Unit.DevicePixel).toRect()
        size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = target.x() + (target.width() - size.width()) // 2
        y = target.y() + (target.height() - size.height()) // 2
        painter.drawImage(QRect(x, y, size.width(), size.height()), image)
        state["done"] += 1
        if state["done"] < len(pages) and not dialog._closed:
            next_page()
        else:
            finish()

    def stop(error: BaseException) -> None:
        finish()
        exporting.show_message(dialog, "Could not print", str(error))

    def finish() -> None:
        painter.end()
        dialog.printing = False
        if not dialog._closed:
            dialog._update_controls()
            done = state["done"]
            dialog.set_status(f"Sent {done} page{'s' if done != 1 else ''} to the printer.")
        dialog.print_finished.emit(state["done"])

    next_page()


def orient(dialog: PreviewDialog, printer, index: int) -> None:
    """Turn the paper to match page ``index`` (landscape when it is wider than tall)."""
    from PySide6.QtGui import QPageLayout

    w, h = dialog.sizes[index]
    orientation = QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait
    if printer.pageLayout().orientation() != orientation:
        printer.setPageOrientation(orientation)
