"""One demand across every round: a chart as wide as the window, with the rounds named on its
axis and ticks on round numbers, then each party's position round by round, whole.

Drawn by hand rather than with textual-plotext: a position is often a range ([3, 13]) and
several parties share a value, which a line plot draws poorly; the marks must say claims and
unconfirmed rounds without colour (NO_COLOR); and it costs no new dependency. Textual's
Sparkline draws one series with no axis, which is not enough here.
"""

from __future__ import annotations

import math

from rich.cells import cell_len, set_cell_size
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from negotrack.store.analysis import SHIFT_GLYPHS, TREND_GLYPHS, Analysis, measure
from negotrack.store.model import Catalog, Demand, Round, Value
from negotrack.store.text import one_line

from ..present import AGREEMENT_STYLES, SHIFT_STYLES, position_text
from .backdrop import Modal
from .reading import STATUS_MARK, ReadingScroll, claim_text, round_name, status_text

MARKS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COLOURS = ("cyan", "magenta", "yellow", "green", "blue", "red")
BARS = " ▁▂▃▄▅▆▇█"
#: the narrowest column a round gets in the chart (the rounds share the rest of the width)
MIN_COLUMN = 3
#: a round's name under the axis may take this many columns, more than its own when narrow
NAME_WIDTH = 12
#: the tick labels are up to `TICK_ROWS` rows apart (the rows between place values more
#: finely), as long as the chart stays about `CHART_ROWS` high
TICK_ROWS, CHART_ROWS = 3, 12


def nice_step(span: float, count: int, integer: bool) -> float:
    """The step of about `count` ticks over `span`: 1, 2 or 5 times a power of ten (at least
    1 for whole numbers, so that no tick falls between two units)."""
    raw = span / max(count, 1)
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return max(step, 1.0) if integer else step


def ticks(low: float, high: float, count: int = 5, integer: bool = True) -> list[float]:
    """Round values from at or under `low` to at or over `high`, `nice_step` apart."""
    if high == low:
        low, high = low - 1, high + 1
    step = nice_step(high - low, count, integer)
    start, end = math.floor(low / step) * step, math.ceil(high / step) * step
    return [start + i * step for i in range(round((end - start) / step) + 1)]


def tick_label(value: float) -> str:
    """`5,000`, `2.5`, `-10`: whole numbers with separators, others as short as they go."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:g}"


def cut(text: str, cells: int) -> str:
    """`text` in at most `cells` terminal cells (a wide letter takes two), with `…` if cut."""
    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, max(cells - 1, 0)).rstrip() + "…" if cells > 0 else ""


def date_label(rnd: Round, width: int) -> str:
    """The date as wide as a round's column allows; in full where labels must skip rounds."""
    return rnd.date.strftime("%m-%d") if 5 <= width < 10 else rnd.date.isoformat()


