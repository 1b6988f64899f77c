"""Auto-fill: the most places possible (against a maximum flow), the fairest spread
(against brute force), never a broken rule, gaps explained, accept and undo.

The arithmetic (``flow.solve``) is checked on generated instances; ``propose_fill`` on
hand-built databases (SQLite and PostgreSQL) and on the small demo.
"""

from __future__ import annotations

import json
from collections import deque
from datetime import date, time
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_eligibility import Build

from volunteerdesk.core.models import (
    Assignment,
    AssignmentStatus,
    AuditEntry,
    PostKind,
    Shift,
    Site,
    Volunteer,
)
from volunteerdesk.core.scheduling.autofill import (
    accept_proposal,
    open_gaps,
    propose_fill,
    undo_accept,
)
from volunteerdesk.core.scheduling.eligibility import Extra, RotaData, Rule
from volunteerdesk.core.scheduling.flow import Person, Place, solve

# ----- the arithmetic on generated instances ------------------------------------------
# Sessions whose overlaps are an equivalence (morning, afternoon, evening clusters): then
# "one place per overlap group" is exactly "no two overlapping places", and the exact
# formulations below are exact for the real rule too.
SESSIONS = [
    (time(9), time(12), 0),
    (time(10), time(11), 0),
    (time(13), time(16), 1),
    (time(14), time(15), 1),
    (time(18), time(20), 2),
]
DAYS = [date(2027, 1, 31), date(2027, 2, 1)]  # two days, two months
MONTHS = [(2027, 1), (2027, 2)]


@st.composite
def instances(draw, places=4, people=4, need=2, room=3, history=3):
    n = draw(st.integers(1, people))
    folk = {
        i: Person(i, draw(st.integers(0, history)), {m: draw(st.integers(0, room)) for m in MONTHS})
        for i in range(1, n + 1)
    }
    found = []
    for pid in range(1, draw(st.integers(1, places)) + 1):
        start, end, _ = draw(st.sampled_from(SESSIONS))
        chosen = draw(st.lists(st.sampled_from(sorted(folk)), unique=True))
        day = draw(st.sampled_from(DAYS))
        found.append(Place(pid, draw(st.integers(1, need)), day, start, end, tuple(sorted(chosen))))
    return found, folk


def _cluster(place: Place) -> int:
    return next(c for s, e, c in SESSIONS if (s, e) == (place.start, place.end))


def max_flow(places, people) -> int:
    """Edmonds-Karp on source -> place -> (person, day, session cluster) -> (person,
    month) -> sink: the exact maximum number of places that can be filled."""
    cap: dict = {}

    def arc(u, v, c):
        cap[(u, v)] = cap.get((u, v), 0) + c
        cap.setdefault((v, u), 0)

    for p in places:
        arc("s", ("p", p.id), p.need)
        for v in p.candidates:
            group = ("g", v, p.day, _cluster(p))
            month = ("m", v, (p.day.year, p.day.month))
            arc(("p", p.id), group, 1)
            cap[(group, month)] = 1
            cap.setdefault((month, group), 0)
            cap[(month, "t")] = people[v].room.get(month[2], 0)
            cap.setdefault(("t", month), 0)
    nodes: dict = {}
    for u, v in cap:
        nodes.setdefault(u, []).append(v)
    total = 0
    while True:
        parent = {"s": None}
        queue = deque(["s"])
        while queue and "t" not in parent:
            u = queue.popleft()
            for v in nodes.get(u, ()):
                if v not in parent and cap[(u, v)] > 0:
                    parent[v] = u
                    queue.append(v)
        if "t" not in parent:
            return total
        v = "t"
        while parent[v] is not None:
            u = parent[v]
            cap[(u, v)] -= 1
            cap[(v, u)] += 1
            v = u
        total += 1


