"""Inline SVG charts for the HTML export: one per demand, positions over rounds and the gap.

Plain strings, no library: the chart is a few lines, markers and labels. Every text is
escaped with html.escape; nothing refers to anything outside the element.

Rounds sit on the x axis by date (three days apart is not the same step as two months),
nudged apart only when they would fall on the same pixels. Each party has a colour *and* a
marker shape, and its series is drawn a little above or below the others, so that parties
holding the same position stay distinguishable; the page says so under the chart.
"""

from __future__ import annotations

import math
from html import escape

from ..analysis import Analysis
from ..model import Catalog, Demand, Party, Round, Value
from .common import Part, gap_parts, isolate, plain_number, position_parts, spell_controls

#: Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999")
#: One marker shape per party, paired with its colour, so that colour is never the only signal.
SHAPES = ("circle", "square", "diamond", "triangle", "triangle-down", "hexagon")

WIDTH, PLOT_HEIGHT, GAP_HEIGHT = 720, 200, 52
LEFT, RIGHT, TOP, LABELS = 160, 24, 16, 96
#: space between the lowest position and the gap bars
GAP_TOP = 28
LABEL_CHARS = 18
#: series of different parties are drawn this many pixels apart, so that equal positions
#: show as parallel lines and side-by-side markers rather than one
SPREAD = 3.0
#: two rounds are never closer than this on the x axis (pixels)
MIN_STEP = 8.0
#: a date label is left out when it would overlap the one before (the table under the
#: chart lists every round)
LABEL_STEP = 34.0
MARKER = 5.0


def party_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def party_shape(index: int) -> str:
    return SHAPES[index % len(SHAPES)]


def svg_text(text: str) -> str:
    """Catalog text for an SVG text or title: controls named, right-to-left text isolated, escaped."""
    return escape(isolate(spell_controls(text)), quote=True)


def svg_parts(parts: list[Part]) -> str:
    """Sentence parts for an SVG text or title: each catalog piece as `svg_text` makes it."""
    return "".join(svg_text(t) if catalog else escape(t, quote=True) for t, catalog in parts)


def _short(text: str, width: int = LABEL_CHARS) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round ticks covering [low, high]: multiples of 1, 2, 2.5 or 5 times a
    power of ten. Counted by index, never by adding the step, which stops moving a float
    beyond 2**53 (a single huge value made the loop endless)."""
    if low == high:
        pad = max(1.0, abs(low) * 0.1)
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [round(k * step, 10) for k in range(first, last + 1)]


class _Axis:
    """Maps a demand's positions (scale index or value) to the plot's y pixels."""

    def __init__(self, catalog: Catalog, analysis: Analysis, demand: Demand) -> None:
        if demand.scale is not None:
            self.low, self.high = 0.0, float(len(demand.scale) - 1)
            self.ticks = [(float(i), stance) for i, stance in enumerate(demand.scale)]
            return
        values = [
            v
            for rnd in catalog.rounds
            for party in catalog.parties
            if (p := analysis.cell(rnd.id, party.id, demand.id).position) is not None and p.value is not None
            for v in (p.value.low, p.value.high)
        ]
        ticks = _nice_ticks(min(values, default=0), max(values, default=1))
        self.low, self.high = ticks[0], ticks[-1]
        self.ticks = [(t, plain_number(t)) for t in ticks]

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return TOP + PLOT_HEIGHT - (value - self.low) / span * PLOT_HEIGHT


def round_xs(rounds: tuple[Round, ...] | list[Round]) -> list[float]:
    """The x pixel of each round: by date, at least MIN_STEP apart, in file order."""
    count = len(rounds)
    if count == 0:
        return []
    if count == 1:
        return [LEFT + (WIDTH - LEFT - RIGHT) / 2]
    start, inner = LEFT + 12.0, WIDTH - LEFT - RIGHT - 24.0
    days = [(r.date - rounds[0].date).days for r in rounds]
    span = days[-1]
    if span <= 0:
        xs = [start + i * inner / (count - 1) for i in range(count)]
    else:
        xs = [start + d / span * inner for d in days]
    step = min(MIN_STEP, inner / (count - 1))
    for i in range(1, count):
        xs[i] = max(xs[i], xs[i - 1] + step)
    xs[-1] = min(xs[-1], start + inner)
    for i in range(count - 2, -1, -1):
        xs[i] = min(xs[i], xs[i + 1] - step)
    return xs


def labelled_rounds(xs: list[float]) -> list[int]:
    """The indexes of the rounds whose date label fits (the first and the last always)."""
    if not xs:
        return []
    shown = [0]
    for i in range(1, len(xs)):
        if xs[i] - xs[shown[-1]] >= LABEL_STEP:
            shown.append(i)
    last = len(xs) - 1
    if shown[-1] != last:
        if len(shown) > 1 and xs[last] - xs[shown[-1]] < LABEL_STEP:
            shown.pop()
        shown.append(last)
    return shown


def marker(shape: str, x: float, y: float, fill: str, colour: str, title: str) -> str:
    """One position's marker: `shape` centred on (x, y), with a tooltip."""
    r = MARKER
    common = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    tip = f"<title>{title}</title>" if title else ""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}>{tip}</circle>'
    if shape == "square":
        s = r * 0.9
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" {common}>{tip}</rect>'
    if shape == "diamond":
        d = r * 1.25
        points = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    elif shape == "triangle":
        d = r * 1.25
        points = [(x, y - d), (x + d, y + d * 0.75), (x - d, y + d * 0.75)]
    elif shape == "triangle-down":
        d = r * 1.25
        points = [(x, y + d), (x + d, y - d * 0.75), (x - d, y - d * 0.75)]
    else:
        d = r * 1.1
        points = [(x + d * math.cos(a), y + d * math.sin(a)) for a in (k * math.pi / 3 for k in range(6))]
    coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return f'<polygon points="{coords}" {common}>{tip}</polygon>'


