"""Bulk loads pause the collector and freeze what they built; garbage waiting when a load
begins is collected first, not frozen for good."""

from __future__ import annotations

import gc
import weakref

from volunteerdesk.core.memory import bulk_load


class Node:
    """Something that can hold itself: a reference cycle only the collector frees."""


def test_garbage_waiting_when_a_load_begins_is_collected_not_frozen():
    assert gc.isenabled()
    try:
        cycle = Node()
        cycle.me = cycle  # dropped below: garbage that only a collection frees
        gone = weakref.ref(cycle)
        del cycle
        with bulk_load():
            built = [Node() for _ in range(1000)]
        gc.collect()
        assert gone() is None  # frozen with the load, it would live for ever
        assert gc.isenabled()  # the collector runs again after the load
        assert gc.get_freeze_count() >= len(built)
    finally:
        gc.unfreeze()


def test_a_nested_load_leaves_the_collector_to_the_outer_one():
    try:
        with bulk_load():
            with bulk_load():
                assert not gc.isenabled()
            assert not gc.isenabled()  # still the outer load's
        assert gc.isenabled()
    finally:
        gc.unfreeze()
