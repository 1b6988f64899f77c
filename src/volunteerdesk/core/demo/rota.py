"""Shifts expanded from the recurrence patterns, the volunteers on them, desk outcomes.

Shifts come from ``pattern_dates`` and ``SiteCalendar`` exactly as the real generator
makes them. Assignments respect the rules (eligible on the day, available, no double
booking, monthly limit) except for a handful placed on purpose to break one: a
clearance or training that lapses before the shift, a holiday, a pending clearance.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random

from ..models import AssignmentStatus, Pathway, ShiftStatus, VolunteerStatus
from ..scheduling.calendar import SiteCalendar
from ..scheduling.recurrence import pattern_dates
from .compliance import ComplianceMaker
from .people import Vol
from .world import Ids, PostSpec, World, session_of

PATHWAY_WEIGHTS = (
    (Pathway.CHILDREN_FAMILIES, 25),
    (Pathway.ACCOMMODATION, 20),
    (Pathway.FINANCE_DEBT, 15),
    (Pathway.DRUGS_ALCOHOL, 12),
    (Pathway.HEALTH, 10),
    (Pathway.EDUCATION_EMPLOYMENT, 8),
    (Pathway.ATTITUDES_BEHAVIOUR, 5),
    (Pathway.ABUSE, 3),
    (Pathway.SEX_WORK, 1),
)
CANCEL_NOTES = ("Regime curtailed: staff shortage", "Chapel in use for an incident", "Lockdown")
DESK_NOTES = (
    "Busy remand list",
    "Quiet afternoon",
    "Interpreter needed (Polish)",
    "Two family visits",
)


class Shift:
    __slots__ = (
        "row", "post", "court", "day", "start", "end", "session", "taken", "places", "attended",
    )  # fmt: skip

    def __init__(self, row: dict, post: PostSpec, court: bool) -> None:
        self.row = row
        self.post = post
        self.court = court
        self.day: date = row["date"]
        self.start: time = row["start_time"]
        self.end: time = row["end_time"]
        self.session = session_of(self.start)
        self.taken: list[int] = []  # volunteers filling a place (not declined)
        self.places = row["max_volunteers"] or post.max_volunteers
        self.attended: list[Vol] = []


class Rota:
    def __init__(self, rng: Random, world: World, ids: Ids, stamp: datetime) -> None:
        self.rng = rng
        self.world = world
        self.today = world.today
        self.ids = ids
        self.base = {"version": 1, "updated_at": stamp}
        self.shifts: list[Shift] = []
        self.assignments: list[dict] = []
        self.outcomes: list[dict] = []
        self.signposts: list[dict] = []
        self.booked: dict[int, dict[date, list[tuple[time, time]]]] = defaultdict(dict)
        self.months: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)

    # -- shifts ------------------------------------------------------------------------
    def make_shifts(self) -> None:
        world, rng = self.world, self.rng
        for site in world.sites:
            calendar = SiteCalendar.build(
                site.jurisdiction, site.closed_on_bank_holidays, site.days
            )
            for post in site.posts:
                seen: set[date] = set()
                for pattern in post.patterns:
                    days = pattern_dates(
                        pattern.rrule, pattern.start, world.span_start, world.span_end, calendar,
                        end=pattern.end,
                    )  # fmt: skip
                    for day in days:
                        if day not in seen:
                            seen.add(day)
                            self._shift(post, day, pattern.id, site.is_court)
                for extra in site.one_offs:
                    if extra.post_key == post.key and extra.day not in seen:
                        seen.add(extra.day)
                        shift = self._shift(post, extra.day, None, site.is_court, one_off=True)
                        shift.row.update(notes=extra.notes, max_volunteers=extra.max_volunteers)
                        shift.places = extra.max_volunteers or post.max_volunteers
        self.shifts.sort(key=lambda s: (s.day, s.start, s.post.id))
        for shift in self.shifts:
            if shift.court or shift.row["one_off"]:
                continue
            if rng.random() < (0.012 if shift.day < self.today else 0.003):
                shift.row.update(status=ShiftStatus.CANCELLED, notes=rng.choice(CANCEL_NOTES))

    def _shift(self, post, day, pattern_id, court, one_off=False) -> Shift:
        row = {
            "id": self.ids.next("shifts"),
            "post_id": post.id,
            "pattern_id": pattern_id,
            "date": day,
            "start_time": post.start,
            "end_time": post.end,
            "status": ShiftStatus.SCHEDULED,
            "one_off": one_off,
            "min_volunteers": None,
            "max_volunteers": None,
            "notes": "",
            **self.base,
        }
        shift = Shift(row, post, court)
        self.shifts.append(shift)
        return shift

    # -- checks ------------------------------------------------------------------------
    def _free(self, vol: Vol, shift: Shift, *, weekly=True, holidays=True) -> bool:
        day = shift.day
        if weekly:
            slot = vol.availability.get((day.weekday(), shift.session))
            if slot is None or (slot[0] == 2 and ((day - slot[1]).days // 7) % 2):
                return False
        if holidays:
            for first, last, _ in vol.unavailable:
                if first <= day <= last:
                    return False
        for start, end in self.booked[vol.id].get(day, ()):
            if start < shift.end and shift.start < end:
                return False
        return self.months[vol.id].get((day.year, day.month), 0) < vol.cap

    def _target(self, shift: Shift) -> int:
        low, high = shift.post.min_volunteers, shift.places
        days = (shift.day - self.today).days
        rng = self.rng
        if days < 0:
            gap = 0.07
        elif days <= 14:
            gap = 0.2
        elif days <= 60:
            gap = 0.12
        else:
            gap = 0.15 + 0.3 * min(1.0, (days - 60) / 215)
        if low and rng.random() < gap:
            return rng.randint(0, low - 1)
        return rng.randint(low, high)

    # -- assignments -------------------------------------------------------------------
    def _assign(self, vol: Vol, shift: Shift, status=None, reason: str = "") -> None:
        rng, day = self.rng, shift.day
        days = (day - self.today).days
        hours = None
        if status is None:
            if days < 0:
                status = (
                    AssignmentStatus.ATTENDED if rng.random() < 0.95 else AssignmentStatus.NO_SHOW
                )
            elif rng.random() < (0.85 if days <= 30 else 0.45):
                status = AssignmentStatus.CONFIRMED
            else:
                status = AssignmentStatus.PROPOSED
        if status is AssignmentStatus.ATTENDED:
            minutes = (shift.end.hour * 60 + shift.end.minute) - (
                shift.start.hour * 60 + shift.start.minute
            )
            hours = Decimal(minutes) / Decimal(60)
            hours = hours.quantize(Decimal("0.01"))
            shift.attended.append(vol)
        made = min(day, self.today) - timedelta(days=rng.randint(1, 45))
        self.assignments.append(
            {
                "id": self.ids.next("assignments"),
                "shift_id": shift.row["id"],
                "volunteer_id": vol.id,
                "status": status,
                "locked": status is AssignmentStatus.CONFIRMED and rng.random() < 0.08,
                "hours": hours,
                "override_reason": reason,
                "created_at": datetime.combine(made, time(10, rng.randint(0, 59))),
                "created_by": "demo",
                **self.base,
            }
        )
        self.booked[vol.id].setdefault(day, []).append((shift.start, shift.end))
        if status is not AssignmentStatus.DECLINED:
            shift.taken.append(vol.id)
            month = (day.year, day.month)
            self.months[vol.id][month] = self.months[vol.id].get(month, 0) + 1

    def fill(self, vols: list[Vol], compliance: ComplianceMaker) -> None:
        pools: dict[int, list[tuple[Vol, date, date]]] = defaultdict(list)
        for vol in vols:
            for post in vol.posts:
                window = compliance.window(vol, post)
                if window:
                    pools[post.id].append((vol, *window))
        rng = self.rng
        for shift in self.shifts:
            if shift.row["status"] is ShiftStatus.CANCELLED:
                continue
            pool = pools.get(shift.post.id, ())
            target = self._target(shift)
            if not pool or not target:
                continue
            offset = rng.randrange(len(pool))
            declined = shift.day >= self.today and rng.random() < 0.03
            for vol, first, last in pool[offset:] + pool[:offset]:
                if not first <= shift.day <= last or not self._free(vol, shift):
                    continue
                if declined:
                    self._assign(vol, shift, AssignmentStatus.DECLINED)
                    declined = False
                    continue
                self._assign(vol, shift)
                if len(shift.taken) >= target:
                    break
        self._break_rules(vols, pools)
        self._desk_outcomes()

    def _future_shifts(self) -> dict[int, tuple[list[date], list[Shift]]]:
        by_post: dict[int, list[Shift]] = defaultdict(list)
        for shift in self.shifts:
            if shift.day >= self.today and shift.row["status"] is ShiftStatus.SCHEDULED:
                by_post[shift.post.id].append(shift)
        return {post: ([s.day for s in found], found) for post, found in by_post.items()}

    def _first_open(
        self, vol, shifts, first: date, last: date, window=None, **checks
    ) -> Shift | None:
        """The first future shift between two dates with a place ``vol`` could take."""
        days, found = shifts
        for shift in found[bisect_right(days, first - timedelta(days=1)) :]:
            if shift.day > last:
                return None
            if window and not window[0] <= shift.day <= window[1]:
                continue
            open_place = len(shift.taken) < shift.places and vol.id not in shift.taken
            if open_place and self._free(vol, shift, **checks):
                return shift
        return None

    def _break_rules(self, vols: list[Vol], pools) -> None:
        """A few future assignments that break a rule on their date, for the checks to find."""
        rng, today, end = self.rng, self.today, self.world.span_end
        future = self._future_shifts()
        scale = max(1, len(vols) // 25)
        lapsing = [
            (vol, post_id, last)
            for post_id, pool in sorted(pools.items())
            for vol, _, last in pool
            if today <= last < end - timedelta(days=7) and vol.status is VolunteerStatus.ACTIVE
        ]
        rng.shuffle(lapsing)
        placed = 0
        for vol, post_id, last in lapsing:
            shifts = future.get(post_id)
            shift = shifts and self._first_open(
                vol, shifts, last + timedelta(days=1), last + timedelta(days=56)
            )
            if shift:
                self._assign(vol, shift, AssignmentStatus.CONFIRMED)
                placed += 1
                if placed >= max(5, scale * 2):
                    break
        away = [
            (vol, period)
            for vol in vols
            if vol.status is VolunteerStatus.ACTIVE
            for period in vol.unavailable
            if period[1] >= today
        ]
        rng.shuffle(away)
        placed = 0
        for vol, (first, last, _) in away:
            for post in vol.posts:
                shifts = future.get(post.id)
                window = next(((f, t) for v, f, t in pools.get(post.id, ()) if v is vol), None)
                if not shifts or not window:
                    continue
                shift = self._first_open(
                    vol, shifts, max(first, today), last, window, holidays=False
                )
                if shift:
                    reason = "Offered to come despite the holiday" if placed % 4 == 3 else ""
                    self._assign(vol, shift, AssignmentStatus.PROPOSED, reason)
                    placed += 1
                    break
            if placed >= max(3, scale):
                break
        waiting = [v for v in vols if v.status is VolunteerStatus.VETTING and v.posts]
        rng.shuffle(waiting)
        for vol in waiting[: max(2, scale // 3)]:
            shifts = future.get(vol.posts[0].id)
            shift = shifts and self._first_open(vol, shifts, today + timedelta(days=7), end)
            if shift:
                self._assign(vol, shift, AssignmentStatus.PROPOSED)

    # -- desk outcomes -----------------------------------------------------------------
    def _desk_outcomes(self) -> None:
        rng = self.rng
        for shift in self.shifts:
            if shift.day >= self.today or not shift.attended or shift.post.kind != "desk":
                continue
            busy = 11 if shift.session == "morning" else 6
            contacts = max(0, round(rng.gauss(busy, 4)))
            first = shift.attended[0]
            outcome_id = self.ids.next("desk_outcomes")
            self.outcomes.append(
                {
                    "id": outcome_id,
                    "shift_id": shift.row["id"],
                    "contacts_seen": contacts,
                    "notes": rng.choice(DESK_NOTES) if rng.random() < 0.1 else "",
                    "recorded_by": f"{first.badge} {first.name.last}",
                    **self.base,
                }
            )
            referrals = round(contacts * rng.uniform(0.3, 0.7))
            counts: dict[Pathway, int] = {}
            for pathway in rng.choices(
                [p for p, _ in PATHWAY_WEIGHTS], [w for _, w in PATHWAY_WEIGHTS], k=referrals
            ):
                counts[pathway] = counts.get(pathway, 0) + 1
            for pathway in sorted(counts):
                self.signposts.append(
                    {
                        "id": self.ids.next("signposts"),
                        "outcome_id": outcome_id,
                        "pathway": pathway,
                        "count": counts[pathway],
                    }
                )
