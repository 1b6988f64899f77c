"""Sessions by hand: add a one-off, move one to another date or time, cancel one with a
reason. The dialogs only collect values; the rota page saves them through
``rota_edit`` in the background.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from ...core.services import rota_edit
from ...core.services.rota_cells import CellShift
from ...core.validation import InvalidValue, format_uk_date
from ..forms import Form


def parse_time(text: str) -> time:
    """ "9:30", "09:30" or "0930" as a time; InvalidValue otherwise."""
    cleaned = text.strip().replace(".", ":")
    for pattern in ("%H:%M", "%H%M"):
        try:
            return datetime.strptime(cleaned, pattern).time()
        except ValueError:
            continue
    raise InvalidValue("Enter a time as hh:mm, e.g. 09:30.")


class ShiftDialog(QDialog):
    """A one-off session (``posts`` given: choose the post) or a session's new date and
    times (``posts`` None). ``values()`` gives post_id, day, start, end, minimum, maximum."""

    def __init__(
        self,
        title: str,
        day: date,
        start: time,
        end: time,
        *,
        posts: list[tuple[int, str]] | None = None,
        post_id: int | None = None,
        minimum: int = 1,
        maximum: int = 2,
        action: str = "Save",
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setModal(True)
        self.form = Form(self)
        keys = []
        if posts is not None:
            self.form.combo("post", "Post", posts)
            keys.append("post")
        self.form.date("day", "Date", required=True)
        self.form.line("start", "Starts", required=True, validator=parse_time, placeholder="hh:mm")
        self.form.line("end", "Ends", required=True, validator=parse_time, placeholder="hh:mm")
        keys += ["day", "start", "end"]
        if posts is not None:
            self.form.spin("minimum", "Volunteers needed (minimum)", 0, 50)
            self.form.spin("maximum", "At most", 1, 50)
            keys += ["minimum", "maximum"]
        self.form.set_values(
            {
                "post": post_id,
                "day": day,
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
                "minimum": minimum,
                "maximum": maximum,
            }
        )
        self.problem = QLabel("")
        self.problem.setObjectName("errorText")
        self.problem.setAccessibleName("Problem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(action)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form.edited.connect(lambda _k: self._check())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addLayout(self.form.layout_for(keys))
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._check()

    def _check(self) -> bool:
        self.form.validate()
        problem = ""
        if self.form.is_valid:
            v = self.form.values()
            if v["end"] <= v["start"]:
                problem = "A session must end after it starts."
            elif "maximum" in v and v["maximum"] < v["minimum"]:
                problem = "The most volunteers cannot be fewer than the minimum."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        ok = self.form.is_valid and not problem
        self.ok_button.setEnabled(ok)
        return ok

    def values(self) -> dict:
        v = self.form.values()
        return {
            "post_id": v.get("post"),
            "day": v["day"],
            "start": v["start"],
            "end": v["end"],
            "minimum": v.get("minimum"),
            "maximum": v.get("maximum"),
        }

    def accept(self) -> None:
        if self._check():
            super().accept()


class CancelShiftDialog(QDialog):
    """Cancel a session, with a reason that shows in its cell ("Cancelled: ...")."""

    def __init__(self, what: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cancel a session")
        self.setAccessibleName("Cancel a session")
        self.setModal(True)
        intro = QLabel(
            f"Cancel {what}? The people on it stay on record but are no longer rostered."
        )
        intro.setWordWrap(True)
        prompt = QLabel("Reason (shown on the rota):")
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for cancelling")
        self.reason.setPlaceholderText("e.g. Chapel closed for a lockdown")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(80)
        prompt.setBuddy(self.reason)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            "Cancel the session", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setAccessibleName("Cancel the session")
        keep = self.buttons.addButton("Keep it", QDialogButtonBox.ButtonRole.RejectRole)
        keep.setAccessibleName("Keep the session")
        keep.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(intro)
        layout.addWidget(prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()


# ----- what the rota page does with them ----------------------------------------------------
# ``page`` is the rota page: its period, today, username, write (a guarded background
# write) and tell; the dialog opened is left in ``page.dialog``.
def add_session(page, post_id: int | None = None, day: date | None = None) -> None:
    if page.period is None or not page.period.posts:
        page.tell("This site has no posts yet: add one on the Sites page first.")
        return
    post = page.period.post(post_id) if post_id else page.period.posts[0]
    dialog = ShiftDialog(
        "Add a one-off session", day or max(page.today, page.period.start),
        post.start_time, post.end_time, posts=[(p.id, p.name) for p in page.period.posts],
        post_id=post.id, action="Add session", parent=page,
    )  # fmt: skip
    dialog.accepted.connect(lambda: _add(page, dialog.values()))
    page.dialog = dialog
    dialog.open()


def _add(page, v: dict) -> None:
    page.write(
        lambda s, _r: rota_edit.add_shift(
            s,
            v["post_id"],
            v["day"],
            v["start"],
            v["end"],
            page.username,
            min_volunteers=v["minimum"],
            max_volunteers=v["maximum"],
        )  # fmt: skip
    )


def move_session(page, shift: CellShift) -> None:
    dialog = ShiftDialog(
        "Move a session", shift.date, shift.start_time, shift.end_time,
        action="Move session", parent=page,
    )  # fmt: skip
    version = shift.version

    def move() -> None:
        v = dialog.values()
        page.write(
            lambda s, _r: rota_edit.move_shift(
                s, shift.id, version, v["day"], v["start"], v["end"], page.username
            )
        )

    dialog.accepted.connect(move)
    page.dialog = dialog
    dialog.open()


def cancel_session(page, shift: CellShift) -> None:
    post = page.period.post(shift.post_id)
    dialog = CancelShiftDialog(f"{post.name} on {format_uk_date(shift.date)}", page)
    version = shift.version
    dialog.accepted.connect(
        lambda: page.write(
            lambda s, _r: rota_edit.cancel_shift(
                s, shift.id, version, page.username, dialog.reason_text()
            )
        )
    )
    page.dialog = dialog
    dialog.open()