def feasible_fillings(places, people):
    """Every way of filling the places that keeps the rules (brute force)."""
    found = []

    def fits(vid, place, chosen):
        month = (place.day.year, place.day.month)
        used = 0
        for other, vids in chosen.items():
            if vid not in vids:
                continue
            if other.day == place.day and other.start < place.end and place.start < other.end:
                return False
            used += (other.day.year, other.day.month) == month
        return used < people[vid].room.get(month, 0)

    def walk(i, chosen):
        if i == len(places):
            found.append(dict(chosen))
            return
        place = places[i]
        for k in range(min(place.need, len(place.candidates)) + 1):
            for subset in combinations(place.candidates, k):
                trial = dict(chosen)
                trial[place] = ()
                ok = True
                for vid in subset:
                    if not fits(vid, place, trial):
                        ok = False
                        break
                    trial[place] = (*trial[place], vid)
                if ok:
                    walk(i + 1, trial)

    walk(0, {})
    return found


def loads_of(filling, people):
    loads = {vid: p.load for vid, p in people.items()}
    for vids in filling.values():
        for vid in vids:
            loads[vid] += 1
    return loads


def keeps_the_rules(places, people, chosen) -> None:
    by_id = {p.id: p for p in places}
    taken: dict = {}
    for pid, vids in chosen.items():
        place = by_id[pid]
        assert len(vids) == len(set(vids)) <= place.need
        for vid in vids:
            assert vid in place.candidates
            taken.setdefault(vid, []).append(place)
    for vid, mine in taken.items():
        for a, b in combinations(mine, 2):
            assert not (a.day == b.day and a.start < b.end and b.start < a.end), (vid, a, b)
        for month in MONTHS:
            used = sum((p.day.year, p.day.month) == month for p in mine)
            assert used <= people[vid].room.get(month, 0)


@settings(max_examples=300, deadline=None)
@given(instances(places=9, people=6, need=3))
def test_fills_as_many_places_as_a_maximum_flow(instance):
    places, people = instance
    solution = solve(places, people)
    keeps_the_rules(places, people, solution.chosen)
    assert solution.filled == max_flow(places, people)


@settings(max_examples=400, deadline=None)
@given(instances())
def test_the_spread_of_load_is_the_best_possible(instance):
    """Against every rule-keeping filling: the most places, then the loads (history
    included) as even as they can be: least sum of squares, smallest heaviest load,
    and the spread between the heaviest and the lightest no wider than it must be."""
    places, people = instance
    solution = solve(places, people)
    fillings = feasible_fillings(places, people)
    most = max(sum(len(v) for v in f.values()) for f in fillings)
    assert solution.filled == most
    best = [loads_of(f, people) for f in fillings if sum(len(v) for v in f.values()) == most]
    mine = solution.load
    assert mine == loads_of({p: solution.chosen.get(p.id, ()) for p in places}, people)
    assert sum(x * x for x in mine.values()) == min(sum(x * x for x in b.values()) for b in best)
    assert max(mine.values()) == min(max(b.values()) for b in best)
    spread = max(mine.values()) - min(mine.values())
    assert spread == min(max(b.values()) - min(b.values()) for b in best)


@settings(max_examples=150, deadline=None)
@given(instances(places=8, people=5, need=3))
def test_the_same_problem_gives_the_same_answer(instance):
    places, people = instance
    first = solve(places, people)
    again = solve(list(reversed(places)), dict(reversed(list(people.items()))))
    assert first.chosen == again.chosen and first.load == again.load


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(8, 18), st.integers(1, 4), st.integers(1, 2)),
        min_size=1,
        max_size=7,
    ),
    st.integers(1, 3),
)
def test_any_times_keep_the_rules(sessions, n):
    """Times that overlap in chains (9-11, 10-12, 11-13) never double-book anyone."""
    people = {i: Person(i, 0, {(2027, 1): 5}) for i in range(1, n + 1)}
    places = [
        Place(i, need, date(2027, 1, 5), time(h), time(min(23, h + length)), tuple(people))
        for i, (h, length, need) in enumerate(sessions, 1)
    ]
    solution = solve(places, people)
    keeps_the_rules(
        places, {v: Person(v, 0, {(2027, 1): 5, (2027, 2): 0}) for v in people}, solution.chosen
    )


