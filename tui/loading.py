"""Reading the catalog off the UI thread, watching it, and putting what was read on screen.

A mixin of NegotrackApp (tui/app.py), whose messages (Loaded, Analysed, Remembered, Unclaimed)
these handlers receive; the first frame is drawn from the shown round's analysis, the whole
analysis follows.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.worker import Worker, WorkerState

from negotrack.store.analysis import Analysis, analyze, analyze_round
from negotrack.store.text import one_line
from negotrack.store.pauses import pause_point, paused_gc, pausing

from .session import Opening
from .view import Place, change_places
from .widgets.layout import widest_positions
from .widgets.panels import Banner

if TYPE_CHECKING:
    from negotrack.store.model import Catalog

    from .app import NegotrackApp

#: seconds after new data is installed before the heap is tidied (`_freeze_heap`)
FREEZE_DELAY = 0.1
#: at most this long, the whole analysis waits for the first frame drawn from one round's
FIRST_FRAME_WAIT = 2.0
#: The first frame is drawn from the shown round's analysis alone only up to this many cells
#: (rounds x demands x parties; L has 48,000): until the whole analysis arrives, a key that
#: shows another round or a cell's history computes it on the UI thread (54 ms at M, 0.4 s at L,
#: 4-10 s at XL's 600,000 cells, with no key handled meanwhile). Above it the worker analyses
#: every round before anything is shown, and keys wait for nothing.
FIRST_ROUND_CELLS = 100_000
#: The same after a save, up to this many cells (M has 10,000): the new value shows ~60 ms
#: sooner at M, and a key pressed before the whole analysis arrives computes it in ~50 ms. At
#: L a key would wait 0.4 s, after every save: there the new value waits for the whole analysis.
RELOAD_ROUND_CELLS = 20_000
#: `_freeze_heap` unfreezes and collects everything only for catalogs up to this many cells:
#: it walks every object on the UI thread, about 0.6 us each (L's catalog and analysis are
#: 256,000 objects, 0.15 s; XL's 3 million, 1.7 s); above, it collects and freezes what is not
#: frozen yet, which takes milliseconds. (`gc.get_freeze_count()` would walk them too.)
THOROUGH_FREEZE_CELLS = 100_000
#: seconds after the first frame before the help screen is composed ahead (`prepare_help_when_idle`):
#: after the reading thread has rendered its text, and after a catalog that reads in a moment
#: (M: 0.15-0.25 s) is on screen
HELP_DELAY = 0.5
#: a file bigger than this is read for a second or more (XL, 67 MB: 10 s): the help is composed
#: while it loads; a smaller one's catalog is shown first (at M, composing it just before the
#: catalog arrived delayed the filled matrix)
HELP_DURING_LOAD_BYTES = 8 << 20
#: seconds before trying again when a key was in the way, and how many times at most
HELP_RETRY = 0.1
HELP_TRIES = 50
#: at each pause point (a round read or analysed, a piece of a big file decoded: a few ms of
#: work at XL), the reading thread waits while the UI thread is busy, at most this long, so
#: that the load goes on (at no less than about a tenth of its speed) under a stream of keys
MAX_STEP_ASIDE = 0.05


#: where an event loop waits for something to do: the selector loops' select (Linux, macOS), the
#: proactor's poll (Windows)
_WAITS = {("selectors.py", "select"), ("windows_events.py", "_poll")}


def _ui_idle(frame) -> bool:  # noqa: ANN001 - a frame
    """True when the UI thread waits in its event loop (for a key, a timer, a message from a
    thread): it holds no GIL and wants none. A loop that polls with no timeout (`timeout=0`)
    has work ready and only looks for more between two of its callbacks: it is busy. Between
    the messages of one key (the palette's opening is dozens), the reader found it there 46
    times in one XL run and went on reading inside the key."""
    code = frame.f_code
    if (code.co_filename.rpartition("/")[2].rpartition("\\")[2], code.co_name) not in _WAITS:
        return False
    return frame.f_locals.get("timeout") != 0


def step_aside_for(ui_thread: int | None) -> Callable[[], None]:
    """The reading thread's pause (store.pauses.pausing): while the UI thread is busy, sleep a
    millisecond at a time, up to MAX_STEP_ASIDE, so that it has the interpreter to itself. With
    both threads running, each would get half of it, and a key's work would take twice as long.

    Busy: neither waiting in its event loop nor blocked elsewhere. A thread that ran not one
    bytecode while this one slept (the same frame at the same instruction) is blocked (an
    event loop this does not know, a lock), not busy: the reader goes on."""
    frames = sys._current_frames

    def pause() -> None:
        if ui_thread is None:
            return
        deadline, last = 0.0, None
        while (frame := frames().get(ui_thread)) is not None and not _ui_idle(frame):
            where = (frame, frame.f_lasti)
            if where == last:
                return
            last = where
            now = time.perf_counter()
            if not deadline:
                deadline = now + MAX_STEP_ASIDE
            elif now > deadline:
                return
            time.sleep(0.001)

    return pause


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _cells(catalog: Catalog) -> int:
    return len(catalog.rounds) * len(catalog.demands) * len(catalog.parties)


def read_catalog(path: str):  # noqa: ANN201 - store.catalog.read_catalog's triple
    """store.catalog.read_catalog, imported on the first reading: the reader (PyYAML, the event
    reader) is not imported before the dashboard's first frame, which does not need it."""
    from negotrack.store.catalog import read_catalog as read

    return read(path)


def warm_help(app) -> None:  # noqa: ANN001 - the NegotrackApp
    """Off the UI thread, at the start of the first load: import what the help needs (the
    screens whose keys it lists, 12 ms) and render its text for the present width (10 ms),
    so that a `?` pressed while a big catalog loads opens the help without doing either. It
    steps aside for a busy UI thread between its steps, as the reading does."""
    pause = pause_point() or (lambda: None)
    try:
        pause()
        from .screens.help import prerender_help

        prerender_help(app, pause)
    except Exception:  # noqa: BLE001 - a head start only: the help renders itself when opened
        app.help_ready = None


class Loading:
    """The reload worker, the file watcher, and the handlers of what they post."""

    #: the help's text rendered by the first load's worker (`warm_help`), for HelpScreen
    help_ready: tuple | None = None
    #: set once the first load's worker has tried to render it (help_ready is None if it failed)
    _help_tried: bool = False

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self) -> None:
        """Read, check and analyse the catalog off the UI thread."""
        # The collector stays paused from reading to freezing: the catalog and its analysis hold
        # no cycles, and each collection on the way walked everything built so far (at M,
        # this worker took 207 ms with it running, 158 ms without).
        with pausing(step_aside_for(getattr(self, "_thread_id", None))):
            self._reload()

    def _reload(self) -> None:
        if not self._help_tried:  # once: after a failure the help renders itself when opened
            warm_help(self)
            self._help_tried = True
        with paused_gc():
            catalog, problems, data = read_catalog(self.path)
            analysis = first = None
            limit = FIRST_ROUND_CELLS if self.analysis is None else RELOAD_ROUND_CELLS
            if catalog is not None and catalog.rounds and _cells(catalog) <= limit:
                # the shown round at once (5 ms at M, 23 at L), the whole analysis (54 and
                # 410 ms) once that frame is out
                first = analyze_round(catalog, self.state.round_index(catalog))
            elif catalog is not None:
                analysis = analyze(catalog)
            changes = change_places(analysis) if analysis is not None else []
            if catalog is not None:
                widest_positions(catalog)  # the columns' widths: measured here, not on the UI thread
                gc.freeze()  # cheap; the thorough version runs once the data is on screen (_freeze_heap)
        warnings = []
        if catalog is not None and any(s.archive for s in catalog.sources):
            from negotrack.store.quotes import check_quotes

            # the text already read places each warning on its line: no second read of the file
            warnings = check_quotes(catalog, data.decode("utf-8-sig", "replace") if data is not None else None)
        if first is not None:
            self._first_frame.clear()  # set by the frame that shows it (on_negotrack_app_loaded)
        self.post_message(self.Loaded(catalog, first or analysis, problems, changes, warnings))
        if first is not None:
            self._first_frame.wait(FIRST_FRAME_WAIT)  # drawn without this thread taking turns on the GIL
            with paused_gc():
                analysis = analyze(catalog)
                changes = change_places(analysis)
                gc.freeze()
            self.post_message(self.Analysed(analysis, changes))
        if catalog is None or self.session is None:
            return
        opening, warnings = None, []
        try:
            # the bytes read: a save made while they were parsed is then not recorded as this version
            opening, warnings = self.session.loaded(catalog, first=not self._opened, data=data)
        except Exception as exc:  # noqa: BLE001 - history must never stop the catalog from showing
            warnings = [f"history is unavailable this session: {type(exc).__name__}: {exc}"]
            self.session = None
        self._opened = True
        self.post_message(self.Remembered(opening, tuple(warnings)))

    def prepare_help_when_idle(self, tries: int = HELP_TRIES) -> None:
        """Compose the help screen (`prepare_help`) once nothing waits: HELP_DELAY after the
        first frame, when a big catalog is still being read (the first `?` of someone waiting
        for it then costs what a later one does) or a small one is on screen already (it is
        not delayed: a small file's catalog is waited for). Put off until the worker has rendered
        the help's text and while a key is on its way, at most HELP_TRIES times; given up while a screen covers the dashboard (the
        error list of a broken catalog may stay for long): `?` then composes it itself."""
        if not self.screen_stack or self.is_screen_installed("help") or self.screen is not self.screen_stack[0]:
            return
        small = self.analysis is None and _file_size(self.path) <= HELP_DURING_LOAD_BYTES
        if not self._help_tried or small or self._input_waiting():
            if tries > 1:
                self.set_timer(HELP_RETRY, partial(self.prepare_help_when_idle, tries - 1))
            return
        self.prepare_help()

    @work(thread=True, exclusive=True, group="unclaimed", exit_on_error=False)
    def analyse_without_claims(self, analysis: Analysis) -> None:
        with pausing(step_aside_for(getattr(self, "_thread_id", None))):
            unclaimed = analyze(analysis.catalog, claims=False)
            changes = change_places(unclaimed)
        self.post_message(self.Unclaimed(unclaimed, changes))

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def watch_catalog(self) -> None:
        """Reload on every save; the folder is watched because editors save by renaming."""
        from watchfiles import awatch

        target = Path(self.path)
        async for changes in awatch(target.parent, debounce=80, step=20, recursive=False):
            if any(Path(path) == target for _, path in changes):
                self.reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"{event.worker.name} failed: {type(error).__name__}: {one_line(str(error), 200)}",
                        title="negotrack", severity="error", timeout=10, markup=False)

    def on_negotrack_app_loaded(self, message: NegotrackApp.Loaded) -> None:
        from .screens.errors import ErrorScreen

        if not self.screen_stack:  # the user quit while the file was being read
            return
        self.problems = message.problems
        if message.analysis is None:
            if self.analysis is None:
                if isinstance(self.screen, ErrorScreen):
                    self.screen.show(self.path, self.problems)
                else:
                    self.push_screen(ErrorScreen(self.path, self.problems))
            else:
                self._show_banner()
            return
        if isinstance(self.screen, ErrorScreen):
            self.pop_screen()
        self._show_banner()
        if message.warnings and message.warnings != self.warnings:
            count = len(message.warnings)
            self.notify(f"{count} quote{'s' if count != 1 else ''} not found in the archived report{'s' if count != 1 else ''} "
                        "they cite; E lists them.", title="Quotes", severity="warning", timeout=10, markup=False)
        self.warnings = message.warnings
        self._install(message.analysis, message.changes)
        if message.analysis.complete:
            self.set_timer(FREEZE_DELAY, self._freeze_heap)  # after the frame with the new data
        else:
            self.call_after_refresh(self._first_frame.set)

    def on_negotrack_app_analysed(self, message: NegotrackApp.Analysed) -> None:
        if not self.screen_stack:  # the user quit meanwhile
            return
        if self.analysis is None or message.analysis.catalog is not self.analysis.catalog:
            return  # a reload came in meanwhile
        self.analysis = message.analysis
        self._all_changes = message.changes
        if self.state.claims:
            self._changes = message.changes
        self.refresh_view()
        self._update_detail()
        self.set_timer(FREEZE_DELAY, self._freeze_heap)

    def on_negotrack_app_unclaimed(self, message: NegotrackApp.Unclaimed) -> None:
        if self.analysis is None or message.analysis.catalog is not self.analysis.catalog:
            return  # a reload came in meanwhile; the next toggle asks again
        self._unclaimed = (message.analysis, message.changes)
        if not self.state.claims:
            self._changes = message.changes
            self.refresh_view()
            self._update_detail()

    def _freeze_heap(self) -> None:
        """Keep the cyclic collector from walking the catalog and its analysis, which live
        until the next reload and hold no cycles, on every full collection while the user
        browses (measured at L: round-switch p95 down about 40%). The loader freezes what
        it built at once, so no automatic collection walks it while it is put on screen; this
        runs after that frame and unfreezes first, so that what was frozen earlier (the last
        catalog, garbage) can be collected: 30-100 ms at 100 rounds the user does not wait for,
        but seconds at XL, where what was frozen stays so (THOROUGH_FREEZE_CELLS): the last
        catalog is freed by reference counting all the same, only cyclic garbage frozen with
        it (the UI's, made while the collector was paused for the reading) is kept."""
        catalog = self.catalog
        if catalog is None or _cells(catalog) <= THOROUGH_FREEZE_CELLS:
            gc.unfreeze()
        gc.collect()
        gc.freeze()

    def on_negotrack_app_remembered(self, message: NegotrackApp.Remembered) -> None:
        if not self.screen_stack:  # quitting
            self.history_ready = True
            return
        for warning in message.warnings:
            self.notify(one_line(warning, 300), title="history", severity="warning", timeout=10, markup=False)
        if message.opening is not None:
            self._opening(message.opening)
        self.history_ready = True

    def _opening(self, opening: Opening) -> None:
        view = opening.view
        self.whats_new, self.fresh, self._seen_at = opening.whats_new, opening.fresh, view.seen_at if view else None
        catalog = self.catalog
        if catalog is not None and view is not None and self.state == self._first_state:
            # the user has not moved yet: take them back to where they left off
            if view.round_id in [r.id for r in catalog.rounds]:
                self.state = self.state.at_round(catalog, catalog.round_index(view.round_id))
            self.refresh_view()
            self._select(view.demand_id, view.party_id)
        elif catalog is not None:
            self.refresh_view()
        if opening.fresh:
            count = len(opening.fresh)
            self.notify(f"{count} position{'s' if count != 1 else ''} changed since your last visit (★); w lists them.",
                        title="What's new", timeout=8, markup=False)

    def _show_banner(self) -> None:
        """The first error whole, where it is as `validate` says it (FILE:LINE:COL), and the count."""
        banner = self._dashboard(Banner)
        if banner is None:
            return
        if not self.problems:
            banner.display = False
            return
        first = self.problems[0]
        count = len(self.problems)
        text = Text("⚠ ", style="bold")
        text.append(f"{count} error{'s' if count != 1 else ''} in the saved file; showing the last good version.  ")
        text.append("E lists them all.", style="bold")
        text.append("\n")
        text.append(f"{one_line(os.path.basename(first.file))}:{first.line}:{first.column}: ", style="bold")
        text.append(one_line(first.message))
        banner.update(text)
        banner.display = True

    def _install(self, analysis: Analysis, changes: list[Place]) -> None:
        """Show a new analysis, keeping the round and cell the user was on (by id)."""
        self.analysis = analysis
        self._unclaimed = None
        self._all_changes = self._changes = changes
        self.state = self.state.fit(analysis.catalog)
        if not self.state.claims:
            self.analyse_without_claims(analysis)
        self.refresh_view()
        self._select(self.state.demand_id, self.state.party_id)
        if self._first_state is None:
            self._first_state = self.state

