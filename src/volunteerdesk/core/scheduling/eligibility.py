"""Who may take a shift, and every reason someone may not, in words and as a category.

``RotaData.load(session, start, end, site_id)`` reads what the rules need for a date
range once (through ``ComplianceData``, so the rota, the matrix and ``check`` agree);
then ``reasons``, ``can_take`` and ``suitability`` answer from memory for any number
of volunteer and shift pairs. The rules (DOMAIN.md, "Rules the rota must respect"):

- the volunteer is active and serves the shift's site;
- every mandatory clearance and training of the post is in force on the shift's date,
  not merely today; a pending clearance means "cannot be rostered yet";
- a post that requires a faith takes only volunteers endorsed for it (with consent);
- no unavailability period covers the date, and their weekly availability includes
  that weekday and session (morning: starts before 12:00, afternoon: 12:00 to 17:00,
  evening: later; fortnightly slots count from the week of their anchor date). Someone
  with no weekly availability recorded can come any time;
- not already booked elsewhere at an overlapping time, and not at their monthly
  maximum (rostered shifts in that calendar month, declined ones not counted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from ..compliance.engine import ComplianceData
from ..compliance.rules import IN_FORCE_STATUSES, Requirement
from . import rota_load, wording
from .compliance_subset import load_compliance
from .rota_load import Booking, ShiftInfo, VolunteerInfo, add_months, month_end, month_start
from .rota_rules import (
    ACTIVE,
    DECLINED,
    LEFT,
    POST_ROLES,
    RULE_ORDER,
    STATE_RULE,
    Extra,
    Reason,
    Rule,
    Suitability,
    session_of,
)

__all__ = ["DECLINED", "Extra", "Reason", "RotaData", "Rule", "Suitability", "session_of"]


@dataclass
class RotaData:
    start: date
    end: date
    site_id: int | None
    compliance: ComplianceData
    shifts: dict[int, ShiftInfo]
    volunteers: dict[int, VolunteerInfo]
    availability: dict[int, dict[tuple[int, str], tuple[int, date | None]]]
    away: dict[int, list[tuple[date, date, str]]]
    bookings: dict[tuple[int, date], list[Booking]]
    on_shift: dict[int, dict[int, str]]
    month_counts: dict[tuple[int, tuple[int, int]], int]
    post_history: dict[tuple[int, int], int]
    site_volunteers: dict[int, tuple[int, ...]] = field(default_factory=dict)
    _span_cache: dict = field(default_factory=dict, repr=False)
    _range_cache: dict = field(default_factory=dict, repr=False)
    _post_range_cache: dict = field(default_factory=dict, repr=False)
    _mandatory_cache: dict = field(default_factory=dict, repr=False)
    _faith_cache: dict = field(default_factory=dict, repr=False)
    _active_cache: dict = field(default_factory=dict, repr=False)

    # ----- loading --------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        session: Session,
        start: date,
        end: date,
        site_id: int | None = None,
        *,
        compliance: ComplianceData | None = None,
        also: Collection[int] = (),
    ) -> RotaData:
        """Everything the rules need for the shifts from ``start`` to ``end`` (one site
        or all), with rostered counts from three months before the first month. For one
        site: its volunteers, anyone on its shifts and the volunteers in ``also``."""
        shifts = rota_load.load_shifts(session, start, end, site_id)
        ids = rota_load.volunteer_ids_for(session, site_id, shifts, also)
        if compliance is None:
            sites = None if site_id is None else {site_id}
            compliance = load_compliance(session, ids, sites)
        names = {vid: facts.name for vid, facts in compliance.volunteers.items()}
        volunteers = rota_load.load_volunteers(session, ids, names)
        history_start = add_months(month_start(start), -3)
        bookings: dict[tuple[int, date], list[Booking]] = defaultdict(list)
        months: dict[tuple[int, tuple[int, int]], int] = defaultdict(int)
        post_history: dict[tuple[int, int], int] = defaultdict(int)
        recent = add_months(start, -3)
        for vid, shift_id, day, t0, t1, post_id, post, site in rota_load.load_assignments(
            session, ids, history_start, month_end(end)
        ):
            months[(vid, (day.year, day.month))] += 1
            if start <= day <= end:
                bookings[(vid, day)].append(Booking(shift_id, day, t0, t1, f"{post}, {site}"))
            elif recent <= day < start:
                post_history[(vid, post_id)] += 1
        data = cls(
            start,
            end,
            site_id,
            compliance,
            shifts,
            volunteers,
            rota_load.load_availability(session, ids),
            rota_load.load_unavailability(session, ids, start, end),
            dict(bookings),
            rota_load.load_on_shift(session, shifts),
            dict(months),
            dict(post_history),
        )
        by_site: dict[int, list[int]] = defaultdict(list)
        for vid, facts in compliance.volunteers.items():
            if vid in volunteers and facts.status != LEFT:
                for sid in facts.site_ids:
                    by_site[sid].append(vid)
        data.site_volunteers = {sid: tuple(sorted(v)) for sid, v in by_site.items()}
        return data

    # ----- facts ----------------------------------------------------------------------
    def name(self, vid: int) -> str:
        info = self.volunteers.get(vid)
        return info.name if info else str(vid)

    def considered(self, shift: ShiftInfo) -> tuple[int, ...]:
        """The volunteers who serve the shift's site and have not left, by id."""
        return self.site_volunteers.get(shift.site_id, ())

    def rostered_in_month(self, vid: int, day: date, extra: Extra | None = None) -> int:
        key = (vid, (day.year, day.month))
        return self.month_counts.get(key, 0) + (extra.months.get(key, 0) if extra else 0)

    def previous_three_months(self, vid: int, day: date) -> int:
        first = month_start(day)
        total = 0
        for back in (1, 2, 3):
            month = add_months(first, -back)
            total += self.month_counts.get((vid, (month.year, month.month)), 0)
        return total

    def role_match(self, vid: int, shift: ShiftInfo) -> bool:
        info = self.volunteers.get(vid)
        return bool(info and info.roles & POST_ROLES.get(shift.kind, frozenset()))

    def preference(self, vid: int, shift: ShiftInfo) -> int:
        """Higher is better: the right role, then recent experience of the post."""
        return 10 * self.role_match(vid, shift) + min(
            9, self.post_history.get((vid, shift.post_id), 0)
        )

    # ----- the rules ------------------------------------------------------------------
    def _spans(self, vid: int, req: Requirement, site_id: int) -> tuple[tuple[date, date], ...]:
        """When one requirement is in force for the volunteer: the same test as
        ``rules.evaluate`` (granted or completed, started by the date, not expired; for
        a per-establishment clearance, one at that site)."""
        key = (vid, req.kind, req.type_id, site_id if req.per_establishment else None)
        found = self._span_cache.get(key)
        if found is None:
            found = self._span_cache[key] = tuple(
                sorted(
                    (h.start or date.min, h.expires_on or date.max)
                    for h in self.compliance.holdings.get((req.kind, vid, req.type_id), ())
                    if h.status in IN_FORCE_STATUSES
                    and (not req.per_establishment or h.site_id == site_id)
                )
            )
        return found

    def _mandatory(self, post_id: int) -> tuple[Requirement, ...]:
        found = self._mandatory_cache.get(post_id)
        if found is None:
            post = self.compliance.posts.get(post_id)
            found = tuple(r for r in post.requirements if r.mandatory) if post else ()
            self._mandatory_cache[post_id] = found
        return found

    def in_force_ranges(self, vid: int, post_id: int) -> tuple[tuple[date, date], ...]:
        """The date ranges when every mandatory requirement of the post is in force."""
        found = self._post_range_cache.get((vid, post_id))
        if found is not None:
            return found
        post = self.compliance.posts.get(post_id)
        needs = self._mandatory(post_id)
        key = (vid, post.site_id if post else 0, needs)  # posts alike share the answer
        found = self._range_cache.get(key)
        if found is None:
            ranges: list[tuple[date, date]] = [(date.min, date.max)]
            for req in needs:
                spans = self._spans(vid, req, post.site_id)
                ranges = [
                    (max(a0, b0), min(a1, b1))
                    for a0, a1 in ranges
                    for b0, b1 in spans
                    if max(a0, b0) <= min(a1, b1)
                ]
            found = self._range_cache[key] = tuple(ranges)
        self._post_range_cache[(vid, post_id)] = found
        return found

    def _faith_problem(self, vid: int, post_id: int) -> str:
        post = self.compliance.posts.get(post_id)
        if post is None or post.required_faith_id is None or not post.faith_mandatory:
            return ""
        key = (vid, post_id)
        found = self._faith_cache.get(key)
        if found is None:
            found = self._faith_cache[key] = self.compliance.verdict(
                vid, post_id, self.start
            ).faith_problem
        return found

    def _not_available(self, vid: int, shift: ShiftInfo) -> bool:
        slots = self.availability.get(vid)
        if not slots:
            return False  # nothing recorded: available any time
        slot = slots.get((shift.day.weekday(), session_of(shift.start)))
        if slot is None:
            return True
        every, anchor = slot
        if every == 2 and anchor is not None:
            weeks = (_monday(shift.day) - _monday(anchor)).days // 7
            return weeks % 2 == 1
        return False

    def _away(self, vid: int, day: date) -> tuple[date, date, str] | None:
        for period in self.away.get(vid, ()):
            if period[0] <= day <= period[1]:
                return period
        return None

    def _booked(self, vid: int, shift: ShiftInfo, extra: Extra | None) -> Booking | None:
        key = (vid, shift.day)
        found = self.bookings.get(key, ())
        if extra is not None and key in extra.bookings:
            found = [*found, *extra.bookings[key]]
        for b in found:
            if b.shift_id != shift.id and b.start < shift.end and shift.start < b.end:
                return b
        return None

    def can_take(self, vid: int, shift: ShiftInfo) -> bool:
        """True when no rule stops the volunteer taking the shift, the monthly maximum
        aside (auto-fill counts that itself). The fast path: no words are composed."""
        info = self.volunteers.get(vid)
        facts = self.compliance.volunteers.get(vid)
        if info is None or facts is None or info.status != ACTIVE:
            return False
        if shift.site_id not in facts.site_ids or vid in self.on_shift.get(shift.id, ()):
            return False
        day = shift.day
        if self._away(vid, day) or self._not_available(vid, shift):
            return False
        if self._booked(vid, shift, None):
            return False
        if not any(a <= day <= b for a, b in self.in_force_ranges(vid, shift.post_id)):
            return False
        return not self._faith_problem(vid, shift.post_id)

    def candidates(self, shift: ShiftInfo) -> list[int]:
        """Everyone ``can_take`` allows on the shift, by id: the same tests, in one loop
        over the site's active volunteers (auto-fill asks this for every open shift)."""
        day, post_id = shift.day, shift.post_id
        key = (day.weekday(), session_of(shift.start))
        monday = _monday(day)
        on = self.on_shift.get(shift.id, {})
        t0, t1 = shift.start, shift.end
        found = []
        for vid in self._active_at(shift.site_id):
            if vid in on:
                continue
            away = self.away.get(vid)
            if away and any(a <= day <= b for a, b, _ in away):
                continue
            slots = self.availability.get(vid)
            if slots:
                slot = slots.get(key)
                if slot is None:
                    continue
                if slot[0] == 2 and slot[1] and ((monday - _monday(slot[1])).days // 7) % 2:
                    continue
            booked = self.bookings.get((vid, day))
            if booked and any(b.start < t1 and t0 < b.end for b in booked):
                continue
            if not any(a <= day <= b for a, b in self.in_force_ranges(vid, post_id)):
                continue
            if self._faith_problem(vid, post_id):
                continue
            found.append(vid)
        return found

    def _active_at(self, site_id: int) -> tuple[int, ...]:
        found = self._active_cache.get(site_id)
        if found is None:
            found = self._active_cache[site_id] = tuple(
                vid
                for vid in self.site_volunteers.get(site_id, ())
                if vid in self.volunteers
                and self.volunteers[vid].status == ACTIVE
                and vid in self.compliance.volunteers
            )
        return found

    def rules(self, vid: int, shift: ShiftInfo, extra: Extra | None = None) -> list[Rule]:
        """The rules ``reasons`` would give, without their words: quicker, for counting."""
        info = self.volunteers.get(vid)
        facts = self.compliance.volunteers.get(vid)
        if info is None or facts is None:
            return [Rule.OTHER_SITE]
        found, day = [], shift.day
        if info.status != ACTIVE:
            found.append(Rule.INACTIVE)
        if shift.site_id not in facts.site_ids:
            found.append(Rule.OTHER_SITE)
        if self._faith_problem(vid, shift.post_id):
            found.append(Rule.FAITH)
        post = self.compliance.posts.get(shift.post_id)
        blocked = []
        for req in self._mandatory(shift.post_id):
            if not any(a <= day <= b for a, b in self._spans(vid, req, post.site_id)):
                state = self.compliance.check(vid, req, day, post.site_id).state
                blocked.append(STATE_RULE[(req.kind, state)])
        found += sorted(blocked, key=RULE_ORDER.__getitem__)
        if self._away(vid, day):
            found.append(Rule.UNAVAILABLE)
        if self._not_available(vid, shift):
            found.append(Rule.NOT_AVAILABLE)
        on = self.on_shift.get(shift.id, {})
        if on.get(vid) == DECLINED:
            found.append(Rule.DECLINED)
        if self._booked(vid, shift, extra):
            found.append(Rule.BOOKED)
        if vid not in on and self.rostered_in_month(vid, day, extra) >= info.max_per_month:
            found.append(Rule.MONTHLY_MAX)
        return found

    def reasons(self, vid: int, shift: ShiftInfo, extra: Extra | None = None) -> list[Reason]:
        """Every reason the volunteer cannot take the shift, in ``Rule`` order (empty:
        they can), in words. ``extra`` counts a proposal's assignments as if written."""
        return wording.reasons(self, vid, shift, extra)

    def suitability(self, shift_id: int) -> list[Suitability]:
        """Everyone serving the shift's site (and anyone already on it): eligible first,
        fewest shifts this month then over the previous three months; then those who
        cannot, fewest reasons first, each with their reasons."""
        return wording.suitability(self, shift_id)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
