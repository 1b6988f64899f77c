"""Sites & posts: prisons and courts; the selected one's details and its posts.

Ctrl+N adds a post at the selected site, Ctrl+Shift+N a site; Enter or a double-click
opens the selected site (in the list) or post (in the table) in its editor; Delete
removes a post that has no sessions on the rota yet. Ctrl+F filters the sites; in the
filter box Down goes to the list, Enter opens the only or selected site, Escape clears.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.services.community_edit import InUse
from ...core.services.editing import ConflictError, RecordGone
from ...core.services.sites import PostInfo, SiteDetail, SiteRow, list_sites, site_detail
from ..table_model import Column, RowTableModel, format_value
from ..widgets import fit_columns, heading, search_box, table_view
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
        text=lambda p: "\n".join(p.repeats or p.patterns) or "Not set: added by hand",
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
    ("days", "Closures ahead"),
]


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").replace("…", ""))
    return button


class SitesPage(Page):
    title = "Sites & posts"
    watches = frozenset({"sites", "posts", "catalogues"})

    def __init__(self, db, ops, today=None) -> None:
        super().__init__(db, ops, today)
        self.search = search_box("Filter sites", "Filter sites")
        self.search.setMinimumWidth(180)
        self.search.setToolTip(
            "Filter the sites by name or kind (Ctrl+F); Down goes to the list, Escape clears"
        )
        self.site_list = QListWidget()
        self.site_list.setObjectName("siteList")
        self.site_list.setAccessibleName("Sites")
        self.site_list.setMinimumWidth(180)
        self.search.leads_to(self.site_list, self.open_selected_site)
        self.new_site_button = _button("New &site…", "Add a prison or court (Ctrl+Shift+N)")
        self.edit_site_button = _button("&Edit site…", "Open the selected site (Enter)")
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
        self.new_post_button = _button("&New post…", "Add a post or desk at this site (Ctrl+N)")
        self.edit_post_button = _button("&Open post…", "Open the selected post (Enter)")
        self.delete_post_button = _button("&Delete post…", "Delete the selected post (Delete)")
        self.post_model = RowTableModel(POST_COLUMNS, parent=self)
        self.post_model.align_top()
        self.post_table = table_view(
            self.post_model, "Posts at the selected site", sort_column=1, wrap=True
        )

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.site_list, 1)
        site_buttons = QHBoxLayout()
        site_buttons.addWidget(self.new_site_button)
        site_buttons.addWidget(self.edit_site_button)
        left_layout.addLayout(site_buttons)
        post_bar = QHBoxLayout()
        post_bar.addWidget(self.posts_heading)
        post_bar.addStretch(1)
        for button in (self.new_post_button, self.edit_post_button, self.delete_post_button):
            post_bar.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(12, 0, 0, 0)
        right_layout.addWidget(self.site_name)
        right_layout.addLayout(form)
        right_layout.addSpacing(8)
        right_layout.addLayout(post_bar)
        right_layout.addWidget(self.post_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(heading("Sites and posts"))
        layout.addWidget(self.error_label)
        layout.addWidget(splitter, 1)
        order = [
            self.search,
            self.site_list,
            self.new_site_button,
            self.edit_site_button,
            self.new_post_button,
            self.edit_post_button,
            self.delete_post_button,
            self.post_table,
        ]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

        self._action("New post", QKeySequence.StandardKey.New, self.new_post, self)
        self._action("New site", QKeySequence("Ctrl+Shift+N"), self.new_site, self)
        self._action("Find", QKeySequence.StandardKey.Find, self._focus_search, self)
        self._action(
            "Delete post",
            QKeySequence.StandardKey.Delete,
            self.delete_selected_post,
            self.post_table,
        )
        self.new_site_button.clicked.connect(self.new_site)
        self.edit_site_button.clicked.connect(self.open_selected_site)
        self.new_post_button.clicked.connect(self.new_post)
        self.edit_post_button.clicked.connect(self.open_selected_post)
        self.delete_post_button.clicked.connect(self.delete_selected_post)
        self.site_list.itemActivated.connect(lambda _item: self.open_selected_site())
        self.post_table.activated.connect(lambda _index: self.open_selected_post())
        self.post_table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.site_list.currentItemChanged.connect(self._site_changed)
        self.search.textChanged.connect(self._filter_sites)
        self.detail: SiteDetail | None = None
        self.editors: dict[tuple[str, int], QWidget] = {}
        self._select_site: int | None = None
        self._update_buttons()

    def _action(self, text: str, keys, slot, owner: QWidget) -> None:
        action = QAction(text, owner)
        action.setShortcut(keys)
        context = (
            Qt.ShortcutContext.WindowShortcut  # only while the page is shown
            if owner is self
            else Qt.ShortcutContext.WidgetShortcut
        )
        action.setShortcutContext(context)
        action.triggered.connect(slot)
        owner.addAction(action)

    # ----- loading -----------------------------------------------------------------------
    def fetch(self) -> list[SiteRow]:
        with self.db.uow() as session:
            return list_sites(session)

    def show_data(self, rows: list[SiteRow]) -> None:
        selected = self._select_site or (self.detail.id if self.detail else None)
        self._select_site = None
        self.site_list.blockSignals(True)
        self.site_list.clear()
        for row in rows:
            suffix = "" if row.active else " (inactive)"
            item = QListWidgetItem(f"{row.name}{suffix}\n{row.kind}, {row.posts} posts")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{row.name}, {row.kind}")
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{row.name} {row.kind}".casefold())
            self.site_list.addItem(item)
        self._filter_sites(self.search.text())
        self.site_list.blockSignals(False)
        index = next((i for i, r in enumerate(rows) if r.id == selected), 0)
        if rows:
            self.site_list.setCurrentRow(index)
            if selected is not None and self.detail and self.detail.id == selected:
                self._site_changed(self.site_list.currentItem(), None)  # its posts may change
        else:
            self.site_name.setText("No sites yet")
        self._update_buttons()

    def _filter_sites(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.site_list.count()):
            item = self.site_list.item(row)
            key = item.data(Qt.ItemDataRole.UserRole + 1) or ""
            item.setHidden(not all(word in key for word in words))

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _site_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is None:
            return
        site_id = current.data(Qt.ItemDataRole.UserRole)
        today = self.today

        def fetch():
            with self.db.uow() as session:
                return site_detail(session, site_id, today)

        self.ops.run(fetch, self._show_detail)

    def _show_detail(self, detail: SiteDetail | None) -> None:
        if detail is None:
            return
        selected_post = self.selected_post_id
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
            "days": "; ".join(detail.days_ahead) or "None recorded",
        }
        for key, text in texts.items():
            self.values[key].setText(text or "—")
        self.posts_heading.setText(f"Posts ({len(detail.posts)})")
        self.post_model.set_rows(list(detail.posts))
        fit_columns(self.post_table, {0: 200, 3: 240})
        self.post_table.resizeRowsToContents()
        if selected_post is not None:
            self.select_post(selected_post)
        self._update_buttons()

    @property
    def posts(self) -> list[PostInfo]:
        """The posts shown, in table order."""
        return self.post_model.shown_rows()

    # ----- selection ---------------------------------------------------------------------
    @property
    def selected_site_id(self) -> int | None:
        item = self.site_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @property
    def selected_post_id(self) -> int | None:
        index = self.post_table.currentIndex()
        return self.post_model.row_at(index.row()).id if index.isValid() else None

    def select_post(self, post_id: int) -> None:
        for row, post in enumerate(self.post_model.shown_rows()):
            if post.id == post_id:
                self.post_table.selectRow(row)
                return

    def _update_buttons(self, *_args) -> None:
        has_site = self.detail is not None and self.selected_site_id == self.detail.id
        has_post = self.selected_post_id is not None
        self.edit_site_button.setEnabled(self.selected_site_id is not None)
        self.new_post_button.setEnabled(has_site)
        self.edit_post_button.setEnabled(has_post)
        self.delete_post_button.setEnabled(has_post)

    # ----- editors -----------------------------------------------------------------------
    def _open(self, key: tuple[str, int] | None, make):
        if key is not None and key in self.editors:
            editor = self.editors[key]
            editor.raise_()
            editor.activateWindow()
            return editor
        editor = make()
        if key is not None:
            self.editors[key] = editor
            editor.destroyed.connect(lambda *_a, k=key: self.editors.pop(k, None))
        editor.show()
        return editor

    def open_site(self, site_id: int | None):
        from ..editors.site_editor import SiteEditor  # loaded when first needed

        def make():
            editor = SiteEditor(self.db, self.bus, site_id, self, today=self.today)
            editor.saved.connect(self._remember_site)
            return editor

        return self._open(("site", site_id) if site_id is not None else None, make)

    def open_post(self, post_id: int | None, site_id: int):
        from ..editors.post_editor import PostEditor  # loaded when first needed

        def make():
            return PostEditor(self.db, self.bus, post_id, self, site_id=site_id, today=self.today)

        return self._open(("post", post_id) if post_id is not None else None, make)

    def _remember_site(self, site_id: int) -> None:
        self._select_site = site_id

    def new_site(self) -> None:
        self.open_site(None)

    def open_selected_site(self) -> None:
        if self.selected_site_id is not None:
            self.open_site(self.selected_site_id)

    def new_post(self) -> None:
        if self.detail is not None:
            self.open_post(None, self.detail.id)

    def open_selected_post(self) -> None:
        if self.detail is not None and self.selected_post_id is not None:
            self.open_post(self.selected_post_id, self.detail.id)

    def delete_selected_post(self) -> None:
        post = next((p for p in self.posts if p.id == self.selected_post_id), None)
        if post is None or self.detail is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete post",
            f"Delete {post.name} at {self.detail.name}? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from ...core.services.site_edit import delete_post  # with the scheduling code

        try:
            with self.db.uow() as session:
                changes = delete_post(session, post.id, None, self.db.username)
        except (InUse, RecordGone, ConflictError) as refusal:
            QMessageBox.information(self, "Not deleted", str(refusal))
            return
        self.bus.announce(changes)