def legend_marker(index: int, dashed: bool) -> str:
    """A small standalone SVG: the party's line and marker, for the legend above the charts."""
    colour = party_colour(index)
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    return (
        f'<svg class="swatch" viewBox="0 0 34 14" width="34" height="14" aria-hidden="true">'
        f'<line x1="1" y1="7" x2="33" y2="7" stroke="{colour}" stroke-width="2.5"{dash}/>'
        f"{marker(party_shape(index), 17, 7, colour, colour, '')}</svg>"
    )


def round_label(rnd: Round) -> str:
    """The x-axis label of a round: its date, and its status when no report confirms it."""
    return rnd.date.isoformat() + ("" if rnd.status == "reported" else f" {rnd.status}")


def demand_chart(catalog: Catalog, analysis: Analysis, demand: Demand) -> str:
    """An <svg> of every party's position on `demand` round by round, with the gap below.

    Only for scale and numeric demands (a free-text demand has no axis): returns ``.
    """
    if demand.kind == "text" or not catalog.rounds:
        return ""
    axis = _Axis(catalog, analysis, demand)
    rounds = catalog.rounds
    xs = round_xs(rounds)
    base = TOP + PLOT_HEIGHT
    height = base + GAP_TOP + GAP_HEIGHT + LABELS
    chart_id = f"chart-{demand.id}"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}">',
        f'<title id="{escape(chart_id)}">{svg_text(demand.title)}: positions over rounds, and the gap</title>',
    ]
    for value, label in axis.ticks:
        y = axis.y(value)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="tick" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"<title>{svg_text(label)}</title>{svg_text(_short(label))}</text>"
        )
    parts += _gap_strip(catalog, analysis, demand, base + GAP_TOP, xs)
    labels = base + GAP_TOP + GAP_HEIGHT + 4
    shown = set(labelled_rounds(xs))
    for i, (rnd, x) in enumerate(zip(rounds, xs)):
        confirmed = rnd.status == "reported"
        dash = "" if confirmed else ' stroke-dasharray="2 2"'
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{labels - 4}" x2="{x:.1f}" y2="{labels + (0 if i in shown else -1)}"{dash}/>')
        if i not in shown:
            continue
        # Slanted, so that neighbouring dates do not run into each other.
        style = "" if confirmed else ' font-style="italic"'
        parts.append(
            f'<text class="tick" x="{x + 4:.1f}" y="{labels + 12}" text-anchor="end"{style} '
            f'transform="rotate(-30 {x + 4:.1f} {labels + 12})">'
            f"<title>{svg_text(rnd.id)}</title>{escape(round_label(rnd))}</text>"
        )
    for index, party in enumerate(catalog.parties):
        parts += _party_series(catalog, analysis, demand, party, index, axis, xs)
    parts.append("</svg>")
    return "\n".join(parts)


