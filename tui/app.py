"""The negotrack dashboard: the matrix of positions for one round at a time.

Where the user is lives in one immutable `ViewState` (tui/state.py); the actions (tui/actions.py)
turn keys into its transitions, and this module loads the catalog and renders the state.
"""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

# Importing textual and the app builds long-lived objects by the hundred thousand, and the cyclic
# collector walked them again and again on the way. It is paused while they are imported, and
# they are frozen out of its way after, as a loaded catalog is (`_freeze_heap`): interleaved,
# 24 ms sooner to the first frame and to the filled matrix at M (361 -> 337, 686 -> 662 ms).
_collecting = gc.isenabled()
gc.disable()

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, ScreenStackError
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from negotrack.store.analysis import Analysis, Shift, analyze, analyze_round
from negotrack.store.changes import Change
from negotrack.store.catalog import load_catalog
from negotrack.store.model import Catalog, Demand, Party
from negotrack.store.problems import Problem
from negotrack.store.text import one_line
from negotrack.store.yamlread import paused_gc

from . import prefs
from .actions import Actions, Selection
from .crash import crash_report
from .present import edit_history_lines, legend
from .session import Opening, Session
from .state import ViewState
from .view import Place, change_places, visible
from .widgets.matrix import Matrix, MatrixView
from .widgets.panels import Banner, DetailPane, RoundHeader

gc.freeze()
if _collecting:
    gc.enable()

#: below this width the detail pane stacks under the matrix instead of beside it
NARROW = 110
#: seconds after a round is shown before the rounds either side are prepared (after its frame)
PREFETCH_DELAY = 0.03
#: seconds after new data is installed before the heap is tidied (`_freeze_heap`)
FREEZE_DELAY = 0.1
#: at most this long, the whole analysis waits for the first frame drawn from one round's
FIRST_FRAME_WAIT = 2.0


