"""The Markdown export: a report a journalist can paste (GitHub-flavoured: tables, footnotes).

Every catalog string goes through `md()`: control characters made visible, kept on one line
(a line break would end a table row), and Markdown's active characters backslash-escaped,
so a `|` in a stance cannot split a cell and `<b>` or `[x](y)` stay text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..analysis import CLAIM_GLYPH, SHIFT_GLYPHS, SHIFT_MEANINGS, TREND_GLYPHS, Analysis, Cell, Shift
from ..model import Catalog, Demand, Source
from ..text import clean, one_line
from .common import (
    DISPUTED_GLYPH, GAP_NOTE, ROUND_STATUS_MEANINGS, cited_sources, claim_parts, claims_note,
    disputed_sentence, full_stop, gap_parts, isolate, party_label, position_parts, round_heading,
    round_sentences, safe_url, source_parts,
)

_INLINE = re.compile(r"([\\`*_\[\]<>|~&#$])")
_BLOCK_START = re.compile(r"^([-+=>]|\d+(?=[.)](\s|$)))")
_SPACES = re.compile(r"\s+")
#: ASCII punctuation that Markdown may read as syntax (a list marker, a heading underline,
#: strikethrough): a glyph made of it is written as a backslash escape.
_ASCII_PUNCT = re.compile(r"^[!-/:-@\[-`{-~]$")


@lru_cache(maxsize=8192)
def _inline(text: str | None, trim: bool = True) -> str:
    """`text` escaped on one line; `trim=False` keeps the spaces at its ends (a sentence's joints)."""
    flat = one_line(text or "") if trim else _SPACES.sub(" ", clean(text or ""))
    return _INLINE.sub(r"\\\1", flat)


def _block(text: str) -> str:
    return _BLOCK_START.sub(lambda m: "\\" + m.group() if not m.group().isdigit() else m.group() + "\\", text)


def _isolated(text: str | None) -> str:
    """Catalog text, escaped, and isolated from its neighbours when it holds right-to-left script.

    FSI ... PDI is Markdown's `<bdi>` (renderers may strip HTML): an outlet named in Arabic
    keeps the date after it in reading order.
    """
    return isolate(_inline(text))


def md(text: str | None) -> str:
    """Catalog text made inert in Markdown, on one line."""
    return _block(_isolated(text))


def md_parts(parts) -> str:
    """Sentence parts (see common.compose) as Markdown: catalog pieces isolated, all escaped."""
    return _block("".join(_isolated(text) if catalog else _inline(text, trim=False) for text, catalog in parts))


def glyph(mark: str) -> str:
    """A shift or trend glyph that Markdown cannot take for syntax (`+` as a list marker)."""
    return "\\" + mark if _ASCII_PUNCT.match(mark) else mark


def code_glyph(mark: str) -> str:
    """A glyph in a legend, as code: it reads the same in the source and rendered."""
    return f"`{mark}`"


def legend_line() -> str:
    glyphs = ", ".join(f"{code_glyph(g)} {shift.value}" for shift, g in SHIFT_GLYPHS.items())
    trends = ", ".join(f"{code_glyph(g)} gap {trend}" for trend, g in TREND_GLYPHS.items() if trend != "steady")
    return f"*{glyphs}, {code_glyph(DISPUTED_GLYPH)} disputed, {code_glyph(CLAIM_GLYPH)} claim; {trends}*"


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


def _cell(catalog: Catalog, demand: Demand, cell: Cell) -> str:
    position = cell.position
    if position is None:
        return "—"
    text = md_parts(position_parts(demand, position))
    if cell.shift is Shift.CARRIED:
        text = f"*{text}*" if text else text
    else:
        if position.status:
            text += f" ({md(position.status)})"
        if cell.resumed:
            text += " (taken up again)"
    if position.disputed:
        text += f" {DISPUTED_GLYPH}"
    if position.claim:
        text += f" {CLAIM_GLYPH} {md_parts(claim_parts(catalog, position))}"
    mark = glyph(SHIFT_GLYPHS[cell.shift]) if cell.shift is not None else ""
    return f"{mark} {text}".strip()


def _source_line(source: Source) -> str:
    text = md_parts(source_parts(source))
    if source.note and source.note.strip():
        text += " " + md_parts(full_stop([(source.note.strip(), True)]))
    url = safe_url(source.url)
    if url:
        text += f" <{url}>"
    return text


def to_markdown(catalog: Catalog, analysis: Analysis) -> str:
    """The report as Markdown text, ending with a newline."""
    notes = _Footnotes(cited_sources(catalog))
    out: list[str] = [f"# {md(catalog.title)}", ""]
    if catalog.description:
        out += [md(catalog.description), ""]
    out += [f"*{md(catalog.summary())}.*", ""]
    if not analysis.claims:
        out += [f"**{md(claims_note(catalog, analysis))}.**", ""]
    out += ["## Legend", ""]
    out += [f"- {code_glyph(g)} **{shift.value}**: {SHIFT_MEANINGS[shift]}" for shift, g in SHIFT_GLYPHS.items()]
    out += [f"- {code_glyph(DISPUTED_GLYPH)} **disputed**: outlets reported this position differently"]
    out += [f"- {code_glyph(CLAIM_GLYPH)} **claim**: another side's account of this party's stance (whose claim it is follows)"]
    out += [f"- {code_glyph(g)} gap **{trend}**" for trend, g in TREND_GLYPHS.items()]
    out += [f"- {md(GAP_NOTE)}.", ""]
    parties = catalog.parties
    for index, rnd in enumerate(catalog.rounds):
        out += [f"## {md_parts(round_heading(rnd))}", ""]
        if rnd.status in ROUND_STATUS_MEANINGS:
            out += [f"*{md(ROUND_STATUS_MEANINGS[rnd.status].capitalize())}.*", ""]
        if rnd.summary:
            out += [md(rnd.summary), ""]
        if rnd.sources:
            out += [f"Reported by: {notes.refs(rnd.sources)}", ""]
        out.append("| Demand | " + " | ".join(md_parts(party_label(p)) for p in parties) + " | Gap |")
        out.append("| --- " * (len(parties) + 2) + "|")
        for demand in catalog.demands:
            cells = [_cell(catalog, demand, analysis.cell(rnd.id, party.id, demand.id)) for party in parties]
            gap = md_parts(gap_parts(demand, analysis.gap(rnd.id, demand.id))) or "—"
            out.append(f"| {md(demand.title)} | " + " | ".join(cells) + f" | {gap} |")
        out += ["", legend_line(), ""]
        sentences = round_sentences(catalog, analysis, index)
        out += ["**What was reported**" if index == 0 else "**What was reported since the previous round**", ""]
        # A sentence cites its sources only where they differ from the round's own.
        out += [f"- {md_parts(s.parts)}{notes.refs(s.sources if s.sources != rnd.sources else ())}" for s in sentences]
        for (party_id, demand_id), position in rnd.positions.items():
            if position.claim and not analysis.claims:
                continue
            for report in position.disputed:
                if report.claim and not analysis.claims:
                    continue
                text = md_parts(disputed_sentence(catalog, catalog.party(party_id), catalog.demand(demand_id), report))
                out.append(f"- {DISPUTED_GLYPH} {text}{notes.refs(report.sources)}")
        if out[-1] == "":
            out.append("- Nothing new was reported.")
        out.append("")
    footnotes, others = [], []
    for source in catalog.sources:
        text = _source_line(source)
        if source.id in notes.used:
            footnotes.append(f"[^{notes.labels[source.id]}]: {text}")
        else:
            others.append(f"- {text}")
    if others:
        out += ["## Other sources", "", *others, ""]
    for footnote in footnotes:
        out += [footnote, ""]
    return "\n".join(out).rstrip("\n") + "\n"
