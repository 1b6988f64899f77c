"""Why a place stays empty, in plain words, and the smallest change that would fill it.

"12 considered: 5 unavailable, 4 clearance lapses before 14/01/2027, 2 at their monthly
maximum, 1 already booked" — each volunteer who serves the site is counted once, under
the first rule (in ``Rule`` order) that stops them, with the proposal's own assignments
counted as made. A suggestion names a volunteer stopped by one reason only, and one the
manager can do something about ("ask Tomasz Nowak, who is at his maximum", "renew Siân
Evans's Key and security training"), the smallest kind of change first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from ..validation import format_uk_date
from .eligibility import DECLINED, Extra, RotaData, Rule
from .rota_load import ShiftInfo

# The rules a manager can do something about, for a volunteer stopped by nothing else.
FIXABLE = frozenset(
    {
        Rule.MONTHLY_MAX,
        Rule.NOT_AVAILABLE,
        Rule.TRAINING_LAPSED,
        Rule.TRAINING_PENDING,
        Rule.TRAINING_MISSING,
        Rule.CLEARANCE_PENDING,
        Rule.CLEARANCE_LAPSED,
        Rule.CLEARANCE_MISSING,
    }
)


@dataclass(frozen=True)
class Gap:
    """Places of a shift still empty after the fill, and why."""

    shift_id: int
    site: str
    post: str
    day: date
    start: time
    end: time
    places: int  # still needed to reach the minimum
    considered: int
    counts: tuple[tuple[Rule, int], ...]  # how many each rule ruled out, most first
    explanation: str
    suggestion: str = ""  # the smallest change that would fill one place ("" if none)
    suggestions: tuple[str, ...] = ()  # a few, best first
    free: tuple[str, ...] = ()  # who could take it as things stand, fairest first

    @property
    def heading(self) -> str:
        needed = "1 place" if self.places == 1 else f"{self.places} places"
        return (
            f"{format_uk_date(self.day)} {self.start:%H:%M}–{self.end:%H:%M} "
            f"{self.post}, {self.site}: {needed} unfilled"
        )


def explain_gap(
    data: RotaData, shift: ShiftInfo, places: int, extra: Extra, taken: set[int]
) -> Gap:
    """The explanation for ``places`` empty places of ``shift``; ``taken``: volunteers
    on it already or proposed for it."""
    on = data.on_shift.get(shift.id, {})
    people = [
        v for v in data.considered(shift) if v not in taken and on.get(v, DECLINED) == DECLINED
    ]
    counts: dict[Rule, int] = {}
    free: list[int] = []
    fixes: list[tuple[int, int, str, int, str]] = []
    for vid in people:
        rules = data.rules(vid, shift, extra)
        if not rules:
            free.append(vid)
            continue
        counts[rules[0]] = counts.get(rules[0], 0) + 1
        if len(rules) == 1 and rules[0] in FIXABLE:
            reason = data.reasons(vid, shift, extra)[0]
            if reason.effort:
                load = data.rostered_in_month(vid, shift.day, extra)
                fixes.append((reason.effort, load, data.name(vid).casefold(), vid, reason.fix))
    order = {rule: i for i, rule in enumerate(Rule)}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
    if not people:
        text = f"Nobody else serves {shift.site}."
        if data.considered(shift):
            text = f"Everyone who serves {shift.site} is on it already."
    else:
        parts = [rule.counted(n, shift.day) for rule, n in ranked]
        if free:
            parts.insert(0, f"{len(free)} free")
        text = f"{len(people)} considered: " + ", ".join(parts)
    fixes.sort()
    free.sort(key=lambda v: (data.rostered_in_month(v, shift.day, extra), data.name(v), v))
    suggestions: list[str] = [f"ask {data.name(v)}, who is free" for v in free[:1]]
    for *_, fix in fixes:
        if fix not in suggestions:
            suggestions.append(fix)
        if len(suggestions) == 3:
            break
    return Gap(
        shift.id,
        shift.site,
        shift.post,
        shift.day,
        shift.start,
        shift.end,
        places,
        len(people),
        tuple(ranked),
        text,
        suggestions[0] if suggestions else "",
        tuple(suggestions),
        tuple(data.name(v) for v in free),
    )
