"""Showing, printing and saving a PDF the program made.

``preview_document(parent, ops, title, build)`` runs ``build() -> bytes`` in the
background (a busy indicator meanwhile), then shows a preview window: pages rendered
with pypdfium2 off the GUI thread (only the pages in view), zoom, "Page X of Y",
Print…, Save as PDF… and Open in PDF viewer. Any page can call it with its own build.

Every pdfium call runs on the background worker (pdfium is not thread-safe; the worker
is one thread, so calls never overlap). Tests replace ``run_print_dialog`` and
``exporting.ask_save_path`` / ``show_message`` / ``open_url``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from . import documents_printing, exporting

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
MARGIN = 16  # pixels around and between the pages in the preview
KEEP_RENDERED = 12  # pages kept as pixmaps; the rest are rendered again when scrolled to
_open: set[PreviewDialog] = set()  # open previews, kept alive until closed


def open_url(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


def run_print_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


class PdfPages:
    """A PDF opened with pypdfium2. Use only on the background worker."""

    def __init__(self, pdf: bytes) -> None:
        import pypdfium2

        self._doc = pypdfium2.PdfDocument(pdf)
        self.sizes = [self._doc[i].get_size() for i in range(len(self._doc))]  # points

    def render(self, index: int, scale: float) -> QImage:
        bitmap = self._doc[index].render(scale=scale, rev_byteorder=True)
        image = QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888
        )
        return image.copy()  # own the pixels: the bitmap's buffer goes with it

    def close(self) -> None:
        self._doc.close()


class PreviewDialog(QDialog):
    """A document's preview window (non-modal); ``ready`` once its pages are known."""

    ready = Signal(int)  # the number of pages
    failed = Signal(str)
    page_rendered = Signal(int)
    print_finished = Signal(int)  # pages printed
    saved = Signal(str)

    def __init__(self, parent: QWidget | None, ops, title: str, today: date | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setModal(False)
        self.ops = ops
        self.title = title
        self.today = today or date.today()
        self.pdf: bytes | None = None
        self.sizes: list[tuple[float, float]] = []
        self.zoom = 1.0
        self.fit_width = True
        self.printing = False
        self._pages: PdfPages | None = None
        self._closed = False
        self._generation = 0  # bumped on each zoom: late renders of an old zoom are dropped
        self._rendered: dict[int, int] = {}  # page -> generation shown
        self._wanted: set[tuple[int, int]] = set()
        self._tops: list[int] = []  # where each page starts in the scrolled area, in pixels
        self.setWindowTitle(f"{title}: preview")
        self.setAccessibleName(f"Preview of {title}")
        self._build_widgets()
        self._update_controls()

    # --- widgets ----------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        def button(text: str, name: str) -> QPushButton:
            b = QPushButton(text)
            b.setAccessibleName(name)
            b.setAutoDefault(False)
            return b

        self.print_button = button("Print…", "Print")
        self.save_button = button("Save as PDF…", "Save as PDF")
        self.open_button = button("Open in PDF viewer", "Open in PDF viewer")
        self.zoom_out_button = button("−", "Zoom out")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+-)")
        self.zoom_in_button = button("+", "Zoom in")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl++)")
        for b in (self.zoom_out_button, self.zoom_in_button):
            b.setFixedWidth(b.sizeHint().height() + 8)
        self.zoom_box = QComboBox()
        self.zoom_box.setAccessibleName("Zoom")
        self.zoom_box.addItem("Fit width", 0.0)
        for z in ZOOMS:
            self.zoom_box.addItem(f"{round(z * 100)}%", z)
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName("Page")
        self.page_box.setMinimum(1)
        self.page_of = QLabel("of 0")
        self.page_of.setAccessibleName("Number of pages")
        page_label = QLabel("Page")
        page_label.setBuddy(self.page_box)

        bar = QHBoxLayout()
        for w in (self.print_button, self.save_button, self.open_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out_button, self.zoom_box, self.zoom_in_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        for w in (page_label, self.page_box, self.page_of):
            bar.addWidget(w)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Preparing the document")
        self.busy.setMaximumWidth(220)
        self.status = QLabel("Preparing the document…")
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.addWidget(self.busy)
        status_row.addWidget(self.status, 1)

        self.page_area = QWidget()
        self.page_area.setObjectName("previewPages")
        self.page_area.setStyleSheet("QWidget#previewPages { background: #8a8f96; }")
        self.page_layout = QVBoxLayout(self.page_area)
        self.page_layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        self.page_layout.setSpacing(MARGIN)
        self.page_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_labels: list[QLabel] = []
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.page_area)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAccessibleName(f"Pages of {self.title}")
        self.scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.scroll.verticalScrollBar().valueChanged.connect(self._scrolled)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(status_row)
        layout.addWidget(self.scroll, 1)
        QWidget.setTabOrder(self.print_button, self.save_button)
        QWidget.setTabOrder(self.save_button, self.open_button)
        QWidget.setTabOrder(self.open_button, self.zoom_out_button)
        QWidget.setTabOrder(self.zoom_out_button, self.zoom_box)
        QWidget.setTabOrder(self.zoom_box, self.zoom_in_button)
        QWidget.setTabOrder(self.zoom_in_button, self.page_box)
        QWidget.setTabOrder(self.page_box, self.scroll)

        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        self.open_button.clicked.connect(self.open_in_viewer)
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(+1))
        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_box.activated.connect(self._zoom_chosen)
        self.page_box.valueChanged.connect(self.go_to_page)
        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.print_document),
            (QKeySequence.StandardKey.Save, self.save_pdf),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(+1)),
            (QKeySequence("Ctrl+="), lambda: self.step_zoom(+1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
            (QKeySequence("Ctrl+0"), self.zoom_to_fit),
        ):
            QShortcut(keys, self, slot)

    def _update_controls(self) -> None:
        have = self.pdf is not None and not self.printing
        for b in (self.print_button, self.save_button, self.open_button):
            b.setEnabled(have)
        for w in (self.zoom_in_button, self.zoom_out_button, self.zoom_box, self.page_box):
            w.setEnabled(bool(self.sizes))

    def set_status(self, text: str, busy: bool = False) -> None:
        self.status.setText(text)
        self.busy.setVisible(busy)

    # --- the document arrives ---------------------------------------------------------------
    def show_pdf(self, pdf: bytes) -> None:
        if self._closed:
            return
        self.pdf = pdf
        self.set_status("Laying out the pages…", busy=True)
        self.ops.run(lambda: PdfPages(pdf), self._opened, self.show_failure)

    def show_failure(self, error: BaseException) -> None:
        if self._closed:
            return
        self.set_status(f"Could not make the document: {error}")
        self.status.setObjectName("errorText")
        self.status.style().polish(self.status)
        self.failed.emit(str(error))

    def _opened(self, pages: PdfPages) -> None:
        if self._closed:
            self.ops.run(pages.close)
            return
        self._pages = pages
        self.sizes = pages.sizes
        n = len(self.sizes)
        for i in range(n):
            label = QLabel(f"Page {i + 1}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: white; color: #666;")
            label.setAccessibleName(f"Page {i + 1} of {n}")
            self.page_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.page_box.setMaximum(max(n, 1))
        self.page_of.setText(f"of {n}")
        self.set_status(f"{n} page{'s' if n != 1 else ''}. Ctrl+P prints, Ctrl+S saves.")
        self._update_controls()
        self._apply_zoom()
        self.ready.emit(n)

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    # --- zoom and pages ---------------------------------------------------------------------
    def _points_to_pixels(self) -> float:
        return self.logicalDpiX() / 72.0

    def _fit_zoom(self) -> float:
        if not self.sizes:
            return 1.0
        widest = max(w for w, _h in self.sizes) * self._points_to_pixels()
        room = self.scroll.viewport().width() - 32
        if not self.scroll.verticalScrollBar().isVisible():  # it will be, once pages are in
            room -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return max(0.25, min(3.0, room / widest))

    def _zoom_chosen(self, index: int) -> None:
        value = self.zoom_box.itemData(index)
        if not value:
            self.zoom_to_fit()
        else:
            self.set_zoom(value)

    def zoom_to_fit(self) -> None:
        self.fit_width = True
        self.zoom_box.setCurrentIndex(0)
        self._apply_zoom()

    def set_zoom(self, zoom: float) -> None:
        self.fit_width = False
        self.zoom = zoom
        found = self.zoom_box.findData(zoom)
        if found >= 0:
            self.zoom_box.setCurrentIndex(found)
        else:
            self.zoom_box.setEditText(f"{round(zoom * 100)}%")
        self._apply_zoom()

    def step_zoom(self, direction: int) -> None:
        if not self.sizes:
            return
        current = self._fit_zoom() if self.fit_width else self.zoom
        steps = [z for z in ZOOMS if (z > current + 0.01 if direction > 0 else z < current - 0.01)]
        if steps:
            self.set_zoom(steps[0] if direction > 0 else steps[-1])

    def _apply_zoom(self) -> None:
        if not self.sizes:
            return
        if self.fit_width:
            self.zoom = self._fit_zoom()
        page = self.current_page() if self._tops else 1
        self._generation += 1
        self._rendered.clear()
        scale = self.zoom * self._points_to_pixels()
        self._tops, top = [], MARGIN
        for label, (w, h) in zip(self.page_labels, self.sizes, strict=True):
            label.setFixedSize(QSize(round(w * scale), round(h * scale)))
            self._tops.append(top)
            top += label.height() + MARGIN
        # the same page stays in view, once the scroll area has taken the new sizes
        QTimer.singleShot(0, lambda: self.go_to_page(page) if page > 1 else self._render_visible())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.fit_width and self.sizes:
            QTimer.singleShot(0, self._apply_zoom)

    def visible_pages(self) -> list[int]:
        top = self.scroll.verticalScrollBar().value()
        bottom = top + self.scroll.viewport().height()
        return [
            i
            for i, (y, label) in enumerate(zip(self._tops, self.page_labels, strict=True))
            if y < bottom + 200 and y + label.height() > top - 200
        ]

    def current_page(self) -> int:
        middle = self.scroll.verticalScrollBar().value() + self.scroll.viewport().height() // 3
        for i, (y, label) in enumerate(zip(self._tops, self.page_labels, strict=True)):
            if y + label.height() + MARGIN // 2 >= middle:
                return i + 1
        return max(1, len(self.page_labels))

    def _scrolled(self, _value: int) -> None:
        page = self.current_page()
        if page != self.page_box.value():
            self.page_box.blockSignals(True)
            self.page_box.setValue(page)
            self.page_box.blockSignals(False)
        self._render_visible()

    def go_to_page(self, page: int) -> None:
        if 1 <= page <= len(self.page_labels):
            bar = self.scroll.verticalScrollBar()
            bar.setValue(self._tops[page - 1] - MARGIN // 2)
            self._scrolled(bar.value())

    def _render_visible(self) -> None:
        if self._closed or self._pages is None:
            return
        generation = self._generation
        scale = self.zoom * self._points_to_pixels() * self.devicePixelRatioF()
        pages = self._pages
        for index in self.visible_pages():
            if self._rendered.get(index) == generation or (index, generation) in self._wanted:
                continue
            self._wanted.add((index, generation))
            self.ops.run(
                lambda index=index: pages.render(index, scale),
                lambda image, index=index: self._show_page(index, generation, image),
                self.show_failure,
            )

    def _show_page(self, index: int, generation: int, image: QImage) -> None:
        self._wanted.discard((index, generation))
        if self._closed or generation != self._generation:
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.page_labels[index].setPixmap(pixmap)
        self._rendered[index] = generation
        if len(self._rendered) > KEEP_RENDERED:  # forget the pages furthest from view
            shown = set(self.visible_pages())
            for old in [i for i in self._rendered if i not in shown][: -KEEP_RENDERED // 2]:
                self.page_labels[old].setPixmap(QPixmap())
                del self._rendered[old]
        self.page_rendered.emit(index)

    def page_image(self, index: int) -> QImage:
        """What page ``index`` shows now (for tests and screenshots)."""
        return self.page_labels[index].pixmap().toImage()

    # --- save and open ----------------------------------------------------------------------
    def save_pdf(self) -> Path | None:
        if self.pdf is None:
            return None
        path = exporting.choose_file(
            self, "Save as PDF", self.title, [exporting.PDF_FILTER], self.today
        )
        if path is None:
            return None
        try:
            exporting.write_bytes_atomically(path, self.pdf)
        except OSError as exc:
            exporting.show_message(
                self, "Could not save the PDF", exporting.describe_os_error(exc, path)
            )
            return None
        exporting.remember_folder(path)
        self.set_status(f"Saved to {path}")
        self.saved.emit(str(path))
        return path

    def open_in_viewer(self) -> Path | None:
        if self.pdf is None:
            return None
        folder = Path(tempfile.gettempdir()) / "volunteerdesk-documents"
        path = folder / exporting.file_name(self.title, ".pdf", self.today)
        try:
            folder.mkdir(exist_ok=True)
            exporting.write_bytes_atomically(path, self.pdf)
        except OSError as exc:
            text = exporting.describe_os_error(exc, path)
            exporting.show_message(self, "Could not open the PDF", text)
            return None
        if not open_url(QUrl.fromLocalFile(str(path))):
            exporting.show_message(
                self,
                "No PDF viewer",
                f"No PDF viewer could be started. The document is at {path}; "
                "use Save as PDF… to keep a copy where you want it.",
            )
            return path
        self.set_status(f"Opened in your PDF viewer ({path.name}).")
        return path

    # --- printing ---------------------------------------------------------------------------
    def new_printer(self):
        return documents_printing.new_printer(self)

    def print_document(self) -> None:
        if self.pdf is None or self.printing or not self.sizes:
            return
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog

        printer = self.new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {self.title}")
        dialog.setMinMax(1, self.page_count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if run_print_dialog(dialog):
            self.print_to(printer)

    def print_to(self, printer) -> None:
        """Paint the chosen pages on ``printer``, each rendered in the background at the
        printer's resolution; landscape pages go on landscape paper."""
        documents_printing.print_to(self, printer)

    def _orient(self, printer, index: int) -> None:
        documents_printing.orient(self, printer, index)

    # --- closing ----------------------------------------------------------------------------
    def done(self, result: int) -> None:
        if not self._closed:
            self._closed = True
            for label in self.page_labels:
                label.setPixmap(QPixmap())
            if self._pages is not None:
                self.ops.run(self._pages.close)
                self._pages = None
        super().done(result)


def preview_document(
    parent: QWidget | None,
    ops,
    title: str,
    build: Callable[[], bytes],
    today: date | None = None,
) -> PreviewDialog:
    """Build the PDF in the background (a busy indicator meanwhile), then preview it.

    ``build`` runs on the background worker: it opens its own unit of work.
    """
    dialog = PreviewDialog(parent, ops, title, today)
    _open.add(dialog)
    dialog.finished.connect(lambda _result: _open.discard(dialog))
    dialog.resize(1000, 860)
    dialog.show()
    ops.run(build, dialog.show_pdf, dialog.show_failure)
    return dialog
