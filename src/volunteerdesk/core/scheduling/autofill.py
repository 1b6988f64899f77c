"""Auto-fill: propose volunteers for the open places of a date range, fairly, and
explain every place it cannot fill. Accepting is one step, and can be undone.

What it fills: each shift up to its **minimum** by default — the places a gap is
counted against, the ones the site needs. ``to_maximum=True`` then fills on up to each
shift's maximum from whoever is left, without disturbing the first round: extra hands
are the manager's choice, and filling them by default would spend people's monthly
allowance on places nobody needs while leaving none for late changes.

The rules are never broken: only volunteers ``RotaData.can_take`` allows (active, at
the site, cleared and trained on the date, right faith, available, not booked at that
time), no one twice at overlapping times, no one beyond their monthly maximum counting
what is rostered already. Existing and locked assignments are left alone.

The arithmetic is ``flow.solve``: the most places that can be filled, then the load
(shifts in the range and the three months before its first month) spread as evenly as
it can be; among equals, the right role for the post and recent experience of it, then
the lower id. The same data gives the same proposal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy.orm import Session

from ..models import Site
from ..validation import format_uk_date
from .accept import AcceptResult, UndoResult, accept_proposal, undo_accept
from .eligibility import DECLINED, Extra, RotaData
from .explain import Gap, explain_gap
from .flow import Person, Place, solve
from .rota_load import ShiftInfo, add_months, month_start

Progress = Callable[[str, float], None]

# Accepting and undoing live in ``accept``; re-exported so one module serves the UI.
__all__ = [
    "AcceptResult",
    "Addition",
    "Gap",
    "Proposal",
    "UndoResult",
    "accept_proposal",
    "open_gaps",
    "propose_fill",
    "undo_accept",
]


@dataclass(frozen=True)
class Addition:
    """One volunteer the proposal would put on one shift, and why them."""

    shift_id: int
    volunteer_id: int
    volunteer: str
    site: str
    post: str
    day: date
    start: time
    end: time
    why: str

    @property
    def summary(self) -> str:
        return (
            f"{format_uk_date(self.day)} {self.start:%H:%M}–{self.end:%H:%M} "
            f"{self.post}, {self.site}: {self.volunteer}"
        )


@dataclass(frozen=True)
class Proposal:
    start: date
    end: date
    site_id: int | None
    site: str  # the site's name, or "every site"
    to_maximum: bool
    places_open: int  # places below the minimum before the fill
    additions: tuple[Addition, ...]
    gaps: tuple[Gap, ...]
    cancelled: bool = False

    @property
    def filled(self) -> int:
        """Places below the minimum that the proposal fills."""
        return self.places_open - sum(g.places for g in self.gaps)

    @property
    def summary(self) -> str:
        if self.cancelled:
            return "Auto-fill was stopped before it finished: nothing is proposed."
        left = sum(g.places for g in self.gaps)
        return (
            f"{len(self.additions)} assignments proposed for {self.site} from "
            f"{format_uk_date(self.start)} to {format_uk_date(self.end)}; "
            f"{self.filled} of {self.places_open} open places filled, {left} left open."
        )


def _open_shifts(data: RotaData, today: date | None) -> list[tuple[ShiftInfo, int]]:
    found = []
    for shift in data.shifts.values():
        if shift.cancelled or shift.post_id not in data.compliance.posts:
            continue
        if today is not None and shift.day < today:
            continue
        taken = sum(1 for s in data.on_shift.get(shift.id, {}).values() if s != DECLINED)
        found.append((shift, taken))
    return found


def _people(data: RotaData, loads: dict[int, int], extra: Extra | None = None) -> dict[int, Person]:
    """Each volunteer's load for fairness and the room left in each month of the range."""
    months = []
    day = month_start(data.start)
    while day <= data.end:
        months.append((day.year, day.month))
        day = add_months(day, 1)
    people = {}
    for vid, info in data.volunteers.items():
        room = {}
        for key in months:
            used = data.month_counts.get((vid, key), 0)
            if extra is not None:
                used += extra.months.get((vid, key), 0)
            room[key] = info.max_per_month - used
        people[vid] = Person(vid, loads.get(vid, 0), room)
    return people


def _loads(data: RotaData) -> dict[int, int]:
    """Rostered shifts per volunteer from three months before the range to its end."""
    first = add_months(month_start(data.start), -3)
    loads: dict[int, int] = {}
    for (vid, month), n in data.month_counts.items():
        if month >= (first.year, first.month):
            loads[vid] = loads.get(vid, 0) + n
    return loads


