"""Print or export what a list shows: its rows, in its order, as its columns show them.

Rows are plain data (frozen dataclasses) and columns are ``table_model.Column``s, so the
text is made on the worker thread: a 7,000-row list does not hold up the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from .table_model import Column, RowTableModel


def print_rows(
    parent: QWidget,
    ops,
    db,
    *,
    title: str,
    subtitle: str,
    rows: Sequence[Any],
    columns: Sequence[Column],
    figures: Sequence[tuple[str, str]] = (),
    note: str = "",
    today: date | None = None,
):
    """Preview (then print or save) ``rows`` as a PDF list; returns the preview window."""
    from ..core.reports.listing import build_listing
    from ..core.settings import load_settings
    from .documents import preview_document

    columns = list(columns)
    header = [c.title.replace("\n", " ") for c in columns]
    rows = list(rows)
    figures = list(figures)

    def build() -> bytes:
        with db.uow() as session:
            settings = load_settings(session)
        text = [[c.display(row) for c in columns] for row in rows]
        return build_listing(
            title=title,
            subtitle=subtitle,
            header=header,
            rows=text,
            figures=figures,
            note=note,
            settings=settings,
            username=db.username,
        )

    return preview_document(parent, ops, title, build, today)


def print_model(parent: QWidget, ops, db, *, model: RowTableModel, **options):
    """Print the rows a table model shows, in its order."""
    return print_rows(parent, ops, db, rows=model.shown_rows(), columns=model.columns, **options)


def export_rows(
    parent: QWidget,
    title: str,
    rows: Sequence[Any],
    columns: Sequence[Column],
    today: date | None = None,
):
    """Save ``rows``, as ``columns`` show them, as Excel or CSV (the person chooses)."""
    from .exporting import export_table

    return export_table(parent, title, list(rows), list(columns), today=today)


def export_model(parent: QWidget, title: str, model: RowTableModel, today: date | None = None):
    return export_rows(parent, title, model.shown_rows(), model.columns, today)
