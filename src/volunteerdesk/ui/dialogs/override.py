"""Asking for an override reason: the rules a change breaks, and why it should happen anyway.

The reason is required (OK stays disabled until one is typed); it is stored on the
assignment and written to the audit log by ``rota_edit``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)


class OverrideDialog(QDialog):
    def __init__(
        self,
        who: str,
        what: str,
        reasons: Sequence[str],
        parent=None,
        *,
        action: str = "Assign anyway",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Override a rota rule")
        self.setAccessibleName("Override a rota rule")
        self.setModal(True)
        intro = QLabel(f"<b>{_escape(who)}</b> cannot take {_escape(what)}:")
        intro.setWordWrap(True)
        intro.setAccessibleName(f"{who} cannot take {what}")
        self.rules = QLabel("\n".join(f"• {r}" for r in reasons))
        self.rules.setWordWrap(True)
        self.rules.setAccessibleName("Rules broken")
        self.rules.setStyleSheet("color: #8a1f11; padding: 4px 0 4px 8px;")
        prompt = QLabel("Why should it happen anyway? The reason goes into the audit log. *")
        prompt.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Override reason")
        self.reason.setPlaceholderText("e.g. Security agreed an escort for this session")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        prompt.setBuddy(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setAccessibleName(action)
        self.ok_button.setEnabled(False)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.rules)
        layout.addWidget(prompt)
        layout.addWidget(self.reason)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())
        self.reason.setFocus()

    def _changed(self) -> None:
        self.ok_button.setEnabled(bool(self.reason_text()))

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def accept(self) -> None:
        if self.reason_text():
            super().accept()


def refusal_text(error) -> str:
    """What a refused change (``RuleBroken``) says when no override reason is given."""
    reasons = "; ".join(r.text for r in error.reasons)
    return f"Not done: {error.volunteer} cannot take {error.shift}: {reasons}."


def error_text(error: BaseException) -> str:
    """A failed rota change in plain words (never a traceback)."""
    from ...core.services.editing import ConflictError, RecordGone
    from ...core.services.shift_edit import RotaError

    if isinstance(error, ConflictError):
        return (
            "Someone else changed this session or assignment first. The rota has been "
            "reloaded: look again and try once more."
        )
    if isinstance(error, RecordGone | RotaError):
        return str(error)
    return f"The change could not be saved: {error}"


def ask_override(
    parent, error, on_reason: Callable[[str], None], on_refused: Callable[[], None]
) -> OverrideDialog:
    """Open the override dialog for a ``RuleBroken``: a reason given calls
    ``on_reason(reason)``, Cancel calls ``on_refused()``. Returns the (open) dialog."""
    dialog = OverrideDialog(error.volunteer, error.shift, [r.text for r in error.reasons], parent)
    dialog.accepted.connect(lambda: on_reason(dialog.reason_text()))
    dialog.rejected.connect(on_refused)
    dialog.open()
    return dialog


def guarded_write(parent, ops, db, work, on_done, on_failed) -> None:
    """Run ``work(session, override_reason)`` in one unit of work on ``ops``, first with
    no reason. A refusal (``RuleBroken``) opens the override dialog (``on_failed("",
    dialog)``): a reason given runs it again with that reason, Cancel reports the refusal
    in words (``on_failed(text)``), as any other failure is (never a traceback)."""
    from ...core.services.rota_edit import RuleBroken

    def attempt(reason: str = "") -> None:
        def job():
            with db.uow() as session:
                return work(session, reason)

        ops.run(job, on_done, failed)

    def failed(error: BaseException) -> None:
        if isinstance(error, RuleBroken):
            refused = lambda: on_failed(refusal_text(error))  # noqa: E731
            on_failed("", ask_override(parent, error, attempt, refused))
        else:
            on_failed(error_text(error))

    attempt()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
