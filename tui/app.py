"""The negotrack dashboard: the matrix of positions for one round at a time."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from negotrack.store.analysis import Analysis, Shift, analyze
from negotrack.store.changes import Change
from negotrack.store.catalog import load_catalog
from negotrack.store.model import Catalog, Demand, Party
from negotrack.store.problems import Problem
from negotrack.store.text import one_line

from .crash import crash_report
from .editor import open_editor
from .present import edit_history_lines, legend
from .session import Opening, Session
from .view import Place, change_places, next_change, visible
from .widgets.matrix import Matrix, MatrixView
from .widgets.panels import Banner, DetailPane, RoundHeader

#: below this width the detail pane stacks under the matrix instead of beside it
NARROW = 110
#: seconds after a round is shown before the rounds either side are prepared (after its frame)
PREFETCH_DELAY = 0.03
#: seconds after new data is installed before the heap is tidied (`_freeze_heap`)
FREEZE_DELAY = 0.1


@dataclass(frozen=True)
class Selection:
    """Where the user is, by id, so that it survives reloads, filters and round changes."""

    round_id: str | None = None
    demand_id: str | None = None
    party_id: str | None = None


class NegotrackApp(App[int]):
    """Shows a catalog round by round; reloads it when the file changes."""

    CSS_PATH = "negotrack.tcss"
    TITLE = "negotrack"
    AUTO_FOCUS = "#matrix"

    BINDINGS = [
        Binding("right_square_bracket", "round(1)", "Next round", key_display="]"),
        Binding("left_square_bracket", "round(-1)", "Prev round", key_display="["),
        Binding("greater_than_sign", "round(1)", "Next round", show=False),
        Binding("less_than_sign", "round(-1)", "Prev round", show=False),
        # priority: no widget's Home/End may take these from the rounds (except the filter's, see check_action)
        Binding("home", "first_round", "First round", show=False, priority=True),
        Binding("end", "last_round", "Last round", show=False, priority=True),
        Binding("n", "next_change(1)", "Next change"),
        Binding("N", "next_change(-1)", "Prev change", show=False),
        Binding("c", "toggle_changed", "Changed only"),
        Binding("t", "timeline", "Timeline"),
        Binding("d", "toggle_detail", "Detail"),
        Binding("b", "toggle_baseline", "Baseline"),
        Binding("x", "compare", "Compare", show=False),
        Binding("s", "sources", "Sources", show=False),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("e", "edit", "Edit", show=False),
        Binding("E", "errors", "Errors", show=False),
        Binding("w", "whats_new", "What's new", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    class Loaded(Message):
        """A (re)load finished: the catalog and its analysis, or the problems that stopped it."""

        def __init__(self, catalog: Catalog | None, analysis: Analysis | None, problems: list[Problem],
                     changes: list[Place] | None = None) -> None:
            super().__init__()
            self.catalog = catalog
            self.analysis = analysis
            self.problems = problems
            #: every changed cell, for `n` and `N`
            self.changes = changes or []

    class Remembered(Message):
        """The history has recorded the new version (after it is on screen, so big files show
        at once); on the first load it also says where the user was and what is new."""

        def __init__(self, opening: Opening | None, warnings: tuple[str, ...]) -> None:
            super().__init__()
            self.opening = opening
            self.warnings = warnings

    def __init__(self, path: str, db_path: str | None = None, history: bool = True, watch: bool = True) -> None:
        super().__init__()
        self.path = os.path.abspath(path)
        self.db_path = db_path
        self.history_enabled = history
        self.watch_enabled = watch
        self.analysis: Analysis | None = None
        self.problems: list[Problem] = []
        self.round_index = 0
        self.baseline: str | None = None
        self.filter_text = ""
        self.changed_only = False
        self.selection = Selection()
        self._changes: list[tuple[int, int, int]] = []
        self.session = Session(self.path, db_path) if history else None
        self._opened = False
        #: what changed since the last visit, from the history (empty without it)
        self.whats_new: tuple[Change, ...] = ()
        self.fresh: frozenset[tuple[str, str, str]] = frozenset()
        self._seen_at: str | None = None
        self._save_timer: Timer | None = None
        self._prefetch_timer: Timer | None = None
        self._first_selection: Selection | None = None
        #: set once the history has recorded the first load (tests and benchmarks wait on it)
        self.history_ready = False

    # -- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield RoundHeader(id="round-header")
        yield Banner(id="banner")
        with Horizontal(id="body"):
            yield Matrix(id="matrix")
            yield DetailPane(id="detail")
        yield Input(placeholder="filter demands and parties (Enter keeps, Esc clears)", id="filter")
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
        self.screen.set_class(event.size.width < NARROW, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Home and End are priority bindings for rounds, but in the filter they move the caret
        if action in ("first_round", "last_round") and isinstance(self.focused, Input):
            return False
        return True

    @property
    def catalog(self) -> Catalog | None:
        return self.analysis.catalog if self.analysis is not None else None

    # -- loading and watching ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self) -> None:
        """Read, check and analyse the catalog off the UI thread."""
        catalog, problems = load_catalog(self.path)
        analysis = analyze(catalog) if catalog is not None else None
        changes = change_places(analysis) if analysis is not None else []
        if analysis is not None:
            gc.freeze()  # cheap; the thorough version runs once the data is on screen (_freeze_heap)
        self.post_message(self.Loaded(catalog, analysis, problems, changes))
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
        self._install(message.analysis, message.changes)
        self.set_timer(FREEZE_DELAY, self._freeze_heap)  # after the frame with the new data

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
        if catalog is not None and view is not None and self.selection == self._first_selection:
            # the user has not moved yet: take them back to where they left off
            if view.round_id in [r.id for r in catalog.rounds]:
                self.round_index = catalog.round_index(view.round_id)
            self.refresh_view()
            self.query_one(Matrix).select(view.demand_id, view.party_id)
            self._update_detail()
        elif catalog is not None:
            self.refresh_view()
        if opening.fresh:
            count = len(opening.fresh)
            self.notify(f"{count} position{'s' if count != 1 else ''} changed since your last visit (★); w lists them.",
                        title="What's new", timeout=8, markup=False)

    def _show_banner(self) -> None:
        banner = self.query_one(Banner)
        if not self.problems:
            banner.display = False
            return
        first = self.problems[0]
        count = len(self.problems)
        text = Text("⚠ ", style="bold")
        text.append(f"{count} error{'s' if count != 1 else ''} in the saved file; showing the last good version. ")
        text.append(f"line {first.line}: {one_line(first.message, 120)}")
        text.append("  (E: all errors)", style="bold")
        banner.update(text)
        banner.display = True

    def _install(self, analysis: Analysis, changes: list[Place]) -> None:
        """Show a new analysis, keeping the round and cell the user was on (by id)."""
        previous = self.selection
        self.analysis = analysis
        catalog = analysis.catalog
        ids = [r.id for r in catalog.rounds]
        if previous.round_id in ids:
            self.round_index = ids.index(previous.round_id)
        elif previous.round_id is None:
            self.round_index = max(len(ids) - 1, 0)
        else:
            self.round_index = min(self.round_index, max(len(ids) - 1, 0))
        if self.baseline not in ids:
            self.baseline = None
        self._changes = changes
        self.refresh_view()
        self.query_one(Matrix).select(previous.demand_id, previous.party_id)
        self._update_detail()
        if self._first_selection is None:
            self._first_selection = self.selection

    # -- what the screen shows -----------------------------------------------------------------

    def current_round_id(self) -> str | None:
        catalog = self.catalog
        if catalog is None or not catalog.rounds:
            return None
        return catalog.rounds[self.round_index].id

    def _visible(self) -> tuple[tuple[Demand, ...], tuple[Party, ...]]:
        assert self.catalog is not None
        return visible(self.catalog, self.filter_text)

    def shifts(self, rid: str | None = None) -> dict[tuple[str, str], Shift | None]:
        """Shifts of a round (the current one by default) against the previous report, or
        against the baseline."""
        analysis, rid = self.analysis, rid or self.current_round_id()
        assert analysis is not None and rid is not None
        if self.baseline is not None and self.baseline != rid:
            return analysis.compare(self.baseline, rid)
        return {(p.id, d.id): analysis.cell(rid, p.id, d.id).shift
                for d in analysis.catalog.demands for p in analysis.catalog.parties}

    def matrix_view(self, index: int) -> MatrixView:
        """What the matrix shows for round `index` under the current filter, baseline and marks."""
        analysis = self.analysis
        assert analysis is not None
        rid = analysis.catalog.rounds[index].id
        demands, parties = self._visible()
        shifts = self.shifts(rid)
        if self.changed_only:
            demands = tuple(d for d in demands if any(
                (s := shifts.get((p.id, d.id))) is not None and s.changed for p in parties))
        fresh = frozenset((p, d) for r, p, d in self.fresh if r == rid)
        basis = self.baseline if self.baseline != rid else None
        return MatrixView(analysis, rid, shifts, demands, parties, fresh, basis)

    def refresh_view(self) -> None:
        analysis, rid = self.analysis, self.current_round_id()
        if analysis is None:
            return
        header, matrix = self.query_one(RoundHeader), self.query_one(Matrix)
        if rid is None:
            header.update(Text("This catalog has no rounds yet: add one under `rounds:`.", style="bold"))
            return
        selected = matrix.selected()
        header.show(analysis.catalog, self.round_index, self.baseline)
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
        if catalog is None:
            return
        for index in (self.round_index - 1, self.round_index + 1):
            if 0 <= index < len(catalog.rounds):
                matrix.prepare(self.matrix_view(index))

    @on(Matrix.CellHighlighted, "#matrix")
    def _cell_highlighted(self) -> None:
        try:
            self._update_detail()
        except (NoMatches, ScreenStackError):  # a highlight that arrives while the app shuts down
            pass

    def _update_detail(self, after_frame: bool = False) -> None:
        """Note where the user is and show the selected cell in the detail pane; with
        `after_frame`, the pane is drawn once the frame with the new matrix is out (a round
        switch: the matrix first, the pane one frame later)."""
        analysis, rid = self.analysis, self.current_round_id()
        if analysis is None or rid is None:
            return
        demand_id, party_id = self.query_one(Matrix).selected()
        self.selection = Selection(rid, demand_id or self.selection.demand_id, party_id)
        if after_frame:
            self.call_after_refresh(self._show_detail)
        else:
            self._show_detail()
        self._schedule_save()

    def _show_detail(self) -> None:
        analysis, selection = self.analysis, self.selection
        if analysis is None or selection.round_id != self.current_round_id():
            return  # moved on since this was scheduled: a newer call shows the right cell
        try:
            detail, matrix = self.query_one(DetailPane), self.query_one(Matrix)
        except (NoMatches, ScreenStackError):  # another screen is on top, or the app is closing
            return
        if detail.display:
            demand_id, party_id = matrix.selected()
            detail.show(analysis, selection.round_id, demand_id, party_id)
            if self.session is not None and demand_id and party_id:
                self.load_cell_history(selection.round_id, party_id, demand_id)

    @work(thread=True, exclusive=True, group="cell-history", exit_on_error=False)
    def load_cell_history(self, round_id: str, party_id: str, demand_id: str) -> None:
        if self.session is None:
            return
        versions = self.session.cell_history(round_id, party_id, demand_id)
        self.call_from_thread(self._show_cell_history, (round_id, party_id, demand_id), versions)

    def _show_cell_history(self, key: tuple[str, str, str], versions: list) -> None:
        analysis = self.analysis
        if analysis is None or key != (self.selection.round_id, self.selection.party_id, self.selection.demand_id):
            return  # the user has moved on
        self.query_one(DetailPane).show(analysis, key[0], key[2], key[1], extra=edit_history_lines(versions))

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
        if self.session is not None:
            selection = self.selection
            try:
                self.session.save_view(selection.round_id, selection.demand_id, selection.party_id)
            except Exception:  # noqa: BLE001 - leaving: a failed save must not turn into a traceback
                pass
            self.session.close()

    # -- actions ------------------------------------------------------------------------

    def _go_to_round(self, index: int) -> None:
        catalog = self.catalog
        if catalog is None or not catalog.rounds:
            return
        index = max(0, min(index, len(catalog.rounds) - 1))
        if index == self.round_index:
            self.bell()
            return
        self.round_index = index
        self.refresh_view()
        self._update_detail(after_frame=True)

    def action_round(self, delta: int) -> None:
        self._go_to_round(self.round_index + delta)

    def action_first_round(self) -> None:
        self._go_to_round(0)

    def action_last_round(self) -> None:
        self._go_to_round(len(self.catalog.rounds) - 1 if self.catalog else 0)

    def action_next_change(self, direction: int) -> None:
        if self.analysis is None or not self._changes:
            self.notify("No changes in this catalog.", markup=False)
            return
        matrix = self.query_one(Matrix)
        demand_id, party_id = matrix.selected()
        catalog = self.analysis.catalog
        rows = [d.id for d in catalog.demands]
        cols = [p.id for p in catalog.parties]
        here = (self.round_index, rows.index(demand_id) if demand_id else -1,
                cols.index(party_id) if party_id else (-1 if direction > 0 else len(cols)))
        visible_d, visible_p = (set(x.id for x in v) for v in self._visible())
        candidates = [c for c in self._changes if rows[c[1]] in visible_d and cols[c[2]] in visible_p]
        target = next_change(candidates, here, direction)
        if target is None:
            self.notify("No more changes " + ("after" if direction > 0 else "before") + " this cell.", markup=False)
            return
        if target[0] != self.round_index:
            self.round_index = target[0]
            self.refresh_view()
        matrix.select(rows[target[1]], cols[target[2]])
        self._update_detail()

    def action_toggle_changed(self) -> None:
        self.changed_only = not self.changed_only
        self.notify("Showing changed demands only." if self.changed_only else "Showing every demand.", markup=False)
        self.refresh_view()

    def action_toggle_detail(self) -> None:
        detail = self.query_one(DetailPane)
        detail.display = not detail.display
        self._update_detail()

    def action_toggle_baseline(self) -> None:
        rid = self.current_round_id()
        if rid is None:
            return
        self.baseline = None if self.baseline is not None else rid
        self.notify(f"Baseline pinned: {rid}." if self.baseline else "Baseline cleared: comparing with the previous report.", markup=False)
        self.refresh_view()

    def set_comparison(self, base_id: str, round_id: str) -> None:
        """Compare `round_id` against `base_id` (used by the compare dialog)."""
        assert self.catalog is not None
        self.baseline = base_id
        self.round_index = self.catalog.round_index(round_id)
        self.refresh_view()
        self._update_detail()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.refresh_view()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(Matrix).focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.query_one(Matrix).focus()

    def action_timeline(self) -> None:
        from .screens.timeline import TimelineScreen

        demand_id, _ = self.query_one(Matrix).selected()
        if self.analysis is not None and demand_id is not None:
            self.push_screen(TimelineScreen(self.analysis, demand_id, self.current_round_id()))

    def action_sources(self) -> None:
        from .screens.sources import SourcesScreen

        if self.analysis is not None:
            self.push_screen(SourcesScreen(self.analysis.catalog))

    def action_compare(self) -> None:
        from .screens.compare import CompareScreen

        if self.catalog is not None and len(self.catalog.rounds) > 1:
            self.push_screen(CompareScreen(self.catalog, self.baseline, self.current_round_id()))

    def action_errors(self) -> None:
        from .screens.errors import ErrorScreen

        if self.problems:
            self.push_screen(ErrorScreen(self.path, self.problems, dismissable=True))

    def action_whats_new(self) -> None:
        from .screens.whats_new import WhatsNewScreen

        def jump(target: tuple[str, str, str] | None) -> None:
            if target is not None and self.catalog is not None:
                round_id, party_id, demand_id = target
                if round_id in [r.id for r in self.catalog.rounds]:
                    self.round_index = self.catalog.round_index(round_id)
                    self.refresh_view()
                    # after the dialog has gone and the table has its focus back
                    self.call_after_refresh(self._select, demand_id, party_id)

        if self.session is None:
            self.notify("History is off (--no-history): nothing to compare with.", markup=False)
            return
        self.push_screen(WhatsNewScreen(self.whats_new, self._seen_at), jump)

    def _select(self, demand_id: str, party_id: str) -> None:
        self.query_one(Matrix).select(demand_id, party_id)
        self._update_detail()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_edit(self) -> None:
        line = 1
        analysis, rid = self.analysis, self.current_round_id()
        demand_id, party_id = self.query_one(Matrix).selected()
        if analysis is not None and rid and demand_id:
            if party_id:
                position = analysis.cell(rid, party_id, demand_id).position
                line = position.line if position is not None else analysis.catalog.rounds[self.round_index].line
            else:
                line = analysis.catalog.demand(demand_id).line
        elif self.problems:
            line = self.problems[0].line
        problem = open_editor(self, self.path, line)
        if problem is not None:
            self.notify(problem, severity="warning", markup=False)
            return
        self.reload()

    def get_system_commands(self, screen: Screen):  # noqa: ANN201 - an iterable of SystemCommand
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action not in ("quit",):
                yield SystemCommand(binding.description, f"key: {binding.key_display or binding.key}",
                                    lambda action=binding.action: self.run_action(action))
        if self.catalog is not None:
            for i, rnd in enumerate(self.catalog.rounds):
                label = " ".join(x for x in (rnd.date.isoformat(), rnd.venue or "", rnd.title or "") if x)
                yield SystemCommand(f"Go to round: {one_line(rnd.id, 40)}", one_line(label, 80),
                                    lambda i=i: self._go_to_round(i))

    # -- never a traceback for the user ----------------------------------------------------------

    def _fatal_error(self) -> None:
        if os.environ.get("NEGOTRACK_DEBUG") or "PYTEST_CURRENT_TEST" in os.environ:
            super()._fatal_error()
            return
        self._exit_renderables.append(crash_report(self._exception))
        self._close_messages_no_wait()
