"""One demand across every round: each party's position, a chart, and the gap."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from negotrack.store.analysis import SHIFT_GLYPHS, TREND_GLYPHS, Analysis, measure
from negotrack.store.text import one_line

from ..present import SHIFT_STYLES, plain, position_text

MARKS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COLOURS = ("cyan", "magenta", "yellow", "green", "blue", "red")
BARS = " ▁▂▃▄▅▆▇█"
CHART_ROWS = 8


def chart(analysis: Analysis, demand_id: str, current: str | None) -> Text:
    """Positions over rounds, one mark per party (A, B, ...), and the gap as bars below."""
    catalog = analysis.catalog
    demand = catalog.demand(demand_id)
    if demand.kind == "text":
        return Text("Free-text demand: no chart (positions are listed above).", style="dim")
    parties = catalog.parties
    series = {p.id: [measure(demand, analysis.cell(r.id, p.id, demand_id).position) for r in catalog.rounds] for p in parties}
    if demand.scale is not None:
        labels = list(demand.scale)
        low, high = 0.0, float(len(labels) - 1)
        rows = len(labels)
    else:
        values = [v for s in series.values() for v in s if v is not None]
        if not values:
            return Text("No numeric positions yet.", style="dim")
        low, high = float(min(v.low for v in values)), float(max(v.high for v in values))
        rows = CHART_ROWS if high > low else 1
        step = (high - low) / max(rows - 1, 1)
        labels = [f"{low + i * step:.4g}" for i in range(rows)]
    span = (high - low) or 1.0
    width = max(len(one_line(lbl, 24)) for lbl in labels)
    grid = [[(" ", "")] * len(catalog.rounds) for _ in range(rows)]
    for k, party in enumerate(parties):
        for x, value in enumerate(series[party.id]):
            if value is None:
                continue
            top = round((value.high - low) / span * (rows - 1))
            bottom = round((value.low - low) / span * (rows - 1))
            for y in range(bottom, top + 1):
                mark = MARKS[k % len(MARKS)]
                grid[y][x] = (mark if grid[y][x][0] == " " else "*", COLOURS[k % len(COLOURS)])
    text = Text()
    for y in range(rows - 1, -1, -1):
        text.append(one_line(labels[y], 24).rjust(width) + " │", style="dim")
        for x, (mark, style) in enumerate(grid[y]):
            here = catalog.rounds[x].id == current
            text.append(f" {mark} ", style=f"{style} reverse" if here and mark != " " else style)
        text.append("\n")
    text.append(" " * width + " └" + "───" * len(catalog.rounds) + "\n", style="dim")
    text.append("gap".rjust(width) + "  ", style="bold")
    for r in catalog.rounds:
        gap = analysis.gap(r.id, demand_id)
        if gap.normalized is None:
            text.append(" · ", style="dim")
            continue
        share = gap.normalized if demand.scale is not None else gap.normalized / span
        text.append(f" {BARS[min(8, round(share * 8))]} ", style="red" if share > 0.25 else "green")
    text.append("\n\n")
    for k, party in enumerate(parties):
        text.append(f"{MARKS[k % len(MARKS)]}", style=f"bold {COLOURS[k % len(COLOURS)]}")
        text.append(" = ")
        text.append(plain(party.name, 30))
        text.append("   ")
    text.append("* = more than one party")
    return text


class TimelineScreen(ModalScreen[None]):
    AUTO_FOCUS = "#timeline-table"
    BINDINGS = [Binding("escape,t,q", "dismiss", "Close")]

    def __init__(self, analysis: Analysis, demand_id: str, current: str | None) -> None:
        super().__init__()
        self.analysis = analysis
        self.demand_id = demand_id
        self.current = current

    def compose(self) -> ComposeResult:
        demand = self.analysis.catalog.demand(self.demand_id)
        with VerticalScroll(id="timeline-box"):
            unit = Text(f" ({demand.unit})", style="italic") if demand.unit else Text("")
            yield Static(Text("Timeline: ", style="bold") + plain(demand.title) + unit + Text("   (Esc closes)", style="dim"))
            yield DataTable(id="timeline-table", cursor_type="row", zebra_stripes=True)
            yield Static(chart(self.analysis, self.demand_id, self.current), id="timeline-chart")

    def on_mount(self) -> None:
        catalog = self.analysis.catalog
        demand = catalog.demand(self.demand_id)
        table = self.query_one("#timeline-table", DataTable)
        table.add_column(Text("Round"), key="round")
        table.add_column(Text("Gap"), key="gap")  # second, as in the matrix: always in sight
        for party in catalog.parties:
            table.add_column(plain(party.name, 20), key=party.id)
        for r in catalog.rounds:
            gap = self.analysis.gap(r.id, self.demand_id)
            gap_text = gap.shown(demand) + (f" {TREND_GLYPHS[gap.trend]}" if gap.trend else "")
            row = [Text(f"{r.date.isoformat()} ") + plain(r.venue or r.id, 14),
                   Text(f"{gap_text} {gap.agreement or ''}".strip())]
            for party in catalog.parties:
                cell = self.analysis.cell(r.id, party.id, self.demand_id)
                glyph = SHIFT_GLYPHS[cell.shift] if cell.shift else " "
                row.append(Text(f"{glyph} ", style=SHIFT_STYLES.get(cell.shift, "") if cell.shift else "")
                           + plain(position_text(demand, cell.position, unit=False) or "—", 18))
            table.add_row(*row, key=r.id)
        if self.current is not None:
            table.move_cursor(row=catalog.round_index(self.current))