def propose_fill(
    session: Session,
    start: date,
    end: date,
    site_id: int | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    to_maximum: bool = False,
    today: date | None = None,
    data: RotaData | None = None,
) -> Proposal:
    """What auto-fill would add between ``start`` and ``end`` (one site or all), and
    the places it cannot fill with their explanations. Writes nothing. Shifts before
    ``today`` (when given) are left alone."""
    say = progress or (lambda _message, _fraction: None)
    stop = cancelled or (lambda: False)
    say("Reading the rota", 0.0)
    if data is None:
        data = RotaData.load(session, start, end, site_id)
    site = "every site"
    if site_id is not None:
        names = {s.site for s in data.shifts.values() if s.site_id == site_id}
        site = next(iter(names)) if names else _site_name(session, site_id)

    def halted() -> Proposal:
        return Proposal(start, end, site_id, site, to_maximum, 0, (), (), cancelled=True)

    say("Finding who can take each place", 0.2)
    shifts = _open_shifts(data, today)
    loads = _loads(data)
    people = _people(data, loads)
    places, wanted = [], {}
    for i, (shift, taken) in enumerate(shifts):
        if i % 200 == 0:
            if stop():
                return halted()
            say("Finding who can take each place", 0.2 + 0.25 * i / len(shifts))
        wanted[shift.id] = max(0, shift.minimum - taken)
        if wanted[shift.id] <= 0:
            continue
        candidates = data.candidates(shift)
        candidates.sort(key=lambda v, s=shift: (-data.preference(v, s), v))
        places.append(
            Place(shift.id, wanted[shift.id], shift.day, shift.start, shift.end, tuple(candidates))
        )
    say("Filling the places", 0.45)
    first = solve(places, people, cancelled=stop)
    if first.cancelled:
        return halted()
    chosen = {pid: list(vids) for pid, vids in first.chosen.items()}
    extra = Extra()
    for pid, vids in chosen.items():
        for vid in vids:
            extra.add(vid, data.shifts[pid])
    if to_maximum:
        chosen = _fill_extra(data, shifts, chosen, extra, first.load, stop)
        if chosen is None:
            return halted()
    say("Explaining the gaps", 0.7)
    additions, gaps = [], []
    for i, (shift, _taken) in enumerate(shifts):
        if i % 200 == 0:
            if stop():
                return halted()
            say("Explaining the gaps", 0.7 + 0.3 * i / len(shifts))
        added = chosen.get(shift.id, [])
        for vid in added:
            additions.append(_addition(data, shift, vid))
        short = wanted[shift.id] - len(added)
        if short > 0:
            on = {v for v, s in data.on_shift.get(shift.id, {}).items() if s != DECLINED}
            gaps.append(explain_gap(data, shift, short, extra, on | set(added)))
    say("Done", 1.0)
    return Proposal(
        start,
        end,
        site_id,
        site,
        to_maximum,
        sum(wanted.values()),
        tuple(additions),
        tuple(gaps),
    )


def open_gaps(
    session: Session,
    start: date,
    end: date,
    site_id: int | None = None,
    *,
    today: date | None = None,
    data: RotaData | None = None,
) -> list[Gap]:
    """The places below the minimum as the rota stands, each with its explanation and
    the people free to fill it (the gaps a manager must see before the day)."""
    if data is None:
        data = RotaData.load(session, start, end, site_id)
    gaps = []
    for shift, taken in _open_shifts(data, today):
        short = shift.minimum - taken
        if short > 0:
            on = {v for v, s in data.on_shift.get(shift.id, {}).items() if s != DECLINED}
            gaps.append(explain_gap(data, shift, short, Extra(), on))
    return gaps


def _fill_extra(data, shifts, chosen, extra, load, stop):
    """The second round: up to each shift's maximum from whoever is still free."""
    people = _people(data, load, extra)
    places = []
    for shift, taken in shifts:
        have = taken + len(chosen.get(shift.id, []))
        if shift.maximum - have <= 0:
            continue
        mine = chosen.get(shift.id, [])
        candidates = [
            v
            for v in data.candidates(shift)
            if v not in mine
            and not any(
                b.start < shift.end and shift.start < b.end
                for b in extra.bookings.get((v, shift.day), ())
            )
        ]
        candidates.sort(key=lambda v, s=shift: (-data.preference(v, s), v))
        places.append(
            Place(
                shift.id, shift.maximum - have, shift.day, shift.start, shift.end, tuple(candidates)
            )
        )
    second = solve(places, people, cancelled=stop)
    if second.cancelled:
        return None
    merged = {pid: list(v) for pid, v in chosen.items()}
    for pid, vids in second.chosen.items():
        merged.setdefault(pid, []).extend(vids)
        for vid in vids:
            extra.add(vid, data.shifts[pid])
    return merged


def _addition(data: RotaData, shift: ShiftInfo, vid: int) -> Addition:
    month = data.rostered_in_month(vid, shift.day)
    before = data.previous_three_months(vid, shift.day)
    parts = [f"{month} this month and {before} in the three months before"]
    if data.role_match(vid, shift):
        parts.append("has the role for this post")
    done = data.post_history.get((vid, shift.post_id), 0)
    if done:
        parts.append(f"did this post {done} time{'s' if done != 1 else ''} recently")
    return Addition(
        shift.id,
        vid,
        data.name(vid),
        shift.site,
        shift.post,
        shift.day,
        shift.start,
        shift.end,
        _sentence("; ".join(parts)),
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _site_name(session: Session, site_id: int) -> str:
    site = session.get(Site, site_id)
    return site.name if site else str(site_id)
