"""One printed document on the Reports page: what it is, what it would cover, and its
options (site, post, volunteer, day or period, variant) as a ``ReportOptions``."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QAbstractListModel, QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QFrame,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.reports import catalogue
from ..core.reports.catalogue import Document, ReportChoices, ReportOptions
from ..core.reports.data import ReportError, span_words

PERIOD_WORDS = {"week": "Week", "month": "Month", "quarter": "Quarter"}
SESSIONS = (("Any session", None), ("Morning", "morning"), ("Afternoon", "afternoon"),
            ("Evening", "evening"))  # fmt: skip
DAY_LABELS = {
    "rota": "A day in the period",
    "activity": "A day in the period",
    "desk-sheet": "Date",
    "gate-list": "Date",
    "clearance": "As of",
    "expiry": "As of",
}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DocumentPanel(QFrame):
    """A document's card: title, description, coverage and the options that make it."""

    changed = Signal()

    def __init__(self, doc: Document, today: date) -> None:
        super().__init__()
        self.doc = doc
        self.today = today
        self.choices = ReportChoices()
        self.setObjectName("card")
        self.setAccessibleName(doc.title)
        self.name_label = QLabel(doc.title)
        self.name_label.setObjectName("cardTitle")
        self.name_label.setAccessibleName(f"{doc.title}: title")
        self.description = QLabel(doc.description)
        self.description.setWordWrap(True)
        self.description.setAccessibleName(f"{doc.title}: what it is")
        self.coverage = QLabel("…")
        self.coverage.setObjectName("cardCoverage")
        self.coverage.setWordWrap(True)
        self.coverage.setAccessibleName(f"{doc.title}: what it would cover now")
        self.covers = QLabel("")
        self.covers.setWordWrap(True)
        self.covers.setAccessibleName(f"{doc.title}: the period it covers")

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.fields: dict[str, QWidget] = {}
        self._build_fields()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.description)
        layout.addWidget(self.coverage)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addWidget(self.covers)
        self._update_covers()

    # --- fields ---------------------------------------------------------------------------
    def _add(self, key: str, label: str, widget: QWidget) -> None:
        widget.setAccessibleName(label)
        widget.setMinimumWidth(280)
        self.fields[key] = widget
        self.form.addRow(f"{label}:", widget)

    def _combo(self, key: str, label: str, items=()) -> QComboBox:
        box = QComboBox()
        for text, value in items:
            box.addItem(text, value)
        self._add(key, label, box)
        box.currentIndexChanged.connect(self._changed)
        return box

    def _date(self, key: str, label: str, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        self._add(key, label, edit)
        edit.dateChanged.connect(self._changed)
        return edit

    def _build_fields(self) -> None:
        doc, today = self.doc, self.today
        wanted = doc.options
        if "site" in wanted:
            self._combo("site", "Prison" if doc.prisons_only else "Site")
            self.fields["site"].currentIndexChanged.connect(self._fill_posts)
        if "any_site" in wanted:
            self._combo("site", "Site", [("Every site", None)])
        if "post" in wanted:
            self._combo("post", "Desk" if doc.desks_only else "Post")
        if "volunteer" in wanted:
            box = self._combo("volunteer", "Volunteer")
            box.setModel(NameIdModel(box))
            box.setEditable(True)
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            box.lineEdit().setPlaceholderText("Type part of a name")
            box.lineEdit().setAccessibleName("Volunteer's name")
            completer = QCompleter(box.model(), box)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            box.setCompleter(completer)
            box.editTextChanged.connect(self._changed)
        if "period" in wanted:
            self._combo("period", "Period", [(PERIOD_WORDS[p], p) for p in doc.periods])
        if "day" in wanted:
            day = today
            if doc.key == "activity":  # the last complete month, as the command line does
                day = today.replace(day=1) - timedelta(days=1)
                day = day.replace(day=1)
            self._date("day", DAY_LABELS[doc.key], day)
        if "range" in wanted:
            self._date("start", "From", today)
            self._date("end", "To", today + timedelta(days=catalogue.SCHEDULE_DAYS - 1))
        if "session" in wanted:
            self._combo("session", "Session", SESSIONS)
        if "forenames_only" in wanted:
            check = QCheckBox("Forenames only: a list prisoners may see")
            self._add("forenames_only", "Variant", check)
            check.setAccessibleName("Forenames only")
            check.toggled.connect(self._changed)
        if "within" in wanted:
            if doc.key == "expiry":
                items = [(f"Next {n} days", n) for n in catalogue.WITHIN_CHOICES]
                box = self._combo("within", "Lapsing within", items)
                box.setCurrentIndex(len(items) - 1)
            else:
                spin = QSpinBox()
                spin.setRange(1, 730)
                spin.setValue(90)
                spin.setSuffix(" days")
                self._add("within", "Expiring within", spin)
                spin.valueChanged.connect(self._changed)
        if "format" in wanted:
            self._combo("format", "Format", [("Letter (A4)", "letter"), ("Card", "card")])

    def _changed(self, *_args) -> None:
        self._update_covers()
        self.changed.emit()

    # --- choices from the database --------------------------------------------------------
    def set_choices(self, choices: ReportChoices) -> None:
        self.choices = choices
        site = self.fields.get("site")
        if isinstance(site, QComboBox):
            keep = site.currentData()
            site.blockSignals(True)
            if "any_site" not in self.doc.options:
                site.clear()
            else:
                while site.count() > 1:
                    site.removeItem(1)
            for s in self._sites():
                site.addItem(s.name, s.id)
            found = site.findData(keep) if keep is not None else -1
            if found < 0 and "site" in self.doc.options:
                default = catalogue.with_defaults(self.doc.key, ReportOptions(), choices).site_id
                found = site.findData(default)
            site.setCurrentIndex(max(found, 0))
            site.blockSignals(False)
            self._fill_posts()
        volunteer = self.fields.get("volunteer")
        if isinstance(volunteer, QComboBox):
            keep = volunteer.currentData()
            volunteer.blockSignals(True)
            names = volunteer.model()
            names.set_pairs([(v.name, v.id) for v in choices.volunteers])
            volunteer.setCurrentIndex(names.row_of(keep) if keep else 0)
            volunteer.blockSignals(False)
        self._changed()

    def _sites(self):
        sites = self.choices.sites
        if self.doc.prisons_only:
            sites = [s for s in sites if s.is_prison]
        if self.doc.desks_only:
            with_desks = {p.site_id for p in self.choices.posts if p.is_desk}
            sites = [s for s in sites if s.id in with_desks] or sites
        return sites

    def _fill_posts(self) -> None:
        post = self.fields.get("post")
        if not isinstance(post, QComboBox):
            return
        keep = post.currentData()
        post.blockSignals(True)
        post.clear()
        if not self.doc.desks_only:  # a desk sheet is for one desk: the first by default
            post.addItem("Every post", None)
        for p in self.choices.posts_of(self.fields["site"].currentData()):
            if p.is_desk or not self.doc.desks_only:
                post.addItem(p.name, p.id)
        post.setCurrentIndex(max(post.findData(keep), 0) if keep is not None else 0)
        post.blockSignals(False)

    # --- reading --------------------------------------------------------------------------
    def value(self, key: str):
        widget = self.fields.get(key)
        if widget is None:
            return None
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QDateEdit):
            return _pydate(widget.date())
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QSpinBox):
            return widget.value()
        return None

    def options(self) -> ReportOptions:
        volunteer = self.fields.get("volunteer")
        volunteer_id = None
        if isinstance(volunteer, QComboBox) and volunteer.count():
            volunteer_id = volunteer.model().id_named(volunteer.currentText())
        return ReportOptions(
            site_id=self.value("site"),
            post_id=self.value("post"),
            volunteer_id=volunteer_id,
            day=self.value("day"),
            period=self.value("period") or "",
            start=self.value("start"),
            end=self.value("end"),
            session_name=self.value("session"),
            forenames_only=bool(self.value("forenames_only")),
            within=self.value("within") or 90,
            format=self.value("format") or "letter",
        )

    def problem(self) -> str:
        """Why the document cannot be made with these options ("" if it can)."""
        o = self.options()
        if "site" in self.doc.options and o.site_id is None:
            kind = "prison" if self.doc.prisons_only else "site"
            return f"There is no {kind} to choose yet: add one on the Sites page."
        if "volunteer" in self.doc.options and o.volunteer_id is None:
            return "Choose a volunteer from the list."
        if self.doc.key in ("rota", "schedule", "activity"):
            try:
                catalogue.span(self.doc.key, o, self.today)
            except ReportError as exc:
                return str(exc)
        return ""

    def title(self) -> str:
        """The document and whom or where it is for: "Rota HMP Westmoor"."""
        words = [self.doc.title]
        for key in ("volunteer", "site"):
            box = self.fields.get(key)
            if isinstance(box, QComboBox) and (key == "volunteer" or box.currentData()):
                words.append(box.currentText())
                break
        if self.value("forenames_only"):
            words.append("forenames")
        return " ".join(w for w in words if w)

    def _update_covers(self) -> None:
        if self.doc.key not in ("rota", "schedule", "activity"):
            self.covers.setText("")
            self.covers.hide()
            return
        self.covers.show()
        try:
            start, end = catalogue.span(self.doc.key, self.options(), self.today)
        except ReportError as exc:
            self.covers.setText(f"Cannot cover this period: {exc}")
            return
        self.covers.setText(f"Covers {span_words(start, end)} ({(end - start).days + 1} days).")


class NameIdModel(QAbstractListModel):
    """Names with their ids for a long combo box (every volunteer): filled in one step.
    Adding 7,000 items one at a time held the window for ~26 ms when the Reports page
    loaded; a name typed in the box is found by a dictionary, not a search of the list."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._ids: list[int] = []
        self._id_by_name: dict[str, int] = {}
        self._row_by_id: dict[int, int] = {}

    def set_pairs(self, pairs: list[tuple[str, int]]) -> None:
        self.beginResetModel()
        self._names = [name for name, _ in pairs]
        self._ids = [id_ for _, id_ in pairs]
        self._id_by_name = {}
        for name, id_ in pairs:  # the first of two people with one name, as the list shows
            self._id_by_name.setdefault(name.casefold(), id_)
        self._row_by_id = {id_: row for row, id_ in enumerate(self._ids)}
        self.endResetModel()

    def id_named(self, text: str) -> int | None:
        return self._id_by_name.get(text.strip().casefold())

    def row_of(self, id_: int | None) -> int:
        return self._row_by_id.get(id_, 0) if id_ is not None else 0

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._names[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        return None
