"""The HTML export: one self-contained page to hand to a colleague; it works offline.

Inline CSS and inline SVG only: no script, no font, no image, nothing fetched. The only
links that leave the page are the sources' own http(s) URLs. Every catalog string passes
through `text()` or `attr()` (control characters named, then html.escape), catalog text
inside our own sentences sits in `<bdi>` so that right-to-left names cannot reorder the
dates and numbers around them, and a Content Security Policy forbids scripts and loads even
if something slipped through.

The page reads on a phone (charts scroll sideways at a readable size, every shortened chart
label is written out in full under the chart) and prints (no scroll box, tables wrap in a
smaller type with their header on every page, a chart stays with its heading).
"""

from __future__ import annotations

import os
from functools import lru_cache
from html import escape

from ..analysis import CLAIM_GLYPH, SHIFT_GLYPHS, SHIFT_MEANINGS, TREND_GLYPHS, Analysis, Cell, Shift
from ..model import Catalog, Demand, Party, Round, Source
from .common import (
    CONTROLS, DISPUTED_GLYPH, GAP_NOTE, ROUND_STATUS_MEANINGS, Part, account_parts, claim_parts,
    claims_note, control_name, disputed_sentence, full_stop, gap_parts, party_label, position_parts,
    round_heading, round_sentences, safe_url, source_parts, spell_controls,
)
from .svg import demand_chart, legend_marker, overlaps

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
tbody th { min-width: 7em; } td.gap { min-width: 5.5em; }
td.carried { color: var(--muted); font-style: italic; }
td.empty { color: var(--muted); text-align: center; }
td .note, td q { display: block; font-size: .85em; color: var(--muted); }
.glyph { display: inline-block; min-width: 1.2em; font-weight: bold; }
.shift-toward .glyph { color: #007a4d; } .shift-away .glyph { color: #b3261e; }
.shift-moved .glyph { color: #8a6d00; } .shift-withdrawn .text { text-decoration: line-through; }
.status, .round-status { font-size: .8em; border: 1px solid var(--line); border-radius: .6em; padding: 0 .4em; white-space: nowrap; }
.round-status { border-style: dashed; font-weight: normal; font-style: italic; }
.claim { font-size: .8em; color: #7a4a00; }
.ctl { font: .75em ui-monospace, monospace; border: 1px solid currentColor; border-radius: .2em; padding: 0 .15em; }
sup a { text-decoration: none; }
#sources a { word-break: break-all; }
.legend { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; padding: 0; list-style: none; }
figure { margin: 1rem 0 .5rem; }
figcaption { font-weight: bold; }
figcaption .scale { display: block; font-weight: normal; }
.chart-box { overflow-x: auto; }
.chart { display: block; width: 100%; min-width: 40rem; max-width: 45rem; height: auto; font: 13px system-ui, sans-serif; }
.chart .grid { stroke: var(--line); } .chart .axis { stroke: var(--muted); }
.chart .tick, .chart .gaplabel { fill: var(--muted); } .chart .gap { fill: #9aa5b1; }
.swatch { vertical-align: middle; margin-right: .3em; }
table.series { font-size: .9em; }
blockquote { margin: .3rem 0 .3rem 1rem; color: var(--muted); }
@media (max-width: 40rem) {
  body { padding: .75rem; font-size: 14px; }
  h1 { font-size: 1.4rem; }
  th, td { padding: .25rem .35rem; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10pt; max-width: none; padding: 0; }
  /* the contents, and the tables under the charts (which repeat the rounds below, for a
     screen where a chart label cannot be hovered), are left off paper */
  nav, div.series { display: none; }
  a { color: inherit; }
  .wide, .chart-box { overflow: visible; }
  table { font-size: 8.5pt; }
  th, td { padding: .15rem .3rem; overflow-wrap: break-word; hyphens: auto; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  h2, h3, figcaption { break-after: avoid; }
  .chart { min-width: 0; width: 100%; max-width: 36rem; }
}
""".strip()


# Catalog text repeats (names, titles, stances in every round): the escapes are cached.
@lru_cache(maxsize=8192)
def attr(value: object) -> str:
    """Any text made inert in an HTML attribute value (controls named: `[ESC]`)."""
    return escape(spell_controls(str(value)), quote=True)


@lru_cache(maxsize=8192)
def text(value: object) -> str:
    """Any text made inert as HTML content; a control character is shown by its name, boxed
    (`ESC`), which every font can draw, unlike the control pictures."""
    out, at = [], 0
    raw = str(value)
    for match in CONTROLS.finditer(raw):
        out.append(escape(raw[at:match.start()], quote=True))
        code = ord(match.group())
        out.append(f'<span class="ctl" title="control character U+{code:04X}">{control_name(match.group())}</span>')
        at = match.end()
    out.append(escape(raw[at:], quote=True))
    return "".join(out)


def bdi(value: object) -> str:
    """Catalog text set apart from its neighbours' direction (a name in Arabic before a date)."""
    return f"<bdi>{text(value)}</bdi>"


def parts_html(parts: list[Part] | tuple[Part, ...]) -> str:
    return "".join(bdi(t) if catalog else text(t) for t, catalog in parts)


def _capitalized(parts: list[Part]) -> list[Part]:
    """`parts` opening with a capital letter, as the start of a sentence."""
    if not parts:
        return parts
    first, catalog = parts[0]
    return [(first[:1].upper() + first[1:], catalog), *parts[1:]]


def _anchor(kind: str, ident: str) -> str:
    return attr(f"{kind}-{ident}")


def _source_refs(catalog: Catalog, ids: tuple[str, ...]) -> str:
    refs = []
    for sid in ids:
        source = catalog.source(sid)
        if source is not None:
            refs.append(f'<a href="#{_anchor("source", sid)}" title="{attr(source.outlet)}">[{bdi(sid)}]</a>')
    return f"<sup>{' '.join(refs)}</sup>" if refs else ""


def _round_status(rnd: Round) -> str:
    if rnd.status == "reported":
        return ""
    return f' <span class="round-status" title="{attr(ROUND_STATUS_MEANINGS.get(rnd.status, rnd.status))}">{text(rnd.status)}</span>'


def _cell(catalog: Catalog, demand: Demand, party: Party, cell: Cell, details: bool = True) -> str:
    position, shift = cell.position, cell.shift
    if position is None:
        return '<td class="empty">—</td>'
    classes = f"shift-{shift.value}" if shift is not None else ""
    if shift is Shift.CARRIED:
        classes += " carried"
    glyph = SHIFT_GLYPHS[shift] if shift is not None else ""
    title = f"{shift.value}: {SHIFT_MEANINGS[shift]}" if shift is not None else ""
    if cell.resumed:
        title = f"{shift.value}: taken up again after a withdrawal, compared with the position before it"
    body = [f'<span class="glyph" title="{attr(title)}">{text(glyph)}</span> '
            f'<span class="text">{parts_html(position_parts(demand, position))}</span>']
    if shift is not Shift.CARRIED:
        if position.status:
            body.append(f' <span class="status">{text(position.status)}</span>')
        if cell.resumed:
            body.append(' <span class="status">taken up again</span>')
    if position.disputed:
        body.append(f' <span title="disputed">{DISPUTED_GLYPH}</span>')
    if position.claim:
        body.append(f' <span class="claim">{CLAIM_GLYPH} {parts_html(claim_parts(catalog, position))}</span>')
    if shift is not Shift.CARRIED:
        if details:
            account = account_parts(catalog, party, position)
            if account and (not position.claim or position.speaker):
                body.append(f'<span class="note">{parts_html(_capitalized(account))}</span>')
            body.append(_source_refs(catalog, position.sources))
            if position.note:
                body.append(f'<span class="note" dir="auto">{text(position.note)}</span>')
            if position.quote:
                body.append(f'<q dir="auto">{text(position.quote)}</q>')
    else:
        body.append(f'<span class="note">since <bdi>{text(position.round)}</bdi></span>')
    return f'<td class="{attr(classes.strip())}">{"".join(body)}</td>'


def _party_heads(catalog: Catalog) -> str:
    return "".join(f'<th scope="col">{parts_html(party_label(p))}</th>' for p in catalog.parties)


def _round(catalog: Catalog, analysis: Analysis, index: int, rnd: Round) -> list[str]:
    out = [f'<section class="round" id="{_anchor("round", rnd.id)}">',
           f"<h2>{parts_html(round_heading(rnd))}{_round_status(rnd)}</h2>"]
    if rnd.status in ROUND_STATUS_MEANINGS:
        out.append(f'<p class="meta"><i>{text(ROUND_STATUS_MEANINGS[rnd.status].capitalize())}.</i></p>')
    if rnd.summary:
        out.append(f'<p dir="auto">{text(rnd.summary)}</p>')
    if rnd.sources:
        out.append(f'<p class="meta">Reported by {_source_refs(catalog, rnd.sources)}</p>')
    out += ['<div class="wide"><table>',
            f'<thead><tr><th scope="col">Demand</th>{_party_heads(catalog)}<th scope="col">Gap</th></tr></thead>', "<tbody>"]
    for demand in catalog.demands:
        cells = "".join(_cell(catalog, demand, p, analysis.cell(rnd.id, p.id, demand.id)) for p in catalog.parties)
        gap = parts_html(gap_parts(demand, analysis.gap(rnd.id, demand.id))) or "—"
        out.append(f'<tr><th scope="row"><a href="#{_anchor("demand", demand.id)}">{bdi(demand.title)}</a></th>{cells}<td class="gap">{gap}</td></tr>')
    out += ["</tbody></table></div>", f"<h3>{'What was reported' if index == 0 else 'What was reported since the previous round'}</h3>", "<ul>"]
    sentences = round_sentences(catalog, analysis, index)
    # A sentence cites its sources only where they differ from the round's own.
    items = [f"<li>{parts_html(s.parts)}{_source_refs(catalog, s.sources if s.sources != rnd.sources else ())}</li>" for s in sentences]
    for (party_id, demand_id), position in rnd.positions.items():
        if position.claim and not analysis.claims:
            continue
        for report in position.disputed:
            if report.claim and not analysis.claims:
                continue
            sentence = disputed_sentence(catalog, catalog.party(party_id), catalog.demand(demand_id), report)
            items.append(f"<li>{DISPUTED_GLYPH} {parts_html(sentence)}{_source_refs(catalog, report.sources)}</li>")
    out += items or ["<li>Nothing new was reported.</li>"]
    out += ["</ul>", "</section>"]
    return out


def _series_table(catalog: Catalog, analysis: Analysis, demand: Demand) -> list[str]:
    """Every round's positions on one demand, written out in full: what the chart shows, for
    a reader who cannot hover over it (a phone, paper) and for a screen reader."""
    out = [f'<div class="wide series"><table class="series"><caption class="muted">{bdi(demand.title)}, round by round</caption>',
           f'<thead><tr><th scope="col">Round</th>{_party_heads(catalog)}<th scope="col">Gap</th></tr></thead>', "<tbody>"]
    for rnd in catalog.rounds:
        cells = "".join(_cell(catalog, demand, p, analysis.cell(rnd.id, p.id, demand.id), details=False) for p in catalog.parties)
        gap = parts_html(gap_parts(demand, analysis.gap(rnd.id, demand.id))) or "—"
        out.append(f'<tr><th scope="row"><a href="#{_anchor("round", rnd.id)}">{bdi(rnd.id)}</a> '
                   f'<span class="muted">{rnd.date.isoformat()}</span>{_round_status(rnd)}</th>{cells}<td class="gap">{gap}</td></tr>')
    out.append("</tbody></table></div>")
    return out


def _overlap_note(catalog: Catalog, analysis: Analysis, demand: Demand) -> str:
    groups = overlaps(catalog, analysis, demand)
    if not groups:
        return ""
    items = []
    for parties, rounds in groups:
        names = " and ".join(bdi(p.name) for p in parties)
        where = ", ".join(bdi(r.id) + _round_status(r) for r in rounds)
        items.append(f"{names} in {len(rounds)} round{'s' if len(rounds) != 1 else ''} ({where})")
    return ('<p class="muted">Same position, drawn side by side: ' + "; ".join(items) + ".</p>")


def _charts(catalog: Catalog, analysis: Analysis) -> list[str]:
    swatches = "".join(
        f'<li>{legend_marker(i, not p.is_side)}{parts_html(party_label(p))}</li>'
        for i, p in enumerate(catalog.parties)
    )
    out = ['<section id="charts">', "<h2>Positions over rounds</h2>",
           '<p class="muted">One line and one marker shape per party; a hollow marker is a position '
           "carried over from an earlier round, a band is a range. Rounds are placed by date (dashed "
           "ticks: announced or inferred rounds). Bars below: the relative gap between the sides in "
           "each round, 0 to 1, labelled with the gap itself. Under each chart, the same positions "
           "written out.</p>",
           f'<ul class="legend">{swatches}</ul>']
    for demand in catalog.demands:
        if demand.kind == "scale":
            axis = "stances, low to high"
        elif demand.kind == "number":
            axis = f"in {demand.unit}"
        else:
            axis = "free text: no chart"
        caption = f"{bdi(demand.title)} <small>({bdi(axis) if demand.kind == 'number' else text(axis)})</small>"
        if demand.scale is not None:
            caption += '<small class="scale">' + " → ".join(bdi(s) for s in demand.scale) + "</small>"
        out.append(f'<figure id="{_anchor("demand", demand.id)}">')
        out.append(f"<figcaption>{caption}</figcaption>")
        if demand.note:
            out.append(f'<p class="muted" dir="auto">{text(demand.note)}</p>')
        chart = demand_chart(catalog, analysis, demand)
        if chart:
            out += ['<div class="chart-box">', chart, "</div>"]
            out.append(_overlap_note(catalog, analysis, demand))
        out.append("</figure>")
        out += _series_table(catalog, analysis, demand)
    out.append("</section>")
    return out


def _source_item(source: Source) -> str:
    # the outlet in bold, then the rest of the sentence
    body = f"<b>{bdi(source.outlet)}</b>{parts_html(source_parts(source)[1:])}"
    if source.note and source.note.strip():
        body += f' <span class="muted">{parts_html(full_stop([(source.note.strip(), True)]))}</span>'
    url = safe_url(source.url)
    if url:
        body += f' <a href="{attr(url)}" rel="noopener noreferrer nofollow">{text(url)}</a>'
    elif source.url:
        body += ' <span class="muted">(link left out: not an http or https address)</span>'
    return f'<li id="{_anchor("source", source.id)}"><code>{text(source.id)}</code> {body}</li>'


def _sources(catalog: Catalog) -> list[str]:
    if not catalog.sources:
        return []
    return ['<section id="sources">', "<h2>Sources</h2>", "<ol>", *(_source_item(s) for s in catalog.sources), "</ol>", "</section>"]


def to_html(catalog: Catalog, analysis: Analysis) -> str:
    """The whole record as one HTML document, ending with a newline."""
    legend = "".join(
        f'<li><span class="glyph">{text(glyph)}</span> {text(shift.value)}: {text(SHIFT_MEANINGS[shift])}</li>'
        for shift, glyph in SHIFT_GLYPHS.items()
    )
    legend += f'<li><span class="glyph">{DISPUTED_GLYPH}</span> disputed: outlets reported it differently</li>'
    legend += (f'<li><span class="glyph">{CLAIM_GLYPH}</span> claim: another side\'s account of this party\'s '
               "stance (whose claim it is follows)</li>")
    legend += "".join(f'<li><span class="glyph">{text(g)}</span> gap {text(t)}</li>' for t, g in TREND_GLYPHS.items())
    toc = "".join(f'<li><a href="#{_anchor("round", r.id)}">{bdi(r.id)}</a>{_round_status(r)}</li>' for r in catalog.rounds)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="negotrack">',
        f"<title>{attr(catalog.title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<h1 dir="auto">{text(catalog.title)}</h1>',
    ]
    if catalog.description:
        out.append(f'<p dir="auto">{text(catalog.description)}</p>')
    out += [
        f'<p class="meta">{text(catalog.summary())}; exported from {bdi(os.path.basename(catalog.path))} by negotrack.</p>',
        *([f'<p class="claims-note"><b>{text(claims_note(catalog, analysis))}.</b></p>'] if not analysis.claims else []),
        "</header>",
        f'<nav><ul><li><a href="#charts">Charts</a></li>{toc}<li><a href="#sources">Sources</a></li></ul></nav>',
        f'<section id="legend"><h2>Legend</h2><ul class="legend">{legend}</ul>'
        f'<p class="muted">{text(GAP_NOTE)}.</p></section>',
    ]
    out += _charts(catalog, analysis)
    for index, rnd in enumerate(catalog.rounds):
        out += _round(catalog, analysis, index, rnd)
    out += _sources(catalog)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
