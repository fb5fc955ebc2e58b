"""The Markdown export: a report a journalist can paste (GitHub-flavoured: tables, footnotes).

Every catalog string goes through `md()`: control characters made visible, kept on one line
(a line break would end a table row), and Markdown's active characters backslash-escaped,
so a `|` in a stance cannot split a cell and `<b>` or `[x](y)` stay text.
"""

from __future__ import annotations

import re

from ..analysis import SHIFT_GLYPHS, TREND_GLYPHS, Analysis, Shift
from ..model import Catalog
from ..text import one_line
from .common import (
    DISPUTED_GLYPH, SHIFT_MEANINGS, cited_sources, gap_text, party_label, position_text,
    round_heading, round_sentences, safe_url,
)

_INLINE = re.compile(r"([\\`*_\[\]<>|~&#$])")
_BLOCK_START = re.compile(r"^([-+=>]|\d+(?=[.)](\s|$)))")


def md(text: str | None) -> str:
    """Catalog text made inert in Markdown, on one line."""
    flat = _INLINE.sub(r"\\\1", one_line(text or ""))
    return _BLOCK_START.sub(lambda m: "\\" + m.group() if not m.group().isdigit() else m.group() + "\\", flat)


def legend_line() -> str:
    glyphs = ", ".join(f"{glyph} {shift.value}" for shift, glyph in SHIFT_GLYPHS.items())
    trends = ", ".join(f"{glyph} gap {trend}" for trend, glyph in TREND_GLYPHS.items() if trend != "steady")
    return f"*{glyphs}, {DISPUTED_GLYPH} disputed; {trends}*"


class _Footnotes:
    """Footnote labels for source ids; GFM matches labels case-insensitively, ids do not."""

    def __init__(self, ids: list[str]) -> None:
        self.labels: dict[str, str] = {}
        taken: set[str] = set()
        for sid in ids:
            label, n = sid, 2
            while label.lower() in taken:
                label, n = f"{sid}-{n}", n + 1
            taken.add(label.lower())
            self.labels[sid] = label
        self.used: dict[str, None] = {}

    def refs(self, ids: tuple[str, ...]) -> str:
        for sid in ids:
            self.used.setdefault(sid)
        return "".join(f"[^{self.labels[sid]}]" for sid in ids if sid in self.labels)


def to_markdown(catalog: Catalog, analysis: Analysis) -> str:
    """The report as Markdown text, ending with a newline."""
    notes = _Footnotes(cited_sources(catalog))
    out: list[str] = [f"# {md(catalog.title)}", ""]
    if catalog.description:
        out += [md(catalog.description), ""]
    out += [f"*{md(catalog.summary())}.*", "", "## Legend", ""]
    out += [f"- {glyph} **{shift.value}**: {SHIFT_MEANINGS[shift]}" for shift, glyph in SHIFT_GLYPHS.items()]
    out += [f"- {DISPUTED_GLYPH} **disputed**: outlets reported this position differently"]
    out += [f"- {glyph} gap **{trend}**" for trend, glyph in TREND_GLYPHS.items()]
    out += ["- The gap is the largest distance between the sides: a share of the scale (0 to 1) "
            "for a demand with stances, in the unit for a numeric one.", ""]
    parties = catalog.parties
    for index, rnd in enumerate(catalog.rounds):
        out += [f"## {md(round_heading(rnd))}", ""]
        if rnd.summary:
            out += [md(rnd.summary), ""]
        if rnd.sources:
            out += [f"Reported by: {notes.refs(rnd.sources)}", ""]
        out.append("| Demand | " + " | ".join(md(party_label(p)) for p in parties) + " | Gap |")
        out.append("| --- " * (len(parties) + 2) + "|")
        for demand in catalog.demands:
            cells = []
            for party in parties:
                cell = analysis.cell(rnd.id, party.id, demand.id)
                if cell.position is None:
                    cells.append("—")
                    continue
                text = md(position_text(demand, cell.position))
                if cell.shift is Shift.CARRIED:
                    text = f"*{text}*" if text else text
                elif cell.position.status:
                    text += f" ({md(cell.position.status)})"
                if cell.position.disputed:
                    text += f" {DISPUTED_GLYPH}"
                glyph = SHIFT_GLYPHS[cell.shift] if cell.shift is not None else ""
                cells.append(f"{glyph} {text}".strip())
            gap = md(gap_text(demand, analysis.gap(rnd.id, demand.id))) or "—"
            out.append(f"| {md(demand.title)} | " + " | ".join(cells) + f" | {gap} |")
        out += ["", legend_line(), ""]
        sentences = round_sentences(catalog, analysis, index)
        out += ["**What was reported**" if index == 0 else "**What changed since the previous round**", ""]
        # A sentence cites its sources only where they differ from the round's own.
        out += [f"- {md(s.text)}{notes.refs(s.sources if s.sources != rnd.sources else ())}" for s in sentences]
        for (party_id, demand_id), position in rnd.positions.items():
            for report in position.disputed:
                party, demand = catalog.party(party_id), catalog.demand(demand_id)
                text = (f"{party.name} on {demand.title}: also reported as {report.shown()}"
                        + (f" ({report.note})" if report.note else "") + ".")
                out.append(f"- {DISPUTED_GLYPH} {md(text)}{notes.refs(report.sources)}")
        if out[-1] == "":
            out.append("- Nothing new was reported.")
        out.append("")
    footnotes, others = [], []
    for source in catalog.sources:
        parts = [md(source.outlet)]
        if source.date:
            parts.append(source.date.isoformat())
        if source.title:
            parts.append(f"“{md(source.title)}”")
        text = ", ".join(parts) + "."
        if source.note:
            text += f" {md(source.note)}."
        url = safe_url(source.url)
        if url:
            text += f" <{url}>"
        if source.id in notes.used:
            footnotes.append(f"[^{notes.labels[source.id]}]: {text}")
        else:
            others.append(f"- {text}")
    if others:
        out += ["## Other sources", "", *others, ""]
    for footnote in footnotes:
        out += [footnote, ""]
    return "\n".join(out).rstrip("\n") + "\n"
