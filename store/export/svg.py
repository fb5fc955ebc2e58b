"""Inline SVG charts for the HTML export: one per demand, positions over rounds and the gap.

Plain strings, no library: the chart is a few lines, circles and labels. Every text is
escaped with html.escape; nothing refers to anything outside the element.
"""

from __future__ import annotations

import math
from html import escape

from ..analysis import Analysis
from ..model import Catalog, Demand, Party
from .common import gap_text, plain_number, position_text

#: Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999")

WIDTH, PLOT_HEIGHT, GAP_HEIGHT = 720, 200, 52
LEFT, RIGHT, TOP, LABELS = 150, 24, 16, 84
#: space between the lowest position and the gap bars
GAP_TOP = 28
LABEL_CHARS = 20
#: dots of different parties at the same place are spread by this many pixels
SPREAD = 3.0


def party_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _short(text: str, width: int = LABEL_CHARS) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if low == high:
        low, high = low - 1, high + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, tick = [], first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


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


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    if count == 1:
        return LEFT + inner / 2
    return LEFT + 12 + index * (inner - 24) / (count - 1)


def demand_chart(catalog: Catalog, analysis: Analysis, demand: Demand) -> str:
    """An <svg> of every party's position on `demand` round by round, with the gap below.

    Only for scale and numeric demands (a free-text demand has no axis): returns ``.
    """
    if demand.kind == "text" or not catalog.rounds:
        return ""
    axis = _Axis(catalog, analysis, demand)
    rounds = catalog.rounds
    base = TOP + PLOT_HEIGHT
    height = base + GAP_TOP + GAP_HEIGHT + LABELS
    chart_id = f"chart-{demand.id}"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}">',
        f'<title id="{escape(chart_id)}">{escape(demand.title)}: positions over rounds, and the gap</title>',
    ]
    for value, label in axis.ticks:
        y = axis.y(value)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="tick" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_short(label))}</text>"
        )
    parts += _gap_strip(catalog, analysis, demand, base + GAP_TOP)
    labels = base + GAP_TOP + GAP_HEIGHT + 4
    for i, rnd in enumerate(rounds):
        x = _x(i, len(rounds))
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{labels - 4}" x2="{x:.1f}" y2="{labels}"/>')
        # Slanted, so that long round ids do not run into each other.
        parts.append(
            f'<text class="tick" x="{x + 4:.1f}" y="{labels + 10}" text-anchor="end" transform="rotate(-30 {x + 4:.1f} {labels + 10})">'
            f"<title>{escape(rnd.id)} ({rnd.date.isoformat()})</title>{escape(_short(rnd.id, 16))}</text>"
        )
    for index, party in enumerate(catalog.parties):
        parts += _party_series(catalog, analysis, demand, party, index, axis)
    parts.append("</svg>")
    return "\n".join(parts)


def _party_series(catalog: Catalog, analysis: Analysis, demand: Demand, party: Party, index: int, axis: _Axis) -> list[str]:
    colour = party_colour(index)
    dash = "" if party.is_side else ' stroke-dasharray="6 4"'
    rounds = catalog.rounds
    offset = (index - (len(catalog.parties) - 1) / 2) * SPREAD
    runs: list[list[tuple[float, float]]] = [[]]
    marks: list[str] = []
    for i, rnd in enumerate(rounds):
        cell = analysis.cell(rnd.id, party.id, demand.id)
        position = cell.position
        x = _x(i, len(rounds)) + offset
        if position is None or position.withdrawn:
            if runs[-1]:
                runs.append([])
            continue
        if position.value is not None:
            low, high = float(position.value.low), float(position.value.high)
        else:
            low = high = float(demand.scale.index(position.stance)) if demand.scale and position.stance else 0.0
        y_low, y_high = axis.y(low), axis.y(high)
        y = (y_low + y_high) / 2
        runs[-1].append((x, y))
        label = f"{party.name}, {rnd.id}: {position_text(demand, position)}" + (" (carried over)" if cell.carried else "")
        if y_low != y_high:
            marks.append(f'<line x1="{x:.1f}" y1="{y_low:.1f}" x2="{x:.1f}" y2="{y_high:.1f}" stroke="{colour}" stroke-width="6" stroke-opacity="0.35"/>')
        fill = "#ffffff" if cell.carried else colour
        marks.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{fill}" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(label)}</title></circle>"
        )
    lines = [
        f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} '
        f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in run)}"/>'
        for run in runs
        if len(run) > 1
    ]
    return lines + marks


def _gap_strip(catalog: Catalog, analysis: Analysis, demand: Demand, top: float) -> list[str]:
    gaps = [analysis.gap(rnd.id, demand.id) for rnd in catalog.rounds]
    largest = max((g.normalized for g in gaps if g.normalized is not None), default=0.0)
    scale = 1.0 if demand.kind == "scale" else (largest or 1.0)
    bar_height = GAP_HEIGHT - 18
    parts = [f'<text class="tick" x="{LEFT - 8}" y="{top + bar_height:.1f}" text-anchor="end">gap</text>',
             f'<line class="axis" x1="{LEFT}" y1="{top + bar_height:.1f}" x2="{WIDTH - RIGHT}" y2="{top + bar_height:.1f}"/>']
    for i, (rnd, gap) in enumerate(zip(catalog.rounds, gaps)):
        if gap.normalized is None:
            continue
        x = _x(i, len(catalog.rounds))
        h = max(gap.normalized / scale * bar_height, 1.5)
        label = gap_text(demand, gap)
        parts.append(
            f'<rect class="gap" x="{x - 9:.1f}" y="{top + bar_height - h:.1f}" width="18" height="{h:.1f}">'
            f"<title>{escape(rnd.id)}: gap {escape(label)}</title></rect>"
        )
        parts.append(
            f'<text class="gaplabel" x="{x:.1f}" y="{top + bar_height + 13:.1f}" text-anchor="middle">'
            f"{escape(gap.shown(demand))}</text>"
        )
    return parts
