"""Reasons in words: why a volunteer cannot take a shift, and the list a manager picks
from. ``RotaData.reasons`` and ``RotaData.suitability`` answer through these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..compliance.engine import CLEARANCE
from ..compliance.rules import State
from ..validation import format_uk_date
from .rota_load import ShiftInfo
from .rota_rules import (
    ACTIVE,
    DECLINED,
    MONTHS,
    RULE_ORDER,
    WEEKDAYS,
    Extra,
    Reason,
    Rule,
    Suitability,
    session_of,
)

if TYPE_CHECKING:
    from .eligibility import RotaData


def reasons(data: RotaData, vid: int, shift: ShiftInfo, extra: Extra | None = None) -> list[Reason]:
    """Every reason the volunteer cannot take the shift, in ``Rule`` order (empty:
    they can). ``extra`` counts a proposal's assignments as if written."""
    info = data.volunteers.get(vid)
    facts = data.compliance.volunteers.get(vid)
    if info is None or facts is None:
        return [Reason(Rule.OTHER_SITE, f"Does not serve {shift.site}")]
    name, day, found = info.name, shift.day, []
    if info.status != ACTIVE:
        found.append(Reason(Rule.INACTIVE, f"Not active (status: {info.status})"))
    if shift.site_id not in facts.site_ids:
        found.append(Reason(Rule.OTHER_SITE, f"Does not serve {shift.site}"))
    if shift.post_id in data.compliance.posts:
        found += _compliance_reasons(data, vid, name, shift)
    away = data._away(vid, day)
    if away:
        first, last, why = away
        when = f"{format_uk_date(first)} to {format_uk_date(last)}"
        text = f"Unavailable {when}" + (f" ({why})" if why else "")
        found.append(Reason(Rule.UNAVAILABLE, text))
    if data._not_available(vid, shift):
        words = f"{WEEKDAYS[day.weekday()]} {session_of(shift.start)}s"
        found.append(
            Reason(
                Rule.NOT_AVAILABLE,
                f"Not usually available on {words}",
                f"ask {name}, who does not usually come on {words}",
                2,
            )
        )
    if data.on_shift.get(shift.id, {}).get(vid) == DECLINED:
        found.append(Reason(Rule.DECLINED, "Declined this session"))
    b = data._booked(vid, shift, extra)
    if b:
        text = f"Already booked {b.start:%H:%M}–{b.end:%H:%M}: {b.label}"
        found.append(Reason(Rule.BOOKED, text))
    count = data.rostered_in_month(vid, day, extra)
    if vid not in data.on_shift.get(shift.id, {}) and count >= info.max_per_month:
        month = f"{MONTHS[day.month - 1]} {day.year}"
        found.append(
            Reason(
                Rule.MONTHLY_MAX,
                f"At their monthly maximum ({count} of {info.max_per_month} in {month})",
                f"ask {name}, who is at their maximum",
                1,
            )
        )
    return found


def _compliance_reasons(data: RotaData, vid: int, name: str, shift: ShiftInfo) -> list[Reason]:
    verdict = data.compliance.verdict(vid, shift.post_id, shift.day)
    found = []
    if verdict.faith_problem and verdict.faith_blocks:
        found.append(Reason(Rule.FAITH, verdict.faith_problem))
    for check in verdict.checks:
        if not check.blocks:
            continue
        req = check.requirement.name
        if check.requirement.kind == CLEARANCE:
            if check.state is State.EXPIRED:
                found.append(
                    Reason(Rule.CLEARANCE_LAPSED, check.reason, f"renew {name}'s {req}", 5)
                )
            elif check.state is State.PENDING:
                found.append(
                    Reason(Rule.CLEARANCE_PENDING, check.reason, f"chase {name}'s {req}", 4)
                )
            else:
                fix = "" if check.state is State.REFUSED else f"apply for {req} for {name}"
                found.append(Reason(Rule.CLEARANCE_MISSING, check.reason, fix, 6 if fix else 0))
        elif check.state is State.EXPIRED:
            found.append(Reason(Rule.TRAINING_LAPSED, check.reason, f"renew {name}'s {req}", 3))
        elif check.state is State.PENDING:
            found.append(
                Reason(Rule.TRAINING_PENDING, check.reason, f"record {name}'s {req} once done", 3)
            )
        else:
            found.append(Reason(Rule.TRAINING_MISSING, check.reason, f"book {name} on {req}", 4))
    found.sort(key=lambda r: RULE_ORDER[r.rule])
    return found


def suitability(data: RotaData, shift_id: int) -> list[Suitability]:
    """Everyone serving the shift's site (and anyone already on it): eligible first,
    fewest shifts this month then over the previous three months; then those who
    cannot, fewest reasons first, each with their reasons."""
    shift = data.shifts[shift_id]
    on = data.on_shift.get(shift_id, {})
    ids = sorted(set(data.considered(shift)) | {v for v, s in on.items() if s != DECLINED})
    found = []
    for vid in ids:
        if vid not in data.volunteers:
            continue
        warnings: tuple[str, ...] = ()
        if shift.post_id in data.compliance.posts:
            warnings = tuple(data.compliance.verdict(vid, shift.post_id, shift.day).warnings)
        assigned = vid in on and on[vid] != DECLINED
        found.append(
            Suitability(
                vid,
                data.name(vid),
                () if assigned else tuple(reasons(data, vid, shift)),
                warnings,
                data.rostered_in_month(vid, shift.day),
                data.previous_three_months(vid, shift.day),
                data.role_match(vid, shift),
                assigned,
            )
        )
    found.sort(
        key=lambda s: (
            s.assigned,
            not s.eligible,
            len(s.reasons),
            s.this_month,
            s.previous_three_months,
            not s.role_match,
            s.name.casefold(),
            s.volunteer_id,
        )
    )
    return found
