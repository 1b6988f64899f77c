"""Keeping Python's cyclic garbage collector out of the way of large loads.

The national demo keeps ~600,000 Python objects alive in the window. CPython's
collector walks every tracked object on a full collection, and walks a young
generation that a bulk load has filled with hundreds of thousands of new objects: we
measured pauses of 180-650 ms, in whichever thread allocated next, the GUI thread
included (bench/run.py, "longest GUI-thread stall").

``bulk_load()`` pauses collection while a large structure is built (it holds no
reference cycles, so there is nothing for the collector to find), and at the end
*freezes* what exists (``gc.freeze``): those objects move to the permanent generation,
which no later collection walks. They are still freed the ordinary way, by reference
counting, when the next load replaces them. Garbage already waiting (closed dialogs,
anything the window dropped) is collected as a load begins, so it is not frozen with
the rest: that walks only what was made since the last freeze, a few milliseconds. The
cost left is that a reference cycle made during a load, or alive then and dropped
later, is never collected: a unit of work's session is a few kilobytes of such cycles
per load, which is small beside the pauses.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_load(*, freeze: bool = True) -> Iterator[None]:
    enabled = gc.isenabled()
    if freeze and enabled:  # the outermost load: first clear the garbage waiting now
        gc.collect()  # (cheap: the big structures of earlier loads are frozen, not walked)
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
