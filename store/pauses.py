"""What a thread that reads or analyses a catalog does besides reading: pausing the cyclic
collector, and stepping aside for a busy UI thread (`pausing`); and collecting while the user
reads (`collect_if_due`).

Kept apart from yamlread.py, which imports PyYAML and the readers: the analysis and the
dashboard need these before any file is read, and the dashboard's first frame should not wait
for the YAML machinery to be imported.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator

_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a catalog is read and analysed.

    Composing allocates a node (and two marks) for every scalar, and each allocation counts
    toward the collector's thresholds: a 5 MB catalog triggered full collections over an
    ever larger tree, which cost more than the parsing itself (1.7-2.6 s against 0.5 s).
    Nodes, the model and the analysis hold no reference cycles, so reference counting frees
    them as before; the collector resumes when the last concurrent reader is done.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


_thread = threading.local()


def collect_if_due() -> bool:
    """Run the full collection now if the automatic one is at least half-way due.

    Each frame leaves reference cycles behind: textual's Strip caches its own crop in itself, and
    the strips of a frame live until the next one, long enough to reach the oldest generation.
    At L, the full collection that then comes every ten or so round switches took 5-11 ms inside
    the key that triggered it (the 95th percentile of a switch: 37-44 ms). Called once a frame
    is out and the user reads, it takes that time where nobody waits. Does nothing while
    `paused_gc` holds the collector. Returns whether it collected.
    """
    if not gc.isenabled() or gc.get_count()[2] < max(1, gc.get_threshold()[2] // 2):
        return False
    gc.collect()
    return True


@contextlib.contextmanager
def pausing(pause: Callable[[], None]) -> Iterator[None]:
    """Have this thread call `pause()` now and then while it reads or analyses a catalog: between
    the pieces of a big file's decoding, before each round read from the events, before each
    round analysed. The dashboard's reading thread steps aside there while the UI thread is
    busy (tui/loading.py): both threads share one interpreter lock, so a key would otherwise be
    handled at half speed, or wait for long stretches of reading."""
    before = getattr(_thread, "pause", None)
    _thread.pause = pause
    try:
        yield
    finally:
        _thread.pause = before


def pause_point() -> Callable[[], None] | None:
    """The `pausing` callback of this thread, if any."""
    return getattr(_thread, "pause", None)
