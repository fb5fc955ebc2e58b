"""The matrix: one row per demand, one column per party, for one round.

A Line API widget rather than a DataTable: a round switch replaces every visible cell, and
DataTable renders each cell through rich's layout machinery (padding, line splitting, a
cache that any update empties), which alone took several times the 30 ms a key press may
take at 200 rounds. Here a cell is a few (text, style) pieces, a row is drawn once into two
strips (the fixed demand and gap columns, and the parties, which scroll sideways), and the
app asks the matrix to `prepare` the rounds either side of the current one while the user
reads, so that `[` and `]` mostly swap in rows already drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from negotrack.store.analysis import Analysis, Shift
from negotrack.store.model import Demand, Party
from negotrack.store.text import one_line

from ..present import Pieces, cell_pieces, gap_pieces, plain

DEMAND_KEY = "__demand__"
GAP_KEY = "__gap__"
DEMAND_WIDTH = 20
GAP_WIDTH = 18
MIN_PARTY_WIDTH = 12
MAX_PARTY_WIDTH = 30
#: blank cells either side of a cell's text
PAD = 1
#: the demand and the gap stay in sight while the parties scroll sideways
FIXED = 2


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
    #: the round the shifts are measured from when a baseline is pinned (None: the last report)
    basis: str | None = None


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    #: width of the text, without the padding
    width: int


@dataclass
class Layout:
    """Everything `show` computes for one view: the columns, each cell's pieces, and the rows
    drawn so far (without the cursor). Built on a key press, or ahead of it by `prepare`."""

    columns: list[Column] = field(default_factory=list)
    labels: list[Pieces] = field(default_factory=list)
    row_keys: list[str] = field(default_factory=list)
    #: per row, per column: the cell's (text, style) pieces
    rows: list[list[Pieces]] = field(default_factory=list)
    #: row (-1: the header) -> (fixed part, scrolled part), drawn without the cursor
    lines: dict[int, tuple[Strip, Strip]] = field(default_factory=dict)
    #: row -> the screen line made of those parts, at scroll x and width `shown_at`
    shown: dict[int, Strip] = field(default_factory=dict)
    shown_at: tuple[int, int] = (0, 0)
    party_width: int = MAX_PARTY_WIDTH

    def __post_init__(self) -> None:
        self.row_index = {key: i for i, key in enumerate(self.row_keys)}
        self.column_index = {c.key: i for i, c in enumerate(self.columns)}


#: rounds prepared ahead of time that are kept (the ones either side of the current one)
PREPARED = 4


class Matrix(ScrollView, can_focus=True):
    """Positions of every party on every demand in the current round."""

    BINDINGS = [
        Binding("up", "cursor(-1, 0)", "Up", show=False),
        Binding("down", "cursor(1, 0)", "Down", show=False),
        Binding("left", "cursor(0, -1)", "Left", show=False),
        Binding("right", "cursor(0, 1)", "Right", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("h", "cursor(0, -1)", "Left", show=False),
        Binding("j", "cursor(1, 0)", "Down", show=False),
        Binding("k", "cursor(-1, 0)", "Up", show=False),
        Binding("l", "cursor(0, 1)", "Right", show=False),
    ]

    COMPONENT_CLASSES = {
        "matrix--header",
        "matrix--cursor",
        "matrix--even-row",
        "matrix--odd-row",
        "matrix--fixed",
    }

    DEFAULT_CSS = """
    Matrix {
        background: $surface;
        color: $foreground;
        &:focus {
            /* no background-tint: it is blended into every segment of every line on every
               frame (a third of a round switch); the cursor's colours show focus */
            & > .matrix--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .matrix--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .matrix--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .matrix--fixed {
            color: $foreground;
        }
        & > .matrix--odd-row {
        }
        & > .matrix--even-row {
            background: $surface-lighten-1 50%;
        }
        &:dark > .matrix--even-row {
            background: $surface-darken-1 40%;
        }
        & > .matrix--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class CellHighlighted(Message):
        """The cursor moved to another cell (by keys, mouse or `select`)."""

        def __init__(self, matrix: Matrix, demand_id: str, column_key: str) -> None:
            super().__init__()
            self.matrix = matrix
            self.demand_id = demand_id
            self.column_key = column_key

        @property
        def control(self) -> Matrix:
            return self.matrix

    def __init__(self, **kwargs) -> None:  # noqa: ANN003 - Widget's kwargs
        super().__init__(**kwargs)
        self._layout = Layout()
        self._view: MatrixView | None = None
        self._shown_key: tuple | None = None
        #: layouts built ahead of time by `prepare`, by view key, oldest first
        self._prepared: dict[tuple, Layout] = {}
        self._cursor = Coordinate(0, 0)
        #: "under/name" -> the rich style cells are drawn with ("/" is the widget's own)
        self._styles: dict[str, Style] = {}
        self._parsed_styles: dict[str, Style] = {}

    # -- data ---------------------------------------------------------------------------

    def show(self, view: MatrixView) -> None:
        """Show `view`; the cursor stays at the same row and column index (the app then
        selects by id)."""
        key = self._key(view)
        layout = self._prepared.pop(key, None) or self._layout_of(view)
        self._layout, self._shown_key, self._view = layout, key, view
        self.virtual_size = Size(sum(c.width + 2 * PAD for c in layout.columns), len(layout.rows) + 1)
        self._cursor = self._clamp(self._cursor)
        self.refresh()

    def prepare(self, view: MatrixView) -> None:
        """Build and draw the rows in sight for `view` ahead of time, so that showing it later
        costs a look-up (the app prepares the rounds either side of the current one while the
        user reads; a round switch then only draws the cursor's row)."""
        key = self._key(view)
        if key == self._shown_key or key in self._prepared:
            return
        layout = self._layout_of(view)
        top, left = int(self.scroll_y), int(self.scroll_x)
        region = self.scrollable_content_region
        layout.shown_at = (left, region.width)
        for row in (-1, *range(top, min(top + region.height, len(layout.rows)))):
            layout.shown[row] = self._line(layout, row, None, left, region.width)
        self._prepared[key] = layout
        while len(self._prepared) > PREPARED:
            del self._prepared[next(iter(self._prepared))]

    def _party_width(self, view: MatrixView) -> int:
        return party_width(self.size.width or self.app.size.width, len(view.parties))

    def _key(self, view: MatrixView) -> tuple:
        return (view.analysis, view.round_id, view.basis, tuple(d.id for d in view.demands),
                tuple(p.id for p in view.parties), view.fresh, self._party_width(view))

    def _layout_of(self, view: MatrixView) -> Layout:
        width = self._party_width(view)
        columns = [
            Column(DEMAND_KEY, Text("Demand", style="bold"), DEMAND_WIDTH),
            # the gap comes second so that it stays in sight when many parties scroll sideways
            Column(GAP_KEY, Text("Gap", style="bold"), GAP_WIDTH),
        ]
        for party in view.parties:
            if party.is_side:
                label = plain(party.name, width)
            else:
                # mediators and observers: set apart by a rule and an italic role, not by colour alone
                label = Text("┊ ", style="dim") + Text(one_line(party.name, width - 2), style="italic")
            columns.append(Column(party.id, label, width))
        return Layout(columns=columns, labels=[self._pieces(c.label) for c in columns],
                      row_keys=[d.id for d in view.demands],
                      rows=[self._row(view, demand, width) for demand in view.demands], party_width=width)

    def _row(self, view: MatrixView, demand: Demand, width: int) -> list[Pieces]:
        cell, shifts, fresh, rid = view.analysis.cell, view.shifts, view.fresh, view.round_id
        row = [((one_line(demand.title, DEMAND_WIDTH), ""),),
               gap_pieces(demand, view.analysis.gap(rid, demand.id))]
        for party in view.parties:
            pieces = cell_pieces(demand, cell(rid, party.id, demand.id), shifts.get((party.id, demand.id)), width)
            if (party.id, demand.id) in fresh:
                pieces = (("★", "bold magenta"), *pieces)
            row.append(pieces)
        return row

    def _pieces(self, text: Text) -> Pieces:
        """Text as pieces, its own style folded into each (Text.render leaves it out when the
        Text has no spans)."""
        console = self.app.console
        base = console.get_style(text.style) if text.style else Style()
        return tuple((part.text, base + part.style if part.style else base) for part in text.render(console))

    @property
    def row_count(self) -> int:
        return len(self._layout.rows)

    @property
    def column_keys(self) -> list[str]:
        return [c.key for c in self._layout.columns]

    def get_cell(self, demand_id: str, column_key: str) -> Text:
        """The text shown for a demand in a column (a party id, GAP_KEY or DEMAND_KEY)."""
        layout = self._layout
        return Text.assemble(*layout.rows[layout.row_index[demand_id]][layout.column_index[column_key]])

    # -- cursor -------------------------------------------------------------------------

    @property
    def cursor_coordinate(self) -> Coordinate:
        return self._cursor

    @cursor_coordinate.setter
    def cursor_coordinate(self, value: Coordinate) -> None:
        new = self._clamp(value)
        old, self._cursor = self._cursor, new
        if new != old:
            self._refresh_row(old.row)
            self._refresh_row(new.row)
            layout = self._layout
            if layout.rows:
                self.post_message(self.CellHighlighted(self, layout.row_keys[new.row], layout.columns[new.column].key))
        self.scroll_to_cursor()

    def _clamp(self, value: Coordinate) -> Coordinate:
        rows, columns = len(self._layout.rows), len(self._layout.columns)
        return Coordinate(max(0, min(value.row, rows - 1)), max(0, min(value.column, columns - 1)))

    def selected(self) -> tuple[str | None, str | None]:
        """(demand id, party id) under the cursor; party is None on the demand or gap column."""
        layout = self._layout
        if not layout.rows:
            return None, None
        column = layout.columns[self._cursor.column].key
        return layout.row_keys[self._cursor.row], (None if column in (GAP_KEY, DEMAND_KEY) else column)

    def select(self, demand_id: str | None, party_id: str | None) -> None:
        """Move the cursor to a cell by ids (kept across reloads and round changes); a demand
        or party that is filtered out leaves the cursor where it is."""
        layout = self._layout
        if demand_id is None or demand_id not in layout.row_index:
            return
        column = layout.column_index.get(party_id, self._cursor.column) if party_id else self._cursor.column
        self.cursor_coordinate = Coordinate(layout.row_index[demand_id], column)

    def action_cursor(self, rows: int, columns: int) -> None:
        row, column = self._cursor
        self.cursor_coordinate = Coordinate(row + rows, column + columns)

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1), 0)

    def scroll_to_cursor(self) -> None:
        """Scroll the least that shows the cursor's row and (for a party) its column."""
        columns = self._layout.columns
        if not self._layout.rows:
            return
        region = self.scrollable_content_region
        row, column = self._cursor
        y = int(self.scroll_y)
        rows_shown = max(1, region.height - 1)  # under the header
        if row < y:
            y = row
        elif row >= y + rows_shown:
            y = row - rows_shown + 1
        x = int(self.scroll_x)
        if column >= FIXED:
            start = sum(c.width + 2 * PAD for c in columns[FIXED:column])
            end = start + columns[column].width + 2 * PAD
            shown = max(1, region.width - self._fixed_width())
            if start < x:
                x = start
            elif end > x + shown:
                x = end - shown
        if (x, y) != (int(self.scroll_x), int(self.scroll_y)):
            self.scroll_to(x, y, animate=False, immediate=True)

    def _fixed_width(self) -> int:
        return sum(c.width + 2 * PAD for c in self._layout.columns[:FIXED])

    def on_resize(self, event: events.Resize) -> None:
        """Share the new width among the parties again (the cursor stays on its cell)."""
        view = self._view
        if view is not None and self._party_width(view) != self._layout.party_width:
            self.show(view)

    # -- mouse --------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        columns, rows = self._layout.columns, self._layout.rows
        if offset is None or offset.y == 0 or not rows:
            return
        row = offset.y - 1 + int(self.scroll_y)
        x = offset.x
        fixed = self._fixed_width()
        first = 0
        if x >= fixed:
            x, first = x - fixed + int(self.scroll_x), FIXED
        for index in range(first, len(columns)):
            x -= columns[index].width + 2 * PAD
            if x < 0:
                if row < len(rows):
                    self.focus()
                    self.cursor_coordinate = Coordinate(row, index)
                return

    # -- rendering ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._restyle()

    def _restyle(self) -> None:
        self._layout.lines.clear()
        self._layout.shown.clear()
        self._prepared.clear()
        self._styles.clear()

    def _on_focus(self, event: events.Focus) -> None:
        self._restyle()  # the cursor's colours depend on focus
        self._refresh_row(self._cursor.row)

    def _on_blur(self, event: events.Blur) -> None:
        self._restyle()
        self._refresh_row(self._cursor.row)

    def _refresh_row(self, row: int) -> None:
        self.refresh_line(row + 1)  # virtual y: the header is line 0

    def _style(self, name: str = "", under: str = "") -> Style:
        """The widget's style, under component `under`, under component `name` (cached:
        rich_style costs ~0.1 ms a call)."""
        key = f"{under}/{name}"
        style = self._styles.get(key)
        if style is None:
            if under:
                style = self._style(under) + self.get_component_rich_style(name, partial=True)
            elif name:
                style = self._style() + self.get_component_rich_style(name, partial=True)
            else:
                style = self.rich_style
            self._styles[key] = style
        return style

    def _parsed(self, style: str | Style) -> Style:
        if isinstance(style, Style):
            return style
        parsed = self._parsed_styles.get(style)
        if parsed is None:
            parsed = self._parsed_styles[style] = self.app.console.get_style(style) if style else Style()
        return parsed

    def _cell(self, pieces: Pieces, width: int, style: Style, post: Style | None) -> list[Segment]:
        """One cell as segments exactly `width` + 2 * PAD cells wide."""
        length = sum(cell_len(text) for text, _ in pieces)
        if length > width:
            text = Text.assemble(*pieces)
            text.truncate(width, overflow="ellipsis")
            pieces = self._pieces(text)
            length = text.cell_len
        edge = style + post if post else style
        segments = [Segment(" " * PAD, edge)]
        for text, piece_style in pieces:
            combined = style + self._parsed(piece_style) if piece_style else style
            segments.append(Segment(text, combined + post if post else combined))
        segments.append(Segment(" " * (width - length + PAD), edge))
        return segments

    def _strips(self, layout: Layout, row: int, cursor_column: int | None) -> tuple[Strip, Strip]:
        if row < 0:
            style = fixed_style = self._style("matrix--header")
            cells = layout.labels
        else:
            zebra = "matrix--odd-row" if row % 2 else "matrix--even-row"
            style, fixed_style = self._style(zebra), self._style("matrix--fixed", under=zebra)
            cells = layout.rows[row]
        cursor = self._style("matrix--cursor") if cursor_column is not None else None
        fixed: list[Segment] = []
        scrolled: list[Segment] = []
        fixed_width = scrolled_width = 0
        for index, (column, text) in enumerate(zip(layout.columns, cells)):
            post = cursor if index == cursor_column else None
            if index < FIXED:
                fixed += self._cell(text, column.width, fixed_style, post)
                fixed_width += column.width + 2 * PAD
            else:
                scrolled += self._cell(text, column.width, style, post)
                scrolled_width += column.width + 2 * PAD
        # one segment per run of a style: every frame filters each segment (true colour, dim)
        return (Strip(Segment.simplify(fixed), fixed_width),
                Strip(Segment.simplify(scrolled), scrolled_width))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = (int(v) for v in self.scroll_offset)
        row = -1 if y == 0 else y - 1 + scroll_y
        layout = self._layout
        if row >= len(layout.rows) or not layout.columns:
            return Strip.blank(width, self._style())
        if row == self._cursor.row:
            return self._line(layout, row, self._strips(layout, row, self._cursor.column), scroll_x, width)
        if layout.shown_at != (scroll_x, width):  # scrolled sideways or resized: other lines
            layout.shown.clear()
            layout.shown_at = (scroll_x, width)
        line = layout.shown.get(row)
        if line is None:
            line = layout.shown[row] = self._line(layout, row, None, scroll_x, width)
        return line

    def _line(self, layout: Layout, row: int, strips: tuple[Strip, Strip] | None, scroll_x: int,
              width: int) -> Strip:
        """A screen line: the fixed columns, then the parties from `scroll_x`, `width` wide."""
        if strips is None:
            strips = layout.lines.get(row)
            if strips is None:
                strips = layout.lines[row] = self._strips(layout, row, None)
        fixed, scrolled = strips
        shown = max(0, width - fixed.cell_length)
        line = Strip.join([fixed.crop(0, width), scrolled.crop(scroll_x, scroll_x + shown)])
        return line.extend_cell_length(width, self._style())
