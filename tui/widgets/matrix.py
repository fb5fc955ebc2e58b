"""The matrix: one row per demand, one column per party, for one round."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnDoesNotExist, RowDoesNotExist

from negotrack.store.analysis import Analysis, Shift
from negotrack.store.model import Demand, Party
from negotrack.store.text import one_line

from ..present import cell_text, gap_text, plain

GAP_KEY = "__gap__"
DEMAND_WIDTH = 20
GAP_WIDTH = 18
MIN_PARTY_WIDTH = 12
MAX_PARTY_WIDTH = 30


def party_width(total: int, parties: int) -> int:
    """Share what the demand and gap columns leave; past the minimum the table scrolls."""
    spare = total - DEMAND_WIDTH - GAP_WIDTH - 2 * (parties + 2) - 2
    return max(MIN_PARTY_WIDTH, min(MAX_PARTY_WIDTH, spare // max(parties, 1)))


@dataclass(frozen=True)
class MatrixView:
    """What the matrix shows: computed by the app, rendered here."""

    analysis: Analysis
    round_id: str
    shifts: dict[tuple[str, str], Shift | None]
    demands: tuple[Demand, ...]
    parties: tuple[Party, ...]
    #: (party, demand) of cells that changed since the user's last visit
    fresh: frozenset[tuple[str, str]] = frozenset()


class Matrix(DataTable[Text]):
    """Positions of every party on every demand in the current round."""

    BINDINGS = [
        Binding("h", "cursor_left", "Left", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l", "cursor_right", "Right", show=False),
    ]

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - DataTable's widget kwargs
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        # the demand and its gap stay in place while the parties scroll sideways
        self.fixed_columns = 2
        self._shape: tuple[tuple[str, ...], tuple[str, ...], int] | None = None
        self._width = MAX_PARTY_WIDTH

    def show(self, view: MatrixView) -> None:
        """Render `view`, updating cells in place when rows, columns and widths are unchanged."""
        self._width = party_width(self.size.width or self.app.size.width, len(view.parties))
        shape = (tuple(d.id for d in view.demands), tuple(p.id for p in view.parties), self._width)
        rows = [self._row(view, demand) for demand in view.demands]
        if shape == self._shape:
            for demand, row in zip(view.demands, rows):
                self.update_cell(demand.id, GAP_KEY, row[1])
                for party, value in zip(view.parties, row[2:]):
                    self.update_cell(demand.id, party.id, value)
            return
        cursor = self.cursor_coordinate
        self.clear(columns=True)
        self.add_column(Text("Demand", style="bold"), width=DEMAND_WIDTH, key="__demand__")
        # the gap comes second so that it stays in sight when many parties scroll sideways
        self.add_column(Text("Gap", style="bold"), width=GAP_WIDTH, key=GAP_KEY)
        for party in view.parties:
            label = plain(party.name, self._width - 2)
            if not party.is_side:
                # mediators and observers: set apart by a rule and an italic role, not by colour alone
                label = Text("┊ ", style="dim") + Text(one_line(party.name, self._width - 4), style="italic")
            self.add_column(label, width=self._width, key=party.id)
        for demand, row in zip(view.demands, rows):
            self.add_row(*row, key=demand.id)
        self._shape = shape
        if self.row_count:
            self.cursor_coordinate = self.validate_cursor_coordinate(cursor)

    def _row(self, view: MatrixView, demand: Demand) -> list[Text]:
        row = [plain(demand.title, DEMAND_WIDTH), gap_text(demand, view.analysis.gap(view.round_id, demand.id))]
        for party in view.parties:
            cell = view.analysis.cell(view.round_id, party.id, demand.id)
            text = cell_text(demand, cell, view.shifts.get((party.id, demand.id)), self._width)
            if (party.id, demand.id) in view.fresh:
                text = Text("★", style="bold magenta") + text
            row.append(text)
        return row

    def selected(self) -> tuple[str | None, str | None]:
        """(demand id, party id) under the cursor; party is None on the demand or gap column."""
        if not self.row_count:
            return None, None
        row_key, column_key = self.coordinate_to_cell_key(self.cursor_coordinate)
        column = column_key.value
        return row_key.value, (None if column in (GAP_KEY, "__demand__") else column)

    def select(self, demand_id: str | None, party_id: str | None) -> None:
        """Move the cursor to a cell by ids (kept across reloads and round changes)."""
        if demand_id is None or not self.row_count:
            return
        try:
            row = self.get_row_index(demand_id)
        except RowDoesNotExist:  # filtered out
            return
        column = self.cursor_coordinate.column
        if party_id is not None:
            try:
                column = self.get_column_index(party_id)
            except ColumnDoesNotExist:  # filtered out: stay in the current column
                pass
        self.cursor_coordinate = self.validate_cursor_coordinate(Coordinate(row, column))
