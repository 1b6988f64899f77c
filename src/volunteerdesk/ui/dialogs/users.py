"""Users and roles: who may work on this database, as what, and at which sites.

``UsersDialog`` lists the users (add with Ctrl+N, edit with Enter or a double click,
deactivate or reactivate); ``UserEditor`` edits one user on the shared record-editor base
(undo, Ctrl+S, conflicts). Administrators only: for anyone else the list is refused and
the window says why. On PostgreSQL the login itself is made on the server by the
database administrator; here it is given a role.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import audit
from ...core.access import NotAllowed
from ...core.changes import Changes
from ...core.models import User, UserRole
from ...core.services import users
from ...core.validation import InvalidValue
from ..editors.base import Loaded, RecordEditor, Saved
from ..editors.volunteer_fields import checklist
from ..table_model import ROW_ROLE, Column, RowTableModel
from ..widgets import add_shortcut, fit_columns, heading, note, table_view

ROLE_HELP = {
    UserRole.ADMINISTRATOR: "Everything: users, settings, catalogues, the audit log, "
    "privacy actions, every site.",
    UserRole.COORDINATOR: "Volunteers, training, clearances and rotas at the sites ticked "
    "below; new volunteers. Not settings, users or catalogues.",
    UserRole.READ_ONLY: "Sees rotas and gate lists; no other personal details; changes nothing.",
}
COLUMNS = [
    Column("User name", lambda r: r.username),
    Column("Name", lambda r: r.display_name),
    Column("Role", lambda r: r.role_label),
    Column(
        "Sites",
        lambda r: (
            r.sites
            if r.role is UserRole.COORDINATOR
            else "All"
            if r.role is UserRole.ADMINISTRATOR
            else ""
        ),
    ),  # fmt: skip
    Column("Status", lambda r: "Active" if r.active else "Deactivated"),
]


class UserEditor(RecordEditor):
    entity_label = "user"

    def __init__(self, db, bus, record_id: int | None = None, parent=None) -> None:
        super().__init__(db, bus, record_id, parent)
        with db.uow() as session:
            sites = users.site_choices(session)
        self.form.line("username", "User name", required=True, placeholder="their sign-in name")
        self.form.line("display_name", "Name")
        role = self.form.combo("role", "Role", [(r, users.ROLE_LABELS[r]) for r in UserRole])
        self.form.check("active", "Active (may sign in and work)")
        self.sites = checklist(self.form, "site_ids", "Sites", [(s.id, s.name) for s in sites])
        self.sites.setMinimumHeight(100)
        self.sites.setMaximumHeight(200)
        self.role_help = QLabel()
        self.role_help.setObjectName("note")
        self.role_help.setWordWrap(True)
        self.role_help.setAccessibleName("What this role may do")
        role.currentIndexChanged.connect(self._role_changed)
        self.resize(540, 430)
        self.open_record()
        self._role_changed()

    def body(self) -> QWidget:
        widget = QWidget()
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form.layout_for(["username", "display_name", "role"]))
        layout.addWidget(self.role_help)
        layout.addLayout(self.form.layout_for(["active", "site_ids"]))
        return widget

    def _role_changed(self, *_args) -> None:
        data = self.form.fields["role"].widget.currentData()
        role = UserRole(data) if data else None
        self.role_help.setText(ROLE_HELP.get(role, ""))
        coordinator = role == UserRole.COORDINATOR
        self.sites.setEnabled(coordinator)
        self.sites.setToolTip("" if coordinator else "Sites apply to coordinators only.")

    def new_values(self) -> dict[str, Any]:
        return {"username": "", "display_name": "", "role": UserRole.COORDINATOR,
                "active": True, "site_ids": ()}  # fmt: skip

    def load(self, session) -> Loaded:
        row = users.get_user(session, self.db.username, self.record_id)
        values = row.values | {"site_ids": tuple(sorted(row.site_ids))}
        plain = audit.column_values(session.get(User, row.id))
        return Loaded(values, row.version, f"User {row.username}", plain)

    def store(self, session, values, changed, version, opened) -> Saved:
        site_ids = list(values.get("site_ids") or ())
        fields = {k: v for k, v in values.items() if k != "site_ids"}
        if self.record_id is None:
            row = users.create_user(session, self.db.username, fields, site_ids)
        else:
            fields = {k: v for k, v in changed.items() if k != "site_ids"}
            row = users.update_user(
                session, self.db.username, self.record_id, version, fields, site_ids,
                opened=opened,
            )  # fmt: skip
        plain = audit.column_values(session.get(User, row.id))
        return Saved(row.id, row.version, Changes(), plain)

    def _store(self, values, changed, version, opened) -> bool:
        try:
            return super()._store(values, changed, version, opened)
        except (InvalidValue, NotAllowed) as exc:
            self.status.setText(f"Not saved: {exc}")
            return False


class UsersDialog(QDialog):
    def __init__(self, db, ops, bus, parent=None) -> None:
        super().__init__(parent)
        self.db, self.ops, self.bus = db, ops, bus
        self.editors: list[UserEditor] = []
        self.setWindowTitle("Users and roles")
        self.setAccessibleName("Users and roles")
        self.setModal(False)
        if parent is None:
            from ..style import STYLE_SHEET

            self.setStyleSheet(STYLE_SHEET)
        self.resize(860, 520)
        server = "" if db.is_sqlite else (
            " On this shared database each user is a server login, which the database "
            "administrator creates; here you give the login its role."
        )  # fmt: skip
        self.model = RowTableModel(COLUMNS, search_text=lambda r: f"{r.username} {r.display_name}")
        self.table = table_view(self.model, "Users", sort_column=None, stretch_column=3)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.add_button = QPushButton("&Add user...")
        self.add_button.setToolTip("Add a user (Ctrl+N)")
        self.edit_button = QPushButton("&Edit...")
        self.edit_button.setToolTip("Edit the selected user (Enter)")
        self.active_button = QPushButton("&Deactivate")
        for button, name in ((self.add_button, "Add user"), (self.edit_button, "Edit user"),
                             (self.active_button, "Deactivate or reactivate user")):  # fmt: skip
            button.setAccessibleName(name)
        self.add_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.active_button.clicked.connect(self.toggle_active)
        self.status = QLabel("Loading...")
        self.status.setAccessibleName("Users status")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.active_button):
            actions.addWidget(button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        close.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        actions.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Users and roles"))
        layout.addWidget(note(
            "Administrators may do everything; coordinators work on their own sites; "
            "read-only users see rotas and gate lists. A deactivated user can no longer "
            "change anything, and stays in the audit trail." + server,
            "About roles",
        ))  # fmt: skip
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        QShortcut(QKeySequence.StandardKey.New, self, lambda: self.open_editor(None))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            add_shortcut(
                QKeySequence(key), self.table, self.edit_selected, Qt.ShortcutContext.WidgetShortcut
            )
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        def fetch():
            with self.db.uow() as session:
                return users.list_users(session, self.db.username)

        self.ops.run(fetch, self._shown, self._failed)

    def _shown(self, rows) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        fit_columns(self.table, {0: 160, 1: 220, 2: 120})
        ids = [r.id for r in self.model.shown_rows()]
        if ids:
            self.table.selectRow(ids.index(chosen.id) if chosen and chosen.id in ids else 0)
        active = sum(r.active for r in rows)
        self.status.setText(f"{len(rows)} users, {active} active." if rows else
                            "No users yet: everyone who opens this database is an "
                            "administrator. Add yourself and the others.")  # fmt: skip
        problem, self._problem = getattr(self, "_problem", ""), ""
        if problem:
            self.status.setText(f"{problem} {self.status.text()}")
        self._allowed = True
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._allowed = not isinstance(error, NotAllowed)
        self.status.setText(str(error))
        self._update_buttons()

    def selected(self):
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _update_buttons(self) -> None:
        allowed = getattr(self, "_allowed", False)
        row = self.selected() if allowed else None
        self.add_button.setEnabled(allowed)
        self.edit_button.setEnabled(row is not None)
        self.active_button.setEnabled(row is not None)
        self.active_button.setText("Re&activate" if row and not row.active else "&Deactivate")

    def open_editor(self, user_id: int | None) -> UserEditor | None:
        if not self.add_button.isEnabled():
            return None
        editor = UserEditor(self.db, self.bus, user_id, self)
        editor.saved.connect(lambda _id: self.reload())
        editor.destroyed.connect(lambda *_: self.editors.remove(editor)
                                 if editor in self.editors else None)  # fmt: skip
        self.editors.append(editor)
        editor.show()
        return editor

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_editor(row.id)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.active:
            answer = QMessageBox.question(
                self,
                "Deactivate user",
                f"Deactivate {row.username}? They will no longer be able to change "
                "anything or see personal details. Their history stays in the audit log.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return

        def write():
            with self.db.uow() as session:
                if row.active:
                    return users.deactivate_user(session, self.db.username, row.id, row.version)
                return users.update_user(
                    session, self.db.username, row.id, row.version, {"active": True}
                )

        self.ops.run(write, lambda _r: self.reload(), self._write_failed)

    def _write_failed(self, error: BaseException) -> None:
        self._problem = f"Not changed: {error}"
        self.status.setText(self._problem)
        self.reload()