class NegotrackApp(Actions, App[int]):
    """Shows a catalog round by round; reloads it when the file changes."""

    CSS_PATH = "negotrack.tcss"
    TITLE = "negotrack"
    AUTO_FOCUS = "#matrix"

    # The footer shows a few keys with a short description, to fit 80 columns; the help screen
    # and the palette show every key, with the longer description in the tooltip where the
    # footer's is short.
    BINDINGS = [
        Binding("right_square_bracket", "round(1)", "Next", key_display="]", tooltip="Next round"),
        Binding("left_square_bracket", "round(-1)", "Prev", key_display="[", tooltip="Previous round"),
        Binding("greater_than_sign", "round(1)", "Next round", show=False),
        Binding("less_than_sign", "round(-1)", "Prev round", show=False),
        # priority: no widget's Home/End may take these from the rounds (check_action keeps them
        # for the filter's caret and away from the screens on top)
        Binding("home", "first_round", "First round", show=False, priority=True),
        Binding("end", "last_round", "Last round", show=False, priority=True),
        Binding("n", "next_change(1)", "Change", tooltip="Next changed cell, across rounds"),
        Binding("N", "next_change(-1)", "Prev change", show=False),
        Binding("c", "toggle_changed", "Changed only", show=False),
        Binding("a", "toggle_claims", "Claims", show=False),
        Binding("t", "timeline", "Timeline"),
        Binding("r", "round_account", "Round account", show=False),
        Binding("d", "toggle_detail", "Detail"),
        Binding("z", "zoom", "Zoom", show=False),
        Binding("plus", "widen(1)", "Widen column", key_display="+", show=False),
        Binding("minus", "widen(-1)", "Narrow column", key_display="-", show=False),
        Binding("b", "toggle_baseline", "Baseline", show=False),
        Binding("x", "compare", "Compare", show=False),
        Binding("s", "sources", "Sources", show=False),
        Binding("slash", "filter", "Filter", key_display="/", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("E", "errors", "Errors", show=False),
        Binding("w", "whats_new", "What's new", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    class Loaded(Message):
        """A (re)load finished: the catalog and its analysis, or the problems that stopped it."""

        def __init__(self, catalog: Catalog | None, analysis: Analysis | None, problems: list[Problem],
                     changes: list[Place] | None = None, warnings: list[Problem] | None = None) -> None:
            super().__init__()
            self.catalog = catalog
            self.analysis = analysis
            self.problems = problems
            #: every changed cell, for `n` and `N`
            self.changes = changes or []
            #: quotes that are not in the archived report they cite (`validate --quotes`)
            self.warnings = warnings or []

    class Analysed(Message):
        """The whole analysis, on the first load: the first frame was drawn from the shown
        round's alone (`analyze_round`)."""

        def __init__(self, analysis: Analysis, changes: list[Place]) -> None:
            super().__init__()
            self.analysis = analysis
            self.changes = changes

    class Remembered(Message):
        """The history has recorded the new version (after it is on screen, so big files show
        at once); on the first load it also says where the user was and what is new."""

        def __init__(self, opening: Opening | None, warnings: tuple[str, ...]) -> None:
            super().__init__()
            self.opening = opening
            self.warnings = warnings

    class Unclaimed(Message):
        """The analysis without claims is ready (computed the first time `a` hides them)."""

        def __init__(self, analysis: Analysis, changes: list[Place]) -> None:
            super().__init__()
            self.analysis = analysis
            self.changes = changes

    def __init__(self, path: str, db_path: str | None = None, history: bool = True, watch: bool = True) -> None:
        super().__init__()
        self.path = os.path.abspath(path)
        self.db_path = db_path
        self.history_enabled = history
        self.watch_enabled = watch
        #: the analysis with claims counted, and (once asked for) the one without
        self.analysis: Analysis | None = None
        self._unclaimed: tuple[Analysis, list[Place]] | None = None
        self.problems: list[Problem] = []
        #: warnings about the loaded catalog (quotes not in their archived report)
        self.warnings: list[Problem] = []
        self.state = ViewState(widths=prefs.load_widths(self.path))
        #: the changed cells `n` visits: of the analysis with claims, and of the one shown
        self._all_changes: list[Place] = []
        self._changes: list[Place] = []
        self.session = Session(self.path, db_path) if history else None
        self._opened = False
        #: what changed since the last visit, from the history (empty without it)
        self.whats_new: tuple[Change, ...] = ()
        self.fresh: frozenset[tuple[str, str, str]] = frozenset()
        self._seen_at: str | None = None
        self._save_timer: Timer | None = None
        self._prefetch_timer: Timer | None = None
        self._first_state: ViewState | None = None
        #: set once the first frame with data is out (the whole analysis waits for it)
        self._first_frame = threading.Event()
        #: None: the detail pane follows the window's width; True/False: the user chose (`d`)
        self.detail_wanted: bool | None = None
        #: set once the history has recorded the first load (tests and benchmarks wait on it)
        self.history_ready = False
        theme = prefs.load_theme()
        if theme and theme in self.available_themes:
            self.theme = theme

    # -- the state, as the rest of the app and the tests read it ---------------------------

    @property
    def round_index(self) -> int:
        catalog = self.catalog
        return self.state.round_index(catalog) if catalog is not None else 0

    @property
    def baseline(self) -> str | None:
        return self.state.baseline

    @property
    def selection(self) -> Selection:
        return Selection(self.state.round_id, self.state.demand_id, self.state.party_id)

    @property
    def catalog(self) -> Catalog | None:
        return self.analysis.catalog if self.analysis is not None else None

    @property
    def shown_analysis(self) -> Analysis | None:
        """The analysis the screen shows: with claims, or without them when `a` hid them."""
        if not self.state.claims and self._unclaimed is not None:
            return self._unclaimed[0]
        return self.analysis

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield RoundHeader(id="round-header")
        yield Banner(id="banner")
        with Horizontal(id="body"):
            yield Matrix(id="matrix")
            yield DetailPane(id="detail")
        yield Input(placeholder="filter: demands, parties, stances, notes, quotes, sources (Enter keeps, Esc clears)", id="filter")
        yield Static(legend(compact=True), id="legend")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"negotrack — {Path(self.path).name}"
        self.query_one(RoundHeader).loading(self.path)
        # read once the first frame is out: started now, the reading thread and the screen's
        # start-up take turns on the GIL and both finish late
        self.call_after_refresh(self.reload)
        if self.watch_enabled:
            self.watch_catalog()

    def on_resize(self, event: events.Resize) -> None:
        # the event's size: the app's own is still the old one here. The matrix and the
        # header follow their own new sizes (their on_resize).
        narrow = event.size.width < NARROW
        self.screen_stack[0].set_class(narrow, "-narrow")
        self._place_detail(narrow)

    def _place_detail(self, narrow: bool | None = None) -> None:
        """The detail pane shows beside a wide matrix, and under a narrow one only when asked."""
        if narrow is None:
            narrow = self.size.width < NARROW
        wanted = self.detail_wanted if self.detail_wanted is not None else not narrow
        try:
            self.screen_stack[0].query_one(DetailPane).display = wanted
        except (NoMatches, IndexError):
            pass

    def watch_theme(self, theme: str) -> None:
        if self.is_running:
            prefs.save_theme(theme)

    # -- loading and watching ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self) -> None:
        """Read, check and analyse the catalog off the UI thread."""
        # The collector stays paused from reading to freezing: the catalog and its analysis hold
        # no cycles, and each collection on the way walked everything built so far (at M,
        # this worker took 207 ms with it running, 158 ms without).
        with paused_gc():
            catalog, problems = load_catalog(self.path)
            analysis = first = None
            if catalog is not None and catalog.rounds and self.analysis is None:
                # the first load: the shown round at once (5 ms at M, 23 at L), the whole
                # analysis (54 and 410 ms) once that frame is out
                first = analyze_round(catalog, self.state.round_index(catalog))
            elif catalog is not None:
                analysis = analyze(catalog)
            changes = change_places(analysis) if analysis is not None else []
            if catalog is not None:
                gc.freeze()  # cheap; the thorough version runs once the data is on screen (_freeze_heap)
        warnings = []
        if catalog is not None and any(s.archive for s in catalog.sources):
            from negotrack.store.quotes import check_quotes

            warnings = check_quotes(catalog)
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
            opening, warnings = self.session.loaded(catalog, first=not self._opened)
        except Exception as exc:  # noqa: BLE001 - history must never stop the catalog from showing
            warnings = [f"history is unavailable this session: {type(exc).__name__}: {exc}"]
            self.session = None
        self._opened = True
        self.post_message(self.Remembered(opening, tuple(warnings)))

    @work(thread=True, exclusive=True, group="unclaimed", exit_on_error=False)
    def analyse_without_claims(self, analysis: Analysis) -> None:
        unclaimed = analyze(analysis.catalog, claims=False)
        self.post_message(self.Unclaimed(unclaimed, change_places(unclaimed)))

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

    def on_negotrack_app_loaded(self, message: Loaded) -> None:
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

    def on_negotrack_app_analysed(self, message: Analysed) -> None:
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

    def on_negotrack_app_unclaimed(self, message: Unclaimed) -> None:
        if self.analysis is None or message.analysis.catalog is not self.analysis.catalog:
            return  # a reload came in meanwhile; the next toggle asks again
        self._unclaimed = (message.analysis, message.changes)
        if not self.state.claims:
            self._changes = message.changes
            self.refresh_view()
            self._update_detail()

    @staticmethod
    def _freeze_heap() -> None:
        """Keep the cyclic collector from walking the catalog and its analysis, which live
        until the next reload and hold no cycles, on every full collection while the user
        browses (measured at L: round-switch p95 down about 40%). The loader freezes what
        it built at once, so no automatic collection walks it while it is put on screen; this
        runs after that frame and unfreezes first, so that what was frozen earlier (the last
        catalog, garbage) can be collected: 30-100 ms at 100 rounds the user does not wait for."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def on_negotrack_app_remembered(self, message: Remembered) -> None:
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
        banner = self.query_one(Banner)
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

    # -- what the screen shows -----------------------------------------------------------------

    def current_round_id(self) -> str | None:
        catalog = self.catalog
        if catalog is None or not catalog.rounds:
            return None
        return catalog.rounds[self.round_index].id

    def _visible(self) -> tuple[tuple[Demand, ...], tuple[Party, ...]]:
        assert self.catalog is not None
        return visible(self.catalog, self.state.filter_text)

    def shifts(self, rid: str | None = None) -> dict[tuple[str, str], Shift | None]:
        """Shifts of a round (the current one by default) against the previous report, or
        against the baseline."""
        analysis, rid = self.shown_analysis, rid or self.current_round_id()
        assert analysis is not None and rid is not None
        baseline = self.state.baseline
        if baseline is not None and baseline != rid:
            return analysis.compare(baseline, rid)
        return {(p.id, d.id): analysis.cell(rid, p.id, d.id).shift
                for d in analysis.catalog.demands for p in analysis.catalog.parties}

    def matrix_view(self, index: int) -> MatrixView:
        """What the matrix shows for round `index` under the current filter, baseline and marks."""
        analysis = self.shown_analysis
        assert analysis is not None
        rid = analysis.catalog.rounds[index].id
        demands, parties = self._visible()
        shifts = self.shifts(rid)
        if self.state.changed_only:
            demands = tuple(d for d in demands if any(
                (s := shifts.get((p.id, d.id))) is not None and s.changed for p in parties))
        fresh = frozenset((p, d) for r, p, d in self.fresh if r == rid)
        basis = self.state.baseline if self.state.baseline != rid else None
        return MatrixView(analysis, rid, shifts, demands, parties, fresh, basis, self.state.widths)

    def marks(self) -> tuple[str, ...]:
        """The modes the header reminds the user of."""
        marks = []
        if self.state.changed_only:
            marks.append("changed only")
        if not self.state.claims:
            marks.append("claims hidden")
        if self.state.filter_text.strip():
            marks.append(f"filter: {one_line(self.state.filter_text.strip(), 20)}")
        return tuple(marks)

    def refresh_view(self) -> None:
        analysis, rid = self.shown_analysis, self.current_round_id()
        if analysis is None:
            return
        try:
            header, matrix = self.screen_stack[0].query_one(RoundHeader), self.screen_stack[0].query_one(Matrix)
        except (NoMatches, IndexError):
            return
        if rid is None:
            header.update(Text("This catalog has no rounds yet: add one under `rounds:`.", style="bold"))
            return
        selected = matrix.selected()
        header.show(analysis.catalog, self.round_index, self.state.baseline, self.marks())
        matrix.show(self.matrix_view(self.round_index))
        matrix.select(*selected)
        # once this frame is out, draw the rounds either side while the user reads
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
        self._prefetch_timer = self.set_timer(PREFETCH_DELAY, self._prefetch)

    def _prefetch(self) -> None:
        self._prefetch_timer = None
        catalog = self.catalog
        try:
            matrix = self.query_one(Matrix)
        except (NoMatches, ScreenStackError):  # another screen is on top, or the app is closing
            return
        if catalog is None or not self.shown_analysis.complete:
            return  # the rounds either side come with the whole analysis (Analysed)
        for index in (self.round_index - 1, self.round_index + 1):
            if 0 <= index < len(catalog.rounds):
                matrix.prepare(self.matrix_view(index))

    @on(Matrix.CellHighlighted, "#matrix")
    def _cell_highlighted(self) -> None:
        try:
            self._update_detail()
        except (NoMatches, ScreenStackError):  # a highlight that arrives while the app shuts down
            pass

    def _select(self, demand_id: str | None, party_id: str | None) -> None:
        self.screen_stack[0].query_one(Matrix).select(demand_id, party_id)
        self._update_detail()

    def _update_detail(self, after_frame: bool = False) -> None:
        """Note where the user is and show the selected cell in the detail pane; with
        `after_frame`, the pane is drawn once the frame with the new matrix is out (a round
        switch: the matrix first, the pane one frame later)."""
        analysis, rid = self.shown_analysis, self.current_round_id()
        if analysis is None or rid is None:
            return
        demand_id, party_id = self.screen_stack[0].query_one(Matrix).selected()
        self.state = self.state.select(demand_id, party_id)
        if after_frame:
            self.call_after_refresh(self._show_detail)
        else:
            self._show_detail()
        self._schedule_save()

    def _show_detail(self) -> None:
        analysis, state = self.shown_analysis, self.state
        if analysis is None or state.round_id != self.current_round_id():
            return  # moved on since this was scheduled: a newer call shows the right cell
        if not analysis.complete:
            return  # the cell's history needs every round: shown with the whole analysis (Analysed)
        try:
            detail, matrix = self.screen_stack[0].query_one(DetailPane), self.screen_stack[0].query_one(Matrix)
        except (NoMatches, IndexError):  # the app is closing
            return
        if detail.display:
            demand_id, party_id = matrix.selected()
            basis = state.basis()
            shift = self.shifts().get((party_id, demand_id)) if basis and party_id else False
            detail.show(analysis, state.round_id, demand_id, party_id, basis=basis, shift=shift)
            if self.session is not None and demand_id and party_id:
                self.load_cell_history(state.round_id, party_id, demand_id)

    @work(thread=True, exclusive=True, group="cell-history", exit_on_error=False)
    def load_cell_history(self, round_id: str, party_id: str, demand_id: str) -> None:
        if self.session is None:
            return
        versions = self.session.cell_history(round_id, party_id, demand_id)
        self.call_from_thread(self._show_cell_history, (round_id, party_id, demand_id), versions)

    def _show_cell_history(self, key: tuple[str, str, str], versions: list) -> None:
        analysis, state = self.shown_analysis, self.state
        if analysis is None or key != (state.round_id, state.party_id, state.demand_id):
            return  # the user has moved on
        basis = state.basis()
        shift = self.shifts().get((key[1], key[2])) if basis else False
        self.screen_stack[0].query_one(DetailPane).show(analysis, key[0], key[2], key[1], extra=edit_history_lines(versions),
                                                        basis=basis, shift=shift)

    def _schedule_save(self) -> None:
        """Remember where the user is, at most once a second and never on the UI thread."""
        if self.session is None:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(1.0, self.save_view)

    @work(thread=True, exclusive=True, group="save-view", exit_on_error=False)
    def save_view(self) -> None:
        if self.session is not None:
            selection = self.selection
            self.session.save_view(selection.round_id, selection.demand_id, selection.party_id)

    def on_unmount(self) -> None:
        self._first_frame.set()  # a worker waiting for a first frame that will not come stops waiting
        if self.session is not None:
            selection = self.selection
            try:
                self.session.save_view(selection.round_id, selection.demand_id, selection.party_id)
            except Exception:  # noqa: BLE001 - leaving: a failed save must not turn into a traceback
                pass
            self.session.close()

    def get_system_commands(self, screen: Screen):  # noqa: ANN201 - an iterable of SystemCommand
        from .palette import system_commands

        yield from super().get_system_commands(screen)
        yield from system_commands(self)

    # -- never a traceback for the user ----------------------------------------------------------

    def _fatal_error(self) -> None:
        if os.environ.get("NEGOTRACK_DEBUG") or "PYTEST_CURRENT_TEST" in os.environ:
            super()._fatal_error()
            return
        self._exit_renderables.append(crash_report(self._exception))
        self._close_messages_no_wait()
