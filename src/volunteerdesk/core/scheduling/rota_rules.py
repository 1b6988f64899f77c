"""The rota rules' vocabulary: why someone cannot take a shift (``Rule``, ``Reason``),
in words and as a machine category, and the small values ``RotaData`` answers with."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, time

from ..compliance.engine import CLEARANCE, TRAINING
from ..compliance.rules import State
from ..models import PostKind, VolunteerStatus
from ..validation import format_uk_date
from .rota_load import Booking, ShiftInfo

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
ACTIVE = str(VolunteerStatus.ACTIVE)
LEFT = str(VolunteerStatus.LEFT)
DECLINED = "declined"

# The roles (catalogue names, lower case) that suit each kind of post: a preference
# for auto-fill and the suitability list, never a rule.
POST_ROLES: dict[str, frozenset[str]] = {
    PostKind.SERVICE: frozenset({"chaplaincy volunteer", "choir and music", "faith group leader"}),
    PostKind.GROUP: frozenset({"faith group leader", "chaplaincy volunteer", "choir and music"}),
    PostKind.VISITING: frozenset({"official prison visitor", "chaplaincy volunteer"}),
    PostKind.COURSE: frozenset({"sycamore tree facilitator"}),
    PostKind.ADMIN: frozenset({"chapel administration"}),
    PostKind.DESK: frozenset({"court desk volunteer", "court desk lead"}),
}


def session_of(start: time) -> str:
    """morning (starts before 12:00), afternoon (12:00 to 17:00) or evening."""
    if start < time(12, 0):
        return "morning"
    return "afternoon" if start < time(17, 0) else "evening"


class Rule(enum.StrEnum):
    """Why a volunteer cannot take a shift; the order is the order reasons are listed."""

    INACTIVE = "inactive"
    OTHER_SITE = "other_site"
    FAITH = "faith"
    CLEARANCE_LAPSED = "clearance_lapsed"
    CLEARANCE_PENDING = "clearance_pending"
    CLEARANCE_MISSING = "clearance_missing"
    TRAINING_LAPSED = "training_lapsed"
    TRAINING_PENDING = "training_pending"
    TRAINING_MISSING = "training_missing"
    UNAVAILABLE = "unavailable"
    NOT_AVAILABLE = "not_available"
    DECLINED = "declined"
    BOOKED = "booked"
    MONTHLY_MAX = "monthly_max"

    @property
    def category(self) -> str:
        """The broad category: status, site, faith, clearance, training, unavailable,
        booked or monthly_max."""
        return _CATEGORY.get(self, self.value)

    def counted(self, n: int, on: date) -> str:
        """ "4 clearance lapses before 14/01/2027": ``n`` volunteers ruled out by this."""
        return f"{n} {_COUNTED[self].format(date=format_uk_date(on))}"


RULE_ORDER = {rule: i for i, rule in enumerate(Rule)}
STATE_RULE = {
    (CLEARANCE, State.EXPIRED): Rule.CLEARANCE_LAPSED,
    (CLEARANCE, State.PENDING): Rule.CLEARANCE_PENDING,
    (CLEARANCE, State.MISSING): Rule.CLEARANCE_MISSING,
    (CLEARANCE, State.REFUSED): Rule.CLEARANCE_MISSING,
    (TRAINING, State.EXPIRED): Rule.TRAINING_LAPSED,
    (TRAINING, State.PENDING): Rule.TRAINING_PENDING,
    (TRAINING, State.MISSING): Rule.TRAINING_MISSING,
    (TRAINING, State.REFUSED): Rule.TRAINING_MISSING,
}
_CATEGORY = {
    Rule.INACTIVE: "status",
    Rule.OTHER_SITE: "site",
    Rule.CLEARANCE_LAPSED: "clearance",
    Rule.CLEARANCE_PENDING: "clearance",
    Rule.CLEARANCE_MISSING: "clearance",
    Rule.TRAINING_LAPSED: "training",
    Rule.TRAINING_PENDING: "training",
    Rule.TRAINING_MISSING: "training",
    Rule.NOT_AVAILABLE: "unavailable",
    Rule.DECLINED: "unavailable",
}
_COUNTED = {
    Rule.INACTIVE: "not active",
    Rule.OTHER_SITE: "not serving this site",
    Rule.FAITH: "not endorsed for the faith",
    Rule.CLEARANCE_LAPSED: "clearance lapses before {date}",
    Rule.CLEARANCE_PENDING: "clearance pending",
    Rule.CLEARANCE_MISSING: "without the clearance",
    Rule.TRAINING_LAPSED: "training lapses before {date}",
    Rule.TRAINING_PENDING: "training booked but not done",
    Rule.TRAINING_MISSING: "without the training",
    Rule.UNAVAILABLE: "unavailable",
    Rule.NOT_AVAILABLE: "not available that day and time",
    Rule.DECLINED: "declined this session",
    Rule.BOOKED: "already booked",
    Rule.MONTHLY_MAX: "at their monthly maximum",
}


@dataclass(frozen=True)
class Reason:
    """One rule a volunteer breaks for a shift. ``fix`` is the change that would let
    them take it ("renew Siân Evans's Key and security training"), when one is in the
    manager's hands; ``effort`` ranks fixes, smallest first (0: no fix)."""

    rule: Rule
    text: str
    fix: str = ""
    effort: int = 0


@dataclass
class Extra:
    """Assignments not yet written (a proposal), counted as if they were."""

    bookings: dict[tuple[int, date], list[Booking]] = field(default_factory=dict)
    months: dict[tuple[int, tuple[int, int]], int] = field(default_factory=dict)

    def add(self, vid: int, shift: ShiftInfo) -> None:
        booking = Booking(shift.id, shift.day, shift.start, shift.end, shift.label)
        self.bookings.setdefault((vid, shift.day), []).append(booking)
        key = (vid, (shift.day.year, shift.day.month))
        self.months[key] = self.months.get(key, 0) + 1


@dataclass(frozen=True)
class Suitability:
    """One line of the list a manager picks from when assigning a shift."""

    volunteer_id: int
    name: str
    reasons: tuple[Reason, ...]
    warnings: tuple[str, ...]
    this_month: int
    previous_three_months: int
    role_match: bool
    assigned: bool  # already on this shift

    @property
    def eligible(self) -> bool:
        return not self.reasons and not self.assigned
