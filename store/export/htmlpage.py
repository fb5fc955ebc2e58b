"""The HTML export: one self-contained page to hand to a colleague; it works offline.

Inline CSS and inline SVG only: no script, no font, no image, nothing fetched. The only
links that leave the page are the sources' own http(s) URLs. Every catalog string passes
through `h()` (control characters made visible, then html.escape), and a Content Security
Policy forbids scripts and loads even if something slipped through.
"""

from __future__ import annotations

import os
from html import escape

from ..analysis import SHIFT_GLYPHS, TREND_GLYPHS, Analysis, Shift
from ..model import Catalog, Demand, Position, Round
from ..text import clean
from .common import (
    DISPUTED_GLYPH, SHIFT_MEANINGS, gap_text, party_label, position_text, round_heading,
    round_sentences, safe_url,
)
from .svg import demand_chart, party_colour

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"

CSS = """
:root { --fg: #1b1b1b; --muted: #6b6b6b; --line: #d9d9d9; --band: #f5f5f2; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: var(--fg); background: #fff; margin: 0 auto; padding: 1.5rem; max-width: 68rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta, .muted, figcaption small { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
a { color: var(--accent); }
.wide { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
thead th { background: var(--band); }
td.carried { color: var(--muted); font-style: italic; }
td.empty { color: var(--muted); text-align: center; }
td .note, td q { display: block; font-size: .85em; color: var(--muted); }
.glyph { display: inline-block; min-width: 1.2em; font-weight: bold; }
.shift-toward .glyph { color: #007a4d; } .shift-away .glyph { color: #b3261e; }
.shift-moved .glyph { color: #8a6d00; } .shift-withdrawn .text { text-decoration: line-through; }
.status { font-size: .8em; border: 1px solid var(--line); border-radius: .6em; padding: 0 .4em; white-space: nowrap; }
sup a { text-decoration: none; }
#sources a { word-break: break-all; }
.legend { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; padding: 0; list-style: none; }
figure { margin: 1rem 0 2rem; }
figcaption { font-weight: bold; }
.chart { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
.chart .grid { stroke: var(--line); } .chart .axis { stroke: var(--muted); }
.chart .tick, .chart .gaplabel { fill: var(--muted); } .chart .gap { fill: #9aa5b1; }
.swatch { display: inline-block; width: 1.6em; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: .3em; }
.swatch.dashed { border-top-style: dashed; }
blockquote { margin: .3rem 0 .3rem 1rem; color: var(--muted); }
@media print { nav { display: none; } section.round { break-inside: avoid; } }
""".strip()


def h(text: object) -> str:
    """Any text made inert in HTML, attribute values included."""
    return escape(clean(str(text)), quote=True)


def _anchor(kind: str, ident: str) -> str:
    return h(f"{kind}-{ident}")


def _source_refs(catalog: Catalog, ids: tuple[str, ...]) -> str:
    refs = []
    for sid in ids:
        source = catalog.source(sid)
        if source is not None:
            refs.append(f'<a href="#{_anchor("source", sid)}" title="{h(source.outlet)}">[{h(sid)}]</a>')
    return f"<sup>{' '.join(refs)}</sup>" if refs else ""


def _cell(catalog: Catalog, demand: Demand, position: Position | None, shift: Shift | None) -> str:
    if position is None:
        return '<td class="empty">—</td>'
    classes = f"shift-{shift.value}" if shift is not None else ""
    if shift is Shift.CARRIED:
        classes += " carried"
    glyph = SHIFT_GLYPHS[shift] if shift is not None else ""
    title = f"{shift.value}: {SHIFT_MEANINGS[shift]}" if shift is not None else ""
    body = [f'<span class="glyph" title="{h(title)}">{h(glyph)}</span> '
            f'<span class="text">{h(position_text(demand, position))}</span>']
    if shift is not Shift.CARRIED:
        if position.status:
            body.append(f' <span class="status">{h(position.status)}</span>')
        if position.disputed:
            body.append(f' <span title="disputed">{DISPUTED_GLYPH}</span>')
        body.append(_source_refs(catalog, position.sources))
        if position.note:
            body.append(f'<span class="note">{h(position.note)}</span>')
        if position.quote:
            body.append(f"<q>{h(position.quote)}</q>")
    else:
        body.append(f'<span class="note">since {h(position.round)}</span>')
    return f'<td class="{h(classes.strip())}">{"".join(body)}</td>'