def test_a_chain_of_overlaps_does_not_hide_a_free_volunteer():
    """Jummah 13:15-14:30 and Shabbat 15:00-16:00 do not overlap, though both overlap
    the 14:00-16:00 wing visit: one volunteer can do both prayers."""
    day = date(2027, 1, 8)
    people = {1: Person(1, 0, {(2027, 1): 4})}
    places = [
        Place(1, 1, day, time(13, 15), time(14, 30), (1,)),
        Place(2, 1, day, time(14), time(16), ()),
        Place(3, 1, day, time(15), time(16), (1,)),
    ]
    assert solve(places, people).chosen == {1: [1], 3: [1]}


def test_stops_when_asked():
    places = [Place(1, 1, DAYS[0], time(9), time(10), (1,))]
    solution = solve(places, {1: Person(1, 0, {MONTHS[0]: 1})}, cancelled=lambda: True)
    assert solution.cancelled and solution.chosen == {}


# ----- propose_fill on a database -------------------------------------------------------
JAN = (date(2027, 1, 1), date(2027, 1, 31))


@pytest.fixture
def chapel(database):
    """Chapel admin (09:00-12:00, needs HMPPS and key training, one to two people) and
    wing visits (10:00-11:00, one) every Tuesday of January 2027; five volunteers."""
    with database.uow() as s:
        b = Build(s)
        site = b.site()
        admin = b.post(site, needs=("HMPPS", "KEYS"), low=1, high=2)
        wing = b.post(site, "Wing visits", PostKind.VISITING, time(10), time(11), low=1, high=1)
        tuesdays = [date(2027, 1, d) for d in (5, 12, 19, 26)]
        ids = {"site": site.id, "admin": [], "wing": []}
        for day in tuesdays:
            ids["admin"].append(b.shift(admin, day).id)
            ids["wing"].append(b.shift(wing, day).id)
        for first in ("Ann", "Bob", "Cat", "Dee", "Eve"):
            v = b.volunteer(first, "Smith", [site], cap=4)
            b.train(v, "KEYS")
            ids[first] = v.id
    return ids


def _propose(database, site_id=None, **kw):
    with database.uow() as s:
        return propose_fill(s, *JAN, site_id, **kw)


def test_fills_every_place_to_its_minimum_without_double_booking(database, chapel):
    proposal = _propose(database, chapel["site"])
    assert proposal.places_open == 8 and proposal.filled == 8 and proposal.gaps == ()
    assert len(proposal.additions) == 8
    per_shift = {}
    for a in proposal.additions:
        per_shift.setdefault(a.shift_id, []).append(a.volunteer_id)
    assert all(len(v) == 1 for v in per_shift.values())  # the minimum, not the maximum
    for admin, wing in zip(chapel["admin"], chapel["wing"], strict=True):
        assert per_shift[admin] != per_shift[wing]  # 09:00-12:00 and 10:00-11:00 overlap
    counts = [
        sum(a.volunteer_id == chapel[n] for a in proposal.additions)
        for n in ["Ann", "Bob", "Cat", "Dee", "Eve"]
    ]
    assert sorted(counts) == [1, 1, 2, 2, 2]  # eight places shared as evenly as can be
    assert proposal.summary == (
        "8 assignments proposed for HMP Testford from 01/01/2027 to 31/01/2027; "
        "8 of 8 open places filled, 0 left open."
    )


def test_to_maximum_fills_on_after_the_minimum(database, chapel):
    proposal = _propose(database, chapel["site"], to_maximum=True)
    per_shift = {}
    for a in proposal.additions:
        per_shift.setdefault(a.shift_id, []).append(a.volunteer_id)
    assert all(len(per_shift[s]) == 2 for s in chapel["admin"])
    assert all(len(per_shift[s]) == 1 for s in chapel["wing"])
    assert proposal.filled == 8 and len(proposal.additions) == 12


