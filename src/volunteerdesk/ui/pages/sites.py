"""Sites & posts: prisons and courts; the selected one's details and its posts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.services.sites import PostInfo, SiteDetail, SiteRow, list_sites, site_detail
from ..table_model import Column, RowTableModel, format_value
from ..widgets import fit_columns, heading, table_view
from .base import Page


def _post_text(post: PostInfo) -> str:
    """The post's name, then its kind and place on a second line."""
    where = ", ".join(part for part in (post.kind, post.location) if part)
    inactive = " (inactive)" if not post.active else ""
    return f"{post.name}{inactive}\n{where}" if where else post.name + inactive


def _requires_text(post: PostInfo) -> str:
    lines = list(post.requirements)
    if post.faith:
        lines.append(f"Faith: {post.faith}")
    if post.needs_escort:
        lines.append("Needs an escort")
    return "\n".join(lines) or "Nothing"


POST_COLUMNS = [
    Column("Post", lambda p: p.name, text=_post_text),
    Column(
        "Times",
        lambda p: (p.start_time, p.end_time),
        text=lambda p: f"{p.start_time:%H:%M}–{p.end_time:%H:%M}",
    ),
    Column(
        "Volunteers",
        lambda p: (p.min_volunteers, p.max_volunteers),
        text=lambda p: f"{p.min_volunteers} to {p.max_volunteers}",
        tooltip="Fewest and most volunteers a session takes",
    ),
    Column("Requires", lambda p: p.requirements_text, text=_requires_text),
    Column(
        "Repeats",
        lambda p: p.patterns_text,
        text=lambda p: "\n".join(p.patterns) or "Not set: added by hand",
    ),
]

DETAIL_FIELDS = [
    ("kind", "Kind"),
    ("address", "Address"),
    ("phone", "Phone"),
    ("coordinator", "Coordinator"),
    ("security_contact", "Security contact"),
    ("safeguarding_contact", "Safeguarding contact"),
    ("gates", "Through the gate by"),
    ("bank_holidays", "Bank holidays"),
]


class SitesPage(Page):
    title = "Sites & posts"
    watches = frozenset({"sites", "posts", "catalogues"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.site_list = QListWidget()
        self.site_list.setObjectName("siteList")
        self.site_list.setAccessibleName("Sites")
        self.site_list.setMinimumWidth(180)
        self.site_name = heading("", "Selected site")
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        for key, label in DETAIL_FIELDS:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label)
            self.values[key] = value
            form.addRow(f"{label}:", value)
        self.posts_heading = QLabel("Posts")
        self.posts_heading.setObjectName("sectionHeading")
        self.posts_heading.setAccessibleName("Posts heading")
        self.post_model = RowTableModel(POST_COLUMNS, parent=self)
        self.post_model.align_top()
        self.post_table = table_view(
            self.post_model, "Posts at the selected site", sort_column=1, wrap=True
        )

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        right_layout.addWidget(self.site_name)
        right_layout.addLayout(form)
        right_layout.addSpacing(8)
        right_layout.addWidget(self.posts_heading)
        right_layout.addWidget(self.post_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.site_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(heading("Sites and posts"))
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)
        self.site_list.currentItemChanged.connect(self._site_changed)
        self.detail: SiteDetail | None = None

    def fetch(self) -> list[SiteRow]:
        with self.db.uow() as session:
            return list_sites(session)

    def show_data(self, rows: list[SiteRow]) -> None:
        selected = self.detail.id if self.detail else None
        self.site_list.blockSignals(True)
        self.site_list.clear()
        for row in rows:
            suffix = "" if row.active else " (inactive)"
            item = QListWidgetItem(f"{row.name}{suffix}\n{row.kind}, {row.posts} posts")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{row.name}, {row.kind}")
            self.site_list.addItem(item)
        self.site_list.blockSignals(False)
        index = next((i for i, r in enumerate(rows) if r.id == selected), 0)
        if rows:
            self.site_list.setCurrentRow(index)
        else:
            self.site_name.setText("No sites yet")

    def _site_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is None:
            return
        site_id = current.data(Qt.ItemDataRole.UserRole)

        def fetch():
            with self.db.uow() as session:
                return site_detail(session, site_id)

        self.ops.run(fetch, self._show_detail)

    def _show_detail(self, detail: SiteDetail | None) -> None:
        if detail is None:
            return
        self.detail = detail
        self.site_name.setText(detail.name + (f" ({detail.code})" if detail.code else ""))
        gates = [
            f"{label} {format_value(t)}"
            for label, t in (
                ("morning", detail.morning_gate_time),
                ("afternoon", detail.afternoon_gate_time),
            )
            if t
        ]
        address = ", ".join(
            part for part in (detail.address.replace("\n", ", "), detail.postcode) if part
        )
        texts = {
            "kind": f"{detail.kind}, {detail.jurisdiction}"
            + ("" if detail.active else " (inactive)"),
            "address": address,
            "phone": detail.phone,
            "gates": ", ".join(gates),
            "coordinator": detail.coordinator,
            "security_contact": detail.security_contact,
            "safeguarding_contact": detail.safeguarding_contact,
            "bank_holidays": "Closed on bank holidays"
            if detail.closed_on_bank_holidays
            else "Runs on bank holidays",
        }
        for key, text in texts.items():
            self.values[key].setText(text or "—")
        self.posts_heading.setText(f"Posts ({len(detail.posts)})")
        self.post_model.set_rows(list(detail.posts))
        fit_columns(self.post_table, {0: 200, 3: 240})
        self.post_table.resizeRowsToContents()

    @property
    def posts(self) -> list[PostInfo]:
        """The posts shown, in table order."""
        return self.post_model.shown_rows()
