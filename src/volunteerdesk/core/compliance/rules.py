"""The compliance rules, as pure functions over plain records: no database, no Qt.

One record (a training record or a clearance) is *held* by a volunteer. For a requirement
(a clearance type or a course, perhaps at one establishment) and a date, the volunteer's
holdings give a state:

- ``valid``     granted or completed, in force on the date, not expiring soon after it;
- ``expiring``  in force on the date, but lapses within the warning window after it;
- ``expired``   it was in force, and lapsed before the date (or was marked lapsed);
- ``pending``   applied for or in progress: "cannot be rostered yet", not an alarm;
- ``refused``   the latest application was refused;
- ``missing``   nothing held.

An expiry date is the last day a record is valid: a record expiring on 03/01/2027 is
valid on 03/01/2027 and expired on 04/01/2027. A renewal in progress (a newer record
that ``renews`` it, applied for or booked) stops the alarm but keeps the date in view.
Mandatory requirements block an assignment unless valid or expiring; advisory ones warn.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from ..validation import format_uk_date


class State(enum.StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    PENDING = "pending"
    REFUSED = "refused"
    MISSING = "missing"

    @property
    def in_force(self) -> bool:
        return self in (State.VALID, State.EXPIRING)

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Worst first: when a volunteer holds several records of one kind the best state counts,
# and sorting by this order puts problems at the top.
SEVERITY = {
    State.EXPIRED: 0,
    State.REFUSED: 1,
    State.MISSING: 2,
    State.PENDING: 3,
    State.EXPIRING: 4,
    State.VALID: 5,
}

GRANTED, APPLIED, IN_PROGRESS, REFUSED, WITHDRAWN, LAPSED = (
    "granted",
    "applied",
    "in_progress",
    "refused",
    "withdrawn",
    "lapsed",
)
COMPLETED, BOOKED = "completed", "booked"


class Holding(NamedTuple):
    """One training record or clearance, reduced to what the rules need (a tuple: the
    engine builds ~95,000 of them per load)."""

    record_id: int
    volunteer_id: int
    type_id: int  # course id or clearance type id
    site_id: int | None  # the establishment of a per-establishment clearance
    status: str  # a ClearanceStatus or TrainingStatus value
    start: date | None  # granted on / completed on
    applied_on: date | None  # applied on / booked for
    expires_on: date | None
    renews_id: int | None = None


@dataclass(frozen=True, slots=True)
class Requirement:
    kind: str  # "clearance" or "training"
    type_id: int
    name: str
    mandatory: bool = True
    per_establishment: bool = False


class Check:
    """The state of one requirement for one volunteer on one date.

    A plain slotted class (not a frozen dataclass): the matrix makes ~90,000 of these,
    and the reason in words is only composed when someone reads it.
    """

    __slots__ = (
        "requirement",
        "state",
        "record_id",
        "expires_on",
        "since",
        "renewal_in_progress",
        "_detail",
    )

    def __init__(
        self,
        requirement: Requirement,
        state: State,
        record_id: int | None,
        expires_on: date | None,
        since: date | None,
        renewal_in_progress: bool,
        detail: str = "",
    ):
        self.requirement = requirement
        self.state = state
        self.record_id = record_id
        self.expires_on = expires_on
        self.since = since
        self.renewal_in_progress = renewal_in_progress
        self._detail = detail  # "booked", "later:<date>" or "site" for special wording

    def __repr__(self) -> str:
        return f"Check({self.requirement.name!r}, {self.state.value}, {self.reason!r})"

    @property
    def blocks(self) -> bool:
        return self.requirement.mandatory and not self.state.in_force

    @property
    def warns(self) -> bool:
        return not self.state.in_force and not self.requirement.mandatory

    @property
    def reason(self) -> str:
        name, state = self.requirement.name, self.state
        renewing = " (renewal in progress)" if self.renewal_in_progress else ""
        if state is State.VALID:
            until = f" until {format_uk_date(self.expires_on)}" if self.expires_on else ""
            return f"{name} valid{until}"
        if state is State.EXPIRING:
            return f"{name} expires on {format_uk_date(self.expires_on)}{renewing}"
        if state is State.EXPIRED:
            when = f" on {format_uk_date(self.expires_on)}" if self.expires_on else ""
            return f"{name} expired{when}{renewing}"
        if state is State.PENDING:
            since = format_uk_date(self.since)
            if self._detail == "booked":
                return f"{name} booked" + (f" for {since}" if since else "")
            if self._detail.startswith("later:"):
                return f"{name} only from {self._detail[6:]}"
            return f"{name} pending" + (f" since {since}" if since else "")
        if state is State.REFUSED:
            return f"{name} refused"
        where = " at this establishment" if self._detail == "site" else ""
        return f"No {name}{where}"


PENDING_STATUSES = frozenset({APPLIED, IN_PROGRESS, BOOKED})
IN_FORCE_STATUSES = frozenset({GRANTED, COMPLETED})


def evaluate(
    requirement: Requirement,
    holdings: Iterable[Holding],
    on: date,
    warning_days: int,
    *,
    site_id: int | None = None,
    renewals_in_progress: frozenset[int] | set[int] = frozenset(),
    warn_until: date | None = None,
) -> Check:
    """The state of ``requirement`` on ``on`` given one volunteer's ``holdings`` of it.

    ``holdings`` must already be of the requirement's type. For a per-establishment
    clearance only holdings at ``site_id`` count (when ``site_id`` is given).
    ``renewals_in_progress`` holds the ids of records whose renewal is applied for or
    booked. ``warn_until`` (``on`` + the warning window) may be passed precomputed.
    One pass over the holdings: this runs for every cell of the national matrix.
    """
    if warn_until is None:
        warn_until = on + timedelta(days=warning_days)
    only_site = requirement.per_establishment and site_id is not None
    best = pending = lapsed = refused = later = None
    for h in holdings:
        if only_site and h.site_id != site_id:
            continue
        status = h.status
        if status in IN_FORCE_STATUSES:
            if h.start is not None and h.start > on:
                if later is None or h.start < later.start:
                    later = h
                continue
            expires = h.expires_on
            if expires is None or on <= expires:
                if best is None or (
                    best.expires_on is not None and (expires is None or expires > best.expires_on)
                ):
                    best = h
            elif lapsed is None or lapsed.expires_on is None or expires > lapsed.expires_on:
                lapsed = h
        elif status in PENDING_STATUSES:
            if pending is None or (h.applied_on or date.max) < (pending.applied_on or date.max):
                pending = h
        elif status == LAPSED:
            if lapsed is None or (h.expires_on or date.min) > (lapsed.expires_on or date.min):
                lapsed = h
        elif status == REFUSED and (
            refused is None or (h.applied_on or date.min) > (refused.applied_on or date.min)
        ):
            refused = h
    if best is not None:
        renewing = best.record_id in renewals_in_progress
        expires = best.expires_on
        state = State.EXPIRING if expires is not None and expires <= warn_until else State.VALID
        return Check(requirement, state, best.record_id, expires, None, renewing)
    if pending is not None:
        detail = "booked" if pending.status == BOOKED else ""
        return Check(
            requirement,
            State.PENDING,
            pending.record_id,
            pending.expires_on,
            pending.applied_on,
            False,
            detail,
        )
    if later is not None:
        return Check(
            requirement,
            State.PENDING,
            later.record_id,
            later.expires_on,
            None,
            False,
            f"later:{format_uk_date(later.start)}",
        )
    if lapsed is not None:
        return Check(
            requirement,
            State.EXPIRED,
            lapsed.record_id,
            lapsed.expires_on,
            None,
            lapsed.record_id in renewals_in_progress,
        )
    if refused is not None:
        return Check(requirement, State.REFUSED, refused.record_id, None, None, False)
    return Check(requirement, State.MISSING, None, None, None, False, "site" if only_site else "")


def is_alarm(check: Check) -> bool:
    """Whether a state needs action: expired, refused, missing, or expiring with no
    renewal under way. Pending is "cannot be rostered yet", not an alarm."""
    if check.state in (State.EXPIRED, State.REFUSED, State.MISSING):
        return not check.renewal_in_progress
    return check.state is State.EXPIRING and not check.renewal_in_progress
