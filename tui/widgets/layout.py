"""How the matrix lays out one round: which columns, how wide, and each cell's lines.

Pure functions of a `MatrixView` and the width available; the widget (matrix.py) draws what
they decide. Columns are sized to what they hold (`share_widths`): each asks for its longest
content, and when the window is too narrow the widest give way first, their text wrapping
between words onto up to three lines; the sides (role `party`) always fit, mediators and
observers fold into one column when even the minimum widths do not fit.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from rich.cells import cell_len
from textual.strip import Strip

from negotrack.store.analysis import Analysis, Shift
from negotrack.store.model import Catalog, Demand, Party
from negotrack.store.pauses import pause_point
from negotrack.store.text import one_line

from ..memo import LastCatalog
from ..present import EMPTY_CELL, CellContent, Pieces, cell_content, gap_pieces, wrap
from ..state import MAX_WIDTH, MIN_WIDTH

DEMAND_KEY = "__demand__"
GAP_KEY = "__gap__"
#: the column mediators and observers fold into when the window cannot show them all
OTHERS_KEY = "__others__"
#: lines of a folded cell (each stated mediator's or observer's position)
FOLD_LINES = 4
FOLD_MIN = 12
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


def share_widths(available: int, naturals: list[int], minimums: list[int], must: list[bool]) -> list[int]:
    """Column text widths (padding excluded) for `available` cells of screen.

    Every column gets its natural width when all fit. Otherwise: the `must` columns (the fixed
    ones and the sides) whole if the others can share what they leave; else every column gives
    way, the widest first, if all fit at their minimums; else only the `must` columns are
    fitted and the others keep their natural width, to be scrolled to. Giving way lowers a
    common ceiling until the columns fit, none below its minimum.
    """
    every = list(range(len(naturals)))
    first = [i for i in every if must[i]]
    rest = [i for i in every if not must[i]]
    widths = list(naturals)
    if _room(every, naturals) <= available:
        return widths
    if _room(first, naturals) + _room(rest, minimums) <= available:
        _level(widths, rest, minimums, available - _room(first, naturals))
    elif _room(every, minimums) <= available:
        _level(widths, every, minimums, available)
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


def party_naturals(demands: tuple[Demand, ...], parties: tuple[Party, ...], analysis: Analysis) -> dict[str, int]:
    """Each party's widest position anywhere in the catalog (with room for its markers), so
    that columns keep their width from round to round."""
    widest = widest_positions(analysis.catalog)
    return {p.id: max((widest.get((p.id, d.id), 0) for d in demands), default=0) for p in parties}


@LastCatalog
def widest_positions(catalog: Catalog) -> dict[tuple[str, str], int]:
    """The widest position text of each (party, demand) over every round, in terminal cells.
    Measuring every position (600,000 at XL, ~0.6 s) is done once per catalog, by the loading
    worker before the catalog is shown (tui/loading.py), not by the UI thread."""
    widest: dict[tuple[str, str], int] = {}
    pause = pause_point()  # a round at a time: 0.5 s for XL's 582,000 positions
    for rnd in catalog.rounds:
        if pause is not None:
            pause()
        for pair, position in rnd.positions.items():
            text = position.shown()
            width = len(text) if text.isascii() else cell_len(text)
            if width > widest.get(pair, 0):
                widest[pair] = width
    return widest


def build_layout(view: MatrixView, available: int, widest: dict[str, int]) -> Layout:
    """The columns, each cell's lines and the rows' heights of `view` in `available` cells."""
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
    naturals, minimums = _naturals_of(view, parties, contents, widest)
    must = [True, True] + [p.is_side for p in parties]
    folded = not all(must) and _room(range(len(naturals)), minimums) > available
    if folded:
        # too narrow for every column: mediators and observers share one, listing who said what
        sides = FIXED + sum(must[FIXED:])
        others = parties[sides - FIXED:]
        parties = parties[:sides - FIXED]
        contents = [row[:sides] + [_fold(others, row[sides:])] for row in contents]
        fold_width = min(max((row[-1].natural_width() for row in contents), default=FOLD_MIN), MAX_NATURAL)
        naturals, minimums = naturals[:sides] + [max(fold_width, FOLD_MIN)], minimums[:sides] + [FOLD_MIN]
        must = must[:sides] + [True]  # the fold shares the screen with the sides
    widths = _chosen(view, [DEMAND_KEY, GAP_KEY] + [p.id for p in parties] + ([OTHERS_KEY] if folded else []),
                          share_widths(available, naturals, minimums, must))
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
                  width=available)

def _naturals_of(view: MatrixView, parties: list[Party], contents: list[list],
             naturals_by_party: dict[str, int]) -> tuple[list[int], list[int]]:
    """Each column's natural and minimum width: demand, gap, then the parties."""
    demand_natural = max((cell_len(one_line(d.title)) for d in view.demands), default=6)
    gap_natural = max((sum(cell_len(t) for t, _ in row[1]) for row in contents), default=3)
    naturals = [min(max(demand_natural, 6), MAX_NATURAL), max(gap_natural, 3)]
    titles = [row[0] for row in contents]
    minimums = [min(naturals[0], max(MIN_DEMAND_WIDTH, _longest_word(titles), _readable(titles))), naturals[1]]
    for index, party in enumerate(parties, start=FIXED):
        column = [row[index] for row in contents]
        # markers (★ glyph ‡ » and a space) and the was-line of this round count too
        here = max((content.natural_width() for content in column), default=1)
        label = cell_len(party.name) + (0 if party.is_side else 2)
        natural = min(max(naturals_by_party.get(party.id, 0) + 4, here, label, 3), MAX_NATURAL)
        naturals.append(natural)
        # wide enough that words are not broken and an ordinary stance fits its lines
        minimums.append(min(natural, max(MIN_PARTY_WIDTH, _longest_word(column), _readable(column))))
    return naturals, minimums

def _chosen(view: MatrixView, keys: list[str], widths: list[int]) -> list[int]:
    """`widths`, with the ones the user chose (`+` and `-`) instead."""
    chosen = dict(view.widths)
    return [max(MIN_WIDTH, min(MAX_WIDTH, chosen[k])) if k in chosen else w for k, w in zip(keys, widths)]


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


#: a stance this long or shorter is never cut where the columns fit at their minimums
ORDINARY = 60


def _readable(column: list[CellContent]) -> int:
    """The width at which the longest ordinary text of a column (up to ORDINARY cells) fits
    its lines, with some slack for wrapping between words."""
    widest = 0
    for content in column:
        body = min(cell_len(content.body), ORDINARY)
        widest = max(widest, content.marker_width + -(-body // BODY_LINES) + 3)
    return widest


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
