"""The matrix: one row per demand, one column per party, for one round.

A Line API widget rather than a DataTable: a round switch replaces every visible cell, and
DataTable renders each cell through rich's layout machinery (padding, line splitting, a
cache that any update empties), which alone took several times the 30 ms a key press may
take at 200 rounds. Here a cell is a few lines of (text, style) pieces, a row is drawn once
into two strips per line (the fixed demand and gap columns, and the parties, which scroll
sideways), and the app asks the matrix to `prepare` the rounds either side of the current
one while the user reads, so that `[` and `]` mostly swap in rows already drawn.

What goes where (columns, widths, each cell's lines) is decided in layout.py.
"""

from __future__ import annotations

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

from ..present import Pieces
from .layout import (
    DEMAND_KEY, FIXED, GAP_KEY, OTHERS_KEY, PAD, Layout, MatrixView, build_layout, party_naturals, share_widths,
)
from .scrollbars import SteadyScrollBars

__all__ = ["DEMAND_KEY", "FIXED", "GAP_KEY", "OTHERS_KEY", "PAD", "Matrix", "MatrixView", "share_widths"]

#: rounds prepared ahead of time that are kept (the ones either side of the current one)
PREPARED = 4


class Matrix(SteadyScrollBars, ScrollView, can_focus=True):
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
        #: layouts no longer shown, freed by the next `prepare` rather than during a key press
        self._retired: list[Layout] = []
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
        # the layout shown until now is freed later (`prepare`, after the frame): freeing its
        # rows and drawn lines took ~0.8 ms of a round switch at L
        if len(self._retired) >= PREPARED:  # a held key: prepare has not run for a while
            self._retired.clear()
        self._retired.append(self._layout)
        self._layout, self._shown_key, self._view = layout, key, view
        self._set_virtual_size(Size(sum(c.width + 2 * PAD for c in layout.columns), layout.line_count + layout.header_height))
        self._cursor = self._clamp(self._cursor)
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """Rounds differ in how many lines their rows take. `virtual_size` is a layout reactive:
        assigning it lays out and redraws the whole screen, though only the matrix's scroll
        range changed. Once the matrix is laid out, the scroll range and scrollbars are updated
        here instead (a scrollbar that appears or goes still asks for a layout:
        `show_*_scrollbar` are layout reactives). Measured at L, 160x50, the two ways
        alternating press by press in one process (80 presses, twice): median 17.3/17.8 ms
        against 20.9/19.9, p95 22/25 against 31/31 (BENCHMARKS.md)."""
        if size == self.virtual_size:
            return
        if not self.size:  # not laid out yet: the first layout sizes everything
            self.virtual_size = size
            return
        self.set_reactive(Matrix.virtual_size, size)
        self._scroll_update(size)

    def prepare(self, view: MatrixView) -> None:
        """Build and draw the rows in sight for `view` ahead of time, so that showing it later
        costs a look-up (the app prepares the rounds either side of the current one while the
        user reads; a round switch then only draws the cursor's row)."""
        self._retired.clear()
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

    def _layout_of(self, view: MatrixView) -> Layout:
        return build_layout(view, self._available(), self._party_naturals(view))

    def _party_naturals(self, view: MatrixView) -> dict[str, int]:
        key = (view.analysis, tuple(d.id for d in view.demands), tuple(p.id for p in view.parties))
        if self._naturals is None or self._naturals[0] != key:
            self._naturals = (key, party_naturals(view.demands, view.parties, view.analysis))
        return self._naturals[1]

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