def test_existing_and_locked_assignments_stay_and_count(database, chapel):
    with database.uow() as s:
        b = Build(s)
        ann = s.get(Volunteer, chapel["Ann"])
        ann.max_shifts_per_month = 2
        b.assign(s.get(Shift, chapel["admin"][0]), ann, locked=True)
        b.assign(s.get(Shift, chapel["wing"][1]), ann)
        for name in ("Bob", "Cat", "Dee", "Eve"):
            s.get(Volunteer, chapel[name]).max_shifts_per_month = 1
    proposal = _propose(database, chapel["site"])
    assert chapel["admin"][0] not in {a.shift_id for a in proposal.additions}
    assert all(a.volunteer_id != chapel["Ann"] for a in proposal.additions)  # at her maximum
    assert proposal.places_open == 6 and proposal.filled == 4 and len(proposal.gaps) == 2
    for gap in proposal.gaps:  # Ann may be booked at that time as well as at her maximum
        counts = dict(gap.counts)
        assert sum(counts.values()) == gap.considered == 5
        assert set(counts) <= {Rule.MONTHLY_MAX, Rule.BOOKED} and counts[Rule.MONTHLY_MAX] >= 4
        assert gap.suggestion.startswith("ask ")
        assert gap.suggestion.endswith(", who is at their maximum")


def test_the_same_data_gives_the_same_proposal(database, chapel):
    assert _propose(database, chapel["site"]) == _propose(database, chapel["site"])


def test_fewer_shifts_lately_come_first_then_the_right_role(database):
    with database.uow() as s:
        b = Build(s)
        site = b.site()
        post = b.post(site, "Sunday service", PostKind.SERVICE, time(10), time(11), needs=())
        shift = b.shift(post, date(2027, 1, 10)).id
        busy = b.volunteer("Busy", "Bee", [site])
        for day in (date(2026, 11, 1), date(2026, 12, 6)):
            b.assign(b.shift(post, day), busy, AssignmentStatus.ATTENDED)
        b.volunteer("Ann", "Other", [site], roles=["Chapel administration"])
        fitting = b.volunteer("Zed", "Chaplain", [site], roles=["Chaplaincy volunteer"]).id
        site_id = site.id
    (added,) = _propose(database, site_id).additions
    assert added.shift_id == shift and added.volunteer_id == fitting
    assert added.why == "0 this month and 0 in the three months before; has the role for this post"
    assert added.volunteer == "Zed Chaplain"


def test_a_gap_is_explained_with_the_smallest_change(database):
    mass_day = date(2027, 1, 16)
    with database.uow() as s:
        b = Build(s)
        site = b.site()
        mass = b.post(
            site, "Mass", PostKind.SERVICE, time(9), time(10, 30), needs=("HMPPS", "KEYS")
        )
        other = b.post(site, "Choir", PostKind.GROUP, time(9, 30), time(10), needs=(), high=1)
        shift = b.shift(mass, mass_day).id
        people = {}
        for first in ("Away", "Lapsed", "Full", "Booked", "Untrained"):
            people[first] = b.volunteer(first, "Person", [site], cap=1)
            if first != "Untrained":
                b.train(people[first], "KEYS")
        b.train(people["Untrained"], "KEYS", expires=date(2027, 1, 2))
        b.away(people["Away"], mass_day, mass_day)
        people["Lapsed"].clearances[0].expires_on = date(2027, 1, 10)
        b.assign(b.shift(other, date(2027, 1, 2)), people["Full"])
        b.assign(b.shift(other, mass_day), people["Booked"])
        site_id = site.id
    proposal = _propose(database, site_id)
    (gap,) = proposal.gaps
    assert gap.shift_id == shift and gap.places == 1 and gap.considered == 5
    assert gap.explanation == (
        "5 considered: 1 clearance lapses before 16/01/2027, 1 training lapses before "
        "16/01/2027, 1 unavailable, 1 already booked, 1 at their monthly maximum"
    )
    assert dict(gap.counts) == {
        Rule.CLEARANCE_LAPSED: 1,
        Rule.TRAINING_LAPSED: 1,
        Rule.UNAVAILABLE: 1,
        Rule.BOOKED: 1,
        Rule.MONTHLY_MAX: 1,
    }
    assert gap.suggestions == (
        "ask Full Person, who is at their maximum",
        "renew Untrained Person's Key and security training",
        "renew Lapsed Person's HMPPS vetting",
    )
    assert gap.suggestion == gap.suggestions[0]
    assert gap.heading == "16/01/2027 09:00–10:30 Mass, HMP Testford: 1 place unfilled"


