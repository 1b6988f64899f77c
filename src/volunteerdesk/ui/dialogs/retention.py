"""The retention review: people due for erasure and DBS details kept past their rule.

``RetentionDialog(db, ops, bus, today, parent)`` loads the review in the background,
lists both, and acts on the selected row: "Erase…" opens the ``EraseDialog``; "Remove
DBS details…" blanks a DBS record's number, reference and notes after a confirmation.
It reloads when volunteers, clearances or settings change. Non-modal: ``show()``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from ...core.privacy.retention import RetentionReview, clear_dbs_details, retention_review
from ...core.settings import load_settings
from ...core.validation import format_uk_date
from ..table_model import Column, RowTableModel
from ..widgets import heading, note, plural, table_view
from .privacy import EraseDialog

WATCHES = ("volunteers", "clearances", "settings")


def _uk(day: date | None) -> str:
    return format_uk_date(day) if day else ""


def confirm_clear(parent, text: str) -> bool:
    """Ask before removing DBS details (tests answer the box)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Remove DBS details", text, parent=parent)
    box.setAccessibleName("Remove DBS details")
    remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is remove


class RetentionDialog(QDialog):
    def __init__(self, db, ops, bus, today: date, parent=None):
        super().__init__(parent)
        self.db, self.ops, self.bus, self.today = db, ops, bus, today
        self.review: RetentionReview | None = None
        self.editors: list[QDialog] = []
        self.setWindowTitle("Retention review")
        self.setAccessibleName("Retention review")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.leaver_rule = note("", "Rule for people who left")
        self.leavers = RowTableModel(
            [
                Column("Name", lambda r: r.name),
                Column("Left on", lambda r: r.left_on, lambda r: _uk(r.left_on)),
                Column("Due since", lambda r: r.due_on, lambda r: _uk(r.due_on)),
            ]
        )
        self.leaver_view = table_view(self.leavers, "People due for erasure", stretch_column=0)
        self.leaver_empty = QLabel("")
        self.leaver_empty.setAccessibleName("People due for erasure: summary")
        self.erase_button = QPushButton("Erase…")
        self.erase_button.setAccessibleName("Erase the selected person")
        self.erase_button.clicked.connect(self.erase_selected)

        self.dbs_rule = note("", "Rule for DBS details")
        self.dbs = RowTableModel(
            [
                Column("Name", lambda r: r.name),
                Column("Record", lambda r: r.type_name),
                Column("Granted", lambda r: r.granted_on, lambda r: _uk(r.granted_on)),
                Column("Why", lambda r: r.rule),
            ]
        )
        self.dbs.align_top()
        self.dbs_view = table_view(self.dbs, "DBS details kept too long", wrap=True)
        self.dbs_empty = QLabel("")
        self.dbs_empty.setAccessibleName("DBS details kept too long: summary")
        self.clear_button = QPushButton("Remove DBS details…")
        self.clear_button.setAccessibleName("Remove the selected record's DBS details")
        self.clear_button.clicked.connect(self.clear_selected)
        self.status = QLabel("Loading…")
        self.status.setAccessibleName("Review status")
        close = QPushButton("Close")
        close.setAccessibleName("Close")
        close.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Retention review"))
        layout.addWidget(self.status)
        for title, rule, view, empty, button in (
            ("People who left long ago", self.leaver_rule, self.leaver_view,
             self.leaver_empty, self.erase_button),
            ("DBS details kept too long", self.dbs_rule, self.dbs_view, self.dbs_empty,
             self.clear_button),
        ):  # fmt: skip
            section = QLabel(title)
            section.setObjectName("sectionHeading")
            section.setAccessibleName(title)
            layout.addWidget(section)
            layout.addWidget(rule)
            layout.addWidget(view, 1)
            row = QHBoxLayout()
            row.addWidget(empty, 1)
            row.addWidget(button)
            layout.addLayout(row)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.setTabOrder(self.leaver_view, self.erase_button)
        self.setTabOrder(self.erase_button, self.dbs_view)
        self.setTabOrder(self.dbs_view, self.clear_button)
        self.setTabOrder(self.clear_button, close)
        for view in (self.leaver_view, self.dbs_view):
            view.doubleClicked.connect(lambda _i, v=view: self._activate(v))
            view.selectionModel().selectionChanged.connect(self._enable)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, activated=self._enter)
        bus.changed.connect(self._changed)
        self.resize(820, 640)
        self._enable()
        self.load()

    # --- loading -----------------------------------------------------------------------
    def load(self) -> None:
        db, today = self.db, self.today

        def fetch() -> RetentionReview:
            with db.uow() as session:
                return retention_review(session, today, load_settings(session))

        self.ops.run(fetch, self.show_review, self._failed)

    def show_review(self, review: RetentionReview) -> None:
        self.review = review
        self.leaver_rule.setText(review.leaver_rule)
        self.dbs_rule.setText(review.dbs_rule)
        self.leavers.set_rows(review.leavers)
        self.dbs.set_rows(review.dbs)
        self.dbs_view.resizeRowsToContents()
        self.leaver_empty.setText(
            plural(len(review.leavers), "person", "people") + " due for erasure."
            if review.leavers
            else "Nobody is due for erasure."
        )
        if review.undated_leavers:
            self.leaver_empty.setText(
                self.leaver_empty.text()
                + f" {plural(review.undated_leavers, 'person', 'people')} marked as left "
                "with no date: add the date they left."
            )
        self.dbs_empty.setText(
            plural(len(review.dbs), "DBS record") + " to clear."
            if review.dbs
            else "No DBS details are kept too long."
        )
        self.status.setText(f"As of {format_uk_date(review.today)}.")
        for view in (self.leaver_view, self.dbs_view):
            header = view.horizontalHeader()
            for column in range(1, header.count() - 1):
                header.resizeSection(column, 110)
        self.dbs_view.horizontalHeader().resizeSection(0, 180)
        self._enable()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(f"Could not load the review: {error}")

    def _changed(self, changes) -> None:
        if changes.touches(*WATCHES):
            self.load()

    # --- acting on the selected row ----------------------------------------------------
    def _selected(self, view, model):
        rows = view.selectionModel().selectedRows()
        return model.row_at(rows[0].row()) if rows else None

    def _enable(self, *_args) -> None:
        self.erase_button.setEnabled(self._selected(self.leaver_view, self.leavers) is not None)
        self.clear_button.setEnabled(self._selected(self.dbs_view, self.dbs) is not None)

    def _activate(self, view) -> None:
        (self.erase_selected if view is self.leaver_view else self.clear_selected)()

    def _enter(self) -> None:
        focus = self.focusWidget()
        if focus in (self.leaver_view, self.dbs_view):
            self._activate(focus)
        elif isinstance(focus, QPushButton):
            focus.click()

    def erase_selected(self) -> None:
        row = self._selected(self.leaver_view, self.leavers)
        if row is None:
            return
        dialog = EraseDialog(self.db, self.ops, self.bus, row.volunteer_id, self, self.today)
        self.editors.append(dialog)
        dialog.destroyed.connect(lambda *_: self.editors.remove(dialog))
        dialog.show()

    def clear_selected(self) -> None:
        row = self._selected(self.dbs_view, self.dbs)
        if row is None:
            return
        text = (
            f"Remove the certificate number, reference and notes of {row.name}'s "
            f"{row.type_name} granted {_uk(row.granted_on) or '(no date)'}? Its level, dates "
            "and decision stay. This cannot be undone."
        )
        if not confirm_clear(self, text):
            return
        db, clearance_id = self.db, row.clearance_id

        def work():
            with db.uow() as session:
                return clear_dbs_details(session, clearance_id, db.username)

        self.status.setText("Removing the DBS details…")
        self.ops.run(work, self.bus.announce, self._failed)