def _round(catalog: Catalog, analysis: Analysis, index: int, rnd: Round) -> list[str]:
    out = [f'<section class="round" id="{_anchor("round", rnd.id)}">', f"<h2>{h(round_heading(rnd))}</h2>"]
    if rnd.summary:
        out.append(f"<p>{h(rnd.summary)}</p>")
    if rnd.sources:
        out.append(f'<p class="meta">Reported by {_source_refs(catalog, rnd.sources)}</p>')
    head = "".join(f'<th scope="col">{h(party_label(p))}</th>' for p in catalog.parties)
    out += ['<div class="wide"><table>', f'<thead><tr><th scope="col">Demand</th>{head}<th scope="col">Gap</th></tr></thead>', "<tbody>"]
    for demand in catalog.demands:
        cells = "".join(
            _cell(catalog, demand, (c := analysis.cell(rnd.id, p.id, demand.id)).position, c.shift)
            for p in catalog.parties
        )
        gap = gap_text(demand, analysis.gap(rnd.id, demand.id)) or "—"
        out.append(f'<tr><th scope="row"><a href="#{_anchor("demand", demand.id)}">{h(demand.title)}</a></th>{cells}<td>{h(gap)}</td></tr>')
    out += ["</tbody></table></div>", f"<h3>{'What was reported' if index == 0 else 'What changed since the previous round'}</h3>", "<ul>"]
    sentences = round_sentences(catalog, analysis, index)
    # A sentence cites its sources only where they differ from the round's own.
    items = [f"<li>{h(s.text)}{_source_refs(catalog, s.sources if s.sources != rnd.sources else ())}</li>" for s in sentences]
    for (party_id, demand_id), position in rnd.positions.items():
        for report in position.disputed:
            text = f"{catalog.party(party_id).name} on {catalog.demand(demand_id).title}: also reported as {report.shown()}"
            if report.note:
                text += f" ({report.note})"
            items.append(f"<li>{DISPUTED_GLYPH} {h(text)}.{_source_refs(catalog, report.sources)}</li>")
    out += items or ["<li>Nothing new was reported.</li>"]
    out += ["</ul>", "</section>"]
    return out


def _charts(catalog: Catalog, analysis: Analysis) -> list[str]:
    swatches = "".join(
        f'<li><span class="swatch{"" if p.is_side else " dashed"}" style="border-top-color: {party_colour(i)}"></span>{h(party_label(p))}</li>'
        for i, p in enumerate(catalog.parties)
    )
    out = ['<section id="charts">', "<h2>Positions over rounds</h2>",
           '<p class="muted">One line per party; a hollow dot is a position carried over from an earlier '
           "round, a band is a range. Bars below: the gap between the sides in each round.</p>",
           f'<ul class="legend">{swatches}</ul>']
    for demand in catalog.demands:
        out.append(f'<figure id="{_anchor("demand", demand.id)}">')
        if demand.kind == "scale":
            axis = "stances, low to high"
        elif demand.kind == "number":
            axis = f"in {demand.unit}"
        else:
            axis = "free text: no chart"
        out.append(f"<figcaption>{h(demand.title)} <small>({h(axis)})</small></figcaption>")
        if demand.note:
            out.append(f'<p class="muted">{h(demand.note)}</p>')
        out.append(demand_chart(catalog, analysis, demand))
        out.append("</figure>")
    out.append("</section>")
    return out


def _sources(catalog: Catalog) -> list[str]:
    if not catalog.sources:
        return []
    out = ['<section id="sources">', "<h2>Sources</h2>", "<ol>"]
    for source in catalog.sources:
        parts = [f"<b>{h(source.outlet)}</b>"]
        if source.date:
            parts.append(h(source.date.isoformat()))
        if source.title:
            parts.append(f"“{h(source.title)}”")
        text = ", ".join(parts)
        if source.note:
            text += f". <span class=\"muted\">{h(source.note)}</span>"
        url = safe_url(source.url)
        if url:
            text += f' <a href="{h(url)}" rel="noopener noreferrer nofollow">{h(url)}</a>'
        elif source.url:
            text += ' <span class="muted">(link left out: not an http or https address)</span>'
        out.append(f'<li id="{_anchor("source", source.id)}"><code>{h(source.id)}</code> {text}</li>')
    out += ["</ol>", "</section>"]
    return out


def to_html(catalog: Catalog, analysis: Analysis) -> str:
    """The whole record as one HTML document, ending with a newline."""
    legend = "".join(
        f'<li><span class="glyph">{h(glyph)}</span> {h(shift.value)}: {h(SHIFT_MEANINGS[shift])}</li>'
        for shift, glyph in SHIFT_GLYPHS.items()
    )
    legend += f'<li><span class="glyph">{DISPUTED_GLYPH}</span> disputed: outlets reported it differently</li>'
    legend += "".join(f'<li><span class="glyph">{h(g)}</span> gap {h(t)}</li>' for t, g in TREND_GLYPHS.items())
    toc = "".join(f'<li><a href="#{_anchor("round", r.id)}">{h(r.id)}</a></li>' for r in catalog.rounds)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="negotrack">',
        f"<title>{h(catalog.title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{h(catalog.title)}</h1>",
    ]
    if catalog.description:
        out.append(f"<p>{h(catalog.description)}</p>")
    out += [
        f'<p class="meta">{h(catalog.summary())}; exported from {h(os.path.basename(catalog.path))} by negotrack.</p>',
        "</header>",
        f'<nav><ul><li><a href="#charts">Charts</a></li>{toc}<li><a href="#sources">Sources</a></li></ul></nav>',
        f'<section id="legend"><h2>Legend</h2><ul class="legend">{legend}</ul>'
        '<p class="muted">The gap is the largest distance between the sides (role “party”): a share of '
        "the scale, 0 to 1, for a demand with stances; in its unit for a numeric demand.</p></section>",
    ]
    out += _charts(catalog, analysis)
    for index, rnd in enumerate(catalog.rounds):
        out += _round(catalog, analysis, index, rnd)
    out += _sources(catalog)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