def _party_series(catalog: Catalog, analysis: Analysis, demand: Demand, party: Party, index: int, axis: _Axis, xs: list[float]) -> list[str]:
    colour = party_colour(index)
    shape = party_shape(index)
    dash = "" if party.is_side else ' stroke-dasharray="6 4"'
    offset = (index - (len(catalog.parties) - 1) / 2) * SPREAD
    runs: list[list[tuple[float, float]]] = [[]]
    marks: list[str] = []
    for rnd, x0 in zip(catalog.rounds, xs):
        cell = analysis.cell(rnd.id, party.id, demand.id)
        position = cell.position
        if position is None or position.withdrawn:
            if runs[-1]:
                runs.append([])
            continue
        if position.value is not None:
            low, high = float(position.value.low), float(position.value.high)
        else:
            low = high = float(demand.scale.index(position.stance)) if demand.scale and position.stance else 0.0
        x = x0 + offset
        y_low, y_high = axis.y(low) + offset, axis.y(high) + offset
        y = (y_low + y_high) / 2
        runs[-1].append((x, y))
        label = (f"{svg_text(party.name)}, {svg_text(rnd.id)}: {svg_parts(position_parts(demand, position))}"
                 + (" (carried over)" if cell.carried else ""))
        if y_low != y_high:
            marks.append(f'<line x1="{x:.1f}" y1="{y_low:.1f}" x2="{x:.1f}" y2="{y_high:.1f}" stroke="{colour}" stroke-width="6" stroke-opacity="0.35"/>')
        fill = "#ffffff" if cell.carried else colour
        marks.append(marker(shape, x, y, fill, colour, label))
    lines = [
        f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} '
        f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in run)}"/>'
        for run in runs
        if len(run) > 1
    ]
    return lines + marks


def overlaps(catalog: Catalog, analysis: Analysis, demand: Demand) -> list[tuple[tuple[Party, ...], list[Round]]]:
    """Groups of parties that hold the same position on `demand`, with the rounds where they do."""
    groups: dict[tuple[str, ...], list[Round]] = {}
    for rnd in catalog.rounds:
        at: dict[Value, list[str]] = {}
        for party in catalog.parties:
            position = analysis.cell(rnd.id, party.id, demand.id).position
            if position is None or position.withdrawn:
                continue
            if position.value is not None:
                point = position.value
            elif demand.scale is not None and position.stance is not None:
                point = Value(demand.scale.index(position.stance), demand.scale.index(position.stance))
            else:
                continue
            at.setdefault(point, []).append(party.id)
        for ids in at.values():
            if len(ids) > 1:
                groups.setdefault(tuple(ids), []).append(rnd)
    by_id = {p.id: p for p in catalog.parties}
    return [(tuple(by_id[i] for i in ids), rnds) for ids, rnds in groups.items()]


def _gap_strip(catalog: Catalog, analysis: Analysis, demand: Demand, top: float, xs: list[float]) -> list[str]:
    # Bars show the relative gap (0 to 1), the share that decides the class and the trend.
    gaps = [analysis.gap(rnd.id, demand.id) for rnd in catalog.rounds]
    bar_height = GAP_HEIGHT - 18
    shown = set(labelled_rounds(xs))
    parts = [f'<text class="tick" x="{LEFT - 8}" y="{top + bar_height:.1f}" text-anchor="end">gap</text>',
             f'<line class="axis" x1="{LEFT}" y1="{top + bar_height:.1f}" x2="{WIDTH - RIGHT}" y2="{top + bar_height:.1f}"/>']
    closest = min((b - a for a, b in zip(xs, xs[1:])), default=18.0)
    width = max(min(18.0, closest - 2), 3.0)
    for i, (rnd, gap, x) in enumerate(zip(catalog.rounds, gaps, xs)):
        if gap.relative is None:
            continue
        h = max(min(gap.relative, 1.0) * bar_height, 1.5)
        parts.append(
            f'<rect class="gap" x="{x - width / 2:.1f}" y="{top + bar_height - h:.1f}" width="{width:.1f}" height="{h:.1f}">'
            f"<title>{svg_text(rnd.id)}: gap {svg_parts(gap_parts(demand, gap))}</title></rect>"
        )
        if i in shown:
            parts.append(
                f'<text class="gaplabel" x="{x:.1f}" y="{top + bar_height + 13:.1f}" text-anchor="middle">'
                f"{svg_text(gap.shown(demand))}</text>"
            )
    return parts
