"""The matrix: one row per demand, one column per party, for one round.

A Line API widget rather than a DataTable: a round switch replaces every visible cell, and
DataTable renders each cell through rich's layout machinery (padding, line splitting, a
cache that any update empties), which alone took several times the 30 ms a key press may
take at 200 rounds. Here a cell is a few lines of (text, style) pieces, a row is drawn once
into two strips per line (the fixed demand and gap columns, and the parties, which scroll
sideways), and the app asks the matrix to `prepare` the rounds either side of the current
one while the user reads, so that `[` and `]` mostly swap in rows already drawn.

Columns are sized to what they hold (`share_widths`): each asks for its longest content, and
when the window is too narrow the widest give way first, their text wrapping between words
onto up to three lines; the sides (role `party`) always fit, mediators and observers scroll.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

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

from ..present import EMPTY_CELL, CellContent, Pieces, cell_content, gap_pieces, wrap

DEMAND_KEY = "__demand__"
GAP_KEY = "__gap__"
#: the column mediators and observers fold into when the window cannot show them all
OTHERS_KEY = "__others__"
#: lines of a folded cell (each stated mediator's or observer's position)
FOLD_LINES = 4
#: blank cells either side of a cell's text
PAD = 1
#: the demand and the gap stay in sight while the parties scroll sideways
FIXED = 2
#: a party column never gets narrower than this (unless its content is), nor the demand's
MIN_PARTY_WIDTH = 10
MIN_DEMAND_WIDTH = 12
#: no column asks for more than this: longer text wraps even when there is room
MAX_NATURAL = 64
#: lines a cell may take: the position, then what it moved from
BODY_LINES = 3
WAS_LINES = 2
#: a column the user widened or narrowed stays within these
USER_MIN, USER_MAX = 4, 120


def share_widths(available: int, naturals: list[int], minimums: list[int], must: list[bool]) -> list[int]:
    """Column text widths (padding excluded) for `available` cells of screen.

    Every column gets its natural width when all fit. Otherwise the `must` columns (the fixed
    ones and the sides) come first: whole if they fit, with the others sharing what is left;
    if not, the others keep their natural width, to be scrolled to, and the `must` columns
    share the screen. Sharing lowers a common ceiling until the columns fit: the widest give
    way first, none below its minimum.
    """
    every = range(len(naturals))
    first = [i for i in every if must[i]]
    rest = [i for i in every if not must[i]]
    widths = list(naturals)
    if _room(every, naturals) <= available:
        return widths
    if _room(first, naturals) + _room(rest, minimums) <= available:
        _level(widths, rest, minimums, available - _room(first, naturals))
    else:
        _level(widths, first, minimums, available)
    return widths


def _room(columns, widths: list[int]) -> int:  # noqa: ANN001 - any iterable of indexes
    return sum(widths[i] + 2 * PAD for i in columns)


def _level(widths: list[int], columns: list[int], minimums: list[int], room: int) -> None:
    """Lower the widest of `columns` (from their natural `widths`) until they fit in `room`."""
    naturals = list(widths)

    def at(level: int) -> list[int]:
        return [min(naturals[i], max(minimums[i], level)) for i in columns]

    low, high = 0, max((naturals[i] for i in columns), default=0)
    while low < high:  # the highest ceiling that fits
        middle = (low + high + 1) // 2
        if sum(at(middle)) + 2 * PAD * len(columns) <= room:
            low = middle
        else:
            high = middle - 1
    for i, width in zip(columns, at(low)):
        widths[i] = width


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
    #: column key -> width the user chose (`+` / `-`), remembered per catalog
    widths: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    #: width of the text, without the padding
    width: int
    #: False for mediators and observers, set apart by a rule and italics (not colour alone)
    side: bool = True

    def label(self) -> list[Pieces]:
        """The header's lines: the name, on two lines if it needs them."""
        if self.side:
            return [((part, "bold"),) for part in wrap(one_line(self.name), self.width, 2)]
        name = wrap(one_line(self.name), max(self.width - 2, 1), 2)
        return [(("┊ ", "dim"), (name[0], "bold italic")), *((("  ", ""), (part, "bold italic")) for part in name[1:])]


