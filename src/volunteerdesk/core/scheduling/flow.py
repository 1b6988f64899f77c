"""The auto-fill's arithmetic: as many places filled as possible, the load spread fairly.

Plain data in, plain data out: no database, so it can be checked against an exact
formulation on generated instances. The problem is a flow network::

    source -> place (capacity: places needed)
           -> (volunteer, day, overlap group)   one arc per eligible volunteer, capacity 1
           -> (volunteer, month)                 capacity 1: one shift of a group at most
           -> volunteer                          capacity: room left in that month
           -> sink                               the volunteer's load: what fairness balances

An overlap group is a volunteer's candidate places on one day whose times overlap,
directly or through a chain; it can give one place at most. (Choosing places with no
two overlapping and each volunteer on many machines is NP-hard in general; the group
keeps it a flow. Where a chain joins two places that do not overlap each other, a last
pass adds the volunteer to the second one if it is still open.)

``solve`` runs, per connected part (places sharing candidates):

1. a greedy fill, scarcest places first, each place taking the least-loaded candidate
   and, among equals, the best placed first (role and experience, then id);
2. augmenting paths (breadth-first, Edmonds-Karp) until the flow is maximum: no
   place that could be filled is left open;
3. load balancing: while some volunteer with load ``L`` could hand one shift, along
   an alternating path, to a volunteer with load ``L - 2`` or less, do it. When no
   such path is left the loads are decreasingly minimal among all maximum fillings
   (Frank and Murota): the heaviest load is as small as it can be, the lightest as
   large, and the sum of squares least.

Everything runs in a fixed order (lists, not sets; ties broken by id), so the same
problem always gives the same answer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time

INF = 1 << 30
SOURCE, SINK = 0, 1


@dataclass(frozen=True)
class Place:
    """A shift with places to fill and the volunteers who may fill them, best first."""

    id: int
    need: int
    day: date
    start: time
    end: time
    candidates: tuple[int, ...]


@dataclass(frozen=True)
class Person:
    """A volunteer: the load already counted for fairness and the room left per month."""

    id: int
    load: int
    room: Mapping[tuple[int, int], int] = field(default_factory=dict)


@dataclass
class Solution:
    chosen: dict[int, list[int]]  # place id -> volunteer ids added
    load: dict[int, int]  # volunteer id -> load after the fill (base load + added)
    cancelled: bool = False

    @property
    def filled(self) -> int:
        return sum(len(v) for v in self.chosen.values())


class Cancelled(Exception):
    """Raised inside the solver when the caller asked to stop."""


class _Net:
    """A residual graph: arcs in pairs, ``e ^ 1`` the reverse of ``e``."""

    __slots__ = ("to", "cap", "adj")

    def __init__(self) -> None:
        self.to: list[int] = []
        self.cap: list[int] = []
        self.adj: list[list[int]] = [[], []]  # source, sink

    def node(self) -> int:
        self.adj.append([])
        return len(self.adj) - 1

    def arc(self, u: int, v: int, cap: int) -> int:
        e = len(self.to)
        self.to += (v, u)
        self.cap += (cap, 0)
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        return e

    def push(self, e: int) -> None:
        self.cap[e] -= 1
        self.cap[e ^ 1] += 1

    def path(
        self,
        sources: Sequence[int],
        is_target: Callable[[int], bool],
        banned: int,
        via: dict[int, int] | None = None,
    ):
        """Arcs of a shortest residual path from a source to a target avoiding ``banned``
        and the nodes already in ``via`` (which the search fills: pass one dict to
        several searches to let each explore only what the earlier ones did not)."""
        to, cap, adj = self.to, self.cap, self.adj
        if via is None:
            via = {}
        queue = deque(s for s in sources if s not in via)
        for s in queue:
            via[s] = -1
        while queue:
            u = queue.popleft()
            for e in adj[u]:
                if cap[e] <= 0:
                    continue
                v = to[e]
                if v in via or v == banned:
                    continue
                via[v] = e
                if is_target(v):
                    arcs = []
                    while via[v] != -1:
                        e = via[v]
                        arcs.append(e)
                        v = to[e ^ 1]
                    return arcs[::-1]
                queue.append(v)
        return None


def _overlap_groups(
    places: Sequence[Place],
) -> dict[tuple[int, int], tuple[int, date, int]]:
    """(place id, volunteer id) -> the volunteer's overlap group on that day."""
    by_day: dict[tuple[int, date], list[Place]] = {}
    for place in places:
        for vid in place.candidates:
            by_day.setdefault((vid, place.day), []).append(place)
    groups = {}
    for (vid, day), found in by_day.items():
        found.sort(key=lambda p: (p.start, p.end, p.id))
        number, reach = -1, None
        for place in found:
            if reach is None or place.start >= reach:
                number += 1
                reach = place.end
            else:
                reach = max(reach, place.end)
            groups[(place.id, vid)] = (vid, day, number)
    return groups


