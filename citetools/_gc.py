"""The cyclic garbage collector, paused for bulk work: the CLI's own, kept only because
``citetools.cli`` imports it (no library code pauses the collector). To go with that import when
the CLI sets the collector once in its entry point."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off for the block, then back as it was. Records, their parts
    and the exporters' intermediate values hold no cycles, so it would find nothing in them,
    yet its full passes over a big library's millions of live objects cost some 15% of an
    export and a third of a long formatted list; reference counting frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