@dataclass
class Layout:
    """Everything `show` computes for one view: the columns, each cell's lines, and the
    screen lines drawn so far (without the cursor). Built on a key press, or ahead of it by
    `prepare`."""

    columns: list[Column] = field(default_factory=list)
    #: per column: the header's lines (a party's name may take two)
    labels: list[list[Pieces]] = field(default_factory=list)
    row_keys: list[str] = field(default_factory=list)
    #: per row, per column: the cell's lines, each (text, style) pieces
    rows: list[list[list[Pieces]]] = field(default_factory=list)
    #: per row: the virtual line it starts at (the header excluded), and its height
    tops: list[int] = field(default_factory=list)
    heights: list[int] = field(default_factory=list)
    #: (row, line in row) ((-1, n): the header) -> (fixed part, scrolled part), no cursor
    lines: dict[tuple[int, int], tuple[Strip, Strip]] = field(default_factory=dict)
    #: (row, line in row) -> the screen line made of those parts, at scroll x and width `shown_at`
    shown: dict[tuple[int, int], Strip] = field(default_factory=dict)
    shown_at: tuple[int, int] = (0, 0)
    #: the width the columns were shared for
    width: int = 0

    def __post_init__(self) -> None:
        self.row_index = {key: i for i, key in enumerate(self.row_keys)}
        self.column_index = {c.key: i for i, c in enumerate(self.columns)}

    @property
    def header_height(self) -> int:
        return max((len(label) for label in self.labels), default=1)

    @property
    def line_count(self) -> int:
        return (self.tops[-1] + self.heights[-1]) if self.tops else 0

    def row_at(self, line: int) -> tuple[int, int]:
        """(row, line within the row) of a virtual line under the header."""
        row = bisect_right(self.tops, line) - 1
        return row, line - self.tops[row]


#: rounds prepared ahead of time that are kept (the ones either side of the current one)
PREPARED = 4