def _parts(places: Sequence[Place]) -> list[list[Place]]:
    """Places in connected parts: two places are joined when they share a candidate."""
    parent = list(range(len(places)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[int, int] = {}
    for i, place in enumerate(places):
        for vid in place.candidates:
            j = first_of.setdefault(vid, i)
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    parts: dict[int, list[Place]] = {}
    for i, place in enumerate(places):
        parts.setdefault(find(i), []).append(place)
    return list(parts.values())


def solve(
    places: Sequence[Place],
    people: Mapping[int, Person],
    *,
    balance: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> Solution:
    """Fill ``places`` from their candidates: maximum count first, then a fair spread."""
    places = sorted((p for p in places if p.need > 0), key=lambda p: p.id)
    load = {vid: person.load for vid, person in people.items()}
    chosen: dict[int, list[int]] = {}
    try:
        for part in _parts(places):
            if cancelled is not None and cancelled():
                raise Cancelled
            _solve_part(part, people, load, chosen, balance, cancelled)
    except Cancelled:
        return Solution({}, {vid: p.load for vid, p in people.items()}, cancelled=True)
    _fill_past_chains(places, people, load, chosen)
    return Solution({pid: sorted(v) for pid, v in sorted(chosen.items()) if v}, load)


def _month(day: date) -> tuple[int, int]:
    return day.year, day.month


def _solve_part(part, people, load, chosen, balance, cancelled) -> None:
    net = _Net()
    groups = _overlap_groups(part)
    group_node: dict[tuple[int, date, int], int] = {}
    month_node: dict[tuple[int, tuple[int, int]], int] = {}
    person_node: dict[int, int] = {}
    sink_arc: dict[int, int] = {}  # person node -> its arc to the sink
    node_person: dict[int, int] = {}
    pair_arcs: list[tuple[int, int, int]] = []  # (arc, place id, volunteer id)
    place_arcs: dict[int, list[tuple[int, int]]] = {}  # place id -> [(pair arc, vid)]
    source_arc: dict[int, int] = {}

    def person(vid: int) -> int:
        node = person_node.get(vid)
        if node is None:
            node = person_node[vid] = net.node()
            node_person[node] = vid
            sink_arc[node] = net.arc(node, SINK, INF)
        return node

    def month(vid: int, key: tuple[int, int]) -> int:
        node = month_node.get((vid, key))
        if node is None:
            node = month_node[(vid, key)] = net.node()
            net.arc(node, person(vid), max(0, people[vid].room.get(key, 0)))
        return node

    group_arc: dict[int, int] = {}  # group node -> its arc to the month
    for place in part:
        node = net.node()
        source_arc[place.id] = net.arc(SOURCE, node, place.need)
        arcs = place_arcs[place.id] = []
        for vid in place.candidates:
            if vid not in people:
                continue
            key = groups[(place.id, vid)]
            g = group_node.get(key)
            if g is None:
                g = group_node[key] = net.node()
                group_arc[g] = net.arc(g, month(vid, _month(place.day)), 1)
            e = net.arc(node, g, 1)
            arcs.append((e, vid))
            pair_arcs.append((e, place.id, vid))

    to, cap = net.to, net.cap

    # 1. Greedy: scarcest places first, least-loaded candidate, best placed among equals.
    order = sorted(part, key=lambda p: (len(place_arcs[p.id]), p.day, p.start, p.id))
    for place in order:
        for _ in range(place.need):
            best = None
            for rank, (e, vid) in enumerate(place_arcs[place.id]):
                if cap[e] <= 0:
                    continue
                g = to[e]
                ga = group_arc[g]
                if cap[ga] <= 0:
                    continue
                m = to[ga]
                ma = net.adj[m][0]  # a month node's first arc goes to the person
                if cap[ma] <= 0:
                    continue
                key = (load[vid], rank)
                if best is None or key < best[0]:
                    best = (key, e, ga, ma, vid)
            if best is None:
                break
            _, e, ga, ma, vid = best
            for arc in (source_arc[place.id], e, ga, ma, sink_arc[to[ma]]):
                net.push(arc)
            load[vid] += 1

    # 2. Augmenting paths until the flow is maximum.
    while True:
        if cancelled is not None and cancelled():
            raise Cancelled
        arcs = net.path([SOURCE], lambda v: v == SINK, -1)
        if arcs is None:
            break
        for arc in arcs:
            net.push(arc)
        load[node_person[to[arcs[-1] ^ 1]]] += 1

    # 3. Balance: hand a shift from a volunteer at load L to one at L - 2 or less;
    # first the short cases (another candidate of the same place), then any path.
    if balance and node_person:
        _swap_within_places(net, part, place_arcs, group_arc, sink_arc, load)
        _balance(net, node_person, sink_arc, load, cancelled)

    for e, place_id, vid in pair_arcs:
        if cap[e ^ 1] > 0:  # flow on the arc: the volunteer takes the place
            chosen.setdefault(place_id, []).append(vid)


def _swap_within_places(net: _Net, part, place_arcs, group_arc, sink_arc, load) -> None:
    """Give a place from a volunteer at load L to another candidate of the same place at
    L - 2 or less who is free then and has room: the paths of length two, found without
    a search. What is left is for ``_balance``."""
    to, cap, adj = net.to, net.cap, net.adj
    changed = True
    while changed:
        changed = False
        for place in part:
            arcs = place_arcs[place.id]
            for e, vid in arcs:
                if cap[e ^ 1] <= 0:
                    continue  # not on this place
                for e2, other in arcs:
                    if cap[e2] <= 0 or load[other] > load[vid] - 2:
                        continue
                    ga2 = group_arc[to[e2]]
                    if cap[ga2] <= 0:
                        continue
                    ma2 = adj[to[ga2]][0]
                    if cap[ma2] <= 0:
                        continue
                    ga = group_arc[to[e]]
                    ma = adj[to[ga]][0]
                    for arc in (e, ga, ma, sink_arc[to[ma]]):
                        net.push(arc ^ 1)
                    for arc in (e2, ga2, ma2, sink_arc[to[ma2]]):
                        net.push(arc)
                    load[vid] -= 1
                    load[other] += 1
                    changed = True
                    break


def _balance(net: _Net, node_person, sink_arc, load, cancelled) -> None:
    """Move one shift at a time from a volunteer at load L to one at L - 2 or less along
    a residual path, until there is none. Each round searches once: from the heaviest
    volunteers first, each lighter level only where the heavier ones did not reach
    (what a heavier volunteer reaches, they can hand over with more to spare)."""
    cap = net.cap
    nodes = sorted(node_person, key=lambda n: node_person[n])
    while True:
        if cancelled is not None and cancelled():
            raise Cancelled
        lowest = min(load[node_person[n]] for n in nodes)
        givers = sorted(
            (n for n in nodes if cap[sink_arc[n] ^ 1] > 0),
            key=lambda n: (-load[node_person[n]], node_person[n]),
        )
        via: dict[int, int] = {}
        arcs = None
        i = 0
        while i < len(givers):
            level = load[node_person[givers[i]]]
            j = i
            while j < len(givers) and load[node_person[givers[j]]] == level:
                j += 1
            limit = level - 2
            if limit < lowest:
                break
            arcs = net.path(
                givers[i:j],
                lambda v, limit=limit: v in node_person and load[node_person[v]] <= limit,
                SINK,
                via,
            )
            if arcs is not None:
                break
            i = j
        if arcs is None:
            return
        giver = net.to[arcs[0] ^ 1]
        taker = net.to[arcs[-1]]
        for arc in arcs:
            net.push(arc)
        net.push(sink_arc[giver] ^ 1)
        net.push(sink_arc[taker])
        load[node_person[giver]] -= 1
        load[node_person[taker]] += 1


def _fill_past_chains(places, people, load, chosen) -> None:
    """Places still open where a volunteer's overlap group joined times that do not
    really overlap: add them when they are free at that time and have room."""
    taken: dict[tuple[int, date], list[Place]] = {}
    month_used: dict[tuple[int, tuple[int, int]], int] = {}
    by_id = {p.id: p for p in places}
    for place_id, vids in chosen.items():
        place = by_id[place_id]
        for vid in vids:
            taken.setdefault((vid, place.day), []).append(place)
            key = (vid, _month(place.day))
            month_used[key] = month_used.get(key, 0) + 1
    for place in places:
        on = chosen.get(place.id, [])
        for vid in place.candidates:
            if len(on) >= place.need:
                break
            if vid in on or vid not in people:
                continue
            if any(
                o.start < place.end and place.start < o.end for o in taken.get((vid, place.day), ())
            ):
                continue
            key = (vid, _month(place.day))
            if month_used.get(key, 0) >= people[vid].room.get(key, 0):
                continue
            on.append(vid)
            chosen[place.id] = on
            taken.setdefault((vid, place.day), []).append(place)
            month_used[key] = month_used.get(key, 0) + 1
            load[vid] += 1
