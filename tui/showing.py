"""What the dashboard shows for the current state: the header, the matrix, the detail pane.

A mixin of NegotrackApp (tui/app.py), which owns the state, the analyses and the widgets.
"""

from __future__ import annotations

from functools import partial
from typing import TypeVar

from rich.text import Text
from textual import work
from textual.app import ScreenStackError
from textual.css.query import NoMatches
from textual.widget import Widget

from negotrack.store.analysis import Shift
from negotrack.store.model import Demand, Party
from negotrack.store.pauses import collect_if_due
from negotrack.store.text import one_line

from .present import edit_history_lines
from .view import visible
from .widgets.matrix import Matrix, MatrixView
from .widgets.panels import DetailPane, RoundHeader


W = TypeVar("W", bound=Widget)

#: seconds after a round is shown before the rounds either side are prepared (after its frame)
PREFETCH_DELAY = 0.03
#: between the steps of the prefetch: the turn of whatever else is queued
PREFETCH_STEP = 0.001


class Showing:
    """Renders `self.state` (the NegotrackApp's) into the widgets."""

    def current_round_id(self) -> str | None:
        catalog = self.catalog
        if catalog is None or not catalog.rounds:
            return None
        return catalog.rounds[self.round_index].id

    #: (catalog, filter text, what it shows): the filter searches every position's words, which
    #: a round switch must not do again
    _visible_memo: tuple | None = None

    def _visible(self) -> tuple[tuple[Demand, ...], tuple[Party, ...]]:
        catalog, needle = self.catalog, self.state.filter_text
        assert catalog is not None
        memo = self._visible_memo
        if memo is None or memo[0] is not catalog or memo[1] != needle:
            memo = self._visible_memo = (catalog, needle, visible(catalog, needle))
        return memo[2]

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

    def _dashboard(self, kind: type[W]) -> W | None:
        """The dashboard screen's widget of `kind`, or None while it is not there: messages
        from workers (a load, the whole analysis, a cell's history) can arrive as the app
        starts or closes, and then there is nothing to show them in."""
        try:
            return self.screen_stack[0].query_one(kind)
        except (NoMatches, IndexError, ScreenStackError):
            return None

    def refresh_view(self) -> None:
        analysis, rid = self.shown_analysis, self.current_round_id()
        header, matrix = self._dashboard(RoundHeader), self._dashboard(Matrix)
        if analysis is None or header is None or matrix is None:
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

    def _prefetch(self, step: int = 0) -> None:
        """While the user reads: draw the round before the shown one, then the one after, then
        collect the heap if due, each step in a turn of its own. A key that arrives meanwhile
        waits for one step at most (~9 ms at L, against ~20 for the three at once), and a new
        round shown cancels the steps left (`refresh_view` stops the timer)."""
        self._prefetch_timer = None
        if self._input_waiting():
            # a key (or other work) arrived meanwhile: it goes first, this waits its turn
            self._prefetch_timer = self.set_timer(PREFETCH_DELAY, partial(self._prefetch, step))
            return
        catalog = self.catalog
        matrix = self._dashboard(Matrix)
        if matrix is None or catalog is None or not self.shown_analysis.complete:
            return  # the rounds either side come with the whole analysis (Analysed)
        either_side = [i for i in (self.round_index - 1, self.round_index + 1) if 0 <= i < len(catalog.rounds)]
        if step < len(either_side):
            matrix.prepare(self.matrix_view(either_side[step]))
            self._prefetch_timer = self.set_timer(PREFETCH_STEP, partial(self._prefetch, step + 1))
        else:
            collect_if_due()  # while the user reads, not in the next key

    def _input_waiting(self) -> bool:
        """A message waits in the app's queue or on a key's way: a key the App binds without
        priority goes to the focused widget and bubbles up through its parents back to the
        App, so between two hops every queue of the app's may be empty but one of those."""
        if self.message_queue_size:
            return True
        if not self.screen_stack:  # quitting: the timer may fire as the screens go
            return False
        node = self.screen_stack[-1].focused
        while node is not None and node is not self:
            if node.message_queue_size:
                return True
            node = node.parent
        return False

    # a handler by name, not `@on`: Textual collects decorated handlers only from widget classes
    def on_matrix_cell_highlighted(self, event: Matrix.CellHighlighted) -> None:
        self._update_detail()

    def _select(self, demand_id: str | None, party_id: str | None) -> None:
        matrix = self._dashboard(Matrix)
        if matrix is not None:
            matrix.select(demand_id, party_id)
            self._update_detail()

    def _update_detail(self, after_frame: bool = False) -> None:
        """Note where the user is and show the selected cell in the detail pane; with
        `after_frame`, the pane is drawn once the frame with the new matrix is out (a round
        switch: the matrix first, the pane one frame later)."""
        analysis, rid, matrix = self.shown_analysis, self.current_round_id(), self._dashboard(Matrix)
        if analysis is None or rid is None or matrix is None:
            return
        demand_id, party_id = matrix.selected()
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
        detail, matrix = self._dashboard(DetailPane), self._dashboard(Matrix)
        if detail is not None and matrix is not None and detail.display:
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
        detail = self._dashboard(DetailPane)
        if detail is not None:
            detail.show(analysis, key[0], key[2], key[1], extra=edit_history_lines(versions), basis=basis, shift=shift)