def _natural(demands: tuple[Demand, ...], parties: tuple[Party, ...], analysis: Analysis) -> dict[str, int]:
    """Each party's widest position anywhere in the catalog (with room for its markers), so
    that columns keep their width from round to round."""
    widest = {p.id: 0 for p in parties}
    wanted = {d.id for d in demands}
    for rnd in analysis.catalog.rounds:
        for (pid, did), position in rnd.positions.items():
            if pid in widest and did in wanted:
                text = position.shown()
                width = len(text) if text.isascii() else cell_len(text)
                if width > widest[pid]:
                    widest[pid] = width
    return widest


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
        #: (analysis, demands, parties) -> each party's natural width, for the last analysis
        self._naturals: tuple[tuple, dict[str, int]] | None = None
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
        self.virtual_size = Size(sum(c.width + 2 * PAD for c in layout.columns), layout.line_count + layout.header_height)
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
        self._draw_header(layout, left, region.width)
        for line in range(top, min(top + region.height, layout.line_count)):
            place = layout.row_at(line)
            layout.shown[place] = self._line(layout, place, None, left, region.width)
        self._prepared[key] = layout
        while len(self._prepared) > PREPARED:
            del self._prepared[next(iter(self._prepared))]

    def _draw_header(self, layout: Layout, left: int, width: int) -> None:
        for sub in range(layout.header_height):
            layout.shown[(-1, sub)] = self._line(layout, (-1, sub), None, left, width)

    def _available(self) -> int:
        return self.scrollable_content_region.width or self.size.width or self.app.size.width

    def _key(self, view: MatrixView) -> tuple:
        return (view.analysis, view.round_id, view.basis, tuple(d.id for d in view.demands),
                tuple(p.id for p in view.parties), view.fresh, view.widths, self._available())

    def _party_naturals(self, view: MatrixView) -> dict[str, int]:
        key = (view.analysis, tuple(d.id for d in view.demands), tuple(p.id for p in view.parties))
        if self._naturals is None or self._naturals[0] != key:
            self._naturals = (key, _natural(view.demands, view.parties, view.analysis))
        return self._naturals[1]

    def _layout_of(self, view: MatrixView) -> Layout:
        analysis, rid, basis = view.analysis, view.round_id, view.basis
        cell, shifts, fresh = analysis.cell, view.shifts, view.fresh
        # the sides first, then mediators and observers: the sides must always be in sight
        parties = [p for p in view.parties if p.is_side] + [p for p in view.parties if not p.is_side]
        contents: list[list[CellContent | Pieces]] = []
        for demand in view.demands:
            trend = analysis.trend_since(basis, rid, demand.id) if basis else False
            row: list[CellContent | Pieces] = [CellContent((), one_line(demand.title), ""),
                                                gap_pieces(demand, analysis.gap(rid, demand.id), trend)]
            for party in parties:
                here = cell(rid, party.id, demand.id)
                before = cell(basis, party.id, demand.id).position if basis else here.previous
                row.append(cell_content(demand, here, shifts.get((party.id, demand.id)), before,
                                        (party.id, demand.id) in fresh))
            contents.append(row)
        naturals, minimums = self._naturals_of(view, parties, contents)
        must = [True, True] + [p.is_side for p in parties]
        folded = not all(must) and _room(range(len(naturals)), minimums) > self._available()
        if folded:
            # too narrow for every column: mediators and observers share one, listing who said what
            sides = FIXED + sum(must[FIXED:])
            others = parties[sides - FIXED:]
            parties = parties[:sides - FIXED]
            contents = [row[:sides] + [_fold(others, row[sides:])] for row in contents]
            fold_width = min(max((c.natural_width() for row in contents for c in [row[-1]]), default=12), MAX_NATURAL)
            naturals, minimums = naturals[:sides] + [max(fold_width, 12)], minimums[:sides] + [12]
            must = must[:sides] + [True]  # the fold shares the screen with the sides
        widths = self._chosen(view, [DEMAND_KEY, GAP_KEY] + [p.id for p in parties] + ([OTHERS_KEY] if folded else []),
                              share_widths(self._available(), naturals, minimums, must))
        columns = [Column(DEMAND_KEY, "Demand", widths[0]),
                   # the gap comes second so that it stays in sight when many parties scroll sideways
                   Column(GAP_KEY, "Gap", widths[1])]
        columns += [Column(party.id, party.name, width, party.is_side) for party, width in zip(parties, widths[FIXED:])]
        if folded:
            columns.append(Column(OTHERS_KEY, "Mediators and observers", widths[-1], False))
        rows = [[_lines(content, column.width) for content, column in zip(row, columns)] for row in contents]
        heights = [max(len(lines) for lines in row) for row in rows]
        tops, at = [], 0
        for height in heights:
            tops.append(at)
            at += height
        return Layout(columns=columns, labels=[c.label() for c in columns],
                      row_keys=[d.id for d in view.demands], rows=rows, tops=tops, heights=heights,
                      width=self._available())

    def _naturals_of(self, view: MatrixView, parties: list[Party], contents: list[list]) -> tuple[list[int], list[int]]:
        """Each column's natural and minimum width: demand, gap, then the parties."""
        naturals_by_party = self._party_naturals(view)
        demand_natural = max((cell_len(one_line(d.title)) for d in view.demands), default=6)
        gap_natural = max((sum(cell_len(t) for t, _ in row[1]) for row in contents), default=3)
        naturals = [min(max(demand_natural, 6), MAX_NATURAL), max(gap_natural, 3)]
        minimums = [min(naturals[0], max(MIN_DEMAND_WIDTH, _longest_word([row[0] for row in contents]))), naturals[1]]
        for index, party in enumerate(parties, start=FIXED):
            column = [row[index] for row in contents]
            # markers (★ glyph ‡ » and a space) and the was-line of this round count too
            here = max((content.natural_width() for content in column), default=1)
            label = cell_len(party.name) + (0 if party.is_side else 2)
            natural = min(max(naturals_by_party.get(party.id, 0) + 4, here, label, 3), MAX_NATURAL)
            naturals.append(natural)
            # wide enough that words are not broken, where that is reasonable
            minimums.append(min(natural, max(MIN_PARTY_WIDTH, _longest_word(column))))
        return naturals, minimums

    @staticmethod
    def _chosen(view: MatrixView, keys: list[str], widths: list[int]) -> list[int]:
        """`widths`, with the ones the user chose (`+` and `-`) instead."""
        chosen = dict(view.widths)
        return [max(USER_MIN, min(USER_MAX, chosen[k])) if k in chosen else w for k, w in zip(keys, widths)]

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

    def column_width(self, key: str) -> int | None:
        """The width a column is drawn at now (text only), or None if it is not shown."""
        index = self._layout.column_index.get(key)
        return None if index is None else self._layout.columns[index].width

    def get_cell(self, demand_id: str, column_key: str) -> Text:
        """The text shown for a demand in a column (a party id, GAP_KEY or DEMAND_KEY), its
        lines joined by line breaks."""
        layout = self._layout
        lines = layout.rows[layout.row_index[demand_id]][layout.column_index[column_key]]
        text = Text()
        for i, line in enumerate(lines):
            if i:
                text.append("\n")
            text.append(Text.assemble(*line))
        return text

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
        return layout.row_keys[self._cursor.row], (None if column in (GAP_KEY, DEMAND_KEY, OTHERS_KEY) else column)

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
        """Move by a screenful of lines (rows are of different heights)."""
        layout = self._layout
        if not layout.rows:
            return
        page = max(1, self.scrollable_content_region.height - layout.header_height - 1)
        target = layout.tops[self._cursor.row] + direction * page
        target = max(0, min(target, layout.line_count - 1))
        row = layout.row_at(target)[0]
        if row == self._cursor.row:
            row += direction
        self.cursor_coordinate = Coordinate(row, self._cursor.column)

    def scroll_to_cursor(self) -> None:
        """Scroll the least that shows the cursor's row (all its lines) and, for a party, its column."""
        layout = self._layout
        columns = layout.columns
        if not layout.rows:
            return
        region = self.scrollable_content_region
        row, column = self._cursor
        y = int(self.scroll_y)
        lines_shown = max(1, region.height - layout.header_height)  # under the header
        top, bottom = layout.tops[row], layout.tops[row] + layout.heights[row]
        if top < y:
            y = top
        elif bottom > y + lines_shown:
            y = min(top, bottom - lines_shown)
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
        """Share the new width among the columns again (the cursor stays on its cell)."""
        view = self._view
        if view is not None and self._available() != self._layout.width:
            self.show(view)
            self.scroll_to_cursor()

    # -- mouse --------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        layout = self._layout
        columns, rows = layout.columns, layout.rows
        if offset is None or offset.y < layout.header_height or not rows:
            return
        line = offset.y - layout.header_height + int(self.scroll_y)
        if line >= layout.line_count:
            return
        row = layout.row_at(line)[0]
        x = offset.x
        fixed = self._fixed_width()
        first = 0
        if x >= fixed:
            x, first = x - fixed + int(self.scroll_x), FIXED
        for index in range(first, len(columns)):
            x -= columns[index].width + 2 * PAD
            if x < 0:
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
        layout = self._layout
        if 0 <= row < len(layout.tops):
            # virtual y: the header's lines come first
            self.refresh_lines(layout.tops[row] + layout.header_height, layout.heights[row])

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
        """One line of a cell as segments exactly `width` + 2 * PAD cells wide."""
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

    def _strips(self, layout: Layout, place: tuple[int, int], cursor_column: int | None) -> tuple[Strip, Strip]:
        row, sub = place
        if row < 0:
            style = fixed_style = self._style("matrix--header")
            cells = [label[sub] if sub < len(label) else () for label in layout.labels]
        else:
            zebra = "matrix--odd-row" if row % 2 else "matrix--even-row"
            style, fixed_style = self._style(zebra), self._style("matrix--fixed", under=zebra)
            cells = [lines[sub] if sub < len(lines) else () for lines in layout.rows[row]]
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
        layout = self._layout
        header = layout.header_height
        line = y - header + scroll_y
        if not layout.columns or (y >= header and line >= layout.line_count):
            return Strip.blank(width, self._style())
        place = (-1, y) if y < header else layout.row_at(line)
        if place[0] == self._cursor.row:
            return self._line(layout, place, self._strips(layout, place, self._cursor.column), scroll_x, width)
        if layout.shown_at != (scroll_x, width):  # scrolled sideways or resized: other lines
            layout.shown.clear()
            layout.shown_at = (scroll_x, width)
        strip = layout.shown.get(place)
        if strip is None:
            strip = layout.shown[place] = self._line(layout, place, None, scroll_x, width)
        return strip

    def _line(self, layout: Layout, place: tuple[int, int], strips: tuple[Strip, Strip] | None,
              scroll_x: int, width: int) -> Strip:
        """A screen line: the fixed columns, then the parties from `scroll_x`, `width` wide."""
        if strips is None:
            strips = layout.lines.get(place)
            if strips is None:
                strips = layout.lines[place] = self._strips(layout, place, None)
        fixed, scrolled = strips
        shown = max(0, width - fixed.cell_length)
        line = Strip.join([fixed.crop(0, width), scrolled.crop(scroll_x, scroll_x + shown)])
        return line.crop(0, width).extend_cell_length(width, self._style())