def test_open_gaps_name_who_is_free(database, chapel):
    with database.uow() as s:
        gaps = open_gaps(s, *JAN, chapel["site"])
    assert len(gaps) == 8
    assert gaps[0].explanation == "5 considered: 5 free"
    assert gaps[0].free == ("Ann Smith", "Bob Smith", "Cat Smith", "Dee Smith", "Eve Smith")
    assert gaps[0].suggestion == "ask Ann Smith, who is free"
    with database.uow() as s:
        assert open_gaps(s, *JAN, chapel["site"], today=date(2027, 1, 20)) == gaps[6:]


def test_accept_writes_proposed_assignments_and_undo_removes_them(database, chapel):
    proposal = _propose(database, chapel["site"])
    with database.uow() as s:
        accepted = accept_proposal(s, proposal, "alice")
    assert len(accepted.created) == 8 and accepted.skipped == ()
    assert accepted.changes.touches("assignments")
    with database.uow() as s:
        rows = s.scalars(select(Assignment)).all()
        assert {(a.status, a.created_by) for a in rows} == {(AssignmentStatus.PROPOSED, "alice")}
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "assignments")).all()
        assert len(entries) == 9  # one per assignment and the summary
        assert entries[-1].summary.startswith("Auto-fill accepted: 8 assignments for HMP Testford")
        first = s.get(Assignment, accepted.created[0][0])
        first.status = AssignmentStatus.CONFIRMED  # someone confirms one meanwhile
    with database.uow() as s:
        undone = undo_accept(s, accepted, "alice")
    assert undone.removed == 7 and len(undone.kept) == 1
    assert "changed since, left in place" in undone.kept[0]
    with database.uow() as s:
        assert [a.id for a in s.scalars(select(Assignment))] == [accepted.created[0][0]]
        summary = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert summary.summary == "Auto-fill undone: 7 assignments removed"
        assert json.loads(summary.changes) == {"assignments": [7, 0]}


def test_accept_checks_again_and_skips_what_no_longer_holds(database, chapel):
    proposal = _propose(database, chapel["site"])
    taken = proposal.additions[0]
    with database.uow() as s:  # someone books that volunteer elsewhere at that time
        b = Build(s)
        post = b.post(
            s.get(Site, chapel["site"]), "Choir", PostKind.GROUP, time(9), time(12), needs=()
        )
        b.assign(b.shift(post, taken.day), s.get(Volunteer, taken.volunteer_id))
    with database.uow() as s:
        accepted = accept_proposal(s, proposal, "alice")
    assert len(accepted.created) == 7
    (skipped,) = accepted.skipped
    assert skipped.startswith(taken.summary) and "Already booked 09:00–12:00: Choir" in skipped


def test_progress_and_cancel(database, chapel):
    seen = []
    _propose(database, chapel["site"], progress=lambda m, f: seen.append((m, f)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    stopped = _propose(database, chapel["site"], cancelled=lambda: True)
    assert stopped.cancelled and stopped.additions == () and "stopped" in stopped.summary


def test_on_the_small_demo_no_rule_is_ever_broken(small_demo):
    start, end = date(2026, 12, 1), date(2027, 1, 31)
    with small_demo.uow() as s:
        proposal = propose_fill(s, start, end, today=date(2026, 11, 23))
        again = propose_fill(s, start, end, today=date(2026, 11, 23))
        data = RotaData.load(s, start, end)
    assert proposal == again
    assert len(proposal.additions) > 20 and proposal.gaps
    extra = Extra()
    for added in proposal.additions:
        shift = data.shifts[added.shift_id]
        assert data.reasons(added.volunteer_id, shift, extra) == [], added
        extra.add(added.volunteer_id, shift)
    for gap in proposal.gaps:
        assert gap.considered > 0 and gap.explanation.startswith(f"{gap.considered} considered: ")
        assert "free" not in gap.explanation  # anyone free would have been proposed
