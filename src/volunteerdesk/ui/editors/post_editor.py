"""The editor of a post or desk: times, numbers, requirements and how its sessions repeat."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.models import PostKind
from ...core.services.site_edit import check_post_order, save_post
from ...core.services.sites import (
    POST_KIND_LABELS,
    PostChoices,
    RequirementValue,
    load_post,
    new_post_values,
    post_choices,
    post_names,
)
from ...core.validation import InvalidValue
from ..widgets import note
from ..widgets_recurrence import PatternsEditor
from .base import Loaded, RecordEditor, Saved, fit_to_screen
from .site_editor import (
    RefusalsShown,
    bind_value,
    check_pair,
    group,
    tab_chain,
    time_field,
    unique,
)

MANDATORY, ADVISORY = "Mandatory: blocks rostering", "Advisory: warns only"
CHECKABLE = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
)


class RequirementsTable(QTableWidget):
    """Every clearance type and course: tick what the post requires, and how strictly."""

    changed = Signal()

    def __init__(self, choices: PostChoices, parent: QWidget | None = None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(
            ["Clearance or course (tick if required)", "Kind", "If missing"]
        )
        self.setAccessibleName("Required clearances and training")
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.keys: list[tuple[int | None, int | None]] = []
        self._mandatory: dict[int, bool] = {}
        rows = [((cid, None), name, "Clearance") for cid, name in choices.clearance_types]
        rows += [((None, cid), name, "Training") for cid, name in choices.courses]
        self._loading = True
        for key, name, kind in rows:
            row = self.rowCount()
            self.insertRow(row)
            self.keys.append(key)
            item = QTableWidgetItem(name)
            item.setFlags(CHECKABLE)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.setItem(row, 0, item)
            kind_item = QTableWidgetItem(kind)
            kind_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.setItem(row, 1, kind_item)
            strict = QTableWidgetItem("")
            strict.setToolTip(
                "Ticked: mandatory, a volunteer without it cannot be rostered. Unticked: advisory."
            )
            self.setItem(row, 2, strict)
            self._show_row(row)
        self._loading = False
        self.itemChanged.connect(self._item_changed)

    def row_of(self, name: str) -> int:
        return next(r for r in range(self.rowCount()) if self.item(r, 0).text() == name)

    def value(self) -> tuple[RequirementValue, ...]:
        found = []
        for row, (type_id, course_id) in enumerate(self.keys):
            if self._required(row):
                mandatory = self._mandatory.get(row, True)
                found.append(RequirementValue(type_id, course_id, mandatory))
        return tuple(sorted(found, key=lambda r: r.key))

    def set_value(self, requirements) -> None:
        wanted = {(r.clearance_type_id, r.course_id): r for r in requirements or ()}
        self._loading = True
        try:
            for row, key in enumerate(self.keys):
                req = wanted.get(key)
                self._mandatory[row] = req.mandatory if req else True
                state = Qt.CheckState.Checked if req else Qt.CheckState.Unchecked
                self.item(row, 0).setCheckState(state)
                self._show_row(row)
        finally:
            self._loading = False

    def _required(self, row: int) -> bool:
        return self.item(row, 0).checkState() == Qt.CheckState.Checked

    def _show_row(self, row: int) -> None:
        """The second tick only for a required item: mandatory, or advisory, in words."""
        strict = self.item(row, 2)
        if self._required(row):
            mandatory = self._mandatory.get(row, True)
            state = Qt.CheckState.Checked if mandatory else Qt.CheckState.Unchecked
            strict.setData(Qt.ItemDataRole.CheckStateRole, state)
            strict.setFlags(CHECKABLE)
            strict.setText(MANDATORY if mandatory else ADVISORY)
        else:
            strict.setData(Qt.ItemDataRole.CheckStateRole, None)
            strict.setFlags(Qt.ItemFlag.ItemIsSelectable)
            strict.setText("Not required")

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        row = item.row()
        if item.column() == 2 and self._required(row):
            self._mandatory[row] = item.checkState() == Qt.CheckState.Checked
        self._loading = True
        try:
            self._show_row(row)
        finally:
            self._loading = False
        self.changed.emit()


class PostEditor(RefusalsShown, RecordEditor):
    entity_label = "post"

    def __init__(
        self,
        db,
        bus,
        record_id: int | None = None,
        parent=None,
        *,
        site_id: int,
        today: date | None = None,
    ):
        super().__init__(db, bus, record_id, parent)
        self.today = today or date.today()
        self.site_id = site_id
        self.before: dict[str, Any] = {}
        with db.uow() as session:
            self.choices = post_choices(session, site_id)
            taken = post_names(session, site_id, record_id)
        if self.choices is None:
            raise LookupError("The site of this post has been deleted.")
        site = self.choices.site_name
        self.entity_label = f"post at {site}"  # "New post at HMP Westmoor"
        f = self.form
        f.line(
            "name",
            "Name",
            required=True,
            validator=unique(taken, f"{site} already has a post called {{}}"),
        )
        f.combo("kind", "Kind", [(k.value, text) for k, text in POST_KIND_LABELS.items()])
        f.line("location", "Location", placeholder="e.g. Chapel, Multi-faith room")
        time_field(f, "start_time", "Starts at", required=True)
        time_field(f, "end_time", "Ends at", required=True)
        f.spin("min_volunteers", "Fewest volunteers", 0, 50)
        f.spin("max_volunteers", "Most volunteers", 0, 50)
        f.check("needs_escort", "Needs an escort")
        f.check("active", "Active: on the rota")
        f.text("notes", "Notes")
        f.combo("required_faith_id", "Faith", [(None, "Any faith or none"), *self.choices.faiths])
        f.check("faith_mandatory", "Faith mandatory (unticked: advisory, a preference)")

        check_pair(f, "end_time", self._end_check, "start_time")
        check_pair(f, "max_volunteers", self._max_check, "min_volunteers")
        self.requirements = RequirementsTable(self.choices)
        bind_value(f, "requirements", "Required clearances and training", self.requirements)
        self.patterns = PatternsEditor(self.choices.calendar, self.today)
        bind_value(f, "patterns", "Repeat patterns", self.patterns, check=_check_patterns)
        f.edited.connect(self._edited)
        f.edited.connect(self._update_buttons)  # the count of fields to correct
        self.saved.connect(self._read_back_new_patterns)
        self.open_record()
        post_keys = ["name", "kind", "location", "needs_escort", "active", "start_time"]
        post_keys += ["end_time", "min_volunteers", "max_volunteers", "notes", "requirements"]
        post_keys += ["required_faith_id", "faith_mandatory"]
        tab_chain(self, *post_keys, *self.patterns.focus_chain())
        fit_to_screen(self, 980, 640)

    # ----- checks ------------------------------------------------------------------------
    @staticmethod
    def _end_check(end, start) -> None:
        check_post_order({"start_time": start, "end_time": end})

    @staticmethod
    def _max_check(high, low) -> None:
        check_post_order({"min_volunteers": low, "max_volunteers": high})

    # ----- layout ------------------------------------------------------------------------
    def body(self) -> QWidget:
        f = self.form
        post = QWidget()
        columns = QHBoxLayout(post)
        left = QVBoxLayout()
        left.addWidget(group("Post", f, ["name", "kind", "location", "needs_escort", "active"]))
        left.addWidget(
            group("Session", f, ["start_time", "end_time", "min_volunteers", "max_volunteers"])
        )
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(group("Notes", f, ["notes"]))
        right.addStretch(1)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)

        needs = QWidget()
        needs_layout = QVBoxLayout(needs)
        needs_layout.addWidget(
            note(
                "Tick what a volunteer must hold, valid on the day of the session. "
                "Mandatory items stop someone being rostered; advisory ones only warn.",
                "About requirements",
            )
        )
        needs_layout.addWidget(f.row("requirements"), 1)
        needs_layout.addWidget(group("Faith", f, ["required_faith_id", "faith_mandatory"]))

        repeats = QWidget()
        repeats_layout = QVBoxLayout(repeats)
        repeats_layout.addWidget(f.row("patterns"))

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Post editor sections")
        self.tabs.addTab(post, "&Post")
        self.tabs.addTab(needs, "Re&quirements")
        self.tabs.addTab(repeats, "&Repeats")
        return self.tabs

    def _edited(self, key: str) -> None:
        desk = self.form.fields["kind"].get_raw() == PostKind.DESK.value
        if key == "kind" and desk and self.record_id is None:  # desks are staffed in pairs
            for spin_key in ("max_volunteers", "min_volunteers"):
                self.form.fields[spin_key].widget.setValue(2)
        if key == "required_faith_id":
            self._update_faith()

    def _update_faith(self) -> None:
        chosen = self.form.fields["required_faith_id"].get_raw() is not None
        self.form.fields["faith_mandatory"].widget.setEnabled(chosen)

    def reload(self) -> None:
        super().reload()
        self._update_faith()

    # ----- RecordEditor ------------------------------------------------------------------
    def new_values(self) -> dict[str, Any]:
        kind = "magistrates_court" if self.choices.site_is_court else "prison"
        return new_post_values(kind)

    def load(self, session) -> Loaded:
        record = load_post(session, self.record_id)
        self.before = {k: record.values[k] for k in ("requirements", "patterns")}
        return Loaded(record.values, record.version, record.title, record.opened)

    def store(self, session, values, changed, version, opened) -> Saved:
        user = self.db.username
        if self.record_id is None:
            result = save_post(session, None, values, user, site_id=self.site_id)
        else:
            result = save_post(
                session,
                self.record_id,
                changed,
                user,
                version=version,
                opened=opened,
                before=self.before,
            )
        self.before = {
            k: values.get(k, self.before.get(k, ())) for k in ("requirements", "patterns")
        }
        self.setWindowTitle(result.title)
        return Saved(result.id, result.version, result.changes, result.opened)

    def _read_back_new_patterns(self, _record_id: int) -> None:
        """New patterns get their ids from the database: read them back before the next
        save, which would otherwise add them a second time."""
        if any(p.id is None for p in self.patterns.value()):
            self.reload()


def _check_patterns(patterns) -> None:
    for number, choice in enumerate(patterns, start=1):
        problems = choice.problems()
        if problems:
            prefix = f"Pattern {number}: " if len(patterns) > 1 else ""
            text = "; ".join(problems)
            raise InvalidValue(prefix + text[0].upper() + text[1:])
