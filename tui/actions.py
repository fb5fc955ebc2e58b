"""What each key of the dashboard does: a transition of the ViewState, then a refresh.

A mixin of NegotrackApp (tui/app.py), which owns the state, the catalog and the widgets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual.widgets import Input

from . import prefs
from .state import WIDTH_STEP, ViewState
from .view import next_change
from .widgets.matrix import Matrix
from .widgets.panels import DetailPane, RoundHeader, detail_lines

#: actions that act on the dashboard behind them: refused while another screen is on top
DASHBOARD_ACTIONS = frozenset({
    "round", "first_round", "last_round", "next_change", "toggle_changed", "toggle_claims",
    "timeline", "round_account", "toggle_detail", "zoom", "widen", "toggle_baseline", "compare",
    "sources", "filter", "edit", "whats_new",
})
#: seconds during which the same message is not shown twice (a held `n` at the last change)
TOAST_QUIET = 4.0

#: seconds after the last `+` or `-` before the widths are written to the prefs file
WIDTHS_SAVE_DELAY = 0.5


@dataclass(frozen=True)
class Selection:
    """Where the user is, by id (read from the ViewState)."""

    round_id: str | None = None
    demand_id: str | None = None
    party_id: str | None = None


class Actions:
    """The dashboard's actions; `self` is the NegotrackApp."""

    _last_toast: tuple[str, float] = ("", 0.0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from .screens.errors import ErrorScreen

        if action == "edit" and isinstance(self.screen, ErrorScreen):
            return True  # the error list offers `e`: open the file at the first error
        if action in DASHBOARD_ACTIONS and self.screen is not self.screen_stack[0]:
            # help, the error list, a dialog...: the keys of the dashboard behind stay there
            # (Home and End are priority bindings, which would otherwise reach through)
            return False
        # Home and End are priority bindings for rounds, but in the filter they move the caret
        if action in ("first_round", "last_round") and isinstance(self.focused, Input):
            return False
        return True

    def say(self, message: str, **kwargs) -> None:  # noqa: ANN003 - notify's options
        """A toast, unless the very same one is still on screen."""
        now = time.monotonic()
        if self._last_toast[0] == message and now - self._last_toast[1] < TOAST_QUIET:
            return
        self._last_toast = (message, now)
        self.notify(message, markup=False, **kwargs)

    def _go(self, state: ViewState, after_frame: bool = True) -> None:
        """Show `state`: the matrix at once, the detail pane one frame later."""
        self.state = state
        self.refresh_view()
        self._update_detail(after_frame=after_frame)

    # -- rounds -----------------------------------------------------------------------------

    def _go_to_round(self, index: int) -> None:
        catalog = self.catalog
        if catalog is None or not catalog.rounds:
            return
        state = self.state.at_round(catalog, index)
        if state.round_id == self.state.round_id:
            self.bell()
            return
        self._go(state)

    def action_round(self, delta: int) -> None:
        self._go_to_round(self.round_index + delta)

    def action_first_round(self) -> None:
        self._go_to_round(0)

    def action_last_round(self) -> None:
        self._go_to_round(len(self.catalog.rounds) - 1 if self.catalog else 0)

    def action_next_change(self, direction: int) -> None:
        if self.analysis is None or not self._changes:
            self.say("No changes in this catalog.")
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
            self.say("No more changes " + ("after" if direction > 0 else "before") + " this cell.")
            return
        if target[0] != self.round_index:
            self.state = self.state.at_round(catalog, target[0])
            self.refresh_view()
        matrix.select(rows[target[1]], cols[target[2]])
        self._update_detail()

    def action_toggle_baseline(self) -> None:
        if self.current_round_id() is None:
            return
        self._go(self.state.pin_baseline(), after_frame=False)
        rid = self.state.baseline
        self.say(f"Baseline pinned: {rid}; shifts and gap trends are measured from it." if rid
                 else "Baseline cleared: comparing with the previous report.")

    def set_comparison(self, base_id: str, round_id: str) -> None:
        """Measure `round_id` against `base_id` in the matrix (a pinned baseline)."""
        self._go(self.state.compare(base_id, round_id), after_frame=False)

    # -- what is shown -----------------------------------------------------------------------

    def action_toggle_changed(self) -> None:
        self._go(self.state.toggle_changed(), after_frame=False)
        self.say("Showing changed demands only (c shows every demand)." if self.state.changed_only
                 else "Showing every demand.")

    def action_toggle_claims(self) -> None:
        """Hide or show claims: one side's account of another's stance (FORMAT.md 1.1)."""
        if self.analysis is None:
            return
        self.state = self.state.toggle_claims()
        if self.state.claims:
            self._changes = self._all_changes
        elif self._unclaimed is None:
            self.analyse_without_claims(self.analysis)  # refreshes when it is ready
        else:
            self._changes = self._unclaimed[1]
        self._go(self.state, after_frame=False)
        self.say("Claims shown, marked »." if self.state.claims
                 else "Claims hidden: shifts and gaps leave them out (a shows them).")

    def action_toggle_detail(self) -> None:
        detail = self.query_one(DetailPane)
        self.detail_wanted = not detail.display
        self._place_detail()
        self._update_detail()

    def action_widen(self, direction: int) -> None:
        """Widen (or narrow) the selected column; remembered for this catalog."""
        matrix = self.query_one(Matrix)
        key = matrix.column_keys[matrix.cursor_coordinate.column] if matrix.column_keys else None
        width = matrix.column_width(key) if key else None
        if key is None or width is None:
            return
        self.state = self.state.resize(key, width, direction * WIDTH_STEP)
        # written once the presses stop (and on quitting), not once per press
        if self._widths_timer is not None:
            self._widths_timer.stop()
        self._widths_timer = self.set_timer(WIDTHS_SAVE_DELAY, self.save_widths)
        self.refresh_view()

    def save_widths(self) -> None:
        """Remember the chosen column widths for this catalog (prefs.py)."""
        if self._widths_timer is not None:
            self._widths_timer.stop()
            self._widths_timer = None
            prefs.save_widths(self.path, self.state.widths)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    # handlers by name, not `@on`: Textual collects decorated handlers only from widget classes
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter":
            return
        self.state = self.state.with_filter(event.value)
        self.refresh_view()
        self._update_detail()  # the cursor may be on another cell now
        demands, _ = self._visible()
        if not demands and event.value.strip():
            self.say(f"Nothing matches “{event.value.strip()}” (demands, parties, stances, notes, quotes, sources).",
                     severity="warning")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one(Matrix).focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.query_one(Matrix).focus()

    def on_round_header_clicked(self, event: RoundHeader.Clicked) -> None:
        self.action_round_account()

    # -- other screens -------------------------------------------------------------------------

    def action_zoom(self) -> None:
        from .screens.zoom import ZoomScreen

        analysis, rid = self.shown_analysis, self.current_round_id()
        demand_id, party_id = self.query_one(Matrix).selected()
        if analysis is None or rid is None or demand_id is None:
            return
        basis = self.state.basis()
        shift = self.shifts().get((party_id, demand_id)) if basis and party_id else False
        self.push_screen(ZoomScreen(detail_lines(analysis, rid, demand_id, party_id, basis, shift)))

    def action_round_account(self) -> None:
        from .screens.round_account import RoundAccountScreen

        if self.shown_analysis is not None and self.current_round_id() is not None:
            self.push_screen(RoundAccountScreen(self.shown_analysis, self.current_round_id()))

    def action_timeline(self) -> None:
        from .screens.timeline import TimelineScreen

        demand_id, _ = self.query_one(Matrix).selected()
        if self.shown_analysis is not None and demand_id is not None:
            self.push_screen(TimelineScreen(self.shown_analysis, demand_id, self.current_round_id()))

    def action_sources(self) -> None:
        from .screens.sources import SourcesScreen

        if self.analysis is not None:
            self.push_screen(SourcesScreen(self.analysis.catalog))

    def action_compare(self) -> None:
        from .screens.compare import CompareDialog, CompareScreen

        catalog = self.catalog
        if catalog is None or len(catalog.rounds) < 2:
            self.say("Comparing needs two rounds.")
            return

        def chosen(choice) -> None:  # noqa: ANN001 - a RoundsChoice or None
            if choice is None or self.shown_analysis is None:
                return
            if choice.pin:
                self.set_comparison(choice.first, choice.second)
            else:
                self.push_screen(CompareScreen(self.shown_analysis, choice.first, choice.second))

        self.push_screen(CompareDialog(catalog, self.state.baseline, self.current_round_id()), chosen)

    def action_errors(self) -> None:
        from .screens.errors import ErrorScreen

        if self.problems or self.warnings:
            self.push_screen(ErrorScreen(self.path, self.problems + self.warnings, dismissable=True))

    def action_whats_new(self) -> None:
        from .screens.whats_new import WhatsNewScreen

        def jump(target: tuple[str, str, str] | None) -> None:
            if target is not None and self.catalog is not None:
                round_id, party_id, demand_id = target
                if round_id in [r.id for r in self.catalog.rounds]:
                    self.state = self.state.at_round(self.catalog, self.catalog.round_index(round_id))
                    self.refresh_view()
                    # after the dialog has gone and the table has its focus back
                    self.call_after_refresh(self._select, demand_id, party_id)

        if self.session is None:
            self.say("History is off (--no-history): nothing to compare with.")
            return
        self.push_screen(WhatsNewScreen(self.whats_new, self._seen_at), jump)

    def action_help(self) -> None:
        if self.screen is self.screen_stack[0]:
            self.prepare_help()
            self.push_screen("help")

    def prepare_help(self) -> None:
        """Install the help screen and start it: its widgets composed and styled, not shown.
        The app does it in an idle moment after it starts (`prepare_help_when_idle`), so that the
        first `?` costs what every later one does."""
        from .screens.help import HelpScreen

        if not self.screen_stack or not self.is_running:  # quitting before the timer fired
            return
        if not self.is_screen_installed("help"):
            self.install_screen(HelpScreen(), "help")
        self._get_screen("help")  # textual's own step of push_screen: a no-op once it runs

    def action_edit(self) -> None:
        """Open $VISUAL/$EDITOR at the selected position's line (on the error list: at the
        first error), then reload."""
        from .editor import open_editor
        from .screens.errors import ErrorScreen

        line = 1
        analysis, rid = self.analysis, self.current_round_id()
        if isinstance(self.screen, ErrorScreen) or analysis is None or rid is None:
            if self.problems:
                line = self.problems[0].line
        else:
            demand_id, party_id = self.query_one(Matrix).selected()
            if demand_id and party_id:
                position = analysis.cell(rid, party_id, demand_id).position
                line = position.line if position is not None else analysis.catalog.rounds[self.round_index].line
            elif demand_id:
                line = analysis.catalog.demand(demand_id).line
        problem = open_editor(self, self.path, line)
        if problem is not None:
            self.say(problem, severity="warning")
            return
        self.reload()

    def go_to_demand(self, demand_id: str) -> None:
        """Select a demand's row (clearing a filter that hides it)."""
        if demand_id not in {d.id for d in self._visible()[0]}:
            self.query_one("#filter", Input).value = ""
            self.state = self.state.with_filter("")
            self.refresh_view()
        self._select(demand_id, self.state.party_id)

    def go_to_party(self, party_id: str) -> None:
        """Select a party's column, on the selected demand."""
        if party_id not in {p.id for p in self._visible()[1]}:
            self.query_one("#filter", Input).value = ""
            self.state = self.state.with_filter("")
            self.refresh_view()
        self._select(self.state.demand_id, party_id)

