"""The negotrack dashboard: the matrix of positions for one round at a time.

Where the user is lives in one immutable `ViewState` (tui/state.py); the actions (tui/actions.py)
turn keys into its transitions, and this module loads the catalog and renders the state.
"""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

# Importing textual and the app builds long-lived objects by the hundred thousand, and the cyclic
# collector walked them again and again on the way. It is paused while they are imported, and
# they are frozen out of its way after, as a loaded catalog is (`_freeze_heap`): interleaved,
# 24 ms sooner to the first frame and to the filled matrix at M (361 -> 337, 686 -> 662 ms).
_collecting = gc.isenabled()
gc.disable()

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.timer import Timer

from negotrack.store.analysis import Analysis
from negotrack.store.model import Catalog
from negotrack.store.problems import Problem

from . import prefs
from .actions import Actions, Selection
from .loading import HELP_DELAY, Loading
from .palette import GoToProvider
from .screens.backdrop import Palette
from .showing import Showing
from .crash import crash_report
from .present import legend
from .session import Opening, Session
from .state import ViewState
from .view import Place
from .widgets.footer import SteadyFooter
from .widgets.matrix import Matrix
from .widgets.panels import Banner, DetailPane, RoundHeader

if TYPE_CHECKING:
    from negotrack.store.changes import Change

gc.freeze()
if _collecting:
    gc.enable()

#: below this width the detail pane stacks under the matrix instead of beside it
NARROW = 110


class NegotrackApp(Actions, Loading, Showing, App[int]):
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
    COMMANDS = App.COMMANDS | {GoToProvider}

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
        #: pending write of the column widths (`+`/`-`), flushed on quitting
        self._widths_timer: Timer | None = None
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
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.title = f"negotrack — {Path(self.path).name}"
        self.query_one(RoundHeader).loading(self.path)
        # read once the first frame is out: started earlier (even as the app is made), the
        # reading thread and the screen's start-up take turns on the GIL, and the first frame
        # comes later with no gain for the filled one (measured at M, BENCHMARKS.md)
        self.call_after_refresh(self.reload)
        self.set_timer(HELP_DELAY, self.prepare_help_when_idle)
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
        self.save_widths()
        if self.session is not None:
            selection = self.selection
            try:
                self.session.save_view(selection.round_id, selection.demand_id, selection.party_id)
            except Exception:  # noqa: BLE001 - leaving: a failed save must not turn into a traceback
                pass
            self.session.close()

    def action_command_palette(self) -> None:
        """textual's, with the palette over a Backdrop (tui/screens/backdrop.py)."""
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

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