class Folded(NamedTuple):
    """The positions of the mediators and observers in one cell, each led by the party's name."""

    entries: tuple[CellContent, ...]

    def natural_width(self) -> int:
        return max((entry.natural_width() for entry in self.entries), default=1)


def _fold(parties: list[Party], contents: list[CellContent]) -> Folded:
    entries = []
    for party, content in zip(parties, contents):
        if content.body != EMPTY_CELL.body or content.markers:
            name = (one_line(party.name, 24) + " ", "italic")
            entries.append(content._replace(markers=(name, *content.markers)))
    return Folded(tuple(entries))


def _longest_word(column: list[CellContent]) -> int:
    """The widest word of a column's cells, with the markers before it (at most 20)."""
    longest = 0
    for content in column:
        words = content.body.split(" ") + (content.was.split(" ") if content.was else [])
        longest = max(longest, content.marker_width + max(cell_len(word) for word in words))
    return min(longest, 20)


def _lines(content: CellContent | Folded | Pieces, width: int, indent: int | None = None) -> list[Pieces]:
    """A cell's lines at `width`: markers first, the position wrapped under them with a
    hanging indent (the markers' width unless given), then what it moved from (dimmed)."""
    if isinstance(content, Folded):
        lines = [line for entry in content.entries for line in _lines(entry, width, indent=2)]
        if len(lines) > FOLD_LINES:
            lines = lines[:FOLD_LINES - 1] + [(("… the rest in the detail pane (d)", "dim italic"),)]
        return lines or [EMPTY_CELL.markers + ((EMPTY_CELL.body, EMPTY_CELL.style),)]
    if not isinstance(content, CellContent):  # the gap: one line of pieces
        return [content]
    markers, hang = content.markers, content.marker_width if indent is None else indent
    pad = ((" " * hang, ""),) if hang else ()
    room = max(width - hang, 1)
    if hang == content.marker_width:
        first, *rest = wrap(content.body, room, BODY_LINES)
    else:  # a folded entry: the name leads the first line only
        first, *rest = _first_and_rest(content.body, width - content.marker_width, room)
    lines: list[Pieces] = [(*markers, (first, content.style))]
    lines += [(*pad, (part, content.style)) for part in rest]
    if content.was is not None:
        lines += [(*pad, (part, "dim italic")) for part in wrap(content.was, room, WAS_LINES)]
    return lines


def _first_and_rest(text: str, first_room: int, room: int) -> list[str]:
    """`text` wrapped with `first_room` cells on its first line and `room` on the others; the
    first line keeps only whole words (it is left empty when the first word does not fit)."""
    head = ""
    for word in text.split(" "):
        candidate = f"{head} {word}" if head else word
        if cell_len(candidate) > first_room:
            break
        head = candidate
    rest = text[len(head):].lstrip()
    return [head, *wrap(rest, room, BODY_LINES - 1)] if rest else [head]