def axis_labels(rows: list[list[str]], column: int, current: int | None) -> tuple[list[Text], list[int]]:
    """Lines of labels under the rounds' columns (their names, their dates), and the columns
    of the rounds labelled. Each round's labels are centred under its column; a round whose
    labels would touch those already placed is left unlabelled on every line alike, so that a
    name and a date under each other are always the same round's. The current round is placed
    first, reversed."""
    count = len(rows[0])
    width = column * count
    taken = [False] * (width + 1)
    order = ([current] if current is not None else []) + [i for i in range(count) if i != current]
    spans: dict[int, tuple[int, int]] = {}
    for i in order:
        size = min(max(cell_len(row[i]) for row in rows), width)
        start = min(max(0, i * column + (column - size) // 2), width - size)
        if any(taken[max(start - 1, 0):start + size + 1]):
            continue
        taken[start:start + size] = [True] * size
        spans[i] = (start, start + size)
    lines = []
    for row in rows:
        chars = [" "] * width
        for i, (start, end) in spans.items():
            # centred under the round's tick, as far as the span allows
            label = cut(row[i], end - start)
            left = min(max(i * column + (column - 1) // 2 - start - cell_len(label) // 2, 0), end - start - cell_len(label))
            chars[start:end] = [" " * left + label + " " * (end - start - left - cell_len(label))] + [""] * (end - start - 1)
        text = Text("".join(chars))
        if current in spans:
            text.stylize("bold reverse", *spans[current])
        lines.append(text)
    return lines, sorted(i * column + (column - 1) // 2 for i in spans)


def x_axis(rounds: tuple[Round, ...], shown: range, here: int, indent: int, column: int) -> Text:
    """The axis under the chart, a tick under each round labelled, and its name and date.

    With room for five characters a column, every round is labelled, shortened to its column;
    with less, rounds are labelled as far as their whole names fit (ticks show which)."""
    dense = column - 1 >= 5
    names, dates = [], []
    for r in shown:
        rnd = rounds[r]
        full = one_line(rnd.venue or rnd.id)
        name = cut(full, column - 1 if dense else NAME_WIDTH)
        if rnd.status != "reported" and (not dense or cell_len(full) + 2 <= column - 1):
            name = f"{name} {STATUS_MARK}"
        names.append(name)
        dates.append(date_label(rnd, column - 1))
    lines, ticked = axis_labels([names, dates], column, shown.index(here) if here in shown else None)
    axis = ["─"] * (column * len(shown))
    for x in ticked:
        axis[x] = "┬"
    text = Text(" " * indent + " └" + "".join(axis) + "\n", style="dim")
    for line in lines:
        text.append(" " * (indent + 2))
        text.append_text(line)
        text.append("\n")
    return text


def window(count: int, current: int, fits: int) -> range:
    """The rounds shown when not all fit: as many as fit, around the current one."""
    if count <= fits:
        return range(count)
    start = max(0, min(current - fits // 2, count - fits))
    return range(start, start + fits)


def chart(analysis: Analysis, demand_id: str, current: str | None, width: int) -> Text:
    """Positions over rounds in `width` columns: a mark per party (A, B, …; lowercase for a
    claim), the rounds named under the axis, the gap as bars, then the key."""
    catalog = analysis.catalog
    demand = catalog.demand(demand_id)
    if demand.kind == "text":
        return Text("Free-text demand: no chart (the positions are listed below).", style="dim")
    if not catalog.rounds:
        return Text("No rounds yet.", style="dim")
    parties = catalog.parties
    series = {p.id: [analysis.cell(r.id, p.id, demand_id) for r in catalog.rounds] for p in parties}
    points = {pid: [measure(demand, c.position) for c in cells] for pid, cells in series.items()}
    if demand.scale is not None:
        labels = [cut(one_line(s), max(8, width // 4)) for s in demand.scale]
        values = [float(i) for i in range(len(labels))]
    else:
        measured = [v for row in points.values() for v in row if v is not None]
        if not measured:
            return Text("No numeric positions yet.", style="dim")
        integer = all(float(x).is_integer() for v in measured for x in (v.low, v.high))
        marks = ticks(min(v.low for v in measured), max(v.high for v in measured), 5, integer)
        between = max(1, min(TICK_ROWS, CHART_ROWS // (len(marks) - 1)))
        step = (marks[1] - marks[0]) / between
        values = [marks[0] + i * step for i in range((len(marks) - 1) * between + 1)]
        labels = [tick_label(v) if i % between == 0 else "" for i, v in enumerate(values)]
    label_width = max(cell_len(label) for label in labels)
    rounds = catalog.rounds
    here = catalog.round_index(current) if current in [r.id for r in rounds] else len(rounds) - 1
    room = max(width - label_width - 2, MIN_COLUMN)
    shown = window(len(rounds), here, room // MIN_COLUMN)
    column = max(MIN_COLUMN, room // len(shown))
    low, high = values[0], values[-1]

    def row_of(value: float) -> int:
        return round((value - low) / ((high - low) or 1) * (len(values) - 1))

    grid: list[list[list[tuple[str, str]]]] = [[[] for _ in shown] for _ in values]
    for k, party in enumerate(parties):
        for x, r in enumerate(shown):
            value: Value | None = points[party.id][r]
            if value is None:
                continue
            mark = MARKS[k % len(MARKS)]
            if series[party.id][r].position.claim:
                mark = mark.lower()
            for y in range(row_of(value.low), row_of(value.high) + 1):
                grid[y][x].append((mark, COLOURS[k % len(COLOURS)]))
    text = Text()
    unconfirmed = [rounds[r].status != "reported" for r in shown]
    for y in range(len(values) - 1, -1, -1):
        text.append(" " * (label_width - cell_len(labels[y])) + labels[y] + (" ┤" if labels[y] else " │"), style="dim")
        for x, cell in enumerate(grid[y]):
            if not cell:
                text.append(("┊" if unconfirmed[x] else " ").center(column), style="dim")
            elif len(cell) <= column - 2:
                body = "".join(mark for mark, _ in cell)
                pad = column - len(body)
                text.append(" " * (pad // 2))
                for mark, style in cell:
                    text.append(mark, style=f"bold {style}")
                text.append(" " * (pad - pad // 2))
            else:
                text.append("*".center(column), style="bold")
        text.append("\n")
    text.append_text(x_axis(rounds, shown, here, label_width, column))
    text.append("gap".rjust(label_width) + "  ", style="bold")
    for r in shown:
        gap = analysis.gap(rounds[r].id, demand_id)
        if gap.relative is None:
            text.append("·".center(column), style="dim")
            continue
        share = min(1.0, gap.relative)
        style = AGREEMENT_STYLES.get(gap.agreement, "") if gap.agreement is not None else ""
        text.append(BARS[min(8, round(share * 8))].center(column), style=style)
    text.append("\n")
    if len(shown) < len(rounds):
        text.append(f"rounds {shown.start + 1}–{shown.stop} of {len(rounds)} shown\n", style="dim")
    return text + key(catalog, demand_id, analysis, width)


def key(catalog: Catalog, demand_id: str, analysis: Analysis, width: int) -> Text:
    """What the marks mean: a letter per party with a position here, then the other marks,
    as many to a line as `width` holds."""
    items: list[Text] = []
    for k, party in enumerate(catalog.parties):
        if all(c.position is None for c in analysis.history(party.id, demand_id)):
            continue
        item = Text(MARKS[k % len(MARKS)], style=f"bold {COLOURS[k % len(COLOURS)]}")
        item.append(" " + cut(one_line(party.name), max(12, width - 4)))
        items.append(item)
    for said in ("lowercase: a claim (another side's account)", "* several parties",
                 f"┊ {STATUS_MARK} announced or inferred round", "gap: ▁ close … █ apart (relative)"):
        items.append(Text(said, style="dim"))
    text, used = Text(), 0
    for item in items:
        size = item.cell_len
        if used and used + 3 + size > width:
            text.append("\n")
            used = 0
        elif used:
            text.append("   ")
            used += 3
        text.append_text(item)
        used += size
    return text


def positions_table(analysis: Analysis, demand_id: str, current: str | None) -> Table:
    """A row per round: the gap, then each party's position whole (wrapped, never cut)."""
    catalog = analysis.catalog
    demand: Demand = catalog.demand(demand_id)
    parties = [p for p in catalog.parties
               if any(c.position is not None for c in analysis.history(p.id, demand_id))]
    table = Table(box=None, expand=True, padding=(0, 1), header_style="bold", show_edge=False)
    table.add_column("round", ratio=3, min_width=12)
    table.add_column("gap", ratio=2, min_width=8)
    for party in parties:
        table.add_column(Text(one_line(party.name)), ratio=4, min_width=10)
    for rnd in catalog.rounds:
        gap = analysis.gap(rnd.id, demand_id)
        label = Text(("▶ " if rnd.id == current else "") + rnd.date.isoformat() + " ", style="bold" if rnd.id == current else "")
        label.append(round_name(rnd))
        label.append_text(status_text(rnd))
        gap_text = Text(gap.shown(demand))
        if gap.trend is not None:
            gap_text.append(f" {TREND_GLYPHS[gap.trend]}")
        if gap.agreement is not None:
            gap_text.append(f" {gap.agreement.value}", style=AGREEMENT_STYLES[gap.agreement])
        row = [label, gap_text]
        for party in parties:
            cell = analysis.cell(rnd.id, party.id, demand_id)
            if cell.position is None:
                row.append(Text("—", style="dim"))
                continue
            glyph = SHIFT_GLYPHS[cell.shift] if cell.shift is not None else " "
            style = SHIFT_STYLES.get(cell.shift, "") if cell.shift is not None else ""
            stance = Text(f"{glyph} ", style=style)
            stance.append(one_line(position_text(demand, cell.position, unit=False)),
                          style="dim" if cell.carried else ("strike" if cell.position.withdrawn else ""))
            claim = claim_text(catalog, cell.position)
            if claim and not cell.carried:
                stance.append("\n")
                stance.append_text(claim)
            row.append(stance)
        table.add_row(*row)
    return table


class Chart(Static):
    """The chart, drawn again at the new width whenever the window changes."""

    def __init__(self, analysis: Analysis, demand_id: str, current: str | None, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.analysis, self.demand_id, self.current = analysis, demand_id, current

    def on_resize(self) -> None:
        self.update(chart(self.analysis, self.demand_id, self.current, self.size.width))


class TimelineScreen(Modal[None]):
    AUTO_FOCUS = "#timeline-scroll"
    BINDINGS = [Binding("escape,t,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    TimelineScreen { background: $background; }
    #timeline-head { height: auto; padding: 0 1; background: $boost; border-bottom: solid $primary; }
    #timeline-scroll { height: 1fr; padding: 0 1; }
    #timeline-graph { height: auto; margin: 1 0; }
    """

    def __init__(self, analysis: Analysis, demand_id: str, current: str | None) -> None:
        super().__init__()
        self.analysis = analysis
        self.demand_id = demand_id
        self.current = current

    def compose(self) -> ComposeResult:
        demand = self.analysis.catalog.demand(self.demand_id)
        head = Text()
        head.append(" Timeline ", style="bold reverse")
        head.append(" ")
        head.append(one_line(demand.title), style="bold")
        if demand.unit:
            head.append(f" ({one_line(demand.unit)})", style="italic")
        yield Static(head, id="timeline-head")
        with ReadingScroll(id="timeline-scroll"):
            yield Chart(self.analysis, self.demand_id, self.current, id="timeline-graph")
            yield Static(positions_table(self.analysis, self.demand_id, self.current), id="timeline-rows")
        yield Footer()
